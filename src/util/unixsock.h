/* SPDX-License-Identifier: MIT */
/*
 * unixsock.h - a daemon's listening UNIX stream socket (unixsock.c): the
 * control socket's and the VNC server's.
 */
#ifndef XENGT_UTIL_UNIXSOCK_H
#define XENGT_UTIL_UNIXSOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The inode a listener made, to remove it only while it is still ours. */
struct unixsock_id {
	uint64_t dev, ino;
};

/*
 * Listen at path, nonblocking and close-on-exec, with the socket's mode
 * 0600.  Its directory is created (0700) if absent; a stale socket nobody
 * answers on is replaced; a live one, or anything that is not a socket,
 * is left alone.  The fd, or a negative errno with a one-line reason.
 */
int unixsock_listen(const char *path, int backlog, struct unixsock_id *id,
		    char *why, size_t whylen);

/* Remove path if it is still the socket id names. */
void unixsock_unlink(const char *path, const struct unixsock_id *id);

#endif
