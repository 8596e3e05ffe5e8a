/* SPDX-License-Identifier: MIT */
/*
 * dispatch.h - one ioreq in, one answer out.
 *
 * The dispatcher owns the claimed ranges (ports, MMIO, PCI functions) and
 * routes each request to the io_region that fully contains it, one handler
 * per ioreq type in the shape QEMU uses: PIO, COPY (MMIO), PCI_CONFIG,
 * INVALIDATE (drop the guest-memory cache) and TIMEOFFSET (ignored).
 * rep requests walk the device side (MMIO) and the guest-memory side
 * (data_is_ptr) item by item, descending when df is set.
 *
 * Every field of a request is guest-controlled.  A malformed request (bad
 * size or count, a span that wraps, an unknown type), an address no region
 * contains, or guest memory that is not RAM is still answered: reads return
 * all-ones, writes are dropped, one rate-limited line is logged.  The
 * dispatcher never makes a hypervisor call itself, so it can be driven
 * from a test with an in-memory guest.
 */
#ifndef XENGT_IOREQ_DISPATCH_H
#define XENGT_IOREQ_DISPATCH_H

#include <stdbool.h>
#include <stdint.h>

#include "foreign/gmem.h"
#include "ioreq/iopage.h"
#include "ioreq/ranges.h"
#include "vgpu/io.h"

#define IOREQ_MAX_COUNT 4096 /* Xen never sends more items per request */

enum ioreq_stat_type {
	STAT_PIO = 0,
	STAT_COPY,
	STAT_PCI,
	STAT_TIMEOFFSET,
	STAT_INVALIDATE,
	STAT_OTHER,
	STAT_NTYPES
};

struct ioreq_stats {
	uint64_t by_type[STAT_NTYPES]; /* sync and buffered */
	uint64_t answered;     /* synchronous requests answered */
	uint64_t buffered;     /* buffered requests drained */
	uint64_t malformed;    /* bad size/count/span/type */
	uint64_t unclaimed;    /* no region contains the access */
	uint64_t mem_faults;   /* data_is_ptr memory not guest RAM */
	uint64_t spurious;     /* event for a slot that was not READY */
	uint64_t unknown_port; /* event on a port we did not bind */
	uint64_t ring_errors;  /* buffered ring corrupt */
};

struct dispatcher {
	struct range_set sets[3]; /* indexed by enum io_space */
	struct gmem *gm;
	bool trace;
	struct ioreq_stats st;
	/* rep data staged between a device and guest memory */
	uint8_t rep_buf[IOREQ_MAX_COUNT * 8];
};

void dispatch_init(struct dispatcher *d, struct gmem *gm);
/* Handle a synchronous request; for reads without data_is_ptr the answer
 * is left in req->data. */
void dispatch_ioreq(struct dispatcher *d, ioreq_t *req);
/* Handle one buffered request (a single write). */
void dispatch_buffered(struct dispatcher *d, ioreq_t *req);

/* One summary line of what was answered. */
void ioreq_stats_format(const struct ioreq_stats *st, char *buf, size_t len);

/* ---- rep arithmetic (pure; exported for the unit tests) ----------------- */

/*
 * The bytes [*first, *last] touched by `count` items of `size` bytes, the
 * first at `base`, the others ascending (df = 0) or descending (df = 1).
 * false if count or size is 0 or the span leaves the 64-bit space.
 */
bool ioreq_rep_span(uint64_t base, uint32_t size, uint32_t count, bool df,
		    uint64_t *first, uint64_t *last);

/* Address of item i: base + i * size, or base - i * size when df. */
static inline uint64_t ioreq_item_addr(uint64_t base, uint32_t i,
				       uint32_t size, bool df)
{
	uint64_t step = (uint64_t)i * size;

	return df ? base - step : base + step;
}

/* Offset of item i in a buffer holding the span in ascending order. */
static inline uint32_t ioreq_item_offset(uint32_t i, uint32_t size,
					 uint32_t count, bool df)
{
	return (df ? count - 1 - i : i) * size;
}

static inline uint64_t ioreq_mask(unsigned size)
{
	return size >= 8 ? ~0ull : (1ull << (size * 8)) - 1;
}

#endif
