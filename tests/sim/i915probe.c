/* SPDX-License-Identifier: MIT */
/*
 * i915probe.c - Linux 6.1 i915's probe of a GVT-g vGPU, replayed.
 *
 * Each step is one driver function, with the registers it touches and
 * the checks it makes on them (i915_vgpu.c, i915_irq.c, gt/intel_ggtt*.c;
 * docs/vgpu-registers.md has the order).  Facts, not the driver's code.
 */
#include "i915probe.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define VGT_MAGIC 0x4776544776544776ull
#define VGT_CAPS_FULL_PPGTT (1u << 2)
#define VGT_CAPS_HWSP_EMULATION (1u << 3)
#define PVINFO 0x78000u
#define GGTT_OFF 0x800000u /* the GGTT half of BAR0 */
#define GGTT_TOTAL (4ull << 30)
#define FENCE_LO(n) (0x100000u + 8u * (n))
#define MASTER_IRQ 0x44200u
#define MASTER_IRQ_CONTROL (1u << 31)
#define PIPECONF_A 0x70008u
#define PIPE_A_IMR 0x44404u
#define PIPE_A_IIR 0x44408u
#define PIPE_A_IER 0x4440cu
#define PIPE_VBLANK 1u
#define MSI_CAP 0xacu /* the vGPU's MSI capability (docs/vgpu-pci.md) */

static const uint32_t bank[I915PROBE_BANKS] = {
    0x44300, 0x44310, 0x44320, 0x44330, 0x44400, 0x44410,
    0x44420, 0x44440, 0x44460, 0x444e0, 0xc4000,
};

static int fail(struct i915probe *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->why, sizeof(p->why), fmt, ap);
	va_end(ap);
	return -1;
}

/* Accessors: a transport failure is a failed step, never a crash. */
static bool rd(struct i915probe *p, uint32_t off, unsigned size, uint64_t *out)
{
	uint64_t v[2] = {0, 0};

	if (xsim_mmio_read(p->v, p->bar0 + off, size, v) < 0)
		return false;
	*out = v[0];
	return true;
}

static bool wr(struct i915probe *p, uint32_t off, unsigned size, uint64_t val)
{
	const uint64_t v[2] = {val, 0};

	return xsim_mmio_write(p->v, p->bar0 + off, size, v) == 0;
}

static bool rd32(struct i915probe *p, uint32_t off, uint32_t *out)
{
	uint64_t v;

	if (!rd(p, off, 4, &v))
		return false;
	*out = (uint32_t)v;
	return true;
}

static bool cfg_rd(struct i915probe *p, unsigned reg, unsigned size,
		   uint32_t *out)
{
	return xsim_cfg_read(p->v, 0x10 /* 00:02.0 */, reg, size, out) == 0;
}

static bool cfg_wr(struct i915probe *p, unsigned reg, unsigned size,
		   uint32_t val)
{
	return xsim_cfg_write(p->v, 0x10, reg, size, val) == 0;
}

/* hvmloader: size and place the BARs, decode on (as the firmware does). */
static int step_bars(struct i915probe *p)
{
	uint32_t mask = 0;

	if ((p->asls && !cfg_wr(p, 0xfc, 4, p->asls)) || /* ASLS first */
	    !cfg_wr(p, 0x04, 2, 0) || !cfg_wr(p, 0x18, 4, 0xffffffffu) ||
	    !cfg_rd(p, 0x18, 4, &mask))
		return fail(p, "config space does not answer");
	p->aperture = (uint64_t)(~(mask & ~0xfu)) + 1;
	if (!cfg_wr(p, 0x10, 4, (uint32_t)p->bar0) ||
	    !cfg_wr(p, 0x14, 4, (uint32_t)(p->bar0 >> 32)) ||
	    !cfg_wr(p, 0x18, 4, (uint32_t)p->bar2) ||
	    !cfg_wr(p, 0x1c, 4, (uint32_t)(p->bar2 >> 32)) ||
	    !cfg_wr(p, 0x20, 4, p->bar4) || !cfg_wr(p, 0x04, 2, 0x0007))
		return fail(p, "cannot program the BARs");
	return 0;
}

/* intel_vgpu_detect: one 64-bit magic read, version, capabilities. */
static int step_detect(struct i915probe *p)
{
	uint64_t ver, caps, id;

	if (!rd(p, PVINFO, 8, &p->magic) || !rd(p, PVINFO + 8, 4, &ver) ||
	    !rd(p, PVINFO + 0x10, 4, &caps) || !rd(p, PVINFO + 0xc, 4, &id))
		return fail(p, "PVINFO does not answer");
	p->version_major = (uint16_t)ver;
	p->version_minor = (uint16_t)(ver >> 16);
	p->caps = (uint32_t)caps;
	p->vgt_id = (uint32_t)id;
	if (p->magic != VGT_MAGIC)
		return fail(p, "no PVINFO magic: probed as a native GPU");
	if (p->version_major < 1)
		return fail(p, "VGT interface version mismatch!");
	p->detected = true;
	/* i915_driver_hw_probe refuses a vGPU without either capability */
	if (!(p->caps & VGT_CAPS_HWSP_EMULATION))
		return fail(p, "Cannot load into an active vGPU without HWSP "
			       "emulation");
	if (!(p->caps & VGT_CAPS_FULL_PPGTT))
		return fail(p, "no full PPGTT on the vGPU");
	return 0;
}

