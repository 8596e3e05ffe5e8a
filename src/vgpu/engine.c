/* SPDX-License-Identifier: MIT */
/*
 * engine.c - per-engine registers of the command streamers.
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
 * Each entry below is one register at the same offset from every
 * engine's base.
 */
#include "vgpu/engine.h"

#define RENDER_RING_BASE 0x02000
#define GEN6_BSD_RING_BASE 0x12000
#define VEBOX_RING_BASE 0x1a000
#define BLT_RING_BASE 0x22000

#define RING_MI_MODE 0x9c
#define RING_INSTPM 0xc0
#define MODE_IDLE (1u << 9)

/* The engines of a Gen9 GT2 part, in i915's order of their ids. */
static const uint32_t engine_base[] = {
    RENDER_RING_BASE,
    BLT_RING_BASE,
    GEN6_BSD_RING_BASE,
    VEBOX_RING_BASE,
};

#define NENGINES (sizeof(engine_base) / sizeof(engine_base[0]))

/* One register per line, like a datasheet, at each engine's base. */
/* clang-format off */
#define RING(off, nm, ...)                                                   \
	{.offset = off, .size = 4, .name = nm, .bases = engine_base,        \
	 .count = NENGINES, __VA_ARGS__}

static const struct mmio_reg engine_regs[] = {
	RING(RING_MI_MODE, "MI_MODE", .flags = MMIO_F_MODE_MASK,
	     .ro_mask = MODE_IDLE),
	RING(RING_INSTPM, "INSTPM", .flags = MMIO_F_MODE_MASK),
};
/* clang-format on */

const struct vgpu_block vgpu_engine_block = {
    .name = "engines",
    VGPU_REGS(engine_regs),
};
