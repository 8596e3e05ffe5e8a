/* SPDX-License-Identifier: MIT */
/*
 * Buffered ioreqs: single writes below 1 MiB that Xen posts to the
 * buffered ring (the VGA memory window), qword pairs, ring wrap-around,
 * ordering before a later synchronous access, and TIMEOFFSET broadcasts.
 */
#include "simtest.h"

static struct harness h;
static struct xsim_vcpu *v;

static void setup(void)
{
	simtest_start(&h, 2, NULL);
	ck_assert_int_eq(xsim_vcpu_open(h.sim, h.domid, 0, &v), 0);
	simtest_program_bars(v);
}

static void teardown(void)
{
	xsim_vcpu_close(v);
	harness_end(&h);
}

static size_t count_buffered(void)
{
	struct xsim_log_ioreq e[256];
	size_t total = 0, from = 0, n = 0;

	do {
		ck_assert_int_ge(xsim_log_ioreqs(h.sim, h.domid, from, e, 256,
						 &total), 0);
		for (size_t i = 0; i < 256 && from + i < total; i++)
			n += e[i].vcpu == XSIM_BUFFERED;
		from += 256;
	} while (from < total);
	return n;
}

START_TEST(every_size_then_sync_read)
{
	ck_assert_int_eq(xsim_buffered_write(v, false, VGA_GPA + 0x100, 1, 0x11), 0);
	ck_assert_int_eq(xsim_buffered_write(v, false, VGA_GPA + 0x102, 2, 0x2233), 0);
	ck_assert_int_eq(xsim_buffered_write(v, false, VGA_GPA + 0x104, 4, 0x44556677), 0);
	ck_assert_int_eq(xsim_buffered_write(v, false, VGA_GPA + 0x108, 8,
					     0x8899aabbccddeeffull), 0);
	/* The synchronous read is ordered after everything buffered. */
	ck_assert_uint_eq(mmio_rd(v, VGA_GPA + 0x100, 1), 0x11);
	ck_assert_uint_eq(mmio_rd(v, VGA_GPA + 0x102, 2), 0x2233);
	ck_assert_uint_eq(mmio_rd(v, VGA_GPA + 0x104, 4), 0x44556677);
	ck_assert_uint_eq(mmio_rd(v, VGA_GPA + 0x108, 8), 0x8899aabbccddeeffull);
	ck_assert_uint_ge(count_buffered(), 4);
}
END_TEST

START_TEST(ring_wraps)
{
	/* 3 x 511 slots' worth, qwords included, so the pointers wrap and
	 * get renormalised while the daemon drains. */
	const unsigned n = 1200;

	for (unsigned i = 0; i < n; i++) {
		unsigned size = (i % 3 == 0) ? 8 : 4;
		uint64_t val = 0x100000000ull * i + 0xc0de0000u + i;

		ck_assert_int_eq(xsim_buffered_write(v, false,
						     VGA_GPA + 0x10000 + 8 * i,
						     size, val), 0);
	}
	for (unsigned i = 0; i < n; i++) {
		unsigned size = (i % 3 == 0) ? 8 : 4;
		uint64_t val = 0x100000000ull * i + 0xc0de0000u + i;
		uint64_t mask = size == 8 ? ~0ull : 0xffffffffull;

		ck_assert_uint_eq(mmio_rd(v, VGA_GPA + 0x10000 + 8 * i, size),
				  val & mask);
	}
}
END_TEST

START_TEST(burst_is_drained_completely)
{
	uint64_t ns = 0;

	ck_assert_int_eq(xsim_log_enable(h.sim, h.domid, false), 0);
	ck_assert_int_eq(xsim_buffered_burst(v, VGA_GPA + 0x8000, 0x1000, 4,
					     100000, 0x1000, &ns), 0);
	/* The last write to each dword wins: 100000 writes over 1024
	 * dwords, write i carries 0x1000 + i. */
	for (unsigned d = 0; d < 1024; d += 97) {
		uint64_t last = 99999 - ((99999 - d) % 1024);

		ck_assert_uint_eq(mmio_rd(v, VGA_GPA + 0x8000 + 4 * d, 4),
				  0x1000 + last);
	}
}
END_TEST

START_TEST(timeoffset_is_consumed)
{
	ck_assert_int_eq(xsim_timeoffset(h.sim, h.domid, -3600), 0);
	ck_assert_int_eq(xsim_buffered_write(v, false, VGA_GPA, 4, 0xfeed), 0);
	ck_assert_uint_eq(mmio_rd(v, VGA_GPA, 4), 0xfeed);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("bufioreq");
	TCase *tc = tcase_create("bufioreq");

	tcase_set_timeout(tc, 120);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, every_size_then_sync_read);
	tcase_add_test(tc, ring_wraps);
	tcase_add_test(tc, burst_is_drained_completely);
	tcase_add_test(tc, timeoffset_is_consumed);
	suite_add_tcase(s, tc);
	return simtest_run(s);
}
