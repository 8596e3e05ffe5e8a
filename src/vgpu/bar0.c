/* SPDX-License-Identifier: MIT */
/*
 * bar0.c - BAR0 (GTTMMADR) as the guest sees it, and BAR4's indirect
 * window onto it.  Each part of BAR0 is its own region:
 *
 *   part                    region          accesses      behaviour
 *   [0, 2 MiB)    registers gttmmadr-regs   1/2/4/8, any  the register file
 *   [2, 8 MiB)    reserved  gttmmadr-rsvd   1/2/4/8, any  reads 0, writes
 *                                                         dropped
 *   [8, 16 MiB)   GGTT      gttmmadr-ggtt   4/8, 4-aligned  ggtt.c
 *   BAR4 + 0  MMIO_INDEX    a BAR0 offset (1/2/4 bytes inside the dword)
 *   BAR4 + 4  MMIO_DATA     the BAR0 bytes at MMIO_INDEX, under the rules
 *                           of the part they fall in
 *   BAR4 + 8..63            reserved: reads 0, writes dropped
 *
 * An access the rules refuse (crossing from one part into the next, a
 * size a part does not take) reads all-ones and is dropped, as the host
 * does for direct accesses.
 */
#include "vgpu/bar0.h"

#include <errno.h>
#include <inttypes.h>

#include "util/log.h"
#include "vgpu/ggtt.h"
#include "vgpu/layout.h"

struct bar0 {
	struct mmio_space *m;
	struct vgpu_ggtt *ggtt;
	const char *name;
	struct io_region regs, rsvd, iobar;
	uint32_t mmio_index; /* MMIO_INDEX */
};

static uint64_t regs_read(void *opaque, uint64_t off, unsigned size)
{
	struct bar0 *b = opaque;

	return mmio_read(b->m, (uint32_t)off, size);
}

static void regs_write(void *opaque, uint64_t off, unsigned size, uint64_t val)
{
	struct bar0 *b = opaque;

	mmio_write(b->m, (uint32_t)off, size, val);
}

static uint64_t rsvd_read(void *opaque, uint64_t off, unsigned size)
{
	(void)opaque;
	(void)off;
	(void)size;
	return 0;
}

/* ---- BAR4: MMIO_INDEX / MMIO_DATA ----------------------------------- */

/*
 * One access through the window, under the rules of the part of BAR0 it
 * falls in; false if that part refuses it.
 */
static bool window(struct bar0 *b, uint64_t off, unsigned size, uint64_t *val,
		   bool write)
{
	struct io_region *r;

	if (off >= VGPU_GGTT_OFFSET)
		return vgpu_ggtt_access(b->ggtt, off - VGPU_GGTT_OFFSET, size,
					val, write);
	r = off >= VGPU_REGS_SIZE ? &b->rsvd : &b->regs;
	if (r == &b->rsvd)
		off -= VGPU_REGS_SIZE;
	if (!io_access_ok(r, off, size))
		return false;
	if (!write)
		*val = r->read(r->opaque, off, size);
	else if (r->write)
		r->write(r->opaque, off, size, *val);
	return true;
}

static uint64_t data_read(struct bar0 *b, uint64_t off, unsigned size)
{
	uint64_t val;

	if (!window(b, off, size, &val, false)) {
		log_guest(LOG_WARN,
			  "%s: MMIO_DATA read of %u bytes at BAR0 %#" PRIx32
			  " refused",
			  b->name, size, b->mmio_index);
		return ~0ull;
	}
	return val;
}

static void data_write(struct bar0 *b, uint64_t off, unsigned size,
		       uint64_t val)
{
	if (!window(b, off, size, &val, true))
		log_guest(LOG_WARN,
			  "%s: MMIO_DATA write of %u bytes at BAR0 %#" PRIx32
			  " dropped",
			  b->name, size, b->mmio_index);
}

/* INDEX and DATA are dwords: an access must stay inside one of them. */
static bool iobar_ok(uint64_t off, unsigned size)
{
	return off >= 8 || (off & 3) + size <= 4;
}

