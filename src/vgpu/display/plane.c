/* SPDX-License-Identifier: MIT */
/*
 * plane.c - the display planes of pipes A, B and C as Gen9 double-buffers
 * them: the guest's writes are stored at once (and read back as written),
 * an update is armed, and at the pipe's next vblank the armed registers
 * become the live ones, the ones the pipe scans out.
 *
 * Universal plane n (1, 2) of pipe p at 0x70180 + 0x1000 p + 0x100 (n - 1):
 *
 *   PLANE_CTL       +0x00  bit 31 enable, 27:24 format, 20 RGBX order,
 *                          12:10 tiling, 9 async flip, 1:0 rotation;
 *                          writing it while the live plane is disabled
 *                          arms an update (it "self-arms")
 *   PLANE_STRIDE    +0x08  stride (64-byte units or tiles)
 *   PLANE_POS       +0x0c  y << 16 | x on the pipe
 *   PLANE_SIZE      +0x10  (height - 1) << 16 | (width - 1)
 *   PLANE_SURF      +0x1c  the surface's GGTT address, 31:12: arms an
 *                          update carrying a flip; with PLANE_CTL's async
 *                          bit on a live plane, the flip is immediate
 *   PLANE_OFFSET    +0x24  y << 16 | x in the surface
 *   PLANE_SURFLIVE  +0x2c  the live PLANE_SURF; read-only
 *
 * The cursor of pipe p at 0x70080 + 0x1000 p:
 *
 *   CUR_CTL         +0x00  bits 5, 2:0 mode (0: disabled); self-arms
 *                          while the live cursor is disabled
 *   CUR_BASE        +0x04  the cursor's GGTT address: arms the update
 *   CUR_POS         +0x08  signed y (31, 30:16) and x (15, 14:0)
 *   CUR_SURFLIVE    +0x2c  the live CUR_BASE; read-only
 *
 *   PIPE_FLIPCOUNT  0x70044 + 0x1000 p  flips of plane 1 latched;
 *                                       read-only
 *
 * At the start of a vblank of pipe p (display.c's hook, enabled pipes
 * only) each armed plane takes CTL, STRIDE, POS, SIZE, OFFSET and SURF as
 * they are then, the cursor CTL, BASE and POS; the pipe's generation
 * counts each; a plane-1 flip counts in PIPE_FLIPCOUNT; each plane whose
 * update carried a flip raises its flip done, bit 3 + (n - 1) of the
 * pipe's DE interrupt bank (latched only if unmasked: irq.c).  A pipe
 * that is off has no vblank: what is armed then waits for the first one
 * after it is enabled.  An async flip makes the new PLANE_SURF live
 * at the write and raises flip done then.
 *
 * Sources (facts only), Linux 6.1 i915 (Intel's 6.1 LTS tree):
 * i915_reg.h (offsets, PLANE_CTL and cursor fields, GEN9_PIPE_PLANE_FLIP_DONE,
 * PIPE_FLIPCOUNT_G4X, CURSURFLIVE "g4x+", IVB_CURSOR_B_OFFSET);
 * display/skl_universal_plane.c (skl_plane_update_noarm/_arm: PLANE_SURF
 * written last; "the control register self-arms if the plane was
 * previously disabled"; skl_plane_async_flip); display/intel_cursor.c
 * (i9xx_cursor_update_arm: CURBASE arms, CURCNTR arms when the cursor is
 * being enabled; i9xx_cursor_get_hw_state: MCURSOR_MODE_MASK);
 * i915_irq.c (flip done enabled in IER, unmasked only for async flips);
 * gvt/handlers.c (pri_surf_mmio_write, GVT's flip-done queue) and
 * gvt/display.c (emulate_vblank_on_pipe: queued flip done at the vblank).
 */
#include "vgpu/display/plane.h"

#include <errno.h>
#include <string.h>

#include "vgpu/display.h"
#include "vgpu/irq.h"

#define PIPE_STRIDE 0x1000u
#define PLANE_A1 0x70180u
#define PLANE_STRIDE_NEXT 0x100u
#define CTL 0x00u
#define STRIDE 0x08u
#define POS 0x0cu
#define SIZE 0x10u
#define SURF 0x1cu
#define OFFSET 0x24u
#define SURFLIVE 0x2cu
#define PLANE(p, n) (PLANE_A1 + PIPE_STRIDE * (p) + PLANE_STRIDE_NEXT * (n))
#define PLANE_CTL_ENABLE (1u << 31)
#define PLANE_CTL_ASYNC_FLIP (1u << 9)

