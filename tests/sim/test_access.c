/* SPDX-License-Identifier: MIT */
/*
 * Guest accesses answered by the daemon: MMIO and port I/O at every size
 * and alignment, string instructions in both directions with DF both ways,
 * across page boundaries on either side, rep stos, and SSE moves.
 * Memory-semantics targets: the legacy VGA window (plain VGA memory) and
 * BAR0's scratch registers; the port target is the I/O BAR's index/data
 * window onto BAR0.
 */
#include "simtest.h"

static struct harness h;
static struct xsim_vcpu *v;

#define RAM_BUF 0x200000ull /* guest RAM used as the string side */
#define IO_INDEX (BAR4_PORT + 0)
#define IO_DATA (BAR4_PORT + 4)

static void setup(void)
{
	simtest_start(&h, 1, NULL);
	ck_assert_int_eq(xsim_vcpu_open(h.sim, h.domid, 0, &v), 0);
	simtest_program_bars(v);
}

static void teardown(void)
{
	xsim_vcpu_close(v);
	harness_end(&h);
}

START_TEST(mmio_every_size)
{
	static const unsigned sizes[] = {1, 2, 4, 8};

	for (unsigned i = 0; i < 4; i++) {
		uint64_t val = 0x8877665544332211ull;
		uint64_t mask = sizes[i] == 8 ? ~0ull
					      : (1ull << (8 * sizes[i])) - 1;

		mmio_wr(v, BAR0_GPA + SCRATCH(4), 8, 0);
		mmio_wr(v, BAR0_GPA + SCRATCH(4), sizes[i], val);
		ck_assert_uint_eq(mmio_rd(v, BAR0_GPA + SCRATCH(4), sizes[i]),
				  val & mask);
		ck_assert_uint_eq(mmio_rd(v, BAR0_GPA + SCRATCH(4), 8),
				  val & mask);
	}
	/* Sub-dword pieces land in the right bytes. */
	mmio_wr(v, BAR0_GPA + SCRATCH(5), 4, 0);
	mmio_wr(v, BAR0_GPA + SCRATCH(5) + 1, 1, 0xab);
	mmio_wr(v, BAR0_GPA + SCRATCH(5) + 2, 2, 0xcdef);
	ck_assert_uint_eq(mmio_rd(v, BAR0_GPA + SCRATCH(5), 4), 0xcdefab00u);
}
END_TEST

START_TEST(mmio_unaligned_and_page_crossing)
{
	/* 0xa0ffc: the last 4 bytes of a page of VGA memory. */
	mmio_wr(v, VGA_GPA + 0x0ffc, 8, 0x0123456789abcdefull);
	ck_assert_uint_eq(mmio_rd(v, VGA_GPA + 0x0ffc, 4), 0x89abcdefu);
	ck_assert_uint_eq(mmio_rd(v, VGA_GPA + 0x1000, 4), 0x01234567u);
	ck_assert_uint_eq(mmio_rd(v, VGA_GPA + 0x0ffc, 8), 0x0123456789abcdefull);
	mmio_wr(v, VGA_GPA + 0x0ffd, 8, 0x1122334455667788ull);
	ck_assert_uint_eq(mmio_rd(v, VGA_GPA + 0x0ffd, 8), 0x1122334455667788ull);
	mmio_wr(v, VGA_GPA + 0x0203, 8, 0xfedcba9876543210ull);
	ck_assert_uint_eq(mmio_rd(v, VGA_GPA + 0x0203, 8), 0xfedcba9876543210ull);
}
END_TEST

START_TEST(mmio_sse_16)
{
	uint64_t in[2] = {0x1111222233334444ull, 0x5555666677778888ull};
	uint64_t out[2] = {0, 0};

	ck_assert_int_eq(xsim_mmio_write(v, VGA_GPA + 0x3000, 16, in), 0);
	ck_assert_int_eq(xsim_mmio_read(v, VGA_GPA + 0x3000, 16, out), 0);
	ck_assert_uint_eq(out[0], in[0]);
	ck_assert_uint_eq(out[1], in[1]);
}
END_TEST

static void fill_ram(uint64_t gpa, unsigned n, uint32_t base)
{
	uint32_t buf[64];

	for (unsigned i = 0; i < n; i++)
		buf[i] = base + i;
	ck_assert_int_eq(xsim_mem_write(h.sim, h.domid, gpa, buf, 4u * n), 0);
}

