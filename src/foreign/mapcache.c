/* SPDX-License-Identifier: MIT */
/*
 * mapcache.c - a bounded cache of 1 MiB foreign mappings of guest RAM that
 * implements struct gmem.  See mapcache.h for the rules it keeps.
 */
#include "foreign/mapcache.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <xendevicemodel.h>
#include <xenforeignmemory.h>

#include "util/log.h"

#define VALID_WORDS (MAPCACHE_BUCKET_PAGES / 64)
/* Buckets one copy can touch: MAPCACHE_MAX_COPY plus a partial bucket. */
#define COPY_MAX_BUCKETS                                                   \
	((unsigned)(MAPCACHE_MAX_COPY >> MAPCACHE_BUCKET_SHIFT) + 1)
#define MIN_BUCKETS 8

_Static_assert(MAPCACHE_BUCKET_PAGES % 64 == 0, "bucket bitmap layout");
_Static_assert(COPY_MAX_BUCKETS < MIN_BUCKETS, "a copy must fit the cache");

struct mc_entry {
	uint64_t bucket;
	uint8_t *va; /* NULL: nothing could be mapped (every page invalid) */
	uint64_t valid[VALID_WORDS];
	unsigned lock; /* pins, plus the copy in progress */
	uint64_t last_use;
	int next; /* hash chain; -1 ends it */
	bool used;
};

struct mapcache {
	struct gmem gmem; /* first: mapcache_gmem() and back */
	struct mapcache_backend be;
	struct mc_entry *e;
	unsigned max;
	unsigned nr_used;
	int *hash;
	unsigned hash_mask;
	int last; /* index of the last hit, or -1 */
	uint64_t tick;
	struct mapcache_stats st;
};

static struct log_ratelimit dirty_rl = LOG_RATELIMIT_INIT;

static unsigned hash_of(const struct mapcache *mc, uint64_t bucket)
{
	return (unsigned)((bucket * 0x9e3779b97f4a7c15ull) >> 32) &
	       mc->hash_mask;
}

static int find(const struct mapcache *mc, uint64_t bucket)
{
	int i;

	if (mc->last >= 0 && mc->e[mc->last].bucket == bucket)
		return mc->last;
	for (i = mc->hash[hash_of(mc, bucket)]; i >= 0; i = mc->e[i].next)
		if (mc->e[i].bucket == bucket)
			return i;
	return -1;
}

static void hash_remove(struct mapcache *mc, int idx)
{
	int *pp = &mc->hash[hash_of(mc, mc->e[idx].bucket)];

	while (*pp >= 0) {
		if (*pp == idx) {
			*pp = mc->e[idx].next;
			return;
		}
		pp = &mc->e[*pp].next;
	}
}

static void drop(struct mapcache *mc, int idx)
{
	struct mc_entry *en = &mc->e[idx];

	hash_remove(mc, idx);
	if (en->va)
		mc->be.unmap(mc->be.ctx, en->va, MAPCACHE_BUCKET_PAGES);
	memset(en, 0, sizeof(*en));
	en->next = -1;
	mc->nr_used--;
	if (mc->last == idx)
		mc->last = -1;
}

/* A slot for a new bucket: a free one, else the LRU unlocked one. */
static int victim(struct mapcache *mc)
{
	int best = -1;
	unsigned i;

	for (i = 0; i < mc->max; i++) {
		if (!mc->e[i].used)
			return (int)i;
		if (mc->e[i].lock)
			continue;
		if (best < 0 || mc->e[i].last_use < mc->e[best].last_use)
			best = (int)i;
	}
	if (best >= 0) {
		drop(mc, best);
		mc->st.evictions++;
	}
	return best;
}

/* The entry for `bucket`, mapped now if it is not cached: index or -ENOMEM. */
static int get(struct mapcache *mc, uint64_t bucket)
{
	int err[MAPCACHE_BUCKET_PAGES];
	struct mc_entry *en;
	unsigned h, p;
	int idx;

	idx = find(mc, bucket);
	if (idx >= 0) {
		mc->st.hits++;
		goto out;
	}
	idx = victim(mc);
	if (idx < 0)
		return -ENOMEM; /* every bucket pinned */
	mc->st.misses++;
	en = &mc->e[idx];
	en->bucket = bucket;
	en->va = mc->be.map(mc->be.ctx, mc_bucket_first_pfn(bucket),
			    MAPCACHE_BUCKET_PAGES, err);
	memset(en->valid, 0, sizeof(en->valid));
	if (en->va)
		for (p = 0; p < MAPCACHE_BUCKET_PAGES; p++)
			if (err[p] == 0)
				en->valid[p / 64] |= 1ull << (p % 64);
	en->lock = 0;
	en->used = true;
	h = hash_of(mc, bucket);
	en->next = mc->hash[h];
	mc->hash[h] = idx;
	mc->nr_used++;
out:
	mc->e[idx].last_use = ++mc->tick;
	mc->last = idx;
	return idx;
}

