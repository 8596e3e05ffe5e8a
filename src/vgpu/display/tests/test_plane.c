/* SPDX-License-Identifier: MIT */
/*
 * test_plane.c - pipes, transcoders and planes as i915 6.1 programs them
 * on SKL: a modeset in hsw_crtc_enable's order (DPLL, pipe source, M/N,
 * timings, DDI function, PIPECONF) and a plane commit in
 * skl_plane_update_noarm/_arm's order (PLANE_SURF last); the double
 * buffering (nothing live before the vblank, nothing armed without
 * PLANE_SURF, self-arming PLANE_CTL and CUR_CTL, async flips), flip done,
 * the refresh rate the timer follows for the monitor's modes and for
 * hostile values, PIPEDSL, reset and save/load.
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vgpu/tests/test_util.h"
#include "util/blob.h"
#include "vgpu/block.h"
#include "vgpu/display.h"
#include "vgpu/display/edid.h"
#include "vgpu/display/plane.h"

#define T(t) (0x60000u + 0x1000u * (t))
#define HTOTAL(t) (T(t) + 0x00)
#define HBLANK(t) (T(t) + 0x04)
#define HSYNC(t) (T(t) + 0x08)
#define VTOTAL(t) (T(t) + 0x0c)
#define VBLANK(t) (T(t) + 0x10)
#define VSYNC(t) (T(t) + 0x14)
#define PIPESRC(p) (T(p) + 0x1c)
#define DATA_M1(t) (T(t) + 0x30)
#define DATA_N1(t) (T(t) + 0x34)
#define LINK_M1(t) (T(t) + 0x40)
#define LINK_N1(t) (T(t) + 0x44)
#define DDI_FUNC_CTL(t) (T(t) + 0x400)
#define DDI_ENABLE_DP_D_8BPC ((1u << 31) | (3u << 28) | (2u << 24))
#define PIPEDSL(p) (0x70000u + 0x1000u * (p))
#define PIPECONF(p) (0x70008u + 0x1000u * (p))
#define FRMCOUNT(p) (0x70040u + 0x1000u * (p))
#define FLIPCOUNT(p) (0x70044u + 0x1000u * (p))
#define PLANE(p, n) (0x70180u + 0x1000u * (p) + 0x100u * (n))
#define PLANE_CTL(p) (PLANE(p, 0) + 0x00)
#define PLANE_STRIDE(p) (PLANE(p, 0) + 0x08)
#define PLANE_POS(p) (PLANE(p, 0) + 0x0c)
#define PLANE_SIZE(p) (PLANE(p, 0) + 0x10)
#define PLANE_SURF(p) (PLANE(p, 0) + 0x1c)
#define PLANE_OFFSET(p) (PLANE(p, 0) + 0x24)
#define PLANE_SURFLIVE(p) (PLANE(p, 0) + 0x2c)
#define CUR_CTL(p) (0x70080u + 0x1000u * (p))
#define CUR_BASE(p) (CUR_CTL(p) + 0x04)
#define CUR_POS(p) (CUR_CTL(p) + 0x08)
#define CUR_SURFLIVE(p) (CUR_CTL(p) + 0x2c)
#define PIPE_IMR(p) (0x44404u + 0x10u * (p))
#define PIPE_IIR(p) (0x44408u + 0x10u * (p))
#define PIPE_IER(p) (0x4440cu + 0x10u * (p))
#define VBLANK_BIT (1u << 0)
#define FLIP_DONE1 (1u << 3)
#define FLIP_DONE2 (1u << 4)
#define DPLL_CTRL1 0x6c058u
#define DPLL_CTRL2 0x6c05cu
#define LCPLL2_CTL 0x46014u
#define PORT_D 3

/* PLANE_CTL: enable, XRGB8888, X-tiled; the async flip bit. */
#define CTL_XRGB_X ((1u << 31) | (4u << 24) | (1u << 10))
#define CTL_ASYNC (1u << 9)
#define CUR_64_ARGB 0x27u

/* DPLL_CTRL1 link rate codes (half the port clock). */
#define RATE_2700 0 /* HBR2 5.4 Gb/s */
#define RATE_1350 1 /* HBR 2.7 Gb/s */
#define RATE_810 2  /* RBR 1.62 Gb/s */

#define PERIOD_60HZ 16666667ull

static struct fake_host fh;
static struct vgpu *v;

static uint32_t rd(uint32_t off)
{
	return (uint32_t)mmio_read(vgpu_regs(v), off, 4);
}

static void wr(uint32_t off, uint32_t val)
{
	mmio_write(vgpu_regs(v), off, 4, val);
}

static struct vgpu_planes *planes(void)
{
	return vgpu_block_state(v, &vgpu_planes_block);
}

