/* SPDX-License-Identifier: MIT */
/*
 * mmio.c - the register file behind BAR0 [0, 2 MiB): table lookup, access
 * splitting, and the default store.
 */
#include "vgpu/mmio.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/log.h"

#define KNOWN_FLAGS (MMIO_F_MODE_MASK | MMIO_F_W1C)

static bool reg_ok(const struct mmio_reg *r)
{
	if ((r->offset & 3) || (r->size & 3) || !r->size ||
	    r->offset >= MMIO_SIZE || r->size > MMIO_SIZE - r->offset)
		return false;
	if (r->flags & ~KNOWN_FLAGS)
		return false;
	if ((r->flags & MMIO_F_MODE_MASK) && (r->flags & MMIO_F_W1C))
		return false;
	/* A masked register's high half is the write-enable, never state. */
	if ((r->flags & MMIO_F_MODE_MASK) && (r->reset >> 16))
		return false;
	return true;
}

static int cmp_reg(const void *a, const void *b)
{
	const struct mmio_reg *x = *(const struct mmio_reg *const *)a;
	const struct mmio_reg *y = *(const struct mmio_reg *const *)b;

	return x->offset < y->offset ? -1 : x->offset > y->offset;
}

int mmio_init(struct mmio_space *m, const struct mmio_block *blocks,
	      size_t nblocks, void *owner)
{
	size_t i, j, n = 0;

	memset(m, 0, sizeof(*m));
	m->owner = owner;
	for (i = 0; i < nblocks; i++) {
		if (blocks[i].nregs > MMIO_SIZE / 4)
			return -EINVAL;
		n += blocks[i].nregs;
	}
	if (n > MMIO_SIZE / 4)
		return -EINVAL;
	m->index = calloc(n ? n : 1, sizeof(*m->index));
	m->vreg = calloc(MMIO_SIZE / 4, sizeof(*m->vreg));
	if (!m->index || !m->vreg) {
		mmio_fini(m);
		return -ENOMEM;
	}
	for (i = 0; i < nblocks; i++) {
		for (j = 0; j < blocks[i].nregs; j++) {
			const struct mmio_reg *r = &blocks[i].regs[j];

			if (!reg_ok(r)) {
				log_err("mmio: block %s: bad entry at %#x",
					blocks[i].name, r->offset);
				mmio_fini(m);
				return -EINVAL;
			}
			m->index[m->nindex++] = r;
		}
	}
	qsort(m->index, m->nindex, sizeof(*m->index), cmp_reg);
	for (i = 1; i < m->nindex; i++) {
		const struct mmio_reg *a = m->index[i - 1], *b = m->index[i];

		if (a->offset + a->size > b->offset) {
			log_err("mmio: registers %#x and %#x overlap",
				a->offset, b->offset);
			mmio_fini(m);
			return -EINVAL;
		}
	}
	mmio_reset(m);
	return 0;
}

void mmio_fini(struct mmio_space *m)
{
	free(m->vreg);
	free(m->index);
	m->vreg = NULL;
	m->index = NULL;
	m->nindex = 0;
}

void mmio_reset(struct mmio_space *m)
{
	size_t i;
	uint32_t off;

	memset(m->vreg, 0, MMIO_SIZE);
	for (i = 0; i < m->nindex; i++) {
		const struct mmio_reg *r = m->index[i];

		for (off = r->offset; off < r->offset + r->size; off += 4)
			m->vreg[off / 4] = r->reset;
	}
}

const struct mmio_reg *mmio_lookup(const struct mmio_space *m, uint32_t off)
{
	size_t lo = 0, hi = m->nindex;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct mmio_reg *r = m->index[mid];

		if (off < r->offset)
			hi = mid;
		else if (off - r->offset >= r->size)
			lo = mid + 1;
		else
			return r;
	}
	return NULL;
}

void mmio_store(struct mmio_space *m, const struct mmio_reg *r, uint32_t off,
		uint32_t val, uint32_t be)
{
	uint32_t old = m->vreg[off / 4], wr = be & ~r->ro_mask, nv;

	if (r->flags & MMIO_F_MODE_MASK) {
		uint32_t en;

		if (be != 0xffffffffu) {
			log_guest(LOG_WARN,
				  "mmio: partial write to masked register "
				  "%#x dropped",
				  off);
			return;
		}
		en = (val >> 16) & ~r->ro_mask & 0xffffu;
		nv = (old & ~en & 0xffffu) | (val & en);
	} else if (r->flags & MMIO_F_W1C) {
		nv = old & ~(val & wr);
	} else {
		nv = (old & ~wr) | (val & wr);
	}
	m->vreg[off / 4] = nv;
}

static uint32_t dword_read(struct mmio_space *m, uint32_t off)
{
	const struct mmio_reg *r = mmio_lookup(m, off);

	if (r && r->read)
		return r->read(m, r, off);
	return m->vreg[off / 4];
}

static void dword_write(struct mmio_space *m, uint32_t off, uint32_t val,
			uint32_t be)
{
	const struct mmio_reg *r = mmio_lookup(m, off);

	if (!r) {
		/* GVT's default: store what the guest wrote. */
		m->vreg[off / 4] = (m->vreg[off / 4] & ~be) | (val & be);
		return;
	}
	if (r->write)
		r->write(m, r, off, val, be);
	else
		mmio_store(m, r, off, val, be);
}

static bool access_ok(uint32_t off, unsigned size)
{
	return (size == 1 || size == 2 || size == 4 || size == 8) &&
	       off < MMIO_SIZE && size <= MMIO_SIZE - off;
}

uint64_t mmio_read(struct mmio_space *m, uint32_t off, unsigned size)
{
	uint32_t first = off & ~3u, last, d;
	uint8_t buf[12];
	uint64_t v = 0;
	unsigned i;

	if (!access_ok(off, size)) {
		log_guest(LOG_WARN, "mmio: read of %u bytes at %#x refused",
			  size, off);
		return ~0ull;
	}
	last = (off + size - 1) & ~3u;
	for (d = first; d <= last; d += 4) {
		uint32_t dv = dword_read(m, d);

		for (i = 0; i < 4; i++)
			buf[d - first + i] = (uint8_t)(dv >> (8 * i));
	}
	for (i = 0; i < size; i++)
		v |= (uint64_t)buf[(off & 3) + i] << (8 * i);
	return v;
}

void mmio_write(struct mmio_space *m, uint32_t off, unsigned size, uint64_t val)
{
	uint32_t dval[3] = {0}, dbe[3] = {0}, first = off & ~3u;
	unsigned i, k, n;

	if (!access_ok(off, size)) {
		log_guest(LOG_WARN, "mmio: write of %u bytes at %#x dropped",
			  size, off);
		return;
	}
	for (i = 0; i < size; i++) {
		uint32_t a = off + i;

		k = (a - first) / 4;
		dval[k] |= (uint32_t)((val >> (8 * i)) & 0xff) << (8 * (a & 3));
		dbe[k] |= 0xffu << (8 * (a & 3));
	}
	n = ((off + size - 1) - first) / 4 + 1;
	for (k = 0; k < n; k++)
		dword_write(m, first + 4 * k, dval[k], dbe[k]);
}
