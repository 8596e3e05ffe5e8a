/* SPDX-License-Identifier: MIT */
/*
 * ports.c - the display outputs as a guest driver probes them with
 * nothing connected:
 *
 *   DDI_BUF_CTL(A..E)    0x64000 + 0x100 port  bit 7 IDLE reads set while
 *                                              bit 31 ENABLE is clear
 *   DP_TP_CTL(A..E)      0x64040 + 0x100 port  the link's training pattern
 *   DP_TP_STATUS(A..E)   0x64044 + 0x100 port  bit 25 IDLE_DONE reads set
 *                                              while DP_TP_CTL is enabled
 *                                              and sends idle patterns;
 *                                              read-only
 *   DP_AUX_CH_CTL(A..D)  0x64010 + 0x100 ch    a write with SEND_BUSY
 *                        data +0x4..+0x14      completes inside the write;
 *                                              status bits write-1-clear
 *   GPIO(A..F)           0xc5010 + 4 n         bit-banged DDC: released
 *                                              lines read high
 *   PP_STATUS/CONTROL    0xc7200/0xc7204       the panel is idle, on at
 *                                              once when powered
 *   PCH_PORT_HOTPLUG(2)  0xc4030/0xc403c       status bits write-1-clear
 *   EDP_PSR_IIR          0x64838               reads 0 (no PSR)
 *
 * GMBUS0..5 (0xc5100..0xc5120), the controller that drives the same
 * pins as the GPIO registers, is its own block: display/gmbus.c.
 *
 * Values and the bits i915 6.1 polls: docs/vgpu-registers.md section 8;
 * what the vGPU returns and why: docs/vgpu-hw-regs.md.  Sources (facts
 * only): i915_reg.h, display/intel_dp_aux_regs.h,
 * display/intel_gmbus_regs.h (offsets, bits); display/intel_dp_aux.c
 * (intel_dp_aux_xfer, the data registers' byte order),
 * display/intel_gmbus.c (get_clock/set_clock),
 * display/intel_pps.c (IDLE_ON/IDLE_OFF masks), display/intel_ddi.c;
 * gvt/handlers.c (ddi_buf_ctl_mmio_write, dp_aux_ch_ctl_mmio_write).
 */
#include "vgpu/ports.h"

#include <errno.h>

#include "util/log.h"
#include "vgpu/fixed.h"
#include "vgpu/irq.h"

#define DDI_BUF_CTL_A 0x64000u
#define DDI_PORTS 5 /* A..E */
#define DDI_BUF_CTL_ENABLE (1u << 31)
#define DDI_BUF_IS_IDLE (1u << 7)

#define DP_TP_CTL_A 0x64040u
#define DP_TP_STATUS_A 0x64044u
#define DP_TP_CTL_ENABLE (1u << 31)
#define DP_TP_CTL_LINK_TRAIN_MASK (7u << 8)
#define DP_TP_CTL_LINK_TRAIN_IDLE (2u << 8)
#define DP_TP_STATUS_IDLE_DONE (1u << 25)

#define DP_AUX_CH_CTL_A 0x64010u
#define DP_AUX_CH_DATA_A 0x64014u
#define PORT_STRIDE 0x100u
#define AUX_SEND_BUSY (1u << 31)
#define AUX_DONE (1u << 30)
#define AUX_INTERRUPT (1u << 29)
#define AUX_TIME_OUT_ERROR (1u << 28)
#define AUX_RECEIVE_ERROR (1u << 25)
#define AUX_SIZE_SHIFT 20
#define AUX_SIZE_MASK (0x1fu << AUX_SIZE_SHIFT)
#define AUX_STATUS (AUX_DONE | AUX_TIME_OUT_ERROR | AUX_RECEIVE_ERROR)

/* GEN8_DE_PORT_IIR bits of the AUX channels A..D. */
static const uint32_t aux_irq_bit[VGPU_AUX_CHANNELS] = {1u << 0, 1u << 25,
							1u << 26, 1u << 27};

/* GPIO(n): clock in bits 4:0, data in bits 12:8, the same layout. */
#define GPIO_A 0xc5010u
#define GPIO_PINS 6
#define GPIO_DIR_MASK (1u << 0)
#define GPIO_DIR_OUT (1u << 1)
#define GPIO_VAL_MASK (1u << 2)
#define GPIO_VAL_OUT (1u << 3)
#define GPIO_VAL_IN (1u << 4)
#define GPIO_DATA_SHIFT 8
#define GPIO_CTL_BITS 0x1fu /* one line's five bits */