static struct display *disp(void)
{
	return vgpu_block_state(v, &vgpu_display_block);
}

static struct vgpu_scanout scanout(unsigned pipe)
{
	struct vgpu_scanout s;

	ck_assert_int_eq(vgpu_plane_scanout(planes(), pipe, &s), 0);
	return s;
}

static void setup(void)
{
	struct vgpu_config cfg;

	fake_host_init(&fh);
	vgpu_config_default(&cfg);
	ck_assert_int_eq(vgpu_create(&cfg, &fh.host, &v), 0);
}

static void teardown(void)
{
	vgpu_destroy(v);
	v = NULL;
}

/* ---- the driver's side -------------------------------------------------- */

/* compute_m_n with a constant N, reduced to 24 bits as i915 does. */
static void m_n(uint64_t num, uint64_t den, uint32_t n0, uint32_t *m,
		uint32_t *n)
{
	*n = n0;
	*m = (uint32_t)(num * n0 / den);
	while (*m > 0xffffffu || *n > 0xffffffu) {
		*m >>= 1;
		*n >>= 1;
	}
}

/* The DPLL for port D: rate code `rate` on DPLL1 (skl_ddi_pll_enable). */
static void dpll(unsigned rate)
{
	wr(DPLL_CTRL1,
	   (rd(DPLL_CTRL1) & ~(0x3fu << 6)) | (1u << 6) | (rate << 7));
	wr(LCPLL2_CTL, 1u << 31);
	/* intel_ddi_enable_clock: DPLL 1, override, the clock on */
	wr(DPLL_CTRL2, (rd(DPLL_CTRL2) & ~(7u << 9) & ~(1u << (15 + PORT_D))) |
			   (1u << 9) | (1u << 10));
}

/*
 * hsw_crtc_enable for a DP monitor on DDI D, 4 lanes, 24 bpp: the DPLL,
 * PIPESRC, the M/N values, the timings, TRANSCONF, the DDI function,
 * then the enable.
 */
static void modeset(unsigned p, const struct edid_timing *t, unsigned rate,
		    uint32_t link_khz)
{
	uint32_t dm, dn, lm, ln;

	dpll(rate);
	wr(PIPESRC(p), (uint32_t)(t->hactive - 1) << 16 | (t->vactive - 1));
	m_n(24ull * t->clock_khz, link_khz * 4ull * 8, 0x8000000, &dm, &dn);
	m_n(t->clock_khz, link_khz, 0x80000, &lm, &ln);
	wr(DATA_M1(p), (63u << 25) | dm);
	wr(DATA_N1(p), dn);
	wr(LINK_M1(p), lm);
	wr(LINK_N1(p), ln);
	wr(HTOTAL(p), (t->hactive - 1u) | (t->htotal - 1u) << 16);
	wr(HBLANK(p), (t->hactive - 1u) | (t->htotal - 1u) << 16);
	wr(HSYNC(p), (t->hactive + t->hfront - 1u) |
			 (t->hactive + t->hfront + t->hsync - 1u) << 16);
	wr(VTOTAL(p), (t->vactive - 1u) | (t->vtotal - 1u) << 16);
	wr(VBLANK(p), (t->vactive - 1u) | (t->vtotal - 1u) << 16);
	wr(VSYNC(p), (t->vactive + t->vfront - 1u) |
			 (t->vactive + t->vfront + t->vsync - 1u) << 16);
	wr(PIPECONF(p), 0);
	wr(DDI_FUNC_CTL(p), DDI_ENABLE_DP_D_8BPC);
	wr(PIPECONF(p), rd(PIPECONF(p)) | (1u << 31));
}

static struct edid_timing mode(unsigned w, unsigned h)
{
	struct edid_mode m = {w, h, 60};
	struct edid_timing t;

	ck_assert_int_eq(edid_mode_timing(&m, &t), 0);
	return t;
}

static void modeset_1024(unsigned p)
{
	struct edid_timing t = mode(1024, 768);

	modeset(p, &t, RATE_1350, 270000);
}

/* skl_plane_update_noarm, then _arm: PLANE_CTL just before PLANE_SURF. */
static void plane_commit(unsigned p, uint32_t ctl, uint32_t surf, unsigned w,
			 unsigned h)
{
	wr(PLANE_STRIDE(p), w * 4 / 512); /* X tiles */
	wr(PLANE_POS(p), 0);
	wr(PLANE_SIZE(p), (h - 1) << 16 | (w - 1));
	wr(PLANE_OFFSET(p), 0);
	wr(PLANE_CTL(p), ctl);
	wr(PLANE_SURF(p), surf);
}

