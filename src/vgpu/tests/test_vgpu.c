/* SPDX-License-Identifier: MIT */
/*
 * test_vgpu.c - the vGPU's PCI function: config header, BAR sizing,
 * capabilities, the boot sequences real Xen showed (hvmloader, Linux),
 * BAR moves, decode gating, legacy VGA, and hostile config accesses.
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>

#include "test_util.h"
#include "util/log.h"
#include "vgpu/block.h"
#include "vgpu/cfg.h"
#include "vgpu/layout.h"

#define SBDF 0x10 /* 00:02.0 */

static struct fake_host fh;
static struct vgpu *v;

static uint32_t cr(unsigned reg, unsigned size)
{
	return fake_cfg_read(&fh, SBDF, reg, size);
}

static void cw(unsigned reg, unsigned size, uint32_t val)
{
	fake_cfg_write(&fh, SBDF, reg, size, val);
}

static void make(bool legacy_vga)
{
	struct vgpu_config cfg;

	fake_host_init(&fh);
	vgpu_config_default(&cfg);
	cfg.legacy_vga = legacy_vga;
	ck_assert_int_eq(vgpu_create(&cfg, &fh.host, &v), 0);
	ck_assert_str_eq(events_str(&fh), "M vgpu 00:02.0 10");
}

static void setup(void)
{
	make(false);
}

static void teardown(void)
{
	vgpu_destroy(v);
	v = NULL;
	ck_assert_uint_eq(fh.nmapped, 0);
}

/* Size a BAR the way firmware does; returns what the ~0 read gave. */
static uint32_t size_bar(unsigned reg)
{
	uint32_t orig = cr(reg, 4), sz;

	cw(reg, 4, 0xffffffffu);
	sz = cr(reg, 4);
	cw(reg, 4, orig);
	ck_assert_uint_eq(cr(reg, 4), orig);
	return sz;
}

START_TEST(header_identity)
{
	ck_assert_uint_eq(cr(0x00, 4), 0x19128086);
	ck_assert_uint_eq(cr(0x04, 4), 0x00100000); /* CAP list, decode off */
	ck_assert_uint_eq(cr(0x08, 4), 0x03000006); /* VGA, rev 06 */
	ck_assert_uint_eq(cr(0x0c, 4), 0);	    /* type 0 */
	ck_assert_uint_eq(cr(0x10, 4), 0x00000004); /* 64-bit mem */
	ck_assert_uint_eq(cr(0x18, 4), 0x0000000c); /* 64-bit prefetch */
	ck_assert_uint_eq(cr(0x20, 4), 0x00000001); /* I/O */
	ck_assert_uint_eq(cr(0x24, 4), 0);
	ck_assert_uint_eq(cr(0x28, 4), 0);
	ck_assert_uint_eq(cr(0x2c, 4), 0x19128086);
	ck_assert_uint_eq(cr(0x30, 4), 0); /* no ROM */
	ck_assert_uint_eq(cr(0x34, 4), 0xac);
	ck_assert_uint_eq(cr(0x3c, 4), 0x00000100); /* INTA */
	ck_assert_uint_eq(cr(0x50, 2), 0x00c0);	    /* GGMS 8M, GMS 0 */
	ck_assert_uint_eq(cr(0x5c, 4), 0);
	ck_assert_uint_eq(cr(0xfc, 4), 0);
	/* Capability list: MSI -> PM -> end. */
	ck_assert_uint_eq(cr(0xac, 2), 0xd005);
	ck_assert_uint_eq(cr(0xae, 2), 0x0000); /* 32-bit, 1 vector */
	ck_assert_uint_eq(cr(0xd0, 2), 0x0001);
	ck_assert_uint_eq(cr(0xd2, 2), 0x0002);
	ck_assert_uint_eq(cr(0xd4, 2), 0x0008); /* D0, NoSoftRst */
}
END_TEST

