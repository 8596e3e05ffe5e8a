/* SPDX-License-Identifier: MIT */
/*
 * host.c - claims, releases and interrupts for the device, against Xen.
 */
#include "ioreq/host.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "foreign/ram.h"
#include "util/log.h"

#define PAGE_SHIFT 12
#define PAGE_SIZE (1ull << PAGE_SHIFT)

static const char *const space_name[] = {"port", "mmio", "pci"};

/* The inclusive span a region claims, or -EINVAL. */
static int region_span(const struct io_region *r, uint64_t *start,
		       uint64_t *end)
{
	switch (r->space) {
	case IO_SPACE_PORT:
	case IO_SPACE_MMIO:
		if (r->size == 0 || r->base + (r->size - 1) < r->base)
			return -EINVAL;
		*start = r->base;
		*end = r->base + (r->size - 1);
		if (r->space == IO_SPACE_PORT && *end > 0xffff)
			return -EINVAL;
		return 0;
	case IO_SPACE_PCI:
		if (r->base > 0xffffffffu)
			return -EINVAL;
		*start = *end = r->base;
		return 0;
	}
	return -EINVAL;
}

/* Claim (map = 1) or release (map = 0) a span at Xen; -errno. */
static int xen_claim(struct ioreq_server *s, enum io_space space,
		     uint64_t start, uint64_t end, bool map)
{
	int rc;

	if (space == IO_SPACE_PCI) {
		uint32_t sbdf = (uint32_t)start;
		uint16_t seg = sbdf >> 16;
		uint8_t bus = (sbdf >> 8) & 0xff, dev = (sbdf >> 3) & 0x1f,
			fn = sbdf & 7;

		rc = map ? xendevicemodel_map_pcidev_to_ioreq_server(
			       s->dmod, s->domid, s->id, seg, bus, dev, fn)
			 : xendevicemodel_unmap_pcidev_from_ioreq_server(
			       s->dmod, s->domid, s->id, seg, bus, dev, fn);
	} else {
		int is_mmio = space == IO_SPACE_MMIO;

		rc = map ? xendevicemodel_map_io_range_to_ioreq_server(
			       s->dmod, s->domid, s->id, is_mmio, start, end)
			 : xendevicemodel_unmap_io_range_from_ioreq_server(
			       s->dmod, s->domid, s->id, is_mmio, start, end);
	}
	return rc < 0 ? -errno : 0;
}

/* ---- RAM-backed regions -------------------------------------------------- */

static int ram_slot(const struct ioreq_host *h, const struct io_region *r)
{
	unsigned i;

	for (i = 0; i < h->nram; i++)
		if (h->ram[i].r == r)
			return (int)i;
	return -1;
}

/* Xen's limit for one tracked range (dm.c track_dirty_vram: 1 GiB). */
#define DIRTY_MAX_PAGES (1ull << (30 - PAGE_SHIFT))
#define BITS_PER_UL (8 * sizeof(unsigned long))

static size_t dirty_words(const struct io_region *r)
{
	return (size_t)(((r->size >> PAGE_SHIFT) + BITS_PER_UL - 1) /
			BITS_PER_UL);
}

static int dirty_prepare(struct ioreq_host *h, struct io_region *r)
{
	size_t w = dirty_words(r);

	if (h->dirty_r)
		return -EBUSY;
	if ((r->size >> PAGE_SHIFT) > DIRTY_MAX_PAGES)
		return -E2BIG;
	h->dirty_pending = calloc(w, sizeof(unsigned long));
	h->dirty_scratch = calloc(w, sizeof(unsigned long));
	if (!h->dirty_pending || !h->dirty_scratch) {
		free(h->dirty_pending);
		free(h->dirty_scratch);
		h->dirty_pending = h->dirty_scratch = NULL;
		return -ENOMEM;
	}
	h->dirty_r = r;
	h->span_first = 0;
	h->span_n = r->size >> PAGE_SHIFT;
	return 0;
}

/* One track_dirty_vram call over r at gfn `first` (nr 0: stop). */
static int dirty_call(struct ioreq_host *h, uint64_t first, uint32_t nr)
{
	struct timespec t0, t1;
	uint64_t ns;
	int rc = 0;

	h->dirty_calls++;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (xendevicemodel_track_dirty_vram(h->srv->dmod, h->srv->domid, first,
					    nr, h->dirty_scratch) < 0)
		rc = -errno;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ns = (uint64_t)(t1.tv_sec - t0.tv_sec) * 1000000000u +
	     (uint64_t)t1.tv_nsec - (uint64_t)t0.tv_nsec;
	h->dirty_ns += ns;
	if (ns > h->dirty_ns_max)
		h->dirty_ns_max = ns;
	return rc;
}

