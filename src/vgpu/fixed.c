/* SPDX-License-Identifier: MIT */
/* fixed.c - putting a table's fixed registers back (fixed.h). */
#include "vgpu/fixed.h"

void vgpu_restore_fixed(struct mmio_space *m, const struct mmio_reg *regs,
			size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const struct mmio_reg *r = &regs[i];
		unsigned inst, count = r->count ? r->count : 1;
		uint32_t d;

		if (r->ro_mask != ~0u || r->read || r->write)
			continue;
		for (inst = 0; inst < count; inst++) {
			uint32_t base = r->bases ? r->bases[inst] + r->offset
						 : r->offset + inst * r->stride;

			for (d = 0; d < r->size; d += 4)
				mmio_vreg_set(m, base + d, r->reset);
		}
	}
}
