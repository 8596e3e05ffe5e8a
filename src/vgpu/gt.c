/* SPDX-License-Identifier: MIT */
/*
 * gt.c - the GT registers that describe the part or answer a handshake:
 * fuses, the timestamp clock, the uC's WOPCM locks, forcewake, TLB
 * invalidation and the uncore's unclaimed-access register.
 *
 * Values and the bits i915 6.1 checks: docs/vgpu-registers.md sections 1,
 * 2 and 6; what the vGPU returns and why: docs/vgpu-hw-regs.md.  Sources
 * (facts only): gt/intel_gt_regs.h, i915_reg.h, gt/uc/intel_guc_reg.h
 * (offsets); gvt/handlers.c (fpga_dbg_mmio_write, mul_force_wake_write,
 * gvt_reg_tlb_control_handler).
 */
#include "vgpu/gt.h"

#include "vgpu/fixed.h"

#define FPGA_DBG 0x42300u
#define FPGA_DBG_RM_NOCLAIM (1u << 31)

#define GEN8_RING_FAULT_REG 0x4094u
#define GEN8_RTCR 0x4260u  /* render */
#define GEN8_M1TCR 0x4264u /* video decode 0 */
#define GEN8_M2TCR 0x4268u /* video decode 1 (no such engine on GT2) */
#define GEN8_BTCR 0x426cu  /* blitter */
#define GEN8_VTCR 0x4270u  /* video enhancement */

#define GEN8_FUSE2 0x9120u
#define GEN9_EU_DISABLE0 0x9134u /* three slices' worth: 0x9134..0x913c */
#define CTC_MODE 0xa26cu
#define GUC_STATUS 0xc000u
#define GS_MIA_IN_RESET (1u << 0)
#define GUC_WOPCM_SIZE 0xc050u
#define DMA_GUC_WOPCM_OFFSET 0xc340u
#define GTFIFODBG 0x120000u
#define GTFIFOCTL 0x120008u

#define FORCEWAKE_MEDIA_GEN9 0xa270u
#define FORCEWAKE_RENDER_GEN9 0xa278u
#define FORCEWAKE_GT_GEN9 0xa188u
#define FORCEWAKE_ACK_RENDER_GEN9 0x0d84u
#define FORCEWAKE_ACK_MEDIA_GEN9 0x0d88u
#define FORCEWAKE_ACK_GT_GEN9 0x130044u

/*
 * SKL GT2: slice 0 only (GEN8_F2_S_ENA bits 27:25 = 0b001) and subslice 3
 * disabled (GEN9_F2_SS_DIS bits 23:20 = 0b1000): 1x3 subslices, and with
 * every EU enabled 24 EUs (intel_sseu.c:gen9_sseu_info_init).
 */
#define FUSE2_SKL_GT2 0x02800000u
/* Bits 2:1 = 2, bit 0 = 0: the 24 MHz crystal divided by 2, 12 MHz. */
#define CTC_MODE_SKL 0x00000004u

/*
 * FPGA_DBG: the device never flags an unclaimed access, so bit 31 stays
 * 0; writing 1 there clears it (what i915 does when it finds it set), as
 * GVT's fpga_dbg_mmio_write does.  The other bits store.
 */
static void fpga_dbg_write(const struct mmio_ctx *c, uint32_t val, uint32_t be)
{
	mmio_store(c, val, be);
	if (val & be & FPGA_DBG_RM_NOCLAIM)
		mmio_ctx_set(c, mmio_ctx_get(c) & ~FPGA_DBG_RM_NOCLAIM);
}

/* Each request's acknowledge register, in the order of the table below. */
static uint32_t fw_ack(uint32_t req)
{
	switch (req) {
	case FORCEWAKE_RENDER_GEN9:
		return FORCEWAKE_ACK_RENDER_GEN9;
	case FORCEWAKE_MEDIA_GEN9:
		return FORCEWAKE_ACK_MEDIA_GEN9;
	default:
		return FORCEWAKE_ACK_GT_GEN9;
	}
}

/*
 * A forcewake request is a masked register; the domain is always awake,
 * so its ack shows the request's low 16 bits at once
 * (gvt/handlers.c:mul_force_wake_write).
 */
static void fw_req_write(const struct mmio_ctx *c, uint32_t val, uint32_t be)
{
	mmio_store(c, val, be);
	mmio_vreg_set(c->m, fw_ack(c->off), mmio_ctx_get(c) & 0xffffu);
}

/* One line per register, like a datasheet. */
/* clang-format off */
#define RO(o, v, nm) {.offset = (o), .size = 4, .reset = (v), .ro_mask = ~0u, \
		       .name = nm}
#define TLB(o, nm) {.offset = (o), .size = 4, .ro_mask = ~0u, .name = nm}

