/* SPDX-License-Identifier: MIT */
/*
 * monitor.h - the virtual DisplayPort monitor (monitor.c): plugged into
 * DDI D at creation unless the configuration says otherwise; the control
 * socket plugs, unplugs and replaces it at run time.
 */
#ifndef XENGT_VGPU_DISPLAY_MONITOR_H
#define XENGT_VGPU_DISPLAY_MONITOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vgpu/block.h"
#include "vgpu/display/edid.h"

struct vgpu_monitor;

extern const struct vgpu_block vgpu_monitor_block;

/*
 * Plug the monitor in, with a new EDID (validated: -EINVAL and nothing
 * changes if it is bad; -E2BIG if its preferred mode is larger than the
 * vGPU type's largest) or, edid NULL, the one it had.  Raises the
 * hotplug event unless it was already plugged in with the same EDID.
 */
int vgpu_monitor_plug(struct vgpu_monitor *mon, const uint8_t *edid,
		      size_t len);
/* Unplug it (the hotplug event, once). */
void vgpu_monitor_unplug(struct vgpu_monitor *mon);
bool vgpu_monitor_connected(const struct vgpu_monitor *mon);
/* The EDID it presents (len bytes). */
const uint8_t *vgpu_monitor_edid(const struct vgpu_monitor *mon, size_t *len);
/* Hotplug events raised since creation. */
uint64_t vgpu_monitor_hotplugs(const struct vgpu_monitor *mon);

#endif
