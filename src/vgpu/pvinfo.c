/* SPDX-License-Identifier: MIT */
/*
 * pvinfo.c - the PVINFO page at BAR0 + 0x78000 (struct vgt_if).
 *
 * Sources (facts): Linux i915_pvinfo.h (layout, capability bits,
 * g2v codes), i915_vgpu.c (detection: a 64-bit read of magic, a 16-bit
 * read of version_major; ballooning from avail_rs), gvt/vgpu.c
 * populate_pvinfo_page and gvt/handlers.c pvinfo_mmio_write (which
 * fields a guest may write).  docs/vgpu-pvinfo.md is the datasheet.
 *
 *   0x000 magic           RO  0x4776544776544776 ("vGTvGTvG")
 *   0x008 version         RO  major 1, minor 0
 *   0x00c vgt_id          RO  this vGPU's id
 *   0x010 vgt_caps        RO  FULL_PPGTT (bit 2) | HWSP_EMULATION (bit 3)
 *   0x040 avail_rs        RO  mappable base/size, hidden base/size, fences
 *   0x804 display_ready   RW  the guest's display is up (1) or not (0)
 *   0x818 g2v_notify      RW  a guest-to-vGPU notification (below)
 *   0x830 cursor hot x/y  RW  stored
 *   0x838 pdp[0..3]       RW  roots for the next g2v_notify
 *   0x858 ctx descriptor  RW  stored
 *   everything else       RO  reads 0 (reserved); writes dropped, logged
 *
 * g2v_notify: PPGTT L3/L4 create records the roots in pdp[], destroy
 * forgets them (the page tracker that shadows them comes with the engines;
 * until then the first one is logged), EXECLIST_CONTEXT_CREATE/DESTROY are
 * accepted and ignored as GVT-g does, any other code is refused: logged,
 * counted, and the register keeps its old value.
 */
#include "vgpu/pvinfo.h"

#include <errno.h>
#include <string.h>

#include "util/log.h"

#define PVINFO 0x78000u
#define VGT_MAGIC 0x4776544776544776ull
#define VGT_CAPS_FULL_PPGTT (1u << 2)
#define VGT_CAPS_HWSP_EMULATION (1u << 3)
#define VGPU_CAPS (VGT_CAPS_FULL_PPGTT | VGT_CAPS_HWSP_EMULATION)

#define F(off) (PVINFO + (off))
#define DISPLAY_READY F(0x804)
#define G2V_NOTIFY F(0x818)
#define PDP(i) F(0x838 + 8 * (i))

enum g2v {
	G2V_PPGTT_L3_CREATE = 2,
	G2V_PPGTT_L3_DESTROY = 3,
	G2V_PPGTT_L4_CREATE = 4,
	G2V_PPGTT_L4_DESTROY = 5,
	G2V_EXECLIST_CONTEXT_CREATE = 6,
	G2V_EXECLIST_CONTEXT_DESTROY = 7,
};

struct pvinfo {
	struct mmio_space *m;
	const char *name;
	const struct vgpu_config *cfg;
	const struct vgpu_partition *part;
	struct vgpu_ppgtt_root root[VGPU_PVINFO_MAX_PPGTT];
	unsigned nroots;
	uint64_t refused;    /* unknown g2v codes and writes to RO fields */
	bool told_shadowing; /* the not-yet-shadowed line was logged */
};

static void ro_write(const struct mmio_ctx *c, uint32_t val, uint32_t be)
{
	struct pvinfo *p = c->state;

	(void)be;
	p->refused++;
	log_guest(LOG_WARN,
		  "%s: PVINFO write of %#x to read-only %s at +%#x dropped",
		  p->name, val, c->r->name, c->off - PVINFO);
}

static uint64_t pdp(const struct pvinfo *p, unsigned i)
{
	return (uint64_t)mmio_vreg_get(p->m, PDP(i) + 4) << 32 |
	       mmio_vreg_get(p->m, PDP(i));
}

static bool same_root(const struct vgpu_ppgtt_root *a,
		      const struct vgpu_ppgtt_root *b)
{
	unsigned i;

	if (a->levels != b->levels)
		return false;
	for (i = 0; i < (a->levels == 4 ? 1u : 4u); i++)
		if (a->pdp[i] != b->pdp[i])
			return false;
	return true;
}

