/* SPDX-License-Identifier: MIT */
/*
 * dispatch.c - per-type ioreq handlers: the path from a decoded request to
 * a region's read/write handler, and the answer back.
 */
#include "ioreq/dispatch.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "util/le.h"
#include "util/log.h"

void dispatch_init(struct dispatcher *d, struct gmem *gm)
{
	unsigned i;

	memset(&d->st, 0, sizeof(d->st));
	for (i = 0; i < 3; i++)
		ranges_init(&d->sets[i]);
	d->gm = gm;
	d->trace = false;
}

bool ioreq_rep_span(uint64_t base, uint32_t size, uint32_t count, bool df,
		    uint64_t *first, uint64_t *last)
{
	uint64_t back, len;

	if (size == 0 || count == 0)
		return false;
	back = (uint64_t)(count - 1) * size; /* < 2^64: both are 32-bit */
	if (df) {
		if (base < back || base + (size - 1) < base)
			return false;
		*first = base - back;
		*last = base + (size - 1);
	} else {
		len = back + size;
		if (base + (len - 1) < base)
			return false;
		*first = base;
		*last = base + (len - 1);
	}
	return true;
}

static const char *type_name(unsigned type)
{
	switch (type) {
	case IOREQ_TYPE_PIO:
		return "pio";
	case IOREQ_TYPE_COPY:
		return "mmio";
	case IOREQ_TYPE_PCI_CONFIG:
		return "pci";
	case IOREQ_TYPE_TIMEOFFSET:
		return "timeoffset";
	case IOREQ_TYPE_INVALIDATE:
		return "invalidate";
	default:
		return "unknown";
	}
}

static void describe(const ioreq_t *req, char *buf, size_t len)
{
	snprintf(buf, len,
		 "%s(%u) %s size %u count %u df %u ptr %u addr 0x%" PRIx64
		 " data 0x%" PRIx64,
		 type_name(req->type), req->type, req->dir ? "R" : "W",
		 req->size, req->count, req->df, req->data_is_ptr, req->addr,
		 req->data);
}

/*
 * What a read that cannot be served returns: all-ones.  All 64 bits are
 * set whatever the size (Xen uses only the low `size` bytes).
 */
static void answer_ones(ioreq_t *req)
{
	if (req->dir == IOREQ_READ && !req->data_is_ptr)
		req->data = ~0ull;
}

static void reject(struct dispatcher *d, ioreq_t *req, const char *why)
{
	char what[160];

	d->st.malformed++;
	describe(req, what, sizeof(what));
	log_guest(LOG_WARN, "malformed ioreq (%s): %s", why, what);
	answer_ones(req);
}

static void no_region(struct dispatcher *d, ioreq_t *req)
{
	char what[160];

	d->st.unclaimed++;
	describe(req, what, sizeof(what));
	log_guest(LOG_WARN, "ioreq outside every claimed range: %s", what);
	answer_ones(req);
}

static void mem_fault(struct dispatcher *d, const ioreq_t *req, int rc)
{
	char what[160];

	d->st.mem_faults++;
	describe(req, what, sizeof(what));
	log_guest(LOG_WARN, "ioreq data pointer is outside guest RAM (%s): %s",
		  strerror(-rc), what);
}

/* The region's access rules, checked here once for every host access. */
static bool dev_ok(const struct io_region *r, uint64_t off, unsigned size)
{
	if (io_access_ok(r, off, size))
		return true;
	log_guest(LOG_WARN, "%s: access of %u bytes at +%#" PRIx64 " refused",
		  r->name, size, off);
	return false;
}

static inline uint64_t dev_read(const struct io_region *r, uint64_t off,
				unsigned size)
{
	if (!r->read || !dev_ok(r, off, size))
		return ioreq_mask(size);
	return r->read(r->opaque, off, size) & ioreq_mask(size);
}

static inline void dev_write(const struct io_region *r, uint64_t off,
			     unsigned size, uint64_t val)
{
	if (r->write && dev_ok(r, off, size))
		r->write(r->opaque, off, size, val & ioreq_mask(size));
}