START_TEST(header_every_size_and_alignment)
{
	uint8_t b[256];
	unsigned off, size, i;

	for (off = 0; off < 256; off++)
		b[off] = (uint8_t)cr(off, 1);
	for (size = 1; size <= 4; size *= 2) {
		for (off = 0; off + size <= 256; off++) {
			uint32_t want = 0;

			for (i = 0; i < size; i++)
				want |= (uint32_t)b[off + i] << (8 * i);
			ck_assert_msg(cr(off, size) == want,
				      "read %u at %#x: %#x != %#x", size, off,
				      cr(off, size), want);
		}
	}
	/* Reserved space (not a register, not a capability) reads 0. */
	for (off = 0x40; off < 0xac; off++)
		if (off != 0x50 && off != 0x51)
			ck_assert_uint_eq(b[off], 0);
}
END_TEST

START_TEST(reserved_and_readonly_ignore_writes)
{
	cw(0x00, 4, 0);
	cw(0x08, 4, 0xffffffff);
	cw(0x0e, 1, 0x80);
	cw(0x2c, 4, 0);
	cw(0x34, 1, 0x40);
	cw(0x3d, 1, 4);
	cw(0x40, 4, 0xdeadbeef);
	cw(0x50, 2, 0xffff);
	cw(0x5c, 4, 0x12345678);
	cw(0xac, 2, 0);
	ck_assert_uint_eq(cr(0x00, 4), 0x19128086);
	ck_assert_uint_eq(cr(0x08, 4), 0x03000006);
	ck_assert_uint_eq(cr(0x0c, 4), 0);
	ck_assert_uint_eq(cr(0x2c, 4), 0x19128086);
	ck_assert_uint_eq(cr(0x34, 1), 0xac);
	ck_assert_uint_eq(cr(0x3d, 1), 1);
	ck_assert_uint_eq(cr(0x40, 4), 0);
	ck_assert_uint_eq(cr(0x50, 2), 0x00c0);
	ck_assert_uint_eq(cr(0x5c, 4), 0);
	ck_assert_uint_eq(cr(0xac, 2), 0xd005);
	/* INTERRUPT_LINE and CLS are the guest's; masked per byte. */
	cw(0x3c, 4, 0xffffffff);
	ck_assert_uint_eq(cr(0x3c, 4), 0x000001ff);
	cw(0x0c, 4, 0xffffffff);
	ck_assert_uint_eq(cr(0x0c, 4), 0x000000ff);
}
END_TEST

START_TEST(command_writable_mask)
{
	cw(0x04, 2, 0xffff);
	ck_assert_uint_eq(cr(0x04, 2), 0x0407);
	cw(0x05, 1, 0x00);
	ck_assert_uint_eq(cr(0x04, 2), 0x0007);
	cw(0x04, 1, 0x00);
	ck_assert_uint_eq(cr(0x04, 2), 0x0000);
	events_str(&fh);
}
END_TEST

START_TEST(status_w1c)
{
	pci_status_update(vgpu_pci(v), 0xf900 | PCI_STATUS_INTERRUPT, 0);
	ck_assert_uint_eq(cr(0x06, 2), 0xf918);
	/* Writing 0 changes nothing; 1s clear exactly those error bits. */
	cw(0x06, 2, 0);
	ck_assert_uint_eq(cr(0x06, 2), 0xf918);
	cw(0x04, 4, 0x81000000u); /* via the COMMAND dword, COMMAND = 0 */
	ck_assert_uint_eq(cr(0x06, 2), 0x7818);
	cw(0x07, 1, 0xff);
	ck_assert_uint_eq(cr(0x06, 2), 0x0018); /* CAP and INTx status RO */
	cw(0x06, 2, 0xffff);
	ck_assert_uint_eq(cr(0x06, 2), 0x0018);
}
END_TEST

