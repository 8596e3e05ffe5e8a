/* SPDX-License-Identifier: MIT */
/*
 * engine.c - the command streamers' registers: one copy per engine at its
 * MMIO base, the reset handshake, GDRST, and the submit port that starts
 * execlist.c.
 *
 * Engine MMIO bases (gt/intel_engine_cs.c; a Gen9 GT2 has these four):
 * RCS 0x2000, VCS 0x12000, VECS 0x1a000, BCS 0x22000.  Offsets from
 * gt/intel_engine_regs.h and gt/intel_lrc_reg.h; behaviour as GVT-g's
 * gvt/handlers.c gives it (facts only; docs/vgpu-execlists.md):
 *
 *   MI_MODE       +0x9c  masked; bit 9 MODE_IDLE read-only, always 1:
 *                        the engine is idle whenever the guest looks
 *   RING_RESET_CTL +0xd0 masked; READY_TO_RESET (bit 1) follows
 *                        REQUEST_RESET (bit 0)
 *   RING_EIR      +0xb0  write 1 to clear; no error is ever recorded
 *   RING_ESR      +0xb8  read-only 0
 *   RING_ELSP     +0x230 the submit port, write-only
 *   EXECLIST_STATUS +0x234/+0x238 read-only, set by the engine
 *   CSB           +0x370 six (status, context ID) entries, read-only
 *   CSB_PTR       +0x3a0 masked; read pointer 10:8, write pointer 2:0
 *   GDRST         0x941c bit 0 resets every engine, bits 1-4 render,
 *                        video, blitter, video enhancement; reads 0 after
 *
 * Interrupts: RCS in GT0 bits 15:0, BCS in GT0 31:16, VCS in GT1 15:0,
 * VECS in GT3 15:0; per engine bit 0 user, 4 notify, 8 context switch.
 */
#include "vgpu/engine.h"

#include <errno.h>

#include "vgpu/execlist.h"
#include "vgpu/fixed.h"
#include "vgpu/ggtt.h"
#include "vgpu/irq.h"

#define RENDER_RING_BASE 0x02000
#define GEN6_BSD_RING_BASE 0x12000
#define VEBOX_RING_BASE 0x1a000
#define BLT_RING_BASE 0x22000

#define RING_MI_MODE 0x9c
#define RING_INSTPM 0xc0
#define RING_HWSTAM 0x98
#define RING_IMR 0xa8
#define RING_EIR 0xb0
#define RING_EMR 0xb4
#define RING_ESR 0xb8
#define RING_RESET_CTL 0xd0
#define RING_CONTEXT_CONTROL 0x244
#define RING_MODE_GEN7 0x29c
#define MODE_IDLE (1u << 9)
#define REQUEST_RESET (1u << 0)
#define READY_TO_RESET (1u << 1)

#define GEN6_GDRST 0x941c
#define GRDOM_FULL (1u << 0)

/* The engines of a Gen9 GT2 part, in i915's order of their ids. */
static const uint32_t engine_base[] = {
    RENDER_RING_BASE,
    BLT_RING_BASE,
    GEN6_BSD_RING_BASE,
    VEBOX_RING_BASE,
};

#define NENGINES (sizeof(engine_base) / sizeof(engine_base[0]))

/* Per engine: name, class, GDRST bit, interrupt bank and shift. */
static const struct {
	const char *name;
	enum cmd_engine_class cls;
	uint32_t gdrst;
	enum vgpu_irq_bank bank;
	unsigned shift;
} engine_info[NENGINES] = {
    {"rcs0", CMD_RCS, 1u << 1, VGPU_IRQ_GT0, 0},
    {"bcs0", CMD_BCS, 1u << 3, VGPU_IRQ_GT0, 16},
    {"vcs0", CMD_VCS, 1u << 2, VGPU_IRQ_GT1, 0},
    {"vecs0", CMD_VECS, 1u << 4, VGPU_IRQ_GT3, 0},
};

struct engines {
	struct mmio_space *m;
	struct vgpu_irq *irq;
	struct execlist el[NENGINES];
};

