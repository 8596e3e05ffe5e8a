/* SPDX-License-Identifier: MIT */
/*
 * bench/device.c - the device alone: register accesses served by the vGPU
 * with no hypervisor, no ioreq and no socket in the way.
 *
 * The vGPU is created on the unit tests' in-memory host, BAR0 programmed
 * and decoded, then the register region's handlers are called the way the
 * ioreq dispatcher calls them (access rules checked first, then the
 * region's read or write).  The access mix is what i915 does most at run
 * time: interrupt handling (master, a GT IIR/IMR, a pipe IIR), a fence, a
 * PVINFO read, a plain scratch register, each read or written.
 *
 *   bench-device rate        accesses per second (median of 7 blocks)
 *   bench-device loop N      N accesses and nothing else, for counting
 *                            instructions under callgrind (bench/ipa.sh)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "../src/vgpu/tests/fake_host.h"
#include "util/log.h"
#include "vgpu/vgpu.h"

#define BAR0_GPA 0xf0000000ull

struct access {
	uint32_t off;
	unsigned size;
	int write;
	uint32_t val;
};

/* One round of the mix: 12 accesses. */
static const struct access mix[] = {
    {0x44200, 4, 0, 0},		 /* GEN8_MASTER_IRQ read */
    {0x44200, 4, 1, 0},		 /* master off */
    {0x44308, 4, 0, 0},		 /* GT0 IIR */
    {0x44308, 4, 1, 0x100},	 /* ack */
    {0x4430c, 4, 1, 0xffffffff}, /* GT0 IER */
    {0x44404, 4, 1, 0xfffffffe}, /* pipe A IMR */
    {0x44408, 4, 0, 0},		 /* pipe A IIR */
    {0x44200, 4, 1, 0x80000000}, /* master on */
    {0x100000, 8, 1, 0x1234},	 /* a fence */
    {0x78010, 4, 0, 0},		 /* PVINFO caps */
    {0xc180, 4, 1, 0x5a5a5a5a},	 /* a plain register */
    {0xc180, 4, 0, 0},
};

#define MIX (sizeof(mix) / sizeof(mix[0]))

static struct fake_host fh;
static struct io_region *regs;

/* What dispatch does for an MMIO ioreq once it found the region. */
static uint64_t access(const struct access *a, uint64_t sink)
{
	if (!io_access_ok(regs, a->off, a->size))
		return sink + 1;
	if (a->write) {
		regs->write(regs->opaque, a->off, a->size, a->val);
		return sink;
	}
	return sink + regs->read(regs->opaque, a->off, a->size);
}

/* n rounded down to whole rounds of the mix. */
static uint64_t run(uint64_t n)
{
	uint64_t sink = 0, i;
	size_t j;

	for (i = 0; i < n / MIX; i++)
		for (j = 0; j < MIX; j++)
			sink = access(&mix[j], sink);
	return sink;
}

static struct vgpu *setup(void)
{
	struct vgpu_config cfg;
	struct vgpu *v;

	log_set_level(LOG_ERR);
	fake_host_init(&fh);
	vgpu_config_default(&cfg);
	if (vgpu_create(&cfg, &fh.host, &v) < 0) {
		fprintf(stderr, "bench-device: cannot create the vGPU\n");
		exit(1);
	}
	fake_cfg_write(&fh, cfg.sbdf, 0x10, 4, (uint32_t)BAR0_GPA);
	fake_cfg_write(&fh, cfg.sbdf, 0x14, 4, 0);
	fake_cfg_write(&fh, cfg.sbdf, 0x04, 2, 0x0006);
	regs = fake_host_find(&fh, IO_SPACE_MMIO, BAR0_GPA);
	if (!regs || regs->base != BAR0_GPA) {
		fprintf(stderr, "bench-device: BAR0 registers not claimed\n");
		exit(1);
	}
	return v;
}

int main(int argc, char **argv)
{
	enum { BLOCKS = 7, N = 2000004 }; /* whole rounds */
	uint64_t t[BLOCKS], sink = 0;
	struct vgpu *v;

	if (argc == 3 && !strcmp(argv[1], "loop")) {
		v = setup();
		sink = run(strtoull(argv[2], NULL, 0));
		vgpu_destroy(v);
		return sink == 42; /* keep the loop; never true in practice */
	}
	if (argc != 2 || strcmp(argv[1], "rate")) {
		fprintf(stderr, "usage: bench-device rate | loop N\n");
		return 2;
	}
	v = setup();
	sink += run(N / 10); /* warm up */
	for (unsigned b = 0; b < BLOCKS; b++) {
		uint64_t t0 = now_ns();

		sink += run(N);
		t[b] = now_ns() - t0;
	}
	qsort(t, BLOCKS, sizeof(t[0]), cmp_u64);
	printf("   device alone: %d accesses in %.1f ms (median of %d "
	       "blocks; mix of %zu: IRQ, fence, PVINFO, plain)\n",
	       N, t[BLOCKS / 2] / 1e6, BLOCKS, MIX);
	printf("P8a register accesses per second, device alone (M/s): %.1f\n",
	       (double)N * 1e3 / (double)t[BLOCKS / 2]);
	vgpu_destroy(v);
	return sink == 42;
}
