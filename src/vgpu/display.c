/* SPDX-License-Identifier: MIT */
/*
 * display.c - the pipes' timing generators: what the transcoders are
 * programmed with, the refresh rate that gives, and the vblanks and
 * scanlines a guest sees while a pipe is enabled.
 *
 * Sources (facts only), Linux 6.1 i915 (Intel's 6.1 LTS tree):
 * i915_reg.h (offsets, fields); display/intel_display.c
 * (intel_set_transcoder_timings: every field is the value - 1;
 * intel_set_pipe_src_size; intel_link_compute_m_n: link M/N = pixel clock /
 * link symbol clock, N = 0x80000; intel_crtc_update_active_timings: on a DP
 * port the scanline counter reads one line less than the line);
 * display/intel_dpll_mgr.c (skl_ddi_dp_set_dpll_hw_state,
 * skl_ddi_lcpll_get_freq: DPLL_CTRL1's link rate codes);
 * display/intel_vblank.c (__intel_get_crtc_scanline, the PIPEDSL reads);
 * gvt/handlers.c (pipeconf_mmio_write, skl_vgpu_get_dp_bitrate,
 * vgpu_update_refresh_rate) and gvt/display.c (vblank emulation).
 *
 *   PIPEDSL        0x70000 + 0x1000 p  bits 19:0 the scanline (below);
 *                                      read-only
 *   PIPECONF       0x70008 + 0x1000 p  bit 31 enable (guest), bit 30
 *                                      state (read-only: follows 31)
 *   PIPE_FRMCOUNT  0x70040 + 0x1000 p  frames since creation, counted
 *                                      while the pipe is enabled;
 *                                      read-only
 *   HTOTAL..VSYNC  0x60000..0x60014    per transcoder (A 0x60000, B
 *                                      0x61000, C 0x62000, EDP 0x6f000):
 *                                      bits 31:16 end/total - 1, 15:0
 *                                      start/active - 1
 *   PIPESRC        0x6001c + 0x1000 p  (width - 1) << 16 | (height - 1)
 *   PIPE_DATA_M1   +0x30, _N1 +0x34    per transcoder; bits 30:25 TU - 1,
 *   PIPE_LINK_M1   +0x40, _N1 +0x44    23:0 the value
 *   TRANS_DDI_FUNC_CTL  +0x400         per transcoder: bit 31 enable,
 *                                      30:28 DDI port, 26:24 mode
 *
 * All but PIPEDSL, PIPECONF and PIPE_FRMCOUNT store as written; writing
 * them (or PIPECONF) recomputes the refresh rate.  Pipe p is fed by
 * transcoder p (the vGPU has no eDP panel; the EDP transcoder's registers
 * only store).  The rate, per enabled pipe (docs/vgpu-planes.md):
 *
 *   link clock  from DPLL_CTRL2 (power.c): the DPLL the transcoder's DDI
 *               port takes its clock from, and DPLL_CTRL1: that DPLL's
 *               DP link rate
 *   pixel clock = link clock * LINK_M1 / LINK_N1
 *   frame       = (HTOTAL total + 1) * (VTOTAL total + 1) / pixel clock
 *
 * A transcoder that is off, not in DP mode, on a port without a DP clock,
 * with N = 0 or with no blanking (active >= total) has no valid mode: 60
 * Hz.  A valid mode's rate is held to 24..240 Hz.
 *
 * While any pipe is enabled one timer runs at the period of the fastest
 * one; each pipe counts its own frames from the time that passed (an
 * accumulator per pipe), so pipes at different rates each see theirs.  A
 * pipe's frame: the vblank hook (the planes latch), PIPE_FRMCOUNT += 1,
 * its vblank (bit 0 of its DE pipe interrupt bank).  Periods the host
 * missed are counted as frames but raise one event: the IIR bit is a
 * latch, not a counter.
 *
 * PIPEDSL moves with the host's monotonic clock: at the vblank the line
 * is the vblank start (VBLANK bits 15:0 + 1), then one line per
 * frame period / vtotal, wrapping at vtotal; the register reads that
 * line - 1, as a DP port's counter does.  Without a sane vertical
 * geometry (0 < active < total) a 768-of-806-line frame is used.  A
 * disabled pipe reads 0.
 */
#include "vgpu/display.h"

#include <errno.h>
#include <time.h>

#include "util/log.h"
#include "vgpu/irq.h"

#define PIPE_STRIDE 0x1000u
#define PIPEDSL(p) (0x70000u + PIPE_STRIDE * (p))
#define PIPECONF(p) (0x70008u + PIPE_STRIDE * (p))
#define PIPE_FRMCOUNT(p) (0x70040u + PIPE_STRIDE * (p))
#define PIPECONF_ENABLE (1u << 31)
#define PIPECONF_STATE (1u << 30)
#define PIPEDSL_LINE_MASK 0xfffffu
#define GEN8_PIPE_VBLANK (1u << 0)