/* intel_vgt_balloon: the partition must fit the GGTT's two halves. */
static int step_balloon(struct i915probe *p)
{
	uint64_t map_end, hidden_end;

	if (!rd32(p, PVINFO + 0x40, &p->map_base) ||
	    !rd32(p, PVINFO + 0x44, &p->map_size) ||
	    !rd32(p, PVINFO + 0x48, &p->hidden_base) ||
	    !rd32(p, PVINFO + 0x4c, &p->hidden_size) ||
	    !rd32(p, PVINFO + 0x50, &p->fence_num))
		return fail(p, "PVINFO does not answer");
	map_end = (uint64_t)p->map_base + p->map_size;
	hidden_end = (uint64_t)p->hidden_base + p->hidden_size;
	if (!p->map_size || !p->hidden_size || map_end > p->aperture ||
	    p->hidden_base < p->aperture || hidden_end > GGTT_TOTAL)
		return fail(p, "Invalid ballooning configuration!");
	p->ballooned = true;
	return 0;
}

/*
 * i915_ggtt_init_fences / fence_write: the driver uses fence_num fences
 * and writes each; the device keeps them.  A write beyond the share must
 * not stick (another vGPU's fence on real hardware).
 */
static int step_fences(struct i915probe *p)
{
	uint64_t val;
	unsigned n;

	if (!p->fence_num || p->fence_num > 32)
		return fail(p, "fence_num %u", p->fence_num);
	for (n = 0; n < p->fence_num; n++) {
		uint64_t want = 0x0000100000001000ull * (n + 1) | 1;

		if (!wr(p, FENCE_LO(n), 8, want) || !rd(p, FENCE_LO(n), 8, &val))
			return fail(p, "fence %u does not answer", n);
		p->fences_stored += val == want;
	}
	if (n < 32) {
		if (!wr(p, FENCE_LO(n), 8, 0x2000000020001ull) ||
		    !rd(p, FENCE_LO(n), 8, &val))
			return fail(p, "fence %u does not answer", n);
		p->fence_beyond_dropped = val == 0;
	}
	for (n = 0; n < p->fence_num; n++)
		if (!wr(p, FENCE_LO(n), 8, 0))
			return fail(p, "fence %u does not answer", n);
	if (p->fences_stored != p->fence_num)
		return fail(p, "fences do not keep what is written");
	return 0;
}

/*
 * gen8_irq_reset then GEN3_IRQ_INIT's assertion: every bank masked,
 * disabled, IIR cleared twice; each IIR must then read 0 ("Interrupt
 * register 0x%x is not zero").
 */
static int step_irq_reset(struct i915probe *p)
{
	uint32_t iir;
	unsigned b;

	if (!wr(p, MASTER_IRQ, 4, 0))
		return fail(p, "master does not answer");
	for (b = 0; b < I915PROBE_BANKS; b++) {
		if (!wr(p, bank[b] + 4, 4, 0xffffffffu) ||
		    !wr(p, bank[b] + 0xc, 4, 0) ||
		    !wr(p, bank[b] + 8, 4, 0xffffffffu) ||
		    !wr(p, bank[b] + 8, 4, 0xffffffffu) ||
		    !rd32(p, bank[b] + 8, &iir))
			return fail(p, "interrupt bank %#x does not answer",
				    bank[b]);
		if (iir && !p->iir_not_zero) {
			p->iir_not_zero = bank[b] + 8;
			return fail(p, "Interrupt register 0x%x is not zero: "
				       "0x%08x",
				    bank[b] + 8, iir);
		}
	}
	return 0;
}

static uint64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/*
 * The driver's intel_wait_for_register: read until (reg & mask) == want
 * or timeout_us passed (at least twice).  false on timeout.
 */
static bool poll(struct i915probe *p, uint32_t off, uint32_t mask,
		 uint32_t want, unsigned timeout_us, uint32_t *last)
{
	uint64_t end = now_us() + timeout_us;
	unsigned tries = 0;
	uint32_t v = 0;

	do {
		if (!rd32(p, off, &v))
			return false;
		if ((v & mask) == want) {
			if (last)
				*last = v;
			return true;
		}
	} while (++tries < 2 || now_us() < end);
	if (last)
		*last = v;
	return false;
}

static bool rmw(struct i915probe *p, uint32_t off, uint32_t clear, uint32_t set)
{
	uint32_t v;

	return rd32(p, off, &v) && wr(p, off, 4, (v & ~clear) | set);
}

#define FPGA_DBG 0x42300u
#define CTC_MODE 0xa26cu
#define GEN8_FUSE2 0x9120u
#define GEN9_EU_DISABLE0 0x9134u
#define HSW_EDRAM_CAP 0x120010u
#define MAD_DIMM_CH(c) (0x14500cu + 4u * (c))
#define RP_STATE_CAP 0x145998u
#define GUC_WOPCM_SIZE 0xc050u
#define DMA_GUC_WOPCM_OFFSET 0xc340u

/*
 * intel_opregion_setup: ASLS from config space, the OpRegion read as
 * memory there (signature, mailboxes), the VBT in mailbox 4 ("$VBT" at
 * offset 0x400, intel_bios_is_valid_vbt's first check).
 */
