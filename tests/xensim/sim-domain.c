// SPDX-License-Identifier: MIT
/*
 * sim-domain.c - domains: guest RAM (a memfd whose offset is the GPA until
 * pages move), the p2m (RAM bit and HVMMEM_ioreq_server bit per gfn, the
 * file page per gfn after a move), relocate_memory and pinned cache
 * attributes, lifecycle (paused, shutdown, crashed, dying while mapped,
 * gone) and the logs.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "sim.h"
#include <xen/hvm/dm_op.h>
#include <xen/hvm/hvm_op.h>
#include <xen/sched.h>


#define LOW_MMIO_START 0xF0000000ull
#define FOUR_GIB 0x100000000ull

struct domain *dom_find(uint32_t domid)
{
	for (struct domain *d = domains; d; d = d->next)
		if (d->domid == domid && !d->gone)
			return d;
	return NULL;
}

/* A domain that exists and is not dying; *err gets -ESRCH otherwise. */
struct domain *dom_live(uint32_t domid, int *err)
{
	struct domain *d = dom_find(domid);

	if (!d || d->dying) {
		*err = -ESRCH;
		return NULL;
	}
	return d;
}

static void bit_set(uint8_t *m, uint64_t i, bool on)
{
	if (on)
		m[i >> 3] |= 1u << (i & 7);
	else
		m[i >> 3] &= ~(1u << (i & 7));
}

static bool bit_get(const uint8_t *m, uint64_t i)
{
	return m[i >> 3] & (1u << (i & 7));
}

bool gfn_is_ram(const struct domain *d, uint64_t gfn)
{
	return gfn < d->nr_gfns && bit_get(d->p2m, gfn);
}

bool gfn_is_wp(const struct domain *d, uint64_t gfn)
{
	return gfn < d->nr_gfns && bit_get(d->wp, gfn);
}

static void set_wp(struct domain *d, uint64_t gfn, bool on)
{
	if (bit_get(d->wp, gfn) == on)
		return;
	bit_set(d->wp, gfn, on);
	d->wp_count += on ? 1 : -1;
}

/* The file page holding gfn's page (NO_PAGE: none; meaningful for RAM). */
uint64_t gfn_file_page(const struct domain *d, uint64_t gfn)
{
	const uint64_t *c;

	if (!d->remap || gfn >= P2M_GFN_LIMIT)
		return gfn;
	c = d->remap[gfn >> REMAP_SHIFT];
	return c ? c[gfn & (REMAP_CHUNK - 1)] : gfn;
}

static uint8_t *page_ptr(const struct domain *d, uint64_t page)
{
	if (page >= SPARE_BASE)
		return d->spare + ((page - SPARE_BASE) << PAGE_SHIFT_4K);
	return d->mem + (page << PAGE_SHIFT_4K);
}

/* The simulator's view of a RAM gfn's page; NULL if gfn is not RAM. */
uint8_t *gfn_ptr(const struct domain *d, uint64_t gfn)
{
	if (!gfn_is_ram(d, gfn))
		return NULL;
	return page_ptr(d, gfn_file_page(d, gfn));
}

/* Guest-physical reads and writes; bytes outside RAM read 0xff, drop. */
void ram_read(const struct domain *d, uint64_t gpa, void *buf, size_t len)
{
	uint8_t *out = buf;

	while (len) {
		uint64_t off = gpa & (PAGE_4K - 1);
		size_t n = PAGE_4K - off < len ? PAGE_4K - off : len;
		const uint8_t *p = gfn_ptr(d, gpa >> PAGE_SHIFT_4K);

		if (p)
			memcpy(out, p + off, n);
		else
			memset(out, 0xff, n);
		out += n;
		gpa += n;
		len -= n;
	}
}

/*
 * A page of the tracked range became ram_rw: a guest write faulted on
 * p2m_ram_logdirty (hvm_hap_nested_page_fault), or a page arrived there.
 * p2m_ioreq_server pages are never ram_rw: not tracked.
 */
static void vram_mark(struct domain *d, uint64_t gfn)
{
	uint64_t i = gfn - d->vram_first;

	if (d->vram_nr && gfn >= d->vram_first && i < d->vram_nr &&
	    !gfn_is_wp(d, gfn))
		d->vram_dirty[i / 8] |= (uint8_t)(1u << (i % 8));
}

