/* SPDX-License-Identifier: MIT */
/*
 * mmio.c - the register file behind BAR0 [0, 2 MiB): instance expansion,
 * table lookup, access splitting, and the default store.
 */
#include "vgpu/mmio.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/le.h"
#include "util/log.h"

#define KNOWN_FLAGS (MMIO_F_MODE_MASK | MMIO_F_W1C | MMIO_F_CMD | MMIO_F_GMADR)

static bool reg_ok(const struct mmio_reg *r)
{
	if ((r->offset & 3) || (r->size & 3) || !r->size ||
	    r->size > MMIO_SIZE || (r->stride & 3) ||
	    r->count > MMIO_MAX_INSTANCES)
		return false;
	if (r->flags & ~KNOWN_FLAGS)
		return false;
	if ((r->flags & MMIO_F_MODE_MASK) && (r->flags & MMIO_F_W1C))
		return false;
	/* A masked register's high half is the write-enable, never state. */
	if ((r->flags & MMIO_F_MODE_MASK) && (r->reset >> 16))
		return false;
	/* Several instances need a stride or bases to tell them apart. */
	if (r->count > 1 && !r->bases && r->stride < r->size)
		return false;
	return true;
}

static unsigned instances(const struct mmio_reg *r)
{
	return r->count ? r->count : 1;
}

/* Start of instance i, or false if it does not fit in the register file. */
static bool inst_start(const struct mmio_reg *r, unsigned i, uint32_t *start)
{
	uint64_t s = r->bases ? (uint64_t)r->bases[i] + r->offset
			      : r->offset + (uint64_t)i * r->stride;

	if ((s & 3) || s >= MMIO_SIZE || r->size > MMIO_SIZE - s)
		return false;
	*start = (uint32_t)s;
	return true;
}

