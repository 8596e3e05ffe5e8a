/* SPDX-License-Identifier: MIT */
/*
 * block.h - how a hardware block of the vGPU plugs into the device.
 *
 * A block is one file: its register table, its state struct (allocated
 * zeroed by the core, state_size bytes, handed to its handlers and hooks),
 * its lifecycle hooks, and save/load of the state its registers do not
 * already hold (the core saves the register file and config space once).
 * The device (vgpu.c) keeps the list of blocks and calls, in list order:
 *
 *   init(v, state)   after the register file and the PCI function exist;
 *                    may add regions to BARs, look up other blocks' state
 *   reset(state)     after the registers were reset (device reset)
 *   save(state, w)   append the block's own state
 *   load(state, r)   take it back (after registers and config space were
 *                    loaded), validating every value; -EINVAL if bad
 *   fini(state)      in reverse list order, at destroy
 *
 * Every hook is optional.  Blocks reach each other only through the small
 * header each one exports (raise an interrupt, read a GGTT entry), with
 * the other block's state looked up once at init.
 */
#ifndef XENGT_VGPU_BLOCK_H
#define XENGT_VGPU_BLOCK_H

#include <stddef.h>

#include "util/blob.h"
#include "vgpu/io.h"
#include "vgpu/mmio.h"
#include "vgpu/pci.h"
#include "vgpu/types.h"
#include "vgpu/vgpu.h"

struct vgpu_block {
	const char *name;
	const struct mmio_reg *regs;
	size_t nregs;
	size_t state_size;
	int (*init)(struct vgpu *v, void *state);
	void (*reset)(void *state);
	void (*fini)(void *state);
	void (*save)(const void *state, struct blob_w *w);
	int (*load)(void *state, struct blob_r *r);
};

#define VGPU_REGS(table) \
	.regs = table, .nregs = sizeof(table) / sizeof(table[0])

/* What the core offers a block at init. */
void *vgpu_block_state(struct vgpu *v, const struct vgpu_block *b);
struct mmio_space *vgpu_regs(struct vgpu *v);
struct pci_func *vgpu_pci(struct vgpu *v);
struct io_host *vgpu_host(struct vgpu *v);
const struct vgpu_config *vgpu_config(const struct vgpu *v);
const char *vgpu_name(const struct vgpu *v);
const struct vgpu_type *vgpu_type(const struct vgpu *v);
const struct vgpu_partition *vgpu_partition(const struct vgpu *v);

#endif
