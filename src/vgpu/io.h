/* SPDX-License-Identifier: MIT */
/*
 * io.h - the one small interface between the device and the platform.
 *
 * A device describes each thing the guest can touch (a port range, an MMIO
 * range, a PCI function's config space) as an io_region with read/write
 * handlers and the access sizes it accepts.  It asks its host to claim or
 * release a region; the host (the ioreq layer against Xen, or a unit test)
 * routes accesses to the handlers after checking them against the
 * region's rules (io_access_ok), so no handler re-checks sizes or bounds.
 * Interrupts, timers and guest memory (gmem: bounded, checked reads and
 * dirty-reporting writes) reach the device through the same host.
 * Nothing here names Xen, so the device can be tested alone.
 *
 * Conventions: functions return 0 or a negative errno.
 */
#ifndef XENGT_VGPU_IO_H
#define XENGT_VGPU_IO_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "foreign/gmem.h"

enum io_space {
	IO_SPACE_PORT = 0, /* x86 I/O ports: base is the first port */
	IO_SPACE_MMIO = 1, /* guest-physical memory: base is a GPA */
	IO_SPACE_PCI = 2,  /* config space: base is the SBDF, size 256 */
};

/*
 * Handlers get the offset from region base and an access size the region
 * accepts (see io_access_ok: never crossing its end).  Reads return the
 * value in the low `size` bytes; bits above are ignored.
 */
typedef uint64_t io_read_fn(void *opaque, uint64_t offset, unsigned size);
typedef void io_write_fn(void *opaque, uint64_t offset, unsigned size,
			 uint64_t value);

/*
 * Access rules: sizes are 1, 2, 4 or 8 within [min_access, max_access]
 * (0 means 1 and 8), at an offset that is a multiple of `align` (0 or 1:
 * any offset).  An access breaking them is refused by the host: reads give
 * all-ones, writes are dropped, as on a bus that does not decode it.
 */
struct io_region {
	const char *name;
	enum io_space space;
	uint64_t base;
	uint64_t size;
	uint8_t min_access;
	uint8_t max_access;
	uint8_t align;
	io_read_fn *read;
	io_write_fn *write;
	void *opaque;
	bool mapped; /* maintained by the host: claimed right now */
	/*
	 * Guest RAM backs the region (io_ram_add): while claimed, the guest
	 * reaches RAM at [base, base + size) with no ioreq and the handlers
	 * are never called; while not, the RAM is parked where the guest
	 * does not decode it.  Maintained by the host.
	 */
	bool ram;
	/*
	 * Set by the device before io_ram_add: the host records which pages
	 * of the RAM the guest writes (io_ram_dirty) from each claim on.  At
	 * most one such region per host (Xen tracks one range per domain).
	 */
	bool track_dirty;
};

/*
 * A periodic timer the device owns (the vblank of a virtual display).  The
 * host calls fire() from the thread that runs the handlers, never inside
 * one, with the number of periods that ended since the last call (at
 * least 1; more when the host was late).
 */
struct io_timer {
	const char *name;
	void (*fire)(void *opaque, uint64_t periods);
	void *opaque;
	int handle; /* the host's; -1 before the first io_timer_set() */
};