static uint64_t iobar_read(void *opaque, uint64_t off, unsigned size)
{
	struct bar0 *b = opaque;

	if (!iobar_ok(off, size)) {
		log_guest(LOG_WARN,
			  "%s: IOBAR read of %u bytes at %#" PRIx64 " refused",
			  b->name, size, off);
		return ~0ull;
	}
	if (off < VGPU_IOBAR_MMIO_DATA)
		return (b->mmio_index >> (8 * off)) &
		       (size == 4 ? 0xffffffffu : (1u << (8 * size)) - 1);
	if (off < VGPU_IOBAR_MMIO_DATA + 4)
		return data_read(
		    b, (uint64_t)b->mmio_index + off - VGPU_IOBAR_MMIO_DATA,
		    size);
	return 0; /* reserved */
}

static void iobar_write(void *opaque, uint64_t off, unsigned size, uint64_t val)
{
	struct bar0 *b = opaque;
	unsigned i;

	if (!iobar_ok(off, size)) {
		log_guest(LOG_WARN,
			  "%s: IOBAR write of %u bytes at %#" PRIx64 " dropped",
			  b->name, size, off);
		return;
	}
	if (off < VGPU_IOBAR_MMIO_DATA) {
		for (i = 0; i < size; i++) {
			unsigned sh = 8 * (unsigned)(off + i);

			b->mmio_index = (b->mmio_index & ~(0xffu << sh)) |
					(uint32_t)((val >> (8 * i)) & 0xff)
					    << sh;
		}
		return;
	}
	if (off < VGPU_IOBAR_MMIO_DATA + 4)
		data_write(b,
			   (uint64_t)b->mmio_index + off - VGPU_IOBAR_MMIO_DATA,
			   size, val);
}

static int bar0_init(struct vgpu *v, void *state)
{
	struct bar0 *b = state;
	struct pci_func *f = vgpu_pci(v);
	int rc;

	b->m = vgpu_regs(v);
	b->ggtt = vgpu_block_state(v, &vgpu_ggtt_block);
	b->name = vgpu_name(v);
	b->regs = (struct io_region){
	    .name = "gttmmadr-regs",
	    .size = VGPU_REGS_SIZE,
	    .read = regs_read,
	    .write = regs_write,
	    .opaque = b,
	};
	b->rsvd = (struct io_region){
	    .name = "gttmmadr-rsvd",
	    .size = VGPU_GGTT_OFFSET - VGPU_REGS_SIZE,
	    .read = rsvd_read,
	    .opaque = b,
	};
	b->iobar = (struct io_region){
	    .name = "iobar",
	    .size = VGPU_IOBAR_SIZE,
	    .max_access = 4,
	    .read = iobar_read,
	    .write = iobar_write,
	    .opaque = b,
	};
	rc = pci_func_add_bar_region(f, VGPU_BAR_GTTMMADR, &b->regs, 0);
	if (!rc)
		rc = pci_func_add_bar_region(f, VGPU_BAR_GTTMMADR, &b->rsvd,
					     VGPU_REGS_SIZE);
	if (!rc)
		rc = pci_func_add_bar_region(f, VGPU_BAR_IO, &b->iobar, 0);
	return b->ggtt ? rc : -EINVAL;
}

static void bar0_reset(void *state)
{
	struct bar0 *b = state;

	b->mmio_index = 0;
}

static void bar0_save(const void *state, struct blob_w *w)
{
	const struct bar0 *b = state;

	blob_put_u32(w, b->mmio_index);
}

static int bar0_load(void *state, struct blob_r *r)
{
	struct bar0 *b = state;

	b->mmio_index = blob_get_u32(r);
	return r->failed ? -EINVAL : 0;
}

const struct vgpu_block vgpu_bar0_block = {
    .name = "bar0",
    .state_size = sizeof(struct bar0),
    .init = bar0_init,
    .reset = bar0_reset,
    .save = bar0_save,
    .load = bar0_load,
};
