/* SPDX-License-Identifier: MIT */
/*
 * test_pci.c - the generic PCI function of pci.c with a made-up device:
 * 32-bit memory BAR, I/O BAR, ROM absence, table validation, handler
 * calls, 64-bit BAR halves, and the address checks of decode gating.
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>

#include "test_util.h"
#include "util/log.h"
#include "vgpu/pci.h"

#define SBDF 0x28 /* 00:05.0 */

static struct fake_host fh;
static struct pci_func f;
static struct io_region mem32 = {.name = "mem32", .size = 0x1000};
static struct io_region io = {.name = "io", .size = 0x10};
static struct io_region m64a = {.name = "m64a", .size = 0x800};
static struct io_region m64b = {.name = "m64b", .size = 0x800};

static unsigned calls;
static uint32_t seen_old, seen_new;

static void note_write(struct pci_func *pf, const struct pci_cfg_reg *r,
		       uint32_t old)
{
	calls++;
	seen_old = old;
	seen_new = pci_cfg_get(pf, r->offset, r->size);
}

static uint32_t counter_read(struct pci_func *pf, const struct pci_cfg_reg *r)
{
	return ++calls * 0x01010101u;
}

static const struct pci_cfg_reg regs[] = {
    {.name = "VID", .offset = 0, .size = 2, .reset = 0x1af4},
    {.name = "DID", .offset = 2, .size = 2, .reset = 0x1234},
    {.name = "CMD", .offset = 4, .size = 2, .wmask = 0x0407},
    {.name = "STS", .offset = 6, .size = 2, .w1cmask = 0xf900},
    {.name = "REG",
     .offset = 0x40,
     .size = 4,
     .wmask = 0x00ffff00,
     .write = note_write},
    {.name = "CNT", .offset = 0x48, .size = 4, .read = counter_read},
};

static void setup(void)
{
	struct pci_func_def def = {
	    .name = "test",
	    .sbdf = SBDF,
	    .regs = regs,
	    .nregs = sizeof(regs) / sizeof(regs[0]),
	    .bars = {{.kind = PCI_BAR_MEM32, .size = 0x1000},
		     {.kind = PCI_BAR_IO, .size = 0x10},
		     {.kind = PCI_BAR_NONE},
		     {.kind = PCI_BAR_MEM64, .size = 0x1000}},
	};

	fake_host_init(&fh);
	ck_assert_int_eq(pci_func_init(&f, &def, &fh.host, NULL), 0);
	ck_assert_int_eq(pci_func_add_bar_region(&f, 0, &mem32, 0), 0);
	ck_assert_int_eq(pci_func_add_bar_region(&f, 1, &io, 0), 0);
	ck_assert_int_eq(pci_func_add_bar_region(&f, 3, &m64a, 0), 0);
	ck_assert_int_eq(pci_func_add_bar_region(&f, 3, &m64b, 0x800), 0);
	ck_assert_int_eq(pci_func_start(&f), 0);
	events_str(&fh);
	calls = 0;
}

static void teardown(void)
{
	pci_func_stop(&f);
	ck_assert_uint_eq(fh.nmapped, 0);
}

START_TEST(no_caps_no_status_bit)
{
	ck_assert_uint_eq(pci_cfg_read(&f, 0x06, 2), 0);
	ck_assert_uint_eq(pci_cfg_read(&f, 0x34, 1), 0);
	ck_assert_uint_eq(pci_cfg_read(&f, 0x3d, 1), 0); /* no pin declared */
}
END_TEST

START_TEST(sizing_each_kind)
{
	pci_cfg_write(&f, 0x10, 4, 0xffffffff);
	ck_assert_uint_eq(pci_cfg_read(&f, 0x10, 4), 0xfffff000);
	pci_cfg_write(&f, 0x14, 4, 0xffffffff);
	ck_assert_uint_eq(pci_cfg_read(&f, 0x14, 4), 0x0000fff1);
	pci_cfg_write(&f, 0x18, 4, 0xffffffff);
	ck_assert_uint_eq(pci_cfg_read(&f, 0x18, 4), 0);
	pci_cfg_write(&f, 0x1c, 4, 0xffffffff);
	ck_assert_uint_eq(pci_cfg_read(&f, 0x1c, 4), 0xfffff004);
	pci_cfg_write(&f, 0x20, 4, 0xffffffff);
	ck_assert_uint_eq(pci_cfg_read(&f, 0x20, 4), 0xffffffff);
	pci_cfg_write(&f, 0x30, 4, 0xffffffff);
	ck_assert_uint_eq(pci_cfg_read(&f, 0x30, 4), 0);
	/* Flag bits are read-only: a byte write cannot turn I/O to memory. */
	pci_cfg_write(&f, 0x14, 1, 0x00);
	ck_assert_uint_eq(pci_cfg_read(&f, 0x14, 4), 0x0000ff01);
	pci_cfg_write(&f, 0x1c, 1, 0x00);
	ck_assert_uint_eq(pci_cfg_read(&f, 0x1c, 4), 0xfffff004);
}
END_TEST