static void ppgtt_notify(struct pvinfo *p, unsigned levels, bool create)
{
	struct vgpu_ppgtt_root r = {.levels = levels};
	unsigned i;

	for (i = 0; i < (levels == 4 ? 1u : 4u); i++)
		r.pdp[i] = pdp(p, i);
	for (i = 0; i < p->nroots; i++)
		if (same_root(&p->root[i], &r))
			break;
	if (!create) {
		if (i == p->nroots) {
			log_guest(
			    LOG_WARN, "%s: destroy of unknown L%u PPGTT %#llx",
			    p->name, levels, (unsigned long long)r.pdp[0]);
			return;
		}
		p->root[i] = p->root[--p->nroots];
		return;
	}
	if (i < p->nroots)
		return; /* announced twice: one root */
	if (p->nroots == VGPU_PVINFO_MAX_PPGTT) {
		log_guest(LOG_WARN,
			  "%s: more than %u live PPGTTs; %#llx not "
			  "recorded",
			  p->name, VGPU_PVINFO_MAX_PPGTT,
			  (unsigned long long)r.pdp[0]);
		return;
	}
	p->root[p->nroots++] = r;
	if (!p->told_shadowing) {
		p->told_shadowing = true;
		log_info("%s: guest PPGTT L%u at %#llx recorded; the engines "
			 "walk the guest's own tables, read at each use",
			 p->name, levels, (unsigned long long)r.pdp[0]);
	}
}

static void g2v_write(const struct mmio_ctx *c, uint32_t val, uint32_t be)
{
	struct pvinfo *p = c->state;

	if (be != 0xffffffffu) {
		p->refused++;
		log_guest(LOG_WARN, "%s: partial g2v_notify write dropped",
			  p->name);
		return;
	}
	switch (val) {
	case G2V_PPGTT_L3_CREATE:
	case G2V_PPGTT_L3_DESTROY:
		ppgtt_notify(p, 3, val == G2V_PPGTT_L3_CREATE);
		break;
	case G2V_PPGTT_L4_CREATE:
	case G2V_PPGTT_L4_DESTROY:
		ppgtt_notify(p, 4, val == G2V_PPGTT_L4_CREATE);
		break;
	case G2V_EXECLIST_CONTEXT_CREATE:
	case G2V_EXECLIST_CONTEXT_DESTROY:
		break;
	default:
		p->refused++;
		log_guest(LOG_WARN, "%s: unknown g2v_notify %#x refused",
			  p->name, val);
		return;
	}
	mmio_store(c, val, be);
}

static void display_ready_write(const struct mmio_ctx *c, uint32_t val,
				uint32_t be)
{
	struct pvinfo *p = c->state;
	uint32_t old = mmio_ctx_get(c);

	mmio_store(c, val, be);
	if (mmio_ctx_get(c) != old)
		log_info("%s: guest display %s", p->name,
			 mmio_ctx_get(c) ? "ready" : "not ready");
}

/* One line per field, like a datasheet; reset values set at init. */
/* clang-format off */
#define RO(off, sz, nm) \
	{.offset = F(off), .size = sz, .ro_mask = ~0u, .write = ro_write, \
	 .name = nm}
#define RW(off, sz, nm) {.offset = F(off), .size = sz, .name = nm}

static const struct mmio_reg pvinfo_regs[] = {
	RO(0x000, 4, "magic_lo"),
	RO(0x004, 4, "magic_hi"),
	RO(0x008, 4, "version"),
	RO(0x00c, 4, "vgt_id"),
	RO(0x010, 4, "vgt_caps"),
	RO(0x014, 0x2c, "rsv1"),
	RO(0x040, 4, "mappable_gmadr.base"),
	RO(0x044, 4, "mappable_gmadr.size"),
	RO(0x048, 4, "nonmappable_gmadr.base"),
	RO(0x04c, 4, "nonmappable_gmadr.size"),
	RO(0x050, 4, "fence_num"),
	RO(0x054, 0x800 - 0x54, "rsv2"),
	RO(0x800, 4, "rsv4"),
	{.offset = DISPLAY_READY, .size = 4, .write = display_ready_write,
	 .name = "display_ready"},
	RO(0x808, 0x10, "rsv5"),
	{.offset = G2V_NOTIFY, .size = 4, .write = g2v_write,
	 .name = "g2v_notify"},
	RO(0x81c, 0x14, "rsv6"),
	RW(0x830, 8, "cursor_hot"),
	RW(0x838, 0x20, "pdp"),
	RW(0x858, 8, "execlist_context_descriptor"),
	RO(0x860, 0x1000 - 0x860, "rsv7"),
};
/* clang-format on */

