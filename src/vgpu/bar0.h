/* SPDX-License-Identifier: MIT */
/*
 * bar0.h - BAR0's register and reserved parts and BAR4's window (bar0.c).
 */
#ifndef XENGT_VGPU_BAR0_H
#define XENGT_VGPU_BAR0_H

#include "vgpu/block.h"

extern const struct vgpu_block vgpu_bar0_block;

#endif