START_TEST(bar_sizing)
{
	ck_assert_uint_eq(size_bar(0x10), 0xff000004); /* 16 MiB 64-bit */
	ck_assert_uint_eq(size_bar(0x14), 0xffffffff); /* upper mask */
	ck_assert_uint_eq(size_bar(0x18), 0xf000000c); /* 256 MiB pf */
	ck_assert_uint_eq(size_bar(0x1c), 0xffffffff);
	ck_assert_uint_eq(size_bar(0x20), 0x0000ffc1); /* 64 B I/O */
	ck_assert_uint_eq(size_bar(0x24), 0);	       /* unimplemented */
	ck_assert_uint_eq(size_bar(0x30), 0);	       /* no ROM */
	ck_assert_str_eq(events_str(&fh), "");
}
END_TEST

START_TEST(bar_sizing_other_aperture)
{
	struct vgpu_config cfg;
	struct vgpu *w;

	vgpu_config_default(&cfg);
	cfg.sbdf = io_pci_sbdf(0, 0, 3, 0);
	cfg.aperture_size = 512ull << 20;
	ck_assert_int_eq(vgpu_create(&cfg, &fh.host, &w), 0);
	ck_assert_uint_eq(fake_cfg_read(&fh, cfg.sbdf, 0x18, 4), 0x0000000c);
	fake_cfg_write(&fh, cfg.sbdf, 0x18, 4, 0xffffffff);
	ck_assert_uint_eq(fake_cfg_read(&fh, cfg.sbdf, 0x18, 4), 0xe000000c);
	vgpu_destroy(w);
	cfg.aperture_size = 3ull << 20;
	ck_assert_int_eq(vgpu_create(&cfg, &fh.host, &w), -EINVAL);
	cfg.aperture_size = 0;
	cfg.device_id = 0xffff;
	ck_assert_int_eq(vgpu_create(&cfg, &fh.host, &w), -EINVAL);
	/* Two functions at one SBDF: the host refuses the second. */
	vgpu_config_default(&cfg);
	ck_assert_int_eq(vgpu_create(&cfg, &fh.host, &w), -EEXIST);
}
END_TEST

/* hvmloader, as real-xen-observed.md lists it (BAR2/BAR4 assigned too). */
static void hvmloader(void)
{
	static const unsigned bars[] = {0x10, 0x14, 0x18, 0x1c,
					0x20, 0x24, 0x30};
	unsigned i;

	ck_assert_uint_eq(cr(0x0a, 2), 0x0300);
	ck_assert_uint_eq(cr(0x00, 2), 0x8086);
	ck_assert_uint_eq(cr(0x02, 2), 0x1912);
	cw(0xfc, 4, 0xfdffc000); /* OpRegion, before COMMAND is cleared */
	ck_assert_str_eq(events_str(&fh), "M opregion fdffc000");
	cw(0x04, 2, 0);
	for (i = 0; i < sizeof(bars) / sizeof(bars[0]); i++)
		size_bar(bars[i]);
	ck_assert_uint_eq(cr(0x3d, 1), 1);
	cw(0x3c, 1, 11);
	cw(0x10, 4, 0xf0000004); /* 0x14 never written: stays 0 */
	cw(0x18, 4, 0xe000000c);
	cw(0x20, 4, 0xc001);
	ck_assert_str_eq(events_str(&fh), "");
	cw(0x04, 2, 0x0007);
	ck_assert_str_eq(events_str(&fh),
			 "M gttmmadr-regs f0000000, M gttmmadr-rsvd f0200000, "
			 "M gttmmadr-ggtt f0800000, "
			 "M gmadr-trap e8000000, M gmadr-host e0000000, "
			 "M iobar c000");
}

