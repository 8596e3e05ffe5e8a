/* SPDX-License-Identifier: MIT */
/*
 * server.c - the control socket's listener and clients.
 *
 * All of it sits behind one epoll instance of its own, registered in the
 * daemon's loop as a single fd, so 64 clients cost the loop one slot and
 * never more than one short, nonblocking batch of work per wakeup:
 *
 *   listener  accept4 nonblocking; the 65th client gets "busy" and is
 *             closed
 *   client    recvmsg into a 64 KiB line buffer, SCM_RIGHTS fds kept
 *             with the stream offset they arrived at (a line owns the fds
 *             that came with its bytes); complete lines are handled one
 *             at a time; a line that does not fit gets "bad-request" and
 *             the client is closed
 *   replies   written at once (MSG_NOSIGNAL); what the socket does not
 *             take waits for EPOLLOUT, and while it waits no new request
 *             is read; a client with CTL_MAX_OUT unread is dropped
 *   done      the eventfd screenshot workers signal (shot.c)
 *
 * A client that hangs up, errors or stops mid-request is dropped quietly;
 * a screenshot still being written for it finishes without a reply.  One
 * that only shuts down its sending side gets the replies to the requests
 * it completed, then is closed.  A client's requests are handled at most
 * CTL_LINES_PER_WAKEUP at a time, so a flood waits for the next batch.
 */
#include "control/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ioreq/loop.h"
#include "util/log.h"
#include "util/unixsock.h"

#define BATCH 16
#define KIND_CLIENT 1

/* ---- replies ------------------------------------------------------------ */

static void drop(struct ctl_client *cl);

json_object *ctl_ok(void)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "v", json_object_new_int(CTL_PROTO_VERSION));
	json_object_object_add(o, "ok", json_object_new_boolean(1));
	return o;
}

static int append(struct ctl_client *cl, const char *s, size_t n)
{
	char *p;

	if (cl->out_off == cl->out_len)
		cl->out_off = cl->out_len = 0;
	if (cl->out_len + n > CTL_MAX_OUT)
		return -ENOBUFS;
	p = realloc(cl->out, cl->out_len + n);
	if (!p)
		return -ENOMEM;
	memcpy(p + cl->out_len, s, n);
	cl->out = p;
	cl->out_len += n;
	return 0;
}