/*
 * One look at the tracked span where the region now is.  Over a new
 * range Xen's first answer is "all dirty", which is not true: callers
 * starting a span drop it.
 */
static int dirty_track(struct ioreq_host *h, struct io_region *r)
{
	if (!h->span_n)
		return 0;
	return dirty_call(h, (r->base >> PAGE_SHIFT) + h->span_first,
			  (uint32_t)h->span_n);
}

/* Fold what Xen recorded for the tracked span into the pending bits. */
static int dirty_collect(struct ioreq_host *h)
{
	struct io_region *r = h->dirty_r;
	size_t i, w = (size_t)((h->span_n + BITS_PER_UL - 1) / BITS_PER_UL);
	size_t at = (size_t)(h->span_first / BITS_PER_UL);
	int rc;

	if (!h->dirty_on || !h->span_n)
		return 0;
	rc = dirty_track(h, r);
	if (rc < 0)
		return rc;
	if (h->span_n % BITS_PER_UL) /* Xen sets whole bytes */
		h->dirty_scratch[w - 1] &=
		    (1ul << (h->span_n % BITS_PER_UL)) - 1;
	for (i = 0; i < w; i++)
		h->dirty_pending[at + i] |= h->dirty_scratch[i];
	return 0;
}

/* Right after the region arrived at r->base: start tracking there. */
static void dirty_start(struct ioreq_host *h, struct io_region *r)
{
	int rc;

	if (r != h->dirty_r || h->srv->gone)
		return;
	rc = dirty_track(h, r);
	if (rc < 0) {
		log_warn("%s: track_dirty_vram(gfn %#llx, %llu pages) failed: "
			 "%s; guest writes to it are not seen",
			 r->name ? r->name : "?",
			 (unsigned long long)((r->base >> PAGE_SHIFT) +
					      h->span_first),
			 (unsigned long long)h->span_n, strerror(-rc));
		h->dirty_err = rc;
		return;
	}
	h->dirty_on = true;
	h->dirty_err = 0;
}

/* Before the region leaves r->base: keep what the guest wrote, stop. */
static void dirty_stop(struct ioreq_host *h, struct io_region *r)
{
	int rc;

	if (r != h->dirty_r || !h->dirty_on || h->srv->gone)
		return;
	rc = dirty_collect(h);
	if (rc < 0)
		log_warn("%s: track_dirty_vram failed: %s; the writes since "
			 "the last look are taken as everywhere",
			 r->name ? r->name : "?", strerror(-rc));
	if (rc < 0)
		memset(h->dirty_pending, 0xff,
		       dirty_words(r) * sizeof(unsigned long));
	if (h->span_n)
		dirty_call(h, 0, 0);
	h->dirty_on = false;
}

static int host_ram_dirty_span(void *ctx, struct io_region *r, uint64_t first,
			       uint64_t n)
{
	struct ioreq_host *h = ctx;
	uint64_t pages;
	int rc;

	if (!r || r != h->dirty_r)
		return -EINVAL;
	pages = r->size >> PAGE_SHIFT;
	if (first % BITS_PER_UL || first > pages || n > pages - first)
		return -EINVAL;
	if (!n)
		first = 0;
	if (first == h->span_first && n == h->span_n)
		return 0;
	if (h->srv->gone)
		return -ESRCH;
	if (!h->dirty_on) { /* not claimed, or Xen refused: try anew */
		h->span_first = first;
		h->span_n = n;
		if (!r->mapped)
			return 0;
		dirty_start(h, r);
		return h->dirty_on ? 0 : h->dirty_err;
	}
	/* what the guest wrote in the old span stays pending */
	rc = dirty_collect(h);
	if (rc < 0)
		memset(h->dirty_pending, 0xff,
		       dirty_words(r) * sizeof(unsigned long));
	h->span_first = first;
	h->span_n = n;
	rc = n ? dirty_track(h, r) : dirty_call(h, 0, 0);
	if (rc < 0) {
		log_warn("%s: track_dirty_vram over %llu pages failed: %s",
			 r->name ? r->name : "?", (unsigned long long)n,
			 strerror(-rc));
		h->dirty_on = false;
		h->dirty_err = rc;
	}
	return rc;
}

