/* SPDX-License-Identifier: MIT */
/*
 * irq.c - the interrupt registers of a Gen8/9 GPU and how an event becomes
 * an MSI, the way GVT-g presents them to a guest.
 *
 * Sources (facts only): i915_reg.h (offsets, master bits), gvt/interrupt.c
 * (propagation), see docs/vgpu-irq.md.
 *
 * Two levels.  Each second-level bank is four registers:
 *
 *   ISR  +0x0  live status; read-only (GVT keeps it 0 for the events it
 *              raises, they are pulses)
 *   IMR  +0x4  mask: an event whose bit is set here is dropped, not latched
 *   IIR  +0x8  latched events, write 1 to clear
 *   IER  +0xc  enable: IIR & IER drives the bank's bit(s) in the master
 *
 * GEN8_MASTER_IRQ (0x44200): bit 31 is the global enable, the only bit the
 * guest writes; the others say which bank has IIR & IER != 0 (read live,
 * whatever bit 31 is: i915 clears bit 31 first and then reads them).
 *
 * An MSI goes out whenever a change can make a new interrupt (an event
 * latched, IER or IMR or the master written) while bit 31 is set and some
 * bank is pending: GVT's check_pending.  Acknowledging (IIR writes) never
 * sends one.  Re-enabling the master with events still pending sends one,
 * which i915's "disable master, ack, enable master" handler relies on.
 * The message needs MSI enabled in config space and bus mastering on, as
 * on hardware; GVT-g, and so this vGPU, has no INTx.
 */
#include "vgpu/vgpu_priv.h"

#include <inttypes.h>

#include "util/log.h"

#define GEN8_MASTER_IRQ 0x44200
#define GEN8_MASTER_IRQ_CONTROL (1u << 31)

/* Second-level banks, in the order of enum vgpu_irq_bank. */
static const struct irq_bank_def {
	uint32_t isr;	 /* base: ISR; IMR, IIR, IER follow */
	uint32_t lo_bit; /* master bit for IIR[15:0] */
	uint32_t hi_bit; /* master bit for IIR[31:16] */
	const char *name;
} banks[VGPU_IRQ_NBANKS] = {
    /* clang-format off */
	[VGPU_IRQ_GT0]     = {0x44300, 1u << 0,  1u << 1,  "GT0 (RCS, BCS)"},
	[VGPU_IRQ_GT1]     = {0x44310, 1u << 2,  1u << 3,  "GT1 (VCS1, VCS2)"},
	[VGPU_IRQ_GT2]     = {0x44320, 1u << 4,  1u << 4,  "GT2 (PM)"},
	[VGPU_IRQ_GT3]     = {0x44330, 1u << 6,  1u << 6,  "GT3 (VECS)"},
	[VGPU_IRQ_PIPE_A]  = {0x44400, 1u << 16, 1u << 16, "DE pipe A"},
	[VGPU_IRQ_PIPE_B]  = {0x44410, 1u << 17, 1u << 17, "DE pipe B"},
	[VGPU_IRQ_PIPE_C]  = {0x44420, 1u << 18, 1u << 18, "DE pipe C"},
	[VGPU_IRQ_DE_PORT] = {0x44440, 1u << 20, 1u << 20, "DE port"},
	[VGPU_IRQ_DE_MISC] = {0x44460, 1u << 22, 1u << 22, "DE misc"},
	[VGPU_IRQ_PCU]     = {0x444e0, 1u << 30, 1u << 30, "PCU"},
	[VGPU_IRQ_PCH]     = {0xc4000, 1u << 23, 1u << 23, "PCH (SDE)"},
    /* clang-format on */
};

#define ISR(b) (banks[b].isr + 0x0)
#define IMR(b) (banks[b].isr + 0x4)
#define IIR(b) (banks[b].isr + 0x8)
#define IER(b) (banks[b].isr + 0xc)

static struct vgpu *dev(struct mmio_space *m)
{
	return m->owner;
}

/* The master's status bits: which banks have IIR & IER != 0. */
static uint32_t master_pending(const struct vgpu *v)
{
	uint32_t bits = 0;
	unsigned b;

	for (b = 0; b < VGPU_IRQ_NBANKS; b++) {
		uint32_t p = mmio_vreg_get(&v->mmio, IIR(b)) &
			     mmio_vreg_get(&v->mmio, IER(b));

		if (p & 0xffffu)
			bits |= banks[b].lo_bit;
		if (p >> 16)
			bits |= banks[b].hi_bit;
	}
	return bits;
}