/* Are pages [first, last] of the entry all guest RAM? */
static bool pages_valid(const struct mc_entry *en, unsigned first,
			unsigned last)
{
	unsigned p;

	for (p = first; p <= last; p++)
		if (!(en->valid[p / 64] & (1ull << (p % 64))))
			return false;
	return true;
}

/*
 * Lock every bucket of [gpa, last] after checking that all its pages are
 * RAM.  On success the indices are in idx[] (count returned); on failure
 * nothing stays locked and a negative errno is returned.
 */
static int lock_span(struct mapcache *mc, uint64_t gpa, uint64_t last,
		     int idx[COPY_MAX_BUCKETS])
{
	uint64_t b, first_b = mc_bucket_of(gpa), last_b = mc_bucket_of(last);
	unsigned n = 0, i;
	int rc = 0;

	for (b = first_b; b <= last_b; b++) {
		unsigned p0 = b == first_b ? mc_page_in_bucket(gpa) : 0;
		unsigned p1 = b == last_b ? mc_page_in_bucket(last)
					  : MAPCACHE_BUCKET_PAGES - 1;
		int k = get(mc, b);

		if (k < 0) {
			rc = k;
			break;
		}
		if (!mc->e[k].va || !pages_valid(&mc->e[k], p0, p1)) {
			rc = -EFAULT;
			break;
		}
		mc->e[k].lock++;
		idx[n++] = k;
	}
	if (rc == 0)
		return (int)n;
	for (i = 0; i < n; i++)
		mc->e[idx[i]].lock--;
	return rc;
}

static void unlock_span(struct mapcache *mc, const int *idx, int n)
{
	int i;

	for (i = 0; i < n; i++)
		mc->e[idx[i]].lock--;
}

/* Check len and the span; 0 and *last set, or a negative errno. */
static int check_range(uint64_t gpa, size_t len, uint64_t *last)
{
	if (len > MAPCACHE_MAX_COPY)
		return -E2BIG;
	if (!mc_span_last(gpa, len, last))
		return -EFAULT;
	return 0;
}

int mapcache_read(struct mapcache *mc, uint64_t gpa, void *buf, size_t len)
{
	int idx[COPY_MAX_BUCKETS];
	uint8_t *dst = buf;
	uint64_t last;
	int n = 0, rc;

	if (len == 0)
		return 0;
	rc = check_range(gpa, len, &last);
	if (rc == 0) {
		n = lock_span(mc, gpa, last, idx);
		rc = n < 0 ? n : 0;
	}
	if (rc < 0) {
		mc->st.faults++;
		memset(buf, 0xff, len);
		return rc;
	}
	for (int i = 0; len; i++) {
		size_t c = mc_chunk(gpa, len);

		memcpy(dst, mc->e[idx[i]].va + mc_offset_in_bucket(gpa), c);
		dst += c;
		gpa += c;
		len -= c;
	}
	unlock_span(mc, idx, n);
	return 0;
}

static int report_dirty(struct mapcache *mc, uint64_t gpa, uint64_t last)
{
	uint64_t first_pfn = gpa >> MAPCACHE_PAGE_SHIFT;
	uint64_t nr = (last >> MAPCACHE_PAGE_SHIFT) - first_pfn + 1;
	int rc;

	mc->st.dirty_calls++;
	rc = mc->be.dirty(mc->be.ctx, first_pfn, (uint32_t)nr);
	if (rc < 0) {
		mc->st.dirty_errors++;
		log_limited(&dirty_rl, LOG_WARN,
			    "modified_memory(pfn 0x%llx, %llu) failed: %s",
			    (unsigned long long)first_pfn,
			    (unsigned long long)nr, strerror(-rc));
	}
	return rc;
}

int mapcache_write(struct mapcache *mc, uint64_t gpa, const void *buf,
		   size_t len)
{
	int idx[COPY_MAX_BUCKETS];
	const uint8_t *src = buf;
	uint64_t last, a = gpa;
	size_t left = len;
	int n = 0, rc;

	if (len == 0)
		return 0;
	rc = check_range(gpa, len, &last);
	if (rc == 0) {
		n = lock_span(mc, gpa, last, idx);
		rc = n < 0 ? n : 0;
	}
	if (rc < 0) {
		mc->st.faults++;
		return rc;
	}
	for (int i = 0; left; i++) {
		size_t c = mc_chunk(a, left);

		memcpy(mc->e[idx[i]].va + mc_offset_in_bucket(a), src, c);
		src += c;
		a += c;
		left -= c;
	}
	unlock_span(mc, idx, n);
	report_dirty(mc, gpa, last);
	return 0;
}

void mapcache_invalidate(struct mapcache *mc)
{
	unsigned i;

	mc->st.invalidates++;
	for (i = 0; i < mc->max; i++)
		if (mc->e[i].used && !mc->e[i].lock)
			drop(mc, (int)i);
	mc->last = -1;
}