/* Only the guest's own accesses come here: the device model's stores go
 * through its foreign mapping of the memfd, never through the guest's
 * p2m, and are not seen (as in Xen). */
void ram_write(struct domain *d, uint64_t gpa, const void *buf, size_t len)
{
	const uint8_t *in = buf;

	while (len) {
		uint64_t off = gpa & (PAGE_4K - 1);
		size_t n = PAGE_4K - off < len ? PAGE_4K - off : len;
		uint8_t *p = gfn_ptr(d, gpa >> PAGE_SHIFT_4K);

		if (p) {
			memcpy(p + off, in, n);
			vram_mark(d, gpa >> PAGE_SHIFT_4K);
		}
		in += n;
		gpa += n;
		len -= n;
	}
}

/* Make gfn's remap entry exist (identity until set). */
static int remap_prepare(struct domain *d, uint64_t gfn)
{
	uint64_t **c, base = gfn & ~(REMAP_CHUNK - 1);

	if (!d->remap) {
		d->remap =
		    calloc(P2M_GFN_LIMIT >> REMAP_SHIFT, sizeof(*d->remap));
		if (!d->remap)
			return -ENOMEM;
	}
	c = &d->remap[gfn >> REMAP_SHIFT];
	if (*c)
		return 0;
	*c = malloc(REMAP_CHUNK * sizeof(**c));
	if (!*c)
		return -ENOMEM;
	for (uint64_t i = 0; i < REMAP_CHUNK; i++)
		(*c)[i] = base + i;
	return 0;
}

/* After remap_prepare(d, gfn). */
static void remap_set(struct domain *d, uint64_t gfn, uint64_t page)
{
	d->remap[gfn >> REMAP_SHIFT][gfn & (REMAP_CHUNK - 1)] = page;
}

/* A fresh file page in the spare area, NO_PAGE if that cannot grow. */
static uint64_t spare_alloc(struct domain *d)
{
	if (d->nr_spare == d->cap_spare) {
		uint64_t nc = d->cap_spare ? d->cap_spare * 2 : 256;
		uint8_t *m;

		if (ftruncate(d->memfd,
			      (off_t)((SPARE_BASE + nc) << PAGE_SHIFT_4K)) < 0)
			return NO_PAGE;
		m = mmap(NULL, nc << PAGE_SHIFT_4K, PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_NORESERVE, d->memfd,
			 (off_t)(SPARE_BASE << PAGE_SHIFT_4K));
		if (m == MAP_FAILED)
			return NO_PAGE;
		if (d->spare)
			munmap(d->spare, d->cap_spare << PAGE_SHIFT_4K);
		d->spare = m;
		d->cap_spare = nc;
	}
	return SPARE_BASE + d->nr_spare++;
}

/* Grow the memfd, the simulator's view of it and the p2m to `gfns`. */
static int dom_grow(struct domain *d, uint64_t gfns)
{
	uint64_t size = gfns << PAGE_SHIFT_4K;
	uint8_t *p2m, *wp, *mem;
	size_t ob = (d->nr_gfns + 7) / 8, nb = (gfns + 7) / 8;

	if (gfns <= d->nr_gfns)
		return 0;
	if (gfns > P2M_GFN_LIMIT)
		return -ENOMEM;
	/* With a spare area the file already reaches beyond any gfn. */
	if (!d->cap_spare && ftruncate(d->memfd, size) < 0)
		return -errno;
	mem = mmap(NULL, size, PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_NORESERVE, d->memfd, 0);
	if (mem == MAP_FAILED)
		return -ENOMEM;
	p2m = realloc(d->p2m, nb);
	if (p2m)
		d->p2m = p2m;
	wp = realloc(d->wp, nb);
	if (wp)
		d->wp = wp;
	if (!p2m || !wp) {
		munmap(mem, size);
		return -ENOMEM;
	}
	memset(d->p2m + ob, 0, nb - ob);
	memset(d->wp + ob, 0, nb - ob);
	if (d->mem)
		munmap(d->mem, d->mem_size);
	d->mem = mem;
	d->mem_size = size;
	d->nr_gfns = gfns;
	return 0;
}

