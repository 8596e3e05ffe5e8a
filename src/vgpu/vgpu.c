/* SPDX-License-Identifier: MIT */
/*
 * vgpu.c - the vGPU as a list of hardware blocks (block.h): creating,
 * resetting, saving, loading and destroying it is a loop over that list.
 * The core owns what every block shares: the PCI function (config space)
 * and the register file, and saves both once.
 */
#include "vgpu/vgpu.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/le.h"
#include "util/log.h"
#include "vgpu/aperture.h"
#include "vgpu/bar0.h"
#include "vgpu/block.h"
#include "vgpu/cfg.h"
#include "vgpu/display.h"
#include "vgpu/display/gmbus.h"
#include "vgpu/display/monitor.h"
#include "vgpu/display/plane.h"
#include "vgpu/engine.h"
#include "vgpu/fence.h"
#include "vgpu/ggtt.h"
#include "vgpu/gt.h"
#include "vgpu/irq.h"
#include "vgpu/layout.h"
#include "vgpu/mchbar.h"
#include "vgpu/opregion.h"
#include "vgpu/pcode.h"
#include "vgpu/ports.h"
#include "vgpu/power.h"
#include "vgpu/pvinfo.h"
#include "vgpu/vga.h"

/* The blocks, in the order they are set up. */
static const struct vgpu_block *const blocks[] = {
    /* clang-format off */
	&vgpu_cfg_block,
	&vgpu_pvinfo_block,
	&vgpu_irq_block,
	&vgpu_engine_block,
	&vgpu_fence_block,
	&vgpu_display_block,
	&vgpu_planes_block,
	&vgpu_gt_block,
	&vgpu_mchbar_block,
	&vgpu_pcode_block,
	&vgpu_power_block,
	&vgpu_ports_block,
	&vgpu_monitor_block,
	&vgpu_gmbus_block,
	&vgpu_bar0_block,
	&vgpu_ggtt_block,
	&vgpu_aperture_block,
	&vgpu_opregion_block,
	&vgpu_vga_block,
    /* clang-format on */
};

#define NBLOCKS (sizeof(blocks) / sizeof(blocks[0]))

struct vgpu {
	struct vgpu_config cfg;
	const struct vgpu_type *type;
	struct vgpu_partition part;
	char name[32];
	struct io_host *host;
	struct pci_func pci;
	struct mmio_space mmio;
	void *state[NBLOCKS];
	size_t ninit; /* blocks whose init succeeded */
};

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
	    .subsystem_id = 0,	/* the device id */
	    .aperture_size = 0, /* the type's */
	    .type = VGPU_TYPE_DEFAULT,
	    .vgt_id = 1,
	};
}

/* ---- what blocks may ask of the core ------------------------------- */

void *vgpu_block_state(struct vgpu *v, const struct vgpu_block *b)
{
	size_t i;

	for (i = 0; i < NBLOCKS; i++)
		if (blocks[i] == b)
			return v->state[i];
	return NULL;
}

struct mmio_space *vgpu_regs(struct vgpu *v)
{
	return &v->mmio;
}

struct pci_func *vgpu_pci(struct vgpu *v)
{
	return &v->pci;
}

struct io_host *vgpu_host(struct vgpu *v)
{
	return v->host;
}

const struct vgpu_config *vgpu_config(const struct vgpu *v)
{
	return &v->cfg;
}

const char *vgpu_name(const struct vgpu *v)
{
	return v->name;
}

const struct vgpu_type *vgpu_type(const struct vgpu *v)
{
	return v->type;
}

const struct vgpu_partition *vgpu_partition(const struct vgpu *v)
{
	return &v->part;
}

