/* SPDX-License-Identifier: MIT */
/*
 * vga.h - the legacy VGA memory block (vga.c).
 */
#ifndef XENGT_VGPU_VGA_H
#define XENGT_VGPU_VGA_H

#include "vgpu/block.h"

extern const struct vgpu_block vgpu_vga_block;

#endif
