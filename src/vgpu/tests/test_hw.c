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
#include "vgpu/irq.h"
#include "vgpu/pcode.h"
#include "vgpu/ports.h"

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
	/* the ports as they are with nothing plugged in (test_monitor.c
	 * has the monitor) */
	cfg.monitor_unplugged = true;
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
	/* __uc_sanitize: after the GuC reset (GDRST bit 5) the
	 * microcontroller reads as held in reset, whatever is written. */
	wr(0x941c, 1u << 5);
	ck_assert_uint_eq(rd(0x941c), 0);
	wr(0xc000, 0);
	ck_assert_uint_eq(rd(0xc000) & 1, 1);
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

/* ---- mchbar.c -------------------------------------------------------- */

/* skl_get_dram_info: DDR4, two channels of one 8 GB x8 single-rank DIMM. */
START_TEST(mchbar_dram_config)
{
	unsigned ch;

	ck_assert_uint_eq(rd(0x145000) & 3, 0); /* DDR4 */
	for (ch = 0; ch < 2; ch++) {
		uint32_t d = rd(0x14500c + 4 * ch);

		ck_assert_uint_eq(d & 0x3f, 8);	    /* DIMM L: 8 GB */
		ck_assert_uint_ne((d >> 8) & 3, 3); /* width: no MISSING_CASE */
		ck_assert_uint_eq((d >> 8) & 3, 0); /* x8 */
		ck_assert_uint_eq((d >> 10) & 1, 0);	/* one rank */
		ck_assert_uint_eq((d >> 16) & 0x3f, 0); /* no DIMM S */
		wr(0x14500c + 4 * ch, 0);
		wrn(0x14500c + 4 * ch + 1, 2, 0x0303);
		ck_assert_uint_eq(rd(0x14500c + 4 * ch), d);
	}
	ck_assert_uint_eq(rd(0x120010) & 1, 0); /* no eDRAM */
	/* RPS left off: RP0 <= RPn. */
	ck_assert_uint_le(rd(0x145998) & 0xff, (rd(0x145998) >> 16) & 0xff);
	wr(0x145998, 0x00070b17);
	ck_assert_uint_eq(rd(0x145998), 0);
}
END_TEST

/* ---- pcode.c --------------------------------------------------------- */

#define MBOX 0x138124
#define DATA 0x138128
#define DATA1 0x13812c

/* __snb_pcode_rw: -EAGAIN if busy; DATA, DATA1, READY|cmd; poll; read. */
static uint32_t pcode_rw(uint32_t mbox, uint32_t *val)
{
	ck_assert_uint_eq(rd(MBOX) >> 31, 0);
	wr(DATA, *val);
	wr(DATA1, 0);
	wr(MBOX, 0x80000000u | mbox);
	ck_assert_uint_eq(rd(MBOX) >> 31, 0); /* completed inside the write */
	*val = rd(DATA);
	return rd(MBOX) & 0xff;
}

static uint64_t count(uint8_t cmd)
{
	return vgpu_pcode_count(vgpu_block_state(v, &vgpu_pcode_block), cmd);
}

START_TEST(pcode_probe_sequence)
{
	uint32_t val;

	/* skl_set_cdclk: prepare, reply mask 1 = ready. */
	val = 3;
	ck_assert_uint_eq(pcode_rw(0x07, &val), 0);
	ck_assert_uint_eq(val & 1, 1);
	val = 0; /* voltage level for 337.5 MHz */
	ck_assert_uint_eq(pcode_rw(0x07, &val), 0);
	/* skl_sagv_disable: reply mask 1 = disabled. */
	val = 0;
	ck_assert_uint_eq(pcode_rw(0x21, &val), 0);
	ck_assert_uint_eq(val & 1, 1);
	val = 3; /* enable */
	ck_assert_uint_eq(pcode_rw(0x21, &val), 0);
	/* skl_read_wm_latency: sets 0 and 1; every level non-zero but WM0. */
	val = 0;
	ck_assert_uint_eq(pcode_rw(0x06, &val), 0);
	ck_assert_uint_eq(val, 0x1e1a1100u);
	val = 1;
	ck_assert_uint_eq(pcode_rw(0x06, &val), 0);
	ck_assert_uint_eq(val, 0x61514b3du);
	/* gen6_rps_init, gen6_update_ring_freq. */
	val = 0;
	ck_assert_uint_eq(pcode_rw(0x1a, &val), 0);
	val = 0x00101010;
	ck_assert_uint_eq(pcode_rw(0x08, &val), 0);
	ck_assert_uint_eq(val, 0x00101010);
	/* The parameters stay; the command byte became the status. */
	val = 0;
	ck_assert_uint_eq(pcode_rw(0x0100 | 0x06, &val), 0);
	ck_assert_uint_eq(rd(MBOX), 0x0100);
	ck_assert_uint_eq(count(0x07), 2);
	ck_assert_uint_eq(count(0x21), 2);
	ck_assert_uint_eq(count(0x06), 3);
	ck_assert_uint_eq(count(0x1a), 1);
	ck_assert_uint_eq(count(0x08), 1);
	/* The counters are the device model's: a device reset keeps them. */
	vgpu_reset(v);
	ck_assert_uint_eq(count(0x07), 2);
	ck_assert_uint_eq(rd(MBOX), 0);
}
END_TEST

