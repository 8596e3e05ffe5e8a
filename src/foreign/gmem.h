/* SPDX-License-Identifier: MIT */
/*
 * gmem.h - guest memory as the device and the ioreq layer see it.
 *
 * Every access is bounded and checked: a range that touches anything but
 * guest RAM is refused as a whole before any byte moves, reads of it fill
 * the buffer with all-ones and writes are dropped, and the caller gets
 * -EFAULT.  Every successful write is reported dirty to the hypervisor.
 * Implementations: the Xen map cache (mapcache.c) and in-memory test guests.
 */
#ifndef XENGT_FOREIGN_GMEM_H
#define XENGT_FOREIGN_GMEM_H

#include <stddef.h>
#include <stdint.h>

struct gmem;

struct gmem_ops {
	int (*read)(struct gmem *gm, uint64_t gpa, void *buf, size_t len);
	int (*write)(struct gmem *gm, uint64_t gpa, const void *buf, size_t len);
	/* Drop every cached mapping that is not in use (IOREQ INVALIDATE). */
	void (*invalidate)(struct gmem *gm);
};

struct gmem {
	const struct gmem_ops *ops;
};

static inline int gmem_read(struct gmem *gm, uint64_t gpa, void *buf,
			    size_t len)
{
	return gm->ops->read(gm, gpa, buf, len);
}

static inline int gmem_write(struct gmem *gm, uint64_t gpa, const void *buf,
			     size_t len)
{
	return gm->ops->write(gm, gpa, buf, len);
}

static inline void gmem_invalidate(struct gmem *gm)
{
	gm->ops->invalidate(gm);
}

#endif
