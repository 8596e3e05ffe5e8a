// SPDX-License-Identifier: MIT
/*
 * lib-conn.c - the client end of the xensim protocol: connect, one
 * request/reply at a time per connection (a mutex serialises threads),
 * descriptors passed with SCM_RIGHTS.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "lib-conn.h"

int xsc_open(struct xsc *c, const char *path, const char *who, int cloexec)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	if (!path)
		path = getenv("XENSIM_SOCKET");
	if (!path || !*path) {
		fprintf(stderr,
			"%s: XENSIM_SOCKET is not set: this is xensim's "
			"simulated Xen library (tests/xensim); start xensim "
			"--socket PATH and export XENSIM_SOCKET=PATH, or drop "
			"it from LD_LIBRARY_PATH to use the real Xen\n",
			who);
		return -ENOENT;
	}
	if (strlen(path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | (cloexec ? SOCK_CLOEXEC : 0), 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int e = errno;

		fprintf(stderr, "%s: cannot reach xensim at %s: %s\n", who,
			path, strerror(e));
		close(fd);
		return -e;
	}
	c->fd = fd;
	pthread_mutex_init(&c->lock, NULL);
	return 0;
}

void xsc_close(struct xsc *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	pthread_mutex_destroy(&c->lock);
}

int xsc_sendmsg(int sock, const void *a, size_t alen, const void *b,
		size_t blen, int fd)
{
	struct iovec iov[2] = {
		{ .iov_base = (void *)a, .iov_len = alen },
		{ .iov_base = (void *)b, .iov_len = blen },
	};
	union {
		char b[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} cbuf;
	struct msghdr mh = { .msg_iov = iov, .msg_iovlen = blen ? 2 : 1 };

	if (fd >= 0) {
		struct cmsghdr *cm;

		memset(&cbuf, 0, sizeof(cbuf));
		mh.msg_control = cbuf.b;
		mh.msg_controllen = sizeof(cbuf.b);
		cm = CMSG_FIRSTHDR(&mh);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	}
	while (sendmsg(sock, &mh, MSG_NOSIGNAL) < 0) {
		if (errno != EINTR)
			return -errno;
	}
	return 0;
}

static int recv_reply(int sock, struct xsp_rep *rep, void *rtail,
		      size_t rtmax, size_t *rtlen, int *recv_fd)
{
	struct iovec iov[2] = {
		{ .iov_base = rep, .iov_len = sizeof(*rep) },
		{ .iov_base = rtail, .iov_len = rtail ? rtmax : 0 },
	};
	union {
		char b[CMSG_SPACE(sizeof(int) * 4)];
		struct cmsghdr align;
	} cbuf;
	struct msghdr mh = {
		.msg_iov = iov,
		.msg_iovlen = 2,
		.msg_control = cbuf.b,
		.msg_controllen = sizeof(cbuf.b),
	};
	struct cmsghdr *cm;
	ssize_t n;
	int fd = -1;

	do {
		n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if (n < (ssize_t)sizeof(*rep))
		return -EIO; /* the simulator went away */
	for (cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm)) {
		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
			continue;
		for (size_t i = 0; i < (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		     i++) {
			int f;

			memcpy(&f, CMSG_DATA(cm) + i * sizeof(int), sizeof(f));
			if (fd < 0 && recv_fd)
				fd = f;
			else
				close(f);
		}
	}
	if (recv_fd)
		*recv_fd = fd;
	if (rtlen)
		*rtlen = n - sizeof(*rep);
	return rep->ret;
}

int xsc_call(struct xsc *c, const struct xsp_req *rq, const void *tail,
	     size_t tlen, int send_fd, struct xsp_rep *rep, void *rtail,
	     size_t rtmax, size_t *rtlen, int *recv_fd)
{
	struct xsp_rep local;
	int r;

	if (!rep)
		rep = &local;
	if (recv_fd)
		*recv_fd = -1;
	pthread_mutex_lock(&c->lock);
	r = xsc_sendmsg(c->fd, rq, sizeof(*rq), tail, tlen, send_fd);
	if (r == 0)
		r = recv_reply(c->fd, rep, rtail, rtmax, rtlen, recv_fd);
	pthread_mutex_unlock(&c->lock);
	return r;
}

int xsc_ret(int r)
{
	if (r < 0) {
		errno = -r;
		return -1;
	}
	return r;
}

uint64_t xsc_cookie(void)
{
	static uint64_t next = 1;

	return __atomic_fetch_add(&next, 1, __ATOMIC_RELAXED);
}