/* The vblank interrupt and flip done (if `flip`) unmasked, as bdw_enable_
 * pipe_irq leaves them; IER holds both (gen8_de_irq_postinstall). */
static void irqs(unsigned p, bool flip)
{
	wr(PIPE_IER(p), VBLANK_BIT | FLIP_DONE1 | FLIP_DONE2);
	wr(PIPE_IMR(p), ~(VBLANK_BIT | (flip ? FLIP_DONE1 | FLIP_DONE2 : 0)));
}

static void ack(unsigned p)
{
	wr(PIPE_IIR(p), rd(PIPE_IIR(p)));
}

/* ---- double buffering --------------------------------------------------- */

START_TEST(first_frame_latches_at_vblank)
{
	struct vgpu_scanout s;

	irqs(0, true);
	modeset_1024(0);
	plane_commit(0, CTL_XRGB_X, 0x100000, 1024, 768);
	/* armed, not live: the old (empty) surface, no flip done yet */
	ck_assert_uint_eq(rd(PLANE_SURF(0)), 0x100000);
	ck_assert_uint_eq(rd(PLANE_SURFLIVE(0)), 0);
	ck_assert_uint_eq(rd(PIPE_IIR(0)) & FLIP_DONE1, 0);
	s = scanout(0);
	ck_assert(s.pipe_enabled);
	ck_assert(!s.plane_enabled);
	ck_assert_uint_eq(s.generation, 0);

	fake_host_tick(&fh, 1);
	ck_assert_uint_eq(rd(PLANE_SURFLIVE(0)), 0x100000);
	ck_assert_uint_eq(rd(PIPE_IIR(0)), VBLANK_BIT | FLIP_DONE1);
	ck_assert_uint_eq(rd(FLIPCOUNT(0)), 1);
	ck_assert_uint_eq(rd(FRMCOUNT(0)), 1);
	s = scanout(0);
	ck_assert(s.plane_enabled);
	ck_assert_uint_eq(s.plane_ctl, CTL_XRGB_X);
	ck_assert_uint_eq(s.plane_surf, 0x100000);
	ck_assert_uint_eq(s.plane_stride, 8);
	ck_assert_uint_eq(s.plane_size, 767u << 16 | 1023);
	ck_assert_uint_eq(s.pipesrc, 1023u << 16 | 767);
	ck_assert_uint_eq(s.generation, 1);

	/* a vblank with nothing armed changes nothing */
	ack(0);
	fake_host_tick(&fh, 1);
	ck_assert_uint_eq(rd(PIPE_IIR(0)), VBLANK_BIT);
	ck_assert_uint_eq(scanout(0).generation, 1);
	ck_assert_uint_eq(rd(FLIPCOUNT(0)), 1);
}
END_TEST

START_TEST(page_flip)
{
	irqs(0, true);
	modeset_1024(0);
	plane_commit(0, CTL_XRGB_X, 0x100000, 1024, 768);
	fake_host_tick(&fh, 1);
	ack(0);
	/* the next frame's buffer: only PLANE_SURF changes */
	wr(PLANE_CTL(0), CTL_XRGB_X);
	wr(PLANE_SURF(0), 0x400000);
	ck_assert_uint_eq(rd(PLANE_SURFLIVE(0)), 0x100000);
	ck_assert_uint_eq(rd(PIPE_IIR(0)), 0);
	fake_host_tick(&fh, 1);
	ck_assert_uint_eq(rd(PLANE_SURFLIVE(0)), 0x400000);
	ck_assert_uint_eq(rd(PIPE_IIR(0)), VBLANK_BIT | FLIP_DONE1);
	ck_assert_uint_eq(rd(FLIPCOUNT(0)), 2);
	ck_assert_uint_eq(scanout(0).generation, 2);
}
END_TEST

/* Flip done is latched only where the guest unmasked it (irq.c). */
START_TEST(flip_done_masked)
{
	irqs(0, false);
	modeset_1024(0);
	plane_commit(0, CTL_XRGB_X, 0x100000, 1024, 768);
	fake_host_tick(&fh, 1);
	ck_assert_uint_eq(rd(PLANE_SURFLIVE(0)), 0x100000);
	ck_assert_uint_eq(rd(PIPE_IIR(0)), VBLANK_BIT);
}
END_TEST