START_TEST(mem32_and_io_decode)
{
	pci_cfg_write(&f, 0x10, 4, 0xfebff000);
	pci_cfg_write(&f, 0x14, 4, 0xc040);
	ck_assert_str_eq(events_str(&fh), "");
	pci_cfg_write(&f, 0x04, 2, PCI_COMMAND_MEMORY);
	ck_assert_str_eq(events_str(&fh), "M mem32 febff000");
	pci_cfg_write(&f, 0x04, 2, PCI_COMMAND_MEMORY | PCI_COMMAND_IO);
	ck_assert_str_eq(events_str(&fh), "M io c040");
	/* The last page below 4 GiB is a real place for a 32-bit BAR. */
	pci_cfg_write(&f, 0x10, 4, 0xfffff000);
	ck_assert_str_eq(events_str(&fh), "U mem32 febff000, M mem32 fffff000");
	/* Address 0 is "unassigned". */
	pci_cfg_write(&f, 0x10, 4, 0);
	ck_assert_str_eq(events_str(&fh), "U mem32 fffff000");
	/* Byte-wise programming: live once the address is whole. */
	pci_cfg_write(&f, 0x13, 1, 0xfe);
	ck_assert_str_eq(events_str(&fh), "M mem32 fe000000");
	pci_cfg_write(&f, 0x12, 1, 0x80);
	ck_assert_str_eq(events_str(&fh), "U mem32 fe000000, M mem32 fe800000");
	/* An I/O BAR sized with a word write is just a store of 0xffff. */
	pci_cfg_write(&f, 0x14, 2, 0xffff);
	ck_assert_str_eq(events_str(&fh), "U io c040, M io fff0");
}
END_TEST

START_TEST(mem64_needs_both_halves)
{
	pci_cfg_write(&f, 0x04, 2, PCI_COMMAND_MEMORY);
	events_str(&fh);
	pci_cfg_write(&f, 0x1c, 4, 0xffffffff);
	pci_cfg_write(&f, 0x20, 4, 0xffffffff);
	pci_cfg_write(&f, 0x1c, 4, 0xe0000004);
	ck_assert_str_eq(events_str(&fh), "");
	pci_cfg_write(&f, 0x20, 4, 0x2);
	ck_assert_str_eq(events_str(&fh), "M m64a 2e0000000, M m64b 2e0000800");
	ck_assert(fake_host_find(&fh, IO_SPACE_MMIO, 0x2e0000fffull) == &m64b);
	/*
	 * High addresses are real addresses; an upper half of exactly ~0 is
	 * the sizing pattern, so the last 4 GiB of the space stay unusable.
	 */
	pci_cfg_write(&f, 0x20, 4, 0xfffffffe);
	pci_cfg_write(&f, 0x1c, 4, 0xfffff004);
	ck_assert_str_eq(events_str(&fh),
			 "U m64a 2e0000000, U m64b 2e0000800, "
			 "M m64a fffffffee0000000, M m64b fffffffee0000800, "
			 "U m64a fffffffee0000000, U m64b fffffffee0000800, "
			 "M m64a fffffffefffff000, M m64b fffffffefffff800");
	pci_func_reset(&f);
	ck_assert_str_eq(events_str(&fh),
			 "U m64a fffffffefffff000, U m64b fffffffefffff800");
	ck_assert_uint_eq(pci_cfg_read(&f, 0x1c, 4), 4);
	ck_assert_uint_eq(pci_cfg_read(&f, 0x04, 2), 0);
}
END_TEST

START_TEST(handlers)
{
	/* Write handler: once per register, with the old value. */
	pci_cfg_write(&f, 0x40, 4, 0xffffffff);
	ck_assert_uint_eq(calls, 1);
	ck_assert_uint_eq(seen_old, 0);
	ck_assert_uint_eq(seen_new, 0x00ffff00);
	pci_cfg_write(&f, 0x41, 2, 0x0000);
	ck_assert_uint_eq(calls, 2);
	ck_assert_uint_eq(seen_old, 0x00ffff00);
	ck_assert_uint_eq(seen_new, 0);
	/* Read handler: one call per access, bytes sliced from it. */
	calls = 0;
	ck_assert_uint_eq(pci_cfg_read(&f, 0x48, 4), 0x01010101);
	ck_assert_uint_eq(pci_cfg_read(&f, 0x49, 2), 0x0202);
	ck_assert_uint_eq(calls, 2);
	/* A dword read across a handled and a plain register. */
	ck_assert_uint_eq(pci_cfg_read(&f, 0x46, 4), 0x03030000);
}
END_TEST