START_TEST(rep_movs_both_ways_df_both_ways)
{
	/* 16 dwords RAM -> MMIO crossing the VGA window's page at 0xa1000. */
	struct xsim_rep r = {.size = 4, .count = 16, .addr = VGA_GPA + 0x0fe0,
			     .mem_gpa = RAM_BUF};
	uint32_t got[16];

	fill_ram(RAM_BUF, 16, 0x1000);
	ck_assert_int_eq(xsim_rep(v, &r), 0);
	for (unsigned i = 0; i < 16; i++)
		ck_assert_uint_eq(mmio_rd(v, VGA_GPA + 0x0fe0 + 4 * i, 4),
				  0x1000 + i);

	/* MMIO -> RAM, descending: addresses name the highest item. */
	r.is_read = true;
	r.df = true;
	r.addr = VGA_GPA + 0x0fe0 + 60;
	r.mem_gpa = RAM_BUF + 0x1000 + 60;
	ck_assert_int_eq(xsim_rep(v, &r), 0);
	ck_assert_int_eq(xsim_mem_read(h.sim, h.domid, RAM_BUF + 0x1000, got,
				       sizeof(got)), 0);
	for (unsigned i = 0; i < 16; i++)
		ck_assert_uint_eq(got[i], 0x1000 + i);

	/* RAM -> MMIO descending, RAM side crossing a guest page. */
	fill_ram(RAM_BUF + 0x2ff0, 8, 0x2000);
	r.is_read = false;
	r.count = 8;
	r.addr = VGA_GPA + 0x5000 + 28;
	r.mem_gpa = RAM_BUF + 0x2ff0 + 28;
	ck_assert_int_eq(xsim_rep(v, &r), 0);
	for (unsigned i = 0; i < 8; i++)
		ck_assert_uint_eq(mmio_rd(v, VGA_GPA + 0x5000 + 4 * i, 4),
				  0x2000 + i);
}
END_TEST

START_TEST(rep_stos)
{
	struct xsim_rep r = {.size = 1, .count = 8, .addr = VGA_GPA + 0x1ffc,
			     .is_stos = true, .value = 0x5a};

	ck_assert_int_eq(xsim_rep(v, &r), 0);
	ck_assert_uint_eq(mmio_rd(v, VGA_GPA + 0x1ffc, 8), 0x5a5a5a5a5a5a5a5aull);
	r.size = 4;
	r.count = 4;
	r.df = true;
	r.value = 0xdeadbeef;
	r.addr = VGA_GPA + 0x6000 + 12;
	ck_assert_int_eq(xsim_rep(v, &r), 0);
	for (unsigned i = 0; i < 4; i++)
		ck_assert_uint_eq(mmio_rd(v, VGA_GPA + 0x6000 + 4 * i, 4),
				  0xdeadbeefu);
}
END_TEST

START_TEST(io_bar_index_data)
{
	uint32_t val = 0;

	ck_assert_int_eq(xsim_pio_write(v, IO_INDEX, 4, SCRATCH(6)), 0);
	ck_assert_int_eq(xsim_pio_write(v, IO_DATA, 4, 0xfeedf00d), 0);
	ck_assert_uint_eq(mmio_rd(v, BAR0_GPA + SCRATCH(6), 4), 0xfeedf00du);
	mmio_wr(v, BAR0_GPA + SCRATCH(6), 4, 0x01020304);
	ck_assert_int_eq(xsim_pio_read(v, IO_DATA, 4, &val), 0);
	ck_assert_uint_eq(val, 0x01020304u);
	ck_assert_int_eq(xsim_pio_read(v, IO_INDEX, 4, &val), 0);
	ck_assert_uint_eq(val, SCRATCH(6));
	ck_assert_int_eq(xsim_pio_read(v, IO_DATA, 2, &val), 0);
	ck_assert_uint_eq(val, 0x0304u);
	ck_assert_int_eq(xsim_pio_read(v, IO_DATA, 1, &val), 0);
	ck_assert_uint_eq(val, 0x04u);
}
END_TEST

START_TEST(rep_outs_ins_df_and_page_cross)
{
	struct xsim_rep r = {.is_pio = true, .size = 4, .count = 4,
			     .addr = IO_DATA};
	uint32_t got[4];

	ck_assert_int_eq(xsim_pio_write(v, IO_INDEX, 4, SCRATCH(7)), 0);
	/* outsl x4 ascending: the register keeps the last item. */
	fill_ram(RAM_BUF, 4, 0x30);
	r.mem_gpa = RAM_BUF;
	ck_assert_int_eq(xsim_rep(v, &r), 0);
	ck_assert_uint_eq(mmio_rd(v, BAR0_GPA + SCRATCH(7), 4), 0x33u);
	/* descending: the last item handled is the lowest address. */
	r.df = true;
	r.mem_gpa = RAM_BUF + 12;
	ck_assert_int_eq(xsim_rep(v, &r), 0);
	ck_assert_uint_eq(mmio_rd(v, BAR0_GPA + SCRATCH(7), 4), 0x30u);

	/* insl x4 into a buffer crossing a guest page (1 + 3 items). */
	mmio_wr(v, BAR0_GPA + SCRATCH(7), 4, 0xabcdef01);
	r.is_read = true;
	r.df = false;
	r.mem_gpa = RAM_BUF + 0x0ffc;
	ck_assert_int_eq(xsim_rep(v, &r), 0);
	ck_assert_int_eq(xsim_mem_read(h.sim, h.domid, RAM_BUF + 0x0ffc, got,
				       sizeof(got)), 0);
	for (unsigned i = 0; i < 4; i++)
		ck_assert_uint_eq(got[i], 0xabcdef01u);
}
END_TEST

