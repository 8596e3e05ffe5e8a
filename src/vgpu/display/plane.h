/* SPDX-License-Identifier: MIT */
/*
 * plane.h - the display planes of pipes A, B and C (plane.c): universal
 * planes 1 (primary) and 2, and the cursor, with Gen9's double buffering:
 * what the guest writes is armed by PLANE_SURF (CUR_BASE for the cursor)
 * and becomes live at the pipe's next vblank.
 *
 * Registers, the latch rule and the saved state: docs/vgpu-planes.md.
 */
#ifndef XENGT_VGPU_DISPLAY_PLANE_H
#define XENGT_VGPU_DISPLAY_PLANE_H

#include <stdbool.h>
#include <stdint.h>

#include "vgpu/block.h"

#define VGPU_PLANES_PER_PIPE 2 /* universal planes 1 and 2 */

struct vgpu_planes;

extern const struct vgpu_block vgpu_planes_block;

/*
 * What pipe `pipe` scans out now: the live (latched) register values,
 * raw; a decoder turns PLANE_CTL etc. into formats.
 */
struct vgpu_scanout {
	bool pipe_enabled;   /* PIPECONF bit 31 */
	bool plane_enabled;  /* live PLANE_CTL bit 31 */
	bool cursor_enabled; /* live CUR_CTL mode (bits 5, 2:0) not 0 */
	uint32_t pipesrc;    /* PIPESRC: (width - 1) << 16 | (height - 1) */
	/* universal plane 1, live */
	uint32_t plane_ctl, plane_stride, plane_pos, plane_size;
	uint32_t plane_offset, plane_surf;
	/* the cursor, live */
	uint32_t cur_ctl, cur_base, cur_pos;
	/*
	 * Updates latched on this pipe's planes (plane 1, plane 2, cursor)
	 * since creation or reset: a new value means a new frame may show.
	 */
	uint64_t generation;
};

/* Fill *out for pipe 0..2: 0, or -EINVAL for another pipe. */
int vgpu_plane_scanout(struct vgpu_planes *pl, unsigned pipe,
		       struct vgpu_scanout *out);

#endif
