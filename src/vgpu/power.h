/* SPDX-License-Identifier: MIT */
/*
 * power.h - display power wells, DC states, CDCLK and the display PLLs
 * (power.c).
 */
#ifndef XENGT_VGPU_POWER_H
#define XENGT_VGPU_POWER_H

#include "vgpu/block.h"

extern const struct vgpu_block vgpu_power_block;

#endif
