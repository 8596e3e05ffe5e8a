/* SPDX-License-Identifier: MIT */
/*
 * display.h - the display block (display.c): pipes and their vblanks.
 */
#ifndef XENGT_VGPU_DISPLAY_H
#define XENGT_VGPU_DISPLAY_H

#include <stdint.h>

#include "vgpu/block.h"

struct display;

extern const struct vgpu_block vgpu_display_block;

/* Timer periods counted while some pipe was enabled. */
uint64_t vgpu_display_vblanks(const struct display *d);

#endif
