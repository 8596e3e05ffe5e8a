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
 *   ISR  +0x0  live status; read-only: 0 for the events the vGPU raises
 *              (pulses, as GVT keeps them), the level for lines with
 *              one (a port's hotplug: vgpu_irq_set_isr)
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
#include "vgpu/irq.h"

#include <errno.h>

#include "vgpu/cfg.h"

#define GEN8_MASTER_IRQ 0x44200
#define GEN8_MASTER_IRQ_CONTROL (1u << 31)

/* Second-level banks, in the order of enum vgpu_irq_bank. */
static const uint32_t bank_base[VGPU_IRQ_NBANKS] = {
    0x44300, 0x44310, 0x44320, 0x44330, /* GT0..GT3 */
    0x44400, 0x44410, 0x44420,		/* DE pipe A..C */
    0x44440, 0x44460, 0x444e0,		/* DE port, DE misc, PCU */
    0xc4000,				/* SDE (PCH) */
};

/* The master bits for IIR[15:0] and IIR[31:16] of each bank. */
static const struct {
	uint32_t lo_bit, hi_bit;
} bank_master[VGPU_IRQ_NBANKS] = {
    /* clang-format off */
	[VGPU_IRQ_GT0]     = {1u << 0,  1u << 1},  /* RCS, BCS */
	[VGPU_IRQ_GT1]     = {1u << 2,  1u << 3},  /* VCS1, VCS2 */
	[VGPU_IRQ_GT2]     = {1u << 4,  1u << 4},  /* PM */
	[VGPU_IRQ_GT3]     = {1u << 6,  1u << 6},  /* VECS */
	[VGPU_IRQ_PIPE_A]  = {1u << 16, 1u << 16},
	[VGPU_IRQ_PIPE_B]  = {1u << 17, 1u << 17},
	[VGPU_IRQ_PIPE_C]  = {1u << 18, 1u << 18},
	[VGPU_IRQ_DE_PORT] = {1u << 20, 1u << 20},
	[VGPU_IRQ_DE_MISC] = {1u << 22, 1u << 22},
	[VGPU_IRQ_PCU]     = {1u << 30, 1u << 30},
	[VGPU_IRQ_PCH]     = {1u << 23, 1u << 23},
    /* clang-format on */
};

#define ISR(b) (bank_base[b] + 0x0)
#define IMR(b) (bank_base[b] + 0x4)
#define IIR(b) (bank_base[b] + 0x8)
#define IER(b) (bank_base[b] + 0xc)

struct vgpu_irq {
	struct mmio_space *m;
	struct pci_func *pci;
	struct io_host *host;
	struct vgpu_irq_stats st;
	/*
	 * The master's status bits (which banks have IIR & IER != 0), kept
	 * up to date by every change of an IIR or IER: read on every
	 * interrupt, so not recomputed there.  No two banks share a bit.
	 */
	uint32_t pending;
};

static void update_bank(struct vgpu_irq *irq, unsigned b)
{
	uint32_t p = mmio_vreg_get(irq->m, IIR(b)) & mmio_vreg_get(irq->m, IER(b));
	uint32_t lo = bank_master[b].lo_bit, hi = bank_master[b].hi_bit;
	uint32_t bits = (p & 0xffffu ? lo : 0) | (p >> 16 ? hi : 0);

	irq->pending = (irq->pending & ~(lo | hi)) | bits;
}

/* After the registers changed wholesale (reset, load). */
static void update_all(struct vgpu_irq *irq)
{
	unsigned b;

	irq->pending = 0;
	for (b = 0; b < VGPU_IRQ_NBANKS; b++)
		update_bank(irq, b);
}

static uint32_t master_pending(const struct vgpu_irq *irq)
{
	return irq->pending;
}

/* GVT's check_pending: an MSI if enabled and anything is pending. */
static void check_pending(struct vgpu_irq *irq)
{
	uint64_t addr;
	uint32_t data;
	int rc;

	if (!(mmio_vreg_get(irq->m, GEN8_MASTER_IRQ) &
	      GEN8_MASTER_IRQ_CONTROL) ||
	    !master_pending(irq))
		return;
	if (!vgpu_msi_target(irq->pci, &addr, &data) ||
	    !(pci_cfg_get(irq->pci, PCI_COMMAND, 2) & PCI_COMMAND_MASTER)) {
		irq->st.msi_suppressed++;
		return;
	}
	rc = irq->host->ops->msi(irq->host->ctx, addr, data);
	if (rc == 0)
		irq->st.msi_sent++;
	else
		irq->st.msi_failed++;
}

void vgpu_irq_raise(struct vgpu_irq *irq, enum vgpu_irq_bank b, uint32_t bits)
{
	uint32_t latch;

	if ((unsigned)b >= VGPU_IRQ_NBANKS)
		return;
	latch = bits & ~mmio_vreg_get(irq->m, IMR(b));
	if (!latch)
		return; /* masked events are dropped, not latched */
	mmio_vreg_set(irq->m, IIR(b), mmio_vreg_get(irq->m, IIR(b)) | latch);
	update_bank(irq, b);
	irq->st.events++;
	check_pending(irq);
}

const struct vgpu_irq_stats *vgpu_irq_stats(const struct vgpu_irq *irq)
{
	return &irq->st;
}

void vgpu_irq_set_isr(struct vgpu_irq *irq, enum vgpu_irq_bank b,
		      uint32_t mask, uint32_t bits)
{
	uint32_t v = mmio_vreg_get(irq->m, ISR(b));

	mmio_vreg_set(irq->m, ISR(b), (v & ~mask) | (bits & mask));
}

static uint32_t master_read(const struct mmio_ctx *c)
{
	return (mmio_ctx_get(c) & GEN8_MASTER_IRQ_CONTROL) |
	       master_pending(c->state);
}

/* The master and IMR: store, then anything now pending interrupts. */
static void enable_write(const struct mmio_ctx *c, uint32_t val, uint32_t be)
{
	mmio_store(c, val, be);
	check_pending(c->state);
}

/* IER: the same, after the bank's pending bits follow. */
static void ier_write(const struct mmio_ctx *c, uint32_t val, uint32_t be)
{
	mmio_store(c, val, be);
	update_bank(c->state, c->inst);
	check_pending(c->state);
}

/* IIR: write 1 to clear (the table's W1C store); never a new MSI. */
static void iir_write(const struct mmio_ctx *c, uint32_t val, uint32_t be)
{
	mmio_store(c, val, be);
	update_bank(c->state, c->inst);
}

/* One line per register, like a datasheet; each bank at its base. */
/* clang-format off */
#define BANK(o, nm, ...)                                                     \
	{.offset = (o), .size = 4, .name = "GEN8_" nm, .bases = bank_base,  \
	 .count = VGPU_IRQ_NBANKS, __VA_ARGS__}

static const struct mmio_reg irq_regs[] = {
	{.offset = GEN8_MASTER_IRQ, .size = 4,
	 .ro_mask = ~GEN8_MASTER_IRQ_CONTROL, .read = master_read,
	 .write = enable_write, .name = "GEN8_MASTER_IRQ"},
	BANK(0x0, "ISR", .ro_mask = ~0u),
	BANK(0x4, "IMR", .reset = ~0u, .write = enable_write),
	BANK(0x8, "IIR", .flags = MMIO_F_W1C, .write = iir_write),
	BANK(0xc, "IER", .write = ier_write),
};
/* clang-format on */

static int irq_init(struct vgpu *v, void *state)
{
	struct vgpu_irq *irq = state;

	irq->m = vgpu_regs(v);
	irq->pci = vgpu_pci(v);
	irq->host = vgpu_host(v);
	update_all(irq);
	return 0;
}

static void irq_reset(void *state)
{
	update_all(state);
}

/* Counters are the only state outside the registers. */
static void irq_save(const void *state, struct blob_w *w)
{
	const struct vgpu_irq *irq = state;

	blob_put_u64(w, irq->st.events);
	blob_put_u64(w, irq->st.msi_sent);
	blob_put_u64(w, irq->st.msi_failed);
	blob_put_u64(w, irq->st.msi_suppressed);
}

static int irq_load(void *state, struct blob_r *r)
{
	struct vgpu_irq *irq = state;

	irq->st.events = blob_get_u64(r);
	irq->st.msi_sent = blob_get_u64(r);
	irq->st.msi_failed = blob_get_u64(r);
	irq->st.msi_suppressed = blob_get_u64(r);
	update_all(irq); /* the registers came back first */
	return r->failed ? -EINVAL : 0;
}

const struct vgpu_block vgpu_irq_block = {
    .name = "interrupts",
    VGPU_REGS(irq_regs),
    .state_size = sizeof(struct vgpu_irq),
    .init = irq_init,
    .reset = irq_reset,
    .save = irq_save,
    .load = irq_load,
};