START_TEST(boot_hvmloader_then_linux)
{
	static const char *const off =
	    "U gttmmadr-regs f0000000, U gttmmadr-rsvd f0200000, "
	    "U gttmmadr-ggtt f0800000, U gmadr-trap e8000000, "
	    "U gmadr-host e0000000, U iobar c000";
	static const char *const on =
	    "M gttmmadr-regs f0000000, M gttmmadr-rsvd f0200000, "
	    "M gttmmadr-ggtt f0800000, M gmadr-trap e8000000, "
	    "M gmadr-host e0000000, M iobar c000";
	static const unsigned linux_bars[][2] = {
	    {0x10, 0x14}, {0x18, 0x1c}, {0x20, 0}, {0x24, 0}, {0x30, 0}};
	unsigned i;

	hvmloader();
	ck_assert_uint_eq(cr(0xfc, 4), 0xfdffc000);
	ck_assert_uint_eq(cr(0x3c, 1), 11);
	ck_assert_uint_eq(cr(0x10, 4), 0xf0000004);
	ck_assert_uint_eq(cr(0x14, 4), 0);

	/* SeaBIOS: reads plus ROM sizing; claims unchanged. */
	ck_assert_uint_eq(size_bar(0x30), 0);
	ck_assert_str_eq(events_str(&fh), "");

	/* Linux: identity, early quirks read GMCH and BSM. */
	ck_assert_uint_eq(cr(0x00, 2), 0x8086);
	ck_assert_uint_eq(cr(0x02, 2), 0x1912);
	ck_assert_uint_eq(cr(0x50, 2), 0x00c0);
	ck_assert_uint_eq(cr(0x5c, 4), 0);
	/* INTx-disable toggling (0x404 -> 0x407 -> 0x7). */
	cw(0x04, 2, 0x0404);
	ck_assert_str_eq(events_str(&fh), off);
	cw(0x04, 2, 0x0407);
	ck_assert_str_eq(events_str(&fh), on);
	cw(0x04, 2, 0x0007);
	ck_assert_str_eq(events_str(&fh), "");
	/* Per BAR: decode off, size (both halves), decode back on. */
	for (i = 0; i < 5; i++) {
		cw(0x04, 2, 0x0004);
		ck_assert_str_eq(events_str(&fh), off);
		size_bar(linux_bars[i][0]);
		if (linux_bars[i][1])
			size_bar(linux_bars[i][1]);
		ck_assert_str_eq(events_str(&fh), "");
		cw(0x04, 2, 0x0007);
		ck_assert_str_eq(events_str(&fh), on);
	}
	ck_assert_uint_eq(cr(0x10, 4), 0xf0000004);
	ck_assert_uint_eq(cr(0x04, 2), 0x0007);
	/* The registers answer at the BAR. */
	fake_write(&fh, IO_SPACE_MMIO, 0xf0000000 + 0x4000, 4, 0x12345678);
	ck_assert_uint_eq(fake_read(&fh, IO_SPACE_MMIO, 0xf0004000, 4),
			  0x12345678);
	/* BAR2 decodes; the host's part of it reads all-ones. */
	ck_assert(pci_bar_decoding(vgpu_pci(v), VGPU_BAR_GMADR, NULL));
	ck_assert_uint_eq(fake_read(&fh, IO_SPACE_MMIO, 0xe0000000, 4),
			  0xffffffff);
}
END_TEST