START_TEST(status_w1c_generic)
{
	pci_status_update(&f, 0x8100 | PCI_STATUS_INTERRUPT, 0);
	pci_cfg_write(&f, 0x06, 1, 0xff); /* low byte: nothing W1C */
	ck_assert_uint_eq(pci_cfg_read(&f, 0x06, 2), 0x8108);
	pci_cfg_write(&f, 0x06, 2, 0x0100);
	ck_assert_uint_eq(pci_cfg_read(&f, 0x06, 2), 0x8008);
	pci_status_update(&f, 0, PCI_STATUS_INTERRUPT);
	ck_assert_uint_eq(pci_cfg_read(&f, 0x06, 2), 0x8000);
}
END_TEST

START_TEST(bad_definitions)
{
	static const struct pci_cfg_reg overlap[] = {
	    {.offset = 0x40, .size = 4}, {.offset = 0x42, .size = 2}};
	static const struct pci_cfg_reg cross[] = {{.offset = 0x42, .size = 4}};
	static const struct pci_cfg_reg in_bar[] = {
	    {.offset = 0x14, .size = 4}};
	static const struct pci_cfg_reg both[] = {
	    {.offset = 0x40, .size = 1, .wmask = 1, .w1cmask = 1}};
	static const struct pci_cfg_reg on_cap[] = {
	    {.offset = 0x50, .size = 2}};
	static const struct pci_cap_def low_cap[] = {{.offset = 0x3c, .id = 5}};
	static const struct pci_cap_def caps[] = {{.offset = 0x50, .id = 5}};
	struct pci_func_def d;
	struct pci_func g;

#define TRY(...)                                                        \
	do {                                                            \
		d = (struct pci_func_def){.sbdf = 0, __VA_ARGS__};      \
		ck_assert_int_eq(pci_func_init(&g, &d, &fh.host, NULL), \
				 -EINVAL);                              \
	} while (0)
	TRY(.regs = overlap, .nregs = 2);
	TRY(.regs = cross, .nregs = 1);
	TRY(.regs = in_bar, .nregs = 1);
	TRY(.regs = both, .nregs = 1);
	TRY(.regs = on_cap, .nregs = 1, .caps = caps, .ncaps = 1);
	TRY(.caps = low_cap, .ncaps = 1);
	TRY(.bars = {[5] = {.kind = PCI_BAR_MEM64, .size = 0x1000}});
	TRY(.bars = {{.kind = PCI_BAR_MEM64, .size = 0x1000},
		     {.kind = PCI_BAR_IO, .size = 4}});
	TRY(.bars = {{.kind = PCI_BAR_MEM32, .size = 0x1800}});
	TRY(.bars = {{.kind = PCI_BAR_MEM32, .size = 8}});
	TRY(.bars = {{.kind = PCI_BAR_IO, .size = 512}});
	TRY(.bars = {{.kind = PCI_BAR_IO, .size = 16, .prefetch = true}});
#undef TRY
	/* Regions must fit their BAR. */
	ck_assert_int_eq(pci_func_add_bar_region(&f, 0, &mem32, 0x800),
			 -EINVAL);
	ck_assert_int_eq(pci_func_add_bar_region(&f, 2, &mem32, 0), -EINVAL);
	ck_assert_int_eq(pci_func_add_bar_region(&f, 4, &mem32, 0), -EINVAL);
	ck_assert_int_eq(pci_func_add_bar_region(&f, 6, &mem32, 0), -EINVAL);
	ck_assert_int_eq(pci_func_add_fixed(&f, &mem32, 0x4), -EINVAL);
}
END_TEST

START_TEST(unmap_failure_is_survivable)
{
	pci_cfg_write(&f, 0x10, 4, 0xfe000000);
	pci_cfg_write(&f, 0x04, 2, PCI_COMMAND_MEMORY);
	ck_assert_str_eq(events_str(&fh), "M mem32 fe000000");
	/* Someone released it behind our back: we log and carry on. */
	fh.host.ops->unmap(fh.host.ctx, &mem32);
	events_str(&fh);
	pci_cfg_write(&f, 0x10, 4, 0xfd000000);
	ck_assert_str_eq(events_str(&fh),
			 "U! mem32 fe000000, M mem32 fd000000");
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("pci");
	TCase *tc = tcase_create("generic");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, no_caps_no_status_bit);
	tcase_add_test(tc, sizing_each_kind);
	tcase_add_test(tc, mem32_and_io_decode);
	tcase_add_test(tc, mem64_needs_both_halves);
	tcase_add_test(tc, handlers);
	tcase_add_test(tc, status_w1c_generic);
	tcase_add_test(tc, bad_definitions);
	tcase_add_test(tc, unmap_failure_is_survivable);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return vgpu_test_run(suite());
}
