/* SPDX-License-Identifier: MIT */
/*
 * listen.c - where the VNC server listens (listen.h).
 */
#include "vnc/listen.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "util/unixsock.h"

#define VNC_BASE_PORT 5900
#define VNC_MAX_DISPLAY 99

/* A decimal number in [0, max] that is all of s. */
static int number(const char *s, long max, long *out)
{
	char *end;

	if (!*s || *s == '-' || *s == '+' || *s == ' ')
		return -EINVAL;
	errno = 0;
	*out = strtol(s, &end, 10);
	if (errno || *end || *out < 0 || *out > max)
		return -EINVAL;
	return 0;
}

/*
 * Split "HOST:DISPLAY", "HOST::PORT", "[V6]:DISPLAY", "DISPLAY" into a
 * host (localhost when empty) and a port.
 */
static int parse_tcp(const char *spec, char *host, size_t hostlen, long *port,
		     char *why, size_t whylen)
{
	const char *h = spec, *tail; /* tail: what follows the host's ':' */
	size_t hl;
	long n;

	if (*spec == '[') {
		const char *close = strchr(spec, ']');

		if (!close || close[1] != ':')
			goto bad;
		h = spec + 1;
		hl = (size_t)(close - h);
		tail = close + 2;
	} else {
		const char *colon = strchr(spec, ':');

		hl = colon ? (size_t)(colon - spec) : 0;
		tail = colon ? colon + 1 : spec; /* a display alone */
	}
	if (hl >= hostlen)
		goto bad;
	memcpy(host, h, hl);
	host[hl] = 0;
	if (!*host)
		snprintf(host, hostlen, "localhost");
	if (*tail == ':') {
		if (number(tail + 1, 65535, &n) < 0)
			goto bad;
		*port = n;
	} else {
		if (number(tail, VNC_MAX_DISPLAY, &n) < 0)
			goto bad;
		*port = VNC_BASE_PORT + n;
	}
	return 0;
bad:
	snprintf(why, whylen,
		 "\"%.80s\": not HOST:DISPLAY (0..%d), HOST::PORT or unix:PATH",
		 spec, VNC_MAX_DISPLAY);
	return -EINVAL;
}

static int listen_tcp(const char *spec, struct vnc_listener *l, char *why,
		      size_t whylen)
{
	struct addrinfo hints = {.ai_socktype = SOCK_STREAM,
				 .ai_flags = AI_NUMERICSERV | AI_ADDRCONFIG};
	struct addrinfo *res, *ai;
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	char host[256], service[8], addr[INET6_ADDRSTRLEN];
	long p;
	int fd = -1, rc, err = 0, one = 1;

	rc = parse_tcp(spec, host, sizeof(host), &p, why, whylen);
	if (rc < 0)
		return rc;
	snprintf(service, sizeof(service), "%ld", p);
	rc = getaddrinfo(host, service, &hints, &res);
	if (rc) {
		snprintf(why, whylen, "%s: %s", host, gai_strerror(rc));
		return -EADDRNOTAVAIL;
	}
	for (ai = res; ai; ai = ai->ai_next) {
		fd = socket(ai->ai_family,
			    SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (fd < 0) {
			err = errno;
			continue;
		}
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 &&
		    listen(fd, 8) == 0)
			break;
		err = errno;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd < 0) {
		snprintf(why, whylen, "%s port %ld: %s", host, p,
			 strerror(err ? err : EADDRNOTAVAIL));
		return -(err ? err : EADDRNOTAVAIL);
	}
	if (getsockname(fd, (struct sockaddr *)&ss, &sl) < 0 ||
	    getnameinfo((struct sockaddr *)&ss, sl, addr, sizeof(addr), service,
			sizeof(service), NI_NUMERICHOST | NI_NUMERICSERV)) {
		rc = -errno;
		snprintf(why, whylen, "getsockname: %s", strerror(errno));
		close(fd);
		return rc ? rc : -EIO;
	}
	l->fd = fd;
	l->port = atoi(service);
	snprintf(l->desc, sizeof(l->desc),
		 ss.ss_family == AF_INET6 ? "[%s]:%s" : "%s:%s", addr, service);
	return 0;
}

int vnc_listen(const char *spec, struct vnc_listener *l, char *why,
	       size_t whylen)
{
	memset(l, 0, sizeof(*l));
	l->fd = -1;
	if (strncmp(spec, "unix:", 5) == 0) {
		int fd = unixsock_listen(spec + 5, 8, &l->id, why, whylen);

		if (fd < 0)
			return fd;
		l->fd = fd;
		snprintf(l->path, sizeof(l->path), "%s", spec + 5);
		snprintf(l->desc, sizeof(l->desc), "unix:%s", l->path);
		return 0;
	}
	return listen_tcp(spec, l, why, whylen);
}

void vnc_unlisten(struct vnc_listener *l)
{
	if (l->fd < 0)
		return;
	close(l->fd);
	l->fd = -1;
	if (*l->path)
		unixsock_unlink(l->path, &l->id);
}
