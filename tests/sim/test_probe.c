/* SPDX-License-Identifier: MIT */
/*
 * test_probe.c - i915 6.1's probe of the vGPU, replayed under xensim
 * (tests/sim/i915probe.c), with every value the driver checks asserted:
 * detection, fuses and clocks, DRAM, the display core's power wells and
 * PLLs, PCODE (SAGV, latencies, CDCLK), the outputs it probes, the balloon
 * of each vGPU type's partition (docs/vgpu-pvinfo.md), fences, interrupt
 * reset, GGTT stores that cost no ioreq and that the device reads back,
 * and an interrupt delivered end to end.
 */
#include "i915probe.h"
#include "simtest.h"

static const struct {
	const char *type;
	uint32_t map_size, hidden_base, hidden_size;
	uint64_t aperture;
} types[] = {
    {"GVTg_V5_8", 64u << 20, 0x28000000u, 384u << 20, 256ull << 20},
    {"GVTg_V5_4", 128u << 20, 0x28000000u, 512u << 20, 256ull << 20},
    {"GVTg_V5_2", 256u << 20, 0x38000000u, 1024u << 20, 512ull << 20},
    {"GVTg_V5_1", 512u << 20, 0x58000000u, 2048u << 20, 1024ull << 20},
};

/* BAR2 at 2 GiB: 1 GiB aligned (GVTg_V5_1), clear of BAR0. */
START_TEST(probe_passes_for_each_type)
{
	const char *args[] = {"--type", types[_i].type, NULL};
	struct i915probe p = {.bar0 = BAR0_GPA, .bar2 = 0x80000000ull,
			      .bar4 = BAR4_PORT, .asls = OPREGION_GPA};
	struct harness h;
	int rc;

	simtest_start(&h, 1, args);
	ck_assert_int_eq(xsim_vcpu_open(h.sim, h.domid, 0, &p.v), 0);
	p.sim = h.sim;
	p.domid = h.domid;
	rc = i915probe_run(&p);
	ck_assert_msg(rc == 0, "%s: the driver stops at %s: %s", types[_i].type,
		      p.failed_step, p.why);
	/* intel_vgpu_detect */
	ck_assert(p.detected);
	ck_assert_uint_eq(p.magic, 0x4776544776544776ull);
	ck_assert_uint_eq(p.version_major, 1);
	ck_assert_uint_eq(p.version_minor, 0);
	ck_assert_uint_eq(p.caps & 0xc, 0xc);
	ck_assert_uint_eq(p.vgt_id, h.domid);
	/* the OpRegion where hvmloader pointed, the VBT in mailbox 4 */
	ck_assert_uint_eq(p.opregion_mboxes, 1u << 3);
	ck_assert(p.vbt_found);
	/* a SKL GT2 part: 1 slice, 3 subslices, 24 EUs, 12 MHz timestamps */
	ck_assert_uint_eq(p.fpga_dbg >> 31, 0);
	ck_assert_uint_eq(p.cs_freq_khz, 12000);
	ck_assert_uint_eq(p.slice_mask, 1);
	ck_assert_uint_eq(p.subslice_mask, 7);
	ck_assert_uint_eq(p.eu_total, 24);
	/* two channels of 8 GB DDR4, no eDRAM */
	ck_assert_uint_eq(p.dram_channels, 2);
	ck_assert_uint_eq(p.dimm_gb[0], 8);
	ck_assert_uint_eq(p.dimm_gb[1], 8);
	ck_assert(!p.edram);
	/* display core: wells, CDCLK from cold, DPLL0, DBUF */
	ck_assert(p.pw1_up && p.misc_io_up && p.pw2_up);
	ck_assert(p.cdclk_prepared && p.dpll0_locked && p.dbuf_up);
	ck_assert_uint_eq(p.pwr_well_ctl2, 0xf00003ffu);
	/* PCODE: SAGV disabled quietly, the SKL latencies */
	ck_assert_int_eq(p.sagv_status, 0);
	ck_assert_uint_eq(p.wm_latency[0], 0x1e1a1100u);
	ck_assert_uint_eq(p.wm_latency[1], 0x61514b3du);
	/* outputs: AUX ends in DONE|TIMEOUT, GMBUS NAKs, PSR IIR 0 */
	ck_assert_uint_eq(p.aux_ctl & 0xd2000000u, 0x50000000u);
	ck_assert_uint_ne(p.gmbus2 & (1u << 10), 0);
	ck_assert_uint_eq(p.psr_iir, 0);
	ck_assert_uint_ne(p.vgacntrl & (1u << 31), 0);
	ck_assert(p.tlb_invalidated);
	/* the monitor on DDI D: DPCD 1.2, HBR x4; the default EDID */
	ck_assert(p.ddid_present && p.ddid_connected);
	ck_assert_uint_eq(p.dpcd[0], 0x12);
	ck_assert_uint_eq(p.dpcd[1], 0x0a);
	ck_assert_uint_eq(p.dpcd[2] & 0x1f, 4);
	ck_assert_uint_eq(p.mode_w, 1024);
	ck_assert_uint_eq(p.mode_h, 768);
	ck_assert_str_eq(p.monitor_name, "xengt vGPU");
	/* uC not locked, RPS off */
	ck_assert_uint_eq(p.guc_wopcm_size & 1, 0);
	ck_assert_uint_eq(p.guc_wopcm_offset & 1, 0);
	ck_assert_uint_eq(p.rp_state_cap, 0);
	/* the type's partition, as GVT-g lays it out */
	ck_assert(p.ballooned);
	ck_assert_uint_eq(p.aperture, types[_i].aperture);
	ck_assert_uint_eq(p.map_base, 0x08000000u);
	ck_assert_uint_eq(p.map_size, types[_i].map_size);
	ck_assert_uint_eq(p.hidden_base, types[_i].hidden_base);
	ck_assert_uint_eq(p.hidden_size, types[_i].hidden_size);
	ck_assert_uint_eq(p.fence_num, 4);
	ck_assert_uint_eq(p.fences_stored, 4);
	ck_assert(p.fence_beyond_dropped);
	/* interrupts */
	ck_assert_uint_eq(p.iir_not_zero, 0);
	ck_assert_uint_ge(p.msis, 1);
	/* GT init: every engine completed its request */
	ck_assert_uint_eq(p.engines_idle, 4);
	/* the GGTT is guest RAM: no ioreq for 512 stores */
	ck_assert_uint_eq(p.ptes_written, 512);
	ck_assert_uint_eq(p.pte_ioreqs, 0);
	ck_assert(p.ptes_read_back);
	ck_assert(!harness_log_contains(&h, "refused"));
	xsim_vcpu_close(p.v);
	harness_end(&h);
}
END_TEST

