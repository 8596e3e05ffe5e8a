/* SPDX-License-Identifier: MIT */
/*
 * vgpu.c - creating and destroying the vGPU: one PCI function (config
 * header from cfg_gen9.c), BAR0's register file (engines, interrupts,
 * display pipes) and GGTT, BAR4's index/data window, and optionally the
 * legacy VGA memory window.
 */
#include "vgpu/vgpu_priv.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "util/log.h"

/*
 * A production Skylake stepping: i915 calls SKL revisions below 0x6
 * pre-production (i915_driver.c intel_detect_preproduction_hw) and knows
 * 0x6 as G0 (intel_step.c skl_revids).
 */
#define VGPU_SKL_REVISION 0x06

void vgpu_config_default(struct vgpu_config *cfg)
{
	*cfg = (struct vgpu_config){
	    .sbdf = io_pci_sbdf(0, 0, 2, 0),
	    .device_id = 0x1912,
	    .legacy_vga = false,
	    .revision_id = VGPU_SKL_REVISION,
	    .subsystem_vendor_id = 0x8086,
	    .subsystem_id = 0, /* the device id */
	    .aperture_size = VGPU_APERTURE_DEFAULT,
	};
}

/* The register tables, one block per file. */
static const struct mmio_block *const mmio_blocks[] = {
    &vgpu_engine_regs,
    &vgpu_irq_regs,
    &vgpu_display_regs,
};

static int fill_config(struct vgpu *v, const struct vgpu_config *in)
{
	v->cfg = *in;
	if (!v->cfg.device_id || v->cfg.device_id == 0xffff)
		return -EINVAL;
	/* Zero means "the default" for fields added after the first. */
	if (!v->cfg.revision_id)
		v->cfg.revision_id = VGPU_SKL_REVISION;
	if (!v->cfg.subsystem_vendor_id)
		v->cfg.subsystem_vendor_id = 0x8086;
	if (!v->cfg.subsystem_id)
		v->cfg.subsystem_id = v->cfg.device_id;
	if (!v->cfg.aperture_size)
		v->cfg.aperture_size = VGPU_APERTURE_DEFAULT;
	/* 64 MiB .. 4 GiB, a power of two (hvmloader/Linux size BARs so). */
	if (v->cfg.aperture_size < (64ull << 20) ||
	    v->cfg.aperture_size > (4ull << 30) ||
	    (v->cfg.aperture_size & (v->cfg.aperture_size - 1)))
		return -EINVAL;
	snprintf(v->name, sizeof(v->name), "vgpu %02x:%02x.%x",
		 (v->cfg.sbdf >> 8) & 0xff, (v->cfg.sbdf >> 3) & 0x1f,
		 v->cfg.sbdf & 7);
	return 0;
}

static int setup(struct vgpu *v)
{
	struct mmio_block blocks[sizeof(mmio_blocks) / sizeof(mmio_blocks[0])];
	struct pci_func_def def;
	size_t i;
	int rc;

	for (i = 0; i < sizeof(blocks) / sizeof(blocks[0]); i++)
		blocks[i] = *mmio_blocks[i];
	rc = mmio_init(&v->mmio, blocks, sizeof(blocks) / sizeof(blocks[0]), v);
	if (rc)
		return rc;
	v->ggtt = calloc(1, VGPU_GGTT_SIZE);
	if (!v->ggtt)
		return -ENOMEM;
	if (v->cfg.legacy_vga) {
		v->vga_mem = calloc(1, VGPU_VGA_MEM_SIZE);
		if (!v->vga_mem)
			return -ENOMEM;
	}

	rc = vgpu_cfg_build(v, &def);
	if (rc)
		return rc;
	rc = pci_func_init(&v->pci, &def, v->host, v);
	if (rc)
		return rc;

	vgpu_gttmmadr_setup(v);
	vgpu_display_setup(v);
	rc = pci_func_add_bar_region(&v->pci, VGPU_BAR_GTTMMADR, &v->bar0_regs,
				     0);
	if (!rc)
		rc = pci_func_add_bar_region(&v->pci, VGPU_BAR_GTTMMADR,
					     &v->bar0_ggtt, VGPU_GGTT_OFFSET);
	if (!rc)
		rc =
		    pci_func_add_bar_region(&v->pci, VGPU_BAR_IO, &v->iobar, 0);
	/*
	 * BAR2 (the aperture) gets no region: unclaimed, Xen answers reads
	 * with all-ones and drops writes, which i915 tolerated on real Xen.
	 * The GGTT issue backs it (aperture -> GGTT -> guest memory).
	 */
	if (!rc && v->cfg.legacy_vga) {
		vgpu_vga_setup(v);
		rc = pci_func_add_fixed(&v->pci, &v->vga, PCI_COMMAND_MEMORY);
	}
	if (rc)
		return rc;
	return pci_func_start(&v->pci);
}

static void free_vgpu(struct vgpu *v)
{
	mmio_fini(&v->mmio);
	free(v->ggtt);
	free(v->vga_mem);
	free(v);
}

int vgpu_create(const struct vgpu_config *cfg, struct io_host *host,
		struct gmem *mem, struct vgpu **out)
{
	struct vgpu *v;
	int rc;

	if (!cfg || !host || !host->ops || !out)
		return -EINVAL;
	v = calloc(1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	v->host = host;
	v->mem = mem;
	rc = fill_config(v, cfg);
	if (!rc)
		rc = setup(v);
	if (rc) {
		log_err("vgpu: creating the vGPU failed (%d)", rc);
		free_vgpu(v);
		return rc;
	}
	log_info("%s: %04x:%04x rev %02x, BAR0 16 MiB, aperture %llu MiB%s",
		 v->name, 0x8086, v->cfg.device_id, v->cfg.revision_id,
		 (unsigned long long)(v->cfg.aperture_size >> 20),
		 v->cfg.legacy_vga ? ", legacy VGA" : "");
	*out = v;
	return 0;
}

void vgpu_destroy(struct vgpu *v)
{
	if (!v)
		return;
	vgpu_display_stop(v);
	pci_func_stop(&v->pci);
	free_vgpu(v);
}
