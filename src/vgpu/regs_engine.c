/* SPDX-License-Identifier: MIT */
/*
 * regs_engine.c - per-engine registers of the command streamers.
 *
 * For now only what can be stated with certainty: the "mode" registers
 * that are masked (the high 16 bits of a write select which low bits it
 * changes).  i915 writes them only through _MASKED_BIT_ENABLE/DISABLE, and
 * gvt/handlers.c declares both with F_MODE_MASK for every engine:
 *   RING_MI_MODE(base) = base + 0x9c   (i915 gt/intel_engine_regs.h)
 *   RING_INSTPM(base)  = base + 0xc0
 * MI_MODE bit 9 (MODE_IDLE) is a status bit the engine sets, never the
 * driver: read-only here until the engine model drives it.
 * Reset values are 0 (gvt starts from a host snapshot instead; nothing in
 * i915 depends on these before it writes them).
 *
 * Engine MMIO bases (gt/intel_engine_cs.c, Gen9 GT2 has these four):
 * RCS 0x2000, VCS 0x12000, VECS 0x1a000, BCS 0x22000.
 * The engine issue adds RING_MODE (base + 0x29c, masked with a handler),
 * ELSP, CSB, HWS_PGA, ... to this table.
 */
#include "vgpu/vgpu_priv.h"

#define RENDER_RING_BASE 0x02000
#define GEN6_BSD_RING_BASE 0x12000
#define VEBOX_RING_BASE 0x1a000
#define BLT_RING_BASE 0x22000

#define RING_MI_MODE(base) ((base) + 0x9c)
#define RING_INSTPM(base) ((base) + 0xc0)
#define MODE_IDLE (1u << 9)

/* One register per line, like a datasheet. */
/* clang-format off */
#define MASKED(off, ro, nm)                                                  \
	{                                                                    \
		.offset = off, .size = 4, .flags = MMIO_F_MODE_MASK,         \
		.ro_mask = ro, .name = nm,                                   \
	}

static const struct mmio_reg engine_regs[] = {
	MASKED(RING_MI_MODE(RENDER_RING_BASE), MODE_IDLE, "RCS_MI_MODE"),
	MASKED(RING_INSTPM(RENDER_RING_BASE), 0, "RCS_INSTPM"),
	MASKED(RING_MI_MODE(GEN6_BSD_RING_BASE), MODE_IDLE, "VCS_MI_MODE"),
	MASKED(RING_INSTPM(GEN6_BSD_RING_BASE), 0, "VCS_INSTPM"),
	MASKED(RING_MI_MODE(VEBOX_RING_BASE), MODE_IDLE, "VECS_MI_MODE"),
	MASKED(RING_INSTPM(VEBOX_RING_BASE), 0, "VECS_INSTPM"),
	MASKED(RING_MI_MODE(BLT_RING_BASE), MODE_IDLE, "BCS_MI_MODE"),
	MASKED(RING_INSTPM(BLT_RING_BASE), 0, "BCS_INSTPM"),
};

/* clang-format on */

const struct mmio_block vgpu_engine_regs = {
    .name = "engine",
    .regs = engine_regs,
    .nregs = sizeof(engine_regs) / sizeof(engine_regs[0]),
};
