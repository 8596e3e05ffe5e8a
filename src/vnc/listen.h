/* SPDX-License-Identifier: MIT */
/*
 * listen.h - where the VNC server listens (listen.c): the --vnc address.
 *
 *   unix:PATH      a UNIX stream socket at PATH, mode 0600 (a stale
 *                  socket nobody answers on is replaced)
 *   HOST:DISPLAY   TCP port 5900 + DISPLAY (0..99), as VNC viewers count
 *   HOST::PORT     TCP port PORT (0: any free port; the one taken is in
 *                  the description)
 *   DISPLAY        the same as localhost:DISPLAY
 *
 * HOST is a name, an IPv4 address or an [IPv6] address in brackets; an
 * empty HOST is localhost.  Listening on every address takes saying so:
 * 0.0.0.0 or [::].
 */
#ifndef XENGT_VNC_LISTEN_H
#define XENGT_VNC_LISTEN_H

#include <stddef.h>

#include "util/unixsock.h"

struct vnc_listener {
	int fd;		/* nonblocking, close-on-exec; -1 when closed */
	int port;	/* the TCP port; 0 for a UNIX socket */
	char desc[128]; /* "127.0.0.1:5901", "unix:/run/xengt/3.vnc" */
	char path[108]; /* the UNIX socket's path, or "" */
	struct unixsock_id id;
};

/* Listen on spec: 0, or a negative errno with a one-line reason in why. */
int vnc_listen(const char *spec, struct vnc_listener *l, char *why,
	       size_t whylen);
/* Close it (removing a UNIX socket that is still ours). */
void vnc_unlisten(struct vnc_listener *l);

#endif