/* GVT's check_pending: an MSI if enabled and anything is pending. */
static void check_pending(struct vgpu *v)
{
	uint64_t addr;
	uint32_t data;
	int rc;

	if (!(mmio_vreg_get(&v->mmio, GEN8_MASTER_IRQ) &
	      GEN8_MASTER_IRQ_CONTROL) ||
	    !master_pending(v))
		return;
	if (!vgpu_msi_target(v, &addr, &data) ||
	    !(pci_cfg_get(&v->pci, PCI_COMMAND, 2) & PCI_COMMAND_MASTER)) {
		v->irq.msi_suppressed++;
		return;
	}
	rc = v->host->ops->msi(v->host->ctx, addr, data);
	if (rc == 0)
		v->irq.msi_sent++;
	else
		v->irq.msi_failed++;
}

void vgpu_irq_raise(struct vgpu *v, enum vgpu_irq_bank b, uint32_t bits)
{
	uint32_t latch;

	if ((unsigned)b >= VGPU_IRQ_NBANKS)
		return;
	latch = bits & ~mmio_vreg_get(&v->mmio, IMR(b));
	if (!latch)
		return; /* masked events are dropped, not latched */
	mmio_vreg_set(&v->mmio, IIR(b),
		      mmio_vreg_get(&v->mmio, IIR(b)) | latch);
	v->irq.events++;
	check_pending(v);
}

static uint32_t master_read(struct mmio_space *m, const struct mmio_reg *r,
			    uint32_t off)
{
	(void)r;
	return (mmio_vreg_get(m, off) & GEN8_MASTER_IRQ_CONTROL) |
	       master_pending(dev(m));
}

static void master_write(struct mmio_space *m, const struct mmio_reg *r,
			 uint32_t off, uint32_t val, uint32_t be)
{
	mmio_store(m, r, off, val, be);
	check_pending(dev(m));
}

/* IIR: write 1 to clear; no new MSI (the table's W1C store does it). */

/* IMR and IER: store, then anything now pending interrupts. */
static void enable_write(struct mmio_space *m, const struct mmio_reg *r,
			 uint32_t off, uint32_t val, uint32_t be)
{
	mmio_store(m, r, off, val, be);
	check_pending(dev(m));
}

/* One line per register, like a datasheet. */
/* clang-format off */
#define BANK(base, nm)                                                       \
	{.offset = (base) + 0x0, .size = 4, .ro_mask = ~0u,                  \
	 .name = nm "_ISR"},                                                 \
	{.offset = (base) + 0x4, .size = 4, .reset = ~0u,                    \
	 .write = enable_write, .name = nm "_IMR"},                          \
	{.offset = (base) + 0x8, .size = 4, .flags = MMIO_F_W1C,             \
	 .name = nm "_IIR"},                                                 \
	{.offset = (base) + 0xc, .size = 4, .write = enable_write,           \
	 .name = nm "_IER"}

static const struct mmio_reg irq_regs[] = {
	{.offset = GEN8_MASTER_IRQ, .size = 4,
	 .ro_mask = ~GEN8_MASTER_IRQ_CONTROL, .read = master_read,
	 .write = master_write, .name = "GEN8_MASTER_IRQ"},
	BANK(0x44300, "GEN8_GT0"),
	BANK(0x44310, "GEN8_GT1"),
	BANK(0x44320, "GEN8_GT2"),
	BANK(0x44330, "GEN8_GT3"),
	BANK(0x44400, "GEN8_DE_PIPE_A"),
	BANK(0x44410, "GEN8_DE_PIPE_B"),
	BANK(0x44420, "GEN8_DE_PIPE_C"),
	BANK(0x44440, "GEN8_DE_PORT"),
	BANK(0x44460, "GEN8_DE_MISC"),
	BANK(0x444e0, "GEN8_PCU"),
	BANK(0xc4000, "SDE"),
};
/* clang-format on */

const struct mmio_block vgpu_irq_regs = {
    .name = "interrupts",
    .regs = irq_regs,
    .nregs = sizeof(irq_regs) / sizeof(irq_regs[0]),
};
