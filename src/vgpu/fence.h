/* SPDX-License-Identifier: MIT */
/*
 * fence.h - the fence registers' block (fence.c).
 */
#ifndef XENGT_VGPU_FENCE_H
#define XENGT_VGPU_FENCE_H

#include "vgpu/block.h"

extern const struct vgpu_block vgpu_fence_block;

#endif
