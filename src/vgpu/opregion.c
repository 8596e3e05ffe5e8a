/* SPDX-License-Identifier: MIT */
/*
 * opregion.c - the ACPI OpRegion of a GVT-g vGPU and its VBT.
 *
 * Where the bytes live: hvmloader (Xen 4.17 tools/firmware/hvmloader/
 * pci.c, util.c mem_hole_alloc) takes three pages for an Intel VGA-class
 * function from the top of its reserved area (below 0xFE000000, inside the
 * E820_RESERVED range from 0xFC000000) without populating them, and writes
 * their address to ASLS.  Nothing is at that address until a device model
 * puts something there (QEMU maps the host's OpRegion, GVT-g maps its own
 * pages).  So the OpRegion is 8 KiB of RAM the device owns (io_ram_add, as
 * the GGTT is), parked until ASLS names an address and moved there; a host
 * without RAM gets a trapped byte region instead.  docs/vgpu-opregion.md
 * says why and lists every field below.
 *
 * Contents (gvt/opregion.c intel_vgpu_init_opregion, virt_vbt_generation):
 * header with signature, size in KiB, version 2.0, only the VBT mailbox
 * announced, the lid "open"; the VBT: BDB version 186 (33-byte child
 * devices), general features, general definitions with one child device
 * (DisplayPort on DDI D, AUX D, integrated encoder) and driver features
 * saying no LVDS.  No LFP/eDP child, so i915 probes no panel.
 *
 * The guest controls ASLS and the mailbox: an address that is not page
 * aligned, runs past 4 GiB, lies in the first MiB, over the guest's RAM or
 * over one of the vGPU's BARs is refused with a rate-limited log line
 * (the register keeps the value, nothing is decoded there), and a SWSCI
 * request reads and writes only the two mailbox dwords.
 */
#include "vgpu/opregion.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "util/le.h"
#include "util/log.h"
#include "vgpu/layout.h"
#include "vgpu/memregion.h"

/* ---- the image, as tables ------------------------------------------------ */

struct field {
	uint16_t off;
	uint8_t size; /* 1, 2 or 4: a little-endian value; 0: the string */
	uint32_t val;
	const char *str; /* copied without its NUL (size 0) */
};

/* OpRegion header (i915 struct opregion_header; gvt opregion.c). */
static const struct field header_fields[] = {
    {0x00, 0, 0, "IntelGraphicsMem"},		/* signature[16] */
    {0x10, 4, VGPU_OPREGION_SIZE / 1024, NULL}, /* size, KiB */
    {0x14, 4, 0x02000000, NULL},		/* over: major 2, minor 0 */
    {0x58, 4, 1u << 3, NULL},		/* mboxes: MBOX_VBT (mailbox 4) */
    {VGPU_OPREGION_CLID, 1, 0x3, NULL}, /* lid open, as gvt forces */
};

/* VBT offsets from its start (i915 intel_vbt_defs.h). */
#define VBT_HDR_SIZE 48	 /* struct vbt_header */
#define BDB_HDR_SIZE 22	 /* struct bdb_header */
#define BDB_VERSION 186	 /* gvt: LEGACY_CHILD_DEVICE_CONFIG_SIZE children */
#define CHILD_SIZE 33	 /* LEGACY_CHILD_DEVICE_CONFIG_SIZE */
#define GEN_FEAT_SIZE 5	 /* struct bdb_general_features */
#define GEN_DEFS_SIZE 5	 /* struct bdb_general_definitions, no devices */
#define DRV_FEAT_SIZE 19 /* struct bdb_driver_features */
#define BLOCK_HDR 3	 /* id u8, size u16 */

