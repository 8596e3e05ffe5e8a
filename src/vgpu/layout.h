/* SPDX-License-Identifier: MIT */
/*
 * layout.h - where things are in the vGPU's PCI BARs (GVT-g's device_info
 * for Gen8/9: mmio_size 2 MiB, gtt_start_offset 8 MiB, 8-byte PTEs).
 *
 *   BAR0 GTTMMADR 16 MiB   [0, 2 MiB) registers, [2, 8 MiB) reserved,
 *                          [8, 16 MiB) GGTT: 1 Mi PTEs, 4 GiB of GM
 *   BAR2 GMADR             the aperture, size from the vGPU type
 *   BAR4 IOBAR 64 B        +0 MMIO_INDEX, +4 MMIO_DATA onto BAR0
 */
#ifndef XENGT_VGPU_LAYOUT_H
#define XENGT_VGPU_LAYOUT_H

/* BAR indices (each 64-bit BAR also takes the next slot). */
#define VGPU_BAR_GTTMMADR 0
#define VGPU_BAR_GMADR 2
#define VGPU_BAR_IO 4

#define VGPU_GTTMMADR_SIZE (16u << 20)
#define VGPU_REGS_SIZE (2u << 20)
#define VGPU_GGTT_OFFSET (8u << 20)
#define VGPU_GGTT_SIZE (8u << 20)
#define VGPU_IOBAR_SIZE 64u

#define VGPU_IOBAR_MMIO_INDEX 0x0
#define VGPU_IOBAR_MMIO_DATA 0x4

/* Legacy VGA memory, decoded while COMMAND.MEM is set. */
#define VGPU_VGA_MEM_BASE 0xa0000u
#define VGPU_VGA_MEM_SIZE 0x20000u

#endif