/* ---- create / destroy ----------------------------------------------- */

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
	if (!v->cfg.vgt_id)
		v->cfg.vgt_id = 1;
	v->type = vgpu_type_find(v->cfg.type ? v->cfg.type : VGPU_TYPE_DEFAULT);
	if (!v->type) {
		log_err("vgpu: unknown vGPU type %s", v->cfg.type);
		return -EINVAL;
	}
	v->cfg.type = v->type->name;
	vgpu_type_partition(v->type, &v->part);
	if (!v->cfg.aperture_size)
		v->cfg.aperture_size = v->part.aperture_size;
	/*
	 * 64 MiB .. 4 GiB, a power of two (hvmloader/Linux size BARs so),
	 * holding the type's mappable slice.
	 */
	if (v->cfg.aperture_size < (64ull << 20) ||
	    v->cfg.aperture_size > (4ull << 30) ||
	    (v->cfg.aperture_size & (v->cfg.aperture_size - 1)) ||
	    v->cfg.aperture_size <
		v->part.mappable_base + v->part.mappable_size)
		return -EINVAL;
	v->part.aperture_size = v->cfg.aperture_size;
	snprintf(v->name, sizeof(v->name), "vgpu %02x:%02x.%x",
		 (v->cfg.sbdf >> 8) & 0xff, (v->cfg.sbdf >> 3) & 0x1f,
		 v->cfg.sbdf & 7);
	return 0;
}

static int setup(struct vgpu *v)
{
	struct mmio_table tables[NBLOCKS];
	size_t i;
	int rc;

	for (i = 0; i < NBLOCKS; i++) {
		v->state[i] = calloc(
		    1, blocks[i]->state_size ? blocks[i]->state_size : 1);
		if (!v->state[i])
			return -ENOMEM;
		tables[i] =
		    (struct mmio_table){blocks[i]->name, blocks[i]->regs,
					blocks[i]->nregs, v->state[i]};
	}
	rc = mmio_init(&v->mmio, tables, NBLOCKS);
	if (rc)
		return rc;
	for (i = 0; i < NBLOCKS; i++) {
		rc = blocks[i]->init ? blocks[i]->init(v, v->state[i]) : 0;
		if (rc) {
			log_err("%s: block %s: %s", v->name, blocks[i]->name,
				strerror(-rc));
			return rc;
		}
		v->ninit = i + 1;
	}
	return pci_func_start(&v->pci);
}

static void free_vgpu(struct vgpu *v)
{
	size_t i;

	for (i = v->ninit; i-- > 0;)
		if (blocks[i]->fini)
			blocks[i]->fini(v->state[i]);
	for (i = 0; i < NBLOCKS; i++)
		free(v->state[i]);
	mmio_fini(&v->mmio);
	free(v);
}

int vgpu_create(const struct vgpu_config *cfg, struct io_host *host,
		struct vgpu **out)
{
	struct vgpu *v;
	int rc;