START_TEST(writes_without_surf_do_not_take_effect)
{
	struct vgpu_scanout s;

	modeset_1024(0);
	plane_commit(0, CTL_XRGB_X, 0x100000, 1024, 768);
	fake_host_tick(&fh, 1);
	/* a live plane: PLANE_CTL does not self-arm; nothing is armed */
	wr(PLANE_STRIDE(0), 16);
	wr(PLANE_POS(0), 10u << 16 | 20);
	wr(PLANE_SIZE(0), 99u << 16 | 199);
	wr(PLANE_OFFSET(0), 5);
	wr(PLANE_CTL(0), CTL_XRGB_X | (1u << 20));
	fake_host_tick(&fh, 3);
	s = scanout(0);
	ck_assert_uint_eq(s.plane_ctl, CTL_XRGB_X);
	ck_assert_uint_eq(s.plane_stride, 8);
	ck_assert_uint_eq(s.plane_pos, 0);
	ck_assert_uint_eq(s.plane_offset, 0);
	ck_assert_uint_eq(s.generation, 1);
	/* the registers read what was written */
	ck_assert_uint_eq(rd(PLANE_STRIDE(0)), 16);
	/* PLANE_SURF arms all of them, with the same address too */
	wr(PLANE_SURF(0), 0x100000);
	fake_host_tick(&fh, 1);
	s = scanout(0);
	ck_assert_uint_eq(s.plane_ctl, CTL_XRGB_X | (1u << 20));
	ck_assert_uint_eq(s.plane_stride, 16);
	ck_assert_uint_eq(s.plane_pos, 10u << 16 | 20);
	ck_assert_uint_eq(s.plane_size, 99u << 16 | 199);
	ck_assert_uint_eq(s.plane_offset, 5);
	ck_assert_uint_eq(s.generation, 2);
}
END_TEST

/* A disabled plane's PLANE_CTL arms itself; no flip, so no flip done. */
START_TEST(ctl_self_arms_while_disabled)
{
	irqs(0, true);
	modeset_1024(0);
	fake_host_tick(&fh, 1);
	ack(0);
	wr(PLANE_CTL(0), CTL_XRGB_X);
	fake_host_tick(&fh, 1);
	ck_assert(scanout(0).plane_enabled);
	ck_assert_uint_eq(rd(PIPE_IIR(0)), VBLANK_BIT);
	ck_assert_uint_eq(rd(FLIPCOUNT(0)), 0);
	/* the disable: PLANE_CTL 0 then PLANE_SURF 0 (skl_plane_disable_arm) */
	ack(0);
	wr(PLANE_CTL(0), 0);
	ck_assert(scanout(0).plane_enabled);
	wr(PLANE_SURF(0), 0);
	fake_host_tick(&fh, 1);
	ck_assert(!scanout(0).plane_enabled);
	ck_assert_uint_eq(rd(PIPE_IIR(0)), VBLANK_BIT | FLIP_DONE1);
	ck_assert_uint_eq(rd(FLIPCOUNT(0)), 1);
}
END_TEST

/* skl_plane_async_flip: the new surface at once, flip done at once. */
START_TEST(async_flip_is_immediate)
{
	irqs(0, true);
	modeset_1024(0);
	plane_commit(0, CTL_XRGB_X, 0x100000, 1024, 768);
	fake_host_tick(&fh, 1);
	ack(0);
	wr(PLANE_CTL(0), CTL_XRGB_X | CTL_ASYNC);
	wr(PLANE_SURF(0), 0x800000);
	ck_assert_uint_eq(rd(PLANE_SURFLIVE(0)), 0x800000);
	ck_assert_uint_eq(rd(PIPE_IIR(0)), FLIP_DONE1);
	ck_assert_uint_eq(rd(FLIPCOUNT(0)), 2);
	ck_assert_uint_eq(scanout(0).generation, 2);
	/* the control bits are not flipped: they wait for a synchronous one */
	ck_assert_uint_eq(scanout(0).plane_ctl, CTL_XRGB_X);
}
END_TEST

/* Plane 2 latches on its own and raises its own flip done. */
START_TEST(plane2)
{
	irqs(1, true);
	modeset_1024(1);
	wr(PLANE(1, 1) + 0x00, CTL_XRGB_X);
	wr(PLANE(1, 1) + 0x1c, 0x200000);
	ck_assert_uint_eq(rd(PLANE(1, 1) + 0x2c), 0);
	fake_host_tick(&fh, 1);
	ck_assert_uint_eq(rd(PLANE(1, 1) + 0x2c), 0x200000);
	ck_assert_uint_eq(rd(PIPE_IIR(1)), VBLANK_BIT | FLIP_DONE2);
	ck_assert_uint_eq(rd(PLANE_SURFLIVE(1)), 0);
	ck_assert_uint_eq(rd(FLIPCOUNT(1)), 0); /* plane 1's flips only */
	ck_assert_uint_eq(scanout(1).generation, 1);
}
END_TEST