START_TEST(pcode_garbage)
{
	uint32_t val, c;

	for (c = 0; c < 256; c++) {
		if (c == 0x06 || c == 0x07 || c == 0x08 || c == 0x1a ||
		    c == 0x21)
			continue;
		val = 0x5a5a5a5a;
		ck_assert_uint_eq(pcode_rw(c, &val), 0x01); /* illegal cmd */
		ck_assert_uint_eq(val, 0x5a5a5a5a);
		ck_assert_uint_eq(count((uint8_t)c), 1);
	}
	/* Known commands, data they do not take: illegal data. */
	val = 2;
	ck_assert_uint_eq(pcode_rw(0x06, &val), 0x03);
	val = 7;
	ck_assert_uint_eq(pcode_rw(0x21, &val), 0x03);
	val = 0x100;
	ck_assert_uint_eq(pcode_rw(0x07, &val), 0x03);
	/* Narrow writes: the command runs when the byte with READY lands. */
	wr(DATA, 0);
	wrn(MBOX, 1, 0x06);
	ck_assert_uint_eq(rd(MBOX), 0x06);
	ck_assert_uint_eq(rd(DATA), 0);
	wrn(MBOX + 3, 1, 0x80);
	ck_assert_uint_eq(rd(MBOX), 0);
	ck_assert_uint_eq(rd(DATA), 0x1e1a1100u);
	/*
	 * One 8-byte write over MAILBOX and DATA: the command runs first,
	 * on the DATA already there (the last reply, no latency set).
	 */
	wrn(MBOX, 8, (1ull << 32) | 0x80000006u);
	ck_assert_uint_eq(rd(MBOX), 0x03);
	ck_assert_uint_eq(rd(DATA), 1);
	wrn(MBOX - 2, 4, 0x80000000u); /* unaligned: READY in MBOX byte 1 */
	ck_assert_uint_eq(rd(MBOX) >> 31, 0);
	/* A write without READY just stores. */
	wr(MBOX, 0x21);
	ck_assert_uint_eq(rd(MBOX), 0x21);
	ck_assert_uint_eq(count(0x21), 1);
}
END_TEST

/* ---- power.c --------------------------------------------------------- */

#define PWR_CTL1 0x45400
#define PWR_CTL2 0x45404
#define FUSE_STATUS 0x42000

/* hsw_power_well_enable: set REQ, poll STATE 1 ms, fuses around PW1/PW2. */
static void well_enable(unsigned idx)
{
	uint32_t req = 1u << (2 * idx + 1), state = 1u << (2 * idx);

	if (idx == 14)
		ck_assert_uint_ne(rd(FUSE_STATUS) & (1u << 27), 0); /* PG0 */
	wr(PWR_CTL2, rd(PWR_CTL2) | req);
	ck_assert_uint_ne(rd(PWR_CTL2) & state, 0);
	if (idx == 14)
		ck_assert_uint_ne(rd(FUSE_STATUS) & (1u << 26), 0); /* PG1 */
	if (idx == 15)
		ck_assert_uint_ne(rd(FUSE_STATUS) & (1u << 25), 0); /* PG2 */
}

