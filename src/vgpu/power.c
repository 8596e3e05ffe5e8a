/* SPDX-License-Identifier: MIT */
/*
 * power.c - what the display engine's power and clock registers answer:
 * power wells come up the moment they are requested, PLLs lock the
 * moment they are enabled, the data buffer powers at once, and the fuses
 * and straps describe a desktop SKL with nothing fused off.
 *
 * Values and the bits i915 6.1 polls: docs/vgpu-registers.md sections 5
 * and 7; what the vGPU returns and why: docs/vgpu-hw-regs.md.  Sources
 * (facts only): i915_reg.h (offsets, bits); display/intel_display_power_
 * well.c, display/intel_display_power.c, display/intel_cdclk.c,
 * display/intel_dpll_mgr.c (what is polled); gvt/handlers.c
 * (skl_power_well_ctl_write, skl_lcpll_write, dpll_status_read,
 * gen9_dbuf_ctl_mmio_write).
 */
#include "vgpu/power.h"

#include "vgpu/fixed.h"

#define HSW_PWR_WELL_CTL1 0x45400u /* BIOS requests */
#define HSW_PWR_WELL_CTL2 0x45404u /* driver requests */
#define HSW_PWR_WELL_CTL3 0x45408u /* KVMR requests */
#define HSW_PWR_WELL_CTL4 0x4540cu /* debug requests */
#define SKL_FUSE_STATUS 0x42000u
#define DC_STATE_EN 0x45504u
#define DBUF_CTL_S0 0x45008u
#define CDCLK_CTL 0x46000u
#define LCPLL1_CTL 0x46010u /* DPLL0 */
#define LCPLL2_CTL 0x46014u /* DPLL1 */
#define WRPLL_CTL1 0x46040u /* DPLL2 */
#define WRPLL_CTL2 0x46060u /* DPLL3 */
#define DPLL_CTRL1 0x6c058u
#define DPLL_CTRL2 0x6c05cu
#define DPLL_STATUS 0x6c060u
#define SWF_ILK_18 0x4f060u /* SWF_ILK(0x18): 0x4f000 + 4 * 0x18 */
#define SKL_DFSM 0x51000u
#define PCH_RAWCLK_FREQ 0xc6204u
#define CPU_VGACNTRL 0x41000u

/*
 * SKL wells: REQ(idx) = bit 2 idx + 1, STATE(idx) = bit 2 idx, for
 * MISC_IO (0), DDI_IO A/E, B, C, D (1-4), PW_1 (14) and PW_2 (15).
 */
#define PWR_WELL_REQ(i) (1u << (2 * (i) + 1))
#define SKL_WELL_REQS                                           \
	(PWR_WELL_REQ(0) | PWR_WELL_REQ(1) | PWR_WELL_REQ(2) |  \
	 PWR_WELL_REQ(3) | PWR_WELL_REQ(4) | PWR_WELL_REQ(14) | \
	 PWR_WELL_REQ(15))

/*
 * SKL_FUSE_STATUS: bit 31 fuse download done; PG0, PG1, PG2 distributed
 * (bits 27, 26, 25), polled around PW_1 and PW_2.
 */
#define SKL_FUSES_DONE 0x8e000000u

#define DBUF_POWER_REQUEST (1u << 31)
#define DBUF_POWER_STATE (1u << 30)
#define LCPLL_PLL_ENABLE (1u << 31)
#define LCPLL_PLL_LOCK (1u << 30)
#define PLL_ENABLE (1u << 31) /* LCPLL_PLL_ENABLE, WRPLL_PLL_ENABLE */

/* DPLL_CTRL2 cold: every DDI's clock off (DDI_CLK_OFF(p) = bit 15 + p). */
#define DPLL_CTRL2_ALL_CLK_OFF 0x000f8000u
#define VGA_DISP_DISABLE (1u << 31)
#define RAWCLK_24MHZ 0x18u /* SPT: bits 9:0 = MHz */

/* A requested well is up at once: each STATE follows its REQ. */
static void pwr_well_write(const struct mmio_ctx *c, uint32_t val, uint32_t be)
{
	uint32_t req;

	mmio_store(c, val, be);
	req = mmio_ctx_get(c) & SKL_WELL_REQS;
	mmio_ctx_set(c, req | (req >> 1));
}

/* The bit `state` follows the bit `req` of the same register. */
static void follow(const struct mmio_ctx *c, uint32_t val, uint32_t be,
		   uint32_t req, uint32_t state)
{
	uint32_t nv;

	mmio_store(c, val, be);
	nv = mmio_ctx_get(c) & ~state;
	mmio_ctx_set(c, nv | ((nv & req) ? state : 0));
}

static void dbuf_write(const struct mmio_ctx *c, uint32_t val, uint32_t be)
{
	follow(c, val, be, DBUF_POWER_REQUEST, DBUF_POWER_STATE);
}

static void lcpll_write(const struct mmio_ctx *c, uint32_t val, uint32_t be)
{
	follow(c, val, be, LCPLL_PLL_ENABLE, LCPLL_PLL_LOCK);
}

