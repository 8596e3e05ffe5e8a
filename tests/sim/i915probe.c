/* SPDX-License-Identifier: MIT */
/*
 * i915probe.c - Linux 6.1 i915's probe of a GVT-g vGPU, replayed.
 *
 * Each step is one driver function, with the registers it touches and
 * the checks it makes on them (i915_vgpu.c, i915_irq.c, gt/intel_ggtt*.c;
 * docs/vgpu-registers.md has the order).  Facts, not the driver's code.
 */
#include "i915probe.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define VGT_MAGIC 0x4776544776544776ull
#define VGT_CAPS_FULL_PPGTT (1u << 2)
#define VGT_CAPS_HWSP_EMULATION (1u << 3)
#define PVINFO 0x78000u
#define GGTT_OFF 0x800000u /* the GGTT half of BAR0 */
#define GGTT_TOTAL (4ull << 30)
#define FENCE_LO(n) (0x100000u + 8u * (n))
#define MASTER_IRQ 0x44200u
#define MASTER_IRQ_CONTROL (1u << 31)
#define PIPECONF_A 0x70008u
#define PIPE_A_IMR 0x44404u
#define PIPE_A_IIR 0x44408u
#define PIPE_A_IER 0x4440cu
#define PIPE_VBLANK 1u
#define MSI_CAP 0xacu /* the vGPU's MSI capability (docs/vgpu-pci.md) */

static const uint32_t bank[I915PROBE_BANKS] = {
    0x44300, 0x44310, 0x44320, 0x44330, 0x44400, 0x44410,
    0x44420, 0x44440, 0x44460, 0x444e0, 0xc4000,
};

static int fail(struct i915probe *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->why, sizeof(p->why), fmt, ap);
	va_end(ap);
	return -1;
}

/* Accessors: a transport failure is a failed step, never a crash. */
static bool rd(struct i915probe *p, uint32_t off, unsigned size, uint64_t *out)
{
	uint64_t v[2] = {0, 0};

	if (xsim_mmio_read(p->v, p->bar0 + off, size, v) < 0)
		return false;
	*out = v[0];
	return true;
}

static bool wr(struct i915probe *p, uint32_t off, unsigned size, uint64_t val)
{
	const uint64_t v[2] = {val, 0};

	return xsim_mmio_write(p->v, p->bar0 + off, size, v) == 0;
}

static bool rd32(struct i915probe *p, uint32_t off, uint32_t *out)
{
	uint64_t v;

	if (!rd(p, off, 4, &v))
		return false;
	*out = (uint32_t)v;
	return true;
}

static bool cfg_rd(struct i915probe *p, unsigned reg, unsigned size,
		   uint32_t *out)
{
	return xsim_cfg_read(p->v, 0x10 /* 00:02.0 */, reg, size, out) == 0;
}

static bool cfg_wr(struct i915probe *p, unsigned reg, unsigned size,
		   uint32_t val)
{
	return xsim_cfg_write(p->v, 0x10, reg, size, val) == 0;
}

/* hvmloader: size and place the BARs, decode on (as the firmware does). */
static int step_bars(struct i915probe *p)
{
	uint32_t mask = 0;

	if (!cfg_wr(p, 0x04, 2, 0) || !cfg_wr(p, 0x18, 4, 0xffffffffu) ||
	    !cfg_rd(p, 0x18, 4, &mask))
		return fail(p, "config space does not answer");
	p->aperture = (uint64_t)(~(mask & ~0xfu)) + 1;
	if (!cfg_wr(p, 0x10, 4, (uint32_t)p->bar0) ||
	    !cfg_wr(p, 0x14, 4, (uint32_t)(p->bar0 >> 32)) ||
	    !cfg_wr(p, 0x18, 4, (uint32_t)p->bar2) ||
	    !cfg_wr(p, 0x1c, 4, (uint32_t)(p->bar2 >> 32)) ||
	    !cfg_wr(p, 0x20, 4, p->bar4) || !cfg_wr(p, 0x04, 2, 0x0007))
		return fail(p, "cannot program the BARs");
	return 0;
}