static int host_ram_dirty(void *ctx, struct io_region *r, uint64_t *bitmap,
			  size_t npages)
{
	struct ioreq_host *h = ctx;
	size_t i, w;
	int rc;

	if (!r || r != h->dirty_r || npages != r->size >> PAGE_SHIFT)
		return -EINVAL;
	if (h->srv->gone)
		return -ESRCH;
	if (r->mapped && !h->dirty_on) /* claimed, but Xen would not track */
		return h->dirty_err ? h->dirty_err : -EIO;
	rc = dirty_collect(h);
	if (rc < 0)
		return rc;
	w = dirty_words(r);
	for (i = 0; i < w; i++) {
		unsigned long v = h->dirty_pending[i];

		/* x86-64: unsigned long is 64 bits, as the bitmap's words */
		bitmap[i] = (uint64_t)v;
		h->dirty_pending[i] = 0;
	}
	if (npages % 64) /* bits past the region: Xen sets whole bytes */
		bitmap[w - 1] &= (1ull << (npages % 64)) - 1;
	return 0;
}

static int host_ram_add(void *ctx, struct io_region *r)
{
	struct ioreq_host *h = ctx;
	uint64_t n = r->size >> PAGE_SHIFT, gfn;
	int rc;

	if (r->space != IO_SPACE_MMIO || !n || (r->size & (PAGE_SIZE - 1)) ||
	    ram_slot(h, r) >= 0)
		return -EINVAL;
	if (h->nram == IOREQ_HOST_MAX_RAM)
		return -ENOSPC;
	if (h->srv->gone)
		return -ESRCH;
	if (r->track_dirty) {
		rc = dirty_prepare(h, r);
		if (rc < 0)
			return rc;
	}
	if (!h->park_next)
		h->park_next = IOREQ_HOST_PARK_GFN;
	gfn = h->park_next;
	rc = guest_ram_populate(h->srv->domid, gfn, n);
	if (rc < 0) {
		if (h->dirty_r == r) {
			free(h->dirty_pending);
			free(h->dirty_scratch);
			h->dirty_pending = h->dirty_scratch = NULL;
			h->dirty_r = NULL;
		}
		return rc;
	}
	/* the next one starts on a fresh 2 MiB boundary */
	h->park_next = (gfn + n + 511) & ~511ull;
	h->ram[h->nram].r = r;
	h->ram[h->nram].park_gfn = gfn;
	h->nram++;
	r->ram = true;
	log_info("%s: %llu KiB of guest RAM at gfn %#llx (parked)",
		 r->name ? r->name : "?", (unsigned long long)(n * 4),
		 (unsigned long long)gfn);
	return 0;
}

/* Move a RAM region's frames from one gfn to another. */
static int ram_move(struct ioreq_host *h, struct io_region *r, uint64_t from,
		    uint64_t to)
{
	uint64_t n = r->size >> PAGE_SHIFT, done;
	int rc = 0;

	if (h->srv->gone)
		return -ESRCH;
	/* dm.c hands Xen the size as 16 bits: move at most 32 Ki at once */
	for (done = 0; done < n && !rc; done += 32768) {
		uint64_t k = n - done < 32768 ? n - done : 32768;

		if (xendevicemodel_relocate_memory(h->srv->dmod, h->srv->domid,
						   (uint32_t)k, from + done,
						   to + done) < 0)
			rc = -errno;
	}
	if (h->host.mem)
		gmem_invalidate(h->host.mem); /* cached mappings of old gfns */
	if (rc < 0) {
		log_err("relocate_memory(%s, %llu pages, gfn %#llx -> %#llx) "
			"failed: %s",
			r->name ? r->name : "?", (unsigned long long)n,
			(unsigned long long)from, (unsigned long long)to,
			strerror(-rc));
		return rc;
	}
	h->ram_moves++;
	return 0;
}

static int ram_map(struct ioreq_host *h, struct io_region *r, int slot)
{
	uint64_t first = r->base >> PAGE_SHIFT, n = r->size >> PAGE_SHIFT;
	uint64_t park = h->ram[slot].park_gfn;
	int rc;

	if (r->base & (PAGE_SIZE - 1) || first >= IOREQ_HOST_MAX_GFN ||
	    n > IOREQ_HOST_MAX_GFN - first ||
	    (first < h->park_next && first + n > IOREQ_HOST_PARK_GFN)) {
		log_guest(LOG_WARN,
			  "%s: the guest placed it at [0x%" PRIx64
			  ", +0x%" PRIx64 "), where its RAM cannot go; "
			  "left undecoded",
			  r->name ? r->name : "?", r->base, r->size);
		return -EINVAL;
	}
	rc = ram_move(h, r, park, first);
	if (rc < 0)
		return rc;
	r->mapped = true;
	dirty_start(h, r);
	log_debug("%s: guest RAM at [0x%" PRIx64 ", +0x%" PRIx64 ")",
		  r->name ? r->name : "?", r->base, r->size);
	return 0;
}

