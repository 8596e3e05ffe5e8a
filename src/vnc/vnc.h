/* SPDX-License-Identifier: MIT */
/*
 * vnc.h - the guest's screen over VNC (src/vnc/), off by default.
 *
 * Two halves, one per thread:
 *
 *   server.c  the VNC thread: the listener, libvncserver's clients, the
 *             framebuffer and its damage (damage.c), the cursor as a
 *             cursor.  It never touches the device.
 *   feed.c    the loop thread: while a client is connected, at the
 *             guest's refresh rate, one capture of the scanout (the
 *             device is the loop's) handed to the VNC thread.
 *
 * The VNC layer sits on top of the device, like the control socket: the
 * daemon's glue (main.c) opens it; nothing below calls into it.  Viewing
 * only: keys and pointer events from clients are dropped (the guest's
 * keyboard and mouse are qemu-xen's devices).
 */
#ifndef XENGT_VNC_VNC_H
#define XENGT_VNC_VNC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct loop;
struct vgpu;
struct vgpu_picture;
struct vgpu_cursor_image;

#define VNC_MAX_CLIENTS 8
#define VNC_PASSWORD_MAX 8 /* VNC authentication uses the first 8 bytes */

struct vnc_options {
	const char *listen;	   /* listen.h's syntax */
	const char *password_file; /* NULL: no password */
	const char *name;	   /* the desktop's name */
};

struct vnc_stats {
	unsigned clients; /* connected now */
	uint64_t frames;  /* pictures the VNC thread took in */
	uint64_t tiles;	  /* tiles that changed in them */
	uint64_t scrolls; /* of them, sent as a CopyRect and what was new */
	uint64_t bytes;	  /* sent to clients, all of them, ever */
	uint64_t refused; /* connections turned away: too many, bad fd */
	uint64_t auth_failed;
};

struct vnc_server;

/*
 * Listen and start the VNC thread: 0, or a negative errno with a
 * one-line reason in why (a bad address, a password file that cannot be
 * read or is empty).
 */
int vnc_server_open(const struct vnc_options *o, struct vnc_server **out,
		    char *why, size_t whylen);
/* Stop the thread, drop the clients, close the listener.  NULL is fine. */
void vnc_server_close(struct vnc_server *s);

const char *vnc_server_address(const struct vnc_server *s);
int vnc_server_port(const struct vnc_server *s); /* 0: a UNIX socket */
void vnc_server_stats(const struct vnc_server *s, struct vnc_stats *out);

/* ---- for the feeding thread ---- */

/* Readable (an eventfd: read 8 bytes) when the number of clients changed. */
int vnc_server_notify_fd(const struct vnc_server *s);
unsigned vnc_server_clients(const struct vnc_server *s);
/* A client is connected and the last picture handed over was taken. */
bool vnc_server_wants_frame(const struct vnc_server *s);
/*
 * Hand over a picture and its cursor (both taken, either may be NULL:
 * no picture is a black screen of the last size, no cursor none).  A
 * picture not yet taken is replaced.
 */
void vnc_server_put_frame(struct vnc_server *s, struct vgpu_picture *pic,
			  struct vgpu_cursor_image *cur);

/* ---- feed.c: the loop side ---- */

struct vnc_feed;

/* Feed s from v on l: 0 or a negative errno. */
int vnc_feed_open(struct loop *l, struct vgpu *v, struct vnc_server *s,
		  struct vnc_feed **out);
void vnc_feed_close(struct vnc_feed *f);

#endif