/*
 * rep with data_is_ptr: items move between the device and guest RAM.
 * Guest memory that is not RAM reads as all-ones and drops writes.
 */
static void rep_ptr(struct dispatcher *d, ioreq_t *req,
		    const struct io_region *r, uint64_t mem_first, bool is_pio)
{
	unsigned size = req->size;
	uint32_t count = req->count, i;
	uint32_t total = count * size;
	uint8_t *buf = d->rep_buf;
	int rc;

	if (req->dir == IOREQ_READ) {
		for (i = 0; i < count; i++) {
			uint64_t a = is_pio ? req->addr
					    : ioreq_item_addr(req->addr, i,
							      size, req->df);
			uint64_t v = r ? dev_read(r, a - r->base, size)
				       : ioreq_mask(size);

			le_put(buf + ioreq_item_offset(i, size, count, req->df),
			       v, size);
		}
		rc = gmem_write(d->gm, mem_first, buf, total);
		if (rc < 0)
			mem_fault(d, req, rc);
		return;
	}
	rc = gmem_read(d->gm, mem_first, buf, total);
	if (rc < 0) {
		/* memory that is not RAM reads as all-ones, like a bus */
		mem_fault(d, req, rc);
		memset(buf, 0xff, total);
	}
	if (!r)
		return;
	for (i = 0; i < count; i++) {
		uint64_t a = is_pio
				 ? req->addr
				 : ioreq_item_addr(req->addr, i, size, req->df);

		dev_write(
		    r, a - r->base, size,
		    le_get(buf + ioreq_item_offset(i, size, count, req->df),
			   size));
	}
}

/* PIO and COPY: the port is constant for PIO, the address steps for COPY. */
static void do_io(struct dispatcher *d, ioreq_t *req, bool is_pio)
{
	struct range_set *set =
	    &d->sets[is_pio ? IO_SPACE_PORT : IO_SPACE_MMIO];
	unsigned size = req->size;
	uint64_t first, last, mem_first = 0, mem_last;
	const struct range *rg;
	const struct io_region *r;
	uint32_t i;

	if (size != 1 && size != 2 && size != 4 && (size != 8 || is_pio))
		return reject(d, req, "size");
	if (req->count == 0 || req->count > IOREQ_MAX_COUNT)
		return reject(d, req, "count");
	if (req->data_is_ptr && !ioreq_rep_span(req->data, size, req->count,
						req->df, &mem_first, &mem_last))
		return reject(d, req, "memory span wraps");
	if (is_pio) {
		first = req->addr;
		last = req->addr + size - 1;
		if (last > 0xffff || last < first)
			return reject(d, req, "port");
	} else if (!ioreq_rep_span(req->addr, size, req->count, req->df, &first,
				   &last)) {
		return reject(d, req, "address span wraps");
	}

	rg = ranges_find(set, first, last);
	r = rg ? rg->region : NULL;
	if (!r) {
		no_region(d, req);
		if (!req->data_is_ptr)
			return;
		/* rep ins from nothing fills RAM with ones; outs goes nowhere
		 */
		if (req->dir == IOREQ_READ)
			rep_ptr(d, req, NULL, mem_first, is_pio);
		return;
	}
	if (req->data_is_ptr)
		return rep_ptr(d, req, r, mem_first, is_pio);

	if (req->count == 1) {
		if (req->dir == IOREQ_READ)
			req->data = dev_read(r, req->addr - r->base, size);
		else
			dev_write(r, req->addr - r->base, size, req->data);
		return;
	}
	/* rep without data_is_ptr: stos writes the same value to each item */
	for (i = 0; i < req->count; i++) {
		uint64_t a = is_pio
				 ? req->addr
				 : ioreq_item_addr(req->addr, i, size, req->df);

		if (req->dir == IOREQ_READ)
			req->data = dev_read(r, a - r->base, size);
		else
			dev_write(r, a - r->base, size, req->data);
	}
}

