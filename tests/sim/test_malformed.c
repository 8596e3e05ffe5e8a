/* SPDX-License-Identifier: MIT */
/*
 * Hostile ioreqs written straight into the daemon's slot: every one must be
 * answered (or, if it is not READY, left alone) without a crash, a hang or
 * a write to guest memory, and the daemon must go on serving.
 */
#include "simtest.h"

#define T_PIO 0
#define T_COPY 1
#define T_PCI 2
#define S_READY 1
#define S_INPROCESS 2
#define S_RESP 3

#define RAM_BUF 0x300000ull

static struct harness h;
static struct xsim_vcpu *v;

static void setup(void)
{
	uint8_t pattern[64];

	simtest_start(&h, 1, NULL);
	ck_assert_int_eq(xsim_vcpu_open(h.sim, h.domid, 0, &v), 0);
	simtest_program_bars(v);
	memset(pattern, 0x3c, sizeof(pattern));
	ck_assert_int_eq(xsim_mem_write(h.sim, h.domid, RAM_BUF, pattern,
					sizeof(pattern)), 0);
}

static void teardown(void)
{
	/* Still serving, guest memory untouched. */
	uint8_t got[64];

	mmio_wr(v, BAR0_GPA + SCRATCH(9), 4, 0x5eed);
	ck_assert_uint_eq(mmio_rd(v, BAR0_GPA + SCRATCH(9), 4), 0x5eed);
	ck_assert_int_eq(xsim_mem_read(h.sim, h.domid, RAM_BUF, got,
				       sizeof(got)), 0);
	for (unsigned i = 0; i < sizeof(got); i++)
		ck_assert_uint_eq(got[i], 0x3c);
	xsim_vcpu_close(v);
	harness_end(&h);
}

static struct xsim_ioreq answer(struct xsim_ioreq in)
{
	struct xsim_ioreq out;

	in.state = in.state ? in.state : S_READY;
	ck_assert_int_eq(xsim_raw_ioreq(v, 0, &in, 2000, &out), 0);
	ck_assert_uint_eq(out.state, S_RESP);
	return out;
}

START_TEST(bad_sizes_answered_all_ones)
{
	static const struct {
		uint8_t type;
		uint32_t size;
	} bad[] = {{T_COPY, 0}, {T_COPY, 3}, {T_COPY, 16}, {T_COPY, 0xffffffff},
		   {T_PIO, 8}, {T_PIO, 3}, {T_PCI, 8}, {T_PCI, 3}};

	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct xsim_ioreq in = {.type = bad[i].type, .dir = 1,
					.size = bad[i].size, .count = 1};
		struct xsim_ioreq out;

		in.addr = bad[i].type == T_COPY ? BAR0_GPA + SCRATCH(0)
			: bad[i].type == T_PIO	? BAR4_PORT
						: (uint64_t)HARNESS_VGPU_SBDF << 32;
		out = answer(in);
		ck_assert_uint_eq(out.data, ~0ull);
	}
	ck_assert(harness_log_contains(&h, "size"));
}
END_TEST

START_TEST(bad_counts_answered)
{
	/* count 0, a huge count with a pointer, a span that wraps. */
	struct xsim_ioreq in = {.type = T_COPY, .dir = 0, .size = 4, .count = 0,
				.addr = BAR0_GPA + SCRATCH(0), .data = 1};

	mmio_wr(v, BAR0_GPA + SCRATCH(0), 4, 0x77);
	answer(in);
	ck_assert_uint_eq(mmio_rd(v, BAR0_GPA + SCRATCH(0), 4), 0x77);

	in = (struct xsim_ioreq){.type = T_COPY, .dir = 1, .size = 8,
				 .count = 0xffffffffu, .data_is_ptr = 1,
				 .addr = BAR0_GPA, .data = RAM_BUF};
	answer(in);
	in = (struct xsim_ioreq){.type = T_COPY, .dir = 0, .size = 8,
				 .count = 100, .addr = 0xfffffffffffffff0ull,
				 .data = 5};
	answer(in);
	in = (struct xsim_ioreq){.type = T_PCI, .dir = 1, .size = 4,
				 .count = 2,
				 .addr = (uint64_t)HARNESS_VGPU_SBDF << 32};
	ck_assert_uint_eq(answer(in).data, ~0ull);
}
END_TEST

START_TEST(unknown_type_and_unclaimed_address)
{
	struct xsim_ioreq in = {.type = 5, .dir = 1, .size = 4, .count = 1};

	answer(in);
	/* An address nobody claimed (e.g. a range just unmapped). */
	in = (struct xsim_ioreq){.type = T_COPY, .dir = 1, .size = 4,
				 .count = 1, .addr = 0x12345000};
	ck_assert_uint_eq(answer(in).data & 0xffffffffu, 0xffffffffu);
	in.dir = 0;
	answer(in);
	/* Config space of a function that is not ours, and past 256. */
	in = (struct xsim_ioreq){.type = T_PCI, .dir = 1, .size = 4, .count = 1,
				 .addr = (uint64_t)0x18 << 32};
	ck_assert_uint_eq(answer(in).data & 0xffffffffu, 0xffffffffu);
	in.addr = (uint64_t)HARNESS_VGPU_SBDF << 32 | 0x1000;
	ck_assert_uint_eq(answer(in).data & 0xffffffffu, 0xffffffffu);
}
END_TEST

START_TEST(pointer_outside_guest_ram)
{
	struct xsim_ioreq in = {.type = T_COPY, .dir = 1, .size = 4,
				.count = 4, .data_is_ptr = 1,
				.addr = BAR0_GPA + SCRATCH(0),
				.data = 0xfffffffffffff000ull};

	answer(in);
	in.dir = 0;
	answer(in);
	/* Straddling the end of RAM into the MMIO hole. */
	in.data = 0xeffffff8ull;
	answer(in);
	in.type = T_PIO;
	in.addr = BAR4_PORT + 4;
	in.data = 0x0ffffff8ull; /* end of 256 MiB of RAM */
	answer(in);
}
END_TEST

START_TEST(state_not_ready_left_alone)
{
	struct xsim_ioreq in = {.type = T_COPY, .dir = 1, .size = 4, .count = 1,
				.addr = BAR0_GPA + SCRATCH(0),
				.state = S_INPROCESS};
	struct xsim_ioreq out;

	ck_assert_int_eq(xsim_raw_ioreq(v, 0, &in, 300, &out), -ETIMEDOUT);
	in.state = 9;
	ck_assert_int_eq(xsim_raw_ioreq(v, 0, &in, 300, &out), -ETIMEDOUT);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("malformed");
	TCase *tc = tcase_create("malformed");

	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, bad_sizes_answered_all_ones);
	tcase_add_test(tc, bad_counts_answered);
	tcase_add_test(tc, unknown_type_and_unclaimed_address);
	tcase_add_test(tc, pointer_outside_guest_ram);
	tcase_add_test(tc, state_not_ready_left_alone);
	suite_add_tcase(s, tc);
	return simtest_run(s);
}