int mapcache_pin(struct mapcache *mc, uint64_t gpa, size_t len, void **ptr)
{
	uint64_t last;
	int k;

	if (!mc_span_last(gpa, len, &last) ||
	    mc_bucket_of(gpa) != mc_bucket_of(last))
		return -EINVAL;
	k = get(mc, mc_bucket_of(gpa));
	if (k < 0)
		return k;
	if (!mc->e[k].va || !pages_valid(&mc->e[k], mc_page_in_bucket(gpa),
					  mc_page_in_bucket(last)))
		return -EFAULT;
	mc->e[k].lock++;
	*ptr = mc->e[k].va + mc_offset_in_bucket(gpa);
	return 0;
}

void mapcache_unpin(struct mapcache *mc, uint64_t gpa)
{
	int k = find(mc, mc_bucket_of(gpa));

	if (k >= 0 && mc->e[k].used && mc->e[k].lock)
		mc->e[k].lock--;
}

int mapcache_mark_dirty(struct mapcache *mc, uint64_t gpa, size_t len)
{
	uint64_t last;

	if (!mc_span_last(gpa, len, &last))
		return -EINVAL;
	return report_dirty(mc, gpa, last);
}

void mapcache_get_stats(const struct mapcache *mc, struct mapcache_stats *st)
{
	*st = mc->st;
}

unsigned mapcache_nr_mapped(const struct mapcache *mc)
{
	return mc->nr_used;
}

/* ---- struct gmem ---------------------------------------------------------- */

static int gm_read(struct gmem *gm, uint64_t gpa, void *buf, size_t len)
{
	return mapcache_read((struct mapcache *)gm, gpa, buf, len);
}

static int gm_write(struct gmem *gm, uint64_t gpa, const void *buf,
		    size_t len)
{
	return mapcache_write((struct mapcache *)gm, gpa, buf, len);
}

static void gm_invalidate(struct gmem *gm)
{
	mapcache_invalidate((struct mapcache *)gm);
}

static const struct gmem_ops mapcache_gmem_ops = {
	.read = gm_read,
	.write = gm_write,
	.invalidate = gm_invalidate,
};

struct gmem *mapcache_gmem(struct mapcache *mc)
{
	return &mc->gmem;
}

int mapcache_create(const struct mapcache_backend *be, unsigned max_buckets,
		    struct mapcache **out)
{
	struct mapcache *mc;
	unsigned hsize = 1, i;

	if (max_buckets == 0)
		max_buckets = MAPCACHE_DEFAULT_BUCKETS;
	if (max_buckets < MIN_BUCKETS)
		max_buckets = MIN_BUCKETS;
	if (max_buckets > 65536)
		return -EINVAL;
	while (hsize < 2 * max_buckets)
		hsize <<= 1;
	mc = calloc(1, sizeof(*mc));
	if (!mc)
		return -ENOMEM;
	mc->e = calloc(max_buckets, sizeof(*mc->e));
	mc->hash = malloc(hsize * sizeof(*mc->hash));
	if (!mc->e || !mc->hash) {
		free(mc->e);
		free(mc->hash);
		free(mc);
		return -ENOMEM;
	}
	for (i = 0; i < max_buckets; i++)
		mc->e[i].next = -1;
	for (i = 0; i < hsize; i++)
		mc->hash[i] = -1;
	mc->gmem.ops = &mapcache_gmem_ops;
	mc->be = *be;
	mc->max = max_buckets;
	mc->hash_mask = hsize - 1;
	mc->last = -1;
	*out = mc;
	return 0;
}

void mapcache_destroy(struct mapcache *mc)
{
	unsigned i;

	if (!mc)
		return;
	for (i = 0; i < mc->max; i++)
		if (mc->e[i].used)
			drop(mc, (int)i);
	free(mc->e);
	free(mc->hash);
	free(mc);
}

/* ---- the Xen backend ------------------------------------------------------ */

static void *xen_map(void *ctx, uint64_t first_pfn, unsigned n, int *err)
{
	struct mapcache_xen *x = ctx;
	xen_pfn_t pfns[MAPCACHE_BUCKET_PAGES];
	void *va;
	unsigned i;

	if (n == 0 || n > MAPCACHE_BUCKET_PAGES)
		return NULL;
	for (i = 0; i < MAPCACHE_BUCKET_PAGES; i++)
		pfns[i] = (xen_pfn_t)(first_pfn + i);
	for (i = 0; i < n; i++)
		err[i] = 0;
	va = xenforeignmemory_map2(x->fmem, x->domid, NULL,
				   PROT_READ | PROT_WRITE, 0, n, pfns, err);
	if (!va)
		for (i = 0; i < n; i++)
			err[i] = -EFAULT;
	return va;
}

static void xen_unmap(void *ctx, void *va, unsigned n)
{
	struct mapcache_xen *x = ctx;

	xenforeignmemory_unmap(x->fmem, va, n);
}

static int xen_dirty(void *ctx, uint64_t first_pfn, uint32_t nr)
{
	struct mapcache_xen *x = ctx;

	if (xendevicemodel_modified_memory(x->dmod, (domid_t)x->domid,
					   first_pfn, nr) < 0)
		return -errno;
	return 0;
}

void mapcache_backend_xen(struct mapcache_backend *be, struct mapcache_xen *x)
{
	be->map = xen_map;
	be->unmap = xen_unmap;
	be->dirty = xen_dirty;
	be->ctx = x;
}