/* intel_vgpu_detect: one 64-bit magic read, version, capabilities. */
static int step_detect(struct i915probe *p)
{
	uint64_t ver, caps, id;

	if (!rd(p, PVINFO, 8, &p->magic) || !rd(p, PVINFO + 8, 4, &ver) ||
	    !rd(p, PVINFO + 0x10, 4, &caps) || !rd(p, PVINFO + 0xc, 4, &id))
		return fail(p, "PVINFO does not answer");
	p->version_major = (uint16_t)ver;
	p->version_minor = (uint16_t)(ver >> 16);
	p->caps = (uint32_t)caps;
	p->vgt_id = (uint32_t)id;
	if (p->magic != VGT_MAGIC)
		return fail(p, "no PVINFO magic: probed as a native GPU");
	if (p->version_major < 1)
		return fail(p, "VGT interface version mismatch!");
	p->detected = true;
	/* i915_driver_hw_probe refuses a vGPU without either capability */
	if (!(p->caps & VGT_CAPS_HWSP_EMULATION))
		return fail(p, "Cannot load into an active vGPU without HWSP "
			       "emulation");
	if (!(p->caps & VGT_CAPS_FULL_PPGTT))
		return fail(p, "no full PPGTT on the vGPU");
	return 0;
}

/* intel_vgt_balloon: the partition must fit the GGTT's two halves. */
static int step_balloon(struct i915probe *p)
{
	uint64_t map_end, hidden_end;

	if (!rd32(p, PVINFO + 0x40, &p->map_base) ||
	    !rd32(p, PVINFO + 0x44, &p->map_size) ||
	    !rd32(p, PVINFO + 0x48, &p->hidden_base) ||
	    !rd32(p, PVINFO + 0x4c, &p->hidden_size) ||
	    !rd32(p, PVINFO + 0x50, &p->fence_num))
		return fail(p, "PVINFO does not answer");
	map_end = (uint64_t)p->map_base + p->map_size;
	hidden_end = (uint64_t)p->hidden_base + p->hidden_size;
	if (!p->map_size || !p->hidden_size || map_end > p->aperture ||
	    p->hidden_base < p->aperture || hidden_end > GGTT_TOTAL)
		return fail(p, "Invalid ballooning configuration!");
	p->ballooned = true;
	return 0;
}

/*
 * i915_ggtt_init_fences / fence_write: the driver uses fence_num fences
 * and writes each; the device keeps them.  A write beyond the share must
 * not stick (another vGPU's fence on real hardware).
 */
static int step_fences(struct i915probe *p)
{
	uint64_t val;
	unsigned n;

	if (!p->fence_num || p->fence_num > 32)
		return fail(p, "fence_num %u", p->fence_num);
	for (n = 0; n < p->fence_num; n++) {
		uint64_t want = 0x0000100000001000ull * (n + 1) | 1;

		if (!wr(p, FENCE_LO(n), 8, want) || !rd(p, FENCE_LO(n), 8, &val))
			return fail(p, "fence %u does not answer", n);
		p->fences_stored += val == want;
	}
	if (n < 32) {
		if (!wr(p, FENCE_LO(n), 8, 0x2000000020001ull) ||
		    !rd(p, FENCE_LO(n), 8, &val))
			return fail(p, "fence %u does not answer", n);
		p->fence_beyond_dropped = val == 0;
	}
	for (n = 0; n < p->fence_num; n++)
		if (!wr(p, FENCE_LO(n), 8, 0))
			return fail(p, "fence %u does not answer", n);
	if (p->fences_stored != p->fence_num)
		return fail(p, "fences do not keep what is written");
	return 0;
}

/*
 * gen8_irq_reset then GEN3_IRQ_INIT's assertion: every bank masked,
 * disabled, IIR cleared twice; each IIR must then read 0 ("Interrupt
 * register 0x%x is not zero").
 */
static int step_irq_reset(struct i915probe *p)
{
	uint32_t iir;
	unsigned b;

	if (!wr(p, MASTER_IRQ, 4, 0))
		return fail(p, "master does not answer");
	for (b = 0; b < I915PROBE_BANKS; b++) {
		if (!wr(p, bank[b] + 4, 4, 0xffffffffu) ||
		    !wr(p, bank[b] + 0xc, 4, 0) ||
		    !wr(p, bank[b] + 8, 4, 0xffffffffu) ||
		    !wr(p, bank[b] + 8, 4, 0xffffffffu) ||
		    !rd32(p, bank[b] + 8, &iir))
			return fail(p, "interrupt bank %#x does not answer",
				    bank[b]);
		if (iir && !p->iir_not_zero) {
			p->iir_not_zero = bank[b] + 8;
			return fail(p, "Interrupt register 0x%x is not zero: "
				       "0x%08x",
				    bank[b] + 8, iir);
		}
	}
	return 0;
}

