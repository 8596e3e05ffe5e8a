/* SPDX-License-Identifier: MIT */
/*
 * pcode.h - the PCU mailbox (pcode.c): commands answered at once.
 */
#ifndef XENGT_VGPU_PCODE_H
#define XENGT_VGPU_PCODE_H

#include <stdint.h>

#include "vgpu/block.h"

struct vgpu_pcode;

extern const struct vgpu_block vgpu_pcode_block;

/* How many times the guest sent command `cmd` (bits 7:0 of the mailbox). */
uint64_t vgpu_pcode_count(const struct vgpu_pcode *p, uint8_t cmd);

#endif
