/* SPDX-License-Identifier: MIT */
/*
 * loop.h - the daemon's single event loop (epoll).
 *
 * Everything the daemon waits for is a file descriptor registered here
 * with a callback: the event channel, a signalfd, timerfds, and later the
 * control socket and the device's eventfds.  Deferred work (a drain that
 * used up its budget) runs after the current batch of events, without
 * sleeping, until it stops re-arming itself.  One thread runs the loop and
 * owns all device state.
 */
#ifndef XENGT_IOREQ_LOOP_H
#define XENGT_IOREQ_LOOP_H

#include <stdint.h>

struct loop;

typedef void loop_fd_fn(void *opaque, uint32_t events);
typedef void loop_work_fn(void *opaque);
typedef void loop_signal_fn(void *opaque, int signo);
/* expirations: periods that ended since the last call (>= 1). */
typedef void loop_timer_fn(void *opaque, uint64_t expirations);

int loop_create(struct loop **out);
void loop_destroy(struct loop *l);

/* Watch fd for `events` (EPOLLIN...); 0 or a negative errno. */
int loop_add_fd(struct loop *l, int fd, uint32_t events, loop_fd_fn *fn,
		void *opaque);
int loop_del_fd(struct loop *l, int fd);

/* Run fn once after the current batch of events (re-arm to repeat). */
void loop_defer(struct loop *l, loop_work_fn *fn, void *opaque);

/* Block `sigs` and deliver them through a signalfd. */
int loop_add_signals(struct loop *l, const int *sigs, unsigned n,
		     loop_signal_fn *fn, void *opaque);
/* A periodic timer (CLOCK_MONOTONIC); returns its fd or a negative errno. */
int loop_add_timer(struct loop *l, unsigned period_ms, loop_timer_fn *fn,
		   void *opaque);
/* The same in nanoseconds; period 0 creates it stopped. */
int loop_add_timer_ns(struct loop *l, uint64_t period_ns, loop_timer_fn *fn,
		      void *opaque);
/* Restart a timer's fd with a new period (first expiry one period from
 * now), or stop it (0).  Removed with loop_del_fd like any fd. */
int loop_timer_set(struct loop *l, int fd, uint64_t period_ns);

/* Run until loop_stop; returns the code given to it (or 1 on failure). */
int loop_run(struct loop *l);
void loop_stop(struct loop *l, int code);

#endif