	if (!cfg || !host || !host->ops || !out)
		return -EINVAL;
	v = calloc(1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	v->host = host;
	rc = fill_config(v, cfg);
	if (!rc)
		rc = setup(v);
	if (rc) {
		log_err("vgpu: creating the vGPU failed (%d)", rc);
		pci_func_stop(&v->pci);
		free_vgpu(v);
		return rc;
	}
	log_info("%s: %04x:%04x rev %02x, type %s, BAR0 16 MiB, aperture "
		 "%llu MiB%s",
		 v->name, 0x8086, v->cfg.device_id, v->cfg.revision_id,
		 v->type->name,
		 (unsigned long long)(v->cfg.aperture_size >> 20),
		 v->cfg.legacy_vga ? ", legacy VGA" : "");
	log_info("%s: partition: mappable GM %#llx +%llu MiB, hidden GM %#llx "
		 "+%llu MiB, %u fences",
		 v->name, (unsigned long long)v->part.mappable_base,
		 (unsigned long long)(v->part.mappable_size >> 20),
		 (unsigned long long)v->part.hidden_base,
		 (unsigned long long)(v->part.hidden_size >> 20),
		 v->part.fences);
	*out = v;
	return 0;
}

void vgpu_destroy(struct vgpu *v)
{
	if (!v)
		return;
	pci_func_stop(&v->pci);
	free_vgpu(v);
}

/* ---- reset, save, load ---------------------------------------------- */

void vgpu_reset(struct vgpu *v)
{
	size_t i;

	pci_func_reset(&v->pci);
	mmio_reset(&v->mmio);
	for (i = 0; i < NBLOCKS; i++)
		if (blocks[i]->reset)
			blocks[i]->reset(v->state[i]);
}

#define SAVE_MAGIC 0x56544758u /* "XGTV" */
#define SAVE_VERSION 1u

/*
 * The stream: magic, version, device id, aperture size, type; config space;
 * the register file; then each block as (name, length, bytes).
 */
int vgpu_save(struct vgpu *v, struct blob_w *w)
{
	size_t i, lenpos;

	blob_put_u32(w, SAVE_MAGIC);
	blob_put_u32(w, SAVE_VERSION);
	blob_put_u32(w, v->cfg.device_id);
	blob_put_u64(w, v->cfg.aperture_size);
	blob_put_u32(w, (uint32_t)strlen(v->type->name));
	blob_put_bytes(w, v->type->name, strlen(v->type->name));
	pci_func_save(&v->pci, w);
	blob_put_bytes(w, v->mmio.vreg, MMIO_SIZE);
	for (i = 0; i < NBLOCKS; i++) {
		size_t n = strlen(blocks[i]->name);

		blob_put_u32(w, (uint32_t)n);
		blob_put_bytes(w, blocks[i]->name, n);
		lenpos = w->len;
		blob_put_u32(w, 0);
		if (blocks[i]->save)
			blocks[i]->save(v->state[i], w);
		if (!w->failed) /* the length, now that it is known */
			le_put(w->buf + lenpos, w->len - lenpos - 4, 4);
	}
	return w->failed ? -ENOMEM : 0;
}

static int load_blocks(struct vgpu *v, struct blob_r *r)
{
	size_t i;
	int rc;

	for (i = 0; i < NBLOCKS; i++) {
		size_t n = strlen(blocks[i]->name);
		uint32_t nlen = blob_get_u32(r), len;
		const uint8_t *name = blob_get_view(r, nlen == n ? n : 0);
		const uint8_t *body;
		struct blob_r sub;

		len = blob_get_u32(r);
		body = blob_get_view(r, len);
		if (r->failed || nlen != n || memcmp(name, blocks[i]->name, n))
			return -EINVAL;
		blob_r_init(&sub, body, len);
		rc = blocks[i]->load ? blocks[i]->load(v->state[i], &sub) : 0;
		if (!rc && sub.pos != sub.len)
			rc = -EINVAL; /* trailing bytes: not what we saved */
		if (rc) {
			log_err("%s: saved state of block %s refused", v->name,
				blocks[i]->name);
			return rc;
		}
	}
	return r->pos == r->len ? 0 : -EINVAL;
}

int vgpu_load(struct vgpu *v, const void *buf, size_t len)
{
	struct blob_r r;
	const uint8_t *regs, *name;
	size_t n;
	int rc;

	blob_r_init(&r, buf, len);
	if (blob_get_u32(&r) != SAVE_MAGIC || blob_get_u32(&r) != SAVE_VERSION)
		return -EINVAL;
	n = strlen(v->type->name);
	if (blob_get_u32(&r) != v->cfg.device_id ||
	    blob_get_u64(&r) != v->cfg.aperture_size || blob_get_u32(&r) != n ||
	    !(name = blob_get_view(&r, n)) || memcmp(name, v->type->name, n)) {
		log_err("%s: saved state is of another vGPU type", v->name);
		return -EINVAL;
	}
	/* Everything past here changes the device: on failure, reset it. */
	rc = pci_func_load(&v->pci, &r);
	regs = blob_get_view(&r, MMIO_SIZE);
	if (!rc && regs) {
		memcpy(v->mmio.vreg, regs, MMIO_SIZE);
		rc = load_blocks(v, &r);
	} else if (!rc) {
		rc = -EINVAL;
	}
	if (rc) {
		log_err("%s: loading saved state failed; the vGPU is reset",
			v->name);
		vgpu_reset(v);
	}
	return rc;
}