static int step_opregion(struct i915probe *p)
{
	uint8_t buf[0x420];
	uint32_t asls = 0;

	if (!cfg_rd(p, 0xfc, 4, &asls))
		return fail(p, "config space does not answer");
	if (!asls)
		return fail(p, "ACPI OpRegion not supported!");
	if (xsim_mem_read(p->sim, p->domid, asls, buf, sizeof(buf)) < 0)
		return fail(p, "the OpRegion at %#x is not memory", asls);
	if (memcmp(buf, "IntelGraphicsMem", 16))
		return fail(p, "opregion signature mismatch");
	p->opregion_mboxes = (uint32_t)buf[0x58] | (uint32_t)buf[0x59] << 8 |
			     (uint32_t)buf[0x5a] << 16 |
			     (uint32_t)buf[0x5b] << 24;
	p->vbt_found = (p->opregion_mboxes & (1u << 3)) &&
		       !memcmp(buf + 0x400, "$VBT", 4);
	if (!p->vbt_found)
		return fail(p, "Failed to find VBIOS tables (VBT)");
	return 0;
}

/* intel_uncore_init_mmio's check and intel_gt_init_mmio's fuse reads. */
static int step_fuses(struct i915probe *p)
{
	uint32_t ctc, fuse2, eu, ss;
	unsigned i;

	if (!rd32(p, FPGA_DBG, &p->fpga_dbg) || !rd32(p, CTC_MODE, &ctc) ||
	    !rd32(p, GEN8_FUSE2, &fuse2) || !rd32(p, GEN9_EU_DISABLE0, &eu))
		return fail(p, "registers do not answer");
	if (p->fpga_dbg == 0xffffffffu)
		return fail(p, "Lost access to MMIO BAR; all registers now "
			       "read back as 0xFFFFFFFF!");
	/* gen9_read_clock_frequency: crystal 24 MHz >> (3 - bits 2:1) */
	p->cs_freq_khz = ctc & 1 ? 0 : 24000u >> (3 - ((ctc >> 1) & 3));
	/* gen9_sseu_info_init: slices 27:25, subslice disables 23:20 */
	p->slice_mask = (fuse2 >> 25) & 7;
	p->subslice_mask = ~(fuse2 >> 20) & 0xf;
	for (i = 0, ss = p->subslice_mask; i < 4; i++)
		if (ss & (1u << i))
			p->eu_total += 8 - (unsigned)__builtin_popcount(
					       (eu >> (8 * i)) & 0xff);
	if (!p->slice_mask || !p->eu_total)
		return fail(p, "no slice or no EU fused in (FUSE2 0x%08x): "
			       "MCR steering undefined",
			    fuse2);
	return 0;
}

/* intel_dram_edram_detect, skl_get_dram_info: MCHBAR mirror. */
static int step_dram(struct i915probe *p)
{
	uint32_t edram, mad;
	unsigned c, h;

	if (!rd32(p, HSW_EDRAM_CAP, &edram))
		return fail(p, "registers do not answer");
	p->edram = edram & 1;
	for (c = 0; c < 2; c++) {
		if (!rd32(p, MAD_DIMM_CH(c), &mad))
			return fail(p, "registers do not answer");
		for (h = 0; h < 2; h++) {
			uint32_t d = (mad >> (16 * h)) & 0xffff;

			if (((d >> 8) & 3) == 3)
				return fail(p, "MISSING_CASE: DRAM width 3 "
					       "(MAD_DIMM_CH%u 0x%08x)",
					    c, mad);
			p->dimm_gb[c] += d & 0x3f;
		}
		p->dram_channels += p->dimm_gb[c] != 0;
	}
	if (!p->dram_channels)
		return fail(p, "Number of memory channels is zero");
	return 0;
}

#define PCODE_MAILBOX 0x138124u
#define PCODE_DATA 0x138128u
#define PCODE_DATA1 0x13812cu
#define PCODE_READY (1u << 31)

/* __snb_pcode_rw with gen7_check_mailbox_status's decoding. */
static int pcode_rw(struct i915probe *p, uint32_t mbox, uint32_t *val)
{
	static const int status_errno[] = {
	    [0x00] = 0,		   [0x01] = -ENXIO, [0x02] = -ETIMEDOUT,
	    [0x03] = -EINVAL,	   [0x04] = -ENXIO, [0x06] = -EBUSY,
	    [0x10] = -EOVERFLOW, [0x11] = -EACCES,
	};
	uint32_t mb;

	if (!rd32(p, PCODE_MAILBOX, &mb))
		return -EIO;
	if (mb & PCODE_READY)
		return -EAGAIN;
	if (!wr(p, PCODE_DATA, 4, *val) || !wr(p, PCODE_DATA1, 4, 0) ||
	    !wr(p, PCODE_MAILBOX, 4, PCODE_READY | mbox))
		return -EIO;
	if (!poll(p, PCODE_MAILBOX, PCODE_READY, 0, 20000, &mb))
		return -ETIMEDOUT;
	if (!rd32(p, PCODE_DATA, val))
		return -EIO;
	mb &= 0xff;
	/* codes the driver does not know: MISSING_CASE, taken as success */
	return mb < sizeof(status_errno) / sizeof(status_errno[0])
		   ? status_errno[mb]
		   : 0;
}

