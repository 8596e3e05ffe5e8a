/* SPDX-License-Identifier: MIT */
/*
 * Replays every row of what the real Xen 4.17.7 sent a dom0 ioreq server
 * (shared/reference/real-xen-observed.md) through the simulator's guest
 * API, and asserts the ioreqs xengt-dm received: type, direction, size,
 * count, df, data_is_ptr, address and data, slot and order.  Ending with
 * the boot-time config sequence of hvmloader and Linux.
 */
#include "simtest.h"

#define T_PIO 0
#define T_COPY 1
#define T_PCI 2
#define T_INVALIDATE 8

#define RAM_BUF 0x400000ull
#define IO_DATA (BAR4_PORT + 4)

static struct harness h;
static struct xsim_vcpu *v;
static size_t mark;

static void setup(void)
{
	simtest_start(&h, 2, NULL);
	ck_assert_int_eq(xsim_vcpu_open(h.sim, h.domid, 0, &v), 0);
}

static void teardown(void)
{
	xsim_vcpu_close(v);
	harness_end(&h);
}

static void set_mark(void)
{
	struct xsim_log_ioreq e;

	ck_assert_int_ge(xsim_log_ioreqs(h.sim, h.domid, 0, &e, 0, &mark), 0);
}

/* The ioreqs delivered since the mark (at most max). */
static size_t since_mark(struct xsim_log_ioreq *e, size_t max)
{
	size_t total = 0;

	ck_assert_int_ge(xsim_log_ioreqs(h.sim, h.domid, mark, e, max, &total),
			 0);
	ck_assert_uint_ge(total, mark);
	return total - mark < max ? total - mark : max;
}

struct want {
	uint8_t type, dir;
	uint32_t size, count;
	uint8_t df, ptr;
	uint64_t addr, data;
};

static void expect(const struct want *w, size_t n)
{
	struct xsim_log_ioreq e[16];
	size_t got = since_mark(e, 16);

	ck_assert_uint_eq(got, n);
	for (size_t i = 0; i < n; i++) {
		const struct xsim_ioreq *r = &e[i].req;

		ck_assert_uint_eq(e[i].vcpu, 0);
		ck_assert_uint_eq(r->type, w[i].type);
		ck_assert_uint_eq(r->dir, w[i].dir);
		ck_assert_uint_eq(r->size, w[i].size);
		ck_assert_uint_eq(r->count, w[i].count);
		ck_assert_uint_eq(r->df, w[i].df);
		ck_assert_uint_eq(r->data_is_ptr, w[i].ptr);
		ck_assert_uint_eq(r->addr, w[i].addr);
		if (w[i].dir == 0 || w[i].ptr)
			ck_assert_uint_eq(r->data, w[i].data);
	}
	set_mark();
}

START_TEST(port_accesses)
{
	uint32_t val;

	simtest_program_bars(v);
	for (unsigned size = 1; size <= 4; size *= 2) {
		set_mark();
		ck_assert_int_eq(xsim_pio_write(v, IO_DATA, size, 0x5a), 0);
		expect(&(struct want){T_PIO, 0, size, 1, 0, 0, IO_DATA, 0x5a}, 1);
		ck_assert_int_eq(xsim_pio_read(v, IO_DATA, size, &val), 0);
		expect(&(struct want){T_PIO, 1, size, 1, 0, 0, IO_DATA, 0}, 1);
	}
}
END_TEST

