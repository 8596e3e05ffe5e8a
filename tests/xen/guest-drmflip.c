/* SPDX-License-Identifier: MIT */
/*
 * guest-drmflip - check-xen's KMS client in the guest (static, linked
 * with libdrm): what a compositor does to show a frame, through i915 on
 * our vGPU.
 *
 *   guest-drmflip HOLD_SECONDS
 *
 * On /dev/dri/card0: the first connected connector and its preferred
 * mode, a CRTC its encoder can drive, two dumb buffers (XRGB8888) drawn
 * with fbpattern.h's pictures 1 and 2; the CRTC set to show picture 1,
 * then a page flip to picture 2 with a vblank event, which must arrive
 * within 5 s.  Then "XENGT-SHOT flip W H 2" for dom0 to take the
 * screenshot, and the frame held HOLD_SECONDS.  Lines "INFO: ..." say
 * what it found; exit 0, or 1 with the reason on stderr.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <drm_fourcc.h>
#include <xf86drm.h>
#include <xf86drmMode.h>

#include "fbpattern.h"

struct buf {
	uint32_t handle, pitch, fb;
	uint64_t size;
	uint8_t *map;
};

static int die(const char *what)
{
	fprintf(stderr, "guest-drmflip: %s: %s\n", what, strerror(errno));
	return 1;
}

static int make_buf(int fd, uint32_t w, uint32_t h, uint32_t seed,
		    struct buf *b)
{
	struct drm_mode_create_dumb create = {.width = w, .height = h,
					      .bpp = 32};
	struct drm_mode_map_dumb map = {0};
	uint32_t handles[4] = {0}, pitches[4] = {0}, offsets[4] = {0};

	if (drmIoctl(fd, DRM_IOCTL_MODE_CREATE_DUMB, &create) < 0)
		return die("DRM_IOCTL_MODE_CREATE_DUMB");
	b->handle = create.handle;
	b->pitch = create.pitch;
	b->size = create.size;
	map.handle = b->handle;
	if (drmIoctl(fd, DRM_IOCTL_MODE_MAP_DUMB, &map) < 0)
		return die("DRM_IOCTL_MODE_MAP_DUMB");
	b->map = mmap(NULL, b->size, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		      (off_t)map.offset);
	if (b->map == MAP_FAILED)
		return die("mmap of a dumb buffer");
	for (uint32_t y = 0; y < h; y++) {
		uint32_t *row = (uint32_t *)(b->map + (size_t)y * b->pitch);

		for (uint32_t x = 0; x < w; x++)
			row[x] = fbpattern(x, y, seed);
	}
	handles[0] = b->handle;
	pitches[0] = b->pitch;
	if (drmModeAddFB2(fd, w, h, DRM_FORMAT_XRGB8888, handles, pitches,
			  offsets, &b->fb, 0) < 0)
		return die("drmModeAddFB2");
	return 0;
}

static int flipped;

static void on_flip(int fd, unsigned seq, unsigned sec, unsigned usec,
		    void *data)
{
	(void)fd, (void)data;
	flipped = 1;
	printf("INFO: i915: drm: the flip's vblank event came, sequence %u "
	       "at %u.%06u\n",
	       seq, sec, usec);
}

int main(int argc, char **argv)
{
	int hold = argc > 1 ? atoi(argv[1]) : 10, fd, i;
	drmModeRes *res;
	drmModeConnector *conn = NULL;
	drmModeEncoder *enc;
	drmModeModeInfo mode;
	uint32_t crtc = 0, conn_id;
	struct buf a, b;
	drmEventContext ev = {.version = 2, .page_flip_handler = on_flip};
	struct pollfd pfd;

	fd = open("/dev/dri/card0", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return die("/dev/dri/card0");
	res = drmModeGetResources(fd);
	if (!res)
		return die("drmModeGetResources");
	for (i = 0; i < res->count_connectors; i++) {
		conn = drmModeGetConnector(fd, res->connectors[i]);
		if (conn && conn->connection == DRM_MODE_CONNECTED &&
		    conn->count_modes > 0)
			break;
		drmModeFreeConnector(conn);
		conn = NULL;
	}
	if (!conn) {
		fprintf(stderr, "guest-drmflip: no connected connector\n");
		return 1;
	}
	conn_id = conn->connector_id;
	mode = conn->modes[0];
	for (i = 0; i < conn->count_modes; i++)
		if (conn->modes[i].type & DRM_MODE_TYPE_PREFERRED) {
			mode = conn->modes[i];
			break;
		}
	enc = drmModeGetEncoder(fd, conn->encoder_id ? conn->encoder_id
						      : conn->encoders[0]);
	if (!enc)
		return die("drmModeGetEncoder");
	for (i = 0; i < res->count_crtcs; i++)
		if (enc->possible_crtcs & (1u << i)) {
			crtc = res->crtcs[i];
			break;
		}
	if (!crtc) {
		fprintf(stderr, "guest-drmflip: no CRTC for the encoder\n");
		return 1;
	}
	printf("INFO: i915: drm: connector %u, mode %s (%ux%u@%u), crtc %u\n",
	       conn_id, mode.name, mode.hdisplay, mode.vdisplay, mode.vrefresh,
	       crtc);
	if (make_buf(fd, mode.hdisplay, mode.vdisplay, 1, &a) ||
	    make_buf(fd, mode.hdisplay, mode.vdisplay, 2, &b))
		return 1;
	if (drmModeSetCrtc(fd, crtc, a.fb, 0, 0, &conn_id, 1, &mode) < 0)
		return die("drmModeSetCrtc");
	if (drmModePageFlip(fd, crtc, b.fb, DRM_MODE_PAGE_FLIP_EVENT, NULL) <
	    0)
		return die("drmModePageFlip");
	pfd.fd = fd;
	pfd.events = POLLIN;
	for (i = 0; i < 50 && !flipped; i++)
		if (poll(&pfd, 1, 100) > 0 && drmHandleEvent(fd, &ev) < 0)
			return die("drmHandleEvent");
	if (!flipped) {
		fprintf(stderr, "guest-drmflip: no flip event in 5 s\n");
		return 1;
	}
	printf("XENGT-SHOT flip %u %u 2\n", mode.hdisplay, mode.vdisplay);
	fflush(stdout);
	sleep((unsigned)hold);
	return 0; /* closing the device gives the console back to fbcon */
}
