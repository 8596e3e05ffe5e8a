/* SPDX-License-Identifier: MIT */
/*
 * ggtt.h - the global GTT block (ggtt.c): the GGTT half of BAR0.
 */
#ifndef XENGT_VGPU_GGTT_H
#define XENGT_VGPU_GGTT_H

#include <stdbool.h>
#include <stdint.h>

#include "vgpu/block.h"

#define VGPU_GGTT_ENTRIES (1u << 20) /* 8-byte PTEs: 4 GiB of GM */
/* Gen8+ GGTT entry: bit 0 present, bits 38:12 the page (i915 gen8_pte_t;
 * a Gen9 part decodes 39 bits). */
#define VGPU_GGTT_PTE_PRESENT 1ull
#define VGPU_GGTT_PTE_ADDR 0x0000007ffffff000ull

struct vgpu_ggtt;

extern const struct vgpu_block vgpu_ggtt_block;

/* The region the guest reaches at BAR0 + 8 MiB. */
struct io_region *vgpu_ggtt_region(struct vgpu_ggtt *g);
bool vgpu_ggtt_in_ram(const struct vgpu_ggtt *g);
/*
 * A device-side access with the GGTT's rules (4 or 8 bytes, 4-aligned),
 * wherever the table lives: BAR4's window uses it.  false if refused.
 */
bool vgpu_ggtt_access(struct vgpu_ggtt *g, uint64_t off, unsigned size,
		      uint64_t *val, bool write);
/* Entry `index` as the guest last wrote it (0 beyond the table or if
 * the table cannot be read). */
uint64_t vgpu_ggtt_entry(struct vgpu_ggtt *g, uint32_t index);
/* Entries [first, first + n) in one read; -EINVAL past the table. */
int vgpu_ggtt_read_entries(struct vgpu_ggtt *g, uint32_t first, uint32_t n,
			   uint64_t *out);
/*
 * The guest-physical address behind graphics-memory address `gm`:
 * -ERANGE outside the vGPU's partition, -ENOENT if the entry is not
 * present.  The page may still be no RAM at all: guest memory refuses it.
 */
int vgpu_ggtt_translate(struct vgpu_ggtt *g, uint64_t gm, uint64_t *gpa);

#endif
