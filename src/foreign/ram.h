/* SPDX-License-Identifier: MIT */
/*
 * ram.h - adding RAM to a guest for a device's RAM-backed region.
 *
 * guest_ram_populate raises the domain's maximum by the pages it adds
 * (xc_domain_setmaxmem: libxl leaves no room for device memory) and
 * populates [gfn, gfn + n) with fresh, zeroed frames
 * (xc_domain_populate_physmap_exact), as QEMU does for VRAM.  It needs a
 * privileged libxenctrl handle, so it works only before the daemon
 * restricts itself to the guest.  0 or a negative errno.
 */
#ifndef XENGT_FOREIGN_RAM_H
#define XENGT_FOREIGN_RAM_H

#include <stdint.h>

int guest_ram_populate(uint32_t domid, uint64_t gfn, uint64_t n);

#endif