static int cmp_slot(const void *a, const void *b)
{
	const struct mmio_slot *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

static int add_table(struct mmio_space *m, const struct mmio_table *t)
{
	size_t j;
	unsigned i;

	for (j = 0; j < t->nregs; j++) {
		const struct mmio_reg *r = &t->regs[j];

		if (!reg_ok(r))
			goto bad;
		for (i = 0; i < instances(r); i++) {
			struct mmio_slot *s = &m->slot[m->nslots];

			if (!inst_start(r, i, &s->start))
				goto bad;
			s->end = s->start + r->size;
			s->r = r;
			s->state = t->state;
			s->inst = i;
			m->nslots++;
		}
		continue;
	bad:
		log_err("mmio: block %s: bad entry %s at %#x", t->name,
			r->name ? r->name : "?", r->offset);
		return -EINVAL;
	}
	return 0;
}

int mmio_init(struct mmio_space *m, const struct mmio_table *tables,
	      size_t ntables)
{
	size_t i, j, n = 0;
	int rc;

	memset(m, 0, sizeof(*m));
	for (i = 0; i < ntables; i++)
		for (j = 0; j < tables[i].nregs; j++)
			n += tables[i].regs[j].count ? tables[i].regs[j].count
						     : 1;
	if (n > MMIO_SIZE / 4)
		return -EINVAL;
	m->slot = calloc(n ? n : 1, sizeof(*m->slot));
	m->vreg = calloc(MMIO_SIZE / 4, sizeof(*m->vreg));
	m->unknown_seen = calloc(MMIO_SIZE / 4 / 8, 1);
	if (!m->slot || !m->vreg || !m->unknown_seen) {
		mmio_fini(m);
		return -ENOMEM;
	}
	for (i = 0; i < ntables; i++) {
		rc = add_table(m, &tables[i]);
		if (rc) {
			mmio_fini(m);
			return rc;
		}
	}
	qsort(m->slot, m->nslots, sizeof(*m->slot), cmp_slot);
	for (i = 1; i < m->nslots; i++) {
		const struct mmio_slot *a = &m->slot[i - 1], *b = &m->slot[i];

		if (a->end > b->start) {
			log_err("mmio: registers %s at %#x and %s at %#x "
				"overlap",
				a->r->name ? a->r->name : "?", a->start,
				b->r->name ? b->r->name : "?", b->start);
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
	free(m->slot);
	free(m->unknown_seen);
	memset(m, 0, sizeof(*m));
}

void mmio_reset(struct mmio_space *m)
{
	size_t i;
	uint32_t off;

	memset(m->vreg, 0, MMIO_SIZE);
	for (i = 0; i < m->nslots; i++)
		for (off = m->slot[i].start; off < m->slot[i].end; off += 4)
			m->vreg[off / 4] = m->slot[i].r->reset;
}

const struct mmio_slot *mmio_lookup(const struct mmio_space *m, uint32_t off)
{
	size_t lo = 0, hi = m->nslots;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct mmio_slot *s = &m->slot[mid];

		if (off < s->start)
			hi = mid;
		else if (off >= s->end)
			lo = mid + 1;
		else
			return s;
	}
	return NULL;
}

void mmio_store(const struct mmio_ctx *c, uint32_t val, uint32_t be)
{
	const struct mmio_reg *r = c->r;
	uint32_t old = mmio_ctx_get(c), wr = be & ~r->ro_mask, nv;

	if (r->flags & MMIO_F_MODE_MASK) {
		uint32_t en;

		if (be != 0xffffffffu) {
			log_guest(LOG_WARN,
				  "mmio: partial write to masked register "
				  "%s at %#x dropped",
				  r->name ? r->name : "?", c->off);
			return;
		}
		en = (val >> 16) & ~r->ro_mask & 0xffffu;
		nv = (old & ~en & 0xffffu) | (val & en);
	} else if (r->flags & MMIO_F_W1C) {
		nv = old & ~(val & wr);
	} else {
		nv = (old & ~wr) | (val & wr);
	}
	mmio_ctx_set(c, nv);
}

/* GVT's default for offsets no table names; the first access is logged. */
static void note_unknown(struct mmio_space *m, uint32_t off, bool write)
{
	uint32_t d = off / 4;

	m->unknown_accesses++;
	if (m->unknown_seen[d / 8] & (1u << (d % 8)))
		return;
	m->unknown_seen[d / 8] |= (uint8_t)(1u << (d % 8));
	if (m->unknown_logged >= MMIO_UNKNOWN_LOG_MAX)
		return;
	if (++m->unknown_logged == MMIO_UNKNOWN_LOG_MAX)
		log_info("mmio: %u unmodelled registers seen; no more are "
			 "logged",
			 MMIO_UNKNOWN_LOG_MAX);
	else
		log_info("mmio: unmodelled register %#x (first access a %s); "
			 "it stores what is written",
			 off, write ? "write" : "read");
}

static void make_ctx(struct mmio_ctx *c, struct mmio_space *m,
		     const struct mmio_slot *s, uint32_t off)
{
	c->m = m;
	c->r = s->r;
	c->state = s->state;
	c->inst = s->inst;
	c->base = s->start;
	c->off = off;
}

static uint32_t dword_read(struct mmio_space *m, uint32_t off)
{
	const struct mmio_slot *s = mmio_lookup(m, off);
	struct mmio_ctx c;

	if (!s) {
		note_unknown(m, off, false);
		return m->vreg[off / 4];
	}
	if (!s->r->read)
		return m->vreg[off / 4];
	make_ctx(&c, m, s, off);
	return s->r->read(&c);
}

static void dword_write(struct mmio_space *m, uint32_t off, uint32_t val,
			uint32_t be)
{
	const struct mmio_slot *s = mmio_lookup(m, off);
	struct mmio_ctx c;

	if (!s) {
		note_unknown(m, off, true);
		m->vreg[off / 4] = (m->vreg[off / 4] & ~be) | (val & be);
		return;
	}
	make_ctx(&c, m, s, off);
	if (s->r->write)
		s->r->write(&c, val, be);
	else
		mmio_store(&c, val, be);
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

	if (!access_ok(off, size)) {
		log_guest(LOG_WARN, "mmio: read of %u bytes at %#x refused",
			  size, off);
		return ~0ull;
	}
	if (!(off & 3) && size == 4)
		return dword_read(m, off);
	last = (off + size - 1) & ~3u;
	for (d = first; d <= last; d += 4)
		le_put(buf + (d - first), dword_read(m, d), 4);
	return le_get(buf + (off & 3), size);
}

void mmio_write(struct mmio_space *m, uint32_t off, unsigned size, uint64_t val)
{
	uint8_t buf[12] = {0}, en[12] = {0};
	uint32_t first = off & ~3u, last, d;

	if (!access_ok(off, size)) {
		log_guest(LOG_WARN, "mmio: write of %u bytes at %#x dropped",
			  size, off);
		return;
	}
	if (!(off & 3) && size == 4) {
		dword_write(m, off, (uint32_t)val, 0xffffffffu);
		return;
	}
	le_put(buf + (off & 3), val, size);
	memset(en + (off & 3), 0xff, size);
	last = (off + size - 1) & ~3u;
	for (d = first; d <= last; d += 4)
		dword_write(m, d, (uint32_t)le_get(buf + (d - first), 4),
			    (uint32_t)le_get(en + (d - first), 4));
}
