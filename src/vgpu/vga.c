/* SPDX-License-Identifier: MIT */
/*
 * vga.c - legacy VGA memory, 0xA0000-0xBFFFF, while COMMAND.MEM is set.
 *
 * 128 KiB of plain storage, as text mode and linear (chain-4 off, no
 * planes) access see it: what is written reads back.  Xen sends writes to
 * this window buffered (no response), so the handler never fails a write.
 * Planar modes, the VGA registers (ports 0x3B0-0x3DF) and scan-out are
 * not modelled.  Present only when the vGPU is configured with legacy VGA.
 */
#include "vgpu/vga.h"

#include <errno.h>

#include "vgpu/layout.h"
#include "vgpu/memregion.h"

struct vga {
	struct mem_region mem;
	bool on;
};

static int vga_init(struct vgpu *v, void *state)
{
	struct vga *g = state;
	int rc;

	if (!vgpu_config(v)->legacy_vga)
		return 0;
	rc = mem_region_init(&g->mem, "vga-mem", IO_SPACE_MMIO,
			     VGPU_VGA_MEM_BASE, VGPU_VGA_MEM_SIZE, 1, 8, 0);
	if (rc)
		return rc;
	g->on = true;
	return pci_func_add_fixed(vgpu_pci(v), &g->mem.io, PCI_COMMAND_MEMORY);
}

static void vga_fini(void *state)
{
	struct vga *g = state;

	mem_region_fini(&g->mem);
}

static void vga_save(const void *state, struct blob_w *w)
{
	const struct vga *g = state;

	blob_put_u8(w, g->on);
	if (g->on)
		blob_put_bytes(w, g->mem.bytes, VGPU_VGA_MEM_SIZE);
}

static int vga_load(void *state, struct blob_r *r)
{
	struct vga *g = state;

	if (blob_get_u8(r) != g->on)
		return -EINVAL; /* saved with another configuration */
	if (g->on && !blob_get_bytes(r, g->mem.bytes, VGPU_VGA_MEM_SIZE))
		return -EINVAL;
	return r->failed ? -EINVAL : 0;
}

const struct vgpu_block vgpu_vga_block = {
    .name = "vga",
    .state_size = sizeof(struct vga),
    .init = vga_init,
    .fini = vga_fini,
    .save = vga_save,
    .load = vga_load,
};