/* skl_pcode_request: retry until (DATA & mask) == reply or an error. */
static int pcode_request(struct i915probe *p, uint32_t mbox, uint32_t req,
			 uint32_t mask, uint32_t reply, unsigned timeout_us)
{
	uint64_t end = now_us() + timeout_us;
	int rc;

	do {
		uint32_t val = req;

		rc = pcode_rw(p, mbox, &val);
		if (rc)
			return rc;
		if ((val & mask) == reply)
			return 0;
	} while (now_us() < end);
	return -ETIMEDOUT;
}

#define HSW_PWR_WELL_CTL2 0x45404u
#define SKL_FUSE_STATUS 0x42000u
#define FUSE_PG(n) (1u << (27 - (n)))
#define DC_STATE_EN 0x45504u
#define SWF18 0x4f060u
#define LCPLL1_CTL 0x46010u
#define DBUF_CTL 0x45008u
#define PW_REQ(i) (1u << (2 * (i) + 1))
#define PW_STATE(i) (1u << (2 * (i)))

/* hsw_power_well_enable with gen9_wait_for_power_well_fuses. */
static bool well_on(struct i915probe *p, unsigned idx, int pg_before,
		    int pg_after)
{
	if (pg_before >= 0 &&
	    !poll(p, SKL_FUSE_STATUS, FUSE_PG(pg_before), FUSE_PG(pg_before),
		  1000, NULL))
		return false;
	if (!rmw(p, HSW_PWR_WELL_CTL2, 0, PW_REQ(idx)) ||
	    !poll(p, HSW_PWR_WELL_CTL2, PW_STATE(idx), PW_STATE(idx), 1000,
		  NULL))
		return false;
	return pg_after < 0 ||
	       poll(p, SKL_FUSE_STATUS, FUSE_PG(pg_after), FUSE_PG(pg_after),
		    1000, NULL);
}

/*
 * skl_display_core_init and the POWER_DOMAIN_INIT wells: DC states off,
 * PW1 and MISC_IO, CDCLK from cold (PCODE prepare, DPLL0 lock), DBUF,
 * then PW2 and the DDI IO wells.
 */
static int step_display_core(struct i915probe *p)
{
	uint32_t dc, swf;
	unsigned w;
	int rc;

	if (!rd32(p, DC_STATE_EN, &dc))
		return fail(p, "registers do not answer");
	if (dc & 3)
		return fail(p, "DC state mismatch (0x0 -> 0x%x)", dc & 3);
	if (!(p->pw1_up = well_on(p, 14, 0, 1)))
		return fail(p, "PW_1 power well enable timeout");
	if (!(p->misc_io_up = well_on(p, 0, -1, -1)))
		return fail(p, "MISC_IO power well enable timeout");
	if (!rd32(p, SWF18, &swf))
		return fail(p, "registers do not answer");
	if (!(swf & 0xffffff)) { /* cold: program CDCLK */
		rc = pcode_request(p, 0x07, 3, 1, 1, 3000);
		if (rc)
			return fail(p, "Failed to inform PCU about cdclk change "
				       "(%d)",
				    rc);
		p->cdclk_prepared = true;
		if (!rmw(p, LCPLL1_CTL, 0, 1u << 31) ||
		    !(p->dpll0_locked = poll(p, LCPLL1_CTL, 1u << 30, 1u << 30,
					     5000, NULL)))
			return fail(p, "DPLL0 not locked");
	}
	if (!rmw(p, DBUF_CTL, 0, 1u << 31) ||
	    !(p->dbuf_up = poll(p, DBUF_CTL, 1u << 30, 1u << 30, 10, NULL)))
		return fail(p, "DBuf slice 0 power enable timeout!");
	if (!(p->pw2_up = well_on(p, 15, -1, 2)))
		return fail(p, "PW_2 power well enable timeout");
	for (w = 1; w <= 4; w++) /* DDI IO A/E, B, C, D */
		if (!well_on(p, w, -1, -1))
			return fail(p, "DDI IO %u power well enable timeout", w);
	if (!rd32(p, HSW_PWR_WELL_CTL2, &p->pwr_well_ctl2))
		return fail(p, "registers do not answer");
	return 0;
}

/* intel_sagv_init and skl_read_wm_latency. */
static int step_pcode(struct i915probe *p)
{
	unsigned set;

	p->sagv_status = pcode_request(p, 0x21, 0, 1, 1, 1000);
	if (p->sagv_status && p->sagv_status != -ENXIO)
		return fail(p, "Failed to disable SAGV (%d)", p->sagv_status);
	for (set = 0; set < 2; set++) {
		uint32_t val = set;
		int rc = pcode_rw(p, 0x06, &val);

		if (rc)
			return fail(p, "SKL Mailbox read error = %d", rc);
		p->wm_latency[set] = val;
	}
	if (!(p->wm_latency[0] >> 8 & 0xff))
		return fail(p, "memory latency WM1 is 0: watermarks 1-7 off");
	return 0;
}