START_TEST(bar_move_reregisters)
{
	hvmloader();
	/* 32-bit move (clear of BAR2) while decoding: release old before
	 * claiming new. */
	cw(0x10, 4, 0xd8000004);
	ck_assert_str_eq(events_str(&fh),
			 "U gttmmadr-regs f0000000, U gttmmadr-rsvd f0200000, "
			 "U gttmmadr-ggtt f0800000, "
			 "M gttmmadr-regs d8000000, M gttmmadr-rsvd d8200000, "
			 "M gttmmadr-ggtt d8800000");
	ck_assert_uint_eq(fake_read(&fh, IO_SPACE_MMIO, 0xf0004000, 4),
			  0xffffffff);
	fake_write(&fh, IO_SPACE_MMIO, 0xd8004000, 4, 0xabcd);
	ck_assert_uint_eq(fake_read(&fh, IO_SPACE_MMIO, 0xd8004000, 4), 0xabcd);
	/* Above 4 GiB: the upper half moves it again. */
	cw(0x14, 4, 0x1);
	ck_assert_str_eq(events_str(&fh),
			 "U gttmmadr-regs d8000000, U gttmmadr-rsvd d8200000, "
			 "U gttmmadr-ggtt d8800000, "
			 "M gttmmadr-regs 1d8000000, M gttmmadr-rsvd "
			 "1d8200000, M gttmmadr-ggtt 1d8800000");
	ck_assert_uint_eq(fake_read(&fh, IO_SPACE_MMIO, 0x1d8004000ull, 4),
			  0xabcd);
	/* The I/O BAR follows too. */
	cw(0x20, 2, 0xd000);
	ck_assert_str_eq(events_str(&fh), "U iobar c000, M iobar d000");
	/* A write that leaves the address unchanged claims nothing anew. */
	cw(0x10, 4, 0xd8000004);
	ck_assert_str_eq(events_str(&fh), "");
	/* Moved to 0: not an address; nothing decodes. */
	cw(0x14, 4, 0);
	cw(0x10, 4, 0);
	ck_assert_str_eq(events_str(&fh),
			 "U gttmmadr-regs 1d8000000, U gttmmadr-rsvd "
			 "1d8200000, U gttmmadr-ggtt 1d8800000, "
			 "M gttmmadr-regs d8000000, M gttmmadr-rsvd d8200000, "
			 "M gttmmadr-ggtt d8800000, "
			 "U gttmmadr-regs d8000000, U gttmmadr-rsvd d8200000, "
			 "U gttmmadr-ggtt d8800000");
}
END_TEST

START_TEST(decode_gating)
{
	hvmloader();
	/* IO off: only the I/O BAR goes. */
	cw(0x04, 2, 0x0006);
	ck_assert_str_eq(events_str(&fh), "U iobar c000");
	/* MEM off too. */
	cw(0x04, 2, 0x0004);
	ck_assert_str_eq(events_str(&fh),
			 "U gttmmadr-regs f0000000, U gttmmadr-rsvd f0200000, "
			 "U gttmmadr-ggtt f0800000, U gmadr-trap e8000000, "
			 "U gmadr-host e0000000");
	/* Moving while off claims nothing; MEM on claims the new place. */
	cw(0x10, 4, 0xd0000004);
	ck_assert_str_eq(events_str(&fh), "");
	cw(0x04, 2, 0x0002);
	ck_assert_str_eq(events_str(&fh),
			 "M gttmmadr-regs d0000000, M gttmmadr-rsvd d0200000, "
			 "M gttmmadr-ggtt d0800000, M gmadr-trap e8000000, "
			 "M gmadr-host e0000000");
}
END_TEST

START_TEST(sizing_while_decoding)
{
	hvmloader();
	/* A BAR being sized decodes nothing, even with MEM on. */
	cw(0x10, 4, 0xffffffff);
	ck_assert_str_eq(events_str(&fh),
			 "U gttmmadr-regs f0000000, U gttmmadr-rsvd f0200000, "
			 "U gttmmadr-ggtt f0800000");
	ck_assert_uint_eq(cr(0x10, 4), 0xff000004);
	cw(0x10, 4, 0xf0000004);
	ck_assert_str_eq(events_str(&fh),
			 "M gttmmadr-regs f0000000, M gttmmadr-rsvd f0200000, "
			 "M gttmmadr-ggtt f0800000");
	/* Upper half sized: the BAR waits until that half is rewritten. */
	cw(0x14, 4, 0xffffffff);
	ck_assert_str_eq(events_str(&fh),
			 "U gttmmadr-regs f0000000, U gttmmadr-rsvd f0200000, "
			 "U gttmmadr-ggtt f0800000");
	cw(0x10, 4, 0xf0000004);
	ck_assert_str_eq(events_str(&fh), "");
	cw(0x14, 4, 0);
	ck_assert_str_eq(events_str(&fh),
			 "M gttmmadr-regs f0000000, M gttmmadr-rsvd f0200000, "
			 "M gttmmadr-ggtt f0800000");
	/* I/O BAR sized while IO decode is on. */
	cw(0x20, 4, 0xffffffff);
	ck_assert_str_eq(events_str(&fh), "U iobar c000");
	cw(0x20, 4, 0xc001);
	ck_assert_str_eq(events_str(&fh), "M iobar c000");
}
END_TEST

