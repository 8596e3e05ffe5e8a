/* SPDX-License-Identifier: MIT */
/*
 * fence.c - the fence registers: 32 on Gen9, 64 bits each, at
 * FENCE_REG_GEN6_LO(n) = 0x100000 + 8n (Linux i915_reg.h; the high dword
 * at +4).  A vGPU owns the first `fences` of them (its type's share, which
 * PVINFO reports and i915 uses instead of 32); they store what the guest
 * writes.  The others belong to no one: they read 0 and writes are
 * dropped and logged, as GVT-g refuses out-of-range fence accesses
 * (gvt/handlers.c fence_mmio_write).  Fences only matter for tiled access
 * through the aperture, which the display issue wires up.
 */
#include "vgpu/fence.h"

#include "util/log.h"

#define FENCE_BASE 0x100000u
#define NFENCES 32

struct fences {
	const char *name;
	uint32_t share;
	uint64_t refused;
};

static void fence_write(const struct mmio_ctx *c, uint32_t val, uint32_t be)
{
	struct fences *f = c->state;

	if (c->inst >= f->share) {
		f->refused++;
		log_guest(LOG_WARN,
			  "%s: write to fence %u dropped (the vGPU owns %u)",
			  f->name, c->inst, f->share);
		return;
	}
	mmio_store(c, val, be);
}

static const struct mmio_reg fence_regs[] = {
    {.offset = FENCE_BASE,
     .size = 8,
     .count = NFENCES,
     .stride = 8,
     .write = fence_write,
     .name = "FENCE_REG_GEN6"},
};

static int fence_init(struct vgpu *v, void *state)
{
	struct fences *f = state;

	f->name = vgpu_name(v);
	f->share = vgpu_partition(v)->fences;
	if (f->share > NFENCES)
		f->share = NFENCES;
	return 0;
}

const struct vgpu_block vgpu_fence_block = {
    .name = "fences",
    VGPU_REGS(fence_regs),
    .state_size = sizeof(struct fences),
    .init = fence_init,
};