#define PP_STATUS 0xc7200u
#define PP_CONTROL 0xc7204u
#define PANEL_POWER_ON (1u << 0)
#define PP_ON (1u << 31)
#define PP_SEQUENCE_STATE_ON_IDLE 0x8u

#define PCH_PORT_HOTPLUG 0xc4030u
#define PCH_PORT_HOTPLUG2 0xc403cu
/* SPT status pairs: port A 25:24, D 17:16, C 9:8, B 1:0; E 1:0 in HOTPLUG2 */
#define HOTPLUG_STATUS 0x03030303u
#define HOTPLUG2_STATUS 0x00000003u

#define EDP_PSR_IIR 0x64838u

struct vgpu_ports {
	struct mmio_space *m;
	struct vgpu_irq *irq;
	struct {
		vgpu_aux_sink_fn *fn;
		void *opaque;
	} sink[VGPU_AUX_CHANNELS];
};

/* ---- DDI buffers ---------------------------------------------------- */

static void ddi_buf_write(const struct mmio_ctx *c, uint32_t val, uint32_t be)
{
	uint32_t nv;

	mmio_store(c, val, be);
	nv = mmio_ctx_get(c) & ~DDI_BUF_IS_IDLE;
	mmio_ctx_set(c, nv | ((nv & DDI_BUF_CTL_ENABLE) ? 0 : DDI_BUF_IS_IDLE));
}

/* ---- DP transport ---------------------------------------------------- */

/* Idle patterns are "sent" the moment the port is told to send them
 * (intel_dp_set_idle_link_train waits 1 ms for IDLE_DONE). */
static uint32_t dp_tp_status_read(const struct mmio_ctx *c)
{
	uint32_t ctl = mmio_vreg_get(c->m, DP_TP_CTL_A + PORT_STRIDE * c->inst);

	return (ctl & DP_TP_CTL_ENABLE) &&
		       (ctl & DP_TP_CTL_LINK_TRAIN_MASK) ==
			   DP_TP_CTL_LINK_TRAIN_IDLE
		   ? DP_TP_STATUS_IDLE_DONE
		   : 0;
}

/* ---- DP AUX ----------------------------------------------------------- */

/* The data registers hold the message big-endian, byte 0 in bits 31:24. */
static void aux_unpack(const struct mmio_space *m, uint32_t data, uint8_t *buf)
{
	unsigned i;

	for (i = 0; i < VGPU_AUX_MSG_MAX; i++)
		buf[i] = (uint8_t)(mmio_vreg_get(m, data + 4 * (i / 4)) >>
				   (24 - 8 * (i % 4)));
}

static void aux_pack(struct mmio_space *m, uint32_t data, const uint8_t *buf,
		     unsigned len)
{
	unsigned i;

	for (i = 0; i < VGPU_AUX_MSG_MAX; i += 4) {
		uint32_t w = 0;
		unsigned j;

		for (j = 0; j < 4 && i + j < len; j++)
			w |= (uint32_t)buf[i + j] << (24 - 8 * j);
		if (i < len)
			mmio_vreg_set(m, data + i, w);
	}
}

/*
 * One transaction: the status (and reply size) it ends with.  Without a
 * sink the channel times out, as a port with nothing plugged in does.
 */
static uint32_t aux_transfer(struct vgpu_ports *p, unsigned ch, uint32_t ctl)
{
	uint8_t req[VGPU_AUX_MSG_MAX], reply[VGPU_AUX_MSG_MAX] = {0};
	uint32_t data = DP_AUX_CH_DATA_A + PORT_STRIDE * ch;
	unsigned len = (ctl & AUX_SIZE_MASK) >> AUX_SIZE_SHIFT, n;

	if (!p->sink[ch].fn)
		return AUX_DONE | AUX_TIME_OUT_ERROR;
	if (len == 0 || len > VGPU_AUX_MSG_MAX) {
		log_guest(LOG_INFO, "ports: AUX %c message of %u bytes",
			  'A' + ch, len);
		return AUX_DONE | AUX_RECEIVE_ERROR;
	}
	aux_unpack(p->m, data, req);
	n = p->sink[ch].fn(p->sink[ch].opaque, ch, req, len, reply);
	if (n == 0)
		return AUX_DONE | AUX_TIME_OUT_ERROR;
	if (n > VGPU_AUX_MSG_MAX)
		n = VGPU_AUX_MSG_MAX;
	aux_pack(p->m, data, reply, n);
	return AUX_DONE | (n << AUX_SIZE_SHIFT);
}