START_TEST(claim_failure)
{
	hvmloader();
	cw(0x04, 2, 0);
	events_str(&fh);
	/* The GGTT range collides (say another server holds it). */
	fh.fail_name = "gttmmadr-ggtt";
	fh.fail_rc = -EEXIST;
	cw(0x04, 2, 0x0007);
	ck_assert_str_eq(
	    events_str(&fh),
	    "M gttmmadr-regs f0000000, M gttmmadr-rsvd f0200000, M! "
	    "gttmmadr-ggtt f0800000, "
	    "U gttmmadr-regs f0000000, U gttmmadr-rsvd f0200000, "
	    "M gmadr-trap e8000000, M gmadr-host e0000000, M iobar c000");
	ck_assert(!fake_host_is_mapped(&fh, "gttmmadr-regs", 0xf0000000));
	ck_assert_uint_eq(fake_read(&fh, IO_SPACE_MMIO, 0xf0000000, 4),
			  0xffffffff);
	/* The next change tries again. */
	fh.fail_name = NULL;
	cw(0x04, 2, 0x0007);
	ck_assert_str_eq(events_str(&fh),
			 "M gttmmadr-regs f0000000, M gttmmadr-rsvd f0200000, "
			 "M gttmmadr-ggtt f0800000");
	/* Over budget: the host has no range left. */
	cw(0x04, 2, 0);
	events_str(&fh);
	fh.max_ranges = 2; /* the OpRegion holds one */
	cw(0x04, 2, 0x0003);
	ck_assert_str_eq(events_str(&fh),
			 "M gttmmadr-regs f0000000, M! gttmmadr-rsvd f0200000, "
			 "U gttmmadr-regs f0000000, M gmadr-trap e8000000, "
			 "M! gmadr-host e0000000, U gmadr-trap e8000000, "
			 "M iobar c000");
	ck_assert_uint_eq(cr(0x04, 2), 0x0003);
}
END_TEST

START_TEST(msi_capability)
{
	uint64_t addr;
	uint32_t data;

	ck_assert(!vgpu_msi_target(vgpu_pci(v), &addr, &data));
	cw(0xb0, 4, 0xfee37003);
	cw(0xb4, 2, 0x0700);
	cw(0xae, 2, 0xffff); /* only enable sticks: 1 vector, 32-bit */
	ck_assert_uint_eq(cr(0xae, 2), 0x0001);
	ck_assert_uint_eq(cr(0xb0, 4), 0xfee37000);
	ck_assert_uint_eq(cr(0xb4, 4), 0x0700);
	ck_assert(vgpu_msi_target(vgpu_pci(v), &addr, &data));
	ck_assert_uint_eq(addr, 0xfee37000);
	ck_assert_uint_eq(data, 0x0700);
	cw(0xac, 4, 0); /* disables through the dword; header RO */
	ck_assert_uint_eq(cr(0xac, 4), 0x0000d005);
	ck_assert(!vgpu_msi_target(vgpu_pci(v), &addr, &data));
}
END_TEST

