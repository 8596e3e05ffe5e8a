/* SPDX-License-Identifier: MIT */
/*
 * vgpu.h - the virtual GPU as its host creates it.
 *
 * The vGPU is one PCI function.  Creating it claims its config space at the
 * configured SBDF through the io_host; its BARs (and the legacy VGA memory
 * window) are claimed and released by the device itself as the guest
 * programs BARs and the COMMAND register, exactly when the hardware would
 * start or stop decoding them.  Destroying it releases every claim.
 */
#ifndef XENGT_VGPU_VGPU_H
#define XENGT_VGPU_VGPU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/blob.h"
#include "vgpu/io.h"

struct vgpu_config {
	uint32_t sbdf;	    /* io_pci_sbdf(0, 0, 2, 0) by default */
	uint16_t device_id; /* PCI device id, a Gen9 part (0x1912 default) */
	bool legacy_vga;    /* decode 0xA0000-0xBFFFF while MEM is on */
	/*
	 * 0 in any of these means "the default", so a config filled in
	 * without vgpu_config_default() still works.
	 */
	uint8_t revision_id;	      /* 0x06: SKL G0, a production stepping */
	uint16_t subsystem_vendor_id; /* 0x8086 */
	uint16_t subsystem_id;	      /* 0: the same as device_id */
	uint64_t aperture_size;	      /* BAR2, power of two; 0: the type's */
	const char *type;	      /* a GVTg_V5_* name; NULL: GVTg_V5_4 */
	uint32_t vgt_id;	      /* PVINFO vgt_id; 0: 1 */
	bool
	    ggtt_trapped; /* trap the GGTT even where guest RAM could back it */
	bool aperture_trapped; /* likewise the aperture (BAR2's slice) */
	/*
	 * The virtual monitor: its preferred mode ("WxH", NULL: 1024x768),
	 * or an EDID (edid_len bytes, validated at creation; the caller
	 * keeps it alive while the vGPU exists), and whether it starts
	 * unplugged.
	 */
	const char *monitor;
	const uint8_t *edid;
	size_t edid_len;
	bool monitor_unplugged;
};

void vgpu_config_default(struct vgpu_config *cfg);

struct vgpu;

/* The vGPU reaches guest memory through host->mem (may be NULL). */
int vgpu_create(const struct vgpu_config *cfg, struct io_host *host,
		struct vgpu **out);
void vgpu_destroy(struct vgpu *v);

/* Device reset: config space, registers and every block's state. */
void vgpu_reset(struct vgpu *v);

/*
 * Save the whole device state; load it into a vGPU created with the same
 * configuration.  A stream that does not validate gives -EINVAL; if it
 * failed after changing anything, the vGPU is left reset.
 */
int vgpu_save(struct vgpu *v, struct blob_w *w);
int vgpu_load(struct vgpu *v, const void *buf, size_t len);

#endif