/* The replay is a judge that can fail: a device without PVINFO is native. */
START_TEST(probe_stops_without_pvinfo)
{
	static const char *const args[] = {"--mmio", "0xf0000000-0xf0ffffff",
					   "--pci", "00:02.0", NULL};
	struct i915probe p = {.bar0 = BAR0_GPA, .bar2 = 0x80000000ull,
			      .bar4 = BAR4_PORT};
	struct harness h;

	simtest_start_opts(&h, (struct harness_opts){.vcpus = 1,
						     .args = args,
						     .null_responder = true});
	ck_assert_int_eq(xsim_vcpu_open(h.sim, h.domid, 0, &p.v), 0);
	p.sim = h.sim;
	p.domid = h.domid;
	ck_assert_int_eq(i915probe_run(&p), -1);
	ck_assert(!p.detected);
	ck_assert_str_eq(p.failed_step, "detect");
	ck_assert_str_eq(p.why, "no PVINFO magic: probed as a native GPU");
	xsim_vcpu_close(p.v);
	harness_end(&h);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("probe");
	TCase *tc = tcase_create("i915");

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, probe_passes_for_each_type, 0,
			    sizeof(types) / sizeof(types[0]));
	tcase_add_test(tc, probe_stops_without_pvinfo);
	suite_add_tcase(s, tc);
	return simtest_run(s);
}