static void ram_range(struct domain *d, uint64_t s, uint64_t e, bool on)
{
	for (uint64_t g = s >> PAGE_SHIFT_4K; g < (e >> PAGE_SHIFT_4K); g++) {
		if (bit_get(d->p2m, g) != on)
			d->tot_pages += on ? 1 : -1;
		bit_set(d->p2m, g, on);
	}
}

int dom_create(const struct xsim_domain_config *cfg, uint32_t *domid)
{
	uint64_t r = cfg->ram_bytes & ~(PAGE_4K - 1), top;
	struct domain *d;
	char name[32];
	int rc;

	if (cfg->vcpus < 1 || cfg->vcpus > MAX_VCPUS || r < (1ull << 20) ||
	    cfg->nr_holes > 8)
		return -EINVAL;
	d = calloc(1, sizeof(*d));
	if (!d)
		return -ENOMEM;
	d->domid = next_domid++;
	snprintf(name, sizeof(name), "xensim-dom%u", d->domid);
	d->memfd = memfd_create(name, MFD_CLOEXEC);
	if (d->memfd < 0) {
		free(d);
		return -errno;
	}
	top = r <= LOW_MMIO_START ? r : FOUR_GIB + (r - LOW_MMIO_START);
	if (top < FOUR_GIB)
		top = FOUR_GIB; /* so the MMIO hole can be populated */
	rc = dom_grow(d, top >> PAGE_SHIFT_4K);
	if (rc < 0) {
		close(d->memfd);
		free(d->p2m);
		free(d->wp);
		free(d);
		return rc;
	}
	ram_range(d, 0, 0xA0000, true);
	ram_range(d, 0xC0000, r < LOW_MMIO_START ? r : LOW_MMIO_START, true);
	if (r > LOW_MMIO_START)
		ram_range(d, FOUR_GIB, FOUR_GIB + r - LOW_MMIO_START, true);
	for (unsigned i = 0; i < cfg->nr_holes; i++) {
		uint64_t s = cfg->holes[i].start & ~(PAGE_4K - 1);
		uint64_t e = (cfg->holes[i].end + PAGE_4K - 1) & ~(PAGE_4K - 1);

		if (e > d->mem_size)
			e = d->mem_size;
		if (s < e)
			ram_range(d, s, e, false);
	}
	d->max_pages = d->tot_pages;
	d->nr_vcpus = cfg->vcpus;
	d->relinquish_ms = cfg->relinquish_ms;
	d->paused = cfg->paused;
	d->memtype_owner = -1;
	d->log_on = true;
	for (unsigned i = 0; i < d->nr_vcpus; i++) {
		d->vcpu[i].d = d;
		d->vcpu[i].id = i;
	}
	d->next = domains;
	domains = d;
	*domid = d->domid;
	return 0;
}

int dom_populate(struct domain *d, const uint64_t *gfns, uint64_t nr)
{
	uint64_t need = 0, top = d->nr_gfns;
	int rc;

	for (uint64_t i = 0; i < nr; i++) {
		if (gfns[i] >= (1ull << 40))
			return -EINVAL;
		if (!gfn_is_ram(d, gfns[i]))
			need++;
		if (gfns[i] >= top)
			top = gfns[i] + 1;
	}
	/* Xen: "Over-allocation for domain %u: %u > %u" -> -ENOMEM */
	if (d->tot_pages + need > d->max_pages)
		return -ENOMEM;
	rc = dom_grow(d, top);
	if (rc < 0)
		return rc;
	for (uint64_t i = 0; i < nr; i++) {
		uint64_t g = gfns[i];

		if (bit_get(d->p2m, g))
			continue;
		/* Its own page moved away or was freed: a fresh one. */
		if (gfn_file_page(d, g) == NO_PAGE) {
			uint64_t page = spare_alloc(d);

			if (page == NO_PAGE)
				return -ENOMEM;
			remap_set(d, g, page);
		}
		bit_set(d->p2m, g, true);
		memset(gfn_ptr(d, g), 0, PAGE_4K);
		d->tot_pages++;
		vram_mark(d, g); /* a fresh ram_rw page */
	}
	return 0;
}

