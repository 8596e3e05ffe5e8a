/* SPDX-License-Identifier: MIT */
/*
 * loop.c - epoll with a small registration table, signals and timers.
 */
#include "ioreq/loop.h"

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "util/log.h"

#define LOOP_MAX_FDS 64
#define LOOP_MAX_DEFER 8
#define LOOP_BATCH 16

struct loop_entry {
	int fd; /* -1: free */
	loop_fd_fn *fn;
	void *opaque;
	bool owned; /* closed by the loop (signalfd, timerfd) */
	/* what the owned signalfd or timerfd calls, with its context */
	loop_signal_fn *sig_fn;
	loop_timer_fn *timer_fn;
	void *user;
};

struct loop_work {
	loop_work_fn *fn;
	void *opaque;
};

struct loop {
	int epfd;
	bool running;
	int code;
	struct loop_entry e[LOOP_MAX_FDS];
	struct loop_work defer[LOOP_MAX_DEFER];
	unsigned nr_defer;
	sigset_t blocked;
	bool have_signals;
};

int loop_create(struct loop **out)
{
	struct loop *l = calloc(1, sizeof(*l));
	unsigned i;

	if (!l)
		return -ENOMEM;
	l->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (l->epfd < 0) {
		int err = errno;

		free(l);
		return -err;
	}
	for (i = 0; i < LOOP_MAX_FDS; i++)
		l->e[i].fd = -1;
	sigemptyset(&l->blocked);
	*out = l;
	return 0;
}

void loop_destroy(struct loop *l)
{
	unsigned i;

	if (!l)
		return;
	for (i = 0; i < LOOP_MAX_FDS; i++)
		if (l->e[i].fd >= 0 && l->e[i].owned)
			close(l->e[i].fd);
	close(l->epfd);
	if (l->have_signals)
		sigprocmask(SIG_UNBLOCK, &l->blocked, NULL);
	free(l);
}

