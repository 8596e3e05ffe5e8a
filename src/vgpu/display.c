/* SPDX-License-Identifier: MIT */
/*
 * display.c - the pipes' timing generators, as far as the guest can see
 * them without a monitor: enabling a pipe starts its vblanks.
 *
 * Sources (facts only): i915_reg.h (offsets), gvt/handlers.c
 * (pipeconf_mmio_write) and gvt/display.c (vblank emulation).
 *
 *   PIPECONF      0x70008 + 0x1000 * pipe   bit 31 enable (guest), bit 30
 *                                           state (read-only: follows 31)
 *   PIPE_FRMCOUNT 0x70040 + 0x1000 * pipe   frames since creation, counted
 *                                           while the pipe is enabled;
 *                                           read-only
 *
 * While any pipe is enabled one timer runs at the refresh rate (60 Hz until
 * a mode is programmed); each period, every enabled pipe counts a frame and
 * raises its vblank (bit 0 of its DE pipe interrupt bank).  Periods the
 * host missed are counted as frames but raise one event: the IIR bit is a
 * latch, not a counter.
 */
#include "vgpu/display.h"

#include <errno.h>

#include "util/log.h"
#include "vgpu/irq.h"

#define VGPU_PIPES 3 /* A, B, C */
#define PIPECONF(p) (0x70008u + 0x1000u * (p))
#define PIPE_FRMCOUNT(p) (0x70040u + 0x1000u * (p))
#define PIPECONF_ENABLE (1u << 31)
#define PIPECONF_STATE (1u << 30)
#define GEN8_PIPE_VBLANK (1u << 0)

#define VBLANK_PERIOD_NS 16666667ull /* 60 Hz */

struct display {
	struct mmio_space *m;
	struct io_host *host;
	struct vgpu_irq *irq;
	const char *name;
	struct io_timer timer; /* vblank */
	bool timer_on;
	uint64_t vblanks; /* timer periods while a pipe was on */
};

static bool pipe_enabled(const struct display *d, unsigned p)
{
	return mmio_vreg_get(d->m, PIPECONF(p)) & PIPECONF_ENABLE;
}

static void vblank(void *opaque, uint64_t periods)
{
	struct display *d = opaque;
	unsigned p;

	for (p = 0; p < VGPU_PIPES; p++) {
		if (!pipe_enabled(d, p))
			continue;
		mmio_vreg_set(d->m, PIPE_FRMCOUNT(p),
			      mmio_vreg_get(d->m, PIPE_FRMCOUNT(p)) +
				  (uint32_t)periods);
		vgpu_irq_raise(d->irq, VGPU_IRQ_PIPE_A + p, GEN8_PIPE_VBLANK);
	}
	d->vblanks += periods;
}

/* Run the timer exactly while some pipe is enabled. */
static void update_timer(struct display *d)
{
	bool want = false;
	unsigned p;
	int rc;

	for (p = 0; p < VGPU_PIPES; p++)
		want |= pipe_enabled(d, p);
	if (want == d->timer_on)
		return;
	rc = io_timer_set(d->host, &d->timer, want ? VBLANK_PERIOD_NS : 0);
	if (rc) {
		log_warn("%s: cannot %s the vblank timer: %d", d->name,
			 want ? "start" : "stop", rc);
		return;
	}
	d->timer_on = want;
}

static void pipeconf_write(const struct mmio_ctx *c, uint32_t val, uint32_t be)
{
	uint32_t nv;

	mmio_store(c, val, be);
	nv = mmio_ctx_get(c) & ~PIPECONF_STATE;
	if (nv & PIPECONF_ENABLE)
		nv |= PIPECONF_STATE;
	mmio_ctx_set(c, nv);
	update_timer(c->state);
}

/* One line per register, like a datasheet; one instance per pipe. */
/* clang-format off */
static const struct mmio_reg display_regs[] = {
	{.offset = PIPECONF(0), .size = 4, .ro_mask = PIPECONF_STATE,
	 .write = pipeconf_write, .name = "PIPECONF",
	 .count = VGPU_PIPES, .stride = 0x1000},
	{.offset = PIPE_FRMCOUNT(0), .size = 4, .ro_mask = ~0u,
	 .name = "PIPE_FRMCOUNT", .count = VGPU_PIPES, .stride = 0x1000},
};
/* clang-format on */

static int display_init(struct vgpu *v, void *state)
{
	struct display *d = state;

	d->m = vgpu_regs(v);
	d->host = vgpu_host(v);
	d->irq = vgpu_block_state(v, &vgpu_irq_block);
	d->name = vgpu_name(v);
	d->timer = (struct io_timer){
	    .name = "vblank",
	    .fire = vblank,
	    .opaque = d,
	    .handle = -1,
	};
	return d->irq ? 0 : -EINVAL;
}

static void display_fini(void *state)
{
	struct display *d = state;

	if (d->timer_on)
		io_timer_set(d->host, &d->timer, 0);
	d->timer_on = false;
}

/* After a reset every pipe is off: the timer stops. */
static void display_reset(void *state)
{
	update_timer(state);
}

static void display_save(const void *state, struct blob_w *w)
{
	const struct display *d = state;

	blob_put_u64(w, d->vblanks);
}

/* The pipes' enables came back with the registers: restart the timer. */
static int display_load(void *state, struct blob_r *r)
{
	struct display *d = state;

	d->vblanks = blob_get_u64(r);
	if (r->failed)
		return -EINVAL;
	update_timer(d);
	return 0;
}

const struct vgpu_block vgpu_display_block = {
    .name = "display",
    VGPU_REGS(display_regs),
    .state_size = sizeof(struct display),
    .init = display_init,
    .reset = display_reset,
    .fini = display_fini,
    .save = display_save,
    .load = display_load,
};

uint64_t vgpu_display_vblanks(const struct display *d)
{
	return d->vblanks;
}