#define CUR_A 0x70080u
#define CUR_BASE 0x04u
#define CUR_POS 0x08u
#define CUR(p) (CUR_A + PIPE_STRIDE * (p))
#define MCURSOR_MODE_MASK 0x27u

#define PIPE_FLIPCOUNT(p) (0x70044u + PIPE_STRIDE * (p))
#define PIPESRC(p) (0x6001cu + PIPE_STRIDE * (p))
#define FLIP_DONE(n) (1u << (3 + (n))) /* GEN9_PIPE_PLANE_FLIP_DONE */

#define NPLANES (VGPU_PIPES * VGPU_PLANES_PER_PIPE)

/* What an armed update is waiting to do. */
#define ARMED 1u /* latch at the next vblank */
#define FLIP 2u	 /* ... and it carries a PLANE_SURF write */

struct plane_live {
	uint32_t ctl, stride, pos, size, offset, surf;
};

struct cursor_live {
	uint32_t ctl, base, pos;
};

struct pipe_planes {
	struct plane_live plane[VGPU_PLANES_PER_PIPE];
	uint8_t armed[VGPU_PLANES_PER_PIPE];
	struct cursor_live cur;
	uint8_t cur_armed; /* ARMED or 0 */
	uint64_t generation;
};

struct vgpu_planes {
	struct mmio_space *m;
	struct vgpu_irq *irq;
	struct display *disp;
	struct pipe_planes pipe[VGPU_PIPES];
};

static const uint32_t plane_base[NPLANES] = {
    PLANE(0, 0), PLANE(0, 1), PLANE(1, 0),
    PLANE(1, 1), PLANE(2, 0), PLANE(2, 1),
};

static uint32_t get(const struct vgpu_planes *pl, uint32_t off)
{
	return mmio_vreg_get(pl->m, off);
}

/* ---- latching ----------------------------------------------------------- */

static void count_flip(struct vgpu_planes *pl, unsigned p, unsigned n)
{
	if (n == 0)
		mmio_vreg_set(pl->m, PIPE_FLIPCOUNT(p),
			      get(pl, PIPE_FLIPCOUNT(p)) + 1);
}

static void latch_plane(struct vgpu_planes *pl, unsigned p, unsigned n)
{
	uint32_t b = PLANE(p, n);
	uint8_t armed = pl->pipe[p].armed[n];

	pl->pipe[p].plane[n] = (struct plane_live){
	    .ctl = get(pl, b + CTL),
	    .stride = get(pl, b + STRIDE),
	    .pos = get(pl, b + POS),
	    .size = get(pl, b + SIZE),
	    .offset = get(pl, b + OFFSET),
	    .surf = get(pl, b + SURF),
	};
	pl->pipe[p].armed[n] = 0;
	pl->pipe[p].generation++;
	if (armed & FLIP) {
		count_flip(pl, p, n);
		vgpu_irq_raise(pl->irq, VGPU_IRQ_PIPE_A + p, FLIP_DONE(n));
	}
}

static void latch_cursor(struct vgpu_planes *pl, unsigned p)
{
	uint32_t b = CUR(p);

	pl->pipe[p].cur = (struct cursor_live){
	    .ctl = get(pl, b),
	    .base = get(pl, b + CUR_BASE),
	    .pos = get(pl, b + CUR_POS),
	};
	pl->pipe[p].cur_armed = 0;
	pl->pipe[p].generation++;
}

/* The start of a vblank of enabled pipe p (display.c). */
static void planes_vblank(void *opaque, unsigned p)
{
	struct vgpu_planes *pl = opaque;
	unsigned n;

	if (p >= VGPU_PIPES)
		return;
	for (n = 0; n < VGPU_PLANES_PER_PIPE; n++)
		if (pl->pipe[p].armed[n])
			latch_plane(pl, p, n);
	if (pl->pipe[p].cur_armed)
		latch_cursor(pl, p);
}

/* ---- registers ---------------------------------------------------------- */

static void plane_ctl_write(const struct mmio_ctx *c, uint32_t val, uint32_t be)
{
	struct vgpu_planes *pl = c->state;
	unsigned p = c->inst / VGPU_PLANES_PER_PIPE;
	unsigned n = c->inst % VGPU_PLANES_PER_PIPE;

	mmio_store(c, val, be);
	if (!(pl->pipe[p].plane[n].ctl & PLANE_CTL_ENABLE))
		pl->pipe[p].armed[n] |= ARMED;
}

