/* SPDX-License-Identifier: MIT */
/*
 * client.c - one request and its reply over the control socket
 * (docs/control-protocol.md): the request line goes in as few sendmsg
 * calls as the socket takes, the fd with its first byte (SCM_RIGHTS);
 * the reply is read up to its newline, bounded in size and time.
 */
#include "client.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

int client_connect(const char *path, char *why, size_t whylen)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		snprintf(why, whylen, "%s: path too long", path);
		return -1;
	}
	memcpy(sa.sun_path, path, strlen(path));
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		snprintf(why, whylen, "%s: %s%s", path, strerror(errno),
			 errno == ENOENT || errno == ECONNREFUSED
			     ? " (is xengt-dm serving that domain?)"
			     : "");
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

static int send_all(int sock, const char *buf, size_t len, int fd)
{
	union {
		char b[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} cbuf;

	while (len) {
		struct iovec iov = {.iov_base = (void *)buf, .iov_len = len};
		struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};
		ssize_t n;

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
		n = sendmsg(sock, &mh, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		fd = -1; /* it went with the first bytes */
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000ll + ts.tv_nsec / 1000000;
}

int client_call(int sock, const char *line, int fd, unsigned timeout_ms,
		char **reply, char *why, size_t whylen)
{
	long long deadline = now_ms() + timeout_ms;
	size_t len = strlen(line), have = 0, cap = 4096;
	char *req = malloc(len + 1), *buf = malloc(cap), *nl;

	*reply = NULL;
	if (!req || !buf) {
		snprintf(why, whylen, "out of memory");
		goto fail;
	}
	memcpy(req, line, len);
	req[len] = '\n';
	if (send_all(sock, req, len + 1, fd) < 0) {
		snprintf(why, whylen, "sending the request: %s",
			 strerror(errno));
		goto fail;
	}
	for (;;) {
		struct pollfd p = {.fd = sock, .events = POLLIN};
		long long left = deadline - now_ms();
		ssize_t n;

		if (left <= 0) {
			snprintf(why, whylen, "no reply within %u ms",
				 timeout_ms);
			goto fail;
		}
		if (poll(&p, 1, (int)left) < 0 && errno != EINTR) {
			snprintf(why, whylen, "poll: %s", strerror(errno));
			goto fail;
		}
		if (!(p.revents & (POLLIN | POLLHUP | POLLERR)))
			continue;
		if (have + 1 == cap) {
			char *b;

			if (cap >= CLIENT_MAX_REPLY) {
				snprintf(why, whylen, "reply too long");
				goto fail;
			}
			b = realloc(buf, cap * 2);
			if (!b) {
				snprintf(why, whylen, "out of memory");
				goto fail;
			}
			buf = b;
			cap *= 2;
		}
		n = read(sock, buf + have, cap - 1 - have);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			snprintf(why, whylen,
				 "the daemon closed the "
				 "connection without a reply");
			goto fail;
		}
		have += (size_t)n;
		buf[have] = '\0';
		nl = memchr(buf, '\n', have);
		if (nl) {
			*nl = '\0';
			*reply = buf;
			free(req);
			return 0;
		}
	}
fail:
	free(req);
	free(buf);
	return -1;
}