START_TEST(rep_port_accesses)
{
	struct xsim_rep r = {.is_pio = true, .is_read = true, .size = 4,
			     .count = 4, .addr = IO_DATA, .mem_gpa = RAM_BUF};

	simtest_program_bars(v);
	for (unsigned size = 1; size <= 4; size *= 2) {
		r.size = size;
		set_mark();
		ck_assert_int_eq(xsim_rep(v, &r), 0);
		expect(&(struct want){T_PIO, 1, size, 4, 0, 1, IO_DATA, RAM_BUF}, 1);
	}
	r.is_read = false;
	r.size = 1;
	set_mark();
	ck_assert_int_eq(xsim_rep(v, &r), 0);
	expect(&(struct want){T_PIO, 0, 1, 4, 0, 1, IO_DATA, RAM_BUF}, 1);

	/* DF=1: data names the first item handled, the highest address. */
	r.df = true;
	r.is_read = true;
	r.size = 4;
	r.mem_gpa = RAM_BUF + 12;
	set_mark();
	ck_assert_int_eq(xsim_rep(v, &r), 0);
	expect(&(struct want){T_PIO, 1, 4, 4, 1, 1, IO_DATA, RAM_BUF + 12}, 1);

	/* insl x4 into a buffer crossing a guest page: 1 + 3. */
	r.df = false;
	r.mem_gpa = RAM_BUF + 0x0ffc;
	set_mark();
	ck_assert_int_eq(xsim_rep(v, &r), 0);
	expect((struct want[]){{T_PIO, 1, 4, 1, 0, 1, IO_DATA, RAM_BUF + 0x0ffc},
			       {T_PIO, 1, 4, 3, 0, 1, IO_DATA, RAM_BUF + 0x1000}},
	       2);
}
END_TEST

START_TEST(mmio_accesses)
{
	uint64_t val[2] = {0x0102030405060708ull, 0x1112131415161718ull};
	const uint64_t a = BAR0_GPA + SCRATCH(0);

	simtest_program_bars(v);
	for (unsigned size = 1; size <= 8; size *= 2) {
		set_mark();
		ck_assert_int_eq(xsim_mmio_write(v, a, size, val), 0);
		expect(&(struct want){T_COPY, 0, size, 1, 0, 0, a,
				      size == 8 ? val[0]
						: val[0] & ((1ull << (8 * size)) - 1)},
		       1);
		ck_assert_int_eq(xsim_mmio_read(v, a, size, val), 0);
		expect(&(struct want){T_COPY, 1, size, 1, 0, 0, a, 0}, 1);
	}
	/* Unaligned 8 bytes inside a page: one ioreq. */
	set_mark();
	ck_assert_int_eq(xsim_mmio_read(v, a + 3, 8, val), 0);
	expect(&(struct want){T_COPY, 1, 8, 1, 0, 0, a + 3, 0}, 1);
	/* SSE 16 bytes: two 8-byte ioreqs. */
	ck_assert_int_eq(xsim_mmio_read(v, VGA_GPA + 0x100, 16, val), 0);
	expect((struct want[]){{T_COPY, 1, 8, 1, 0, 0, VGA_GPA + 0x100, 0},
			       {T_COPY, 1, 8, 1, 0, 0, VGA_GPA + 0x108, 0}},
	       2);
	/* Across an MMIO page: 8 -> 4 + 4, 4 -> 2 + 2. */
	ck_assert_int_eq(xsim_mmio_read(v, VGA_GPA + 0xffc, 8, val), 0);
	expect((struct want[]){{T_COPY, 1, 4, 1, 0, 0, VGA_GPA + 0xffc, 0},
			       {T_COPY, 1, 4, 1, 0, 0, VGA_GPA + 0x1000, 0}},
	       2);
	ck_assert_int_eq(xsim_mmio_read(v, VGA_GPA + 0xffe, 4, val), 0);
	expect((struct want[]){{T_COPY, 1, 2, 1, 0, 0, VGA_GPA + 0xffe, 0},
			       {T_COPY, 1, 2, 1, 0, 0, VGA_GPA + 0x1000, 0}},
	       2);
}
END_TEST

