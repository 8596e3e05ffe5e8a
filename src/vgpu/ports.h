/* SPDX-License-Identifier: MIT */
/*
 * ports.h - the display outputs' control registers (ports.c): DDI
 * buffers, DP AUX channels, the GPIO (bit-banged DDC) pins, panel power,
 * hotplug.  GMBUS is display/gmbus.h.
 *
 * With no sink attached to a channel, every AUX transaction on it times
 * out.  An AUX sink (a virtual monitor's DPCD) plugs in per channel
 * through vgpu_ports_set_aux_sink().
 */
#ifndef XENGT_VGPU_PORTS_H
#define XENGT_VGPU_PORTS_H

#include <stdint.h>

#include "vgpu/block.h"

#define VGPU_AUX_CHANNELS 4 /* A..D */
#define VGPU_AUX_MSG_MAX 20 /* five 32-bit data registers */

struct vgpu_ports;

extern const struct vgpu_block vgpu_ports_block;

/*
 * A sink on AUX channel `ch` answers one request of `len` bytes (1..20,
 * the DP AUX header first) with up to VGPU_AUX_MSG_MAX reply bytes:
 * return the reply's length (1..20), or 0 for no reply (a timeout).
 */
typedef unsigned vgpu_aux_sink_fn(void *opaque, unsigned ch, const uint8_t *req,
				  unsigned len, uint8_t *reply);

/* Attach (fn != NULL) or detach the sink of channel ch. */
void vgpu_ports_set_aux_sink(struct vgpu_ports *p, unsigned ch,
			     vgpu_aux_sink_fn *fn, void *opaque);

#endif
