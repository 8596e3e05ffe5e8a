/* SPDX-License-Identifier: MIT */
/*
 * types.h - the vGPU types an admin picks from (GVT-g's GVTg_V5_* family
 * for Gen9), and the graphics-memory partition each one gives the guest.
 *
 * A type fixes the guest's share of graphics memory: a slice of the
 * mappable (aperture, "low") GM, a slice of the hidden ("high") GM, a
 * number of fence registers, a scheduling weight and the largest display
 * mode its EDID offers.  The partition is laid out as GVT-g lays out the
 * first vGPU of that type on a Gen9 host: the host keeps the first
 * HOST_LOW_GM_SIZE (128 MiB) of the aperture and the first
 * HOST_HIGH_GM_SIZE (384 MiB) of hidden GM, and the vGPU's slices follow.
 * The aperture BAR is the host's aperture: the smallest of 256 MiB,
 * 512 MiB and 1 GiB that holds the host's part and the vGPU's slice.
 */
#ifndef XENGT_VGPU_TYPES_H
#define XENGT_VGPU_TYPES_H

#include <stdint.h>

struct vgpu_type {
	const char *name;
	uint64_t low_gm;  /* mappable GM slice, bytes */
	uint64_t high_gm; /* hidden GM slice, bytes */
	uint32_t fences;
	uint32_t weight; /* scheduler share, 1..16 */
	uint32_t max_width, max_height;
};

/* The partition of a type, as PVINFO reports it to the guest. */
struct vgpu_partition {
	uint64_t aperture_size; /* BAR2, the host's aperture */
	uint64_t mappable_base, mappable_size;
	uint64_t hidden_base, hidden_size;
	uint32_t fences;
};

#define VGPU_TYPE_DEFAULT "GVTg_V5_4"

/* NULL if no type has that name. */
const struct vgpu_type *vgpu_type_find(const char *name);
/* Type i (0 .. n-1) for listing; NULL past the end. */
const struct vgpu_type *vgpu_type_at(unsigned i);
void vgpu_type_partition(const struct vgpu_type *t, struct vgpu_partition *p);

#endif
