/* SPDX-License-Identifier: MIT */
/*
 * i915probe.h - Linux 6.1 i915's probe of a GVT-g vGPU, replayed from a
 * simulated guest vCPU: the same registers in the same order, and the
 * same decisions the driver takes on what it reads (docs/vgpu-registers.md
 * gives the order, each step cites the driver function it stands for).
 *
 * The replay is shared by the simulator test that asserts every value
 * (tests/sim/test_probe.c) and the demo that shows it.  A step that the
 * driver would fail at stops the replay with the driver's own complaint
 * in `why`.
 */
#ifndef XENGT_TESTS_I915PROBE_H
#define XENGT_TESTS_I915PROBE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xensim-guest.h"

#define I915PROBE_BANKS 11 /* second-level interrupt banks */

struct i915probe {
	/* set by the caller */
	struct xsim *sim;
	uint32_t domid;
	struct xsim_vcpu *v;
	uint64_t bar0, bar2; /* where the firmware puts BAR0 and BAR2 */
	uint16_t bar4;
	uint32_t asls; /* where the firmware puts the OpRegion (0: nowhere) */
	/* called after every step that passed, for the demo (may be NULL) */
	void (*step_done)(const struct i915probe *p, const char *step);

	/* intel_vgpu_detect */
	uint64_t magic;
	uint16_t version_major, version_minor;
	uint32_t caps, vgt_id;
	bool detected; /* "Virtual GPU for Intel GVT-g detected." */
	/* intel_vgt_balloon */
	uint64_t aperture; /* BAR2's size */
	uint32_t map_base, map_size, hidden_base, hidden_size, fence_num;
	bool ballooned; /* "VGT balloon successfully" */
	/* fences: own ones stored, the first one beyond dropped */
	unsigned fences_stored;
	bool fence_beyond_dropped;
	/* gen8_irq_reset and the IIR assertion */
	uint32_t iir_not_zero; /* offset of the first IIR not 0, or 0 */
	/* intel_opregion_setup and the VBT in mailbox 4 */
	uint32_t opregion_mboxes;
	bool vbt_found; /* else "Failed to find VBIOS tables (VBT)" */
	/* intel_uncore_init_mmio, intel_gt_init_mmio (fuses, clocks) */
	uint32_t fpga_dbg;
	unsigned cs_freq_khz; /* command streamer timestamp, from CTC_MODE */
	uint32_t slice_mask, subslice_mask;
	unsigned eu_total;
	/* intel_dram_detect and eDRAM */
	unsigned dram_channels, dimm_gb[2]; /* per channel, both DIMMs */
	bool edram;
	/* the display core and its power wells, PLL, DBUF */
	bool pw1_up, misc_io_up, pw2_up, dpll0_locked, dbuf_up;
	uint32_t pwr_well_ctl2;
	/* PCODE: SAGV disable, memory latencies, CDCLK change */
	int sagv_status; /* 0 disabled, else the driver's -errno */
	uint32_t wm_latency[2];
	bool cdclk_prepared;
	/* outputs probed: AUX on port A, GMBUS, PSR IIR, VGA, TLB */
	uint32_t aux_ctl; /* DP_AUX_CH_CTL(A) once the transfer ended */
	uint32_t gmbus2;  /* GMBUS2 once a cycle on a pin ended */
	uint32_t psr_iir;
	uint32_t vgacntrl;
	bool tlb_invalidated;
	/* the monitor on DDI D: strap, live hotplug line, DPCD, EDID */
	bool ddid_present, ddid_connected;
	uint8_t dpcd[16]; /* receiver capabilities, DPCD 0x000-0x00f */
	uint8_t edid[128];
	unsigned mode_w, mode_h; /* the EDID's preferred (first) timing */
	char monitor_name[14];
	/* uC: the WOPCM must not be locked */
	uint32_t guc_wopcm_size, guc_wopcm_offset;
	uint32_t rp_state_cap;
	/* GGTT entries the driver writes, and what the device reads back */
	unsigned ptes_written;
	size_t pte_ioreqs;   /* ioreqs the writes cost the guest */
	bool ptes_read_back; /* the device sees what the guest wrote */
	/* interrupts: MSI enabled, an event delivered end to end */
	size_t msis;
	/* one request per engine at GT init: seqno, CSB, interrupt */
	unsigned engines_idle;

	/* if a step failed: which, and the driver's complaint */
	const char *failed_step;
	char why[160];
};

/* 0 when the driver would have gone on to the end, -1 otherwise. */
int i915probe_run(struct i915probe *p);

#endif
