/* SPDX-License-Identifier: MIT */
/*
 * The vGPU's PCI function as the guest's firmware and OS see it through
 * CF8/CFC under the simulated Xen: header, BAR sizing, decode gating, and
 * BAR moves re-registering the claimed ranges with the hypervisor.
 */
#include "simtest.h"

static struct harness h;
static struct xsim_vcpu *v;

static void setup(void)
{
	simtest_start(&h, 1, NULL);
	ck_assert_int_eq(xsim_vcpu_open(h.sim, h.domid, 0, &v), 0);
}

static void teardown(void)
{
	xsim_vcpu_close(v);
	harness_end(&h);
}

START_TEST(header_at_every_size)
{
	ck_assert_uint_eq(cfg_rd(v, 0x00, 4), 0x19128086u);
	ck_assert_uint_eq(cfg_rd(v, 0x00, 2), 0x8086u);
	ck_assert_uint_eq(cfg_rd(v, 0x02, 2), 0x1912u);
	ck_assert_uint_eq(cfg_rd(v, 0x01, 1), 0x80u);
	ck_assert_uint_eq(cfg_rd(v, 0x0a, 2), 0x0300u); /* VGA controller */
	ck_assert_uint_eq(cfg_rd(v, 0x09, 1), 0x00u);
	ck_assert_uint_eq(cfg_rd(v, 0x0e, 1) & 0x7f, 0x00u); /* type 0 */
	ck_assert_uint_ne(cfg_rd(v, 0x08, 1), 0x00u); /* production stepping */
	ck_assert_uint_eq(cfg_rd(v, 0x3d, 1), 0x01u); /* INTA */
}
END_TEST

START_TEST(other_functions_read_all_ones)
{
	uint32_t val = 0;

	ck_assert_int_eq(xsim_cfg_read(v, 0x18 /* 00:03.0 */, 0, 4, &val), 0);
	ck_assert_uint_eq(val, 0xffffffffu);
	ck_assert_int_eq(xsim_cfg_read(v, 0x11 /* 00:02.1 */, 0, 2, &val), 0);
	ck_assert_uint_eq(val, 0xffffu);
}
END_TEST

static uint32_t size_bar(unsigned reg)
{
	uint32_t old = cfg_rd(v, reg, 4), mask;

	cfg_wr(v, reg, 4, 0xffffffffu);
	mask = cfg_rd(v, reg, 4);
	cfg_wr(v, reg, 4, old);
	return mask;
}

START_TEST(bar_sizing)
{
	cfg_wr(v, PCI_COMMAND, 2, 0);
	ck_assert_uint_eq(size_bar(PCI_BAR0), 0xff000004u); /* 16 MiB, 64-bit */
	ck_assert_uint_eq(size_bar(PCI_BAR1), 0xffffffffu);
	ck_assert_uint_eq(size_bar(PCI_BAR2), 0xf000000cu); /* 256 MiB, pref */
	ck_assert_uint_eq(size_bar(PCI_BAR3), 0xffffffffu);
	ck_assert_uint_eq(size_bar(PCI_BAR4) & 0xffffu, 0xffc1u); /* 64 B I/O */
	ck_assert_uint_eq(size_bar(0x24), 0u);
}
END_TEST

START_TEST(decode_gates_claims)
{
	ck_assert(!simtest_bar0_claimed(&h, BAR0_GPA));
	simtest_program_bars(v);
	ck_assert(simtest_bar0_claimed(&h, BAR0_GPA));
	ck_assert(simtest_has_range(&h, 0, BAR4_PORT, BAR4_PORT + 63));
	ck_assert(simtest_has_range(&h, 1, VGA_GPA, VGA_GPA + VGA_SIZE - 1));
	mmio_wr(v, BAR0_GPA + SCRATCH(2), 4, 0x600dcafe);
	ck_assert_uint_eq(mmio_rd(v, BAR0_GPA + SCRATCH(2), 4), 0x600dcafe);

	/* Linux's sizing dance: decode off, size, restore. */
	cfg_wr(v, PCI_COMMAND, 2, 0x0004);
	ck_assert(!simtest_bar0_claimed(&h, BAR0_GPA));
	ck_assert(!simtest_has_range(&h, 0, BAR4_PORT, BAR4_PORT + 63));
	ck_assert_uint_eq(mmio_rd(v, BAR0_GPA + SCRATCH(2), 4), 0xffffffffu);
	cfg_wr(v, PCI_COMMAND, 2, 0x0007);
	ck_assert(simtest_bar0_claimed(&h, BAR0_GPA));
	ck_assert_uint_eq(mmio_rd(v, BAR0_GPA + SCRATCH(2), 4), 0x600dcafe);
}
END_TEST