static void do_pci(struct dispatcher *d, ioreq_t *req)
{
	uint32_t sbdf = (uint32_t)(req->addr >> 32);
	uint64_t reg = (uint32_t)req->addr;
	unsigned size = req->size;
	const struct range *rg;

	if (size != 1 && size != 2 && size != 4)
		return reject(d, req, "size");
	if (req->count != 1 || req->data_is_ptr)
		return reject(d, req, "count");
	rg = ranges_find(&d->sets[IO_SPACE_PCI], sbdf, sbdf);
	if (!rg || reg + size > 256)
		return no_region(d, req);
	if (req->dir == IOREQ_READ)
		req->data = dev_read(rg->region, reg, size);
	else
		dev_write(rg->region, reg, size, req->data);
}

static void trace(const ioreq_t *req, bool buffered)
{
	char what[160];

	describe(req, what, sizeof(what));
	log_info("%s %s", buffered ? "bufioreq" : "ioreq", what);
}

static void handle(struct dispatcher *d, ioreq_t *req)
{
	switch (req->type) {
	case IOREQ_TYPE_PIO:
		d->st.by_type[STAT_PIO]++;
		do_io(d, req, true);
		break;
	case IOREQ_TYPE_COPY:
		d->st.by_type[STAT_COPY]++;
		do_io(d, req, false);
		break;
	case IOREQ_TYPE_PCI_CONFIG:
		d->st.by_type[STAT_PCI]++;
		do_pci(d, req);
		break;
	case IOREQ_TYPE_INVALIDATE:
		/* a broadcast; count 0 is what Xen sends */
		d->st.by_type[STAT_INVALIDATE]++;
		if (d->gm)
			gmem_invalidate(d->gm);
		break;
	case IOREQ_TYPE_TIMEOFFSET:
		d->st.by_type[STAT_TIMEOFFSET]++;
		break;
	default:
		d->st.by_type[STAT_OTHER]++;
		reject(d, req, "type");
		break;
	}
}

void dispatch_ioreq(struct dispatcher *d, ioreq_t *req)
{
	if (d->trace)
		trace(req, false);
	handle(d, req);
}

void dispatch_buffered(struct dispatcher *d, ioreq_t *req)
{
	d->st.buffered++;
	if (d->trace)
		trace(req, true);
	switch (req->type) {
	case IOREQ_TYPE_PIO:
	case IOREQ_TYPE_COPY:
		if (req->dir == IOREQ_READ) {
			d->st
			    .by_type[req->type == IOREQ_TYPE_PIO ? STAT_PIO
								 : STAT_COPY]++;
			reject(d, req, "buffered read");
			break;
		}
		handle(d, req);
		break;
	case IOREQ_TYPE_TIMEOFFSET:
		d->st.by_type[STAT_TIMEOFFSET]++;
		break;
	default:
		d->st.by_type[STAT_OTHER]++;
		reject(d, req, "buffered type");
		break;
	}
}

void ioreq_stats_format(const struct ioreq_stats *st, char *buf, size_t len)
{
	snprintf(buf, len,
		 "answered %" PRIu64 " ioreqs (pio %" PRIu64 ", mmio %" PRIu64
		 ", pci %" PRIu64 ", invalidate %" PRIu64
		 ", timeoffset %" PRIu64 ", other %" PRIu64
		 "), buffered %" PRIu64 ", malformed %" PRIu64
		 ", unclaimed %" PRIu64 ", memory faults %" PRIu64
		 ", spurious %" PRIu64 ", unknown ports %" PRIu64,
		 st->answered, st->by_type[STAT_PIO], st->by_type[STAT_COPY],
		 st->by_type[STAT_PCI], st->by_type[STAT_INVALIDATE],
		 st->by_type[STAT_TIMEOFFSET], st->by_type[STAT_OTHER],
		 st->buffered, st->malformed, st->unclaimed, st->mem_faults,
		 st->spurious, st->unknown_port);
}
