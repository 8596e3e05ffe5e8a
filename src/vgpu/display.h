/* SPDX-License-Identifier: MIT */
/*
 * display.h - the display block (display.c): pipes, their transcoders'
 * timings and their vblanks.
 */
#ifndef XENGT_VGPU_DISPLAY_H
#define XENGT_VGPU_DISPLAY_H

#include <stdbool.h>
#include <stdint.h>

#include "vgpu/block.h"

#define VGPU_PIPES 3 /* A, B, C */

/* The vblank timer's period with no valid mode programmed (60 Hz). */
#define VGPU_VBLANK_DEFAULT_NS 16666667ull
/* The refresh rates a programmed mode is held to. */
#define VGPU_REFRESH_MIN_HZ 24
#define VGPU_REFRESH_MAX_HZ 240

struct display;

extern const struct vgpu_block vgpu_display_block;

/* Timer periods counted while some pipe was enabled. */
uint64_t vgpu_display_vblanks(const struct display *d);

/* PIPECONF's enable bit of `pipe` (false for a pipe that does not exist). */
bool vgpu_display_pipe_enabled(const struct display *d, unsigned pipe);

/*
 * The frame period of `pipe`, ns, from its transcoder's registers (the
 * refresh rule in docs/vgpu-planes.md); VGPU_VBLANK_DEFAULT_NS when they
 * hold no valid mode.  *valid (if not NULL) says which.
 */
uint64_t vgpu_display_frame_ns(const struct display *d, unsigned pipe,
			       bool *valid);

/* The timer's period right now, ns; 0 while it is stopped. */
uint64_t vgpu_display_timer_ns(const struct display *d);

/*
 * Called at the start of each vblank of an enabled pipe, before the
 * vblank interrupt is raised (the planes latch their armed updates there).
 * One hook; NULL detaches it.
 */
typedef void vgpu_vblank_fn(void *opaque, unsigned pipe);
void vgpu_display_set_vblank_hook(struct display *d, vgpu_vblank_fn *fn,
				  void *opaque);

#endif
