/* SPDX-License-Identifier: MIT */
/*
 * feed.c - the loop's half of the VNC server (vnc.h).
 *
 * While at least one viewer is connected, a timer runs at the frame rate
 * of the pipe being shown (vgpu_display_frame_ns: the guest's programmed
 * mode, 60 Hz without one).  At each tick, if the VNC thread took the
 * last picture, the scanout is captured (vgpu_capture_split: the plane,
 * and the cursor as an image) and handed over.  Capturing reads the
 * device and graphics memory, so it is done here, where the device's
 * state is consistent; converting, comparing and encoding are the VNC
 * thread's.  With no viewer there is no timer and no capture.
 */
#include "vnc/vnc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "ioreq/loop.h"
#include "util/log.h"
#include "vgpu/display.h"
#include "vgpu/display/capture.h"
#include "vgpu/vgpu.h"

struct vnc_feed {
	struct loop *l;
	struct vgpu *v;
	struct vnc_server *s;
	int timer_fd;
	uint64_t period_ns; /* 0: stopped */
	bool shown_off;	    /* the last hand-over said "nothing scanned out" */
};

static uint64_t frame_ns(struct vnc_feed *f, unsigned pipe)
{
	const struct display *d = vgpu_block_state(f->v, &vgpu_display_block);

	return d ? vgpu_display_frame_ns(d, pipe, NULL)
		 : VGPU_VBLANK_DEFAULT_NS;
}

static void set_period(struct vnc_feed *f, uint64_t ns)
{
	if (ns == f->period_ns)
		return;
	if (loop_timer_set(f->l, f->timer_fd, ns) == 0)
		f->period_ns = ns;
}

static void on_tick(void *opaque, uint64_t expirations)
{
	struct vnc_feed *f = opaque;
	struct vgpu_picture pic;
	struct vgpu_cursor_image cur;
	int rc;

	(void)expirations;
	if (!vnc_server_wants_frame(f->s))
		return;
	rc = vgpu_capture_split(f->v, &pic, &cur);
	if (rc == -ENODEV) {
		if (!f->shown_off)
			vnc_server_put_frame(f->s, NULL, NULL);
		f->shown_off = true;
		return;
	}
	if (rc < 0) {
		log_guest(LOG_WARN, "vnc: capture: %s", strerror(-rc));
		return;
	}
	f->shown_off = false;
	set_period(f, frame_ns(f, pic.pipe));
	vnc_server_put_frame(f->s, &pic, &cur);
	vgpu_picture_free(&pic);
	vgpu_cursor_image_free(&cur);
}

static void on_clients(void *opaque, uint32_t events)
{
	struct vnc_feed *f = opaque;
	uint64_t v;

	(void)events;
	if (read(vnc_server_notify_fd(f->s), &v, sizeof(v)) < 0 &&
	    errno != EAGAIN)
		log_debug("vnc: clients: %s", strerror(errno));
	if (vnc_server_clients(f->s) == 0) {
		set_period(f, 0);
		return;
	}
	if (!f->period_ns) {
		f->shown_off = false; /* a new viewer gets the screen at once */
		set_period(f, VGPU_VBLANK_DEFAULT_NS);
		on_tick(f, 1);
	}
}

int vnc_feed_open(struct loop *l, struct vgpu *v, struct vnc_server *s,
		  struct vnc_feed **out)
{
	struct vnc_feed *f = calloc(1, sizeof(*f));
	int rc;

	*out = NULL;
	if (!f)
		return -ENOMEM;
	f->l = l;
	f->v = v;
	f->s = s;
	f->timer_fd = loop_add_timer_ns(l, 0, on_tick, f);
	if (f->timer_fd < 0) {
		rc = f->timer_fd;
		free(f);
		return rc;
	}
	rc = loop_add_fd(l, vnc_server_notify_fd(s), EPOLLIN, on_clients, f);
	if (rc < 0) {
		loop_del_fd(l, f->timer_fd); /* closes it */
		free(f);
		return rc;
	}
	*out = f;
	return 0;
}

void vnc_feed_close(struct vnc_feed *f)
{
	if (!f)
		return;
	loop_del_fd(f->l, vnc_server_notify_fd(f->s));
	loop_del_fd(f->l, f->timer_fd); /* closes it */
	free(f);
}