#define BLK_GEN_FEAT (VBT_HDR_SIZE + BDB_HDR_SIZE)
#define BLK_GEN_DEFS (BLK_GEN_FEAT + BLOCK_HDR + GEN_FEAT_SIZE)
#define CHILD0 (BLK_GEN_DEFS + BLOCK_HDR + GEN_DEFS_SIZE)
#define BLK_DRV_FEAT (CHILD0 + CHILD_SIZE)
#define VBT_SIZE (BLK_DRV_FEAT + BLOCK_HDR + DRV_FEAT_SIZE)
#define VBT_CHECKSUM 26 /* vbt_header.vbt_checksum */

/* Values from intel_vbt_defs.h. */
#define BDB_GENERAL_FEATURES 1
#define BDB_GENERAL_DEFINITIONS 2
#define BDB_DRIVER_FEATURES 12
#define DEVICE_TYPE_DP 0x68c6
#define DVO_PORT_DPD 9
#define DP_AUX_D 0x30
#define HANDLE_EFP4 0x10 /* gvt opregion.c DEVICE_TYPE_EFP4: port D */

static const struct field vbt_fields[] = {
    /* struct vbt_header */
    {0, 0, 0, "$VBT SKYLAKE"},
    {20, 2, 155, NULL},		 /* version (gvt) */
    {22, 2, VBT_HDR_SIZE, NULL}, /* header_size */
    {24, 2, VBT_SIZE, NULL},	 /* vbt_size: headers and blocks */
    {28, 4, VBT_HDR_SIZE, NULL}, /* bdb_offset */
    /* struct bdb_header */
    {VBT_HDR_SIZE, 0, 0, "BIOS_DATA_BLOCK"},
    {VBT_HDR_SIZE + 16, 2, BDB_VERSION, NULL},
    {VBT_HDR_SIZE + 18, 2, BDB_HDR_SIZE, NULL},
    {VBT_HDR_SIZE + 20, 2, VBT_SIZE - VBT_HDR_SIZE, NULL}, /* bdb_size */
    /* block 1: general features, all zero (no CRT, no TV) */
    {BLK_GEN_FEAT, 1, BDB_GENERAL_FEATURES, NULL},
    {BLK_GEN_FEAT + 1, 2, GEN_FEAT_SIZE, NULL},
    /* block 2: general definitions and one child device */
    {BLK_GEN_DEFS, 1, BDB_GENERAL_DEFINITIONS, NULL},
    {BLK_GEN_DEFS + 1, 2, GEN_DEFS_SIZE + CHILD_SIZE, NULL},
    {BLK_GEN_DEFS + BLOCK_HDR + 4, 1, CHILD_SIZE, NULL}, /* child_dev_size */
    /* struct child_device_config, the first 33 bytes */
    {CHILD0 + 0, 2, HANDLE_EFP4, NULL},	   /* handle */
    {CHILD0 + 2, 2, DEVICE_TYPE_DP, NULL}, /* device_type */
    {CHILD0 + 16, 1, DVO_PORT_DPD, NULL},  /* dvo_port */
    {CHILD0 + 19, 1, 0, NULL},		   /* ddc_pin: none (DP) */
    {CHILD0 + 24, 1, 1u << 1, NULL},	   /* dp_support (dp_compat) */
    {CHILD0 + 25, 1, DP_AUX_D, NULL},	   /* aux_channel */
    {CHILD0 + 27, 1, 1u << 5, NULL},	   /* integrated_encoder */
    /* block 12: driver features, lvds_config 0 = BDB_DRIVER_FEATURE_NO_LVDS */
    {BLK_DRV_FEAT, 1, BDB_DRIVER_FEATURES, NULL},
    {BLK_DRV_FEAT + 1, 2, DRV_FEAT_SIZE, NULL},
};

static void put_fields(uint8_t *p, const struct field *f, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (f[i].size)
			le_put(p + f[i].off, f[i].val, f[i].size);
		else
			memcpy(p + f[i].off, f[i].str, strlen(f[i].str));
	}
}