/*
 * DONE, TIME_OUT_ERROR and RECEIVE_ERROR are write-1-to-clear (i915 sends
 * them set along with SEND_BUSY to start clean); SEND_BUSY starts a
 * transaction, which ends before the write returns.
 */
static void aux_ctl_write(const struct mmio_ctx *c, uint32_t val, uint32_t be)
{
	struct vgpu_ports *p = c->state;
	uint32_t old = mmio_ctx_get(c), nv;

	mmio_store(c, val & ~AUX_STATUS, be);
	nv = mmio_ctx_get(c);
	nv = (nv & ~AUX_STATUS) | (old & AUX_STATUS & ~(val & be));
	if (nv & AUX_SEND_BUSY) {
		nv &= ~(AUX_SEND_BUSY | AUX_SIZE_MASK | AUX_STATUS);
		nv |= aux_transfer(p, c->inst, mmio_ctx_get(c));
		mmio_ctx_set(c, nv);
		if (nv & AUX_INTERRUPT)
			vgpu_irq_raise(p->irq, VGPU_IRQ_DE_PORT,
				       aux_irq_bit[c->inst]);
		return;
	}
	mmio_ctx_set(c, nv);
}

/* ---- GPIO (bit-banged DDC) -------------------------------------------- */

/*
 * Each line's direction and output value change only where the write
 * sets their mask bit; the mask bits themselves are not kept.
 */
static uint32_t gpio_line_write(uint32_t old, uint32_t val)
{
	if (val & GPIO_DIR_MASK)
		old = (old & ~GPIO_DIR_OUT) | (val & GPIO_DIR_OUT);
	if (val & GPIO_VAL_MASK)
		old = (old & ~GPIO_VAL_OUT) | (val & GPIO_VAL_OUT);
	return old;
}

static void gpio_write(const struct mmio_ctx *c, uint32_t val, uint32_t be)
{
	uint32_t old = mmio_ctx_get(c), nv, line;
	unsigned sh;

	/* Bits outside the two lines' control fields store as written. */
	line = GPIO_CTL_BITS | (GPIO_CTL_BITS << GPIO_DATA_SHIFT);
	nv = (old & ~(be & ~line)) | (val & be & ~line);
	for (sh = 0; sh <= GPIO_DATA_SHIFT; sh += GPIO_DATA_SHIFT) {
		uint32_t o = (old >> sh) & GPIO_CTL_BITS;

		if (be & (0xffu << sh))
			o = gpio_line_write(o, (val >> sh) & GPIO_CTL_BITS);
		nv = (nv & ~(GPIO_CTL_BITS << sh)) |
		     ((o & (GPIO_DIR_OUT | GPIO_VAL_OUT)) << sh);
	}
	mmio_ctx_set(c, nv);
}

/*
 * Nothing is attached, so a line reads what the vGPU drives on it, or
 * high (pulled up) while it is an input: the bus looks idle and every
 * address byte goes unacknowledged.
 */
static uint32_t gpio_read(const struct mmio_ctx *c)
{
	uint32_t v = mmio_ctx_get(c);
	unsigned sh;

	for (sh = 0; sh <= GPIO_DATA_SHIFT; sh += GPIO_DATA_SHIFT) {
		uint32_t o = v >> sh;

		if (!(o & GPIO_DIR_OUT) || (o & GPIO_VAL_OUT))
			v |= GPIO_VAL_IN << sh;
	}
	return v;
}

/* ---- panel power, hotplug --------------------------------------------- */

/*
 * The panel's power sequence takes no time: powered on, PP_STATUS is
 * PP_ON with the sequencer idle in the on state (i915's IDLE_ON value);
 * off, it is 0 (IDLE_OFF, no cycle delay pending).
 */
static void pp_control_write(const struct mmio_ctx *c, uint32_t val,
			     uint32_t be)
{
	mmio_store(c, val, be);
	mmio_vreg_set(c->m, PP_STATUS,
		      (mmio_ctx_get(c) & PANEL_POWER_ON)
			  ? PP_ON | PP_SEQUENCE_STATE_ON_IDLE
			  : 0);
}

/* Enables store; the latched status pairs are write-1-to-clear. */
static void hotplug_write(const struct mmio_ctx *c, uint32_t val, uint32_t be)
{
	uint32_t status =
	    c->off == PCH_PORT_HOTPLUG ? HOTPLUG_STATUS : HOTPLUG2_STATUS;
	uint32_t old = mmio_ctx_get(c);

	mmio_store(c, val, be & ~status);
	mmio_ctx_set(c, mmio_ctx_get(c) & ~(old & status & val & be));
}