/* i9xx_cursor_update_arm: CURCNTR, CURPOS, CURBASE. */
START_TEST(cursor)
{
	struct vgpu_scanout s;

	modeset_1024(0);
	wr(CUR_CTL(0), CUR_64_ARGB);
	wr(CUR_POS(0), 100u << 16 | 200);
	wr(CUR_BASE(0), 0x300000);
	ck_assert_uint_eq(rd(CUR_SURFLIVE(0)), 0);
	fake_host_tick(&fh, 1);
	s = scanout(0);
	ck_assert(s.cursor_enabled);
	ck_assert_uint_eq(s.cur_ctl, CUR_64_ARGB);
	ck_assert_uint_eq(s.cur_pos, 100u << 16 | 200);
	ck_assert_uint_eq(s.cur_base, 0x300000);
	ck_assert_uint_eq(rd(CUR_SURFLIVE(0)), 0x300000);
	ck_assert_uint_eq(s.generation, 1);
	/* a move: CURPOS alone is not armed, CURBASE arms it */
	wr(CUR_POS(0), 5u << 16 | 6);
	fake_host_tick(&fh, 1);
	ck_assert_uint_eq(scanout(0).cur_pos, 100u << 16 | 200);
	wr(CUR_BASE(0), 0x300000);
	fake_host_tick(&fh, 1);
	ck_assert_uint_eq(scanout(0).cur_pos, 5u << 16 | 6);
	ck_assert_uint_eq(scanout(0).generation, 2);
	ck_assert_uint_eq(rd(FLIPCOUNT(0)), 0);
}
END_TEST

/* No vblank on a pipe that is off: the update waits for the pipe. */
START_TEST(pipe_off_waits)
{
	struct edid_timing t = mode(1024, 768);

	wr(PLANE_CTL(2), CTL_XRGB_X);
	wr(PLANE_SURF(2), 0x500000);
	modeset_1024(0); /* another pipe's vblanks do not latch pipe C */
	fake_host_tick(&fh, 2);
	ck_assert_uint_eq(rd(PLANE_SURFLIVE(2)), 0);
	modeset(2, &t, RATE_1350, 270000);
	fake_host_tick(&fh, 1);
	ck_assert_uint_eq(rd(PLANE_SURFLIVE(2)), 0x500000);
	ck_assert(scanout(2).plane_enabled);
	ck_assert(scanout(2).pipe_enabled);
}
END_TEST

START_TEST(scanout_arguments)
{
	struct vgpu_scanout s;

	ck_assert_int_eq(vgpu_plane_scanout(planes(), 3, &s), -EINVAL);
	ck_assert_int_eq(vgpu_plane_scanout(NULL, 0, &s), -EINVAL);
	ck_assert_int_eq(vgpu_plane_scanout(planes(), 0, NULL), -EINVAL);
	s = scanout(0);
	ck_assert(!s.pipe_enabled && !s.plane_enabled && !s.cursor_enabled);
	ck_assert_uint_eq(rd(PLANE_SURFLIVE(0)), 0);
}
END_TEST

/* The live registers are read-only. */
START_TEST(live_registers_read_only)
{
	wr(PLANE_SURFLIVE(0), 0x1234000);
	wr(CUR_SURFLIVE(0), 0x1234000);
	wr(FLIPCOUNT(0), 7);
	ck_assert_uint_eq(rd(PLANE_SURFLIVE(0)), 0);
	ck_assert_uint_eq(rd(CUR_SURFLIVE(0)), 0);
	ck_assert_uint_eq(rd(FLIPCOUNT(0)), 0);
}
END_TEST

/* ---- the refresh rate --------------------------------------------------- */

static void assert_period_near(uint64_t want_ns)
{
	uint64_t got = fh.timer_period_ns;

	ck_assert_msg(got * 100 >= want_ns * 99 && got * 100 <= want_ns * 101,
		      "period %llu ns, want %llu ns within 1%%",
		      (unsigned long long)got, (unsigned long long)want_ns);
}

START_TEST(refresh_1024x768_hbr)
{
	bool valid;

	modeset_1024(0);
	assert_period_near(PERIOD_60HZ);
	ck_assert_uint_eq(vgpu_display_timer_ns(disp()), fh.timer_period_ns);
	vgpu_display_frame_ns(disp(), 0, &valid);
	ck_assert(valid);
	/* not exactly the 60 Hz default: the mode's own 60.004 Hz */
	ck_assert_uint_ne(fh.timer_period_ns, PERIOD_60HZ);
}
END_TEST

START_TEST(refresh_1280x1024_hbr)
{
	struct edid_timing t = mode(1280, 1024);

	modeset(0, &t, RATE_1350, 270000);
	assert_period_near(PERIOD_60HZ);
}
END_TEST