/* Transcoder registers, from each transcoder's base. */
#define TRANS_EDP 3
#define HTOTAL 0x00u
#define VTOTAL 0x0cu
#define VBLANK 0x10u
#define PIPESRC 0x1cu
#define DATA_M1 0x30u
#define LINK_M1 0x40u
#define LINK_N1 0x44u
#define DDI_FUNC_CTL 0x400u
#define DATA_LINK_M_N_MASK 0xffffffu

#define DDI_FUNC_ENABLE (1u << 31)
#define DDI_PORT_SHIFT 28
#define DDI_PORT_MASK 7u
#define DDI_MODE_SHIFT 24
#define DDI_MODE_MASK 7u
#define DDI_MODE_DP_SST 2u
#define DDI_MODE_DP_MST 3u
#define DDI_PORTS 5 /* A..E */

/* DPLL_CTRL1/2 live in power.c; read here, never written. */
#define DPLL_CTRL1 0x6c058u
#define DPLL_CTRL2 0x6c05cu
#define CTRL1_HDMI_MODE(id) (1u << ((id)*6 + 5))
#define CTRL1_LINK_RATE_SHIFT(id) ((id)*6 + 1)
#define CTRL2_DDI_CLK_OFF(port) (1u << ((port) + 15))
#define CTRL2_DDI_CLK_SEL_SHIFT(port) ((port)*3 + 1)
#define CTRL2_DDI_SEL_OVERRIDE(port) (1u << ((port)*3))

#define NS_PER_S 1000000000ull
#define NOMINAL_VTOTAL 806 /* 1024x768@60 (DMT) */
#define NOMINAL_VBLANK_START 768

static const uint32_t trans_base[] = {0x60000u, 0x61000u, 0x62000u, 0x6f000u};

struct display {
	struct mmio_space *m;
	struct io_host *host;
	struct vgpu_irq *irq;
	const char *name;
	struct io_timer timer; /* vblank */
	uint64_t timer_ns;     /* its period; 0: stopped */
	uint64_t vblanks;      /* timer periods while a pipe was on */
	struct {
		uint64_t frame_ns;  /* while enabled */
		uint64_t acc_ns;    /* ns of timer periods since its last frame */
		uint64_t vblank_at; /* monotonic ns of its last vblank start */
	} pipe[VGPU_PIPES];
	vgpu_vblank_fn *hook;
	void *hook_opaque;
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NS_PER_S + (uint64_t)ts.tv_nsec;
}

static uint32_t treg(const struct display *d, unsigned t, uint32_t reg)
{
	return mmio_vreg_get(d->m, trans_base[t] + reg);
}

static bool pipe_enabled(const struct display *d, unsigned p)
{
	return mmio_vreg_get(d->m, PIPECONF(p)) & PIPECONF_ENABLE;
}

/* ---- the refresh rate --------------------------------------------------- */

/*
 * The DP link symbol clock (kHz, i915's port_clock) of DDI `port`: the
 * DPLL DPLL_CTRL2 routes to it, that DPLL's rate code in DPLL_CTRL1
 * (the code names half the port clock, in MHz*10).  0 if none.
 */
static uint32_t port_clock_khz(const struct display *d, unsigned port)
{
	static const uint32_t rate_khz[8] = {
	    540000, /* 0 LINK_RATE_2700: HBR2 */
	    270000, /* 1 LINK_RATE_1350: HBR */
	    162000, /* 2 LINK_RATE_810: RBR */
	    324000, /* 3 LINK_RATE_1620 */
	    216000, /* 4 LINK_RATE_1080 */
	    432000, /* 5 LINK_RATE_2160 */
	};
	uint32_t c1 = mmio_vreg_get(d->m, DPLL_CTRL1);
	uint32_t c2 = mmio_vreg_get(d->m, DPLL_CTRL2);
	unsigned id;

	if ((c2 & CTRL2_DDI_CLK_OFF(port)) ||
	    !(c2 & CTRL2_DDI_SEL_OVERRIDE(port)))
		return 0;
	id = (c2 >> CTRL2_DDI_CLK_SEL_SHIFT(port)) & 3u;
	if (c1 & CTRL1_HDMI_MODE(id))
		return 0; /* a WRPLL for HDMI: no DP link rate */
	return rate_khz[(c1 >> CTRL1_LINK_RATE_SHIFT(id)) & 7u];
}

