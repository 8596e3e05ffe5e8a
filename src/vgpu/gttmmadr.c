/* SPDX-License-Identifier: MIT */
/*
 * gttmmadr.c - BAR0 (GTTMMADR) as the guest sees it, and BAR4's indirect
 * window onto it.
 *
 *   BAR0 [0, 2 MiB)       registers: the register file (mmio.c + tables)
 *   BAR0 [2 MiB, 8 MiB)   reserved: reads 0, writes dropped
 *   BAR0 [8 MiB, 16 MiB)  GGTT: 8-byte PTEs, 4- and 8-byte accesses (ggtt.c)
 *   BAR4 + 0  MMIO_INDEX  a BAR0 offset
 *   BAR4 + 4  MMIO_DATA   the BAR0 bytes at MMIO_INDEX
 *
 * BAR0 is claimed as two ranges, [0, 8 MiB) and [8 MiB, 16 MiB), so the
 * GGTT half can later be backed by guest RAM instead of trapping.  An
 * access crossing from one part into the next is refused (all-ones,
 * dropped): no driver does that, and each part keeps its own rules.
 */
#include "vgpu/vgpu_priv.h"

#include <inttypes.h>

#include "util/log.h"

enum bar0_part { PART_REGS, PART_RESERVED, PART_GGTT, PART_BAD };

static enum bar0_part bar0_part(uint64_t off, unsigned size)
{
	uint64_t end;

	if ((size != 1 && size != 2 && size != 4 && size != 8) ||
	    off >= VGPU_GTTMMADR_SIZE || size > VGPU_GTTMMADR_SIZE - off)
		return PART_BAD;
	end = off + size - 1;
	if (end < MMIO_SIZE)
		return PART_REGS;
	if (off >= MMIO_SIZE && end < VGPU_GGTT_OFFSET)
		return PART_RESERVED;
	if (off >= VGPU_GGTT_OFFSET)
		return PART_GGTT;
	return PART_BAD;
}

uint64_t vgpu_bar0_read(struct vgpu *v, uint64_t off, unsigned size)
{
	switch (bar0_part(off, size)) {
	case PART_REGS:
		return mmio_read(&v->mmio, (uint32_t)off, size);
	case PART_RESERVED:
		return 0;
	case PART_GGTT:
		return vgpu_ggtt_read(v, off - VGPU_GGTT_OFFSET, size);
	default:
		log_guest(LOG_WARN,
			  "%s: BAR0 read of %u bytes at %#" PRIx64 " refused",
			  v->name, size, off);
		return ~0ull;
	}
}

void vgpu_bar0_write(struct vgpu *v, uint64_t off, unsigned size, uint64_t val)
{
	switch (bar0_part(off, size)) {
	case PART_REGS:
		mmio_write(&v->mmio, (uint32_t)off, size, val);
		return;
	case PART_RESERVED:
		return;
	case PART_GGTT:
		vgpu_ggtt_write(v, off - VGPU_GGTT_OFFSET, size, val);
		return;
	default:
		log_guest(LOG_WARN,
			  "%s: BAR0 write of %u bytes at %#" PRIx64 " dropped",
			  v->name, size, off);
	}
}

/* The region handlers see offsets from their own base; keep them inside. */
static uint64_t regs_read(void *opaque, uint64_t off, unsigned size)
{
	if (off >= VGPU_GGTT_OFFSET || size > VGPU_GGTT_OFFSET - off)
		off = VGPU_GTTMMADR_SIZE; /* refused below */
	return vgpu_bar0_read(opaque, off, size);
}

static void regs_write(void *opaque, uint64_t off, unsigned size, uint64_t val)
{
	if (off >= VGPU_GGTT_OFFSET || size > VGPU_GGTT_OFFSET - off)
		off = VGPU_GTTMMADR_SIZE;
	vgpu_bar0_write(opaque, off, size, val);
}

static uint64_t ggtt_region_read(void *opaque, uint64_t off, unsigned size)
{
	if (off >= VGPU_GGTT_SIZE || size > VGPU_GGTT_SIZE - off)
		off = VGPU_GTTMMADR_SIZE; /* refused below */
	else
		off += VGPU_GGTT_OFFSET;
	return vgpu_bar0_read(opaque, off, size);
}

static void ggtt_region_write(void *opaque, uint64_t off, unsigned size,
			      uint64_t val)
{
	if (off >= VGPU_GGTT_SIZE || size > VGPU_GGTT_SIZE - off)
		off = VGPU_GTTMMADR_SIZE;
	else
		off += VGPU_GGTT_OFFSET;
	vgpu_bar0_write(opaque, off, size, val);
}

/* ---- BAR4: MMIO_INDEX / MMIO_DATA ----------------------------------- */

static bool iobar_ok(uint64_t off, unsigned size)
{
	if (size != 1 && size != 2 && size != 4)
		return false;
	if (off >= VGPU_IOBAR_SIZE || size > VGPU_IOBAR_SIZE - off)
		return false;
	/* Stay inside one of INDEX, DATA or the reserved rest. */
	return off >= 8 || (off & 3) + size <= 4;
}

static uint64_t iobar_read(void *opaque, uint64_t off, unsigned size)
{
	struct vgpu *v = opaque;

	if (!iobar_ok(off, size)) {
		log_guest(LOG_WARN,
			  "%s: IOBAR read of %u bytes at %#" PRIx64 " refused",
			  v->name, size, off);
		return ~0ull;
	}
	if (off < VGPU_IOBAR_MMIO_DATA)
		return (v->mmio_index >> (8 * off)) &
		       (size == 4 ? 0xffffffffu : (1u << (8 * size)) - 1);
	if (off < VGPU_IOBAR_MMIO_DATA + 4)
		return vgpu_bar0_read(
		    v, (uint64_t)v->mmio_index + off - VGPU_IOBAR_MMIO_DATA,
		    size);
	return 0; /* reserved */
}

static void iobar_write(void *opaque, uint64_t off, unsigned size, uint64_t val)
{
	struct vgpu *v = opaque;
	unsigned i;

	if (!iobar_ok(off, size)) {
		log_guest(LOG_WARN,
			  "%s: IOBAR write of %u bytes at %#" PRIx64 " dropped",
			  v->name, size, off);
		return;
	}
	if (off < VGPU_IOBAR_MMIO_DATA) {
		for (i = 0; i < size; i++) {
			unsigned sh = 8 * (unsigned)(off + i);

			v->mmio_index = (v->mmio_index & ~(0xffu << sh)) |
					(uint32_t)((val >> (8 * i)) & 0xff)
					    << sh;
		}
		return;
	}
	if (off < VGPU_IOBAR_MMIO_DATA + 4)
		vgpu_bar0_write(
		    v, (uint64_t)v->mmio_index + off - VGPU_IOBAR_MMIO_DATA,
		    size, val);
}

void vgpu_gttmmadr_setup(struct vgpu *v)
{
	v->bar0_regs = (struct io_region){
	    .name = "gttmmadr-regs",
	    .size = VGPU_GGTT_OFFSET,
	    .read = regs_read,
	    .write = regs_write,
	    .opaque = v,
	};
	v->bar0_ggtt = (struct io_region){
	    .name = "gttmmadr-ggtt",
	    .size = VGPU_GGTT_SIZE,
	    .read = ggtt_region_read,
	    .write = ggtt_region_write,
	    .opaque = v,
	};
	v->iobar = (struct io_region){
	    .name = "iobar",
	    .size = VGPU_IOBAR_SIZE,
	    .read = iobar_read,
	    .write = iobar_write,
	    .opaque = v,
	};
}
