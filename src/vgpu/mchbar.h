/* SPDX-License-Identifier: MIT */
/*
 * mchbar.h - the memory configuration the vGPU reports (mchbar.c).
 */
#ifndef XENGT_VGPU_MCHBAR_H
#define XENGT_VGPU_MCHBAR_H

#include "vgpu/block.h"

extern const struct vgpu_block vgpu_mchbar_block;

#endif
