/* SPDX-License-Identifier: MIT */
/*
 * pcode.c - the PCU mailbox: the driver puts a request in DATA/DATA1,
 * writes READY | command to the mailbox and polls READY clear; the reply
 * is in DATA and the status in the mailbox's bits 7:0.
 *
 *   GEN6_PCODE_MAILBOX 0x138124  bit 31 READY (busy), bits 7:0 command
 *                                on write, status once READY clears;
 *                                bits 23:8 parameters (stored)
 *   GEN6_PCODE_DATA    0x138128  request in, reply out
 *   GEN6_PCODE_DATA1   0x13812c  second word (stored, never answered)
 *
 * A write with READY set completes inside the write: READY reads 0 at
 * once and bits 7:0 hold the status.  The commands a SKL guest sends
 * (docs/vgpu-registers.md section 4.2) get the answer that keeps i915
 * 6.1 quiet; any other command is an illegal command (status 0x01), as
 * the PCU answers one it does not know.
 *
 * Sources (facts only): i915_reg.h (offsets, command and status codes),
 * intel_pcode.c (__snb_pcode_rw, gen7_check_mailbox_status),
 * display/skl_watermark.c (skl_read_wm_latency, skl_sagv_disable),
 * display/intel_cdclk.c (skl_set_cdclk), gt/intel_rps.c, gt/intel_llc.c;
 * gvt/handlers.c (mailbox_write) for the latency words.
 */
#include "vgpu/pcode.h"

#include <errno.h>

#include "util/log.h"

#define GEN6_PCODE_MAILBOX 0x138124u
#define GEN6_PCODE_DATA 0x138128u
#define GEN6_PCODE_DATA1 0x13812cu
#define GEN6_PCODE_READY (1u << 31)
#define PCODE_CMD_MASK 0xffu

/* Commands. */
#define GEN9_PCODE_READ_MEM_LATENCY 0x06
#define SKL_PCODE_CDCLK_CONTROL 0x07
#define GEN6_PCODE_WRITE_MIN_FREQ_TABLE 0x08
#define HSW_PCODE_DYNAMIC_DUTY_CYCLE_CONTROL 0x1a
#define GEN9_PCODE_SAGV_CONTROL 0x21

/* Gen7+ status codes (gen7_check_mailbox_status). */
#define GEN7_PCODE_SUCCESS 0x00
#define GEN7_PCODE_ILLEGAL_CMD 0x01
#define GEN7_PCODE_ILLEGAL_DATA 0x03

/* SAGV_CONTROL requests and reply. */
#define GEN9_SAGV_DISABLE 0x0
#define GEN9_SAGV_IS_DISABLED 0x1
#define GEN9_SAGV_ENABLE 0x3

/* CDCLK_CONTROL: request 3 is "prepare", 0..3 voltage levels. */
#define SKL_CDCLK_READY_FOR_CHANGE 0x1
#define SKL_CDCLK_MAX_REQUEST 0x3

/*
 * SKL memory latencies in µs, one byte per watermark level: WM0..WM3 for
 * set 0, WM4..WM7 for set 1 (the words gvt's mailbox_write returns).
 */
#define SKL_MEM_LATENCY_SET0 0x1e1a1100u
#define SKL_MEM_LATENCY_SET1 0x61514b3du

struct vgpu_pcode {
	struct mmio_space *m;
	uint64_t count[256]; /* commands sent, by code */
};

/* Carry out one command on DATA; the status for bits 7:0. */
static uint32_t run(struct vgpu_pcode *p, uint32_t cmd)
{
	uint32_t data = mmio_vreg_get(p->m, GEN6_PCODE_DATA);

	switch (cmd) {
	case GEN9_PCODE_SAGV_CONTROL:
		if (data == GEN9_SAGV_DISABLE)
			data = GEN9_SAGV_IS_DISABLED;
		else if (data == GEN9_SAGV_ENABLE)
			data = 0;
		else
			return GEN7_PCODE_ILLEGAL_DATA;
		break;
	case GEN9_PCODE_READ_MEM_LATENCY:
		if (data == 0)
			data = SKL_MEM_LATENCY_SET0;
		else if (data == 1)
			data = SKL_MEM_LATENCY_SET1;
		else
			return GEN7_PCODE_ILLEGAL_DATA;
		break;
	case SKL_PCODE_CDCLK_CONTROL:
		if (data > SKL_CDCLK_MAX_REQUEST)
			return GEN7_PCODE_ILLEGAL_DATA;
		data = SKL_CDCLK_READY_FOR_CHANGE;
		break;
	case HSW_PCODE_DYNAMIC_DUTY_CYCLE_CONTROL:
		data = 0; /* no efficient frequency: RPS is off */
		break;
	case GEN6_PCODE_WRITE_MIN_FREQ_TABLE:
		break; /* accepted; the host owns the frequencies */
	default:
		log_guest(LOG_INFO, "pcode: command %#x (data %#x) unknown",
			  cmd, data);
		return GEN7_PCODE_ILLEGAL_CMD;
	}
	mmio_vreg_set(p->m, GEN6_PCODE_DATA, data);
	return GEN7_PCODE_SUCCESS;
}

static void mailbox_write(const struct mmio_ctx *c, uint32_t val, uint32_t be)
{
	struct vgpu_pcode *p = c->state;
	uint32_t nv, cmd;

	mmio_store(c, val, be);
	nv = mmio_ctx_get(c);
	if (!(nv & GEN6_PCODE_READY))
		return;
	cmd = nv & PCODE_CMD_MASK;
	p->count[cmd]++;
	nv &= ~(GEN6_PCODE_READY | PCODE_CMD_MASK);
	mmio_ctx_set(c, nv | run(p, cmd));
}

/* One line per register, like a datasheet. */
/* clang-format off */
static const struct mmio_reg pcode_regs[] = {
	{.offset = GEN6_PCODE_MAILBOX, .size = 4, .write = mailbox_write,
	 .name = "GEN6_PCODE_MAILBOX"},
	{.offset = GEN6_PCODE_DATA, .size = 4, .name = "GEN6_PCODE_DATA"},
	{.offset = GEN6_PCODE_DATA1, .size = 4, .name = "GEN6_PCODE_DATA1"},
};
/* clang-format on */

static int pcode_init(struct vgpu *v, void *state)
{
	struct vgpu_pcode *p = state;

	p->m = vgpu_regs(v);
	return 0;
}

/*
 * The counters are the only state outside the registers; like the
 * interrupt counters they survive a device reset.
 */
static void pcode_save(const void *state, struct blob_w *w)
{
	const struct vgpu_pcode *p = state;
	unsigned i;

	for (i = 0; i < 256; i++)
		blob_put_u64(w, p->count[i]);
}

static int pcode_load(void *state, struct blob_r *r)
{
	struct vgpu_pcode *p = state;
	unsigned i;

	for (i = 0; i < 256; i++)
		p->count[i] = blob_get_u64(r);
	/* A command is never left in flight. */
	mmio_vreg_set(p->m, GEN6_PCODE_MAILBOX,
		      mmio_vreg_get(p->m, GEN6_PCODE_MAILBOX) &
			  ~GEN6_PCODE_READY);
	return r->failed ? -EINVAL : 0;
}

const struct vgpu_block vgpu_pcode_block = {
    .name = "pcode",
    VGPU_REGS(pcode_regs),
    .state_size = sizeof(struct vgpu_pcode),
    .init = pcode_init,
    .save = pcode_save,
    .load = pcode_load,
};

uint64_t vgpu_pcode_count(const struct vgpu_pcode *p, uint8_t cmd)
{
	return p->count[cmd];
}