/* A total/active pair: both + 1; valid with some blanking. */
static bool span(uint32_t reg, uint64_t *total, uint64_t *active)
{
	*total = ((reg >> 16) & 0xffffu) + 1;
	*active = (reg & 0xffffu) + 1;
	return *active < *total;
}

/* Transcoder t's frame period (ns), or 0 without a valid DP mode. */
static uint64_t trans_frame_ns(const struct display *d, unsigned t)
{
	uint32_t ctl = treg(d, t, DDI_FUNC_CTL), mode, port;
	uint64_t ht, ha, vt, va, m, n, clk, pixel_hz, ns;

	mode = (ctl >> DDI_MODE_SHIFT) & DDI_MODE_MASK;
	port = (ctl >> DDI_PORT_SHIFT) & DDI_PORT_MASK;
	if (!(ctl & DDI_FUNC_ENABLE) || port >= DDI_PORTS ||
	    (mode != DDI_MODE_DP_SST && mode != DDI_MODE_DP_MST))
		return 0;
	clk = port_clock_khz(d, port);
	m = treg(d, t, LINK_M1) & DATA_LINK_M_N_MASK;
	n = treg(d, t, LINK_N1) & DATA_LINK_M_N_MASK;
	if (!clk || !n || !span(treg(d, t, HTOTAL), &ht, &ha) ||
	    !span(treg(d, t, VTOTAL), &vt, &va))
		return 0;
	/* <= 5.4e8 * 2^24 and <= 2^32 * 1e9: no overflow. */
	pixel_hz = clk * 1000 * m / n;
	if (!pixel_hz)
		return 0;
	ns = (ht * vt * NS_PER_S + pixel_hz / 2) / pixel_hz;
	if (ns < NS_PER_S / VGPU_REFRESH_MAX_HZ)
		ns = NS_PER_S / VGPU_REFRESH_MAX_HZ;
	if (ns > NS_PER_S / VGPU_REFRESH_MIN_HZ)
		ns = NS_PER_S / VGPU_REFRESH_MIN_HZ;
	return ns;
}

uint64_t vgpu_display_frame_ns(const struct display *d, unsigned pipe,
			       bool *valid)
{
	uint64_t ns = pipe < VGPU_PIPES ? trans_frame_ns(d, pipe) : 0;

	if (valid)
		*valid = ns != 0;
	return ns ? ns : VGPU_VBLANK_DEFAULT_NS;
}

/* ---- the timer ---------------------------------------------------------- */

/* The pipe's frame: latch, count, interrupt. */
static void frame(struct display *d, unsigned p, uint64_t frames, uint64_t now)
{
	if (d->hook)
		d->hook(d->hook_opaque, p);
	mmio_vreg_set(d->m, PIPE_FRMCOUNT(p),
		      mmio_vreg_get(d->m, PIPE_FRMCOUNT(p)) + (uint32_t)frames);
	d->pipe[p].vblank_at = now;
	vgpu_irq_raise(d->irq, VGPU_IRQ_PIPE_A + p, GEN8_PIPE_VBLANK);
}

static void vblank(void *opaque, uint64_t periods)
{
	struct display *d = opaque;
	uint64_t now = now_ns(), elapsed;
	unsigned p;

	if (periods > UINT32_MAX)
		periods = UINT32_MAX; /* hours late: a frame count, no more */
	elapsed = periods * d->timer_ns;
	for (p = 0; p < VGPU_PIPES; p++) {
		uint64_t *acc = &d->pipe[p].acc_ns, fns = d->pipe[p].frame_ns;

		if (!pipe_enabled(d, p) || !fns)
			continue;
		*acc += elapsed;
		if (*acc >= fns) {
			frame(d, p, *acc / fns, now);
			*acc %= fns;
		}
	}
	d->vblanks += periods;
}

/*
 * Each enabled pipe's period from its registers; the timer runs at the
 * shortest, exactly while some pipe is enabled, restarted only when that
 * period changes.
 */
static void update_timer(struct display *d)
{
	uint64_t want = 0, now = now_ns();
	unsigned p;
	int rc;

	for (p = 0; p < VGPU_PIPES; p++) {
		uint64_t fns = 0;

		if (pipe_enabled(d, p)) {
			fns = vgpu_display_frame_ns(d, p, NULL);
			if (!d->pipe[p].frame_ns) /* just enabled */
				d->pipe[p].vblank_at = now;
			if (!want || fns < want)
				want = fns;
		}
		if (d->pipe[p].frame_ns != fns)
			d->pipe[p].acc_ns = 0;
		d->pipe[p].frame_ns = fns;
	}
	if (want == d->timer_ns)
		return;
	rc = io_timer_set(d->host, &d->timer, want);
	if (rc) {
		log_warn("%s: cannot %s the vblank timer: %d", d->name,
			 want ? "start" : "stop", rc);
		return;
	}
	log_debug("%s: vblank period %llu ns", d->name,
		  (unsigned long long)want);
	d->timer_ns = want;
}