START_TEST(rep_into_a_hole_is_dropped)
{
	/* insl into GPAs that are not RAM: nothing written anywhere, the
	 * vCPU gets its answer and the daemon keeps serving. */
	struct xsim_rep r = {.is_pio = true, .is_read = true, .size = 4,
			     .count = 4, .addr = IO_DATA,
			     .mem_gpa = 0xfe000000ull};

	ck_assert_int_eq(xsim_rep(v, &r), 0);
	/* outsl from a hole: the device sees all-ones. */
	ck_assert_int_eq(xsim_pio_write(v, IO_INDEX, 4, SCRATCH(8)), 0);
	r.is_read = false;
	r.count = 1;
	ck_assert_int_eq(xsim_rep(v, &r), 0);
	ck_assert_uint_eq(mmio_rd(v, BAR0_GPA + SCRATCH(8), 4), 0xffffffffu);
	ck_assert(harness_log_contains(&h, "guest RAM"));
	mmio_wr(v, BAR0_GPA + SCRATCH(8), 4, 7);
	ck_assert_uint_eq(mmio_rd(v, BAR0_GPA + SCRATCH(8), 4), 7);
}
END_TEST

START_TEST(guest_writes_are_reported_dirty)
{
	struct xsim_rep r = {.is_pio = true, .is_read = true, .size = 4,
			     .count = 4, .addr = IO_DATA,
			     .mem_gpa = RAM_BUF + 0x7000};
	struct xsim_log_dirty d[64];
	size_t total = 0;
	bool seen = false;

	ck_assert_int_eq(xsim_rep(v, &r), 0);
	ck_assert_int_ge(xsim_log_dirty(h.sim, h.domid, 0, d, 64, &total), 0);
	for (size_t i = 0; i < total && i < 64; i++)
		if (d[i].first_pfn <= (RAM_BUF + 0x7000) >> 12 &&
		    (RAM_BUF + 0x7000) >> 12 < d[i].first_pfn + d[i].nr)
			seen = true;
	ck_assert_msg(seen, "write to guest RAM not reported (%zu reports)",
		      total);
}
END_TEST

START_TEST(invalidate_drops_guest_mappings)
{
	struct xsim_rep r = {.is_pio = true, .is_read = true, .size = 4,
			     .count = 4, .addr = IO_DATA, .mem_gpa = RAM_BUF};
	struct xsim_domain_info info;
	uint32_t got[4];

	ck_assert_int_eq(xsim_rep(v, &r), 0);
	ck_assert_int_eq(xsim_domain_info(h.sim, h.domid, &info), 0);
	ck_assert_uint_gt(info.foreign_mappings, 0);
	/* Xen's "drop every cached mapping of guest RAM". */
	ck_assert_int_eq(xsim_invalidate(v), 0);
	ck_assert_int_eq(xsim_domain_info(h.sim, h.domid, &info), 0);
	ck_assert_uint_eq(info.foreign_mappings, 0);
	/* ... and guest memory still works afterwards, through new ones. */
	mmio_wr(v, BAR0_GPA + SCRATCH(7), 4, 0x600d);
	ck_assert_int_eq(xsim_pio_write(v, IO_INDEX, 4, SCRATCH(7)), 0);
	ck_assert_int_eq(xsim_rep(v, &r), 0);
	ck_assert_int_eq(xsim_mem_read(h.sim, h.domid, RAM_BUF, got,
				       sizeof(got)), 0);
	for (unsigned i = 0; i < 4; i++)
		ck_assert_uint_eq(got[i], 0x600d);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("access");
	TCase *tc = tcase_create("access");

	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, mmio_every_size);
	tcase_add_test(tc, mmio_unaligned_and_page_crossing);
	tcase_add_test(tc, mmio_sse_16);
	tcase_add_test(tc, rep_movs_both_ways_df_both_ways);
	tcase_add_test(tc, rep_stos);
	tcase_add_test(tc, io_bar_index_data);
	tcase_add_test(tc, rep_outs_ins_df_and_page_cross);
	tcase_add_test(tc, rep_into_a_hole_is_dropped);
	tcase_add_test(tc, guest_writes_are_reported_dirty);
	tcase_add_test(tc, invalidate_drops_guest_mappings);
	suite_add_tcase(s, tc);
	return simtest_run(s);
}