#define CPU_VGACNTRL 0x41000u
#define DP_AUX_CH_CTL_A 0x64010u
#define AUX_BUSY (1u << 31)
#define AUX_DONE (1u << 30)
#define AUX_TIMEOUT (1u << 28)
#define AUX_RECEIVE_ERROR (1u << 25)
#define GMBUS0 0xc5100u
#define GMBUS1 0xc5104u
#define GMBUS2 0xc5108u
#define GMBUS_SW_RDY (1u << 30)
#define GMBUS_CYCLE_WAIT (1u << 25)
#define GMBUS_HW_RDY (1u << 11)
#define GMBUS_SATOER (1u << 10)
#define GMBUS_ACTIVE (1u << 9)
#define EDP_PSR_IIR 0x64838u
#define GEN8_RTCR 0x4260u

/*
 * intel_vga_disable, the default VBT's eDP on port A (one AUX transfer:
 * a sink-less port must end in DONE|TIMEOUT within 10 ms, not stay busy),
 * an HDMI DDC read over GMBUS (NAK or ready within 50 ms, else the
 * bit-banging fallback), the PSR IIR assertion, a TLB invalidation.
 */
static int step_outputs(struct i915probe *p)
{
	uint32_t tlb;

	if (!rd32(p, CPU_VGACNTRL, &p->vgacntrl))
		return fail(p, "registers do not answer");
	if (!poll(p, DP_AUX_CH_CTL_A, AUX_BUSY, 0, 1000, NULL) ||
	    !wr(p, DP_AUX_CH_CTL_A, 4,
		AUX_BUSY | AUX_DONE | AUX_TIMEOUT | AUX_RECEIVE_ERROR |
		    (5u << 20)))
		return fail(p, "AUX A not started");
	if (!poll(p, DP_AUX_CH_CTL_A, AUX_BUSY, 0, 10000, &p->aux_ctl))
		return fail(p, "AUX A: did not complete or timeout within 10ms "
			       "(status 0x%08x)",
			    p->aux_ctl);
	if (!(p->aux_ctl & (AUX_DONE | AUX_TIMEOUT)))
		return fail(p, "AUX A: neither done nor timed out");
	if (!wr(p, DP_AUX_CH_CTL_A, 4,
		p->aux_ctl | AUX_DONE | AUX_TIMEOUT | AUX_RECEIVE_ERROR))
		return fail(p, "registers do not answer");
	/* pin 4 (DPC: no device there), read 1 byte at 0x50 (EDID) */
	if (!wr(p, GMBUS0, 4, 4) ||
	    !wr(p, GMBUS1, 4,
		GMBUS_SW_RDY | GMBUS_CYCLE_WAIT | (1u << 16) | (0x50u << 1) |
		    1))
		return fail(p, "registers do not answer");
	if (!poll(p, GMBUS2, GMBUS_HW_RDY | GMBUS_SATOER, GMBUS_SATOER, 50000,
		  &p->gmbus2) &&
	    !(p->gmbus2 & GMBUS_HW_RDY))
		return fail(p, "GMBUS timed out, falling back to bit banging "
			       "(GMBUS2 0x%08x)",
			    p->gmbus2);
	if (!wr(p, GMBUS1, 4, GMBUS_SW_RDY) || !wr(p, GMBUS1, 4, 0) ||
	    !wr(p, GMBUS0, 4, 0) ||
	    !poll(p, GMBUS2, GMBUS_ACTIVE, 0, 10000, NULL))
		return fail(p, "GMBUS stays active");
	if (!rd32(p, EDP_PSR_IIR, &p->psr_iir))
		return fail(p, "registers do not answer");
	if (p->psr_iir)
		return fail(p, "Interrupt register 0x64838 is not zero: 0x%08x",
			    p->psr_iir);
	if (!wr(p, GEN8_RTCR, 4, 1) ||
	    !(p->tlb_invalidated = poll(p, GEN8_RTCR, 1, 0, 4000, &tlb)))
		return fail(p, "rcs0 TLB invalidation did not complete in 4ms!");
	return 0;
}

/* gen6_rps_get_freq_caps, __uc_check_hw (uc_is_wopcm_locked). */
static int step_gt_init(struct i915probe *p)
{
	if (!rd32(p, RP_STATE_CAP, &p->rp_state_cap) ||
	    !rd32(p, GUC_WOPCM_SIZE, &p->guc_wopcm_size) ||
	    !rd32(p, DMA_GUC_WOPCM_OFFSET, &p->guc_wopcm_offset))
		return fail(p, "registers do not answer");
	if ((p->guc_wopcm_size | p->guc_wopcm_offset) & 1)
		return fail(p, "Enabling uc failed (-5)");
	return 0;
}

/*
 * gen8_ggtt_insert_entries: 8-byte stores into the GGTT half of BAR0,
 * then the device's view of them (BAR4's MMIO_INDEX/MMIO_DATA window
 * reads what the device would translate through).
 */