/* What a device may ask of its host. */
struct io_host_ops {
	/* Claim r->space [r->base, r->base + r->size) for r.  -EEXIST on
	 * overlap. */
	int (*map)(void *ctx, struct io_region *r);
	/* Release a claimed region (exactly what map claimed). */
	int (*unmap)(void *ctx, struct io_region *r);
	/* Deliver a message-signalled interrupt with the guest's address/data.
	 */
	int (*msi)(void *ctx, uint64_t addr, uint32_t data);
	/* Drive INTx pin (0 = INTA .. 3 = INTD) to a level. */
	int (*intx)(void *ctx, unsigned pin, bool asserted);
	/*
	 * Start t firing every period_ns (the first one period from now), or
	 * stop it (period_ns 0).  Setting a running timer restarts it.
	 * Timers still set are stopped when the host goes away.
	 */
	int (*timer)(void *ctx, struct io_timer *t, uint64_t period_ns);
	/*
	 * Back region r with r->size bytes of fresh, zeroed guest RAM (a
	 * multiple of 4 KiB).  Only while the device is being created: a
	 * deprivileged host cannot add RAM later.  -EOPNOTSUPP where the host
	 * cannot (the device then traps the region instead).  From then on,
	 * claiming r places the RAM at r->base and releasing it parks it,
	 * contents kept.  NULL: not supported.
	 */
	int (*ram_add)(void *ctx, struct io_region *r);
	/* The device's own view of a RAM region's bytes, wherever it is. */
	int (*ram_read)(void *ctx, struct io_region *r, uint64_t off, void *buf,
			size_t len);
	int (*ram_write)(void *ctx, struct io_region *r, uint64_t off,
			 const void *buf, size_t len);
	/*
	 * Which pages of RAM region r (added with track_dirty) the guest
	 * wrote since the last call: bit i of bitmap (word i / 64, bit i %
	 * 64) for page i, npages == r->size / 4 KiB bits, each set or cleared.
	 * Writes made while the region was claimed are reported even if it
	 * was released since; the device's own writes (ram_write, guest
	 * memory) are never reported.  -EOPNOTSUPP where the host cannot
	 * track; NULL: not supported.
	 */
	int (*ram_dirty)(void *ctx, struct io_region *r, uint64_t *bitmap,
			 size_t npages);
	/*
	 * From now on track only pages [first, first + n) of r (first a
	 * multiple of 64; n 0: none): the host's cost per ram_dirty call
	 * grows with the span (Xen walks its p2m entries).  What the guest
	 * wrote in the old span is kept for the next ram_dirty; pages
	 * outside the span are reported clean.  NULL: the whole region.
	 */
	int (*ram_dirty_span)(void *ctx, struct io_region *r, uint64_t first,
			      uint64_t n);
};

struct io_host {
	const struct io_host_ops *ops;
	void *ctx;
	struct gmem *mem; /* the guest's RAM; NULL where a test has none */
};

/* Does region r accept an access of `size` bytes at `off` from its base? */
static inline bool io_access_ok(const struct io_region *r, uint64_t off,
				unsigned size)
{
	unsigned lo = r->min_access ? r->min_access : 1;
	unsigned hi = r->max_access ? r->max_access : 8;

	if (size != 1 && size != 2 && size != 4 && size != 8)
		return false;
	if (size < lo || size > hi || off >= r->size || size > r->size - off)
		return false;
	return r->align <= 1 || !(off % r->align);
}

static inline int io_map(struct io_host *h, struct io_region *r)
{
	return h->ops->map(h->ctx, r);
}

static inline int io_unmap(struct io_host *h, struct io_region *r)
{
	return h->ops->unmap(h->ctx, r);
}

static inline int io_ram_add(struct io_host *h, struct io_region *r)
{
	return h->ops->ram_add ? h->ops->ram_add(h->ctx, r) : -EOPNOTSUPP;
}

static inline int io_ram_read(struct io_host *h, struct io_region *r,
			      uint64_t off, void *buf, size_t len)
{
	return h->ops->ram_read(h->ctx, r, off, buf, len);
}

static inline int io_ram_write(struct io_host *h, struct io_region *r,
			       uint64_t off, const void *buf, size_t len)
{
	return h->ops->ram_write(h->ctx, r, off, buf, len);
}

static inline int io_ram_dirty(struct io_host *h, struct io_region *r,
			       uint64_t *bitmap, size_t npages)
{
	return h->ops->ram_dirty ? h->ops->ram_dirty(h->ctx, r, bitmap, npages)
				 : -EOPNOTSUPP;
}

static inline int io_ram_dirty_span(struct io_host *h, struct io_region *r,
				    uint64_t first, uint64_t n)
{
	return h->ops->ram_dirty_span
		   ? h->ops->ram_dirty_span(h->ctx, r, first, n)
		   : -EOPNOTSUPP;
}

static inline int io_timer_set(struct io_host *h, struct io_timer *t,
			       uint64_t period_ns)
{
	return h->ops->timer(h->ctx, t, period_ns);
}

/* PCI SBDF as Xen encodes it: segment[31:16] bus[15:8] dev[7:3] fn[2:0]. */
static inline uint32_t io_pci_sbdf(unsigned seg, unsigned bus, unsigned dev,
				   unsigned fn)
{
	return (uint32_t)(seg & 0xffff) << 16 | (bus & 0xff) << 8 |
	       (dev & 0x1f) << 3 | (fn & 7);
}

#endif