/*
 * One page of XENMAPSPACE_gmfn_range: Xen 4.17 x86/mm/p2m.c
 * xenmem_add_to_physmap_one(XENMAPSPACE_gmfn, idx = s, gpfn = t).
 */
static int move_page(struct domain *d, uint64_t s, uint64_t t, uint64_t top)
{
	uint64_t page;
	int rc;

	/* get_gfn_unshare + get_page_from_mfn: no page of d's at s. */
	if (d->dying || !gfn_is_ram(d, s))
		return -EINVAL;
	if (s == t) {
		/* Nothing removed; p2m_add_page re-enters it as ram_rw. */
		set_wp(d, s, false);
		return 0;
	}
	if (t < P2M_GFN_LIMIT && t >= d->nr_gfns &&
	    (rc = dom_grow(d, top < P2M_GFN_LIMIT ? top : P2M_GFN_LIMIT)) < 0)
		return rc; /* the simulator's limit, not Xen's */
	if ((rc = remap_prepare(d, s)) < 0 ||
	    (t < P2M_GFN_LIMIT && (rc = remap_prepare(d, t)) < 0))
		return rc;
	page = gfn_file_page(d, s);
	/* p2m_remove_page at the old gfn */
	set_wp(d, s, false);
	bit_set(d->p2m, s, false);
	remap_set(d, s, NO_PAGE);
	if (t >= P2M_GFN_LIMIT) {
		/*
		 * p2m_add_page -> ept_set_entry refuses a gfn beyond the
		 * p2m's width: the page is now at no gfn, still the domain's.
		 */
		return -EINVAL;
	}
	if (gfn_is_ram(d, t)) {
		/* guest_remove_page: normal domain memory is freed */
		set_wp(d, t, false);
		d->tot_pages--;
	}
	/* p2m_add_page(..., p2m_ram_rw) */
	remap_set(d, t, page);
	bit_set(d->p2m, t, true);
	vram_mark(d, t); /* ram_rw, not logdirty: the next look reports it */
	return 0;
}

/*
 * XEN_DMOP_track_dirty_vram (x86/hvm/dm.c track_dirty_vram, then
 * mm/hap/hap.c hap_track_dirty_vram and mm/paging.c
 * paging_log_dirty_range), for `nr` pages from `first`:
 * - nr > 1 GiB of pages: EINVAL; a dying domain: ESRCH;
 * - nr 0 stops tracking (the old range is ram_rw again), 0;
 * - a range other than the tracked one replaces it and reports every
 *   page dirty: whole bytes of 0xff, (nr + 7) / 8 of them;
 * - the same range: the pages that became ram_rw since the last call
 *   (written by the guest, or moved or populated there), then clean again.
 * bitmap has (nr + 7) / 8 bytes.
 */
int dom_track_vram(struct domain *d, uint64_t first, uint64_t nr,
		   uint8_t *bitmap)
{
	size_t bytes = (size_t)((nr + 7) / 8);

	if (nr > (1ull << (30 - PAGE_SHIFT_4K)))
		return -EINVAL;
	if (d->dying)
		return -ESRCH;
	if (!nr) {
		free(d->vram_dirty);
		d->vram_dirty = NULL;
		d->vram_first = d->vram_nr = 0;
		return 0;
	}
	if (first != d->vram_first || nr != d->vram_nr || !d->vram_dirty) {
		uint8_t *m = calloc(1, bytes);

		if (!m)
			return -ENOMEM;
		free(d->vram_dirty);
		d->vram_dirty = m;
		d->vram_first = first;
		d->vram_nr = nr;
		memset(bitmap, 0xff, bytes);
		return 0;
	}
	memcpy(bitmap, d->vram_dirty, bytes);
	memset(d->vram_dirty, 0, bytes);
	return 0;
}

