/* SPDX-License-Identifier: MIT */
/*
 * vgpu_priv.h - the vGPU's state, shared by the files of src/vgpu (and its
 * unit tests); nothing outside src/vgpu includes it.
 */
#ifndef XENGT_VGPU_VGPU_PRIV_H
#define XENGT_VGPU_VGPU_PRIV_H

#include <stdbool.h>
#include <stdint.h>

#include "vgpu/mmio.h"
#include "vgpu/pci.h"
#include "vgpu/vgpu.h"

/* BAR indices (each 64-bit BAR also takes the next slot). */
#define VGPU_BAR_GTTMMADR 0
#define VGPU_BAR_GMADR 2
#define VGPU_BAR_IO 4

/* BAR0 layout (gvt device_info: mmio_size, gtt_start_offset). */
#define VGPU_GTTMMADR_SIZE (16u << 20)
#define VGPU_GGTT_OFFSET (8u << 20)
#define VGPU_GGTT_SIZE (8u << 20) /* 1 Mi 8-byte PTEs: 4 GiB of GM */
#define VGPU_IOBAR_SIZE 64u
#define VGPU_APERTURE_DEFAULT (256ull << 20)

/* The IOBAR's indirect window onto BAR0 (offsets inside BAR4). */
#define VGPU_IOBAR_MMIO_INDEX 0x0
#define VGPU_IOBAR_MMIO_DATA 0x4

/* Legacy VGA memory, decoded while COMMAND.MEM is set. */
#define VGPU_VGA_MEM_BASE 0xa0000u
#define VGPU_VGA_MEM_SIZE 0x20000u

#define VGPU_MAX_CFG_REGS 40

/* Interrupt banks (irq.c), each ISR/IMR/IIR/IER under GEN8_MASTER_IRQ. */
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

#define VGPU_PIPES 3 /* A, B, C */

struct vgpu {
	struct vgpu_config cfg;
	char name[32];
	struct io_host *host;
	struct gmem *mem; /* may be NULL until a block needs guest memory */

	struct pci_func pci;
	struct pci_cfg_reg cfg_regs[VGPU_MAX_CFG_REGS];

	struct mmio_space mmio; /* BAR0 [0, 2 MiB) */
	uint8_t *ggtt;		/* BAR0 [8 MiB, 16 MiB), little-endian PTEs */
	uint32_t mmio_index;	/* IOBAR MMIO_INDEX */
	uint8_t *vga_mem;	/* legacy_vga only */

	struct io_region bar0_regs; /* BAR0 [0, 8 MiB): registers + reserved */
	struct io_region bar0_ggtt; /* BAR0 [8 MiB, 16 MiB) */
	struct io_region iobar;	    /* BAR4 */
	struct io_region vga;	    /* 0xA0000-0xBFFFF */

	struct {
		uint64_t events;	 /* latched (not masked) */
		uint64_t msi_sent;	 /* handed to the host */
		uint64_t msi_failed;	 /* the host refused */
		uint64_t msi_suppressed; /* pending, but MSI or BME off */
	} irq;
	struct {
		struct io_timer timer; /* vblank */
		bool timer_on;
		uint64_t vblanks; /* timer periods while a pipe was on */
	} display;
};

/* cfg_gen9.c */
int vgpu_cfg_build(struct vgpu *v, struct pci_func_def *def);
bool vgpu_msi_target(const struct vgpu *v, uint64_t *addr, uint32_t *data);

/* gttmmadr.c: BAR0 as one 16 MiB space (offset relative to BAR0). */
uint64_t vgpu_bar0_read(struct vgpu *v, uint64_t off, unsigned size);
void vgpu_bar0_write(struct vgpu *v, uint64_t off, unsigned size, uint64_t val);
void vgpu_gttmmadr_setup(struct vgpu *v);

/* ggtt.c: offset relative to the GGTT (BAR0 + 8 MiB). */
uint64_t vgpu_ggtt_read(struct vgpu *v, uint64_t off, unsigned size);
void vgpu_ggtt_write(struct vgpu *v, uint64_t off, unsigned size, uint64_t val);

/* vga.c */
void vgpu_vga_setup(struct vgpu *v);

/* regs_engine.c */
extern const struct mmio_block vgpu_engine_regs;

/* irq.c: latch `bits` of bank b (unless masked) and interrupt if due. */
extern const struct mmio_block vgpu_irq_regs;
void vgpu_irq_raise(struct vgpu *v, enum vgpu_irq_bank b, uint32_t bits);

/* display.c: pipes and their vblank timer. */
extern const struct mmio_block vgpu_display_regs;
void vgpu_display_setup(struct vgpu *v);
void vgpu_display_stop(struct vgpu *v);

#endif