static int ram_unmap(struct ioreq_host *h, struct io_region *r, int slot)
{
	int rc;

	dirty_stop(h, r);
	rc = ram_move(h, r, r->base >> PAGE_SHIFT, h->ram[slot].park_gfn);
	/*
	 * Failing to park leaves the frames at the old address: the device
	 * still reads them there, so do not pretend they moved.
	 */
	if (rc < 0 && !h->srv->gone)
		return rc;
	r->mapped = false;
	return 0;
}

/* The guest-physical address of a RAM region's byte `off`, now. */
static int ram_gpa(struct ioreq_host *h, struct io_region *r, uint64_t off,
		   size_t len, uint64_t *gpa)
{
	int slot = ram_slot(h, r);

	if (slot < 0 || !h->host.mem || off > r->size || len > r->size - off)
		return -EINVAL;
	*gpa =
	    (r->mapped ? r->base : h->ram[slot].park_gfn << PAGE_SHIFT) + off;
	return 0;
}

static int host_ram_read(void *ctx, struct io_region *r, uint64_t off,
			 void *buf, size_t len)
{
	struct ioreq_host *h = ctx;
	uint64_t gpa;
	int rc = ram_gpa(h, r, off, len, &gpa);

	if (rc < 0) {
		memset(buf, 0xff, len);
		return rc;
	}
	return gmem_read(h->host.mem, gpa, buf, len);
}

static int host_ram_write(void *ctx, struct io_region *r, uint64_t off,
			  const void *buf, size_t len)
{
	struct ioreq_host *h = ctx;
	uint64_t gpa;
	int rc = ram_gpa(h, r, off, len, &gpa);

	return rc < 0 ? rc : gmem_write(h->host.mem, gpa, buf, len);
}

/* ---- claims ----------------------------------------------------------------
 */

static int host_map(void *ctx, struct io_region *r)
{
	struct ioreq_host *h = ctx;
	uint64_t start, end;
	int rc, slot;

	if (r->mapped)
		return -EEXIST;
	slot = ram_slot(h, r);
	if (slot >= 0)
		return ram_map(h, r, slot);
	rc = region_span(r, &start, &end);
	if (rc < 0)
		return rc;
	rc = ranges_add(&h->d->sets[r->space], start, end, r);
	if (rc < 0) {
		log_warn("cannot claim %s %s [0x%" PRIx64 ", 0x%" PRIx64
			 "]: %s",
			 space_name[r->space], r->name ? r->name : "?", start,
			 end, strerror(-rc));
		return rc;
	}
	if (h->srv->gone)
		rc = -ESRCH;
	else
		rc = xen_claim(h->srv, r->space, start, end, true);
	if (rc < 0) {
		ranges_del(&h->d->sets[r->space], r);
		log_warn("%s(domain %u, %s [0x%" PRIx64 ", 0x%" PRIx64
			 "]) failed: %s",
			 r->space == IO_SPACE_PCI
			     ? "xendevicemodel_map_pcidev_to_ioreq_server"
			     : "xendevicemodel_map_io_range_to_ioreq_server",
			 h->srv->domid, space_name[r->space], start, end,
			 strerror(-rc));
		return rc;
	}
	r->mapped = true;
	log_debug("claimed %s %s [0x%" PRIx64 ", 0x%" PRIx64 "]",
		  space_name[r->space], r->name ? r->name : "?", start, end);
	return 0;
}

static int host_unmap(void *ctx, struct io_region *r)
{
	struct ioreq_host *h = ctx;
	uint64_t start, end;
	int rc, slot = ram_slot(h, r);

	if (slot >= 0 && r->mapped)
		return ram_unmap(h, r, slot);
	if (!r->mapped || region_span(r, &start, &end) < 0 ||
	    ranges_del(&h->d->sets[r->space], r) < 0)
		return -ENOENT;
	r->mapped = false;
	if (h->srv->gone)
		return 0;
	rc = xen_claim(h->srv, r->space, start, end, false);
	if (rc < 0 && ioreq_errno_gone(-rc)) {
		ioreq_server_mark_gone(h->srv, -rc, "unmap range");
		return 0;
	}
	if (rc < 0)
		log_warn("releasing %s %s [0x%" PRIx64 ", 0x%" PRIx64
			 "] failed: %s",
			 space_name[r->space], r->name ? r->name : "?", start,
			 end, strerror(-rc));
	else
		log_debug("released %s %s [0x%" PRIx64 ", 0x%" PRIx64 "]",
			  space_name[r->space], r->name ? r->name : "?", start,
			  end);
	return rc;
}