/* The read-only fields' values: identity and the type's partition. */
static void fill(struct pvinfo *p)
{
	const struct vgpu_config *cfg = p->cfg;
	const struct vgpu_partition *part = p->part;

	mmio_vreg_set(p->m, F(0x000), (uint32_t)VGT_MAGIC);
	mmio_vreg_set(p->m, F(0x004), (uint32_t)(VGT_MAGIC >> 32));
	mmio_vreg_set(p->m, F(0x008), 1); /* major 1, minor 0 */
	mmio_vreg_set(p->m, F(0x00c), cfg->vgt_id);
	mmio_vreg_set(p->m, F(0x010), VGPU_CAPS);
	mmio_vreg_set(p->m, F(0x040), (uint32_t)part->mappable_base);
	mmio_vreg_set(p->m, F(0x044), (uint32_t)part->mappable_size);
	mmio_vreg_set(p->m, F(0x048), (uint32_t)part->hidden_base);
	mmio_vreg_set(p->m, F(0x04c), (uint32_t)part->hidden_size);
	mmio_vreg_set(p->m, F(0x050), part->fences);
}

static int pvinfo_init(struct vgpu *v, void *state)
{
	struct pvinfo *p = state;

	p->m = vgpu_regs(v);
	p->name = vgpu_name(v);
	p->cfg = vgpu_config(v);
	p->part = vgpu_partition(v);
	fill(p);
	return 0;
}

/* The register reset zeroed the identity: put it back. */
static void pvinfo_reset(void *state)
{
	struct pvinfo *p = state;

	p->nroots = 0;
	fill(p);
}

static void pvinfo_save(const void *state, struct blob_w *w)
{
	const struct pvinfo *p = state;
	unsigned i, k;

	blob_put_u64(w, p->refused);
	blob_put_u32(w, p->nroots);
	for (i = 0; i < p->nroots; i++) {
		blob_put_u32(w, p->root[i].levels);
		for (k = 0; k < 4; k++)
			blob_put_u64(w, p->root[i].pdp[k]);
	}
}

static int pvinfo_load(void *state, struct blob_r *r)
{
	struct pvinfo *p = state;
	unsigned i, k;

	p->refused = blob_get_u64(r);
	p->nroots = blob_get_u32(r);
	if (p->nroots > VGPU_PVINFO_MAX_PPGTT) {
		p->nroots = 0;
		return -EINVAL;
	}
	for (i = 0; i < p->nroots; i++) {
		p->root[i].levels = blob_get_u32(r);
		if (p->root[i].levels != 3 && p->root[i].levels != 4)
			blob_r_fail(r);
		for (k = 0; k < 4; k++)
			p->root[i].pdp[k] = blob_get_u64(r);
	}
	if (r->failed) {
		p->nroots = 0;
		return -EINVAL;
	}
	fill(p); /* read-only fields are this vGPU's, whatever was saved */
	return 0;
}

const struct vgpu_block vgpu_pvinfo_block = {
    .name = "pvinfo",
    VGPU_REGS(pvinfo_regs),
    .state_size = sizeof(struct pvinfo),
    .init = pvinfo_init,
    .reset = pvinfo_reset,
    .save = pvinfo_save,
    .load = pvinfo_load,
};

bool vgpu_pvinfo_display_ready(const struct pvinfo *p)
{
	return mmio_vreg_get(p->m, DISPLAY_READY) != 0;
}

unsigned vgpu_pvinfo_ppgtts(const struct pvinfo *p,
			    const struct vgpu_ppgtt_root **roots)
{
	*roots = p->root;
	return p->nroots;
}
