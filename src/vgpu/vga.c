/* SPDX-License-Identifier: MIT */
/*
 * vga.c - legacy VGA memory, 0xA0000-0xBFFFF, while COMMAND.MEM is set.
 *
 * 128 KiB of plain storage, as text mode and linear (chain-4 off, no
 * planes) access see it: what is written reads back.  Xen sends writes to
 * this window buffered (no response), so the handler never fails a write.
 * Planar modes, the VGA registers (ports 0x3B0-0x3DF) and scan-out are
 * not modelled yet.
 */
#include "vgpu/vgpu_priv.h"

#include <inttypes.h>

#include "util/log.h"

static bool vga_ok(uint64_t off, unsigned size)
{
	return size >= 1 && size <= 8 && off < VGPU_VGA_MEM_SIZE &&
	       size <= VGPU_VGA_MEM_SIZE - off;
}

static uint64_t vga_read(void *opaque, uint64_t off, unsigned size)
{
	struct vgpu *v = opaque;
	uint64_t val = 0;
	unsigned i;

	if (!vga_ok(off, size)) {
		log_guest(LOG_WARN,
			  "%s: VGA read of %u bytes at %#" PRIx64 " refused",
			  v->name, size, off);
		return ~0ull;
	}
	for (i = 0; i < size; i++)
		val |= (uint64_t)v->vga_mem[off + i] << (8 * i);
	return val;
}

static void vga_write(void *opaque, uint64_t off, unsigned size, uint64_t val)
{
	struct vgpu *v = opaque;
	unsigned i;

	if (!vga_ok(off, size)) {
		log_guest(LOG_WARN,
			  "%s: VGA write of %u bytes at %#" PRIx64 " dropped",
			  v->name, size, off);
		return;
	}
	for (i = 0; i < size; i++)
		v->vga_mem[off + i] = (uint8_t)(val >> (8 * i));
}

void vgpu_vga_setup(struct vgpu *v)
{
	v->vga = (struct io_region){
	    .name = "vga-mem",
	    .space = IO_SPACE_MMIO,
	    .base = VGPU_VGA_MEM_BASE,
	    .size = VGPU_VGA_MEM_SIZE,
	    .read = vga_read,
	    .write = vga_write,
	    .opaque = v,
	};
}
