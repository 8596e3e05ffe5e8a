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
 * It also submits a request the way i915 does on the blitter (a flush and
 * the fini breadcrumb: 10 dwords) and reports what one submission costs,
 * counted in register accesses of the mix (P8d).
 *
 *   bench-device rate        accesses per second (median of 7 blocks)
 *   bench-device loop N      N accesses and nothing else, for counting
 *                            instructions under callgrind (bench/ipa.sh)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "capture.h"
#include "clock.h"
#include "../src/vgpu/tests/fake_host.h"
#include "util/log.h"
#include "vgpu/block.h"
#include "vgpu/engine.h"
#include "vgpu/ggtt.h"
#include "vgpu/display/fbdecode.h"
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

/* Guest RAM for the submission: GM pages 0..4 of the vGPU's slice. */
#define GPA0 0x100000u
static uint8_t guest[2u << 20];
static uint32_t gm0;

static uint32_t *gpage(unsigned p)
{
	return (uint32_t *)(guest + GPA0 + 4096u * p);
}

static void submit_setup(struct vgpu *v)
{
	struct vgpu_ggtt *g = vgpu_block_state(v, &vgpu_ggtt_block);
	uint32_t ring[] = {0x13244002, 0xd0, 0, 0,	    0x13004002,
			   0,	       0,    1, 0x01000000, 0x04000001};
	unsigned i;

	gm0 = (uint32_t)vgpu_partition(v)->mappable_base;
	for (i = 0; i < 5; i++) {
		uint64_t pte = (GPA0 + 4096ull * i) | 1;

		vgpu_ggtt_access(g, (gm0 >> 12 << 3) + 8ull * i, 8, &pte, true);
	}
	ring[5] = (gm0 + 4 * 4096) | 4;
	memcpy(gpage(3), ring, sizeof(ring));
	gpage(2)[7] = sizeof(ring);
	gpage(2)[9] = gm0 + 3 * 4096;
	gpage(2)[11] = 1;
	access(&(struct access){0x22080, 4, 1, gm0}, 0);
	access(&(struct access){0x223a0, 4, 1, 0xffff0505}, 0);
}

/* n submissions of the request; the image's head goes back each time. */
static uint64_t submit(uint64_t n)
{
	struct access elsp[4] = {{0x22230, 4, 1, 0},
				 {0x22230, 4, 1, 0},
				 {0x22230, 4, 1, 0x20},
				 {0x22230, 4, 1, (gm0 + 4096) | 0x119}};
	uint64_t i, sink = 0;
	unsigned j;

	for (i = 0; i < n; i++) {
		gpage(2)[5] = 0;
		for (j = 0; j < 4; j++)
			sink = access(&elsp[j], sink);
	}
	return sink + gpage(4)[0];
}

static struct vgpu *setup(void)
{
	struct vgpu_config cfg;
	struct vgpu *v;

	log_set_level(LOG_ERR);
	fake_host_init(&fh);
	fh.ram_ok = true;
	fake_host_guest_buf(&fh, guest, sizeof(guest));
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
	submit_setup(v);
	{
		enum { S = 20000 };
		uint64_t ts[BLOCKS];

		for (unsigned b = 0; b < BLOCKS; b++) {
			uint64_t t0 = now_ns();

			sink += submit(S);
			ts[b] = now_ns() - t0;
		}
		qsort(ts, BLOCKS, sizeof(ts[0]), cmp_u64);
		if (vgpu_engine_stats(v, 1)->contexts != (uint64_t)S * BLOCKS) {
			fprintf(stderr, "bench-device: submissions did not "
					"complete\n");
			exit(1);
		}
		printf("   one blitter request (4 ELSP writes, 10 dwords): "
		       "%.2f us\n",
		       ts[BLOCKS / 2] / 1e3 / S);
		printf("P8d one submission, in register accesses of the mix: "
		       "%.1f\n",
		       (double)ts[BLOCKS / 2] / S /
			   ((double)t[BLOCKS / 2] / N));
	}
	vgpu_destroy(v);
	{
		static const char *const name[] = {"linear", "X-tiled",
						   "Y-tiled"};
		static const uint32_t tiling[] = {FB_LINEAR, FB_TILED_X,
						  FB_TILED_Y};

		for (unsigned i = 0; i < 3; i++) {
			uint64_t d, m;

			if (fb_bench_capture(tiling[i], 31, &d, &m) < 0) {
				fprintf(stderr,
					"bench-device: capture failed\n");
				exit(1);
			}
			printf("   capture 1920x1080 XRGB8888 %s: %.2f ms, "
			       "memcpy of the frame %.2f ms\n",
			       name[i], d / 1e6, m / 1e6);
			printf("P4 1920x1080 XRGB8888 capture to RGB, %s, "
			       "capture/memcpy (goal <= 2.0): %.2f\n",
			       name[i], (double)d / (double)m);
		}
	}
	return sink == 42;
}
