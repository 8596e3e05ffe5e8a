/* SPDX-License-Identifier: MIT */
/*
 * gm.h - graphics memory as an engine reaches it: GGTT addresses through
 * the vGPU's GGTT (ggtt.c), per-process (PPGTT) addresses through the
 * guest's own page tables, and both into guest RAM (gmem.h).
 *
 * A PPGTT is described by the context that uses it: 4-level (the root
 * table's guest-physical address, the context's PDP0) or 3-level (four
 * page-directory pointers, PDP0..3).  Gen8 table entries are 8 bytes:
 * bit 0 present, bits 47:12 the next table or the page.  Large pages
 * (bit 7, "PS", in a PDP or PD entry) and the 64 KiB page-table mode
 * (bit 11 of a PD entry) are refused: i915 maps 4 KiB pages only on a
 * vGPU (i915_gem.c sets page_sizes to 4K when intel_vgpu_active).
 *
 * Every access is checked before a byte moves: an address that does not
 * translate, or a page guest memory refuses, fails the whole access with a
 * negative errno and a read fills its buffer with all-ones.
 */
#ifndef XENGT_VGPU_GM_H
#define XENGT_VGPU_GM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "foreign/gmem.h"

struct vgpu_ggtt;

enum gm_ppgtt_mode {
	GM_PPGTT_NONE = 0, /* no PPGTT: per-process addresses fail */
	GM_PPGTT_3LVL = 1, /* legacy 32-bit: pdp[0..3] */
	GM_PPGTT_4LVL = 3, /* legacy 64-bit: pdp[0] is the PML4 */
};

struct gm_space {
	struct vgpu_ggtt *ggtt;
	struct gmem *mem;
	enum gm_ppgtt_mode mode;
	uint64_t pdp[4];
};

/* The guest-physical address of `addr` (GGTT or PPGTT). */
int gm_translate(const struct gm_space *s, bool ppgtt, uint64_t addr,
		 uint64_t *gpa);
int gm_read(const struct gm_space *s, bool ppgtt, uint64_t addr, void *buf,
	    size_t len);
int gm_write(const struct gm_space *s, bool ppgtt, uint64_t addr,
	     const void *buf, size_t len);

#endif