START_TEST(refresh_other_link_rates)
{
	struct edid_timing t = mode(1920, 1080);

	modeset(0, &t, RATE_2700, 540000);
	assert_period_near(PERIOD_60HZ);
	wr(PIPECONF(0), 0);
	t = mode(1024, 768);
	modeset(0, &t, RATE_810, 162000);
	assert_period_near(PERIOD_60HZ);
}
END_TEST

/* The M/N say 30 Hz: the timer follows (gvt: vgpu_update_refresh_rate). */
START_TEST(refresh_follows_m_n)
{
	modeset_1024(0);
	wr(LINK_M1(0), rd(LINK_M1(0)) / 2);
	assert_period_near(2 * PERIOD_60HZ);
}
END_TEST

static void hostile(uint32_t val)
{
	static const uint32_t regs[] = {
	    HTOTAL(0), HBLANK(0),  HSYNC(0),   VTOTAL(0),  VBLANK(0),
	    VSYNC(0),  LINK_M1(0), LINK_N1(0), DATA_M1(0), DATA_N1(0)};
	size_t i;

	for (i = 0; i < sizeof(regs) / sizeof(regs[0]); i++)
		wr(regs[i], val);
}

START_TEST(refresh_hostile_values)
{
	static const uint32_t vals[] = {0, 0xffffffffu, 0x0000ffffu};
	bool valid;
	size_t i;

	modeset_1024(0);
	for (i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
		hostile(vals[i]);
		ck_assert_uint_eq(fh.timer_period_ns, PERIOD_60HZ);
		ck_assert_uint_eq(vgpu_display_frame_ns(disp(), 0, &valid),
				  PERIOD_60HZ);
		ck_assert(!valid);
		/* the scanline stays in a frame */
		ck_assert_uint_lt(rd(PIPEDSL(0)), 0x10000);
		fake_host_tick(&fh, 1);
	}
	/* a sane mode but N = 0, or M = 0: no pixel clock */
	modeset_1024(0);
	wr(LINK_N1(0), 0);
	ck_assert_uint_eq(fh.timer_period_ns, PERIOD_60HZ);
	modeset_1024(0);
	wr(LINK_M1(0), 0);
	ck_assert_uint_eq(fh.timer_period_ns, PERIOD_60HZ);
	/* 65536 x 65536 with blanking, M = N: a mode, at 0.06 Hz: 24 Hz */
	hostile(0xffff0000u);
	ck_assert_uint_eq(fh.timer_period_ns, 1000000000ull / 24);
	ck_assert_uint_lt(rd(PIPEDSL(0)), 0x10000);
	/* M, N beyond their 24 bits count only those */
	modeset_1024(0);
	wr(LINK_N1(0), rd(LINK_N1(0)) | 0xff000000u);
	assert_period_near(PERIOD_60HZ);
}
END_TEST

/* No DP clock on the port, or not a DP transcoder: 60 Hz. */
START_TEST(refresh_needs_dp_clock)
{
	modeset_1024(0);
	wr(DPLL_CTRL2, rd(DPLL_CTRL2) | (1u << (15 + PORT_D))); /* clock off */
	wr(PIPECONF(0), 0);
	wr(PIPECONF(0), 1u << 31);
	ck_assert_uint_eq(fh.timer_period_ns, PERIOD_60HZ);
	modeset_1024(0);
	wr(DPLL_CTRL1, rd(DPLL_CTRL1) | (1u << 11)); /* DPLL1 in HDMI mode */
	wr(PIPECONF(0), 0);
	wr(PIPECONF(0), 1u << 31);
	ck_assert_uint_eq(fh.timer_period_ns, PERIOD_60HZ);
	modeset_1024(0);
	wr(DDI_FUNC_CTL(0), DDI_ENABLE_DP_D_8BPC & ~(7u << 24)); /* HDMI */
	ck_assert_uint_eq(fh.timer_period_ns, PERIOD_60HZ);
	modeset_1024(0);
	wr(DDI_FUNC_CTL(0), DDI_ENABLE_DP_D_8BPC | (7u << 28)); /* port 7 */
	ck_assert_uint_eq(fh.timer_period_ns, PERIOD_60HZ);
	modeset_1024(0);
	wr(DDI_FUNC_CTL(0), 0);
	ck_assert_uint_eq(fh.timer_period_ns, PERIOD_60HZ);
}
END_TEST