START_TEST(power_wells_follow_requests)
{
	static const unsigned wells[] = {14, 0, 15, 1, 2, 3, 4};
	unsigned i;

	ck_assert_uint_eq(rd(PWR_CTL2), 0);
	for (i = 0; i < 7; i++)
		well_enable(wells[i]);
	ck_assert_uint_eq(rd(PWR_CTL2), 0xf00003ffu); /* all 7 up */
	/* hsw_power_well_disable: clear REQ, STATE drops with it. */
	wr(PWR_CTL2, rd(PWR_CTL2) & ~(1u << 31));
	ck_assert_uint_eq(rd(PWR_CTL2) & (3u << 30), 0);
	/* STATE bits cannot be written; wells SKL lacks do not exist. */
	wr(PWR_CTL2, 0x55555555u);
	ck_assert_uint_eq(rd(PWR_CTL2), 0);
	wr(PWR_CTL2, 0xaaaaaaaau);
	ck_assert_uint_eq(rd(PWR_CTL2), 0xf00003ffu);
	/* A byte write: STATE still follows the REQ bits it changed. */
	wrn(PWR_CTL2 + 3, 1, 0x00);
	ck_assert_uint_eq(rd(PWR_CTL2), 0x000003ffu);
	wrn(PWR_CTL2 + 1, 2, 0xa000); /* bits 23:8: only REQ 9 and 7 drop */
	ck_assert_uint_eq(rd(PWR_CTL2), 0x000000ffu);
	wrn(PWR_CTL2 + 3, 1, 0xa0);
	ck_assert_uint_eq(rd(PWR_CTL2), 0xf00000ffu);
	/* The BIOS register stores (sync_hw moves its requests to CTL2). */
	wr(PWR_CTL1, 1u << 29);
	ck_assert_uint_eq(rd(PWR_CTL1), 1u << 29);
	ck_assert_uint_eq(rd(0x45408), 0);
	ck_assert_uint_eq(rd(0x4540c), 0);
	/* Fuses are read-only. */
	wr(FUSE_STATUS, 0);
	ck_assert_uint_eq(rd(FUSE_STATUS), 0x8e000000u);
}
END_TEST

/* gen9_set_dc_state: 0 first, then every write must read back. */
START_TEST(power_dc_state_stores)
{
	ck_assert_uint_eq(rd(0x45504) & 3, 0);
	wr(0x45504, 2);
	ck_assert_uint_eq(rd(0x45504), 2);
	wr(0x45504, 0);
	ck_assert_uint_eq(rd(0x45504), 0);
}
END_TEST

/* gen9_dbuf_slice_set: REQ, 10 µs, STATE. */
START_TEST(power_dbuf)
{
	ck_assert_uint_eq(rd(0x45008), 0);
	wr(0x45008, 1u << 31);
	ck_assert_uint_eq(rd(0x45008), 0xc0000000u);
	wr(0x45008, 1u << 30); /* STATE is not the guest's */
	ck_assert_uint_eq(rd(0x45008), 0);
	wrn(0x45008 + 3, 1, 0x80);
	ck_assert_uint_eq(rd(0x45008), 0xc0000000u);
}
END_TEST

/*
 * skl_sanitize_cdclk sees SWF18 = 0 and programs CDCLK: DPLL0 (LCPLL1)
 * enable, lock within 5 ms; CDCLK_CTL stores; disable, lock drops.
 */