static void elsp_write(const struct mmio_ctx *c, uint32_t val, uint32_t be)
{
	struct engines *es = c->state;
	uint32_t irq;

	if (be != 0xffffffffu)
		return; /* the port takes whole dwords only */
	irq = execlist_elsp_write(&es->el[c->inst], val);
	if (irq)
		vgpu_irq_raise(es->irq, engine_info[c->inst].bank,
			       irq << engine_info[c->inst].shift);
}

static uint32_t read_zero(const struct mmio_ctx *c)
{
	(void)c;
	return 0;
}

static void reset_ctl_write(const struct mmio_ctx *c, uint32_t val, uint32_t be)
{
	uint32_t v;

	mmio_store(c, val, be);
	v = mmio_ctx_get(c) & ~READY_TO_RESET;
	mmio_ctx_set(c, v | (v & REQUEST_RESET ? READY_TO_RESET : 0));
}

static void gdrst_write(const struct mmio_ctx *c, uint32_t val, uint32_t be)
{
	struct engines *es = c->state;
	unsigned i;

	val &= be;
	for (i = 0; i < NENGINES; i++)
		if (val & (GRDOM_FULL | engine_info[i].gdrst))
			execlist_reset(&es->el[i]);
	mmio_ctx_set(c, 0); /* done at once */
}

/* Registers a command buffer may read and write (MI_LRI/SRM/LRM). */
static int cmd_reg_ok(struct engines *es, uint32_t reg)
{
	const struct mmio_slot *s;

	if (reg >= MMIO_SIZE)
		return -EPERM;
	s = mmio_lookup(es->m, reg);
	return !s || (s->r->flags & MMIO_F_CMD) ? 0 : -EPERM;
}

static int cmd_reg_read(void *opaque, uint32_t reg, uint32_t *val)
{
	struct engines *es = opaque;
	int rc = cmd_reg_ok(es, reg);

	if (rc == 0)
		*val = (uint32_t)mmio_read(es->m, reg, 4);
	return rc;
}

static int cmd_reg_write(void *opaque, uint32_t reg, uint32_t val)
{
	struct engines *es = opaque;
	int rc = cmd_reg_ok(es, reg);

	if (rc == 0)
		mmio_write(es->m, reg, 4, val);
	return rc;
}

/* One register per line, like a datasheet, at each engine's base. */
/* clang-format off */
#define RING(off, nm, ...)                                                   \
	{.offset = off, .size = 4, .name = nm, .bases = engine_base,        \
	 .count = NENGINES, __VA_ARGS__}

static const struct mmio_reg engine_regs[] = {
	RING(RING_HWS_PGA, "HWS_PGA"),
	RING(RING_HWSTAM, "HWSTAM"),
	RING(RING_MI_MODE, "MI_MODE", .flags = MMIO_F_MODE_MASK | MMIO_F_CMD,
	     .reset = MODE_IDLE, .ro_mask = MODE_IDLE),
	RING(RING_IMR, "RING_IMR"),
	RING(RING_EIR, "RING_EIR", .flags = MMIO_F_W1C),
	RING(RING_EMR, "RING_EMR"),
	RING(RING_ESR, "RING_ESR", .ro_mask = ~0u),
	RING(RING_INSTPM, "INSTPM", .flags = MMIO_F_MODE_MASK | MMIO_F_CMD),
	RING(RING_RESET_CTL, "RING_RESET_CTL", .flags = MMIO_F_MODE_MASK,
	     .ro_mask = READY_TO_RESET, .write = reset_ctl_write),
	RING(RING_ELSP, "ELSP", .read = read_zero, .write = elsp_write),
	RING(RING_EXECLIST_STATUS_LO, "EXECLIST_STATUS_LO", .ro_mask = ~0u),
	RING(RING_EXECLIST_STATUS_HI, "EXECLIST_STATUS_HI", .ro_mask = ~0u),
	RING(RING_CONTEXT_CONTROL, "CONTEXT_CONTROL",
	     .flags = MMIO_F_MODE_MASK),
	RING(RING_MODE_GEN7, "RING_MODE_GEN7", .flags = MMIO_F_MODE_MASK),
	{.offset = RING_CSB, .size = 8 * CSB_ENTRIES, .name = "CSB",
	 .bases = engine_base, .count = NENGINES, .ro_mask = ~0u},
	RING(RING_CSB_PTR, "CSB_PTR", .flags = MMIO_F_MODE_MASK,
	     .reset = CSB_PTR_RESET),
	{.offset = GEN6_GDRST, .size = 4, .name = "GDRST",
	 .write = gdrst_write},
};
/* clang-format on */

