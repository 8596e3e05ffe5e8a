/* SPDX-License-Identifier: MIT */
/*
 * test_hw.c - the registers that describe the hardware, read and written
 * the way i915 6.1 does at probe (docs/vgpu-registers.md), each checked
 * for what the driver tests, plus hostile accesses: narrow, unaligned,
 * garbage.
 */
#include <check.h>
#include <stdlib.h>

#include "test_util.h"
#include "vgpu/block.h"

static struct fake_host fh;
static struct vgpu *v;

static uint32_t rd(uint32_t off)
{
	return (uint32_t)mmio_read(vgpu_regs(v), off, 4);
}

static void wr(uint32_t off, uint32_t val)
{
	mmio_write(vgpu_regs(v), off, 4, val);
}

static void wrn(uint32_t off, unsigned size, uint64_t val)
{
	mmio_write(vgpu_regs(v), off, size, val);
}

/* i915's masked-register write: enable bits in 31:16, values in 15:0. */
static uint32_t masked(uint16_t mask, uint16_t val)
{
	return ((uint32_t)mask << 16) | val;
}

static void setup(void)
{
	struct vgpu_config cfg;

	fake_host_init(&fh);
	vgpu_config_default(&cfg);
	ck_assert_int_eq(vgpu_create(&cfg, &fh.host, &v), 0);
}

static void teardown(void)
{
	vgpu_destroy(v);
	v = NULL;
}

/* ---- gt.c ------------------------------------------------------------ */

/* gen9_sseu_info_init: one slice, subslices 0-2, 8 EUs each. */
START_TEST(gt_fuses_describe_gt2)
{
	uint32_t fuse2 = rd(0x9120), eu = rd(0x9134);
	unsigned slices = (fuse2 >> 25) & 7, ss_dis = (fuse2 >> 20) & 0xf;
	unsigned ss, eus = 0;

	ck_assert_uint_eq(slices, 1);
	ck_assert_uint_eq(ss_dis, 0x8);
	for (ss = 0; ss < 4; ss++)
		if (!(ss_dis & (1u << ss)))
			eus += 8 - (unsigned)__builtin_popcount(
				       (eu >> (8 * ss)) & 0xff);
	ck_assert_uint_eq(eus, 24);
	/* Fuses are read-only whatever the width of the write. */
	wr(0x9120, 0);
	wrn(0x9121, 2, 0xffff);
	wr(0x9134, 0xffffffffu);
	wrn(0x913a, 1, 0xff);
	wrn(0x913c, 8, ~0ull); /* runs past the fuse into 0x9140 */
	ck_assert_uint_eq(rd(0x9120), fuse2);
	ck_assert_uint_eq(rd(0x9134), 0);
	ck_assert_uint_eq(rd(0x9138), 0);
	ck_assert_uint_eq(rd(0x913c), 0);
}
END_TEST

/* gen9_read_clock_frequency: crystal 24 MHz >> (3 - bits 2:1) = 12 MHz. */
START_TEST(gt_timestamp_clock_12mhz)
{
	uint32_t ctc = rd(0xa26c);

	ck_assert_uint_eq(ctc & 1, 0);
	ck_assert_uint_eq(24000000u >> (3 - ((ctc >> 1) & 3)), 12000000u);
	wr(0xa26c, 1);
	ck_assert_uint_eq(rd(0xa26c), ctc);
}
END_TEST

/* __uc_check_hw: a locked WOPCM would wedge the GT. */
START_TEST(gt_wopcm_unlocked)
{
	wr(0xc050, 1);
	wr(0xc340, 1);
	ck_assert_uint_eq(rd(0xc050) & 1, 0);
	ck_assert_uint_eq(rd(0xc340) & 1, 0);
}
END_TEST

/* mmio_invalidate_full: write bit 0, poll it clear within 4 ms. */
START_TEST(gt_tlb_invalidation_completes)
{
	static const uint32_t tcr[] = {0x4260, 0x4264, 0x4268, 0x426c, 0x4270};
	unsigned i;

	for (i = 0; i < 5; i++) {
		wr(tcr[i], 1);
		ck_assert_uint_eq(rd(tcr[i]) & 1, 0);
		wrn(tcr[i] + 1, 1, 0xff);
		ck_assert_uint_eq(rd(tcr[i]), 0);
	}
}
END_TEST

/* fpga_check_for_unclaimed_mmio: bit 31 clear; writing 1 clears it. */
START_TEST(gt_fpga_dbg)
{
	ck_assert_uint_eq(rd(0x42300), 0);
	wr(0x42300, 0x80000001u);
	ck_assert_uint_eq(rd(0x42300), 1);
	wrn(0x42303, 1, 0x80);
	ck_assert_uint_eq(rd(0x42300), 1);
	wr(0x42300, 0);
	ck_assert_uint_eq(rd(0x42300), 0);
}
END_TEST

/* fw_domain_get: masked request, then poll the ack's bit. */
START_TEST(gt_forcewake_ack_follows_request)
{
	static const uint32_t req[] = {0xa278, 0xa270, 0xa188};
	static const uint32_t ack[] = {0x0d84, 0x0d88, 0x130044};
	unsigned i, j;

	for (i = 0; i < 3; i++) {
		wr(req[i], masked(1, 1));
		ck_assert_uint_eq(rd(ack[i]), 1);
		ck_assert_uint_eq(rd(req[i]), 1);
		for (j = 0; j < 3; j++)
			if (j != i)
				ck_assert_uint_eq(rd(ack[j]) & 1, j < i);
	}
	wr(0xa278, masked(0x8001, 0x8000)); /* bit 15 on, bit 0 off */
	ck_assert_uint_eq(rd(0x0d84), 0x8000);
	wrn(0xa278, 2, 0xffff); /* narrow write to a masked register: dropped */
	ck_assert_uint_eq(rd(0x0d84), 0x8000);
	wr(0x0d84, 0); /* the ack is read-only */
	ck_assert_uint_eq(rd(0x0d84), 0x8000);
}
END_TEST

START_TEST(gt_fault_and_fifo)
{
	ck_assert_uint_eq(rd(0x4094) & 1, 0); /* no fault recorded */
	wr(0x4094, rd(0x4094) & ~1u);
	ck_assert_uint_eq(rd(0x4094), 0);
	ck_assert_uint_eq(rd(0x120000), 0);
	wr(0x120000, ~0u); /* W1C: nothing to clear */
	ck_assert_uint_eq(rd(0x120000), 0);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("vgpu-hw");
	TCase *tc = tcase_create("gt");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, gt_fuses_describe_gt2);
	tcase_add_test(tc, gt_timestamp_clock_12mhz);
	tcase_add_test(tc, gt_wopcm_unlocked);
	tcase_add_test(tc, gt_tlb_invalidation_completes);
	tcase_add_test(tc, gt_fpga_dbg);
	tcase_add_test(tc, gt_forcewake_ack_follows_request);
	tcase_add_test(tc, gt_fault_and_fifo);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return vgpu_test_run(suite());
}