START_TEST(power_cdclk_and_dplls)
{
	ck_assert_uint_eq(rd(0x4f060) & 0xffffff, 0);
	ck_assert_uint_eq((rd(0x51000) >> 23) & 3, 0); /* CDCLK limit 675 */
	wr(0x6c058, rd(0x6c058) | 0x7); /* DPLL0 1620, override */
	ck_assert_uint_eq(rd(0x6c058), 0x7);
	wr(0x46010, rd(0x46010) | (1u << 31));
	ck_assert_uint_eq(rd(0x46010), 0xc0000000u);
	wr(0x46000, 0x080002a1u); /* 337.5 MHz */
	ck_assert_uint_eq(rd(0x46000), 0x080002a1u);
	ck_assert_uint_eq(rd(0x6c060), 1u << 0); /* DPLL0 lock */
	/* skl_ddi_pll_enable: DPLL1..3 lock in DPLL_STATUS bit 8 id. */
	wr(0x46014, 1u << 31);
	ck_assert_uint_eq(rd(0x46014), 0xc0000000u);
	wr(0x46040, 1u << 31);
	wr(0x46060, 1u << 31);
	ck_assert_uint_eq(rd(0x6c060), 0x01010101u);
	wr(0x6c060, 0); /* read-only, computed */
	ck_assert_uint_eq(rd(0x6c060), 0x01010101u);
	wr(0x46040, 0);
	ck_assert_uint_eq(rd(0x6c060), 0x01000101u);
	wr(0x46010, 0);
	ck_assert_uint_eq(rd(0x46010), 0);
	ck_assert_uint_eq(rd(0x6c060), 0x01000100u);
	wr(0x46014, 1u << 30); /* LOCK is not the guest's */
	ck_assert_uint_eq(rd(0x46014), 0);
	/* Every DDI clock off at reset. */
	ck_assert_uint_eq(rd(0x6c05c), 0x000f8000u);
}
END_TEST

START_TEST(power_straps)
{
	ck_assert_uint_eq(rd(0x51000), 0); /* SKL_DFSM: nothing fused off */
	wr(0x51000, 1u << 30);
	ck_assert_uint_eq(rd(0x51000), 0);
	ck_assert_uint_eq(rd(0xc6204) & 0x3ff, 24);  /* rawclk 24 MHz */
	ck_assert_uint_eq(rd(0x41000), 0x80000000u); /* VGA plane off */
	wr(0x41000, 0x80000000u);
	ck_assert_uint_eq(rd(0x41000), 0x80000000u);
}
END_TEST

/* ---- ports.c --------------------------------------------------------- */

#define DDI_BUF_CTL(p) (0x64000 + 0x100 * (p))
#define AUX_CTL(c) (0x64010 + 0x100 * (c))
#define AUX_DATA(c, n) (0x64014 + 0x100 * (c) + 4 * (n))
#define BUSY 0x80000000u
#define DONE 0x40000000u
#define AUX_IRQ 0x20000000u
#define TIMEOUT 0x10000000u
#define RXERR 0x02000000u
#define DE_PORT_IIR 0x44448
#define DE_PORT_IMR 0x44444

/* skl_get_aux_send_ctl: BUSY, clear the status, size, timeout, 32 bits. */
static uint32_t aux_send_ctl(unsigned size, bool irq)
{
	return BUSY | DONE | TIMEOUT | RXERR | (irq ? AUX_IRQ : 0) |
	       (size << 20) | (3u << 26) | (31u << 5) | 0x3f;
}

/* intel_dp_set_idle_link_train: IDLE_DONE once the port sends idles. */
START_TEST(ports_dp_tp_idle_done)
{
	unsigned p;

	for (p = 0; p < 5; p++) {
		uint32_t ctl = 0x64040 + 0x100 * p, st = ctl + 4;

		ck_assert_uint_eq(rd(st), 0);
		wr(ctl, 0x80000000u); /* enabled, pattern 1 */
		ck_assert_uint_eq(rd(st), 0);
		wr(ctl, 0x80000200u); /* idle */
		ck_assert_uint_eq(rd(st), 1u << 25);
		wr(st, 0);
		ck_assert_uint_eq(rd(st), 1u << 25);
		wr(ctl, 0x80000300u); /* normal: the pipe's data */
		ck_assert_uint_eq(rd(st), 0);
		wr(ctl, 0x00000200u); /* disabled */
		ck_assert_uint_eq(rd(st), 0);
	}
}
END_TEST

START_TEST(ports_ddi_buf_idle)
{
	unsigned p;

	for (p = 0; p < 5; p++) {
		ck_assert_uint_eq(rd(DDI_BUF_CTL(p)), 0x80);
		wr(DDI_BUF_CTL(p), 0x80000000u | (1u << 16));
		ck_assert_uint_eq(rd(DDI_BUF_CTL(p)), 0x80010000u);
		wr(DDI_BUF_CTL(p), 1u << 16); /* disable: idle again */
		ck_assert_uint_eq(rd(DDI_BUF_CTL(p)), 0x00010080u);
		wr(DDI_BUF_CTL(p), 0); /* IDLE is not the guest's */
		ck_assert_uint_eq(rd(DDI_BUF_CTL(p)), 0x80);
		wrn(DDI_BUF_CTL(p) + 3, 1, 0x80);
		ck_assert_uint_eq(rd(DDI_BUF_CTL(p)), 0x80000000u);
	}
}
END_TEST

