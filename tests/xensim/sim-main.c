// SPDX-License-Identifier: MIT
/*
 * sim-main.c - xensim: the simulated Xen 4.17 hypervisor process.
 *
 * One thread, one epoll loop: a listening SOCK_SEQPACKET socket, one
 * connection per library handle, evtchn event socket or guest vCPU.
 * Everything a connection asks is handled to completion before the next
 * message is read, so a run is deterministic for a given message order.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "sim.h"

struct domain *domains;
uint32_t next_domid = 1;

static int epfd;
static struct vcpu *run_head, **run_tail = &run_head;
static struct vcpu *bursts[64];
static unsigned nr_bursts;

uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static void conn_update_epoll(struct conn *c)
{
	struct epoll_event ev = {
		.events = EPOLLIN | (c->outq ? EPOLLOUT : 0),
		.data.ptr = c,
	};

	epoll_ctl(epfd, EPOLL_CTL_MOD, c->fd, &ev);
}

static int raw_send(int sock, const void *buf, size_t len, int fd)
{
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };
	union {
		char b[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} cbuf;
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };

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
	if (sendmsg(sock, &mh, MSG_DONTWAIT | MSG_NOSIGNAL) < 0)
		return -errno;
	return 0;
}

/* Send or queue one message; an fd passed in is duplicated if queued. */
int conn_send(struct conn *c, const void *buf, size_t len, int fd)
{
	struct outmsg *m;
	int r;

	if (!c || c->closing)
		return -EPIPE;
	if (!c->outq) {
		r = raw_send(c->fd, buf, len, fd);
		if (r != -EAGAIN)
			return r;
	}
	m = malloc(sizeof(*m) + len);
	if (!m)
		return -ENOMEM;
	m->next = NULL;
	m->len = len;
	m->fd = fd >= 0 ? dup(fd) : -1;
	memcpy(m->buf, buf, len);
	*c->outq_tail = m;
	c->outq_tail = &m->next;
	conn_update_epoll(c);
	return 0;
}

static void conn_flush(struct conn *c)
{
	while (c->outq) {
		struct outmsg *m = c->outq;
		int r = raw_send(c->fd, m->buf, m->len, m->fd);

		if (r == -EAGAIN)
			return;
		c->outq = m->next;
		if (!c->outq)
			c->outq_tail = &c->outq;
		if (m->fd >= 0)
			close(m->fd);
		free(m);
	}
	conn_update_epoll(c);
}

int conn_reply(struct conn *c, int ret, const uint64_t *v, unsigned nv,
	       const void *tail, size_t tlen, int fd)
{
	static unsigned char buf[XSP_MAX_MSG];
	struct xsp_rep *rep = (struct xsp_rep *)buf;

	if (tlen > XSP_MAX_MSG - sizeof(*rep))
		tlen = XSP_MAX_MSG - sizeof(*rep);
	memset(rep, 0, sizeof(*rep));
	rep->ret = ret;
	rep->tail_len = tlen;
	for (unsigned i = 0; i < nv && i < 6; i++)
		rep->v[i] = v[i];
	if (tlen)
		memcpy(buf + sizeof(*rep), tail, tlen);
	return conn_send(c, buf, sizeof(*rep) + tlen, fd);
}

static struct conn *conn_new(int fd, enum conn_kind kind)
{
	struct conn *c = calloc(1, sizeof(*c));
	struct epoll_event ev = { .events = EPOLLIN };
	int sz = 1 << 20;

	if (!c)
		return NULL;
	c->fd = fd;
	c->kind = kind;
	c->restrict_domid = -1;
	c->outq_tail = &c->outq;
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	ev.data.ptr = c;
	if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
		free(c);
		return NULL;
	}
	return c;
}

/* Closing releases everything the connection held, like a process exit. */
static void conn_close(struct conn *c)
{
	struct outmsg *m;

	if (!c || c->closing)
		return;
	c->closing = true;
	epoll_ctl(epfd, EPOLL_CTL_DEL, c->fd, NULL);
	while (c->nr_maps)
		mapping_release(c, c->nr_maps - 1);
	free(c->maps);
	if (c->kind == CONN_EV)
		ev_close_all(c);
	if (c->peer) {
		struct conn *p = c->peer;

		c->peer = NULL;
		p->peer = NULL;
		conn_close(p);
	}
	if (c->vcpu) {
		c->vcpu->conn = NULL;
		c->vcpu = NULL;
	}
	while ((m = c->outq)) {
		c->outq = m->next;
		if (m->fd >= 0)
			close(m->fd);
		free(m);
	}
	close(c->fd);
	/* Freed lazily: the event loop may still hold the pointer. */
	c->fd = -1;
}

void vcpu_schedule(struct vcpu *v)
{
	if (v->next_run || run_tail == &v->next_run)
		return;
	v->next_run = NULL;
	*run_tail = v;
	run_tail = &v->next_run;
}

static void run_scheduled(void)
{
	while (run_head) {
		struct vcpu *v = run_head;

		run_head = v->next_run;
		if (!run_head)
			run_tail = &run_head;
		v->next_run = NULL;
		vcpu_run(v);
	}
}

