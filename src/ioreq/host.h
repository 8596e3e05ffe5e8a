/* SPDX-License-Identifier: MIT */
/*
 * host.h - struct io_host for the device, implemented against Xen: a claim
 * enters the dispatcher's range registry and is made with
 * map_io_range_to_ioreq_server / map_pcidev_to_ioreq_server (end
 * inclusive); a release does the reverse.  Interrupts go out through
 * inject_msi and set_pci_intx_level (segment 0, bus 0, the device's slot).
 * The device's timers are timerfds in the daemon's event loop.
 *
 * RAM-backed regions (io_ram_add) get fresh guest frames, populated at a
 * parking place far above anything the guest uses (IOREQ_HOST_PARK_GFN:
 * 64 GiB, below the 2^36-frame limit of Xen's p2m) while the daemon may
 * still add RAM; claiming such a region moves its frames to the region's
 * address with relocate_memory (a dm_op, allowed once restricted) and
 * releasing moves them back, so the guest reaches them as RAM, with no
 * ioreq, exactly while the BAR decodes.  The device reads them through
 * the map cache wherever they are.  A BAR the guest places where Xen 4.17
 * would lose the frames (beyond the p2m, where relocate_memory drops each
 * page it cannot place, or over the parking area, where an overlapping
 * move frees pages) is refused before Xen is asked: the BAR stays
 * undecoded and the frames stay parked, contents kept.
 */
#ifndef XENGT_IOREQ_HOST_H
#define XENGT_IOREQ_HOST_H

#include <stdint.h>

#include "ioreq/dispatch.h"
#include "ioreq/loop.h"
#include "ioreq/server.h"
#include "vgpu/io.h"

#define IOREQ_HOST_MAX_TIMERS 4
#define IOREQ_HOST_MAX_RAM 2
#define IOREQ_HOST_PARK_GFN 0x1000000ull /* 64 GiB */
#define IOREQ_HOST_MAX_GFN (1ull << 36)	 /* Xen's p2m ends below this */

struct ioreq_host {
	struct io_host host;
	struct ioreq_server *srv;
	struct dispatcher *d;
	uint32_t sbdf; /* the device's PCI function, for INTx */
	struct loop *loop;
	int timer_fds[IOREQ_HOST_MAX_TIMERS]; /* the io_timer may be gone */
	unsigned ntimers;
	uint64_t msis, intx_changes;
	struct {
		struct io_region *r;
		uint64_t park_gfn;
	} ram[IOREQ_HOST_MAX_RAM];
	unsigned nram;
	uint64_t park_next; /* the next free parking gfn */
	uint64_t ram_moves; /* relocate_memory calls that succeeded */
};

void ioreq_host_init(struct ioreq_host *h, struct ioreq_server *srv,
		     struct dispatcher *d, struct loop *loop, uint32_t sbdf);
/* Release every claim still registered and every timer (teardown). */
void ioreq_host_release_all(struct ioreq_host *h);

#endif