/* intel_dp_aux_xfer without a sink: done + timeout, no receive error. */
START_TEST(ports_aux_times_out_without_sink)
{
	unsigned ch;

	for (ch = 0; ch < 4; ch++) {
		uint32_t st;

		ck_assert_uint_eq(rd(AUX_CTL(ch)) & BUSY, 0);
		wr(AUX_DATA(ch, 0), 0x90000000u); /* native read DPCD 0 */
		wr(AUX_CTL(ch), aux_send_ctl(4, false));
		st = rd(AUX_CTL(ch));
		ck_assert_uint_eq(st & BUSY, 0);
		ck_assert_uint_eq(st & (DONE | TIMEOUT | RXERR),
				  DONE | TIMEOUT);
		/* The status bits are write-1-to-clear, one at a time. */
		wr(AUX_CTL(ch), st & ~BUSY & ~DONE);
		ck_assert_uint_eq(rd(AUX_CTL(ch)) & (DONE | TIMEOUT), DONE);
		wr(AUX_CTL(ch), DONE);
		ck_assert_uint_eq(rd(AUX_CTL(ch)) & (DONE | TIMEOUT), 0);
		/* A write without BUSY starts nothing. */
		wr(AUX_CTL(ch), 4u << 20);
		ck_assert_uint_eq(rd(AUX_CTL(ch)), 4u << 20);
	}
}
END_TEST

/* With the interrupt bit set, completion raises the channel's DE bit. */
START_TEST(ports_aux_interrupt)
{
	static const uint32_t bit[] = {1u << 0, 1u << 25, 1u << 26, 1u << 27};
	unsigned ch;

	wr(DE_PORT_IMR, 0);
	for (ch = 0; ch < 4; ch++) {
		wr(AUX_CTL(ch), aux_send_ctl(4, true));
		ck_assert_uint_eq(rd(DE_PORT_IIR), bit[ch]);
		wr(DE_PORT_IIR, bit[ch]);
		wr(AUX_CTL(ch), aux_send_ctl(4, false));
		ck_assert_uint_eq(rd(DE_PORT_IIR), 0);
	}
}
END_TEST

/* A test sink: echoes the header bytes back with an ACK (0x00) first. */
static unsigned echo_sink(void *opaque, unsigned ch, const uint8_t *req,
			  unsigned len, uint8_t *reply)
{
	unsigned *calls = opaque;

	(void)ch;
	(*calls)++;
	reply[0] = 0x00;
	memcpy(reply + 1, req, len < 4 ? len : 4);
	return 5;
}

START_TEST(ports_aux_sink_seam)
{
	struct vgpu_ports *p = vgpu_block_state(v, &vgpu_ports_block);
	unsigned calls = 0;
	uint32_t st;

	vgpu_ports_set_aux_sink(p, 3, echo_sink, &calls);
	vgpu_ports_set_aux_sink(p, 9, echo_sink, &calls); /* ignored */
	wr(AUX_DATA(3, 0), 0x90000103u);
	wr(AUX_CTL(3), aux_send_ctl(4, false));
	st = rd(AUX_CTL(3));
	ck_assert_uint_eq(calls, 1);
	ck_assert_uint_eq(st & (BUSY | DONE | TIMEOUT | RXERR), DONE);
	ck_assert_uint_eq((st >> 20) & 0x1f, 5);
	ck_assert_uint_eq(rd(AUX_DATA(3, 0)), 0x00900001u);
	ck_assert_uint_eq(rd(AUX_DATA(3, 1)) >> 24, 0x03);
	/* A garbage size never reaches the sink. */
	wr(AUX_CTL(3), aux_send_ctl(0, false));
	ck_assert_uint_eq(rd(AUX_CTL(3)) & (DONE | RXERR), DONE | RXERR);
	wr(AUX_CTL(3), aux_send_ctl(31, false));
	ck_assert_uint_eq(rd(AUX_CTL(3)) & (DONE | RXERR), DONE | RXERR);
	ck_assert_uint_eq(calls, 1);
	/* Channel A has none: still a timeout. */
	wr(AUX_CTL(0), aux_send_ctl(4, false));
	ck_assert_uint_eq(rd(AUX_CTL(0)) & (DONE | TIMEOUT), DONE | TIMEOUT);
	vgpu_ports_set_aux_sink(p, 3, NULL, NULL);
	wr(AUX_CTL(3), aux_send_ctl(4, false));
	ck_assert_uint_eq(rd(AUX_CTL(3)) & (DONE | TIMEOUT), DONE | TIMEOUT);
}
END_TEST