static void plane_surf_write(const struct mmio_ctx *c, uint32_t val,
			     uint32_t be)
{
	struct vgpu_planes *pl = c->state;
	unsigned p = c->inst / VGPU_PLANES_PER_PIPE;
	unsigned n = c->inst % VGPU_PLANES_PER_PIPE;
	struct plane_live *live = &pl->pipe[p].plane[n];

	mmio_store(c, val, be);
	if ((get(pl, PLANE(p, n) + CTL) & PLANE_CTL_ASYNC_FLIP) &&
	    (live->ctl & PLANE_CTL_ENABLE) &&
	    vgpu_display_pipe_enabled(pl->disp, p)) {
		live->surf = mmio_ctx_get(c);
		pl->pipe[p].generation++;
		count_flip(pl, p, n);
		vgpu_irq_raise(pl->irq, VGPU_IRQ_PIPE_A + p, FLIP_DONE(n));
		return;
	}
	pl->pipe[p].armed[n] |= ARMED | FLIP;
}

static uint32_t plane_surflive_read(const struct mmio_ctx *c)
{
	const struct vgpu_planes *pl = c->state;

	return pl->pipe[c->inst / VGPU_PLANES_PER_PIPE]
	    .plane[c->inst % VGPU_PLANES_PER_PIPE]
	    .surf;
}

static void cur_ctl_write(const struct mmio_ctx *c, uint32_t val, uint32_t be)
{
	struct vgpu_planes *pl = c->state;

	mmio_store(c, val, be);
	if (!(pl->pipe[c->inst].cur.ctl & MCURSOR_MODE_MASK))
		pl->pipe[c->inst].cur_armed = ARMED;
}

static void cur_base_write(const struct mmio_ctx *c, uint32_t val, uint32_t be)
{
	struct vgpu_planes *pl = c->state;

	mmio_store(c, val, be);
	pl->pipe[c->inst].cur_armed = ARMED;
}

static uint32_t cur_surflive_read(const struct mmio_ctx *c)
{
	const struct vgpu_planes *pl = c->state;

	return pl->pipe[c->inst].cur.base;
}

#define PER_PLANE .count = NPLANES, .bases = plane_base
#define PER_PIPE .count = VGPU_PIPES, .stride = PIPE_STRIDE

/* One line per register, like a datasheet. */
/* clang-format off */
static const struct mmio_reg planes_regs[] = {
	{.offset = CTL, .size = 4, .write = plane_ctl_write,
	 .name = "PLANE_CTL", PER_PLANE},
	{.offset = STRIDE, .size = 4, .name = "PLANE_STRIDE", PER_PLANE},
	{.offset = POS, .size = 4, .name = "PLANE_POS", PER_PLANE},
	{.offset = SIZE, .size = 4, .name = "PLANE_SIZE", PER_PLANE},
	{.offset = SURF, .size = 4, .flags = MMIO_F_GMADR,
	 .write = plane_surf_write, .name = "PLANE_SURF", PER_PLANE},
	{.offset = OFFSET, .size = 4, .name = "PLANE_OFFSET", PER_PLANE},
	{.offset = SURFLIVE, .size = 4, .ro_mask = ~0u,
	 .read = plane_surflive_read, .name = "PLANE_SURFLIVE", PER_PLANE},
	{.offset = CUR_A, .size = 4, .write = cur_ctl_write,
	 .name = "CUR_CTL", PER_PIPE},
	{.offset = CUR_A + CUR_BASE, .size = 4, .flags = MMIO_F_GMADR,
	 .write = cur_base_write, .name = "CUR_BASE", PER_PIPE},
	{.offset = CUR_A + CUR_POS, .size = 4, .name = "CUR_POS", PER_PIPE},
	{.offset = CUR_A + SURFLIVE, .size = 4, .ro_mask = ~0u,
	 .read = cur_surflive_read, .name = "CUR_SURFLIVE", PER_PIPE},
	{.offset = PIPE_FLIPCOUNT(0), .size = 4, .ro_mask = ~0u,
	 .name = "PIPE_FLIPCOUNT", PER_PIPE},
};
/* clang-format on */

/* ---- lifecycle ---------------------------------------------------------- */

static int planes_init(struct vgpu *v, void *state)
{
	struct vgpu_planes *pl = state;

	pl->m = vgpu_regs(v);
	pl->irq = vgpu_block_state(v, &vgpu_irq_block);
	pl->disp = vgpu_block_state(v, &vgpu_display_block);
	if (!pl->irq || !pl->disp)
		return -EINVAL;
	vgpu_display_set_vblank_hook(pl->disp, planes_vblank, pl);
	return 0;
}

