/* SPDX-License-Identifier: MIT */
/*
 * ggtt.c - the global GTT as BAR0 [8 MiB, 16 MiB) shows it: 1 Mi 8-byte
 * page-table entries, stored exactly as the guest writes them.
 *
 * Accesses are 4 or 8 bytes at a 4-byte aligned offset (gvt/mmio.c allows
 * the same); the host refuses anything else.  Nothing translates through
 * the table yet.
 */
#include "vgpu/ggtt.h"

#include <errno.h>
#include <string.h>

#include "util/le.h"
#include "vgpu/layout.h"
#include "vgpu/memregion.h"

struct vgpu_ggtt {
	struct mem_region table;
};

static int ggtt_init(struct vgpu *v, void *state)
{
	struct vgpu_ggtt *g = state;
	int rc;

	rc = mem_region_init(&g->table, "gttmmadr-ggtt", IO_SPACE_MMIO, 0,
			     VGPU_GGTT_SIZE, 4, 8, 4);
	if (rc)
		return rc;
	return pci_func_add_bar_region(vgpu_pci(v), VGPU_BAR_GTTMMADR,
				       &g->table.io, VGPU_GGTT_OFFSET);
}

static void ggtt_fini(void *state)
{
	struct vgpu_ggtt *g = state;

	mem_region_fini(&g->table);
}

/* The table is part of the device's state, as the register file is. */
static void ggtt_save(const void *state, struct blob_w *w)
{
	const struct vgpu_ggtt *g = state;

	blob_put_bytes(w, g->table.bytes, VGPU_GGTT_SIZE);
}

static int ggtt_load(void *state, struct blob_r *r)
{
	struct vgpu_ggtt *g = state;

	return blob_get_bytes(r, g->table.bytes, VGPU_GGTT_SIZE) ? 0 : -EINVAL;
}

static void ggtt_reset(void *state)
{
	struct vgpu_ggtt *g = state;

	memset(g->table.bytes, 0, VGPU_GGTT_SIZE);
}

const struct vgpu_block vgpu_ggtt_block = {
    .name = "ggtt",
    .state_size = sizeof(struct vgpu_ggtt),
    .init = ggtt_init,
    .reset = ggtt_reset,
    .fini = ggtt_fini,
    .save = ggtt_save,
    .load = ggtt_load,
};

struct io_region *vgpu_ggtt_region(struct vgpu_ggtt *g)
{
	return &g->table.io;
}

uint64_t vgpu_ggtt_entry(struct vgpu_ggtt *g, uint32_t index)
{
	if (index >= VGPU_GGTT_ENTRIES)
		return 0;
	return le_get(g->table.bytes + (uint64_t)index * 8, 8);
}