/*
 * The GGTT half of BAR0 is guest RAM: 131,072 PTE stores at i915's init
 * must not be ioreqs.  The daemon raised maxmem and populated the frames,
 * the guest's stores land with no ioreq, reads through the IOBAR window
 * (which the daemon serves) see them, and the RAM follows BAR0 when it
 * moves; the old address then reads all-ones.
 */
static uint32_t window_rd(uint32_t bar0_off)
{
	uint32_t val = 0;

	ck_assert_int_eq(xsim_pio_write(v, BAR4_PORT, 4, bar0_off), 0);
	ck_assert_int_eq(xsim_pio_read(v, BAR4_PORT + 4, 4, &val), 0);
	return val;
}

START_TEST(ggtt_is_guest_ram)
{
	const uint64_t ggtt = BAR0_GPA + 0x800000, moved = 0xf2000000ull;
	struct xsim_domain_info info;
	size_t before, after;
	unsigned i;

	ck_assert_int_eq(xsim_domain_info(h.sim, h.domid, &info), 0);
	ck_assert_uint_ge(info.max_pages, info.tot_pages);
	simtest_program_bars(v);
	ck_assert_int_eq(xsim_log_ioreqs(h.sim, h.domid, 0, NULL, 0, &before),
			 0);
	for (i = 0; i < 256; i++)
		mmio_wr(v, ggtt + 8 * i, 8, 0x1000ull * i | 3);
	ck_assert_uint_eq(mmio_rd(v, ggtt + 8 * 255, 8), 0xff003ull);
	ck_assert_int_eq(xsim_log_ioreqs(h.sim, h.domid, 0, NULL, 0, &after),
			 0);
	ck_assert_uint_eq(after, before);
	/* the device's own view, through BAR4's MMIO_INDEX/MMIO_DATA */
	ck_assert_uint_eq(window_rd(0x800000 + 8 * 7), 0x7003u);
	/* BAR0 moves: so does the table */
	cfg_wr(v, PCI_BAR0, 4, (uint32_t)moved);
	ck_assert_uint_eq(mmio_rd(v, moved + 0x800000 + 8 * 7, 8), 0x7003ull);
	ck_assert_uint_eq(mmio_rd(v, ggtt + 8 * 7, 4), 0xffffffffu);
	ck_assert_uint_eq(window_rd(0x800000 + 8 * 9), 0x9003u);
	/* decode off (Linux's BAR sizing): parked, contents kept */
	cfg_wr(v, PCI_COMMAND, 2, 0x0004);
	ck_assert_uint_eq(mmio_rd(v, moved + 0x800000, 4), 0xffffffffu);
	cfg_wr(v, PCI_COMMAND, 2, 0x0007);
	ck_assert_uint_eq(mmio_rd(v, moved + 0x800000 + 8 * 255, 8),
			  0xff003ull);
}
END_TEST

/*
 * --trap-ggtt: the admin's switch back to the trapped table.  The same
 * stores now reach the daemon, one ioreq each, and read back the same;
 * nothing of the guest's RAM was taken for it.
 */
START_TEST(ggtt_trapped_on_request)
{
	static const char *const args[] = {"--trap-ggtt", NULL};
	const uint64_t ggtt = BAR0_GPA + 0x800000;
	struct xsim_domain_info info;
	struct harness t;
	struct xsim_vcpu *tv;
	size_t before, after;
	unsigned i;

	simtest_start_on(&t, h.sim, 1, args);
	ck_assert_int_eq(xsim_vcpu_open(t.sim, t.domid, 0, &tv), 0);
	ck_assert_int_eq(xsim_domain_info(t.sim, t.domid, &info), 0);
	simtest_program_bars(tv);
	ck_assert_int_eq(xsim_log_ioreqs(t.sim, t.domid, 0, NULL, 0, &before),
			 0);
	for (i = 0; i < 16; i++)
		mmio_wr(tv, ggtt + 8 * i, 8, 0x1000ull * i | 3);
	ck_assert_uint_eq(mmio_rd(tv, ggtt + 8 * 15, 8), 0xf003ull);
	ck_assert_int_eq(xsim_log_ioreqs(t.sim, t.domid, 0, NULL, 0, &after),
			 0);
	ck_assert_uint_ge(after - before, 17);
	ck_assert_uint_eq(info.max_pages, info.tot_pages);
	xsim_vcpu_close(tv);
	harness_end(&t);
}
END_TEST

