/* SPDX-License-Identifier: MIT */
/*
 * gmbus.h - the PCH GMBUS controller (gmbus.c): the I2C master at 0xC5100
 * a driver uses for DDC on HDMI and DVI ports.  The virtual monitor's
 * EDID answers on the pin pair of port D while the monitor is plugged in;
 * every other pin has nothing on it and every cycle there is NAKed.
 *
 * Registers, bus cycles and the saved state: docs/vgpu-gmbus.md.
 */
#ifndef XENGT_VGPU_DISPLAY_GMBUS_H
#define XENGT_VGPU_DISPLAY_GMBUS_H

#include "vgpu/block.h"

/* GMBUS0 pin pair numbers on SKL with an SPT PCH (intel_gmbus.h). */
#define VGPU_GMBUS_PIN_DPC 4 /* HDMI C */
#define VGPU_GMBUS_PIN_DPB 5 /* HDMI B */
#define VGPU_GMBUS_PIN_DPD 6 /* HDMI D: the virtual monitor's DDC */

/* The largest byte count GMBUS1 holds (bits 24:16). */
#define VGPU_GMBUS_BYTE_COUNT_MAX 511

struct vgpu_gmbus;

extern const struct vgpu_block vgpu_gmbus_block;

#endif