/* One line per register, like a datasheet. */
/* clang-format off */
static const struct mmio_reg ports_regs[] = {
	{.offset = DDI_BUF_CTL_A, .size = 4, .reset = DDI_BUF_IS_IDLE,
	 .ro_mask = DDI_BUF_IS_IDLE, .write = ddi_buf_write,
	 .name = "DDI_BUF_CTL", .count = DDI_PORTS, .stride = PORT_STRIDE},
	{.offset = DP_TP_CTL_A, .size = 4, .name = "DP_TP_CTL",
	 .count = DDI_PORTS, .stride = PORT_STRIDE},
	{.offset = DP_TP_STATUS_A, .size = 4, .ro_mask = ~0u,
	 .read = dp_tp_status_read, .name = "DP_TP_STATUS",
	 .count = DDI_PORTS, .stride = PORT_STRIDE},
	{.offset = DP_AUX_CH_CTL_A, .size = 4, .write = aux_ctl_write,
	 .name = "DP_AUX_CH_CTL", .count = VGPU_AUX_CHANNELS,
	 .stride = PORT_STRIDE},
	{.offset = DP_AUX_CH_DATA_A, .size = VGPU_AUX_MSG_MAX,
	 .name = "DP_AUX_CH_DATA", .count = VGPU_AUX_CHANNELS,
	 .stride = PORT_STRIDE},
	{.offset = EDP_PSR_IIR, .size = 4, .ro_mask = ~0u,
	 .name = "EDP_PSR_IIR"},
	{.offset = PCH_PORT_HOTPLUG, .size = 4, .write = hotplug_write,
	 .name = "PCH_PORT_HOTPLUG"},
	{.offset = PCH_PORT_HOTPLUG2, .size = 4, .write = hotplug_write,
	 .name = "PCH_PORT_HOTPLUG2"},
	{.offset = GPIO_A, .size = 4, .read = gpio_read, .write = gpio_write,
	 .name = "GPIO", .count = GPIO_PINS, .stride = 4},
	{.offset = PP_STATUS, .size = 4, .ro_mask = ~0u, .name = "PP_STATUS"},
	{.offset = PP_CONTROL, .size = 4, .write = pp_control_write,
	 .name = "PP_CONTROL"},
};
/* clang-format on */

static int ports_init(struct vgpu *v, void *state)
{
	struct vgpu_ports *p = state;

	p->m = vgpu_regs(v);
	p->irq = vgpu_block_state(v, &vgpu_irq_block);
	return p->irq ? 0 : -EINVAL;
}

/*
 * Nothing but registers to load (sinks are wiring, attached at init):
 * PSR's IIR goes back to 0, no transaction is left in flight and the
 * derived status bits follow their controls again.
 */
static int ports_load(void *state, struct blob_r *r)
{
	struct vgpu_ports *p = state;
	unsigned i;

	(void)r;
	vgpu_restore_fixed(p->m, ports_regs,
			   sizeof(ports_regs) / sizeof(ports_regs[0]));
	for (i = 0; i < DDI_PORTS; i++) {
		uint32_t off = DDI_BUF_CTL_A + PORT_STRIDE * i;
		uint32_t v = mmio_vreg_get(p->m, off) & ~DDI_BUF_IS_IDLE;

		mmio_vreg_set(
		    p->m, off,
		    v | ((v & DDI_BUF_CTL_ENABLE) ? 0 : DDI_BUF_IS_IDLE));
	}
	for (i = 0; i < VGPU_AUX_CHANNELS; i++) {
		uint32_t off = DP_AUX_CH_CTL_A + PORT_STRIDE * i;

		mmio_vreg_set(p->m, off,
			      mmio_vreg_get(p->m, off) & ~AUX_SEND_BUSY);
	}
	mmio_vreg_set(p->m, PP_STATUS,
		      (mmio_vreg_get(p->m, PP_CONTROL) & PANEL_POWER_ON)
			  ? PP_ON | PP_SEQUENCE_STATE_ON_IDLE
			  : 0);
	return 0;
}

const struct vgpu_block vgpu_ports_block = {
    .name = "ports",
    VGPU_REGS(ports_regs),
    .state_size = sizeof(struct vgpu_ports),
    .init = ports_init,
    .load = ports_load,
};

void vgpu_ports_set_aux_sink(struct vgpu_ports *p, unsigned ch,
			     vgpu_aux_sink_fn *fn, void *opaque)
{
	if (ch >= VGPU_AUX_CHANNELS)
		return;
	p->sink[ch].fn = fn;
	p->sink[ch].opaque = opaque;
}