static int step_ggtt(struct i915probe *p)
{
	enum { N = 512 };
	size_t before, after;
	uint32_t got;
	unsigned i;

	if (xsim_log_ioreqs(p->sim, p->domid, 0, NULL, 0, &before) < 0)
		return fail(p, "no ioreq log");
	for (i = 0; i < N; i++)
		if (!wr(p, GGTT_OFF + 8 * i, 8,
			((uint64_t)(0x100000 + i) << 12) | 1))
			return fail(p, "GGTT store %u failed", i);
	if (xsim_log_ioreqs(p->sim, p->domid, 0, NULL, 0, &after) < 0)
		return fail(p, "no ioreq log");
	p->ptes_written = N;
	p->pte_ioreqs = after - before;
	p->ptes_read_back = true;
	for (i = 0; i < N; i += 97) {
		if (xsim_pio_write(p->v, p->bar4, 4, GGTT_OFF + 8 * i) < 0 ||
		    xsim_pio_read(p->v, p->bar4 + 4, 4, &got) < 0)
			return fail(p, "BAR4 window does not answer");
		if (got != (((0x100000u + i) << 12) | 1))
			p->ptes_read_back = false;
	}
	return p->ptes_read_back ? 0 : fail(p, "the device reads other GGTT "
					       "entries than the guest wrote");
}

/*
 * MSI on (pci_enable_msi), then one event end to end: the vblank of
 * pipe A unmasked and enabled, the master on; an MSI must arrive and
 * the handler's "master off, read IIR, ack, master on" find the event.
 */
static int step_interrupt(struct i915probe *p)
{
	size_t base, now = 0;
	uint32_t iir = 0, flags = 0;
	unsigned ms;

	if (!cfg_wr(p, MSI_CAP + 4, 4, 0xfee00000u) ||
	    !cfg_wr(p, MSI_CAP + 8, 2, 0x41) || !cfg_rd(p, MSI_CAP + 2, 2, &flags) ||
	    !cfg_wr(p, MSI_CAP + 2, 2, flags | 1))
		return fail(p, "cannot enable MSI");
	if (xsim_log_msis(p->sim, p->domid, 0, NULL, 0, &base) < 0)
		return fail(p, "no MSI log");
	now = base;
	if (!wr(p, PIPECONF_A, 4, 1u << 31) || !wr(p, PIPE_A_IMR, 4, ~PIPE_VBLANK) ||
	    !wr(p, PIPE_A_IER, 4, PIPE_VBLANK) ||
	    !wr(p, MASTER_IRQ, 4, MASTER_IRQ_CONTROL))
		return fail(p, "interrupt registers do not answer");
	for (ms = 0; ms < 500 && now == base; ms++) {
		usleep(1000);
		if (xsim_log_msis(p->sim, p->domid, 0, NULL, 0, &now) < 0)
			return fail(p, "no MSI log");
	}
	p->msis = now - base;
	if (!wr(p, MASTER_IRQ, 4, 0) || !rd32(p, PIPE_A_IIR, &iir) ||
	    !wr(p, PIPE_A_IIR, 4, iir) || !wr(p, PIPE_A_IER, 4, 0) ||
	    !wr(p, PIPE_A_IMR, 4, ~0u) || !wr(p, PIPECONF_A, 4, 0))
		return fail(p, "interrupt registers do not answer");
	if (!p->msis)
		return fail(p, "no MSI within 500 ms of an enabled event");
	if (!(iir & PIPE_VBLANK))
		return fail(p, "an MSI whose IIR explains nothing (pipe A IIR "
			       "0x%08x after %zu MSIs)",
			    iir, p->msis);
	return 0;
}

/*
 * __engines_record_defaults (gt/intel_gt.c): after engine resume
 * (enable_execlists: RING_MODE run list on, STOP_RING off, the status
 * page, reset_csb_pointers), one request per engine on a fresh context:
 * an invalidate flush, on RCS the context workarounds by LRI, then the
 * fini breadcrumb (seqno to the timeline, user interrupt).  The driver
 * waits 200 ms for all four to complete; a request that does not, wedges
 * the GT: "Failed to initialize GPU, declaring it wedged!".
 */
#define ENG_GPA 0x4000000u /* guest RAM behind the pages below */
#define ENG_PAGES 8	   /* per engine: HWSP, PPHWSP, state, ring, timeline */

static bool mem_wr32(struct i915probe *p, uint64_t gpa, uint32_t v)
{
	return xsim_mem_write(p->sim, p->domid, gpa, &v, 4) == 0;
}

static bool mem_rd32(struct i915probe *p, uint64_t gpa, uint32_t *v)
{
	return xsim_mem_read(p->sim, p->domid, gpa, v, 4) == 0;
}