static const struct mmio_reg gt_regs[] = {
	{.offset = FPGA_DBG, .size = 4, .ro_mask = FPGA_DBG_RM_NOCLAIM,
	 .write = fpga_dbg_write, .name = "FPGA_DBG"},
	/* RING_FAULT_VALID never set: no fault was recorded. */
	{.offset = GEN8_RING_FAULT_REG, .size = 4, .flags = MMIO_F_CMD,
	 .name = "GEN8_RING_FAULT_REG"},
	/*
	 * Invalidation is immediate: bit 0 reads 0 right after the write.
	 * GVT serves M2TCR too (VCS1, absent on GT2) with the same handler
	 * (gvt/handlers.c, MMIO_DH 0x4260..0x4270).
	 */
	TLB(GEN8_RTCR, "GEN8_RTCR"),
	TLB(GEN8_M1TCR, "GEN8_M1TCR"),
	TLB(GEN8_M2TCR, "GEN8_M2TCR"),
	TLB(GEN8_BTCR, "GEN8_BTCR"),
	TLB(GEN8_VTCR, "GEN8_VTCR"),
	RO(GEN8_FUSE2, FUSE2_SKL_GT2, "GEN8_FUSE2"),
	{.offset = GEN9_EU_DISABLE0, .size = 12, .ro_mask = ~0u,
	 .name = "GEN9_EU_DISABLE"},
	RO(CTC_MODE, CTC_MODE_SKL, "CTC_MODE"),
	/*
	 * The GuC's microcontroller is held in reset (there is no GuC), as
	 * i915's __uc_sanitize expects after its GuC reset: it WARNs "MIA
	 * core expected to be in reset" otherwise.
	 */
	RO(GUC_STATUS, GS_MIA_IN_RESET, "GUC_STATUS"),
	/* Bit 0 (locked / valid) clear: the GuC was never loaded. */
	RO(GUC_WOPCM_SIZE, 0, "GUC_WOPCM_SIZE"),
	RO(DMA_GUC_WOPCM_OFFSET, 0, "DMA_GUC_WOPCM_OFFSET"),
	{.offset = FORCEWAKE_RENDER_GEN9, .size = 4, .flags = MMIO_F_MODE_MASK,
	 .write = fw_req_write, .name = "FORCEWAKE_RENDER_GEN9"},
	{.offset = FORCEWAKE_MEDIA_GEN9, .size = 4, .flags = MMIO_F_MODE_MASK,
	 .write = fw_req_write, .name = "FORCEWAKE_MEDIA_GEN9"},
	{.offset = FORCEWAKE_GT_GEN9, .size = 4, .flags = MMIO_F_MODE_MASK,
	 .write = fw_req_write, .name = "FORCEWAKE_GT_GEN9"},
	RO(FORCEWAKE_ACK_RENDER_GEN9, 0, "FORCEWAKE_ACK_RENDER_GEN9"),
	RO(FORCEWAKE_ACK_MEDIA_GEN9, 0, "FORCEWAKE_ACK_MEDIA_GEN9"),
	RO(FORCEWAKE_ACK_GT_GEN9, 0, "FORCEWAKE_ACK_GT_GEN9"),
	/* The GT FIFO (gen6/7) never overflows: no error bit is ever set. */
	{.offset = GTFIFODBG, .size = 4, .flags = MMIO_F_W1C,
	 .name = "GTFIFODBG"},
	{.offset = GTFIFOCTL, .size = 4, .name = "GTFIFOCTL"},
};
/* clang-format on */

struct gt {
	struct mmio_space *m;
};

static int gt_init(struct vgpu *v, void *state)
{
	struct gt *g = state;

	g->m = vgpu_regs(v);
	return 0;
}

/*
 * Nothing but registers to load; the fuses go back to the part's, the
 * acks follow their requests and no unclaimed access is pending.
 */
static int gt_load(void *state, struct blob_r *r)
{
	static const uint32_t req[] = {FORCEWAKE_RENDER_GEN9,
				       FORCEWAKE_MEDIA_GEN9, FORCEWAKE_GT_GEN9};
	struct gt *g = state;
	unsigned i;

	(void)r;
	vgpu_restore_fixed(g->m, gt_regs, sizeof(gt_regs) / sizeof(gt_regs[0]));
	for (i = 0; i < 3; i++) {
		uint32_t v = mmio_vreg_get(g->m, req[i]) & 0xffffu;

		mmio_vreg_set(g->m, req[i], v);
		mmio_vreg_set(g->m, fw_ack(req[i]), v);
	}
	mmio_vreg_set(g->m, FPGA_DBG,
		      mmio_vreg_get(g->m, FPGA_DBG) & ~FPGA_DBG_RM_NOCLAIM);
	return 0;
}

const struct vgpu_block vgpu_gt_block = {
    .name = "gt",
    VGPU_REGS(gt_regs),
    .state_size = sizeof(struct gt),
    .init = gt_init,
    .load = gt_load,
};
