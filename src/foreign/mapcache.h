/* SPDX-License-Identifier: MIT */
/*
 * mapcache.h - guest RAM through a cache of foreign mappings.
 *
 * Guest RAM is mapped in buckets of MAPCACHE_BUCKET_PAGES pages with one
 * xenforeignmemory_map2 call each; the per-page error array tells which
 * pages are RAM (err == 0) and which are not (holes, MMIO, unpopulated):
 * those are never touched, because touching them raises SIGBUS.  At most
 * `max_buckets` buckets are mapped at once; the least recently used
 * unlocked bucket is reused when another is needed.
 *
 * The cache implements struct gmem: bounded copies in and out that may
 * cross buckets.  A range touching anything but guest RAM (or overflowing
 * the address space) is refused as a whole before any byte moves; reads
 * fill the buffer with all-ones, writes are dropped, and -EFAULT is
 * returned.  Every write is reported with modified_memory.
 *
 * Long-lived users pin a range (mapcache_pin): the bucket holding it stays
 * mapped, and INVALIDATE (mapcache_invalidate) keeps it, dropping only
 * unpinned buckets.
 *
 * The three hypervisor operations go through a small backend table so the
 * cache can run over an in-memory guest; mapcache_backend_xen() is the one
 * the daemon uses.
 */
#ifndef XENGT_FOREIGN_MAPCACHE_H
#define XENGT_FOREIGN_MAPCACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "foreign/gmem.h"

#define MAPCACHE_PAGE_SHIFT 12
#define MAPCACHE_PAGE_SIZE (1u << MAPCACHE_PAGE_SHIFT)
#define MAPCACHE_BUCKET_SHIFT 20 /* 1 MiB buckets */
#define MAPCACHE_BUCKET_SIZE (1ull << MAPCACHE_BUCKET_SHIFT)
#define MAPCACHE_BUCKET_PAGES                                              \
	(1u << (MAPCACHE_BUCKET_SHIFT - MAPCACHE_PAGE_SHIFT))
/* Default number of buckets mapped at once (256 MiB of address space). */
#define MAPCACHE_DEFAULT_BUCKETS 256
/* The longest single copy (gmem_read/gmem_write); longer ones: -E2BIG. */
#define MAPCACHE_MAX_COPY (4ull << 20)

/* Hypervisor operations the cache needs. */
struct mapcache_backend {
	/*
	 * Map `n` consecutive guest frames from `first_pfn` read/write.
	 * Returns the address (err[i] = 0 for each mapped page, nonzero for
	 * each page that must not be touched) or NULL if nothing was mapped.
	 */
	void *(*map)(void *ctx, uint64_t first_pfn, unsigned n, int *err);
	void (*unmap)(void *ctx, void *va, unsigned n);
	/* Report [first_pfn, first_pfn + nr) dirty; 0 or a negative errno. */
	int (*dirty)(void *ctx, uint64_t first_pfn, uint32_t nr);
	void *ctx;
};

struct mapcache_stats {
	uint64_t hits;
	uint64_t misses;      /* buckets (re)mapped */
	uint64_t evictions;   /* buckets unmapped to make room */
	uint64_t invalidates; /* INVALIDATE calls */
	uint64_t faults;      /* copies refused (-EFAULT) */
	uint64_t dirty_calls; /* modified_memory calls */
	uint64_t dirty_errors;
};

struct mapcache;

/* Backend over real Xen handles (libxenforeignmemory/libxendevicemodel). */
struct xenforeignmemory_handle;
struct xendevicemodel_handle;
struct mapcache_xen {
	struct xenforeignmemory_handle *fmem;
	struct xendevicemodel_handle *dmod;
	uint32_t domid;
};
void mapcache_backend_xen(struct mapcache_backend *be, struct mapcache_xen *x);

/* max_buckets 0 means MAPCACHE_DEFAULT_BUCKETS; at least 8 are used. */
int mapcache_create(const struct mapcache_backend *be, unsigned max_buckets,
		    struct mapcache **out);
void mapcache_destroy(struct mapcache *mc);
struct gmem *mapcache_gmem(struct mapcache *mc);

int mapcache_read(struct mapcache *mc, uint64_t gpa, void *buf, size_t len);
int mapcache_write(struct mapcache *mc, uint64_t gpa, const void *buf,
		   size_t len);
void mapcache_invalidate(struct mapcache *mc);

/*
 * Pin [gpa, gpa + len) (within one bucket, all guest RAM) and return a
 * pointer to it that stays valid across INVALIDATE until unpinned.  Writes
 * through it must be reported with mapcache_mark_dirty.  Pins nest.
 */
int mapcache_pin(struct mapcache *mc, uint64_t gpa, size_t len, void **ptr);
void mapcache_unpin(struct mapcache *mc, uint64_t gpa);
int mapcache_mark_dirty(struct mapcache *mc, uint64_t gpa, size_t len);

void mapcache_get_stats(const struct mapcache *mc, struct mapcache_stats *st);
unsigned mapcache_nr_mapped(const struct mapcache *mc);

/* ---- bucket arithmetic (pure; exported for the unit tests) -------------- */

/* The last byte of [gpa, gpa + len), or false if len is 0 or it wraps. */
static inline bool mc_span_last(uint64_t gpa, uint64_t len, uint64_t *last)
{
	if (len == 0 || gpa + (len - 1) < gpa)
		return false;
	*last = gpa + (len - 1);
	return true;
}

static inline uint64_t mc_bucket_of(uint64_t gpa)
{
	return gpa >> MAPCACHE_BUCKET_SHIFT;
}

static inline uint64_t mc_bucket_first_pfn(uint64_t bucket)
{
	return bucket << (MAPCACHE_BUCKET_SHIFT - MAPCACHE_PAGE_SHIFT);
}

/* Page index inside its bucket. */
static inline unsigned mc_page_in_bucket(uint64_t gpa)
{
	return (unsigned)(gpa >> MAPCACHE_PAGE_SHIFT) &
	       (MAPCACHE_BUCKET_PAGES - 1);
}

static inline size_t mc_offset_in_bucket(uint64_t gpa)
{
	return (size_t)(gpa & (MAPCACHE_BUCKET_SIZE - 1));
}

/* Bytes from gpa to the end of its bucket, capped at len. */
static inline size_t mc_chunk(uint64_t gpa, size_t len)
{
	uint64_t room = MAPCACHE_BUCKET_SIZE - mc_offset_in_bucket(gpa);

	return room < len ? (size_t)room : len;
}

/* Number of buckets [gpa, last] touches. */
static inline uint64_t mc_nr_buckets(uint64_t gpa, uint64_t last)
{
	return mc_bucket_of(last) - mc_bucket_of(gpa) + 1;
}

#endif
