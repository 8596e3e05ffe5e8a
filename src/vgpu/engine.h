/* SPDX-License-Identifier: MIT */
/*
 * engine.h - the command streamers' block (engine.c).
 */
#ifndef XENGT_VGPU_ENGINE_H
#define XENGT_VGPU_ENGINE_H

#include "vgpu/block.h"

extern const struct vgpu_block vgpu_engine_block;

#endif
