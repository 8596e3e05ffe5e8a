/* SPDX-License-Identifier: MIT */
/*
 * client.h - xengtctl's side of the control socket (client.c): connect,
 * send one request line with an optional fd, read one reply line.
 */
#ifndef XENGT_XENGTCTL_CLIENT_H
#define XENGT_XENGTCTL_CLIENT_H

#include <stddef.h>

#define CLIENT_MAX_REPLY (1u << 20)

/* A connected socket, or -1 with a reason in why. */
int client_connect(const char *path, char *why, size_t whylen);
/*
 * Send line (a newline is added) with fd (-1: none) and read the reply
 * line into a malloc'd, NUL-terminated buffer (no newline).  0, or -1
 * with a reason in why.
 */
int client_call(int sock, const char *line, int fd, unsigned timeout_ms,
		char **reply, char *why, size_t whylen);

#endif
