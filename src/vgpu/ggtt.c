/* SPDX-License-Identifier: MIT */
/*
 * ggtt.c - the global GTT as BAR0 [8 MiB, 16 MiB) shows it: 1 Mi 8-byte
 * page-table entries, stored exactly as the guest writes them.
 *
 * Accesses are 4 or 8 bytes at a 4-byte aligned offset (gvt/mmio.c allows
 * the same); anything else is refused.  Nothing translates through the
 * table yet; the GGTT issue adds PTE decoding and, on Xen, backs this half
 * of BAR0 with guest RAM so the guest's PTE writes need no ioreq.
 */
#include "vgpu/vgpu_priv.h"

#include <inttypes.h>
#include <string.h>

#include "util/log.h"

static bool ggtt_ok(uint64_t off, unsigned size)
{
	return (size == 4 || size == 8) && !(off & 3) && off < VGPU_GGTT_SIZE &&
	       size <= VGPU_GGTT_SIZE - off;
}

uint64_t vgpu_ggtt_read(struct vgpu *v, uint64_t off, unsigned size)
{
	uint64_t val = 0;
	unsigned i;

	if (!ggtt_ok(off, size)) {
		log_guest(LOG_WARN,
			  "%s: GGTT read of %u bytes at %#" PRIx64 " refused",
			  v->name, size, off);
		return ~0ull;
	}
	for (i = 0; i < size; i++)
		val |= (uint64_t)v->ggtt[off + i] << (8 * i);
	return val;
}

void vgpu_ggtt_write(struct vgpu *v, uint64_t off, unsigned size, uint64_t val)
{
	unsigned i;

	if (!ggtt_ok(off, size)) {
		log_guest(LOG_WARN,
			  "%s: GGTT write of %u bytes at %#" PRIx64 " dropped",
			  v->name, size, off);
		return;
	}
	for (i = 0; i < size; i++)
		v->ggtt[off + i] = (uint8_t)(val >> (8 * i));
}
