// SPDX-License-Identifier: MIT
/*
 * sim-server.c - ioreq servers as Xen 4.17 keeps them: lowest free id,
 * the ioreq pages (frame 0 buffered, 1.. synchronous) in a memfd, a guest
 * port per vCPU plus the buffered port, range sets with Xen's rangeset
 * rules, selection (id 7 down to 0, full containment, PCI by SBDF) and
 * the buffered ring producer (ATOMIC renormalisation).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "sim.h"
#include <xen/hvm/hvm_op.h>
#include <xen/hvm/dm_op.h>


int srv_create(struct domain *d, int bufmode, unsigned *id)
{
	struct server *s;
	unsigned i, sync_frames;
	int p;

	if (bufmode < 0 || bufmode > HVM_IOREQSRV_BUFIOREQ_ATOMIC)
		return -EINVAL;
	for (i = 0; i < MAX_SERVERS && d->srv[i]; i++)
		;
	if (i == MAX_SERVERS)
		return -ENOSPC;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->id = i;
	s->d = d;
	s->bufmode = bufmode;
	sync_frames = (d->nr_vcpus * sizeof(struct ioreq) + PAGE_4K - 1) /
		      PAGE_4K;
	s->nframes = 1 + sync_frames;
	s->memfd = memfd_create("xensim-ioreq", MFD_CLOEXEC);
	if (s->memfd < 0 ||
	    ftruncate(s->memfd, s->nframes * PAGE_4K) < 0) {
		if (s->memfd >= 0)
			close(s->memfd);
		free(s);
		return -ENOMEM;
	}
	s->pages = mmap(NULL, s->nframes * PAGE_4K, PROT_READ | PROT_WRITE,
			MAP_SHARED, s->memfd, 0);
	if (s->pages == MAP_FAILED) {
		close(s->memfd);
		free(s);
		return -ENOMEM;
	}
	s->buf = bufmode ? (struct buffered_iopage *)s->pages : NULL;
	s->slots = (struct ioreq *)(s->pages + PAGE_4K);
	/* Xen's order: vCPU 0's port, the buffered port, then vCPUs 1.. */
	for (unsigned v = 0; v < d->nr_vcpus; v++) {
		p = gport_alloc(d, i, v);
		if (p < 0)
			goto fail;
		s->vcpu_port[v] = p;
		if (v == 0 && bufmode) {
			p = gport_alloc(d, i, -1);
			if (p < 0)
				goto fail;
			s->buf_port = p;
		}
	}
	d->srv[i] = s;
	*id = i;
	return 0;
fail:
	for (unsigned v = 0; v < d->nr_vcpus; v++)
		if (s->vcpu_port[v])
			gport_free(d, s->vcpu_port[v]);
	if (s->buf_port)
		gport_free(d, s->buf_port);
	munmap(s->pages, s->nframes * PAGE_4K);
	close(s->memfd);
	free(s);
	return p;
}

struct server *srv_get(struct domain *d, unsigned id, int *err)
{
	if (id >= MAX_SERVERS || !d->srv[id]) {
		*err = -ENOENT;
		return NULL;
	}
	return d->srv[id];
}

void srv_destroy(struct server *s)
{
	struct domain *d = s->d;

	for (unsigned v = 0; v < d->nr_vcpus; v++) {
		if (d->vcpu[v].pend_mask & (1u << s->id))
			vcpu_server_gone(&d->vcpu[v], s->id);
		if (d->vcpu[v].op == OP_BURST && d->vcpu[v].burst.s == s)
			d->vcpu[v].burst.s = NULL;
	}
	if (d->memtype_owner == (int)s->id) {
		/* unclaiming resets every p2m_ioreq_server page to ram_rw */
		memset(d->wp, 0, (d->nr_gfns + 7) / 8);
		d->wp_count = 0;
		d->memtype_owner = -1;
	}
	for (unsigned v = 0; v < d->nr_vcpus; v++)
		gport_free(d, s->vcpu_port[v]);
	if (s->buf_port)
		gport_free(d, s->buf_port);
	d->srv[s->id] = NULL;
	munmap(s->pages, s->nframes * PAGE_4K);
	close(s->memfd);
	for (int t = 0; t < 3; t++)
		free(s->r[t]);
	free(s);
}

