/* SPDX-License-Identifier: MIT */
/*
 * shot.c - screenshots written off the loop: the loop thread captures
 * (commands.c), a worker thread PNG-encodes the picture it was handed and
 * writes it to the client's file, then signals the control eventfd; the
 * loop thread joins it and replies.
 *
 * At most CTL_MAX_SHOTS workers run at once (the next request gets busy),
 * each owning its picture and fd; nothing else is shared but `done`.
 */
#include "control/internal.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/log.h"
#include "util/png.h"

static void *shot_work(void *opaque)
{
	struct ctl_shot *s = opaque;
	uint64_t one = 1;

	s->rc = pngfile_write_fd(s->fd, s->pic.rgb, s->pic.width, s->pic.height,
				 s->pic.stride, s->why, sizeof(s->why));
	atomic_store(&s->done, true);
	if (write(s->c->done_fd, &one, sizeof(one)) < 0)
		log_debug("control: eventfd write: %s", strerror(errno));
	return NULL;
}

int shot_start(struct ctl_client *cl, struct vgpu_picture *pic, int fd)
{
	struct control *c = cl->c;
	struct ctl_shot *s;
	unsigned i;

	for (i = 0; i < CTL_MAX_SHOTS; i++)
		if (!c->shots[i])
			break;
	if (i == CTL_MAX_SHOTS)
		return -EBUSY;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -EBUSY;
	s->c = c;
	s->client = cl;
	s->pic = *pic;
	s->fd = fd;
	atomic_init(&s->done, false);
	if (pthread_create(&s->thread, NULL, shot_work, s) != 0) {
		free(s);
		return -EBUSY;
	}
	c->shots[i] = s;
	cl->shot = s;
	return 0;
}

static void finish(struct control *c, unsigned i)
{
	struct ctl_shot *s = c->shots[i];
	struct ctl_client *cl = s->client;

	pthread_join(s->thread, NULL);
	close(s->fd);
	c->shots[i] = NULL;
	if (cl) {
		cl->shot = NULL;
		if (s->rc < 0) {
			ctl_error(cl, "io", "writing the PNG: %s", s->why);
		} else {
			json_object *o = ctl_ok();

			json_object_object_add(
			    o, "width", json_object_new_int64(s->pic.width));
			json_object_object_add(
			    o, "height", json_object_new_int64(s->pic.height));
			json_object_object_add(
			    o, "pipe", json_object_new_int((int)s->pic.pipe));
			json_object_object_add(
			    o, "blank", json_object_new_boolean(s->pic.blank));
			if (s->pic.blank)
				json_object_object_add(
				    o, "reason",
				    json_object_new_string(s->pic.why));
			ctl_reply(cl, o);
		}
	}
	vgpu_picture_free(&s->pic);
	free(s);
	if (cl)
		ctl_client_resume(cl); /* may drop cl: last */
}

void shot_reap(struct control *c)
{
	for (unsigned i = 0; i < CTL_MAX_SHOTS; i++)
		if (c->shots[i] && atomic_load(&c->shots[i]->done))
			finish(c, i);
}

void shot_join_all(struct control *c)
{
	for (unsigned i = 0; i < CTL_MAX_SHOTS; i++)
		if (c->shots[i]) {
			if (c->shots[i]->client)
				c->shots[i]->client->shot = NULL;
			c->shots[i]->client = NULL;
			finish(c, i);
		}
}
