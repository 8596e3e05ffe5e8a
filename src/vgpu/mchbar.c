/* SPDX-License-Identifier: MIT */
/*
 * mchbar.c - the memory controller's registers as mirrored in BAR0
 * (MCHBAR_MIRROR_BASE_SNB 0x140000) and the eDRAM capability: a fixed,
 * read-only description of a plain SKL desktop, whatever the host has.
 *
 * Values and the bits i915 6.1 decodes: docs/vgpu-registers.md section 3;
 * what the vGPU returns and why: docs/vgpu-hw-regs.md.  Offsets from
 * intel_mchbar_regs.h and i915_reg.h; decoding from intel_dram.c
 * (skl_get_dram_type, skl_dram_get_dimm_info) and gt/intel_rps.c
 * (gen6_rps_get_freq_caps).
 */
#include "vgpu/mchbar.h"

#include "vgpu/fixed.h"

#define HSW_EDRAM_CAP 0x120010u
#define SKL_MAD_INTER_CHANNEL 0x145000u
#define SKL_MAD_DIMM_CH0 0x14500cu
#define SKL_MAD_DIMM_CH1 0x145010u
#define GEN6_RP_STATE_CAP 0x145998u
#define DCLK 0x145e04u

/* Bits 1:0 SKL_DRAM_DDR_TYPE = 0: DDR4. */
#define DRAM_DDR4 0x0u
/*
 * DIMM L only: 8 GB (bits 5:0), x8 devices (bits 9:8 = 0), one rank
 * (bit 10 = 0): 8 devices of 8 Gb, so no 16 Gb adjustment of WM0.
 */
#define DIMM_8GB_X8_1R 0x00000008u
/*
 * RP0 = RP1 = RPn = 0: RPS stays off (max <= min) and no PCODE
 * frequency-table writes follow.  The vGPU cannot change the GPU's clock
 * (the host owns it; GVT-g does not emulate RPS), so it advertises no
 * range rather than one it cannot honour.
 */
#define RP_STATE_CAP_NONE 0x00000000u
/* Bits 3:0: DDR clock in 266.67 MHz units, 8 = DDR4-2133 (unverified). */
#define DCLK_2133 0x00000008u

/* One line per register, like a datasheet; all read-only. */
/* clang-format off */
#define RO(o, v, nm) {.offset = (o), .size = 4, .reset = (v), .ro_mask = ~0u, \
		       .name = nm}

static const struct mmio_reg mchbar_regs[] = {
	RO(HSW_EDRAM_CAP, 0, "HSW_EDRAM_CAP"), /* GT2: no eDRAM */
	RO(SKL_MAD_INTER_CHANNEL, DRAM_DDR4, "SKL_MAD_INTER_CHANNEL"),
	RO(SKL_MAD_DIMM_CH0, DIMM_8GB_X8_1R, "SKL_MAD_DIMM_CH0"),
	RO(SKL_MAD_DIMM_CH1, DIMM_8GB_X8_1R, "SKL_MAD_DIMM_CH1"),
	RO(GEN6_RP_STATE_CAP, RP_STATE_CAP_NONE, "GEN6_RP_STATE_CAP"),
	RO(DCLK, DCLK_2133, "DCLK"),
};
/* clang-format on */

struct mchbar {
	struct mmio_space *m;
};

static int mchbar_init(struct vgpu *v, void *state)
{
	struct mchbar *mc = state;

	mc->m = vgpu_regs(v);
	return 0;
}

/* Nothing but registers to load, and all of them are the part's. */
static int mchbar_load(void *state, struct blob_r *r)
{
	struct mchbar *mc = state;

	(void)r;
	vgpu_restore_fixed(mc->m, mchbar_regs,
			   sizeof(mchbar_regs) / sizeof(mchbar_regs[0]));
	return 0;
}

const struct vgpu_block vgpu_mchbar_block = {
    .name = "mchbar",
    VGPU_REGS(mchbar_regs),
    .state_size = sizeof(struct mchbar),
    .init = mchbar_init,
    .load = mchbar_load,
};