/* ---- registers ---------------------------------------------------------- */

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

/* A timing, M/N or DDI function register: store, then the rate again. */
static void rate_write(const struct mmio_ctx *c, uint32_t val, uint32_t be)
{
	mmio_store(c, val, be);
	update_timer(c->state);
}

/* The frame's vertical geometry: total lines and the vblank's first. */
static void geometry(const struct display *d, unsigned p, uint64_t *vt,
		     uint64_t *vbs)
{
	uint64_t va;

	if (!span(treg(d, p, VTOTAL), vt, &va)) {
		*vt = NOMINAL_VTOTAL;
		*vbs = NOMINAL_VBLANK_START;
		return;
	}
	*vbs = (treg(d, p, VBLANK) & 0xffffu) + 1;
	if (*vbs >= *vt)
		*vbs = va;
}

static uint32_t pipedsl_read(const struct mmio_ctx *c)
{
	const struct display *d = c->state;
	unsigned p = c->inst;
	uint64_t vt, vbs, fns = d->pipe[p].frame_ns, t, line;

	if (!pipe_enabled(d, p) || !fns)
		return 0;
	geometry(d, p, &vt, &vbs);
	t = (now_ns() - d->pipe[p].vblank_at) % fns;
	line = (vbs + t * vt / fns) % vt;
	return (uint32_t)((line + vt - 1) % vt) & PIPEDSL_LINE_MASK;
}

#define PER_PIPE .count = VGPU_PIPES, .stride = PIPE_STRIDE
#define PER_TRANS .count = 4, .bases = trans_base

/* One line per register, like a datasheet. */
/* clang-format off */
static const struct mmio_reg display_regs[] = {
	{.offset = PIPEDSL(0), .size = 4, .ro_mask = ~0u, .read = pipedsl_read,
	 .name = "PIPEDSL", PER_PIPE},
	{.offset = PIPECONF(0), .size = 4, .ro_mask = PIPECONF_STATE,
	 .write = pipeconf_write, .name = "PIPECONF", PER_PIPE},
	{.offset = PIPE_FRMCOUNT(0), .size = 4, .ro_mask = ~0u,
	 .name = "PIPE_FRMCOUNT", PER_PIPE},
	{.offset = HTOTAL, .size = 0x18, .write = rate_write,
	 .name = "HTOTAL..VSYNC", PER_TRANS},
	{.offset = 0x6001cu, .size = 4, .name = "PIPESRC", PER_PIPE},
	{.offset = DATA_M1, .size = 8, .name = "PIPE_DATA_M1/N1", PER_TRANS},
	{.offset = LINK_M1, .size = 8, .write = rate_write,
	 .name = "PIPE_LINK_M1/N1", PER_TRANS},
	{.offset = DDI_FUNC_CTL, .size = 4, .write = rate_write,
	 .name = "TRANS_DDI_FUNC_CTL", PER_TRANS},
};
/* clang-format on */

/* ---- lifecycle ---------------------------------------------------------- */

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

	if (d->timer_ns)
		io_timer_set(d->host, &d->timer, 0);
	d->timer_ns = 0;
}

/* After a reset every pipe is off: the timer stops. */
static void display_reset(void *state)
{
	update_timer(state);
}

/*
 * The frame phase (accumulators, the scanline's origin) is not saved: the
 * timer restarts on load and each pipe starts a frame then.
 */
static void display_save(const void *state, struct blob_w *w)
{
	const struct display *d = state;

	blob_put_u64(w, d->vblanks);
}

/* The pipes' enables came back with the registers: restart the timer. */
static int display_load(void *state, struct blob_r *r)
{
	struct display *d = state;
	unsigned p;

	d->vblanks = blob_get_u64(r);
	if (r->failed)
		return -EINVAL;
	for (p = 0; p < VGPU_PIPES; p++)
		d->pipe[p].frame_ns = d->pipe[p].acc_ns = 0;
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

bool vgpu_display_pipe_enabled(const struct display *d, unsigned pipe)
{
	return pipe < VGPU_PIPES && pipe_enabled(d, pipe);
}

uint64_t vgpu_display_timer_ns(const struct display *d)
{
	return d->timer_ns;
}

void vgpu_display_set_vblank_hook(struct display *d, vgpu_vblank_fn *fn,
				  void *opaque)
{
	d->hook = fn;
	d->hook_opaque = fn ? opaque : NULL;
}