/* DPLL_LOCK(id) = bit 8 id, for each DPLL whose enable bit is set. */
static uint32_t dpll_status_read(const struct mmio_ctx *c)
{
	static const uint32_t ctl[] = {LCPLL1_CTL, LCPLL2_CTL, WRPLL_CTL1,
				       WRPLL_CTL2};
	uint32_t v = 0;
	unsigned id;

	for (id = 0; id < 4; id++)
		if (mmio_vreg_get(c->m, ctl[id]) & PLL_ENABLE)
			v |= 1u << (8 * id);
	return v;
}

/* One line per register, like a datasheet. */
/* clang-format off */
#define RO(o, v, nm) {.offset = (o), .size = 4, .reset = (v), .ro_mask = ~0u, \
		       .name = nm}
#define RW(o, v, nm) {.offset = (o), .size = 4, .reset = (v), .name = nm}

static const struct mmio_reg power_regs[] = {
	RW(HSW_PWR_WELL_CTL1, 0, "HSW_PWR_WELL_CTL1"),
	{.offset = HSW_PWR_WELL_CTL2, .size = 4, .ro_mask = ~SKL_WELL_REQS,
	 .write = pwr_well_write, .name = "HSW_PWR_WELL_CTL2"},
	RW(HSW_PWR_WELL_CTL3, 0, "HSW_PWR_WELL_CTL3"),
	RW(HSW_PWR_WELL_CTL4, 0, "HSW_PWR_WELL_CTL4"),
	RO(SKL_FUSE_STATUS, SKL_FUSES_DONE, "SKL_FUSE_STATUS"),
	RW(DC_STATE_EN, 0, "DC_STATE_EN"), /* DC5/DC6 off; stores */
	{.offset = DBUF_CTL_S0, .size = 4, .ro_mask = DBUF_POWER_STATE,
	 .write = dbuf_write, .name = "DBUF_CTL_S0"},
	RW(CDCLK_CTL, 0, "CDCLK_CTL"),
	{.offset = LCPLL1_CTL, .size = 4, .ro_mask = LCPLL_PLL_LOCK,
	 .write = lcpll_write, .name = "LCPLL1_CTL"},
	{.offset = LCPLL2_CTL, .size = 4, .ro_mask = LCPLL_PLL_LOCK,
	 .write = lcpll_write, .name = "LCPLL2_CTL"},
	RW(WRPLL_CTL1, 0, "WRPLL_CTL1"),
	RW(WRPLL_CTL2, 0, "WRPLL_CTL2"),
	RW(DPLL_CTRL1, 0, "DPLL_CTRL1"),
	RW(DPLL_CTRL2, DPLL_CTRL2_ALL_CLK_OFF, "DPLL_CTRL2"),
	{.offset = DPLL_STATUS, .size = 4, .ro_mask = ~0u,
	 .read = dpll_status_read, .name = "DPLL_STATUS"},
	RW(SWF_ILK_18, 0, "SWF_ILK_18"), /* no pre-OS display */
	RO(SKL_DFSM, 0, "SKL_DFSM"),	 /* nothing fused off, CDCLK 675 */
	RW(PCH_RAWCLK_FREQ, RAWCLK_24MHZ, "PCH_RAWCLK_FREQ"),
	RW(CPU_VGACNTRL, VGA_DISP_DISABLE, "CPU_VGACNTRL"),
};
/* clang-format on */

struct power {
	struct mmio_space *m;
};

static int power_init(struct vgpu *v, void *state)
{
	struct power *pw = state;

	pw->m = vgpu_regs(v);
	return 0;
}

/* b follows a in register off, as after any write. */
static void settle(struct mmio_space *m, uint32_t off, uint32_t a, uint32_t b)
{
	uint32_t v = mmio_vreg_get(m, off) & ~b;

	mmio_vreg_set(m, off, v | ((v & a) ? b : 0));
}

/*
 * Nothing but registers to load: fuses and straps go back to the part's,
 * and every status bit follows its request again.
 */
static int power_load(void *state, struct blob_r *r)
{
	struct power *pw = state;
	uint32_t req = mmio_vreg_get(pw->m, HSW_PWR_WELL_CTL2) & SKL_WELL_REQS;

	(void)r;
	vgpu_restore_fixed(pw->m, power_regs,
			   sizeof(power_regs) / sizeof(power_regs[0]));
	mmio_vreg_set(pw->m, HSW_PWR_WELL_CTL2, req | (req >> 1));
	settle(pw->m, DBUF_CTL_S0, DBUF_POWER_REQUEST, DBUF_POWER_STATE);
	settle(pw->m, LCPLL1_CTL, LCPLL_PLL_ENABLE, LCPLL_PLL_LOCK);
	settle(pw->m, LCPLL2_CTL, LCPLL_PLL_ENABLE, LCPLL_PLL_LOCK);
	return 0;
}

const struct vgpu_block vgpu_power_block = {
    .name = "power",
    VGPU_REGS(power_regs),
    .state_size = sizeof(struct power),
    .init = power_init,
    .load = power_load,
};
