/* SPDX-License-Identifier: MIT */
/*
 * make bench: the ioreq path's cost, as ratios against a baseline measured
 * in the same run on the same simulator.
 *
 * P1  MMIO read round trip: xengt-dm serving a 4-byte register read
 *     divided by the null responder answering the same read.  Two guests
 *     on one simulator, one per device model; interleaved blocks, the
 *     median block of each.  Goal <= 1.10.
 * P2  Buffered writes drained per second by xengt-dm (the simulator
 *     publishes as fast as the ring allows).  Goal >= 20 M/s.
 * P8c GGTT entries a guest writes per second with the table in guest RAM
 *     (the default) divided by the same with it trapped (--trap-ggtt):
 *     two xengt-dm on one simulator, one 8-byte store per entry as i915's
 *     gen8_set_pte does, interleaved blocks, the medians.  The simulator
 *     charges every guest store a socket round trip, RAM or not, so this
 *     is a lower bound of the gain on Xen, where a RAM store costs nothing.
 * P10a Aperture stores per second (8 bytes each through BAR2 onto a page
 *     a GGTT entry names, as fbcon draws) with the slice in guest RAM (the
 *     default) divided by the same trapped (--trap-aperture): two xengt-dm
 *     on one simulator, interleaved blocks, the medians.  The RAM-backed
 *     blocks end with the GFX_FLSH_CNTL write that makes the page hold
 *     the bytes, so the sync is paid for.  Same lower-bound caveat as P8c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "harness.h"

#define BAR0_GPA 0xf0000000ull
#define BAR2_GPA 0xe0000000ull
#define SLICE 0x08000000ull /* GVTg_V5_4's mappable slice in BAR2 */
#define GFX_FLSH_CNTL 0x101008u
#define SCRATCH0 0xc180u
#define VGA_GPA 0xa0000ull

static void die(const char *what, int rc)
{
	fprintf(stderr, "bench: %s: %s\n", what, strerror(rc < 0 ? -rc : rc));
	exit(1);
}

static void program_bars(struct xsim_vcpu *v)
{
	xsim_cfg_write(v, HARNESS_VGPU_SBDF, 0x04, 2, 0);
	xsim_cfg_write(v, HARNESS_VGPU_SBDF, 0x10, 4, (uint32_t)BAR0_GPA);
	xsim_cfg_write(v, HARNESS_VGPU_SBDF, 0x14, 4, 0);
	xsim_cfg_write(v, HARNESS_VGPU_SBDF, 0x04, 2, 0x0007);
}

/* ns per GGTT entry written, over one block of n entries */
static uint64_t pte_block(struct xsim_vcpu *v, unsigned n)
{
	uint64_t val[2] = {0, 0}, t0 = now_ns();

	for (unsigned i = 0; i < n; i++) {
		val[0] = 0x100000ull * i | 1;
		if (xsim_mmio_write(v, BAR0_GPA + 0x800000 + 8ull * i, 8, val) < 0)
			die("ggtt write", -1);
	}
	return (now_ns() - t0) / n;
}

/* ns per read over one block */
static uint64_t read_block(struct xsim_vcpu *v, uint64_t gpa, unsigned n)
{
	uint64_t val[2], t0 = now_ns();

	for (unsigned i = 0; i < n; i++)
		if (xsim_mmio_read(v, gpa, 4, val) < 0)
			die("mmio read", -1);
	return (now_ns() - t0) / n;
}

