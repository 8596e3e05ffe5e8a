/* SPDX-License-Identifier: MIT */
/*
 * control.h - the daemon's control socket (src/control/): one listening
 * UNIX stream socket, served on the daemon's event loop, speaking the
 * line-delimited JSON protocol of docs/control-protocol.md (info,
 * screenshot, monitor).
 *
 * The control layer sits on top: the daemon's glue (main.c) opens it and
 * hands it what it may look at; nothing below calls into it.
 */
#ifndef XENGT_CONTROL_CONTROL_H
#define XENGT_CONTROL_CONTROL_H

#include <stdint.h>

struct loop;
struct vgpu;

#define CONTROL_DIR "/run/xengt"

/* The daemon's counters, as info reports them. */
struct control_counters {
	uint64_t answered;   /* synchronous ioreqs answered */
	uint64_t buffered;   /* buffered ioreqs drained */
	uint64_t malformed;  /* refused as malformed */
	uint64_t unclaimed;  /* no region claimed the access */
	uint64_t mem_faults; /* data_is_ptr memory not guest RAM */
	uint64_t msis;	     /* MSIs injected */
};

/* The VNC server's state, as info reports it. */
struct control_vnc {
	char listen[128]; /* where it listens; "" when VNC is off */
	unsigned clients;
	uint64_t frames, bytes, refused, auth_failed;
};

struct control_target {
	struct vgpu *vgpu;
	uint32_t domid;
	void (*counters)(void *opaque, struct control_counters *out);
	void (*vnc)(void *opaque, struct control_vnc *out); /* may be NULL */
	void *opaque;
};

struct control;

/*
 * Listen at path (its directory is created 0700 if absent; a stale
 * socket nobody answers on is replaced; the socket is 0600) and serve on
 * l.  0, or a negative errno with a one-line reason in why.
 */
int control_open(struct loop *l, const char *path,
		 const struct control_target *t, struct control **out,
		 char *why, size_t whylen);
/*
 * Stop serving: wait for screenshots being written, drop the clients,
 * remove the socket (if it is still ours).  NULL is fine.
 */
void control_close(struct control *c);

#endif