/*
 * XEN_DMOP_relocate_memory as Xen 4.17 does it: x86/hvm/dm.c dm_op builds a
 * struct xen_add_to_physmap (XENMAPSPACE_gmfn_range, idx = src, gpfn =
 * dst) for common/memory.c xenmem_add_to_physmap, which moves page by page
 * in ascending order whatever the overlap (batches and continuations are
 * invisible to the caller), stops at the first error and leaves the pages
 * before it moved:
 * - xatp.size is a uint16_t: only size % 65536 pages move, a size that is
 *   a multiple of 65536 moves none and succeeds;
 * - dst == INVALID_GFN: EINVAL (size 0 too); src + size or dst + size
 *   wrapping: EOVERFLOW; size 0: nothing, 0;
 * - a source gfn without RAM (hole, never populated, already moved, the
 *   dying domain's torn-down p2m): EINVAL;
 * - RAM at the destination is freed (tot_pages drops); moving onto the
 *   same gfn keeps the page; the moved page is p2m_ram_rw at dst
 *   (HVMMEM_ioreq_server is lost);
 * - overlapping with dst > src, pages move again as the loop reaches them
 *   and the pages they land on are freed (fixed only in Xen 4.22,
 *   "memory: overlapping XENMAPSPACE_gmfn_range requests").
 */
int dom_relocate(struct domain *d, uint32_t size, uint64_t src, uint64_t dst)
{
	uint64_t n = (uint16_t)size;

	if (dst == UINT64_MAX)
		return -EINVAL;
	if (dst + n < dst || src + n < src)
		return -EOVERFLOW;
	for (uint64_t i = 0; i < n; i++) {
		int rc = move_page(d, src + i, dst + i, dst + n);

		if (rc < 0)
			return rc;
	}
	/* dm.c restarts for the rest with xatp.size 0: only this check */
	if (size > 0xffff && dst + n == UINT64_MAX)
		return -EINVAL;
	return 0;
}

/*
 * XEN_DMOP_pin_memory_cacheattr: Xen 4.17 x86/hvm/mtrr.c
 * hvm_set_mem_pinned_cacheattr.  Only recorded: xensim has no caches.
 */
int dom_pin_cacheattr(struct domain *d, uint64_t start, uint64_t end,
		      uint32_t type)
{
	if (end < start || (start | end) >> HOST_PADDR_BITS)
		return -EINVAL;
	if (type == XEN_DMOP_DELETE_MEM_CACHEATTR) {
		for (unsigned i = 0; i < d->nr_pins; i++) {
			if (d->pins[i].s != start || d->pins[i].e != end)
				continue;
			d->pins[i] = d->pins[--d->nr_pins];
			return 0;
		}
		return -ENOENT;
	}
	switch (type) {
	case XEN_DMOP_MEM_CACHEATTR_UC:
	case XEN_DMOP_MEM_CACHEATTR_WC:
	case XEN_DMOP_MEM_CACHEATTR_WT:
	case XEN_DMOP_MEM_CACHEATTR_WP:
	case XEN_DMOP_MEM_CACHEATTR_WB:
	case XEN_DMOP_MEM_CACHEATTR_UCM:
		break;
	default:
		return -EINVAL;
	}
	/* Pinned ranges never overlap, so the list order does not matter. */
	for (unsigned i = 0; i < d->nr_pins; i++) {
		if (d->pins[i].s == start && d->pins[i].e == end) {
			d->pins[i].type = type;
			return 0;
		}
		if (d->pins[i].s <= end && start <= d->pins[i].e)
			return -EBUSY;
	}
	if (d->nr_pins >= MAX_PINS) /* "The limit is arbitrary." */
		return -ENOSPC;
	d->pins[d->nr_pins].s = start;
	d->pins[d->nr_pins].e = end;
	d->pins[d->nr_pins++].type = type;
	return 0;
}

/*
 * HVMOP_set_mem_type rules: RAM types among themselves, holes to mmio_dm,
 * to ioreq_server only from ram_rw (and only with a claiming server), from
 * ioreq_server only back to ram_rw.
 */
