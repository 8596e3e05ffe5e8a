/* SPDX-License-Identifier: MIT */
/*
 * irq.h - the interrupt block (irq.c): what other blocks call to raise an
 * event, and its counters.
 */
#ifndef XENGT_VGPU_IRQ_H
#define XENGT_VGPU_IRQ_H

#include <stdint.h>

#include "vgpu/block.h"

/* Second-level banks, each ISR/IMR/IIR/IER under GEN8_MASTER_IRQ. */
enum vgpu_irq_bank {
	VGPU_IRQ_GT0,
	VGPU_IRQ_GT1,
	VGPU_IRQ_GT2,
	VGPU_IRQ_GT3,
	VGPU_IRQ_PIPE_A,
	VGPU_IRQ_PIPE_B,
	VGPU_IRQ_PIPE_C,
	VGPU_IRQ_DE_PORT,
	VGPU_IRQ_DE_MISC,
	VGPU_IRQ_PCU,
	VGPU_IRQ_PCH,
	VGPU_IRQ_NBANKS
};

struct vgpu_irq_stats {
	uint64_t events;	 /* latched (not masked) */
	uint64_t msi_sent;	 /* handed to the host */
	uint64_t msi_failed;	 /* the host refused */
	uint64_t msi_suppressed; /* pending, but MSI or BME off */
};

struct vgpu_irq;

extern const struct vgpu_block vgpu_irq_block;

/* Latch `bits` of bank b (those not masked) and interrupt if due. */
void vgpu_irq_raise(struct vgpu_irq *irq, enum vgpu_irq_bank b, uint32_t bits);
/*
 * Live status: the bits of `mask` in bank b's ISR become `bits` (a level
 * the hardware reports, such as a port's hotplug line).  Latches nothing:
 * the block raises the event it implies itself.
 */
void vgpu_irq_set_isr(struct vgpu_irq *irq, enum vgpu_irq_bank b,
		      uint32_t mask, uint32_t bits);
const struct vgpu_irq_stats *vgpu_irq_stats(const struct vgpu_irq *irq);

#endif
