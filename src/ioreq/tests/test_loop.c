/* SPDX-License-Identifier: MIT */
/* test_loop.c - the event loop: fds, deferred work, timers, signals. */
#include <check.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#include "ioreq/loop.h"

static struct loop *l;
static int fds[2];
static unsigned reads, defers, ticks, sigs_seen;

static void on_read(void *opaque, uint32_t events)
{
	char c;

	(void)opaque;
	if (read(fds[0], &c, 1) == 1)
		reads++;
	if (c == 'q')
		loop_stop(l, 7);
}

static void deferred(void *opaque)
{
	(void)opaque;
	if (++defers < 5)
		loop_defer(l, deferred, NULL); /* re-arms itself */
	else
		ck_assert_int_eq(write(fds[1], "q", 1), 1);
}

START_TEST(fd_and_defer)
{
	ck_assert_int_eq(loop_create(&l), 0);
	ck_assert_int_eq(pipe(fds), 0);
	ck_assert_int_eq(loop_add_fd(l, fds[0], EPOLLIN, on_read, NULL), 0);
	ck_assert_int_eq(write(fds[1], "ab", 2), 2);
	loop_defer(l, deferred, NULL);
	loop_defer(l, deferred, NULL); /* once only */
	ck_assert_int_eq(loop_run(l), 7);
	ck_assert_uint_eq(reads, 3);
	ck_assert_uint_eq(defers, 5);
	ck_assert_int_eq(loop_del_fd(l, fds[0]), 0);
	ck_assert_int_eq(loop_del_fd(l, fds[0]), -ENOENT);
	loop_destroy(l);
	close(fds[0]);
	close(fds[1]);
}
END_TEST

static void on_tick(void *opaque, uint64_t expirations)
{
	(void)opaque;
	ck_assert_uint_ge(expirations, 1);
	if (++ticks == 3)
		kill(getpid(), SIGTERM);
}

static void on_sig(void *opaque, int signo)
{
	ck_assert_ptr_eq(opaque, l);
	ck_assert_int_eq(signo, SIGTERM);
	sigs_seen++;
	loop_stop(l, 0);
}

START_TEST(timer_and_signal)
{
	static const int sigs[] = {SIGTERM, SIGINT};
	struct timespec a, b;
	long ms;

	ck_assert_int_eq(loop_create(&l), 0);
	ck_assert_int_ge(loop_add_timer(l, 20, on_tick, NULL), 0);
	ck_assert_int_eq(loop_add_signals(l, sigs, 2, on_sig, l), 0);
	clock_gettime(CLOCK_MONOTONIC, &a);
	ck_assert_int_eq(loop_run(l), 0);
	clock_gettime(CLOCK_MONOTONIC, &b);
	ms = (b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000;
	ck_assert_uint_eq(ticks, 3);
	ck_assert_uint_eq(sigs_seen, 1);
	ck_assert_int_ge(ms, 55);
	ck_assert_int_lt(ms, 2000);
	loop_destroy(l);
}
END_TEST

/* A timer created stopped stays silent; set, it fires; stopped, it stops. */
static unsigned periods_seen;
static int set_fd = -1;

static void on_period(void *opaque, uint64_t expirations)
{
	(void)opaque;
	periods_seen += (unsigned)expirations;
	if (periods_seen >= 5) {
		ck_assert_int_eq(loop_timer_set(l, set_fd, 0), 0);
		loop_stop(l, 7);
	}
}

static void on_guard(void *opaque, uint64_t expirations)
{
	(void)opaque;
	(void)expirations;
	loop_stop(l, 9);
}

START_TEST(timer_set_and_stop)
{
	int guard;

	ck_assert_int_eq(loop_create(&l), 0);
	set_fd = loop_add_timer_ns(l, 0, on_period, NULL);
	ck_assert_int_ge(set_fd, 0);
	guard = loop_add_timer(l, 100, on_guard, NULL);
	ck_assert_int_ge(guard, 0);
	/* stopped: only the guard fires */
	ck_assert_int_eq(loop_run(l), 9);
	ck_assert_uint_eq(periods_seen, 0);
	ck_assert_int_eq(loop_timer_set(l, set_fd, 2000000), 0); /* 2 ms */
	ck_assert_int_eq(loop_del_fd(l, guard), 0);
	ck_assert_int_eq(loop_run(l), 7);
	ck_assert_uint_ge(periods_seen, 5);
	/* stopped again: another guard period passes without a period */
	periods_seen = 0;
	ck_assert_int_ge(loop_add_timer(l, 50, on_guard, NULL), 0);
	ck_assert_int_eq(loop_run(l), 9);
	ck_assert_uint_eq(periods_seen, 0);
	loop_destroy(l);
}
END_TEST

int main(void)
{
	Suite *su = suite_create("loop");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, fd_and_defer);
	tcase_add_test(tc, timer_and_signal);
	tcase_add_test(tc, timer_set_and_stop);
	suite_add_tcase(su, tc);
	sr = srunner_create(su);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
