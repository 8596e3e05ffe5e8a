/* SPDX-License-Identifier: MIT */
/*
 * pvinfo.h - the PVINFO page (pvinfo.c): how the guest's i915 knows it
 * runs on a GVT-g vGPU, and what it tells the vGPU back.
 */
#ifndef XENGT_VGPU_PVINFO_H
#define XENGT_VGPU_PVINFO_H

#include <stdbool.h>
#include <stdint.h>

#include "vgpu/block.h"

#define VGPU_PVINFO_MAX_PPGTT 64 /* live PPGTT roots recorded */

struct pvinfo;

/* A PPGTT the guest announced (g2v_notify create) and has not destroyed. */
struct vgpu_ppgtt_root {
	unsigned levels; /* 3 or 4 */
	uint64_t pdp[4]; /* levels 4: pdp[0] is the PML4 */
};

extern const struct vgpu_block vgpu_pvinfo_block;

bool vgpu_pvinfo_display_ready(const struct pvinfo *p);
/* The live roots; returns how many (at most VGPU_PVINFO_MAX_PPGTT). */
unsigned vgpu_pvinfo_ppgtts(const struct pvinfo *p,
			    const struct vgpu_ppgtt_root **roots);

#endif