START_TEST(rep_mmio_accesses)
{
	struct xsim_rep r = {.size = 4, .count = 16, .addr = VGA_GPA + 0x200,
			     .mem_gpa = RAM_BUF};

	simtest_program_bars(v);
	set_mark();
	ck_assert_int_eq(xsim_rep(v, &r), 0);
	expect(&(struct want){T_COPY, 0, 4, 16, 0, 1, VGA_GPA + 0x200, RAM_BUF}, 1);
	r.is_read = true;
	ck_assert_int_eq(xsim_rep(v, &r), 0);
	expect(&(struct want){T_COPY, 1, 4, 16, 0, 1, VGA_GPA + 0x200, RAM_BUF}, 1);
	r = (struct xsim_rep){.size = 4, .count = 16, .addr = VGA_GPA + 0x200,
			      .is_stos = true, .value = 0xabcd1234};
	ck_assert_int_eq(xsim_rep(v, &r), 0);
	expect(&(struct want){T_COPY, 0, 4, 16, 0, 0, VGA_GPA + 0x200,
			      0xabcd1234},
	       1);
	/* rep movsl x8 and rep stosb x8 crossing an MMIO page: 4 + 4. */
	r = (struct xsim_rep){.size = 4, .count = 8, .addr = VGA_GPA + 0xff0,
			      .mem_gpa = RAM_BUF};
	ck_assert_int_eq(xsim_rep(v, &r), 0);
	expect((struct want[]){{T_COPY, 0, 4, 4, 0, 1, VGA_GPA + 0xff0, RAM_BUF},
			       {T_COPY, 0, 4, 4, 0, 1, VGA_GPA + 0x1000,
				RAM_BUF + 16}},
	       2);
	r = (struct xsim_rep){.size = 1, .count = 8, .addr = VGA_GPA + 0xffc,
			      .is_stos = true, .value = 0x77};
	ck_assert_int_eq(xsim_rep(v, &r), 0);
	expect((struct want[]){{T_COPY, 0, 1, 4, 0, 0, VGA_GPA + 0xffc, 0x77},
			       {T_COPY, 0, 1, 4, 0, 0, VGA_GPA + 0x1000, 0x77}},
	       2);
}
END_TEST

START_TEST(unclaimed_port_never_arrives)
{
	uint32_t val = 0;

	simtest_program_bars(v);
	set_mark();
	ck_assert_int_eq(xsim_pio_read(v, 0x2e0, 1, &val), 0);
	ck_assert_uint_eq(val, 0xff);
	ck_assert_int_eq(xsim_pio_read(v, 0x2e0, 4, &val), 0);
	ck_assert_uint_eq(val, 0xffffffffu);
	expect(NULL, 0);
}
END_TEST

START_TEST(second_cpu_uses_slot_1)
{
	struct xsim_vcpu *v1;
	struct xsim_log_ioreq e[4];
	uint64_t val[2];

	simtest_program_bars(v);
	ck_assert_int_eq(xsim_vcpu_open(h.sim, h.domid, 1, &v1), 0);
	set_mark();
	ck_assert_int_eq(xsim_mmio_read(v1, BAR0_GPA + SCRATCH(1), 4, val), 0);
	ck_assert_uint_eq(since_mark(e, 4), 1);
	ck_assert_uint_eq(e[0].vcpu, 1);
	xsim_vcpu_close(v1);
}
END_TEST

START_TEST(invalidate_shape)
{
	set_mark();
	ck_assert_int_eq(xsim_invalidate(v), 0);
	expect(&(struct want){T_INVALIDATE, 0, 4, 0, 0, 0, 0, ~0ull}, 1);
}
END_TEST

/* Boot: hvmloader, then Linux, to 00:02.0 (real-xen-observed.md). */
static uint32_t cfg_rd_expect(unsigned reg, unsigned size)
{
	uint32_t val = cfg_rd(v, reg, size);

	expect(&(struct want){T_PCI, 1, size, 1, 0, 0,
			      (uint64_t)HARNESS_VGPU_SBDF << 32 | reg, 0},
	       1);
	return val;
}

static void cfg_wr_expect(unsigned reg, unsigned size, uint32_t val)
{
	cfg_wr(v, reg, size, val);
	expect(&(struct want){T_PCI, 0, size, 1, 0, 0,
			      (uint64_t)HARNESS_VGPU_SBDF << 32 | reg, val},
	       1);
}

