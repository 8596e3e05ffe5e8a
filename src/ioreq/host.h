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
 *
 * One RAM region may ask for dirty tracking (track_dirty): from each claim
 * on, Xen tracks the guest's writes to its frames with
 * xendevicemodel_track_dirty_vram (one range per domain, at most 1 GiB;
 * the call that starts a range reports every page dirty, so the host makes
 * it right after the move and drops its answer; nr = 0 stops).  Releasing
 * the region first collects what the guest wrote into a pending bitmap,
 * then stops tracking, so io_ram_dirty never loses a write.  Writes
 * through a foreign mapping (the device's) do not change the guest's p2m
 * and are never reported (hap.c / paging_log_dirty_range read p2m types).
 */
#ifndef XENGT_IOREQ_HOST_H
#define XENGT_IOREQ_HOST_H

#include <stdint.h>

#include "ioreq/dispatch.h"
#include "ioreq/loop.h"
#include "ioreq/server.h"
#include "vgpu/io.h"

#define IOREQ_HOST_MAX_TIMERS 4
#define IOREQ_HOST_MAX_RAM 3
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
	/* The one region with dirty tracking (track_dirty), or NULL. */
	struct io_region *dirty_r;
	bool dirty_on;		      /* Xen tracks it where it is claimed */
	int dirty_err;		      /* why it does not, -errno */
	unsigned long *dirty_pending; /* collected at release, not yet read */
	unsigned long *dirty_scratch; /* one answer of Xen's */
	uint64_t span_first, span_n;  /* the pages tracked (ram_dirty_span) */
	uint64_t dirty_calls;	      /* track_dirty_vram calls made */
	uint64_t dirty_ns, dirty_ns_max; /* their time, total and longest */
};

void ioreq_host_init(struct ioreq_host *h, struct ioreq_server *srv,
		     struct dispatcher *d, struct loop *loop, uint32_t sbdf);
/* Release every claim still registered and every timer (teardown). */
void ioreq_host_release_all(struct ioreq_host *h);

#endif