START_TEST(pm_capability)
{
	cw(0xd4, 2, 0x0003);
	ck_assert_uint_eq(cr(0xd4, 2), 0x000b); /* D3hot */
	cw(0xd4, 2, 0x0001);			/* D1: unsupported, ignored */
	ck_assert_uint_eq(cr(0xd4, 2), 0x000b);
	cw(0xd4, 1, 0x0002);
	ck_assert_uint_eq(cr(0xd4, 2), 0x000b);
	cw(0xd4, 4, 0xffff0000);
	ck_assert_uint_eq(cr(0xd4, 2), 0x0008); /* D0 */
}
END_TEST

START_TEST(opregion_asls)
{
	cw(0xfc, 4, 0xfdffc000);
	ck_assert_uint_eq(cr(0xfc, 4), 0xfdffc000);
	cw(0xfe, 2, 0x1234);
	ck_assert_uint_eq(cr(0xfc, 4), 0x1234c000);
	ck_assert_uint_eq(cr(0xff, 1), 0x12);
}
END_TEST

START_TEST(hostile_config)
{
	struct io_region *r = fake_host_find(&fh, IO_SPACE_PCI, SBDF);

	ck_assert_ptr_nonnull(r);
	ck_assert_uint_eq(r->read(r->opaque, 255, 4) & 0xffffffff, 0xffffffff);
	ck_assert_uint_eq(r->read(r->opaque, 0, 3) & 0xffffff, 0xffffff);
	ck_assert_uint_eq(r->read(r->opaque, 0x1000, 4) & 0xffffffff,
			  0xffffffff);
	ck_assert_uint_eq(r->read(r->opaque, ~0ull, 1) & 0xff, 0xff);
	ck_assert_uint_eq(r->read(r->opaque, 0, 8) & 0xffffffff, 0xffffffff);
	ck_assert_uint_eq(fake_read(&fh, IO_SPACE_PCI, SBDF, 8), ~0ull);
	ck_assert_uint_eq(r->read(r->opaque, 0, 0) & 0xff, 0xff);
	r->write(r->opaque, 0xfc, 8, ~0ull);
	r->write(r->opaque, 254, 4, ~0ull);
	r->write(r->opaque, 0x1000, 4, ~0ull);
	r->write(r->opaque, 0xfc, 3, ~0ull);
	r->write(r->opaque, 0xfc, 0, ~0ull);
	ck_assert_uint_eq(cr(0xfc, 4), 0);
	/* The last byte is still an ordinary byte. */
	ck_assert_uint_eq(r->read(r->opaque, 255, 1), 0);
	r->write(r->opaque, 255, 1, 0xaa);
	ck_assert_uint_eq(cr(0xfc, 4), 0xaa000000);
	/* Every offset, size and value: no crash, header identity intact. */
	for (unsigned off = 0; off < 256; off++)
		for (unsigned size = 1; size <= 4; size *= 2)
			if (off != 0x04 && off + size <= 256 &&
			    !(off < 0x06 && off + size > 0x04))
				cw(off, size, 0xffffffff);
	ck_assert_uint_eq(cr(0x00, 4), 0x19128086);
	ck_assert_uint_eq(cr(0xac, 2), 0xd005);
}
END_TEST

