/* SPDX-License-Identifier: MIT */
/*
 * memregion.h - a region whose contents are plain bytes in dom0: what the
 * guest writes reads back, little-endian, at any size the region accepts.
 * Legacy VGA memory and the trapped GGTT are such regions.
 */
#ifndef XENGT_VGPU_MEMREGION_H
#define XENGT_VGPU_MEMREGION_H

#include <stdint.h>

#include "vgpu/io.h"

struct mem_region {
	struct io_region io; /* opaque points back here */
	uint8_t *bytes;	     /* io.size bytes, zeroed at init */
};

/*
 * Allocate `size` zeroed bytes behind a region named `name` in `space`
 * at `base` (a BAR region's base is set when it is claimed), accepting
 * accesses of min..max bytes at multiples of `align`.
 */
int mem_region_init(struct mem_region *mr, const char *name,
		    enum io_space space, uint64_t base, uint64_t size,
		    unsigned min, unsigned max, unsigned align);
void mem_region_fini(struct mem_region *mr);

#endif
