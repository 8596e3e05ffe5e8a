/* SPDX-License-Identifier: MIT */
/*
 * cfg.h - the vGPU's PCI configuration header (cfg_gen9.c), the block
 * that lays out the PCI function every other block's BAR regions join.
 */
#ifndef XENGT_VGPU_CFG_H
#define XENGT_VGPU_CFG_H

#include <stdbool.h>
#include <stdint.h>

#include "vgpu/block.h"

extern const struct vgpu_block vgpu_cfg_block;

/* The guest's MSI address and data; false while MSI is disabled. */
bool vgpu_msi_target(const struct pci_func *f, uint64_t *addr, uint32_t *data);

#endif