/* A valid mode is held to 24..240 Hz. */
START_TEST(refresh_clamped)
{
	modeset_1024(0);
	/* 64x8 total at 65 MHz: 127 kHz */
	wr(HTOTAL(0), 31u | 63u << 16);
	wr(VTOTAL(0), 3u | 7u << 16);
	ck_assert_uint_eq(fh.timer_period_ns, 1000000000ull / 240);
	/* 8192x8192 at 65 MHz: 1 Hz */
	wr(HTOTAL(0), 1023u | 8191u << 16);
	wr(VTOTAL(0), 767u | 8191u << 16);
	ck_assert_uint_eq(fh.timer_period_ns, 1000000000ull / 24);
}
END_TEST

/*
 * Two pipes, 60 and 30 Hz: one timer at pipe A's rate, each pipe counts
 * its own frames (B's period is not exactly twice A's: M/N round).
 */
START_TEST(two_pipes_two_rates)
{
	unsigned i;
	uint32_t b;

	modeset_1024(0);
	modeset_1024(1);
	wr(LINK_N1(1), rd(LINK_N1(1)) * 2);
	assert_period_near(PERIOD_60HZ);
	fake_host_tick(&fh, 1);
	ck_assert_uint_eq(rd(FRMCOUNT(0)), 1);
	ck_assert_uint_eq(rd(FRMCOUNT(1)), 0);
	for (i = 1; i < 60; i++)
		fake_host_tick(&fh, 1);
	ck_assert_uint_eq(rd(FRMCOUNT(0)), 60);
	b = rd(FRMCOUNT(1));
	ck_assert_msg(b == 29 || b == 30, "pipe B: %u frames", b);
	/* late by 10 periods: the frames are counted all the same */
	fake_host_tick(&fh, 10);
	ck_assert_uint_eq(rd(FRMCOUNT(0)), 70);
	ck_assert_uint_ge(rd(FRMCOUNT(1)), b + 4);
	/* pipe A off: the timer slows to pipe B's rate */
	wr(PIPECONF(0), 0);
	assert_period_near(2 * PERIOD_60HZ);
	b = rd(FRMCOUNT(1));
	fake_host_tick(&fh, 1);
	ck_assert_uint_eq(rd(FRMCOUNT(1)), b + 1);
	ck_assert_uint_eq(rd(FRMCOUNT(0)), 70);
}
END_TEST

/* ---- the scanline ------------------------------------------------------- */

START_TEST(pipedsl_moves_within_the_frame)
{
	uint32_t a, b;

	ck_assert_uint_eq(rd(PIPEDSL(0)), 0); /* pipe off */
	modeset_1024(0);
	fake_host_tick(&fh, 1);
	/* just after the vblank starts: vblank_start - 1 (and a few lines) */
	a = rd(PIPEDSL(0));
	ck_assert_uint_ge(a, 767);
	ck_assert_uint_lt(a, 806);
	usleep(3000); /* some 145 lines */
	b = rd(PIPEDSL(0));
	ck_assert_uint_lt(b, 806);
	ck_assert_uint_ne(a, b);
	/* the pipe's disable: the counter stops */
	wr(PIPECONF(0), 0);
	ck_assert_uint_eq(rd(PIPECONF(0)), 0);
	ck_assert_uint_eq(rd(PIPEDSL(0)), 0);
	wr(PIPEDSL(0), 123); /* read-only */
	ck_assert_uint_eq(rd(PIPEDSL(0)), 0);
}
END_TEST

/* ---- reset, save, load -------------------------------------------------- */

START_TEST(reset_clears)
{
	modeset_1024(0);
	plane_commit(0, CTL_XRGB_X, 0x100000, 1024, 768);
	fake_host_tick(&fh, 1);
	wr(PLANE_SURF(0), 0x200000);
	vgpu_reset(v);
	ck_assert_uint_eq(rd(PLANE_SURFLIVE(0)), 0);
	ck_assert_uint_eq(rd(PLANE_SURF(0)), 0);
	ck_assert_uint_eq(fh.timer_period_ns, 0);
	ck_assert_uint_eq(scanout(0).generation, 0);
	ck_assert(!scanout(0).plane_enabled);
	/* nothing stayed armed */
	modeset_1024(0);
	fake_host_tick(&fh, 1);
	ck_assert_uint_eq(rd(PLANE_SURFLIVE(0)), 0);
	ck_assert_uint_eq(scanout(0).generation, 0);
}
END_TEST

static bool same(const struct vgpu_scanout *a, const struct vgpu_scanout *b)
{
	return a->pipe_enabled == b->pipe_enabled &&
	       a->plane_enabled == b->plane_enabled &&
	       a->cursor_enabled == b->cursor_enabled &&
	       a->pipesrc == b->pipesrc && a->plane_ctl == b->plane_ctl &&
	       a->plane_stride == b->plane_stride &&
	       a->plane_pos == b->plane_pos && a->plane_size == b->plane_size &&
	       a->plane_offset == b->plane_offset &&
	       a->plane_surf == b->plane_surf && a->cur_ctl == b->cur_ctl &&
	       a->cur_base == b->cur_base && a->cur_pos == b->cur_pos &&
	       a->generation == b->generation;
}