void burst_activate(struct vcpu *v)
{
	if (nr_bursts < sizeof(bursts) / sizeof(bursts[0]))
		bursts[nr_bursts++] = v;
	else
		vcpu_fail(v, -EBUSY);
}

static void run_bursts(void)
{
	for (unsigned i = 0; i < nr_bursts;) {
		if (burst_step(bursts[i])) {
			bursts[i] = bursts[--nr_bursts];
			continue;
		}
		i++;
	}
}

static void read_conn(struct conn *c)
{
	static unsigned char buf[XSP_MAX_MSG + 64];

	for (int budget = 64; budget > 0 && !c->closing; budget--) {
		union {
			char b[CMSG_SPACE(sizeof(int) * 4)];
			struct cmsghdr align;
		} cbuf;
		struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) };
		struct msghdr mh = {
			.msg_iov = &iov,
			.msg_iovlen = 1,
			.msg_control = cbuf.b,
			.msg_controllen = sizeof(cbuf.b),
		};
		struct cmsghdr *cm;
		ssize_t n = recvmsg(c->fd, &mh, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
		int fd = -1;

		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		if (n <= 0) {
			conn_close(c);
			return;
		}
		for (cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm)) {
			if (cm->cmsg_level == SOL_SOCKET &&
			    cm->cmsg_type == SCM_RIGHTS) {
				int nfd = (cm->cmsg_len - CMSG_LEN(0)) /
					  sizeof(int);

				for (int i = 0; i < nfd; i++) {
					int f;

					memcpy(&f, CMSG_DATA(cm) +
						       i * sizeof(int),
					       sizeof(int));
					if (fd < 0)
						fd = f;
					else
						close(f);
				}
			}
		}
		if (c->kind == CONN_EV) {
			if (n >= (ssize_t)sizeof(struct xsp_ev))
				ev_message(c, (struct xsp_ev *)buf);
			if (fd >= 0)
				close(fd);
			continue;
		}
		if (n < (ssize_t)sizeof(struct xsp_req)) {
			if (fd >= 0)
				close(fd);
			conn_reply(c, -EINVAL, NULL, 0, NULL, 0, -1);
			continue;
		}
		if (((struct xsp_req *)buf)->op == XSP_EV_OPEN && fd >= 0) {
			struct conn *ev = conn_new(fd, CONN_EV);

			if (!ev) {
				close(fd);
				conn_reply(c, -ENOMEM, NULL, 0, NULL, 0, -1);
				continue;
			}
			c->kind = CONN_EVRPC;
			c->peer = ev;
			ev->peer = c;
			conn_reply(c, 0, NULL, 0, NULL, 0, -1);
			continue;
		}
		handle_request(c, (struct xsp_req *)buf,
			       buf + sizeof(struct xsp_req),
			       n - sizeof(struct xsp_req), fd);
		if (fd >= 0)
			close(fd);
	}
}

/* Read what a connection has sent so far (from inside a burst). */
void conn_poll(struct conn *c)
{
	if (c && !c->closing)
		read_conn(c);
}

static int listen_on(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "xensim: socket path too long: %s\n", path);
		return -1;
	}
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -1;
	unlink(path);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    listen(fd, 128) < 0) {
		fprintf(stderr, "xensim: cannot listen on %s: %s\n", path,
			strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

static void usage(void)
{
	fprintf(stderr, "usage: xensim --socket PATH\n"
			"A simulated Xen 4.17 hypervisor for device models "
			"(see docs/xensim.md).\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = NULL;
	int lfd, o;

	while ((o = getopt_long(argc, argv, "s:h", opts, NULL)) != -1) {
		switch (o) {
		case 's':
			path = optarg;
			break;
		case 'h':
			usage();
			return 0;
		default:
			usage();
			return 2;
		}
	}
	if (!path) {
		usage();
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	epfd = epoll_create1(EPOLL_CLOEXEC);
	lfd = listen_on(path);
	if (epfd < 0 || lfd < 0)
		return 1;
	{
		struct epoll_event ev = { .events = EPOLLIN, .data.ptr = NULL };

		epoll_ctl(epfd, EPOLL_CTL_ADD, lfd, &ev);
	}
	for (;;) {
		struct epoll_event evs[64];
		int timeout = nr_bursts ? 0 : -1;
		int n;

		vcpu_check_timeouts(now_ns(), &timeout);
		dom_check_relinquish(now_ns(), &timeout);
		run_scheduled();
		n = epoll_wait(epfd, evs, 64, timeout);
		if (n < 0 && errno != EINTR)
			return 1;
		for (int i = 0; i < n; i++) {
			struct conn *c = evs[i].data.ptr;

			if (!c) {
				int cfd = accept4(lfd, NULL, NULL,
						  SOCK_CLOEXEC);

				if (cfd >= 0 && !conn_new(cfd, CONN_LIB))
					close(cfd);
				continue;
			}
			if (c->closing)
				continue;
			if (evs[i].events & EPOLLOUT)
				conn_flush(c);
			if (evs[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR))
				read_conn(c);
			run_scheduled();
		}
		/*
		 * Closed connections are not freed: other objects may still
		 * name them within this round, and they are small.
		 */
		run_scheduled();
		vcpu_check_timeouts(now_ns(), &timeout);
		run_scheduled();
		if (nr_bursts)
			run_bursts();
		run_scheduled();
	}
}