static int engine_request(struct i915probe *p, unsigned e)
{
	static const uint32_t base[4] = {0x2000, 0x22000, 0x12000, 0x1a000};
	static const uint32_t iir[4] = {0x44308, 0x44308, 0x44318, 0x44338};
	static const unsigned shift[4] = {0, 16, 0, 0};
	uint64_t gpa = ENG_GPA + (uint64_t)e * ENG_PAGES * 4096;
	uint32_t gm = p->map_base + e * ENG_PAGES * 4096, b = base[e];
	uint32_t hwsp = gm, ctx = gm + 4096, ring = gm + 3 * 4096;
	uint32_t timeline = gm + 4 * 4096, seqno = 0x100 + e, got, i, n = 0;
	uint32_t cmd[32], img[12] = {0};

	for (i = 0; i < ENG_PAGES; i++)
		if (!wr(p, GGTT_OFF + 8 * ((gm >> 12) + i), 8,
			(gpa + 4096ull * i) | 1))
			return fail(p, "GGTT store failed");
	for (i = 0; i < 6 * 2; i++) /* the CSB copy, stale */
		if (!mem_wr32(p, gpa + 0x40 + 4 * i, ~0u))
			return fail(p, "guest memory write failed");
	if (!mem_wr32(p, gpa + 0x7c, 5) || !mem_wr32(p, gpa + 4 * 4096, 0) ||
	    !wr(p, b + 0x98, 4, ~0u) || !wr(p, b + 0x29c, 4, 0x80008000) ||
	    !wr(p, b + 0x9c, 4, 0x01000000) || !wr(p, b + 0x80, 4, hwsp) ||
	    !wr(p, b + 0x3a0, 4, 0xffff0505) || !wr(p, b + 0x3a0, 4, 0xffff0505))
		return fail(p, "engine registers do not answer");
	if (e == 0) { /* gen8_emit_flush_rcs(EMIT_INVALIDATE), LRI(ctx wa) */
		uint32_t rcs[] = {0x7a000004, 0, 0, 0, 0, 0,
				  0x7a000004, 0x00344c1c, 0xd0, 0, 0, 0,
				  0x11000001, 0x7014, 0x80008000, 0,
				  0x7a000004, 0x01104080, timeline, 0, seqno, 0,
				  0x01000000, 0x04000001};
		memcpy(cmd, rcs, sizeof(rcs));
		n = sizeof(rcs) / 4;
	} else { /* gen8_emit_flush_xcs, gen8_emit_fini_breadcrumb_xcs */
		uint32_t xcs[] = {0x13244002, 0xd0, 0, 0,
				  0x13004002, timeline | 4, 0, seqno,
				  0x01000000, 0x04000001};
		memcpy(cmd, xcs, sizeof(xcs));
		n = sizeof(xcs) / 4;
	}
	if (xsim_mem_write(p->sim, p->domid, gpa + 3 * 4096, cmd, 4 * n) < 0)
		return fail(p, "guest memory write failed");
	img[5] = 0;
	img[7] = 4 * n;
	img[9] = ring;
	img[11] = 0x1; /* 4 KiB ring, valid */
	if (xsim_mem_write(p->sim, p->domid, gpa + 2 * 4096, img, sizeof(img)) < 0)
		return fail(p, "guest memory write failed");
	/* execlists_submit_ports: element 1 (none), then element 0. */
	if (!wr(p, b + 0x230, 4, 0) || !wr(p, b + 0x230, 4, 0) ||
	    !wr(p, b + 0x230, 4, 0x20) ||
	    !wr(p, b + 0x230, 4, ctx | 0x119 | (e == 0 ? 0x204 : 0x4)))
		return fail(p, "ELSP does not answer");
	/* i915_request_completed, then process_csb. */
	if (!mem_rd32(p, gpa + 4 * 4096, &got))
		return fail(p, "guest memory read failed");
	if (got != seqno)
		return fail(p, "Failed to initialize GPU, declaring it wedged! "
			       "(engine %u seqno 0x%x, expected 0x%x)",
			    e, got, seqno);
	if (!mem_rd32(p, gpa + 0x7c, &got) || got != 1 ||
	    !mem_rd32(p, gpa + 0x48, &got) || got != 0x18)
		return fail(p, "invalid CSB event on engine %u", e);
	if (!rd32(p, iir[e], &got) || !(got & (0x101u << shift[e])) ||
	    !wr(p, iir[e], 4, got))
		return fail(p, "no context-switch interrupt on engine %u", e);
	p->engines_idle++;
	return 0;
}

static int step_engines(struct i915probe *p)
{
	unsigned e;

	p->engines_idle = 0;
	/* gen8_gt_irq_postinstall: user, CS error, context switch, wait */
	if (!wr(p, 0x4430c, 4, 0x09090909) || !wr(p, 0x44304, 4, 0xf6f6f6f6) ||
	    !wr(p, 0x4431c, 4, 0x09090909) || !wr(p, 0x44314, 4, 0xf6f6f6f6) ||
	    !wr(p, 0x4433c, 4, 0x00000909) || !wr(p, 0x44334, 4, 0xfffff6f6))
		return fail(p, "GT interrupt registers do not answer");
	for (e = 0; e < 4; e++)
		if (engine_request(p, e) < 0)
			return -1;
	return 0;
}

#define SFUSE_STRAP 0xc2014u
#define SDEISR 0xc4000u
#define SDE_PORTD_HOTPLUG_CPT (1u << 23)
#define DP_AUX_CH_CTL_D 0x64310u
#define DP_AUX_CH_DATA_D 0x64314u

/*
 * One AUX D transfer as intel_dp_aux_xfer does it: the message packed
 * big-endian into the data registers, BUSY with the status to clear and
 * the size, a poll for BUSY clear; the reply unpacked.  Its length, or -1.
 */
