/* SPDX-License-Identifier: MIT */
/*
 * fixed.h - registers whose value belongs to the part, not the guest.
 *
 * The register file comes back from a saved stream as it was saved; a
 * block whose table holds fixed values (fuses, straps, capability words:
 * read-only in every bit, no handler) puts them back after a load, so a
 * stream cannot give the guest a different part.
 */
#ifndef XENGT_VGPU_FIXED_H
#define XENGT_VGPU_FIXED_H

#include <stddef.h>

#include "vgpu/mmio.h"

/* Every fully read-only, handler-less dword of regs[] back to its reset. */
void vgpu_restore_fixed(struct mmio_space *m, const struct mmio_reg *regs,
			size_t n);

#endif