#define GMBUS0 0xc5100
#define GMBUS1 0xc5104
#define GMBUS2 0xc5108
#define HW_RDY (1u << 11)
#define SATOER (1u << 10)
#define ACTIVE (1u << 9)
#define INUSE (1u << 15)

/* do_gmbus_xfer reading an EDID on the HDMI B pin (5): a clean NAK. */
START_TEST(ports_gmbus_nak)
{
	uint32_t st;

	ck_assert_uint_eq(rd(GMBUS2) & (HW_RDY | SATOER | ACTIVE), HW_RDY);
	wr(GMBUS0, 5); /* pin DPB, 100 kHz */
	/* GMBUS_CYCLE_WAIT | INDEX, 128 bytes from 0x50, read, SW_RDY. */
	wr(GMBUS1, (1u << 30) | (1u << 25) | (128u << 16) | (0x50 << 1) | 1);
	st = rd(GMBUS2);
	ck_assert_uint_ne(st & SATOER, 0); /* gmbus_wait: -ENXIO */
	ck_assert_uint_ne(st & HW_RDY, 0);
	ck_assert_uint_eq(st & ACTIVE, 0); /* gmbus_wait_idle */
	ck_assert_uint_eq(rd(GMBUS1) & (1u << 30), 0);
	/* clear_err: SW_CLR_INT, then 0; the controller is idle again. */
	wr(GMBUS1, 1u << 31);
	wr(GMBUS1, 0);
	wr(GMBUS0, 0);
	ck_assert_uint_eq(rd(GMBUS2) & (HW_RDY | SATOER | ACTIVE), HW_RDY);
	/* Status bits are read-only; INUSE is a read-to-take semaphore. */
	wr(GMBUS2, SATOER | ACTIVE);
	ck_assert_uint_eq(rd(GMBUS2) & (SATOER | ACTIVE), 0);
	ck_assert_uint_ne(rd(GMBUS2) & INUSE, 0);
	wr(GMBUS2, INUSE);
	ck_assert_uint_eq(rd(GMBUS2) & INUSE, 0);
	ck_assert_uint_ne(rd(GMBUS2) & INUSE, 0);
	/* A cycle without SW_RDY starts nothing. */
	wr(GMBUS2, INUSE);
	wr(GMBUS1, 1u << 25);
	ck_assert_uint_eq(rd(GMBUS2) & SATOER, 0);
}
END_TEST

/* intel_gmbus.c get_clock/set_clock on GPIOE (DPB) and every other pin. */
START_TEST(ports_gpio_lines)
{
	unsigned n;

	for (n = 0; n < 6; n++) {
		uint32_t g = 0xc5010 + 4 * n;

		/* Both lines released: read high, the bus is idle. */
		ck_assert_uint_eq(rd(g) & 0x1010, 0x1010);
		/* Clock driven low: DIR_OUT | DIR_MASK | VAL_MASK, VAL 0. */
		wr(g, 0x7);
		ck_assert_uint_eq(rd(g) & 0x1010, 0x1000);
		/* get_clock: a write without masks changes nothing. */
		wr(g, 0);
		ck_assert_uint_eq(rd(g) & 0x1010, 0x1000);
		/* Release: DIR_IN | DIR_MASK. */
		wr(g, 0x1);
		ck_assert_uint_eq(rd(g) & 0x1010, 0x1010);
		/* Data driven low, then high (open drain: reads high). */
		wr(g, 0x700);
		ck_assert_uint_eq(rd(g) & 0x1010, 0x0010);
		wr(g, 0xf00);
		ck_assert_uint_eq(rd(g) & 0x1010, 0x1010);
		/* Mask and input bits are never stored; pull-up bits are. */
		ck_assert_uint_eq(rd(g) & 0x0505, 0);
		wr(g, 0x2020);
		ck_assert_uint_eq(rd(g) & 0x2020, 0x2020);
		/* Unaligned byte writes: only the byte's line changes. */
		wrn(g + 1, 1, 0x07); /* data low */
		ck_assert_uint_eq(rd(g) & 0x1010, 0x0010);
		wrn(g + 1, 2, 0x0020); /* data: no mask, unchanged */
		ck_assert_uint_eq(rd(g) & 0x1010, 0x0010);
	}
}
END_TEST

