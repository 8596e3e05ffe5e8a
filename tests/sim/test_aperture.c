/* SPDX-License-Identifier: MIT */
/*
 * The aperture under the simulated Xen, with the real daemon: the guest
 * binds a GGTT entry of its mappable slice (BAR0 + 8 MiB, guest RAM),
 * writes GFX_FLSH_CNTL as i915's gen8_ggtt_invalidate does, then draws
 * 4 KiB through BAR2 with plain stores: no ioreq at all, and the page the
 * entry names holds the bytes after the next sync point (the next
 * GFX_FLSH_CNTL write).  With --trap-aperture the same stores are one
 * ioreq each and reach the page at once.
 */
#include "simtest.h"

#define SLICE 0x08000000ull /* GVTg_V5_4: the vGPU's slice of the aperture */
#define SRC 0x00300000ull   /* a guest RAM page */
#define FLSH 0x101008u

static struct harness h;
static struct xsim_vcpu *v;

static void start(const char *const *args)
{
	simtest_start(&h, 1, args);
	ck_assert_int_eq(xsim_vcpu_open(h.sim, h.domid, 0, &v), 0);
	simtest_program_bars(v);
}

static void stop(void)
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

static void bind(uint32_t slot, uint64_t gpa)
{
	mmio_wr(v, BAR0_GPA + 0x800000 + 8 * (SLICE / 4096 + slot), 8, gpa | 1);
	mmio_wr(v, BAR0_GPA + FLSH, 4, 1);
}

static void draw(uint32_t slot)
{
	for (unsigned i = 0; i < 512; i++)
		mmio_wr(v, BAR2_GPA + SLICE + 4096ull * slot + 8 * i, 8,
			0x0101010101010101ull * (i & 0xff));
}

static void expect_drawn(uint64_t gpa)
{
	uint64_t page[512];

	ck_assert_int_eq(xsim_mem_read(h.sim, h.domid, gpa, page, 4096), 0);
	for (unsigned i = 0; i < 512; i++)
		ck_assert_uint_eq(page[i], 0x0101010101010101ull * (i & 0xff));
}

START_TEST(stores_are_memory)
{
	uint64_t zero[512];
	size_t before;

	start(NULL);
	bind(0, SRC);
	before = ioreqs();
	draw(0);
	ck_assert_uint_eq(ioreqs(), before); /* 512 stores, no ioreq */
	/* not yet at the page: until the next sync point */
	ck_assert_int_eq(xsim_mem_read(h.sim, h.domid, SRC, zero, 4096), 0);
	ck_assert_uint_eq(zero[1], 0);
	mmio_wr(v, BAR0_GPA + FLSH, 4, 1);
	ck_assert_uint_eq(ioreqs(), before + 1);
	expect_drawn(SRC);
	/* the guest reads its drawing back through the aperture, as RAM */
	ck_assert_uint_eq(mmio_rd(v, BAR2_GPA + SLICE + 8, 8),
			  0x0101010101010101ull);
	ck_assert(!harness_log_contains(&h, "track_dirty_vram"));
	stop();
}
END_TEST

START_TEST(rebind_keeps_the_drawing)
{
	start(NULL);
	bind(5, SRC);
	draw(5);
	bind(5, SRC + 0x1000); /* the old page gets the drawing first */
	expect_drawn(SRC);
	ck_assert_uint_eq(mmio_rd(v, BAR2_GPA + SLICE + 5 * 4096 + 8, 8), 0);
	stop();
}
END_TEST

START_TEST(trapped_is_one_ioreq_per_store)
{
	static const char *const args[] = {"--trap-aperture", NULL};
	size_t before;

	start(args);
	bind(0, SRC);
	before = ioreqs();
	draw(0);
	ck_assert_uint_eq(ioreqs(), before + 512);
	expect_drawn(SRC); /* at once */
	stop();
}
END_TEST

int main(void)
{
	Suite *s = suite_create("aperture");
	TCase *tc = tcase_create("aperture");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, stores_are_memory);
	tcase_add_test(tc, rebind_keeps_the_drawing);
	tcase_add_test(tc, trapped_is_one_ioreq_per_store);
	suite_add_tcase(s, tc);
	return simtest_run(s);
}
