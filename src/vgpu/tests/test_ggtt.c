/* SPDX-License-Identifier: MIT */
/*
 * test_ggtt.c - the GGTT half of BAR0 as guest RAM: the guest's entries
 * land in RAM (no handler runs), the device reads them back, BAR moves and
 * decode off/on keep them, BAR4's window still reaches them under the
 * GGTT's rules, and a host without RAM gets the trapped table instead.
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>

#include "test_util.h"
#include "util/log.h"
#include "vgpu/block.h"
#include "vgpu/ggtt.h"
#include "vgpu/layout.h"

#define SBDF 0x10
#define BAR0 0xf0000000u
#define IOBAR 0xc000u

static struct fake_host fh;
static struct vgpu *v;

static void make(bool ram, bool trapped)
{
	struct vgpu_config cfg;

	fake_host_init(&fh);
	fh.ram_ok = ram;
	vgpu_config_default(&cfg);
	cfg.ggtt_trapped = trapped;
	ck_assert_int_eq(vgpu_create(&cfg, &fh.host, &v), 0);
	fake_cfg_write(&fh, SBDF, 0x10, 4, BAR0);
	fake_cfg_write(&fh, SBDF, 0x20, 4, IOBAR | 1);
	fake_cfg_write(&fh, SBDF, 0x04, 2, 0x0007);
}

static struct vgpu_ggtt *ggtt(void)
{
	return vgpu_block_state(v, &vgpu_ggtt_block);
}

START_TEST(entries_in_ram)
{
	make(true, false);
	ck_assert(vgpu_ggtt_in_ram(ggtt()));
	ck_assert(fake_host_is_mapped(&fh, "gttmmadr-ggtt", BAR0 + (8u << 20)));
	fake_write(&fh, IO_SPACE_MMIO, BAR0 + VGPU_GGTT_OFFSET + 8 * 5, 8,
		   0xabcd5003ull);
	/* the guest's store is in RAM, and the device sees it */
	ck_assert_uint_eq(vgpu_ggtt_entry(ggtt(), 5), 0xabcd5003ull);
	ck_assert_uint_eq(fh.ram[40], 0x03);
	/* RAM is memory: a 2-byte read gives the bytes */
	ck_assert_uint_eq(
	    fake_read(&fh, IO_SPACE_MMIO, BAR0 + VGPU_GGTT_OFFSET + 40, 2),
	    0x5003);
	/* decode off and on, and a move: the RAM goes along, contents kept */
	fake_cfg_write(&fh, SBDF, 0x04, 2, 0);
	ck_assert(
	    !fake_host_is_mapped(&fh, "gttmmadr-ggtt", BAR0 + (8u << 20)));
	ck_assert_uint_eq(vgpu_ggtt_entry(ggtt(), 5), 0xabcd5003ull);
	fake_cfg_write(&fh, SBDF, 0x10, 4, 0xe0000000u);
	fake_cfg_write(&fh, SBDF, 0x04, 2, 0x0007);
	ck_assert_uint_eq(fake_read(&fh, IO_SPACE_MMIO,
				    0xe0000000u + VGPU_GGTT_OFFSET + 40, 8),
			  0xabcd5003ull);
	ck_assert_uint_eq(fh.ram_moves, 3);
	/* BAR4's window: the GGTT's rules, the RAM's bytes */
	fake_write(&fh, IO_SPACE_PORT, IOBAR, 4, VGPU_GGTT_OFFSET + 40);
	ck_assert_uint_eq(fake_read(&fh, IO_SPACE_PORT, IOBAR + 4, 4),
			  0xabcd5003u);
	ck_assert_uint_eq(fake_read(&fh, IO_SPACE_PORT, IOBAR + 4, 2), 0xffff);
	fake_write(&fh, IO_SPACE_PORT, IOBAR + 4, 4, 0x77);
	ck_assert_uint_eq(vgpu_ggtt_entry(ggtt(), 5), 0x77);
	/* beyond the table */
	ck_assert_uint_eq(vgpu_ggtt_entry(ggtt(), VGPU_GGTT_ENTRIES), 0);
	vgpu_destroy(v);
}
END_TEST

START_TEST(trapped_without_ram)
{
	unsigned ram_ok;

	for (ram_ok = 0; ram_ok < 2; ram_ok++) {
		/* no RAM from the host, or the admin asked for trapping */
		make(ram_ok, ram_ok);
		ck_assert(!vgpu_ggtt_in_ram(ggtt()));
		ck_assert(!vgpu_ggtt_region(ggtt())->ram);
		fake_write(&fh, IO_SPACE_MMIO, BAR0 + VGPU_GGTT_OFFSET + 8, 8,
			   0x1003);
		ck_assert_uint_eq(vgpu_ggtt_entry(ggtt(), 1), 0x1003);
		/* trapped: the GGTT's access rules apply */
		ck_assert_uint_eq(fake_read(&fh, IO_SPACE_MMIO,
					    BAR0 + VGPU_GGTT_OFFSET + 8, 2),
				  0xffff);
		vgpu_destroy(v);
	}
}
END_TEST

START_TEST(reset_and_save_in_ram)
{
	struct blob_w w;

	make(true, false);
	fake_write(&fh, IO_SPACE_MMIO, BAR0 + VGPU_GGTT_OFFSET, 8, 0x9003);
	blob_w_init(&w);
	ck_assert_int_eq(vgpu_save(v, &w), 0);
	vgpu_reset(v);
	ck_assert_uint_eq(vgpu_ggtt_entry(ggtt(), 0), 0);
	ck_assert_int_eq(vgpu_load(v, w.buf, w.len), 0);
	ck_assert_uint_eq(vgpu_ggtt_entry(ggtt(), 0), 0x9003);
	ck_assert(fake_host_is_mapped(&fh, "gttmmadr-ggtt", BAR0 + (8u << 20)));
	blob_w_free(&w);
	vgpu_destroy(v);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("ggtt");
	TCase *tc = tcase_create("ggtt");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, entries_in_ram);
	tcase_add_test(tc, trapped_without_ram);
	tcase_add_test(tc, reset_and_save_in_ram);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return vgpu_test_run(suite());
}
