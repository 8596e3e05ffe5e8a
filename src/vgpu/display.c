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
#include "vgpu/vgpu_priv.h"

#include "util/log.h"

#define PIPECONF(p) (0x70008u + 0x1000u * (p))
#define PIPE_FRMCOUNT(p) (0x70040u + 0x1000u * (p))
#define PIPECONF_ENABLE (1u << 31)
#define PIPECONF_STATE (1u << 30)
#define GEN8_PIPE_VBLANK (1u << 0)

#define VBLANK_PERIOD_NS 16666667ull /* 60 Hz */

static bool pipe_enabled(const struct vgpu *v, unsigned p)
{
	return mmio_vreg_get(&v->mmio, PIPECONF(p)) & PIPECONF_ENABLE;
}

static void vblank(void *opaque, uint64_t periods)
{
	struct vgpu *v = opaque;
	unsigned p;

	for (p = 0; p < VGPU_PIPES; p++) {
		if (!pipe_enabled(v, p))
			continue;
		mmio_vreg_set(&v->mmio, PIPE_FRMCOUNT(p),
			      mmio_vreg_get(&v->mmio, PIPE_FRMCOUNT(p)) +
				  (uint32_t)periods);
		vgpu_irq_raise(v, VGPU_IRQ_PIPE_A + p, GEN8_PIPE_VBLANK);
	}
	v->display.vblanks += periods;
}

/* Run the timer exactly while some pipe is enabled. */
static void update_timer(struct vgpu *v)
{
	bool want = false;
	unsigned p;
	int rc;

	for (p = 0; p < VGPU_PIPES; p++)
		want |= pipe_enabled(v, p);
	if (want == v->display.timer_on)
		return;
	rc = io_timer_set(v->host, &v->display.timer,
			  want ? VBLANK_PERIOD_NS : 0);
	if (rc) {
		log_warn("%s: cannot %s the vblank timer: %d", v->name,
			 want ? "start" : "stop", rc);
		return;
	}
	v->display.timer_on = want;
}

static void pipeconf_write(struct mmio_space *m, const struct mmio_reg *r,
			   uint32_t off, uint32_t val, uint32_t be)
{
	struct vgpu *v = m->owner;
	uint32_t nv;

	mmio_store(m, r, off, val, be);
	nv = mmio_vreg_get(m, off) & ~PIPECONF_STATE;
	if (nv & PIPECONF_ENABLE)
		nv |= PIPECONF_STATE;
	mmio_vreg_set(m, off, nv);
	update_timer(v);
}

void vgpu_display_setup(struct vgpu *v)
{
	v->display.timer = (struct io_timer){
	    .name = "vblank",
	    .fire = vblank,
	    .opaque = v,
	    .handle = -1,
	};
}

void vgpu_display_stop(struct vgpu *v)
{
	if (v->display.timer_on)
		io_timer_set(v->host, &v->display.timer, 0);
	v->display.timer_on = false;
}

/* One line per register, like a datasheet. */
/* clang-format off */
#define PIPE(p, nm)                                                          \
	{.offset = PIPECONF(p), .size = 4, .ro_mask = PIPECONF_STATE,        \
	 .write = pipeconf_write, .name = "PIPECONF_" nm},                    \
	{.offset = PIPE_FRMCOUNT(p), .size = 4, .ro_mask = ~0u,              \
	 .name = "PIPE_FRMCOUNT_" nm}

static const struct mmio_reg display_regs[] = {
	PIPE(0, "A"),
	PIPE(1, "B"),
	PIPE(2, "C"),
};
/* clang-format on */

const struct mmio_block vgpu_display_regs = {
    .name = "display",
    .regs = display_regs,
    .nregs = sizeof(display_regs) / sizeof(display_regs[0]),
};