/*
 * A hostile guest puts BAR0 where the GGTT's RAM cannot go: past the end
 * of Xen's p2m, where relocate_memory would lose every frame.  BAR0 stays
 * undecoded, the daemon keeps answering, and once BAR0 is back at a sane
 * address the table is there with what the guest wrote.  (The parking
 * area sits at a 16 MiB boundary, where BAR0's GGTT half never falls.)
 */
START_TEST(ggtt_ram_hostile_placement)
{
	static const uint32_t hi[] = {0xffff0000u, 0x00100000u, 0x00010000u};
	unsigned i;

	simtest_program_bars(v);
	mmio_wr(v, BAR0_GPA + 0x800000 + 8 * 3, 8, 0xbeef003ull);
	for (i = 0; i < sizeof(hi) / sizeof(hi[0]); i++) {
		cfg_wr(v, PCI_BAR1, 4, hi[i]);
		ck_assert(!simtest_bar0_claimed(&h, BAR0_GPA));
		ck_assert_uint_eq(cfg_rd(v, 0x00, 4), 0x19128086u);
		ck_assert_uint_eq(mmio_rd(v, BAR0_GPA + 0x800000 + 8 * 3, 4),
				  0xffffffffu);
	}
	ck_assert(harness_log_contains(&h, "where its RAM cannot go"));
	cfg_wr(v, PCI_BAR1, 4, 0);
	ck_assert(simtest_bar0_claimed(&h, BAR0_GPA));
	ck_assert_uint_eq(mmio_rd(v, BAR0_GPA + 0x800000 + 8 * 3, 8),
			  0xbeef003ull);
	ck_assert_uint_eq(window_rd(0x800000 + 8 * 3), 0xbeef003u);
}
END_TEST

START_TEST(bar_move_reregisters)
{
	const uint64_t moved = 0xf1000000ull;

	simtest_program_bars(v);
	mmio_wr(v, BAR0_GPA + SCRATCH(3), 4, 0x11223344);
	cfg_wr(v, PCI_BAR0, 4, (uint32_t)moved);
	ck_assert(!simtest_bar0_claimed(&h, BAR0_GPA));
	ck_assert(simtest_bar0_claimed(&h, moved));
	ck_assert_uint_eq(mmio_rd(v, moved + SCRATCH(3), 4), 0x11223344);
	ck_assert_uint_eq(mmio_rd(v, BAR0_GPA + SCRATCH(3), 4), 0xffffffffu);

	/* A 64-bit move above 4 GiB: both halves written. */
	cfg_wr(v, PCI_BAR1, 4, 0x1);
	ck_assert(simtest_bar0_claimed(&h, 0x100000000ull | moved));
	ck_assert_uint_eq(mmio_rd(v, 0x100000000ull + moved + SCRATCH(3), 4),
			  0x11223344);
}
END_TEST

START_TEST(io_bar_moves)
{
	simtest_program_bars(v);
	cfg_wr(v, PCI_BAR4, 4, 0xd000);
	ck_assert(!simtest_has_range(&h, 0, BAR4_PORT, BAR4_PORT + 63));
	ck_assert(simtest_has_range(&h, 0, 0xd000, 0xd000 + 63));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("pci-config");
	TCase *tc = tcase_create("config");

	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, header_at_every_size);
	tcase_add_test(tc, other_functions_read_all_ones);
	tcase_add_test(tc, bar_sizing);
	tcase_add_test(tc, decode_gates_claims);
	tcase_add_test(tc, bar_move_reregisters);
	tcase_add_test(tc, ggtt_is_guest_ram);
	tcase_add_test(tc, ggtt_ram_hostile_placement);
	tcase_add_test(tc, ggtt_trapped_on_request);
	tcase_add_test(tc, io_bar_moves);
	suite_add_tcase(s, tc);
	return simtest_run(s);
}