int dom_set_mem_type(struct domain *d, unsigned type, uint64_t pfn,
		     uint64_t nr)
{
	bool ram_type = type == HVMMEM_ram_rw || type == HVMMEM_ram_ro;

	if (pfn + nr < pfn || pfn + nr > d->nr_gfns)
		return -EINVAL;
	if (type == HVMMEM_ioreq_server && d->memtype_owner < 0)
		return -EINVAL;
	for (uint64_t g = pfn; g < pfn + nr; g++) {
		bool ram = gfn_is_ram(d, g), wp = gfn_is_wp(d, g);

		if (type == HVMMEM_mmio_dm) {
			if (ram)
				return -EINVAL;
		} else if (type == HVMMEM_ioreq_server) {
			if (!ram)
				return -EINVAL;
		} else if (ram_type) {
			if (!ram || (wp && type != HVMMEM_ram_rw))
				return -EINVAL;
		} else {
			return -EINVAL;
		}
	}
	for (uint64_t g = pfn; g < pfn + nr; g++) {
		bool wp = gfn_is_wp(d, g);
		bool want = type == HVMMEM_ioreq_server;

		if (type == HVMMEM_mmio_dm)
			continue;
		if (wp != want) {
			bit_set(d->wp, g, want);
			d->wp_count += want ? 1 : -1;
		}
	}
	return 0;
}

static void fail_vcpus(struct domain *d)
{
	for (unsigned i = 0; i < d->nr_vcpus; i++)
		if (d->vcpu[i].op != OP_NONE)
			vcpu_fail(&d->vcpu[i], -ESRCH);
}

void dom_maybe_reap(struct domain *d)
{
	if (!d->relinquished || d->gone)
		return;
	if (d->foreign_pages || d->resource_pages)
		return;
	d->gone = true;
	if (d->mem)
		munmap(d->mem, d->mem_size);
	d->mem = NULL;
	if (d->spare)
		munmap(d->spare, d->cap_spare << PAGE_SHIFT_4K);
	d->spare = NULL;
	if (d->remap) {
		for (uint64_t i = 0; i < (P2M_GFN_LIMIT >> REMAP_SHIFT); i++)
			free(d->remap[i]);
		free(d->remap);
		d->remap = NULL;
	}
	if (d->memfd >= 0)
		close(d->memfd);
	d->memfd = -1;
	free(d->vram_dirty);
	d->vram_dirty = NULL;
	d->vram_nr = 0;
}

/* The end of domain_relinquish_resources: the ioreq servers go. */
static void dom_relinquished(struct domain *d)
{
	d->relinquished = true;
	for (unsigned i = 0; i < MAX_SERVERS; i++)
		if (d->srv[i])
			srv_destroy(d->srv[i]);
	dom_maybe_reap(d);
}

/*
 * Xen's domain_kill order: the vCPUs stop and the event channels close
 * first (evtchn_destroy), the memory is relinquished, and only then are
 * the ioreq servers destroyed; the domain is gone once nothing maps it.
 */
void dom_destroy(struct domain *d)
{
	if (d->dying)
		return;
	d->dying = true;
	fail_vcpus(d);
	for (uint32_t p = 1; p < d->nr_ports; p++)
		gport_free(d, p);
	for (unsigned i = 0; i < d->nr_vcpus; i++)
		if (d->vcpu[i].conn) {
			d->vcpu[i].conn->vcpu = NULL;
			d->vcpu[i].conn = NULL;
		}
	if (!d->relinquish_ms) {
		dom_relinquished(d);
		return;
	}
	d->relinquish_at = now_ns() + d->relinquish_ms * 1000000ull;
}

void dom_check_relinquish(uint64_t now, int *timeout_ms)
{
	for (struct domain *d = domains; d; d = d->next) {
		int ms;

		if (!d->dying || d->relinquished)
			continue;
		if (now >= d->relinquish_at) {
			dom_relinquished(d);
			continue;
		}
		ms = (int)((d->relinquish_at - now + 999999) / 1000000);
		if (*timeout_ms < 0 || ms < *timeout_ms)
			*timeout_ms = ms;
	}
}

void dom_shutdown(struct domain *d, unsigned reason)
{
	if (d->shutdown || d->dying)
		return;
	d->shutdown = true;
	d->shutdown_reason = reason;
	fail_vcpus(d);
}

void dom_crash(struct domain *d, const char *why)
{
	if (d->crashed || d->dying)
		return;
	fprintf(stderr, "xensim: d%u crashed: %s\n", d->domid, why);
	snprintf(d->crash_reason, sizeof(d->crash_reason), "%s", why);
	d->crashed = true;
	d->shutdown = true;
	d->shutdown_reason = SHUTDOWN_crash;
	fail_vcpus(d);
}

void dom_pause(struct domain *d)
{
	d->paused = true;
}

