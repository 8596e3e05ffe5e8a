/* SPDX-License-Identifier: MIT */
/*
 * mmio.h - the vGPU's register file: BAR0 [0, 2 MiB), as GVT-g models it.
 *
 * Every 32-bit register has a virtual value (vreg).  Offsets no table
 * names behave as GVT's default handler does: a write is stored and read
 * back, 0 at reset; the first access to each such offset is logged once.
 * A register named in a table gets its declared behaviour, one line each,
 * like a datasheet:
 *
 *   {offset, size, flags, reset, ro_mask, read, write, name}
 *
 * - size covers a run of identical dwords (e.g. 16 fence registers);
 * - instances: `count` copies `stride` bytes apart (pipes, fences), or one
 *   copy at `offset` from each of `bases[0..count)` (engines); the
 *   handler learns which instance it was called for;
 * - reset is each dword's value at creation and reset;
 * - ro_mask bits keep their value whatever the guest writes;
 * - MMIO_F_MODE_MASK: a "masked" register: the high 16 bits of a write say
 *   which of the low 16 bits it changes; the high bits read as 0.  Only
 *   whole-dword writes are meaningful; narrower writes are dropped;
 * - MMIO_F_W1C: writable bits are write-1-to-clear (IIR style);
 * - MMIO_F_CMD: a command buffer may read or write it (the command
 *   parser's list); MMIO_F_GMADR: it holds a graphics memory address;
 * - read/write handlers run instead of the stored value / default store;
 *   a write handler may call mmio_store() for the default behaviour first.
 *
 * Tables come one per block (engines, PVINFO, interrupts...), each with
 * the block's state, which handlers receive; mmio_init() expands the
 * instances and merges the tables, refusing overlaps.  Accesses of 1, 2, 4
 * or 8 bytes at any alignment are split into the dwords they touch; each
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
#define MMIO_F_CMD (1u << 2)
#define MMIO_F_GMADR (1u << 3)

#define MMIO_MAX_INSTANCES 64
#define MMIO_UNKNOWN_LOG_MAX 256 /* lines about unknown offsets, in all */

struct mmio_space;
struct mmio_reg;

/* What a handler is told about the access it serves. */
struct mmio_ctx {
	struct mmio_space *m;
	const struct mmio_reg *r;
	void *state;   /* the block's state */
	unsigned inst; /* which instance of r */
	uint32_t base; /* BAR0 offset of this instance's first dword */
	uint32_t off;  /* BAR0 offset of the dword accessed (4-aligned) */
};

typedef uint32_t mmio_read_fn(const struct mmio_ctx *c);
/* be: byte-enable bits (0xff per byte written) of `val`. */
typedef void mmio_write_fn(const struct mmio_ctx *c, uint32_t val, uint32_t be);

struct mmio_reg {
	uint32_t offset; /* dword aligned; from each base when bases is set */
	uint32_t size;	 /* bytes, a multiple of 4 */
	uint32_t flags;
	uint32_t reset;
	uint32_t ro_mask;
	mmio_read_fn *read;
	mmio_write_fn *write;
	const char *name;
	uint16_t count;	       /* instances; 0 means 1 */
	uint32_t stride;       /* bytes between instances (without bases) */
	const uint32_t *bases; /* count instance bases, or NULL */
};

/* One block's registers and the state its handlers get. */
struct mmio_table {
	const char *name;
	const struct mmio_reg *regs;
	size_t nregs;
	void *state;
};

/* One expanded instance of a table entry. */
struct mmio_slot {
	uint32_t start, end; /* [start, end) in BAR0 */
	const struct mmio_reg *r;
	void *state;
	unsigned inst;
};

struct mmio_space {
	uint32_t *vreg;		/* MMIO_SIZE / 4 dwords */
	struct mmio_slot *slot; /* sorted by start */
	size_t nslots;
	uint8_t *unknown_seen; /* one bit per dword: logged already */
	unsigned unknown_logged;
	uint64_t unknown_accesses; /* accesses to offsets no table names */
};

/* Build the register file; -EINVAL on a bad or overlapping table. */
int mmio_init(struct mmio_space *m, const struct mmio_table *tables,
	      size_t ntables);
void mmio_fini(struct mmio_space *m);
/* Every dword to 0, then every tabled dword to its reset value. */
void mmio_reset(struct mmio_space *m);

/* The slot covering byte `off`, or NULL. */
const struct mmio_slot *mmio_lookup(const struct mmio_space *m, uint32_t off);

/*
 * Guest accesses: size 1/2/4/8, any alignment, [off, off+size) inside
 * MMIO_SIZE; anything else is logged and reads all-ones / is dropped.
 */
uint64_t mmio_read(struct mmio_space *m, uint32_t off, unsigned size);
void mmio_write(struct mmio_space *m, uint32_t off, unsigned size,
		uint64_t val);

/* The default store for a tabled dword (ro_mask, mode mask, W1C). */
void mmio_store(const struct mmio_ctx *c, uint32_t val, uint32_t be);

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

/* The value a handler's own dword holds. */
static inline uint32_t mmio_ctx_get(const struct mmio_ctx *c)
{
	return c->m->vreg[c->off / 4];
}

static inline void mmio_ctx_set(const struct mmio_ctx *c, uint32_t v)
{
	c->m->vreg[c->off / 4] = v;
}

#endif