START_TEST(legacy_vga_window)
{
	vgpu_destroy(v);
	make(true);
	cw(0x04, 2, 0x0001); /* IO only: no VGA memory */
	ck_assert_str_eq(events_str(&fh), "");
	cw(0x04, 2, 0x0003);
	ck_assert_str_eq(events_str(&fh), "M vga-mem a0000");
	fake_write(&fh, IO_SPACE_MMIO, 0xb8000, 2, 0x0741); /* 'A' */
	fake_write(&fh, IO_SPACE_MMIO, 0xbfffc, 4, 0xcafef00d);
	fake_write(&fh, IO_SPACE_MMIO, 0xa0003, 8, 0x1122334455667788ull);
	ck_assert_uint_eq(fake_read(&fh, IO_SPACE_MMIO, 0xb8000, 2), 0x0741);
	ck_assert_uint_eq(fake_read(&fh, IO_SPACE_MMIO, 0xbfffc, 4),
			  0xcafef00d);
	ck_assert_uint_eq(fake_read(&fh, IO_SPACE_MMIO, 0xa0004, 4),
			  0x44556677);
	cw(0x04, 2, 0x0001);
	ck_assert_str_eq(events_str(&fh), "U vga-mem a0000");
	ck_assert_uint_eq(fake_read(&fh, IO_SPACE_MMIO, 0xb8000, 2), 0xffff);
	/* Contents survive decode off/on. */
	cw(0x04, 2, 0x0002);
	ck_assert_str_eq(events_str(&fh), "M vga-mem a0000");
	ck_assert_uint_eq(fake_read(&fh, IO_SPACE_MMIO, 0xb8000, 2), 0x0741);
	/* Past the window: not ours. */
	ck_assert_uint_eq(fake_read(&fh, IO_SPACE_MMIO, 0xbffff, 2), 0xffff);
}
END_TEST

START_TEST(no_vga_without_config)
{
	cw(0x04, 2, 0x0003);
	ck_assert_str_eq(events_str(&fh), "");
	ck_assert_uint_eq(fake_read(&fh, IO_SPACE_MMIO, 0xb8000, 2), 0xffff);
}
END_TEST

START_TEST(destroy_releases_everything)
{
	hvmloader();
	vgpu_destroy(v);
	v = NULL;
	ck_assert_uint_eq(fh.nmapped, 0);
	ck_assert_str_eq(
	    events_str(&fh),
	    "U gttmmadr-regs f0000000, U gttmmadr-rsvd f0200000, "
	    "U gttmmadr-ggtt f0800000, U gmadr-trap e8000000, "
	    "U gmadr-host e0000000, "
	    "U iobar c000, U vgpu 00:02.0 10, U opregion fdffc000");
}
END_TEST

START_TEST(old_style_config)
{
	/* A config filled in field by field, new fields left 0. */
	struct vgpu_config cfg = {.sbdf = io_pci_sbdf(0, 0, 4, 0),
				  .device_id = 0x191b};
	struct vgpu *w;

	ck_assert_int_eq(vgpu_create(&cfg, &fh.host, &w), 0);
	ck_assert_uint_eq(fake_cfg_read(&fh, cfg.sbdf, 0x00, 4), 0x191b8086);
	ck_assert_uint_eq(fake_cfg_read(&fh, cfg.sbdf, 0x08, 1), 0x06);
	ck_assert_uint_eq(fake_cfg_read(&fh, cfg.sbdf, 0x2c, 4), 0x191b8086);
	vgpu_destroy(w);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("vgpu-pci");
	TCase *tc = tcase_create("pci");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, header_identity);
	tcase_add_test(tc, header_every_size_and_alignment);
	tcase_add_test(tc, reserved_and_readonly_ignore_writes);
	tcase_add_test(tc, command_writable_mask);
	tcase_add_test(tc, status_w1c);
	tcase_add_test(tc, bar_sizing);
	tcase_add_test(tc, bar_sizing_other_aperture);
	tcase_add_test(tc, boot_hvmloader_then_linux);
	tcase_add_test(tc, bar_move_reregisters);
	tcase_add_test(tc, decode_gating);
	tcase_add_test(tc, sizing_while_decoding);
	tcase_add_test(tc, claim_failure);
	tcase_add_test(tc, msi_capability);
	tcase_add_test(tc, pm_capability);
	tcase_add_test(tc, opregion_asls);
	tcase_add_test(tc, hostile_config);
	tcase_add_test(tc, legacy_vga_window);
	tcase_add_test(tc, no_vga_without_config);
	tcase_add_test(tc, destroy_releases_everything);
	tcase_add_test(tc, old_style_config);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return vgpu_test_run(suite()); /* hostile tests log */
}