void dom_unpause(struct domain *d)
{
	d->paused = false;
	for (unsigned i = 0; i < d->nr_vcpus; i++)
		if (d->vcpu[i].wait == VW_RUN)
			vcpu_schedule(&d->vcpu[i]);
}

void dom_info(struct domain *d, struct xsim_domain_info *info)
{
	memset(info, 0, sizeof(*info));
	if (!d) {
		info->state = XSIM_DOM_GONE;
		return;
	}
	if (d->gone)
		info->state = XSIM_DOM_GONE;
	else if (d->dying)
		info->state = XSIM_DOM_DYING;
	else if (d->crashed)
		info->state = XSIM_DOM_CRASHED;
	else if (d->shutdown)
		info->state = XSIM_DOM_SHUTDOWN;
	else if (d->paused)
		info->state = XSIM_DOM_PAUSED;
	else
		info->state = XSIM_DOM_RUNNING;
	for (unsigned i = 0; i < MAX_SERVERS; i++) {
		if (!d->srv[i])
			continue;
		info->nr_servers++;
		info->nr_enabled += d->srv[i]->enabled;
	}
	info->foreign_mappings = d->foreign_pages;
	info->resource_mappings = d->resource_pages;
	snprintf(info->crash_reason, sizeof(info->crash_reason), "%s",
		 d->crash_reason);
	info->shutdown_reason = d->shutdown_reason;
	info->vcpus = d->nr_vcpus;
	info->tot_pages = d->tot_pages;
	info->max_pages = d->max_pages;
	info->cf8 = d->cf8;
}

static void *grow(void *arr, size_t *cap, size_t n, size_t elem)
{
	void *p;
	size_t nc;

	if (n < *cap)
		return arr;
	nc = *cap ? *cap * 2 : 256;
	p = realloc(arr, nc * elem);
	if (!p)
		return NULL;
	*cap = nc;
	return p;
}

void log_ioreq(struct domain *d, unsigned sid, unsigned vcpu, uint32_t port,
	       const struct ioreq *p, size_t *idx)
{
	struct xsim_log_ioreq *e;
	void *n;

	*idx = SIZE_MAX;
	if (!d->log_on)
		return;
	n = grow(d->log, &d->cap_log, d->nr_log, sizeof(*d->log));
	if (!n)
		return;
	d->log = n;
	*idx = d->nr_log;
	e = &d->log[d->nr_log++];
	memset(e, 0, sizeof(*e));
	e->server_id = sid;
	e->vcpu = vcpu;
	e->port = port;
	e->req.addr = p->addr;
	e->req.data = p->data;
	e->req.count = p->count;
	e->req.size = p->size;
	e->req.state = p->state;
	e->req.data_is_ptr = p->data_is_ptr;
	e->req.dir = p->dir;
	e->req.df = p->df;
	e->req.type = p->type;
	e->req.vp_eport = p->vp_eport;
}

void log_msi(struct domain *d, uint64_t addr, uint32_t data)
{
	void *n = grow(d->msi, &d->cap_msi, d->nr_msi, sizeof(*d->msi));

	if (!n)
		return;
	d->msi = n;
	d->msi[d->nr_msi].addr = addr;
	d->msi[d->nr_msi++].data = data;
}

void log_dirty(struct domain *d, uint64_t pfn, uint64_t nr)
{
	void *n = grow(d->dirty, &d->cap_dirty, d->nr_dirty,
		       sizeof(*d->dirty));

	if (!n)
		return;
	d->dirty = n;
	d->dirty[d->nr_dirty].first_pfn = pfn;
	d->dirty[d->nr_dirty++].nr = nr;
}

/* Drop mapping i of connection c (munmap, close or process exit). */
void mapping_release(struct conn *c, size_t i)
{
	struct mapping *m = &c->maps[i];
	struct domain *d = NULL;

	for (struct domain *x = domains; x; x = x->next)
		if (x->domid == m->domid)
			d = x;
	if (d) {
		if (m->resource)
			d->resource_pages -= m->pages;
		else
			d->foreign_pages -= m->pages;
		dom_maybe_reap(d);
	}
	c->maps[i] = c->maps[--c->nr_maps];
}