/*
 * gen8_ggtt_insert_entries: 8-byte stores into the GGTT half of BAR0,
 * then the device's view of them (BAR4's MMIO_INDEX/MMIO_DATA window
 * reads what the device would translate through).
 */
static int step_ggtt(struct i915probe *p)
{
	enum { N = 512 };
	size_t before, after;
	uint32_t got;
	unsigned i;

	if (xsim_log_ioreqs(p->sim, p->domid, 0, NULL, 0, &before) < 0)
		return fail(p, "no ioreq log");
	for (i = 0; i < N; i++)
		if (!wr(p, GGTT_OFF + 8 * i, 8,
			((uint64_t)(0x100000 + i) << 12) | 1))
			return fail(p, "GGTT store %u failed", i);
	if (xsim_log_ioreqs(p->sim, p->domid, 0, NULL, 0, &after) < 0)
		return fail(p, "no ioreq log");
	p->ptes_written = N;
	p->pte_ioreqs = after - before;
	p->ptes_read_back = true;
	for (i = 0; i < N; i += 97) {
		if (xsim_pio_write(p->v, p->bar4, 4, GGTT_OFF + 8 * i) < 0 ||
		    xsim_pio_read(p->v, p->bar4 + 4, 4, &got) < 0)
			return fail(p, "BAR4 window does not answer");
		if (got != (((0x100000u + i) << 12) | 1))
			p->ptes_read_back = false;
	}
	return p->ptes_read_back ? 0 : fail(p, "the device reads other GGTT "
					       "entries than the guest wrote");
}

/*
 * MSI on (pci_enable_msi), then one event end to end: the vblank of
 * pipe A unmasked and enabled, the master on; an MSI must arrive and
 * the handler's "master off, read IIR, ack, master on" find the event.
 */
static int step_interrupt(struct i915probe *p)
{
	size_t base, now = 0;
	uint32_t iir = 0, flags = 0;
	unsigned ms;

	if (!cfg_wr(p, MSI_CAP + 4, 4, 0xfee00000u) ||
	    !cfg_wr(p, MSI_CAP + 8, 2, 0x41) || !cfg_rd(p, MSI_CAP + 2, 2, &flags) ||
	    !cfg_wr(p, MSI_CAP + 2, 2, flags | 1))
		return fail(p, "cannot enable MSI");
	if (xsim_log_msis(p->sim, p->domid, 0, NULL, 0, &base) < 0)
		return fail(p, "no MSI log");
	now = base;
	if (!wr(p, PIPECONF_A, 4, 1u << 31) || !wr(p, PIPE_A_IMR, 4, ~PIPE_VBLANK) ||
	    !wr(p, PIPE_A_IER, 4, PIPE_VBLANK) ||
	    !wr(p, MASTER_IRQ, 4, MASTER_IRQ_CONTROL))
		return fail(p, "interrupt registers do not answer");
	for (ms = 0; ms < 500 && now == base; ms++) {
		usleep(1000);
		if (xsim_log_msis(p->sim, p->domid, 0, NULL, 0, &now) < 0)
			return fail(p, "no MSI log");
	}
	p->msis = now - base;
	if (!wr(p, MASTER_IRQ, 4, 0) || !rd32(p, PIPE_A_IIR, &iir) ||
	    !wr(p, PIPE_A_IIR, 4, iir) || !wr(p, PIPE_A_IER, 4, 0) ||
	    !wr(p, PIPE_A_IMR, 4, ~0u) || !wr(p, PIPECONF_A, 4, 0))
		return fail(p, "interrupt registers do not answer");
	if (!p->msis)
		return fail(p, "no MSI within 500 ms of an enabled event");
	if (!(iir & PIPE_VBLANK))
		return fail(p, "an MSI whose IIR explains nothing (pipe A IIR "
			       "0x%08x after %zu MSIs)",
			    iir, p->msis);
	return 0;
}

static const struct {
	const char *name;
	int (*run)(struct i915probe *p);
} steps[] = {
    {"bars", step_bars},	   {"detect", step_detect},
    {"balloon", step_balloon},	   {"fences", step_fences},
    {"irq-reset", step_irq_reset}, {"ggtt", step_ggtt},
    {"interrupt", step_interrupt},
};

int i915probe_run(struct i915probe *p)
{
	size_t i;

	p->why[0] = 0;
	p->failed_step = NULL;
	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		if (steps[i].run(p) < 0) {
			p->failed_step = steps[i].name;
			return -1;
		}
		if (p->step_done)
			p->step_done(p, steps[i].name);
	}
	return 0;
}