int srv_set_state(struct server *s, bool enabled)
{
	if (enabled && !s->enabled) {
		/* ioreq_server_update_evtchn: vp_eport valid from now on */
		for (unsigned v = 0; v < s->d->nr_vcpus; v++)
			s->slots[v].vp_eport = s->vcpu_port[v];
	}
	s->enabled = enabled;
	return 0;
}

/* ---- rangesets: sorted, disjoint, adjacent ranges merged ---- */

static int rs_find(const struct server *s, unsigned t, uint64_t a)
{
	/* index of the first range with e >= a */
	unsigned lo = 0, hi = s->nr[t];

	while (lo < hi) {
		unsigned mid = (lo + hi) / 2;

		if (s->r[t][mid].e < a)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static bool rs_overlaps(const struct server *s, unsigned t, uint64_t a,
			uint64_t b)
{
	unsigned i = rs_find(s, t, a);

	return i < s->nr[t] && s->r[t][i].s <= b;
}

static bool rs_contains(const struct server *s, unsigned t, uint64_t a,
			uint64_t b)
{
	unsigned i = rs_find(s, t, a);

	return i < s->nr[t] && s->r[t][i].s <= a && s->r[t][i].e >= b;
}

static int rs_insert(struct server *s, unsigned t, unsigned at, uint64_t a,
		     uint64_t b)
{
	struct range *r;

	if (s->nr[t] >= MAX_RANGES)
		return -ENOSPC;
	r = realloc(s->r[t], (s->nr[t] + 1) * sizeof(*r));
	if (!r)
		return -ENOMEM;
	s->r[t] = r;
	memmove(&r[at + 1], &r[at], (s->nr[t] - at) * sizeof(*r));
	r[at].s = a;
	r[at].e = b;
	s->nr[t]++;
	return 0;
}

static void rs_delete(struct server *s, unsigned t, unsigned at)
{
	memmove(&s->r[t][at], &s->r[t][at + 1],
		(s->nr[t] - at - 1) * sizeof(struct range));
	s->nr[t]--;
}

int srv_map_range(struct server *s, unsigned t, uint64_t a, uint64_t b)
{
	unsigned i;
	bool left, right;

	if (t > XEN_DMOP_IO_RANGE_PCI || a > b)
		return -EINVAL;
	if (rs_overlaps(s, t, a, b))
		return -EEXIST;
	i = rs_find(s, t, a);
	left = i > 0 && s->r[t][i - 1].e + 1 == a;
	right = i < s->nr[t] && b + 1 == s->r[t][i].s;
	if (left && right) {
		s->r[t][i - 1].e = s->r[t][i].e;
		rs_delete(s, t, i);
	} else if (left) {
		s->r[t][i - 1].e = b;
	} else if (right) {
		s->r[t][i].s = a;
	} else {
		return rs_insert(s, t, i, a, b);
	}
	return 0;
}

int srv_unmap_range(struct server *s, unsigned t, uint64_t a, uint64_t b)
{
	unsigned i;
	struct range *r;

	if (t > XEN_DMOP_IO_RANGE_PCI || a > b)
		return -EINVAL;
	if (!rs_contains(s, t, a, b))
		return -ENOENT;
	i = rs_find(s, t, a);
	r = &s->r[t][i];
	if (r->s == a && r->e == b) {
		rs_delete(s, t, i);
	} else if (r->s == a) {
		r->s = b + 1;
	} else if (r->e == b) {
		r->e = a - 1;
	} else {
		uint64_t e = r->e;
		int rc = rs_insert(s, t, i + 1, b + 1, e);

		if (rc < 0)
			return rc;
		s->r[t][i].e = a - 1;
	}
	return 0;
}

/*
 * ioreq_server_select: PIO to 0xCFC-0xCFF with CF8 enabled becomes a PCI
 * access (rewritten to IOREQ_TYPE_PCI_CONFIG for the server claiming the
 * SBDF); otherwise full containment of the (df-aware) span.
 */
struct server *srv_select(struct domain *d, struct ioreq *p)
{
	unsigned t;
	uint64_t a, b;

	if (p->type == IOREQ_TYPE_PIO && (p->addr & ~3ull) == 0xcfc &&
	    (d->cf8 & 0x80000000u)) {
		uint32_t sbdf = (d->cf8 >> 8) & 0xffff;

		t = XEN_DMOP_IO_RANGE_PCI;
		a = ((uint64_t)sbdf << 32) | (d->cf8 & 0xfc) | (p->addr & 3);
		b = 0;
	} else if (p->type == IOREQ_TYPE_PIO) {
		t = XEN_DMOP_IO_RANGE_PORT;
		a = p->addr;
		b = p->addr + p->size - 1;
	} else if (p->type == IOREQ_TYPE_COPY) {
		uint64_t span = (uint64_t)(p->count ? p->count : 1) * p->size;

		t = XEN_DMOP_IO_RANGE_MEMORY;
		if (p->df) {
			a = p->addr - (span - p->size);
			b = p->addr + p->size - 1;
		} else {
			a = p->addr;
			b = p->addr + span - 1;
		}
	} else {
		return NULL;
	}
	for (int i = MAX_SERVERS - 1; i >= 0; i--) {
		struct server *s = d->srv[i];

		if (!s || !s->enabled)
			continue;
		if (t == XEN_DMOP_IO_RANGE_PCI) {
			if (rs_contains(s, t, a >> 32, a >> 32)) {
				p->type = IOREQ_TYPE_PCI_CONFIG;
				p->addr = a;
				return s;
			}
		} else if (rs_contains(s, t, a, b)) {
			return s;
		}
	}
	return NULL;
}

/* Canonicalise both pointers by n*511 once rp >= 511 (64-bit cmpxchg). */
void srv_buf_renormalise(struct server *s)
{
	uint64_t *full = (uint64_t *)&s->buf->read_pointer;

	if (s->bufmode != HVM_IOREQSRV_BUFIOREQ_ATOMIC)
		return;
	for (unsigned tries = 0; tries < BUF_SLOTS; tries++) {
		uint64_t old = __atomic_load_n(full, __ATOMIC_ACQUIRE);
		uint32_t rp = (uint32_t)old, wp = (uint32_t)(old >> 32);
		uint32_t n = rp / BUF_SLOTS;
		uint64_t nw;

		if (rp < BUF_SLOTS)
			return;
		nw = (uint64_t)(rp - n * BUF_SLOTS) |
		     ((uint64_t)(wp - n * BUF_SLOTS) << 32);
		if (__atomic_compare_exchange_n(full, &old, nw, false,
						__ATOMIC_ACQ_REL,
						__ATOMIC_ACQUIRE))
			return;
	}
}

static unsigned size_log2(unsigned size)
{
	return size == 1 ? 0 : size == 2 ? 1 : size == 4 ? 2 : 3;
}

/* ioreq_send_buffered: 0 published, -EAGAIN full, -EINVAL not bufferable */
int srv_buf_push(struct server *s, const struct ioreq *p)
{
	struct buffered_iopage *pg = s->buf;
	unsigned qw = p->size == 8;
	uint32_t rp, wp;
	union {
		struct buf_ioreq b;
		uint64_t w;
	} slot = { .w = 0 };

	if (!pg)
		return -EINVAL;
	if (p->size != 1 && p->size != 2 && p->size != 4 && p->size != 8)
		return -EINVAL;
	if (p->type != IOREQ_TYPE_TIMEOFFSET &&
	    (p->addr > 0xfffff || p->data_is_ptr || p->count != 1))
		return -EINVAL;
	rp = __atomic_load_n(&pg->read_pointer, __ATOMIC_ACQUIRE);
	wp = pg->write_pointer;
	if (wp - rp >= BUF_SLOTS - qw)
		return -EAGAIN;
	slot.b.type = p->type;
	slot.b.dir = p->dir;
	slot.b.size = size_log2(p->size);
	slot.b.addr = p->addr & 0xfffff;
	slot.b.data = (uint32_t)p->data;
	__atomic_store_n((uint64_t *)&pg->buf_ioreq[wp % BUF_SLOTS], slot.w,
			 __ATOMIC_RELAXED);
	if (qw) {
		slot.b.data = (uint32_t)(p->data >> 32);
		__atomic_store_n(
			(uint64_t *)&pg->buf_ioreq[(wp + 1) % BUF_SLOTS],
			slot.w, __ATOMIC_RELAXED);
	}
	__atomic_store_n(&pg->write_pointer, wp + 1 + qw, __ATOMIC_RELEASE);
	srv_buf_renormalise(s);
	gport_notify(s->d, s->buf_port);
	return 0;
}
