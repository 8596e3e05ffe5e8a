/* SPDX-License-Identifier: MIT */
/*
 * ranges.h - the claimed ranges of one kind (ports, MMIO or PCI functions),
 * as a sorted array of inclusive [start, end] spans, each naming the
 * io_region behind it.  Spans never overlap, and there are at most
 * RANGES_MAX of them: Xen's per-server, per-type limit.
 *
 * Lookup is by full containment of an access span, which is how Xen picks
 * a server; the last hit is cached because accesses come in runs.
 */
#ifndef XENGT_IOREQ_RANGES_H
#define XENGT_IOREQ_RANGES_H

#include <stdint.h>

#include "vgpu/io.h"

#define RANGES_MAX 256 /* MAX_NR_IO_RANGES in Xen 4.17 */

struct range {
	uint64_t start, end; /* inclusive */
	struct io_region *region;
};

struct range_set {
	struct range v[RANGES_MAX];
	unsigned n;
	int last; /* index of the last hit, or -1 */
};

void ranges_init(struct range_set *s);
/* 0, -EINVAL (start > end), -EEXIST (overlap), -ENOSPC (full). */
int ranges_add(struct range_set *s, uint64_t start, uint64_t end,
	       struct io_region *r);
/* Remove the span of region r: 0 or -ENOENT. */
int ranges_del(struct range_set *s, const struct io_region *r);
/* The span holding all of [first, last], or NULL. */
const struct range *ranges_find(struct range_set *s, uint64_t first,
				uint64_t last);

#endif