void vgpu_opregion_build(uint8_t *img)
{
	uint8_t *vbt = img + VGPU_OPREGION_VBT, sum = 0;

	memset(img, 0, VGPU_OPREGION_SIZE);
	put_fields(img, header_fields,
		   sizeof(header_fields) / sizeof(header_fields[0]));
	put_fields(vbt, vbt_fields, sizeof(vbt_fields) / sizeof(vbt_fields[0]));
	/* the VBT's bytes sum to 0 (i915 does not check; firmware VBTs do) */
	for (unsigned i = 0; i < VBT_SIZE; i++)
		sum = (uint8_t)(sum + vbt[i]);
	vbt[VBT_CHECKSUM] = (uint8_t)(0x100 - sum);
}

/* ---- the block ------------------------------------------------------------
 */

struct vgpu_opregion {
	struct io_host *host;
	struct pci_func *pci;
	const char *name;
	bool in_ram;
	struct io_region ram;	   /* in_ram */
	struct mem_region trapped; /* otherwise */
	uint32_t placed;	   /* the GPA it decodes at; 0: nowhere */
};

static struct io_region *region(struct vgpu_opregion *o)
{
	return o->in_ram ? &o->ram : &o->trapped.io;
}

static int contents_io(struct vgpu_opregion *o, uint32_t off, void *buf,
		       size_t len, bool write)
{
	if (off > VGPU_OPREGION_SIZE || len > VGPU_OPREGION_SIZE - off)
		return -EINVAL;
	if (o->in_ram)
		return write ? io_ram_write(o->host, &o->ram, off, buf, len)
			     : io_ram_read(o->host, &o->ram, off, buf, len);
	if (write)
		memcpy(o->trapped.bytes + off, buf, len);
	else
		memcpy(buf, o->trapped.bytes + off, len);
	return 0;
}

static int fill(struct vgpu_opregion *o)
{
	uint8_t img[VGPU_OPREGION_SIZE];

	vgpu_opregion_build(img);
	return contents_io(o, 0, img, sizeof(img), true);
}

static int opregion_init(struct vgpu *v, void *state)
{
	struct vgpu_opregion *o = state;
	int rc;

	o->host = vgpu_host(v);
	o->pci = vgpu_pci(v);
	o->name = vgpu_name(v);
	o->ram = (struct io_region){
	    .name = "opregion",
	    .space = IO_SPACE_MMIO,
	    .size = VGPU_OPREGION_SIZE,
	};
	rc = io_ram_add(o->host, &o->ram);
	if (rc == 0) {
		o->in_ram = true;
	} else {
		if (rc != -EOPNOTSUPP)
			log_warn(
			    "%s: no guest RAM for the OpRegion (%s); it is "
			    "trapped",
			    o->name, strerror(-rc));
		/* memory: any size up to 8 bytes at any offset */
		rc = mem_region_init(&o->trapped, "opregion", IO_SPACE_MMIO, 0,
				     VGPU_OPREGION_SIZE, 1, 8, 1);
		if (rc)
			return rc;
	}
	rc = fill(o);
	if (rc < 0)
		log_warn("%s: cannot write the OpRegion: %s", o->name,
			 strerror(-rc));
	return rc;
}

static void unplace(struct vgpu_opregion *o)
{
	struct io_region *r = region(o);

	if (r->mapped && io_unmap(o->host, r) < 0)
		log_warn("%s: cannot release the OpRegion at 0x%" PRIx64,
			 o->name, r->base);
	o->placed = 0;
}

/* Is [a, a + VGPU_OPREGION_SIZE) over memory BAR `bar` as programmed? */
static bool over_bar(const struct vgpu_opregion *o, unsigned bar, uint64_t a)
{
	const struct pci_bar *b = &o->pci->bar[bar];
	unsigned off = PCI_BASE_ADDRESS_0 + 4 * bar;
	uint64_t base;

	if (b->def.kind != PCI_BAR_MEM64 && b->def.kind != PCI_BAR_MEM32)
		return false;
	base = pci_cfg_get(o->pci, off, 4) & ~0xfu;
	if (b->def.kind == PCI_BAR_MEM64)
		base |= (uint64_t)pci_cfg_get(o->pci, off + 4, 4) << 32;
	if (!base || b->sizing[0] || b->sizing[1])
		return false;
	return a < base + b->def.size && base < a + VGPU_OPREGION_SIZE;
}