static void save(struct blob_w *w)
{
	blob_w_init(w);
	ck_assert_int_eq(vgpu_save(v, w), 0);
}

/* The planes block's body in a saved stream. */
static uint8_t *planes_body(struct blob_w *w)
{
	static const char name[] = "planes";
	size_t i;

	for (i = 4; i + sizeof(name) + 4 <= w->len; i++)
		if (w->buf[i - 4] == sizeof(name) - 1 && !w->buf[i - 3] &&
		    !memcmp(w->buf + i, name, sizeof(name) - 1))
			return w->buf + i + sizeof(name) - 1 + 4;
	ck_abort_msg("no planes block in the stream");
	return NULL;
}

START_TEST(save_load_round_trip)
{
	struct vgpu_scanout before, after;
	struct blob_w w;

	irqs(0, true);
	modeset_1024(0);
	plane_commit(0, CTL_XRGB_X, 0x100000, 1024, 768);
	wr(CUR_CTL(0), CUR_64_ARGB);
	wr(CUR_BASE(0), 0x300000);
	fake_host_tick(&fh, 1);
	ack(0);
	wr(PLANE_SURF(0), 0x400000); /* armed when saved */
	before = scanout(0);
	save(&w);

	teardown();
	setup();
	ck_assert_int_eq(vgpu_load(v, w.buf, w.len), 0);
	after = scanout(0);
	ck_assert(same(&before, &after));
	ck_assert_uint_eq(rd(PLANE_SURFLIVE(0)), 0x100000);
	ck_assert_uint_eq(rd(CUR_SURFLIVE(0)), 0x300000);
	assert_period_near(PERIOD_60HZ);
	/* the armed flip completes on the loaded vGPU */
	fake_host_tick(&fh, 1);
	ck_assert_uint_eq(rd(PLANE_SURFLIVE(0)), 0x400000);
	ck_assert_uint_eq(rd(PIPE_IIR(0)), VBLANK_BIT | FLIP_DONE1);
	ck_assert_uint_eq(rd(FLIPCOUNT(0)), 2);
	ck_assert_uint_eq(scanout(0).generation, 3);
	blob_w_free(&w);
}
END_TEST

START_TEST(load_refuses_bad_armed_state)
{
	static const uint8_t bad[] = {2, 4, 0xff};
	struct blob_w w;
	uint8_t *body;
	size_t i;

	save(&w);
	body = planes_body(&w);
	for (i = 0; i < sizeof(bad); i++) {
		body[24] = bad[i]; /* pipe A plane 1's armed byte */
		ck_assert_int_eq(vgpu_load(v, w.buf, w.len), -EINVAL);
	}
	body[24] = 0;
	body[2 * 25 + 12] = 2; /* pipe A cursor's */
	ck_assert_int_eq(vgpu_load(v, w.buf, w.len), -EINVAL);
	body[2 * 25 + 12] = 1;
	ck_assert_int_eq(vgpu_load(v, w.buf, w.len), 0);
	blob_w_free(&w);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("plane");
	TCase *tc = tcase_create("plane");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, first_frame_latches_at_vblank);
	tcase_add_test(tc, page_flip);
	tcase_add_test(tc, flip_done_masked);
	tcase_add_test(tc, writes_without_surf_do_not_take_effect);
	tcase_add_test(tc, ctl_self_arms_while_disabled);
	tcase_add_test(tc, async_flip_is_immediate);
	tcase_add_test(tc, plane2);
	tcase_add_test(tc, cursor);
	tcase_add_test(tc, pipe_off_waits);
	tcase_add_test(tc, scanout_arguments);
	tcase_add_test(tc, live_registers_read_only);
	tcase_add_test(tc, refresh_1024x768_hbr);
	tcase_add_test(tc, refresh_1280x1024_hbr);
	tcase_add_test(tc, refresh_other_link_rates);
	tcase_add_test(tc, refresh_follows_m_n);
	tcase_add_test(tc, refresh_hostile_values);
	tcase_add_test(tc, refresh_needs_dp_clock);
	tcase_add_test(tc, refresh_clamped);
	tcase_add_test(tc, two_pipes_two_rates);
	tcase_add_test(tc, pipedsl_moves_within_the_frame);
	tcase_add_test(tc, reset_clears);
	tcase_add_test(tc, save_load_round_trip);
	tcase_add_test(tc, load_refuses_bad_armed_state);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return vgpu_test_run(suite());
}