static void planes_fini(void *state)
{
	struct vgpu_planes *pl = state;

	if (pl->disp)
		vgpu_display_set_vblank_hook(pl->disp, NULL, NULL);
}

/* Every plane off, nothing armed, the generation from 0. */
static void planes_reset(void *state)
{
	struct vgpu_planes *pl = state;

	memset(pl->pipe, 0, sizeof(pl->pipe));
}

/*
 * Per pipe: each plane's live registers and what is armed, the cursor's,
 * the generation.  What the guest wrote is in the register file.
 */
static void planes_save(const void *state, struct blob_w *w)
{
	const struct vgpu_planes *pl = state;
	unsigned p, n;

	for (p = 0; p < VGPU_PIPES; p++) {
		for (n = 0; n < VGPU_PLANES_PER_PIPE; n++) {
			const struct plane_live *l = &pl->pipe[p].plane[n];

			blob_put_u32(w, l->ctl);
			blob_put_u32(w, l->stride);
			blob_put_u32(w, l->pos);
			blob_put_u32(w, l->size);
			blob_put_u32(w, l->offset);
			blob_put_u32(w, l->surf);
			blob_put_u8(w, pl->pipe[p].armed[n]);
		}
		blob_put_u32(w, pl->pipe[p].cur.ctl);
		blob_put_u32(w, pl->pipe[p].cur.base);
		blob_put_u32(w, pl->pipe[p].cur.pos);
		blob_put_u8(w, pl->pipe[p].cur_armed);
		blob_put_u64(w, pl->pipe[p].generation);
	}
}

/* A flip is only ever part of an armed update. */
static bool armed_ok(uint8_t a)
{
	return a == 0 || a == ARMED || a == (ARMED | FLIP);
}

static int planes_load(void *state, struct blob_r *r)
{
	struct vgpu_planes *pl = state;
	struct pipe_planes in[VGPU_PIPES];
	unsigned p, n;

	for (p = 0; p < VGPU_PIPES; p++) {
		for (n = 0; n < VGPU_PLANES_PER_PIPE; n++) {
			struct plane_live *l = &in[p].plane[n];

			l->ctl = blob_get_u32(r);
			l->stride = blob_get_u32(r);
			l->pos = blob_get_u32(r);
			l->size = blob_get_u32(r);
			l->offset = blob_get_u32(r);
			l->surf = blob_get_u32(r);
			in[p].armed[n] = blob_get_u8(r);
			if (!armed_ok(in[p].armed[n]))
				return -EINVAL;
		}
		in[p].cur.ctl = blob_get_u32(r);
		in[p].cur.base = blob_get_u32(r);
		in[p].cur.pos = blob_get_u32(r);
		in[p].cur_armed = blob_get_u8(r);
		in[p].generation = blob_get_u64(r);
		if (in[p].cur_armed > ARMED)
			return -EINVAL;
	}
	if (r->failed)
		return -EINVAL;
	memcpy(pl->pipe, in, sizeof(in));
	return 0;
}

const struct vgpu_block vgpu_planes_block = {
    .name = "planes",
    VGPU_REGS(planes_regs),
    .state_size = sizeof(struct vgpu_planes),
    .init = planes_init,
    .reset = planes_reset,
    .fini = planes_fini,
    .save = planes_save,
    .load = planes_load,
};

int vgpu_plane_scanout(struct vgpu_planes *pl, unsigned pipe,
		       struct vgpu_scanout *out)
{
	const struct plane_live *l;
	const struct cursor_live *cur;

	if (!pl || pipe >= VGPU_PIPES || !out)
		return -EINVAL;
	l = &pl->pipe[pipe].plane[0];
	cur = &pl->pipe[pipe].cur;
	*out = (struct vgpu_scanout){
	    .pipe_enabled = vgpu_display_pipe_enabled(pl->disp, pipe),
	    .plane_enabled = l->ctl & PLANE_CTL_ENABLE,
	    .cursor_enabled = cur->ctl & MCURSOR_MODE_MASK,
	    .pipesrc = get(pl, PIPESRC(pipe)),
	    .plane_ctl = l->ctl,
	    .plane_stride = l->stride,
	    .plane_pos = l->pos,
	    .plane_size = l->size,
	    .plane_offset = l->offset,
	    .plane_surf = l->surf,
	    .cur_ctl = cur->ctl,
	    .cur_base = cur->base,
	    .cur_pos = cur->pos,
	    .generation = pl->pipe[pipe].generation,
	};
	return 0;
}
