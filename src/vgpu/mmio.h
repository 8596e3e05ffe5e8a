/* SPDX-License-Identifier: MIT */
/*
 * mmio.h - the vGPU's register file: BAR0 [0, 2 MiB), as GVT-g models it.
 *
 * Every 32-bit register has a virtual value (vreg).  Offsets no table
 * names behave as GVT's default handler does: a write is stored and read
 * back.  A register named in a table gets its declared behaviour, one
 * line each, like a datasheet:
 *
 *   {offset, size, flags, reset, ro_mask, read, write}
 *
 * - size covers a run of identical dwords (e.g. 16 fence registers);
 * - reset is each dword's value at creation and reset;
 * - ro_mask bits keep their value whatever the guest writes;
 * - MMIO_F_MODE_MASK: a "masked" register: the high 16 bits of a write say
 *   which of the low 16 bits it changes; the high bits read as 0.  Only
 *   whole-dword writes are meaningful; narrower writes are dropped;
 * - MMIO_F_W1C: writable bits are write-1-to-clear (IIR style);
 * - read/write handlers run instead of the stored value / default store;
 *   a write handler may call mmio_store() for the default behaviour first.
 *
 * Tables come in blocks, one per file (engines, PVINFO, interrupts...);
 * mmio_init() merges them, refusing overlaps.  Accesses of 1, 2, 4 or 8
 * bytes at any alignment are split into the dwords they touch; each
 * dword's handler sees a byte-enable mask of the bytes written.
 */
#ifndef XENGT_VGPU_MMIO_H
#define XENGT_VGPU_MMIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MMIO_SIZE (2u << 20) /* GVT's mmio_size on Gen8/9 */

#define MMIO_F_MODE_MASK (1u << 0)
#define MMIO_F_W1C (1u << 1)

struct mmio_space;
struct mmio_reg;

/* off: the dword's offset in BAR0 (4-aligned, inside the register). */
typedef uint32_t mmio_read_fn(struct mmio_space *m, const struct mmio_reg *r,
			      uint32_t off);
/* be: byte-enable bits (0xff per byte written) of `val`. */
typedef void mmio_write_fn(struct mmio_space *m, const struct mmio_reg *r,
			   uint32_t off, uint32_t val, uint32_t be);

struct mmio_reg {
	uint32_t offset; /* dword aligned */
	uint32_t size;	 /* bytes, a multiple of 4 */
	uint32_t flags;
	uint32_t reset;
	uint32_t ro_mask;
	mmio_read_fn *read;
	mmio_write_fn *write;
	const char *name;
};

struct mmio_block {
	const char *name;
	const struct mmio_reg *regs;
	size_t nregs;
};

struct mmio_space {
	uint32_t *vreg;		       /* MMIO_SIZE / 4 dwords */
	const struct mmio_reg **index; /* sorted by offset */
	size_t nindex;
	void *owner; /* the device, for handlers */
};

/* Build the register file from blocks; -EINVAL on a bad or overlapping table.
 */
int mmio_init(struct mmio_space *m, const struct mmio_block *blocks,
	      size_t nblocks, void *owner);
void mmio_fini(struct mmio_space *m);
/* Every dword to 0, then every tabled dword to its reset value. */
void mmio_reset(struct mmio_space *m);

/* The table entry covering byte `off`, or NULL. */
const struct mmio_reg *mmio_lookup(const struct mmio_space *m, uint32_t off);

/*
 * Guest accesses: size 1/2/4/8, any alignment, [off, off+size) inside
 * MMIO_SIZE; anything else is logged and reads all-ones / is dropped.
 */
uint64_t mmio_read(struct mmio_space *m, uint32_t off, unsigned size);
void mmio_write(struct mmio_space *m, uint32_t off, unsigned size,
		uint64_t val);

/* The default store for a tabled dword (ro_mask, mode mask, W1C). */
void mmio_store(struct mmio_space *m, const struct mmio_reg *r, uint32_t off,
		uint32_t val, uint32_t be);

/* Device-side access to virtual values (no guest semantics). */
static inline uint32_t mmio_vreg_get(const struct mmio_space *m, uint32_t off)
{
	return off < MMIO_SIZE ? m->vreg[off / 4] : 0;
}

static inline void mmio_vreg_set(struct mmio_space *m, uint32_t off, uint32_t v)
{
	if (off < MMIO_SIZE)
		m->vreg[off / 4] = v;
}

#endif