/* P8c: against a second daemon, on the same simulator, that traps it. */
static void ggtt(struct harness *dm, struct xsim_vcpu *vd)
{
	enum { BLOCKS = 5, PTES = 4096 };
	static const char *const trap_args[] = {"--trap-ggtt", NULL};
	struct harness_opts o = {.vcpus = 1, .log_path = "/dev/null"};
	uint64_t tr[BLOCKS], tt[BLOCKS];
	struct harness trap;
	struct xsim_vcpu *vt;
	int rc;

	o.sim = dm->sim;
	o.args = trap_args;
	if ((rc = harness_start(&trap, &o)) < 0)
		die("start xengt-dm --trap-ggtt", rc);
	xsim_log_enable(dm->sim, trap.domid, false);
	if ((rc = xsim_vcpu_open(dm->sim, trap.domid, 0, &vt)) < 0)
		die("vcpu", rc);
	program_bars(vt);
	pte_block(vd, 512); /* warm up */
	pte_block(vt, 512);
	for (unsigned b = 0; b < BLOCKS; b++) {
		tr[b] = pte_block(vd, PTES);
		tt[b] = pte_block(vt, PTES);
	}
	qsort(tr, BLOCKS, sizeof(tr[0]), cmp_u64);
	qsort(tt, BLOCKS, sizeof(tt[0]), cmp_u64);
	printf("   GGTT entry writes: %.0f/s in guest RAM, %.0f/s trapped (median of %d blocks of %d)\n",
	       1e9 / (double)tr[BLOCKS / 2], 1e9 / (double)tt[BLOCKS / 2],
	       BLOCKS, PTES);
	printf("P8c GGTT entry writes per second, guest RAM/trapped: %.2f\n",
	       (double)tt[BLOCKS / 2] / (double)tr[BLOCKS / 2]);
	xsim_vcpu_close(vt);
	harness_end(&trap);
}

static void mmio_w(struct xsim_vcpu *v, uint64_t gpa, unsigned size,
		   uint64_t x)
{
	uint64_t val[2] = {x, 0};

	if (xsim_mmio_write(v, gpa, size, val) < 0)
		die("mmio write", -1);
}

/* BAR2 decoding, and aperture slot 0..15 on guest pages 3 MiB + 4 KiB n */
static void aperture_setup(struct xsim_vcpu *v)
{
	xsim_cfg_write(v, HARNESS_VGPU_SBDF, 0x04, 2, 0);
	xsim_cfg_write(v, HARNESS_VGPU_SBDF, 0x18, 4, (uint32_t)BAR2_GPA);
	xsim_cfg_write(v, HARNESS_VGPU_SBDF, 0x1c, 4, 0);
	xsim_cfg_write(v, HARNESS_VGPU_SBDF, 0x04, 2, 0x0007);
	for (unsigned i = 0; i < 16; i++)
		mmio_w(v, BAR0_GPA + 0x800000 + 8 * (SLICE / 4096 + i), 8,
		       (0x300000ull + 4096ull * i) | 1);
	mmio_w(v, BAR0_GPA + GFX_FLSH_CNTL, 4, 1);
}

/* ns per 8-byte store through the aperture, over n stores, then a flush */
static uint64_t store_block(struct xsim_vcpu *v, unsigned n)
{
	uint64_t t0 = now_ns();

	for (unsigned i = 0; i < n; i++)
		mmio_w(v, BAR2_GPA + SLICE + 8ull * (i % (16 * 512)), 8,
		       0x00ffffff00ffffffull);
	mmio_w(v, BAR0_GPA + GFX_FLSH_CNTL, 4, 1);
	return (now_ns() - t0) / n;
}

/* P10a: against a second daemon, on the same simulator, that traps it. */
static void aperture(struct harness *dm, struct xsim_vcpu *vd)
{
	enum { BLOCKS = 5, STORES = 8192 };
	static const char *const trap_args[] = {"--trap-aperture", NULL};
	struct harness_opts o = {.vcpus = 1, .log_path = "/dev/null"};
	uint64_t tr[BLOCKS], tt[BLOCKS];
	struct harness trap;
	struct xsim_vcpu *vt;
	int rc;

	o.sim = dm->sim;
	o.args = trap_args;
	if ((rc = harness_start(&trap, &o)) < 0)
		die("start xengt-dm --trap-aperture", rc);
	xsim_log_enable(dm->sim, trap.domid, false);
	if ((rc = xsim_vcpu_open(dm->sim, trap.domid, 0, &vt)) < 0)
		die("vcpu", rc);
	program_bars(vt);
	aperture_setup(vd);
	aperture_setup(vt);
	store_block(vd, 1024); /* warm up */
	store_block(vt, 1024);
	for (unsigned b = 0; b < BLOCKS; b++) {
		tr[b] = store_block(vd, STORES);
		tt[b] = store_block(vt, STORES);
	}
	qsort(tr, BLOCKS, sizeof(tr[0]), cmp_u64);
	qsort(tt, BLOCKS, sizeof(tt[0]), cmp_u64);
	printf("   aperture stores: %.0f/s in guest RAM, %.0f/s trapped (median of %d blocks of %d)\n",
	       1e9 / (double)tr[BLOCKS / 2], 1e9 / (double)tt[BLOCKS / 2],
	       BLOCKS, STORES);
	printf("P10a aperture stores per second, guest RAM/trapped: %.2f\n",
	       (double)tt[BLOCKS / 2] / (double)tr[BLOCKS / 2]);
	xsim_vcpu_close(vt);
	harness_end(&trap);
}