static int engines_init(struct vgpu *v, void *state)
{
	struct engines *es = state;
	unsigned i;

	es->m = vgpu_regs(v);
	es->irq = vgpu_block_state(v, &vgpu_irq_block);
	for (i = 0; i < NENGINES; i++) {
		struct execlist *el = &es->el[i];

		el->name = engine_info[i].name;
		el->base = engine_base[i];
		el->cls = engine_info[i].cls;
		el->m = es->m;
		el->ggtt = vgpu_block_state(v, &vgpu_ggtt_block);
		el->mem = vgpu_host(v)->mem;
		el->regs = (struct cmd_regs){cmd_reg_read, cmd_reg_write, es};
	}
	return es->irq ? 0 : -EINVAL;
}

static void engines_reset(void *state)
{
	struct engines *es = state;
	unsigned i;

	for (i = 0; i < NENGINES; i++) {
		es->el[i].st = (struct execlist_stats){0};
		execlist_reset(&es->el[i]);
	}
}

static void engines_save(const void *state, struct blob_w *w)
{
	const struct engines *es = state;
	unsigned i, j;

	for (i = 0; i < NENGINES; i++) {
		blob_put_u8(w, (uint8_t)es->el[i].nport);
		for (j = 0; j < 4; j++)
			blob_put_u32(w, es->el[i].port[j]);
		blob_put_u8(w, es->el[i].hung);
		blob_put_u32(w, es->el[i].hung_ccid);
	}
}

static int engines_load(void *state, struct blob_r *r)
{
	struct engines *es = state;
	unsigned i, j;

	for (i = 0; i < NENGINES; i++) {
		struct execlist *el = &es->el[i];
		uint8_t hung;

		el->nport = blob_get_u8(r);
		for (j = 0; j < 4; j++)
			el->port[j] = blob_get_u32(r);
		hung = blob_get_u8(r);
		el->hung_ccid = blob_get_u32(r);
		if (r->failed || el->nport > 3 || hung > EL_HUNG_ELEMENT1)
			return -EINVAL;
		el->hung = hung;
	}
	vgpu_restore_fixed(es->m, engine_regs,
			   sizeof(engine_regs) / sizeof(engine_regs[0]));
	for (i = 0; i < NENGINES; i++) {
		uint32_t b = engine_base[i], v;

		v = mmio_vreg_get(es->m, b + RING_MI_MODE);
		mmio_vreg_set(es->m, b + RING_MI_MODE,
			      (v & 0xffff) | MODE_IDLE);
		v = mmio_vreg_get(es->m, b + RING_RESET_CTL) & REQUEST_RESET;
		mmio_vreg_set(es->m, b + RING_RESET_CTL,
			      v | (v ? READY_TO_RESET : 0));
		execlist_sync_regs(&es->el[i]);
	}
	mmio_vreg_set(es->m, GEN6_GDRST, 0);
	return 0;
}

const struct vgpu_block vgpu_engine_block = {
    .name = "engines",
    VGPU_REGS(engine_regs),
    .state_size = sizeof(struct engines),
    .init = engines_init,
    .reset = engines_reset,
    .save = engines_save,
    .load = engines_load,
};

const struct execlist_stats *vgpu_engine_stats(struct vgpu *v, unsigned i)
{
	struct engines *es = vgpu_block_state(v, &vgpu_engine_block);

	return es && i < NENGINES ? &es->el[i].st : NULL;
}