/* wait_panel_power_cycle / wait_panel_on with the default-VBT eDP. */
START_TEST(ports_panel_power)
{
	ck_assert_uint_eq(rd(0xc7200), 0); /* IDLE_OFF */
	wr(0xc7204, 0xabcd0008u);	   /* unlock | force VDD */
	ck_assert_uint_eq(rd(0xc7204), 0xabcd0008u);
	ck_assert_uint_eq(rd(0xc7200), 0);
	wr(0xc7204, 0xabcd0009u); /* panel power on */
	ck_assert_uint_eq(rd(0xc7200) & 0xb000000fu, 0x80000008u);
	wr(0xc7204, 0xabcd0000u);
	ck_assert_uint_eq(rd(0xc7200), 0);
	wr(0xc7200, ~0u);
	ck_assert_uint_eq(rd(0xc7200), 0);
}
END_TEST

START_TEST(ports_psr_iir_and_hotplug)
{
	ck_assert_uint_eq(rd(0x64838), 0);
	wr(0x64838, ~0u);
	ck_assert_uint_eq(rd(0x64838), 0);
	/* spt_hpd_detection_setup: enable A, B, C, D; E in HOTPLUG2. */
	wr(0xc4030,
	   rd(0xc4030) | (1u << 28) | (1u << 4) | (1u << 12) | (1u << 20));
	ck_assert_uint_eq(rd(0xc4030), 0x10101010u);
	wr(0xc403c, rd(0xc403c) | (1u << 4));
	ck_assert_uint_eq(rd(0xc403c), 0x10u);
	/* The IRQ path writes back what it read: status bits stay 0. */
	wr(0xc4030, 0xffffffffu);
	ck_assert_uint_eq(rd(0xc4030) & 0x03030303u, 0);
	ck_assert_uint_eq(rd(0xc4030), 0xfcfcfcfcu);
	mmio_vreg_set(vgpu_regs(v), 0xc4030, 0x10101013u); /* B latched */
	wr(0xc4030, 0x10101012u);			   /* clear one */
	ck_assert_uint_eq(rd(0xc4030), 0x10101011u);
	wrn(0xc4030, 1, 0x11); /* byte 0: enable kept, status cleared */
	ck_assert_uint_eq(rd(0xc4030), 0x10101010u);
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

	tc = tcase_create("mchbar");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, mchbar_dram_config);
	suite_add_tcase(s, tc);

	tc = tcase_create("pcode");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, pcode_probe_sequence);
	tcase_add_test(tc, pcode_garbage);
	suite_add_tcase(s, tc);

	tc = tcase_create("power");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, power_wells_follow_requests);
	tcase_add_test(tc, power_dc_state_stores);
	tcase_add_test(tc, power_dbuf);
	tcase_add_test(tc, power_cdclk_and_dplls);
	tcase_add_test(tc, power_straps);
	suite_add_tcase(s, tc);

	tc = tcase_create("ports");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, ports_ddi_buf_idle);
	tcase_add_test(tc, ports_dp_tp_idle_done);
	tcase_add_test(tc, ports_aux_times_out_without_sink);
	tcase_add_test(tc, ports_aux_interrupt);
	tcase_add_test(tc, ports_aux_sink_seam);
	tcase_add_test(tc, ports_gmbus_nak);
	tcase_add_test(tc, ports_gpio_lines);
	tcase_add_test(tc, ports_panel_power);
	tcase_add_test(tc, ports_psr_iir_and_hotplug);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return vgpu_test_run(suite());
}
