/* SPDX-License-Identifier: MIT */
/*
 * aperture.h - the aperture block (aperture.c): BAR2 (GMADR), the CPU's
 * window onto graphics memory through the GGTT.  docs/vgpu-aperture.md
 * states the coherence rule and its limits.
 */
#ifndef XENGT_VGPU_APERTURE_H
#define XENGT_VGPU_APERTURE_H

#include <stdbool.h>
#include <stdint.h>

#include "vgpu/block.h"

struct vgpu_aperture;

extern const struct vgpu_block vgpu_aperture_block;

/*
 * Make the mappable slice coherent now: what the guest wrote through the
 * aperture reaches its source pages, and slots whose GGTT entry changed
 * show their new source.  Device-side readers of graphics memory in the
 * mappable slice (display decode, engines) call it before they read.
 * 0 or a negative errno (the slice is then as coherent as it could be).
 */
int vgpu_aperture_sync(struct vgpu_aperture *a);

struct vgpu_aperture_stats {
	bool in_ram;	     /* RAM-backed (false: trapped, translated) */
	uint32_t slots;	     /* 4 KiB pages in the mappable slice */
	uint32_t bound;	     /* slots with a guest page behind them now */
	uint32_t span;	     /* slots the host tracks writes in */
	uint64_t syncs;	     /* syncs done */
	uint64_t loads;	     /* source pages copied into the aperture */
	uint64_t writebacks; /* aperture pages copied to their source */
	uint64_t dropped;    /* pages written while unbound (in the span) */
};

void vgpu_aperture_get_stats(const struct vgpu_aperture *a,
			     struct vgpu_aperture_stats *st);

#endif