static int aux_d(struct i915probe *p, const uint8_t *msg, unsigned len,
		 uint8_t *reply)
{
	uint32_t ctl, w;
	unsigned i, n;

	for (i = 0; i < 20; i += 4) {
		w = 0;
		for (n = 0; n < 4; n++)
			if (i + n < len)
				w |= (uint32_t)msg[i + n] << (24 - 8 * n);
		if (!wr(p, DP_AUX_CH_DATA_D + i, 4, w))
			return -1;
	}
	if (!wr(p, DP_AUX_CH_CTL_D, 4,
		AUX_BUSY | AUX_DONE | AUX_TIMEOUT | AUX_RECEIVE_ERROR |
		    (len << 20)) ||
	    !poll(p, DP_AUX_CH_CTL_D, AUX_BUSY, 0, 10000, &ctl) ||
	    (ctl & (AUX_TIMEOUT | AUX_RECEIVE_ERROR)) || !(ctl & AUX_DONE))
		return -1;
	n = (ctl >> 20) & 0x1f;
	for (i = 0; i < n && i < 20; i++) {
		if (i % 4 == 0 && !rd32(p, DP_AUX_CH_DATA_D + i, &w))
			return -1;
		reply[i] = (uint8_t)(w >> (24 - 8 * (i % 4)));
	}
	return (int)n;
}

/*
 * intel_setup_outputs finds DDI D in SFUSE_STRAP; intel_dp_detect sees
 * the live hotplug line, reads the receiver capabilities (native AUX
 * read of DPCD 0x000, 16 bytes) and the EDID over I2C-over-AUX (the
 * offset written to 0x50, then 16-byte reads, the stop without MOT).
 */
static int step_monitor(struct i915probe *p)
{
	static const uint8_t caps[4] = {0x90, 0x00, 0x00, 15};
	uint8_t reply[20], sum = 0;
	uint32_t v;
	unsigned off, i;

	if (!rd32(p, SFUSE_STRAP, &v))
		return fail(p, "registers do not answer");
	p->ddid_present = v & 1;
	if (!p->ddid_present)
		return fail(p, "SFUSE_STRAP 0x%08x: no DDI D", v);
	if (!rd32(p, SDEISR, &v))
		return fail(p, "registers do not answer");
	p->ddid_connected = v & SDE_PORTD_HOTPLUG_CPT;
	if (!p->ddid_connected)
		return fail(p, "DP-1: disconnected (SDEISR 0x%08x)", v);
	if (aux_d(p, caps, 4, reply) != 17 || reply[0] != 0)
		return fail(p, "DPCD: the receiver capabilities did not read");
	memcpy(p->dpcd, reply + 1, 16);
	for (off = 0; off < 128; off += 16) {
		uint8_t start[5] = {0x40, 0x00, 0x50, 0x00, (uint8_t)off};
		uint8_t rd16[4] = {0x50, 0x00, 0x50, 15};

		if (aux_d(p, start, 5, reply) < 1 || reply[0] != 0 ||
		    aux_d(p, rd16, 4, reply) != 17 || reply[0] != 0)
			return fail(p, "EDID: the I2C-over-AUX read at %u "
				       "failed",
				    off);
		memcpy(p->edid + off, reply + 1, 16);
	}
	{
		uint8_t stop[3] = {0x10, 0x00, 0x50};

		if (aux_d(p, stop, 3, reply) < 1 || reply[0] != 0)
			return fail(p, "EDID: the stop was refused");
	}
	for (i = 0; i < 128; i++)
		sum += p->edid[i];
	if (sum)
		return fail(p, "EDID: checksum does not add up (0x%02x)", sum);
	p->mode_w = p->edid[56] | (p->edid[58] >> 4) << 8;
	p->mode_h = p->edid[59] | (p->edid[61] >> 4) << 8;
	for (off = 54; off < 126; off += 18) {
		const uint8_t *d = p->edid + off;

		if (d[0] || d[1] || d[3] != 0xfc)
			continue;
		for (i = 0; i < 13 && d[5 + i] != '\n'; i++)
			p->monitor_name[i] = (char)d[5 + i];
		p->monitor_name[i] = 0;
	}
	return 0;
}

/* In the driver's order (docs/vgpu-registers.md, "Probe order"). */
static const struct {
	const char *name;
	int (*run)(struct i915probe *p);
} steps[] = {
    {"bars", step_bars},		 /* hvmloader */
    {"detect", step_detect},		 /* intel_vgpu_detect */
    {"opregion", step_opregion},	 /* intel_opregion_setup */
    {"fuses", step_fuses},		 /* i915_driver_mmio_probe */
    {"balloon", step_balloon},		 /* i915_driver_hw_probe */
    {"fences", step_fences},		 /* intel_ggtt_init_fences */
    {"dram", step_dram},		 /* intel_dram_detect */
    {"display-core", step_display_core}, /* intel_modeset_init_noirq */
    {"irq-reset", step_irq_reset},	 /* intel_irq_install */
    {"pcode", step_pcode},		 /* intel_modeset_init_nogem */
    {"outputs", step_outputs},		 /* outputs, VGA, TLB */
    {"monitor", step_monitor},		 /* intel_dp_detect on DDI D */
    {"gt-init", step_gt_init},		 /* intel_gt_init */
    {"ggtt", step_ggtt},		 /* GGTT inserts */
    {"interrupt", step_interrupt},	 /* an MSI end to end */
    {"engines", step_engines},		 /* __engines_record_defaults */
};

int i915probe_run(struct i915probe *p)
{
	size_t i;

	p->why[0] = 0;
	p->failed_step = NULL;
	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		if (steps[i].run(p) < 0) {
			p->failed_step = steps[i].name;
			return -1;
		}
		if (p->step_done)
			p->step_done(p, steps[i].name);
	}
	return 0;
}