/* Write what is queued: 0, or -1 when the client is to be dropped. */
static int flush(struct ctl_client *cl)
{
	while (cl->out_off < cl->out_len) {
		ssize_t n = send(cl->sock, cl->out + cl->out_off,
				 cl->out_len - cl->out_off,
				 MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		if (n <= 0)
			return -1; /* gone: EPIPE, ECONNRESET */
		cl->out_off += (size_t)n;
	}
	return 0;
}

void ctl_reply(struct ctl_client *cl, json_object *reply)
{
	size_t n;
	const char *s = json_object_to_json_string_length(
	    reply, JSON_C_TO_STRING_PLAIN, &n);

	if (append(cl, s, n) < 0 || append(cl, "\n", 1) < 0) {
		log_guest(LOG_WARN, "control: a client does not read its "
				    "replies; dropped");
		cl->closing = true;
		cl->out_len = cl->out_off = 0;
	}
	json_object_put(reply);
}

void ctl_error(struct ctl_client *cl, const char *code, const char *fmt, ...)
{
	json_object *o = json_object_new_object(),
		    *e = json_object_new_object();
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	json_object_object_add(o, "v", json_object_new_int(CTL_PROTO_VERSION));
	json_object_object_add(o, "ok", json_object_new_boolean(0));
	json_object_object_add(e, "code", json_object_new_string(code));
	json_object_object_add(e, "message", json_object_new_string(msg));
	json_object_object_add(o, "error", e);
	cl->c->refused++;
	ctl_reply(cl, o);
}

/* ---- one client --------------------------------------------------------- */

static void close_fds(struct ctl_client *cl)
{
	for (unsigned i = 0; i < cl->nfds; i++)
		close(cl->fds[i].fd);
	cl->nfds = 0;
}

static void drop(struct ctl_client *cl)
{
	struct control *c = cl->c;
	unsigned i;

	if (cl->shot)
		cl->shot->client = NULL; /* it finishes without a reply */
	epoll_ctl(c->epfd, EPOLL_CTL_DEL, cl->sock, NULL);
	close(cl->sock);
	close_fds(cl);
	for (i = 0; i < c->nclients; i++)
		if (c->clients[i] == cl) {
			c->clients[i] = c->clients[--c->nclients];
			break;
		}
	free(cl->out);
	free(cl);
}

/* The fd that came with the line ending at stream offset end, or -1; the
 * line's other fds are closed. */
static int take_fd(struct ctl_client *cl, uint64_t end)
{
	int fd = -1;
	unsigned i, k = 0;

	for (i = 0; i < cl->nfds; i++) {
		if (cl->fds[i].pos > end)
			cl->fds[k++] = cl->fds[i];
		else if (fd < 0)
			fd = cl->fds[i].fd;
		else
			close(cl->fds[i].fd);
	}
	cl->nfds = k;
	return fd;
}

static bool have_line(const struct ctl_client *cl)
{
	return memchr(cl->in, '\n', cl->in_len) != NULL;
}

/* Handle the complete lines buffered, while nothing holds the client. */
static void handle_lines(struct ctl_client *cl)
{
	unsigned budget = CTL_LINES_PER_WAKEUP;
	char *nl;

	while (budget-- && !cl->shot && !cl->closing &&
	       cl->out_off == cl->out_len &&
	       (nl = memchr(cl->in, '\n', cl->in_len))) {
		size_t len = (size_t)(nl - cl->in);
		int fd = take_fd(cl, cl->in_pos + len);

		*nl = '\0';
		cl->c->requests++;
		ctl_command(cl, cl->in, len, fd);
		memmove(cl->in, nl + 1, cl->in_len - len - 1);
		cl->in_len -= len + 1;
		cl->in_pos += len + 1;
		if (flush(cl) < 0) {
			cl->closing = true;
			cl->out_len = cl->out_off = 0;
		}
	}
}

static void keep_fds(struct ctl_client *cl, struct msghdr *mh, uint64_t pos)
{
	struct cmsghdr *cm;

	for (cm = CMSG_FIRSTHDR(mh); cm; cm = CMSG_NXTHDR(mh, cm)) {
		size_t n, i;
		int fd;

		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
			continue;
		n = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (i = 0; i < n; i++) {
			memcpy(&fd, CMSG_DATA(cm) + i * sizeof(int),
			       sizeof(int));
			if (cl->nfds < CTL_MAX_FDS)
				cl->fds[cl->nfds++] =
				    (struct ctl_fd){.fd = fd, .pos = pos};
			else
				close(fd);
		}
	}
}

/*
 * The stream offset fds received with the last n bytes belong to.  The
 * kernel ends a read with the message that carried fds and may glue
 * earlier fd-less messages before it, so they came with the last request
 * line that starts in those bytes (or the one they continue).
 */
static uint64_t fd_pos(const struct ctl_client *cl, size_t n)
{
	const char *chunk = cl->in + cl->in_len;
	size_t i;

	for (i = n - 1; i-- > 0;)
		if (chunk[i] == '\n')
			return cl->in_pos + cl->in_len + i + 1;
	return cl->in_pos + cl->in_len;
}

/* One recvmsg: 0, or -1 when the client is gone. */
static int receive(struct ctl_client *cl)
{
	union {
		char buf[CMSG_SPACE(sizeof(int) * CTL_MAX_FDS)];
		struct cmsghdr align;
	} cbuf;
	struct iovec iov = {
	    .iov_base = cl->in + cl->in_len,
	    .iov_len = sizeof(cl->in) - cl->in_len,
	};
	struct msghdr mh = {
	    .msg_iov = &iov,
	    .msg_iovlen = 1,
	    .msg_control = cbuf.buf,
	    .msg_controllen = sizeof(cbuf.buf),
	};
	ssize_t n;

	if (iov.iov_len == 0)
		return 0; /* a full buffer with a line: handled first */
	n = recvmsg(cl->sock, &mh, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
	if (n < 0 &&
	    (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
		return 0;
	if (n == 0) {
		cl->eof = true; /* what is buffered is still answered */
		return 0;
	}
	if (n < 0)
		return -1;
	keep_fds(cl, &mh, fd_pos(cl, (size_t)n));
	if (mh.msg_flags & MSG_CTRUNC)
		log_guest(LOG_WARN,
			  "control: a client passed more than %u fds; the "
			  "rest were closed",
			  CTL_MAX_FDS);
	cl->in_len += (size_t)n;
	if (!have_line(cl) && cl->in_len > CTL_MAX_LINE) {
		ctl_error(cl, "bad-request",
			  "line longer than %u bytes; closing", CTL_MAX_LINE);
		cl->closing = true;
		cl->in_len = 0;
	}
	return 0;
}

/* Watch what the client's state calls for. */
static void rewatch(struct ctl_client *cl)
{
	uint32_t want = 0;
	struct epoll_event ev = {.data.ptr = cl};

	if (cl->out_off < cl->out_len)
		want = EPOLLOUT;
	else if (!cl->shot && !cl->closing)
		want = have_line(cl) ? EPOLLOUT : EPOLLIN;
	if (cl->eof)
		want &= ~(uint32_t)EPOLLIN; /* it would stay readable */
	else
		want |= EPOLLRDHUP;
	if (want == cl->events)
		return;
	ev.events = want;
	if (epoll_ctl(cl->c->epfd, EPOLL_CTL_MOD, cl->sock, &ev) == 0)
		cl->events = want;
}

/* After anything happened to the client: write, handle, close or watch. */
static void settle(struct ctl_client *cl)
{
	if (flush(cl) < 0) {
		drop(cl);
		return;
	}
	handle_lines(cl);
	if (cl->eof && !cl->shot && !have_line(cl))
		cl->closing = true; /* answered everything it sent */
	if (cl->closing && cl->out_off == cl->out_len) {
		drop(cl);
		return;
	}
	rewatch(cl);
}

static void client_event(struct ctl_client *cl, uint32_t events)
{
	if (events & (EPOLLERR | EPOLLHUP)) {
		drop(cl); /* gone, or gone mid-request: no reply is due */
		return;
	}
	/* EPOLLRDHUP alone: it shut down its side; read to the end */
	while ((events & (EPOLLIN | EPOLLRDHUP)) && !cl->eof && !cl->closing &&
	       cl->in_len < sizeof(cl->in)) {
		size_t before = cl->in_len;

		if (receive(cl) < 0) {
			drop(cl);
			return;
		}
		if (!(events & EPOLLRDHUP) || cl->in_len == before)
			break;
	}
	settle(cl);
}

void ctl_client_resume(struct ctl_client *cl)
{
	settle(cl);
}

/* ---- the listener -------------------------------------------------------- */

static void accept_one(struct control *c)
{
	struct epoll_event ev = {.events = EPOLLIN | EPOLLRDHUP};
	struct ctl_client *cl;
	int fd;

	fd = accept4(c->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0)
		return;
	if (c->nclients == CTL_MAX_CLIENTS) {
		char msg[160];
		int n = snprintf(msg, sizeof(msg),
				 "{\"v\":%d,\"ok\":false,\"error\":{\"code\":"
				 "\"busy\",\"message\":\"%u clients are "
				 "connected already\"}}\n",
				 CTL_PROTO_VERSION, CTL_MAX_CLIENTS);

		c->refused++;
		if (send(fd, msg, (size_t)n, MSG_NOSIGNAL | MSG_DONTWAIT) < 0)
			log_debug("control: busy reply not sent: %s",
				  strerror(errno));
		close(fd);
		return;
	}
	cl = calloc(1, sizeof(*cl));
	if (!cl) {
		close(fd);
		return;
	}
	cl->kind = KIND_CLIENT;
	cl->c = c;
	cl->sock = fd;
	cl->events = ev.events;
	ev.data.ptr = cl;
	if (epoll_ctl(c->epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
		close(fd);
		free(cl);
		return;
	}
	c->clients[c->nclients++] = cl;
}

static void on_events(void *opaque, uint32_t events)
{
	struct control *c = opaque;
	struct epoll_event ev[BATCH];
	int n, i;

	(void)events;
	n = epoll_wait(c->epfd, ev, BATCH, 0);
	for (i = 0; i < n; i++) {
		int *kind = ev[i].data.ptr;

		if (kind == &c->kind_listen) {
			accept_one(c);
		} else if (kind == &c->kind_done) {
			uint64_t x;

			if (read(c->done_fd, &x, sizeof(x)) < 0)
				log_debug("control: eventfd: %s",
					  strerror(errno));
			shot_reap(c);
		} else {
			/* a client dropped earlier in this batch is not
			 * here: look it up before touching it */
			for (unsigned k = 0; k < c->nclients; k++)
				if ((void *)c->clients[k] == (void *)kind) {
					client_event(c->clients[k],
						     ev[i].events);
					break;
				}
		}
	}
}

/* ---- open and close -------------------------------------------------------
 */

static int listen_at(struct control *c, const char *path, char *why,
		     size_t whylen)
{
	int fd = unixsock_listen(path, 16, &c->sock_id, why, whylen);

	if (fd < 0)
		return fd;
	c->listen_fd = fd;
	snprintf(c->path, sizeof(c->path), "%s", path);
	return 0;
}

static int watch(struct control *c, int fd, int *kind)
{
	struct epoll_event ev = {.events = EPOLLIN, .data.ptr = kind};

	return epoll_ctl(c->epfd, EPOLL_CTL_ADD, fd, &ev) < 0 ? -errno : 0;
}

int control_open(struct loop *l, const char *path,
		 const struct control_target *t, struct control **out,
		 char *why, size_t whylen)
{
	struct control *c = calloc(1, sizeof(*c));
	int rc;

	*out = NULL;
	if (!c) {
		snprintf(why, whylen, "out of memory");
		return -ENOMEM;
	}
	c->loop = l;
	c->t = *t;
	c->listen_fd = c->done_fd = -1;
	c->epfd = epoll_create1(EPOLL_CLOEXEC);
	c->done_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (c->epfd < 0 || c->done_fd < 0) {
		rc = -errno;
		snprintf(why, whylen, "epoll/eventfd: %s", strerror(errno));
		goto fail;
	}
	rc = listen_at(c, path, why, whylen);
	if (rc < 0)
		goto fail;
	rc = watch(c, c->listen_fd, &c->kind_listen);
	if (rc == 0)
		rc = watch(c, c->done_fd, &c->kind_done);
	if (rc == 0)
		rc = loop_add_fd(l, c->epfd, EPOLLIN, on_events, c);
	if (rc < 0) {
		snprintf(why, whylen, "event loop: %s", strerror(-rc));
		goto fail;
	}
	*out = c;
	return 0;
fail:
	control_close(c);
	return rc;
}

void control_close(struct control *c)
{
	if (!c)
		return;
	shot_join_all(c);
	while (c->nclients)
		drop(c->clients[0]);
	if (c->epfd >= 0)
		loop_del_fd(c->loop, c->epfd);
	if (c->listen_fd >= 0) {
		close(c->listen_fd);
		unixsock_unlink(c->path, &c->sock_id);
	}
	if (c->done_fd >= 0)
		close(c->done_fd);
	if (c->epfd >= 0)
		close(c->epfd);
	free(c);
}