/* Does any page of [a, a + size) hold guest RAM? */
static bool over_ram(struct vgpu_opregion *o, uint64_t a)
{
	uint8_t byte;

	if (!o->host->mem)
		return false;
	for (uint64_t p = 0; p < VGPU_OPREGION_SIZE; p += 4096)
		if (gmem_read(o->host->mem, a + p, &byte, 1) == 0)
			return true;
	return false;
}

static const char *refusal(struct vgpu_opregion *o, uint32_t asls,
			   bool probe_ram)
{
	uint64_t a = asls;

	if (a & 0xfff)
		return "not page aligned";
	if (a < 0x100000)
		return "in the first MiB";
	if (a + VGPU_OPREGION_SIZE > (1ull << 32))
		return "past 4 GiB";
	for (unsigned i = 0; i < PCI_NUM_BARS; i++)
		if (over_bar(o, i, a))
			return "over a BAR of the vGPU";
	if (probe_ram && over_ram(o, a))
		return "over the guest's RAM";
	return NULL;
}

/*
 * Decode the OpRegion at `asls` (0: nowhere).  probe_ram: refuse an
 * address where the guest has RAM; a load does not probe, since after a
 * migration the pages there are the OpRegion's own, copied with the rest
 * of the guest's memory (the address was checked when it was written).
 */
static int place(struct vgpu_opregion *o, uint32_t asls, bool probe_ram)
{
	struct io_region *r = region(o);
	const char *why;
	int rc;

	unplace(o);
	if (!asls)
		return 0;
	why = refusal(o, asls, probe_ram);
	if (why) {
		log_guest(LOG_WARN,
			  "%s: ASLS 0x%08" PRIx32 " refused (%s); no OpRegion "
			  "there",
			  o->name, asls, why);
		return -EINVAL;
	}
	r->base = asls;
	rc = io_map(o->host, r);
	if (rc < 0) {
		log_guest(LOG_WARN,
			  "%s: cannot place the OpRegion at 0x%08" PRIx32
			  ": %s",
			  o->name, asls, strerror(-rc));
		return rc;
	}
	o->placed = asls;
	log_debug("%s: OpRegion at 0x%08" PRIx32, o->name, asls);
	return 0;
}

static struct vgpu_opregion *from_pci(struct pci_func *f)
{
	return vgpu_block_state(f->owner, &vgpu_opregion_block);
}

void vgpu_opregion_asls_written(struct pci_func *f, const struct pci_cfg_reg *r,
				uint32_t old)
{
	struct vgpu_opregion *o = from_pci(f);
	uint32_t asls = pci_cfg_get(f, r->offset, 4);

	if (o && (asls != old || !o->placed))
		place(o, asls, true);
}

/*
 * SWSCI, as gvt/opregion.c intel_vgpu_emulate_opregion_request answers it:
 * only an SCI (SCISEL set) on a 0 -> 1 edge of GSSCIE is a request.  The
 * three capability queries (GBDA 0 and 1, SBCB 0) get SCIC = PARM = 0;
 * every other function gets its exit status cleared to 0 ("failure,
 * generic, unsupported").  GVT-g leaves the indicator set in that case,
 * so a guest waits out its timeout; here the indicator is cleared for
 * every answered request, so the failure is seen at once.
 */
#define SCIC_INDICATOR 0x1u
#define SCIC_FUNC(s) (((s) >> 1) & 0xfu)
#define SCIC_SUBFUNC(s) (((s) >> 8) & 0xffu)
#define SCIC_EXIT_MASK 0xe0u
#define SWSCI_GBDA 4
#define SWSCI_SBCB 6

