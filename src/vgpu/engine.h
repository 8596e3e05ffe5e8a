/* SPDX-License-Identifier: MIT */
/*
 * engine.h - the command streamers' block (engine.c).
 */
#ifndef XENGT_VGPU_ENGINE_H
#define XENGT_VGPU_ENGINE_H

#include "vgpu/block.h"
#include "vgpu/execlist.h"

#define VGPU_NENGINES 4 /* rcs0, bcs0, vcs0, vecs0: i915's engine ids */

extern const struct vgpu_block vgpu_engine_block;

/* Engine i's counters, or NULL past the last engine. */
const struct execlist_stats *vgpu_engine_stats(struct vgpu *v, unsigned i);

#endif
