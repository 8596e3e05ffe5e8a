/* SPDX-License-Identifier: MIT */
/*
 * memregion.c - byte-array regions.  The host checks every access against
 * the region's rules first, so the handlers only move bytes.
 */
#include "vgpu/memregion.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/le.h"

static uint64_t mr_read(void *opaque, uint64_t off, unsigned size)
{
	struct mem_region *mr = opaque;

	return le_get(mr->bytes + off, size);
}

static void mr_write(void *opaque, uint64_t off, unsigned size, uint64_t val)
{
	struct mem_region *mr = opaque;

	le_put(mr->bytes + off, val, size);
}

int mem_region_init(struct mem_region *mr, const char *name,
		    enum io_space space, uint64_t base, uint64_t size,
		    unsigned min, unsigned max, unsigned align)
{
	memset(mr, 0, sizeof(*mr));
	if (!size || min > max || max > 8)
		return -EINVAL;
	mr->bytes = calloc(1, size);
	if (!mr->bytes)
		return -ENOMEM;
	mr->io = (struct io_region){
	    .name = name,
	    .space = space,
	    .base = base,
	    .size = size,
	    .min_access = (uint8_t)min,
	    .max_access = (uint8_t)max,
	    .align = (uint8_t)align,
	    .read = mr_read,
	    .write = mr_write,
	    .opaque = mr,
	};
	return 0;
}

void mem_region_fini(struct mem_region *mr)
{
	free(mr->bytes);
	mr->bytes = NULL;
}