int main(int argc, char **argv)
{
	enum { BLOCKS = 7, READS = 20000 };
	static const char *const null_args[] = {
		"--mmio", "0xf0000000-0xf0ffffff", "--port", "0xc000-0xc03f",
		"--mmio", "0xa0000-0xbffff", "--pci", "00:02.0", NULL};
	static const char *const dm_args[] = {NULL};
	struct harness dm, nul;
	struct harness_opts o = {.vcpus = 1, .log_path = "/dev/null"};
	struct xsim_vcpu *vd, *vn;
	uint64_t td[BLOCKS], tn[BLOCKS], ns = 0;
	uint64_t burst = argc > 1 ? strtoull(argv[1], NULL, 0) : 10000000ull;
	int rc;

	o.args = dm_args;
	if ((rc = harness_start(&dm, &o)) < 0)
		die("start xengt-dm", rc);
	o.sim = dm.sim;
	o.null_responder = true;
	o.args = null_args;
	if ((rc = harness_start(&nul, &o)) < 0)
		die("start null responder", rc);
	xsim_log_enable(dm.sim, dm.domid, false);
	xsim_log_enable(dm.sim, nul.domid, false);
	if ((rc = xsim_vcpu_open(dm.sim, dm.domid, 0, &vd)) < 0 ||
	    (rc = xsim_vcpu_open(dm.sim, nul.domid, 0, &vn)) < 0)
		die("vcpu", rc);
	program_bars(vd);

	read_block(vd, BAR0_GPA + SCRATCH0, 2000); /* warm up */
	read_block(vn, BAR0_GPA + SCRATCH0, 2000);
	for (unsigned b = 0; b < BLOCKS; b++) {
		td[b] = read_block(vd, BAR0_GPA + SCRATCH0, READS);
		tn[b] = read_block(vn, BAR0_GPA + SCRATCH0, READS);
	}
	qsort(td, BLOCKS, sizeof(td[0]), cmp_u64);
	qsort(tn, BLOCKS, sizeof(tn[0]), cmp_u64);
	printf("   mmio read round trip: xengt-dm %.2f us, null responder %.2f us (median of %d blocks of %d)\n",
	       td[BLOCKS / 2] / 1000.0, tn[BLOCKS / 2] / 1000.0, BLOCKS, READS);
	printf("P1 mmio read round trip, xengt-dm/null responder: %.2f\n",
	       (double)td[BLOCKS / 2] / (double)tn[BLOCKS / 2]);

	/* Interleaved bursts into the VGA window of each; median of 3. */
	for (unsigned b = 0; b < 3; b++) {
		rc = xsim_buffered_burst(vd, VGA_GPA, 0x8000, 4, burst, 0, &td[b]);
		if (rc < 0)
			die("buffered burst (xengt-dm)", rc);
		rc = xsim_buffered_burst(vn, VGA_GPA, 0x8000, 4, burst, 0, &tn[b]);
		if (rc < 0)
			die("buffered burst (null responder)", rc);
	}
	qsort(td, 3, sizeof(td[0]), cmp_u64);
	qsort(tn, 3, sizeof(tn[0]), cmp_u64);
	ns = td[1];
	printf("   buffered writes: %llu per burst, drained by xengt-dm in %.3f s, by the null responder in %.3f s (median of 3)\n",
	       (unsigned long long)burst, ns / 1e9, tn[1] / 1e9);
	printf("   buffered drain rate, xengt-dm/null responder: %.2f\n",
	       (double)tn[1] / (double)ns);
	printf("P2 buffered writes drained per second, xengt-dm (M/s): %.1f\n",
	       (double)burst * 1e3 / (double)ns);

	xsim_vcpu_close(vn);
	harness_end(&nul);
	ggtt(&dm, vd);
	aperture(&dm, vd);
	xsim_vcpu_close(vd);
	harness_end(&dm);
	return 0;
}
