/* SPDX-License-Identifier: MIT */
/*
 * cfg_gen9.c - the vGPU's PCI configuration header: one line per register.
 *
 * Sources: PCI Local Bus spec 3.0 (header, MSI, PM capability layouts);
 * Linux drivers/gpu/drm/i915/gvt/cfg_space.c (which header bits a GVT-g
 * vGPU lets the guest write, GMS cleared, ASLS at 0xFC); i915's GMCH
 * decode (BDW_GMCH_GGMS bits 7:6, BDW_GMCH_GMS bits 15:8);
 * i915 intel_pci_config.h SWSCI (0xE8: SCISEL bit 15, GSSCIE bit 0) and
 * ASLS (0xFC), both handled by opregion.c;
 * i915_driver.c intel_detect_preproduction_hw / intel_step.c (revision).
 * docs/vgpu-pci.md is the datasheet view of this file.
 */
#include "vgpu/cfg.h"

#include <string.h>

#include "vgpu/layout.h"
#include "vgpu/opregion.h"

/* Intel graphics config registers (offsets as i915/gvt name them). */
#define GEN9_GMCH_CTRL 0x50 /* SNB_GMCH_CTRL: GGC */
#define GEN9_BSM 0x5c	    /* INTEL_BSM: base of stolen memory */

/* GGMS = 3: 8 MiB of GGTT (4 GiB GM space); GMS = 0: no stolen memory. */
#define GEN9_GMCH_GGMS_8M (3u << 6)

#define GEN9_MSI_CAP 0xac
#define GEN9_PM_CAP 0xd0

#define PM_STATE_MASK 0x0003u
#define PM_NO_SOFT_RESET 0x0008u

/*
 * PMCSR: the guest may move between D0 and D3hot; D1/D2 are not supported
 * (PMC says so), and the spec says writes of an unsupported state are
 * ignored, so the old state stays.
 */
static void pmcsr_write(struct pci_func *f, const struct pci_cfg_reg *r,
			uint32_t old)
{
	uint32_t v = pci_cfg_get(f, r->offset, r->size);
	uint32_t state = v & PM_STATE_MASK;

	if (state == 1 || state == 2)
		pci_cfg_set(f, r->offset, r->size,
			    (v & ~PM_STATE_MASK) | (old & PM_STATE_MASK));
}

/* One register per line, like a datasheet. */
/* clang-format off */
#define RO(off, sz, val, nm)                                                 \
	{                                                                    \
		.name = nm, .offset = off, .size = sz, .reset = val,         \
	}
#define RW(off, sz, val, wm, nm)                                             \
	{                                                                    \
		.name = nm, .offset = off, .size = sz, .reset = val,         \
		.wmask = wm,                                                 \
	}

static const struct pci_cfg_reg gen9_cfg_template[] = {
	RO(PCI_VENDOR_ID, 2, 0x8086, "VID"),
	RO(PCI_DEVICE_ID, 2, 0, "DID"), /* from vgpu_config */
	/* IO, MEM, bus master, INTx disable (gvt: low byte, bits 8-10). */
	RW(PCI_COMMAND, 2, 0,
	   PCI_COMMAND_IO | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER |
		   PCI_COMMAND_INTX_DISABLE,
	   "PCICMD"),
	/* Error bits 8, 11-15 are RW1C; CAP_LIST set by pci.c; INTx status RO. */
	{.name = "PCISTS", .offset = PCI_STATUS, .size = 2, .w1cmask = 0xf900},
	RO(PCI_REVISION_ID, 1, 0, "RID"), /* from vgpu_config */
	RO(PCI_CLASS_PROG, 1, 0x00, "PI"),
	RO(PCI_CLASS_DEVICE, 2, 0x0300, "CC"), /* VGA compatible */
	RW(PCI_CACHE_LINE_SIZE, 1, 0, 0xff, "CLS"),
	RO(PCI_LATENCY_TIMER, 1, 0, "MLT"),
	RO(PCI_HEADER_TYPE, 1, 0x00, "HDR"), /* type 0, single function */
	RO(PCI_BIST, 1, 0, "BIST"),
	/* 0x10-0x27 BARs: pci.c from the BAR table; 0x30 ROM: none, reads 0 */
	RO(PCI_SUBSYSTEM_VENDOR_ID, 2, 0, "SVID"), /* from vgpu_config */
	RO(PCI_SUBSYSTEM_ID, 2, 0, "SID"),         /* from vgpu_config */
	RW(PCI_INTERRUPT_LINE, 1, 0, 0xff, "INTRLINE"),
	RO(PCI_INTERRUPT_PIN, 1, 0x01, "INTRPIN"), /* INTA */
	RO(PCI_MIN_GNT, 1, 0, "MINGNT"),
	RO(PCI_MAX_LAT, 1, 0, "MAXLAT"),
	RO(GEN9_GMCH_CTRL, 2, GEN9_GMCH_GGMS_8M, "GGC"),
	RO(GEN9_BSM, 4, 0, "BDSM"), /* no stolen memory */
	/* MSI: 32-bit address, one vector, no masking (what GVT accepts). */
	RW(GEN9_MSI_CAP + 2, 2, 0x0000, 0x0001, "MSI_CTRL"),
	RW(GEN9_MSI_CAP + 4, 4, 0, 0xfffffffc, "MSI_ADDR"),
	RW(GEN9_MSI_CAP + 8, 2, 0, 0xffff, "MSI_DATA"),
	/* PM: PMC version 2 (PCI PM 1.1), D0 and D3hot only, no PME. */
	RO(GEN9_PM_CAP + 2, 2, 0x0002, "PMC"),
	{.name = "PMCSR",
	 .offset = GEN9_PM_CAP + 4,
	 .size = 2,
	 .reset = PM_NO_SOFT_RESET,
	 .wmask = PM_STATE_MASK,
	 .write = pmcsr_write},
	/* SWSCI: the bits i915 and gvt use; a 0->1 GSSCIE edge is a request. */
	{.name = "SWSCI", .offset = VGPU_CFG_SWSCI, .size = 4,
	 .wmask = VGPU_SWSCI_SCISEL | VGPU_SWSCI_GSSCIE,
	 .write = vgpu_opregion_swsci_written},
	/* ASLS: where the OpRegion is decoded (hvmloader writes it). */
	{.name = "ASLS", .offset = VGPU_CFG_ASLS, .size = 4,
	 .wmask = 0xffffffff, .write = vgpu_opregion_asls_written},
};

