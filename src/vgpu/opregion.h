/* SPDX-License-Identifier: MIT */
/*
 * opregion.h - the vGPU's ACPI OpRegion (opregion.c): 8 KiB of memory the
 * guest's firmware points ASLS (config 0xFC) at, holding the header, the
 * mailboxes and, in mailbox 4, a VBT that describes one DisplayPort output
 * on DDI D.  SWSCI (config 0xE8) requests are answered in mailbox 2 as
 * GVT-g answers them.  docs/vgpu-opregion.md is the datasheet view.
 */
#ifndef XENGT_VGPU_OPREGION_H
#define XENGT_VGPU_OPREGION_H

#include <stdint.h>

#include "vgpu/block.h"

/* Layout (i915 display/intel_opregion.c; gvt/gvt.h INTEL_GVT_OPREGION_*). */
#define VGPU_OPREGION_SIZE 0x2000u     /* 2 pages, what i915 memremaps */
#define VGPU_OPREGION_MBOX_SWSCI 0x200 /* mailbox 2: SCIC, PARM, DSLP */
#define VGPU_OPREGION_VBT 0x400	       /* mailbox 4: the VBT */
#define VGPU_OPREGION_CLID 0x1ac       /* ACPI current lid state */

/* Config registers (i915 intel_pci_config.h SWSCI/ASLS; gvt/reg.h). */
#define VGPU_CFG_SWSCI 0xe8
#define VGPU_CFG_ASLS 0xfc
#define VGPU_SWSCI_SCISEL 0x8000u /* SCI (1) rather than SMI (0) */
#define VGPU_SWSCI_GSSCIE 0x0001u /* trigger: 0 -> 1 sends the request */

extern const struct vgpu_block vgpu_opregion_block;

/* Config space write hooks (cfg_gen9.c's ASLS and SWSCI lines). */
void vgpu_opregion_asls_written(struct pci_func *f, const struct pci_cfg_reg *r,
				uint32_t old);
void vgpu_opregion_swsci_written(struct pci_func *f,
				 const struct pci_cfg_reg *r, uint32_t old);

/* The image a fresh vGPU shows (VGPU_OPREGION_SIZE bytes). */
void vgpu_opregion_build(uint8_t *img);

#endif