static uint32_t size_expect(unsigned reg)
{
	uint32_t old = cfg_rd_expect(reg, 4), mask;

	cfg_wr_expect(reg, 4, 0xffffffffu);
	mask = cfg_rd_expect(reg, 4);
	cfg_wr_expect(reg, 4, old);
	return mask;
}

START_TEST(boot_config_sequence)
{
	static const unsigned bars[] = {0x10, 0x14, 0x18, 0x1c, 0x20, 0x24, 0x30};

	set_mark();
	/* hvmloader */
	ck_assert_uint_eq(cfg_rd_expect(0x0a, 2), 0x0300);
	ck_assert_uint_eq(cfg_rd_expect(0x00, 2), 0x8086);
	ck_assert_uint_eq(cfg_rd_expect(0x02, 2), 0x1912);
	cfg_wr_expect(0xfc, 4, 0xfdffc000u);
	ck_assert_uint_eq(cfg_rd(v, 0xfc, 4), 0xfdffc000u);
	/* the OpRegion is there now, as memory ("Inte", "$VBT") */
	ck_assert_uint_eq(mmio_rd(v, 0xfdffc000u, 4), 0x65746e49u);
	ck_assert_uint_eq(mmio_rd(v, 0xfdffc400u, 4), 0x54425624u);
	set_mark();
	cfg_wr_expect(0x04, 2, 0);
	ck_assert_uint_eq(size_expect(0x10), 0xff000004u);
	ck_assert_uint_eq(size_expect(0x14), 0xffffffffu);
	for (unsigned i = 2; i < 7; i++)
		size_expect(bars[i]);
	ck_assert_uint_eq(cfg_rd_expect(0x3d, 1), 1);
	cfg_wr_expect(0x3c, 1, 11);
	cfg_wr_expect(0x10, 4, 0xf0000004u);
	ck_assert(!simtest_bar0_claimed(&h, BAR0_GPA));
	cfg_wr_expect(0x04, 2, 0x0007);
	ck_assert(simtest_bar0_claimed(&h, BAR0_GPA));
	ck_assert_uint_eq(cfg_rd(v, 0x14, 4), 0);

	/* Linux */
	set_mark();
	cfg_rd_expect(0x00, 4);
	ck_assert_int_eq(xsim_invalidate(v), 0);
	set_mark();
	cfg_rd_expect(0x50, 2);
	cfg_rd_expect(0x5c, 4);
	cfg_wr_expect(0x04, 2, 0x0404);
	cfg_wr_expect(0x04, 2, 0x0407);
	cfg_wr_expect(0x04, 2, 0x0007);
	for (unsigned i = 0; i < 7; i++) {
		cfg_wr_expect(0x04, 2, 0x0004);
		ck_assert(!simtest_bar0_claimed(&h, BAR0_GPA));
		size_expect(bars[i]);
		cfg_wr_expect(0x04, 2, 0x0007);
		ck_assert(simtest_bar0_claimed(&h, BAR0_GPA));
	}
	ck_assert_uint_eq(cfg_rd(v, 0x10, 4), 0xf0000004u);
	mmio_wr(v, BAR0_GPA + SCRATCH(0), 4, 0x0b007ed);
	ck_assert_uint_eq(mmio_rd(v, BAR0_GPA + SCRATCH(0), 4), 0x0b007ed);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("real-xen-replay");
	TCase *tc = tcase_create("replay");

	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, port_accesses);
	tcase_add_test(tc, rep_port_accesses);
	tcase_add_test(tc, mmio_accesses);
	tcase_add_test(tc, rep_mmio_accesses);
	tcase_add_test(tc, unclaimed_port_never_arrives);
	tcase_add_test(tc, second_cpu_uses_slot_1);
	tcase_add_test(tc, invalidate_shape);
	tcase_add_test(tc, boot_config_sequence);
	suite_add_tcase(s, tc);
	return simtest_run(s);
}
