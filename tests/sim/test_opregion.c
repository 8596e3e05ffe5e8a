/* SPDX-License-Identifier: MIT */
/*
 * The OpRegion under the simulated Xen: hvmloader's ASLS write (0xFC =
 * 0xfdffc000, unpopulated pages of its reserved area) makes the daemon
 * move its OpRegion RAM there, so the guest reads the header and VBT as
 * memory with no ioreq; SWSCI is answered in that RAM; an ASLS over the
 * guest's RAM or past 4 GiB is refused and the guest's RAM is untouched.
 */
#include "simtest.h"

#define ASLS_GPA ((uint32_t)OPREGION_GPA)
#define ASLS PCI_ASLS
#define SWSCI 0xe8

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

static size_t ioreqs(void)
{
	size_t n = 0;

	ck_assert_int_eq(xsim_log_ioreqs(h.sim, h.domid, 0, NULL, 0, &n), 0);
	return n;
}

START_TEST(placed_as_ram)
{
	uint8_t img[8192];
	size_t before;

	/* nothing at hvmloader's address before ASLS names it */
	ck_assert_int_ne(xsim_mem_read(h.sim, h.domid, ASLS_GPA, img, 16), 0);
	cfg_wr(v, ASLS, 4, ASLS_GPA);
	ck_assert_uint_eq(cfg_rd(v, ASLS, 4), ASLS_GPA);
	/* now it is RAM: the guest's reads are no ioreqs */
	before = ioreqs();
	ck_assert_uint_eq(mmio_rd(v, ASLS_GPA, 4), 0x65746e49u); /* "Inte" */
	ck_assert_uint_eq(mmio_rd(v, ASLS_GPA + 0x400, 4),
			  0x54425624u); /* "$VBT" */
	ck_assert_uint_eq(ioreqs(), before);
	ck_assert_int_eq(
	    xsim_mem_read(h.sim, h.domid, ASLS_GPA, img, sizeof(img)), 0);
	ck_assert_mem_eq(img, "IntelGraphicsMem", 16);
	ck_assert_uint_eq(img[0x58], 1u << 3); /* the VBT mailbox */
	ck_assert_mem_eq(img + 0x400 + 48, "BIOS_DATA_BLOCK", 15);
	/* BAR programming and decode changes leave it alone */
	simtest_program_bars(v);
	ck_assert_uint_eq(mmio_rd(v, ASLS_GPA, 4), 0x65746e49u);
	/* a move: the old pages are a hole again */
	cfg_wr(v, ASLS, 4, 0xfd000000u);
	ck_assert_uint_eq(mmio_rd(v, 0xfd000000u, 4), 0x65746e49u);
	ck_assert_uint_eq(mmio_rd(v, ASLS_GPA, 4), 0xffffffffu);
}
END_TEST

START_TEST(swsci_in_ram)
{
	cfg_wr(v, ASLS, 4, ASLS_GPA);
	/* GBDA "supported calls", as i915's swsci() sends it */
	mmio_wr(v, ASLS_GPA + 0x204, 4, 0x1234);
	mmio_wr(v, ASLS_GPA + 0x200, 4, 4u << 1 | 1);
	cfg_wr(v, SWSCI, 2, 0x8000);
	cfg_wr(v, SWSCI, 2, 0x8001);
	ck_assert_uint_eq(mmio_rd(v, ASLS_GPA + 0x200, 4), 0);
	ck_assert_uint_eq(mmio_rd(v, ASLS_GPA + 0x204, 4), 0);
}
END_TEST

START_TEST(hostile_asls_spares_guest_ram)
{
	const uint64_t ram = 0x00200000u;
	uint8_t pat[8192], back[8192];

	memset(pat, 0x5a, sizeof(pat));
	ck_assert_int_eq(xsim_mem_write(h.sim, h.domid, ram, pat, sizeof(pat)),
			 0);
	cfg_wr(v, ASLS, 4, ASLS_GPA);
	cfg_wr(v, ASLS, 4, (uint32_t)ram);
	ck_assert_int_eq(xsim_mem_read(h.sim, h.domid, ram, back, sizeof(back)),
			 0);
	ck_assert_mem_eq(back, pat, sizeof(pat));
	cfg_wr(v, ASLS, 4, 0xfffff000u);
	ck_assert(harness_log_contains(&h, "refused"));
	/* still serving, and a sane address works again */
	ck_assert_uint_eq(cfg_rd(v, 0x00, 4), 0x19128086u);
	cfg_wr(v, ASLS, 4, ASLS_GPA);
	ck_assert_uint_eq(mmio_rd(v, ASLS_GPA, 4), 0x65746e49u);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("opregion");
	TCase *tc = tcase_create("opregion");

	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, placed_as_ram);
	tcase_add_test(tc, swsci_in_ram);
	tcase_add_test(tc, hostile_asls_spares_guest_ram);
	suite_add_tcase(s, tc);
	return simtest_run(s);
}