static struct loop_entry *add(struct loop *l, int fd, uint32_t events,
			      loop_fd_fn *fn, void *opaque, int *rc)
{
	struct epoll_event ev = {.events = events};
	unsigned i;

	for (i = 0; i < LOOP_MAX_FDS; i++)
		if (l->e[i].fd < 0)
			break;
	if (i == LOOP_MAX_FDS) {
		*rc = -ENOSPC;
		return NULL;
	}
	ev.data.ptr = &l->e[i];
	if (epoll_ctl(l->epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
		*rc = -errno;
		return NULL;
	}
	memset(&l->e[i], 0, sizeof(l->e[i]));
	l->e[i].fd = fd;
	l->e[i].fn = fn;
	l->e[i].opaque = opaque;
	*rc = 0;
	return &l->e[i];
}

int loop_add_fd(struct loop *l, int fd, uint32_t events, loop_fd_fn *fn,
		void *opaque)
{
	int rc;

	add(l, fd, events, fn, opaque, &rc);
	return rc;
}

int loop_del_fd(struct loop *l, int fd)
{
	unsigned i;

	for (i = 0; i < LOOP_MAX_FDS; i++) {
		if (l->e[i].fd != fd)
			continue;
		epoll_ctl(l->epfd, EPOLL_CTL_DEL, fd, NULL);
		if (l->e[i].owned)
			close(fd);
		l->e[i].fd = -1; /* a pending event for it is skipped */
		return 0;
	}
	return -ENOENT;
}

void loop_defer(struct loop *l, loop_work_fn *fn, void *opaque)
{
	unsigned i;

	for (i = 0; i < l->nr_defer; i++)
		if (l->defer[i].fn == fn && l->defer[i].opaque == opaque)
			return;
	if (l->nr_defer < LOOP_MAX_DEFER) {
		l->defer[l->nr_defer].fn = fn;
		l->defer[l->nr_defer].opaque = opaque;
		l->nr_defer++;
	}
}

static void on_signalfd(void *opaque, uint32_t events)
{
	struct loop_entry *en = opaque;
	struct signalfd_siginfo si;

	while (read(en->fd, &si, sizeof(si)) == (ssize_t)sizeof(si))
		en->sig_fn(en->user, (int)si.ssi_signo);
}

/* Register an fd the loop owns; its callback gets the entry itself. */
static struct loop_entry *add_owned(struct loop *l, int fd, loop_fd_fn *fn,
				    void *user, int *rc)
{
	struct loop_entry *en = add(l, fd, EPOLLIN, fn, NULL, rc);

	if (!en) {
		close(fd);
		return NULL;
	}
	en->opaque = en;
	en->owned = true;
	en->user = user;
	return en;
}

int loop_add_signals(struct loop *l, const int *sigs, unsigned n,
		     loop_signal_fn *fn, void *opaque)
{
	struct loop_entry *en;
	sigset_t set;
	unsigned i;
	int fd, rc;

	sigemptyset(&set);
	for (i = 0; i < n; i++)
		sigaddset(&set, sigs[i]);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		return -errno;
	for (i = 0; i < n; i++)
		sigaddset(&l->blocked, sigs[i]);
	l->have_signals = true;
	fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	en = add_owned(l, fd, on_signalfd, opaque, &rc);
	if (!en)
		return rc;
	en->sig_fn = fn;
	return 0;
}

static void on_timerfd(void *opaque, uint32_t events)
{
	struct loop_entry *en = opaque;
	uint64_t expirations;

	(void)events;
	if (read(en->fd, &expirations, sizeof(expirations)) !=
		(ssize_t)sizeof(expirations) ||
	    expirations == 0)
		return; /* disarmed or re-armed since it became readable */
	en->timer_fn(en->user, expirations);
}

static struct timespec ns_to_ts(uint64_t ns)
{
	return (struct timespec){.tv_sec = (time_t)(ns / 1000000000ull),
				 .tv_nsec = (long)(ns % 1000000000ull)};
}

int loop_timer_set(struct loop *l, int fd, uint64_t period_ns)
{
	struct itimerspec its = {
	    .it_interval = ns_to_ts(period_ns),
	    .it_value = ns_to_ts(period_ns),
	};

	(void)l;
	if (timerfd_settime(fd, 0, &its, NULL) < 0)
		return -errno;
	return 0;
}

int loop_add_timer_ns(struct loop *l, uint64_t period_ns, loop_timer_fn *fn,
		      void *opaque)
{
	struct loop_entry *en;
	int fd, rc;

	fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	rc = loop_timer_set(l, fd, period_ns);
	if (rc < 0) {
		close(fd);
		return rc;
	}
	en = add_owned(l, fd, on_timerfd, opaque, &rc);
	if (!en)
		return rc;
	en->timer_fn = fn;
	return fd;
}

int loop_add_timer(struct loop *l, unsigned period_ms, loop_timer_fn *fn,
		   void *opaque)
{
	if (period_ms == 0)
		return -EINVAL;
	return loop_add_timer_ns(l, period_ms * 1000000ull, fn, opaque);
}

void loop_stop(struct loop *l, int code)
{
	if (l->running) {
		l->running = false;
		l->code = code;
	}
}

static void run_deferred(struct loop *l)
{
	struct loop_work work[LOOP_MAX_DEFER];
	unsigned n = l->nr_defer, i;

	memcpy(work, l->defer, n * sizeof(work[0]));
	l->nr_defer = 0;
	for (i = 0; i < n && l->running; i++)
		work[i].fn(work[i].opaque);
}

int loop_run(struct loop *l)
{
	struct epoll_event ev[LOOP_BATCH];
	int n, i;

	l->running = true;
	l->code = 0;
	while (l->running) {
		n = epoll_wait(l->epfd, ev, LOOP_BATCH, l->nr_defer ? 0 : -1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			log_err("epoll_wait failed: %s", strerror(errno));
			return 1;
		}
		for (i = 0; i < n && l->running; i++) {
			struct loop_entry *en = ev[i].data.ptr;

			if (en->fd >= 0)
				en->fn(en->opaque, ev[i].events);
		}
		if (l->nr_defer && l->running)
			run_deferred(l);
	}
	return l->code;
}
