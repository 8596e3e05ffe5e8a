/* SPDX-License-Identifier: MIT */
/*
 * gt.h - the GT's identity and housekeeping registers (gt.c): fuses,
 * clocks, forcewake, TLB invalidation, the uncore's debug register.
 */
#ifndef XENGT_VGPU_GT_H
#define XENGT_VGPU_GT_H

#include "vgpu/block.h"

extern const struct vgpu_block vgpu_gt_block;

#endif