static int host_msi(void *ctx, uint64_t addr, uint32_t data)
{
	struct ioreq_host *h = ctx;

	if (h->srv->gone)
		return -ESRCH;
	h->msis++;
	if (xendevicemodel_inject_msi(h->srv->dmod, h->srv->domid, addr, data) <
	    0) {
		int err = errno;

		log_guest(LOG_WARN,
			  "xendevicemodel_inject_msi(0x%" PRIx64 ", 0x%x) "
			  "failed: %s",
			  addr, data, strerror(err));
		return -err;
	}
	return 0;
}

static int host_intx(void *ctx, unsigned pin, bool asserted)
{
	struct ioreq_host *h = ctx;
	uint8_t bus = (h->sbdf >> 8) & 0xff, dev = (h->sbdf >> 3) & 0x1f;

	if (pin > 3)
		return -EINVAL;
	if (h->srv->gone)
		return -ESRCH;
	h->intx_changes++;
	if (xendevicemodel_set_pci_intx_level(h->srv->dmod, h->srv->domid, 0,
					      bus, dev, (uint8_t)pin,
					      asserted) < 0) {
		int err = errno;

		log_guest(LOG_WARN,
			  "xendevicemodel_set_pci_intx_level(%02x:%02x INT%c, "
			  "%d) failed: %s",
			  bus, dev, 'A' + pin, asserted, strerror(err));
		return -err;
	}
	return 0;
}

static void on_timer(void *opaque, uint64_t expirations)
{
	struct io_timer *t = opaque;

	t->fire(t->opaque, expirations);
}

static int host_timer(void *ctx, struct io_timer *t, uint64_t period_ns)
{
	struct ioreq_host *h = ctx;
	int fd, rc;

	if (!h->loop || !t->fire)
		return -EINVAL;
	if (t->handle >= 0) {
		rc = loop_timer_set(h->loop, t->handle, period_ns);
		if (rc < 0)
			log_warn("timer %s: %s", t->name ? t->name : "?",
				 strerror(-rc));
		return rc;
	}
	if (period_ns == 0)
		return 0; /* never started */
	if (h->ntimers == IOREQ_HOST_MAX_TIMERS)
		return -ENOSPC;
	fd = loop_add_timer_ns(h->loop, period_ns, on_timer, t);
	if (fd < 0) {
		log_warn("timer %s: %s", t->name ? t->name : "?",
			 strerror(-fd));
		return fd;
	}
	t->handle = fd;
	h->timer_fds[h->ntimers++] = fd;
	return 0;
}

static const struct io_host_ops ioreq_host_ops = {
    .map = host_map,
    .unmap = host_unmap,
    .msi = host_msi,
    .intx = host_intx,
    .timer = host_timer,
    .ram_add = host_ram_add,
    .ram_read = host_ram_read,
    .ram_write = host_ram_write,
    .ram_dirty = host_ram_dirty,
    .ram_dirty_span = host_ram_dirty_span,
};

void ioreq_host_init(struct ioreq_host *h, struct ioreq_server *srv,
		     struct dispatcher *d, struct loop *loop, uint32_t sbdf)
{
	memset(h, 0, sizeof(*h));
	h->host.ops = &ioreq_host_ops;
	h->host.ctx = h;
	h->srv = srv;
	h->d = d;
	h->loop = loop;
	h->sbdf = sbdf;
}

void ioreq_host_release_all(struct ioreq_host *h)
{
	unsigned sp;

	while (h->ntimers)
		loop_del_fd(h->loop, h->timer_fds[--h->ntimers]);
	for (sp = 0; sp < 3; sp++) {
		struct range_set *set = &h->d->sets[sp];

		while (set->n) {
			struct io_region *r = set->v[set->n - 1].region;

			if (host_unmap(h, r) == -ENOENT)
				ranges_del(set, r); /* not marked mapped */
		}
	}
	/* the regions themselves may be gone with the device: no touching */
	free(h->dirty_pending);
	free(h->dirty_scratch);
	h->dirty_pending = h->dirty_scratch = NULL;
	h->dirty_r = NULL;
}