static const struct pci_cap_def gen9_caps[] = {
	{.offset = GEN9_MSI_CAP, .id = PCI_CAP_ID_MSI},
	{.offset = GEN9_PM_CAP, .id = PCI_CAP_ID_PM},
};

/* clang-format on */

#define NREGS (sizeof(gen9_cfg_template) / sizeof(gen9_cfg_template[0]))

/* The table for this vGPU: the template with its identity filled in. */
struct cfg_state {
	struct pci_cfg_reg regs[NREGS];
};

static int cfg_init(struct vgpu *v, void *state)
{
	struct cfg_state *cs = state;
	const struct vgpu_config *cfg = vgpu_config(v);
	struct pci_func_def def;
	size_t i;

	memcpy(cs->regs, gen9_cfg_template, sizeof(gen9_cfg_template));
	for (i = 0; i < NREGS; i++) {
		struct pci_cfg_reg *r = &cs->regs[i];

		switch (r->offset) {
		case PCI_DEVICE_ID:
			r->reset = cfg->device_id;
			break;
		case PCI_REVISION_ID:
			r->reset = cfg->revision_id;
			break;
		case PCI_SUBSYSTEM_VENDOR_ID:
			r->reset = cfg->subsystem_vendor_id;
			break;
		case PCI_SUBSYSTEM_ID:
			r->reset = cfg->subsystem_id;
			break;
		}
	}

	memset(&def, 0, sizeof(def));
	def.name = vgpu_name(v);
	def.sbdf = cfg->sbdf;
	def.regs = cs->regs;
	def.nregs = (unsigned)NREGS;
	def.caps = gen9_caps;
	def.ncaps = sizeof(gen9_caps) / sizeof(gen9_caps[0]);
	/* BAR0 GTTMMADR: registers [0, 2M), reserved, GGTT [8M, 16M). */
	def.bars[VGPU_BAR_GTTMMADR] = (struct pci_bar_def){
	    .kind = PCI_BAR_MEM64, .size = VGPU_GTTMMADR_SIZE};
	/* BAR2 GMADR: the aperture. */
	def.bars[VGPU_BAR_GMADR] =
	    (struct pci_bar_def){.kind = PCI_BAR_MEM64,
				 .prefetch = true,
				 .size = cfg->aperture_size};
	/* BAR4 IOBAR: MMIO_INDEX / MMIO_DATA. */
	def.bars[VGPU_BAR_IO] =
	    (struct pci_bar_def){.kind = PCI_BAR_IO, .size = VGPU_IOBAR_SIZE};
	return pci_func_init(vgpu_pci(v), &def, vgpu_host(v), v);
}

const struct vgpu_block vgpu_cfg_block = {
    .name = "pci-config",
    .state_size = sizeof(struct cfg_state),
    .init = cfg_init,
};

bool vgpu_msi_target(const struct pci_func *f, uint64_t *addr, uint32_t *data)
{
	if (!(pci_cfg_get(f, GEN9_MSI_CAP + 2, 2) & 1))
		return false;
	*addr = pci_cfg_get(f, GEN9_MSI_CAP + 4, 4);
	*data = pci_cfg_get(f, GEN9_MSI_CAP + 8, 2);
	return true;
}