static bool capability_query(uint32_t scic)
{
	unsigned fn = SCIC_FUNC(scic), sub = SCIC_SUBFUNC(scic);

	return (fn == SWSCI_GBDA && (sub == 0 || sub == 1)) ||
	       (fn == SWSCI_SBCB && sub == 0);
}

void vgpu_opregion_swsci_written(struct pci_func *f,
				 const struct pci_cfg_reg *r, uint32_t old)
{
	struct vgpu_opregion *o = from_pci(f);
	uint32_t swsci = pci_cfg_get(f, r->offset, r->size);
	uint8_t mb[8];
	uint32_t scic, parm;

	if (!o)
		return;
	if (!(swsci & VGPU_SWSCI_SCISEL)) {
		if (swsci & VGPU_SWSCI_GSSCIE && !(old & VGPU_SWSCI_GSSCIE))
			log_guest(LOG_INFO, "%s: SWSCI asks for an SMI; none",
				  o->name);
		return;
	}
	if ((old & VGPU_SWSCI_GSSCIE) || !(swsci & VGPU_SWSCI_GSSCIE))
		return;
	if (contents_io(o, VGPU_OPREGION_MBOX_SWSCI, mb, sizeof(mb), false))
		return;
	scic = (uint32_t)le_get(mb, 4);
	parm = (uint32_t)le_get(mb + 4, 4);
	if (capability_query(scic)) {
		scic = 0;
		parm = 0;
	} else {
		log_guest(LOG_INFO,
			  "%s: SWSCI function %u.%u is not provided; answered "
			  "failure",
			  o->name, SCIC_FUNC(scic), SCIC_SUBFUNC(scic));
		scic &= ~(SCIC_EXIT_MASK | SCIC_INDICATOR);
	}
	le_put(mb, scic, 4);
	le_put(mb + 4, parm, 4);
	contents_io(o, VGPU_OPREGION_MBOX_SWSCI, mb, sizeof(mb), true);
}

/* Device reset: ASLS is back to 0, so nothing is decoded; fresh contents. */
static void opregion_reset(void *state)
{
	struct vgpu_opregion *o = state;

	unplace(o);
	if (fill(o) < 0)
		log_warn("%s: cannot write the OpRegion", o->name);
}

static void opregion_fini(void *state)
{
	struct vgpu_opregion *o = state;

	unplace(o);
	mem_region_fini(&o->trapped);
}

/* The placement and the contents (the guest writes the mailboxes). */
static void opregion_save(const void *state, struct blob_w *w)
{
	struct vgpu_opregion *o = (struct vgpu_opregion *)state;
	uint8_t img[VGPU_OPREGION_SIZE];

	if (contents_io(o, 0, img, sizeof(img), false) < 0) {
		w->failed = true;
		return;
	}
	blob_put_u32(w, o->placed);
	blob_put_bytes(w, img, sizeof(img));
}

static int opregion_load(void *state, struct blob_r *r)
{
	struct vgpu_opregion *o = state;
	uint32_t placed = blob_get_u32(r);
	const uint8_t *img = blob_get_view(r, VGPU_OPREGION_SIZE);

	if (!img)
		return -EINVAL;
	/* the loaded config space must name the same address */
	if (placed && placed != pci_cfg_get(o->pci, VGPU_CFG_ASLS, 4))
		return -EINVAL;
	if (contents_io(o, 0, (void *)img, VGPU_OPREGION_SIZE, true) < 0)
		return -EIO;
	if (!placed) {
		unplace(o);
		return 0;
	}
	/* loading config space may already have placed it (the ASLS hook) */
	if (o->placed == placed && region(o)->mapped)
		return 0;
	return place(o, placed, false) < 0 ? -EINVAL : 0;
}

const struct vgpu_block vgpu_opregion_block = {
    .name = "opregion",
    .state_size = sizeof(struct vgpu_opregion),
    .init = opregion_init,
    .reset = opregion_reset,
    .fini = opregion_fini,
    .save = opregion_save,
    .load = opregion_load,
};
