/* SPDX-License-Identifier: MIT */
/*
 * test_engine.c - execlist submission and the command streamer, driven
 * the way i915 6.1 drives them at GT init (docs/vgpu-execlists-facts.md
 * 5.7): a context image and ring in guest RAM behind the GGTT, the
 * engine's status page, the CSB pointer reset, four ELSP writes; then
 * what the guest observes: the seqno, the CSB entries in memory and
 * registers, the interrupts, the image's head.  And hostile rings: they
 * hang the engine (no completion), never the daemon, until a reset.
 */
#include <check.h>
#include <stdlib.h>

#include "test_util.h"
#include "util/blob.h"
#include "vgpu/block.h"
#include "vgpu/engine.h"
#include "vgpu/ggtt.h"

#define RAM_SIZE (4u << 20)
#define GPA0 0x100000u /* guest page behind GM page 0 of the slice */
#define NPAGES 16

/* GM pages (from the mappable slice's base). */
#define P_HWSP 0
#define P_CTX 1 /* two pages: PPHWSP, register state */
#define P_RING 3
#define P_BATCH 4
#define P_TIMELINE 5

#define RCS 0x2000u
#define BCS 0x22000u
#define GT0_IIR 0x44308u

static struct fake_host fh;
static uint8_t *ram;
static struct vgpu *v;
static uint64_t gm0;

static uint32_t rd(uint32_t off)
{
	return (uint32_t)mmio_read(vgpu_regs(v), off, 4);
}

static void wr(uint32_t off, uint32_t val)
{
	mmio_write(vgpu_regs(v), off, 4, val);
}

static uint32_t gm(unsigned page)
{
	return (uint32_t)(gm0 + 4096u * page);
}

static uint32_t *page(unsigned p)
{
	return (uint32_t *)(ram + GPA0 + 4096u * p);
}

static void setup(void)
{
	struct vgpu_config cfg;
	struct vgpu_ggtt *g;
	unsigned i;

	fake_host_init(&fh);
	fh.ram_ok = true;
	ram = calloc(1, RAM_SIZE);
	ck_assert_ptr_nonnull(ram);
	fake_host_guest_buf(&fh, ram, RAM_SIZE);
	vgpu_config_default(&cfg);
	ck_assert_int_eq(vgpu_create(&cfg, &fh.host, &v), 0);
	gm0 = vgpu_partition(v)->mappable_base;
	g = vgpu_block_state(v, &vgpu_ggtt_block);
	for (i = 0; i < NPAGES; i++) {
		uint64_t pte = (GPA0 + 4096ull * i) | 1;

		ck_assert(vgpu_ggtt_access(g, (gm0 >> 12 << 3) + 8ull * i, 8,
					   &pte, true));
	}
	/* GT init: IRQs as gen8_gt_irq_postinstall leaves them. */
	wr(0x4430c, 0x09090909);
	wr(0x44304, 0xf6f6f6f6);
	/* Engine resume: status page, then the CSB pointers' reset. */
	wr(RCS + 0x80, gm(P_HWSP));
	wr(BCS + 0x80, gm(P_HWSP + 8));
	wr(RCS + 0x3a0, 0xffff0505);
	wr(BCS + 0x3a0, 0xffff0505);
	memset(page(P_HWSP) + 0x10, 0xff, 6 * 8); /* reset_csb_pointers */
}

static void teardown(void)
{
	vgpu_destroy(v);
	v = NULL;
	free(ram);
}

/* Ring of n dwords in page P_RING, image in P_CTX; returns the tail. */
static uint32_t load_ring(const uint32_t *cmds, unsigned n)
{
	uint32_t *img = page(P_CTX + 1);

	memcpy(page(P_RING), cmds, 4ull * n);
	if (n % 2)
		page(P_RING)[n++] = 0; /* MI_NOOP: tails are 8-aligned */
	img[5] = 0;		       /* head */
	img[7] = 4 * n;		       /* tail */
	img[9] = gm(P_RING);	       /* start */
	img[11] = 0x1;		       /* 4 KiB, valid */
	return 4 * n;
}

static void elsp(uint32_t base, uint32_t lo, uint32_t ccid)
{
	wr(base + 0x230, 0);
	wr(base + 0x230, 0);
	wr(base + 0x230, ccid);
	wr(base + 0x230, lo);
}

#define DESC(page) (gm(page) | 0x119 | 0x200 | 0x4)

/* i915's first render request (gt/intel_gt.c __engines_record_defaults). */
START_TEST(rcs_init_request_completes)
{
	uint32_t batch[] = {
	    0x7a000004, 0x01000000, 0, 0, 0, 0, /* PIPE_CONTROL, no post-sync */
	    0x69040300,				/* PIPELINE_SELECT */
	    0x78000002, 1,	    2, 3,	/* 3D state: stepped over */
	    0x7b000005, 0,	    0, 0, 0, 0, 0, /* 3DPRIMITIVE */
	    0x05000000,				   /* MI_BATCH_BUFFER_END */
	};
	uint32_t ring[] = {
	    /* invalidate flush: store-index qword at 0xd0 */
	    0x7a000004,
	    0,
	    0,
	    0,
	    0,
	    0,
	    0x7a000004,
	    0x00344c1c,
	    0xd0,
	    0,
	    0,
	    0,
	    /* context workarounds */
	    0x11000001,
	    0x7014,
	    0x80008000,
	    0,
	    /* the null render state, a secure batch */
	    0x04000000,
	    0x18800001,
	    gm(P_BATCH),
	    0,
	    /* fini breadcrumb */
	    0x7a000004,
	    0x00001021,
	    0,
	    0,
	    0,
	    0,
	    0x7a000004,
	    0x01104080,
	    gm(P_TIMELINE),
	    0,
	    0x2a,
	    0,
	    0x01000000,
	    0x04000001,
	};
	uint32_t tail, *hwsp = page(P_HWSP);

	memcpy(page(P_BATCH), batch, sizeof(batch));
	page(P_CTX)[0x34] = 0xdeadbeef;
	tail = load_ring(ring, sizeof(ring) / 4);
	elsp(RCS, DESC(P_CTX), 0x20);

	/* The seqno landed, and the store-index scratch in the PPHWSP. */
	ck_assert_uint_eq(page(P_TIMELINE)[0], 0x2a);
	ck_assert_uint_eq(page(P_CTX)[0x34], 0);
	ck_assert_uint_eq(rd(0x7014), 0x80008000);
	/* CSB: entry 0 idle-to-active, entry 1 complete, index 1. */
	ck_assert_uint_eq(hwsp[0x10], 0x1);
	ck_assert_uint_eq(hwsp[0x11], 0);
	ck_assert_uint_eq(hwsp[0x12], 0x18);
	ck_assert_uint_eq(hwsp[0x13], 0x20);
	ck_assert_uint_eq(hwsp[0x14], 0xffffffff);
	ck_assert_uint_eq(hwsp[0x1f], 1);
	ck_assert_uint_eq(rd(RCS + 0x370), 0x1);
	ck_assert_uint_eq(rd(RCS + 0x378), 0x18);
	ck_assert_uint_eq(rd(RCS + 0x37c), 0x20);
	ck_assert_uint_eq(rd(RCS + 0x3a0), 0x0501);
	/* User interrupt and context switch, RCS's bits of GT0. */
	ck_assert_uint_eq(rd(GT0_IIR), (1u << 0) | (1u << 8));
	/* The image's head is the tail; the engine is idle. */
	ck_assert_uint_eq(page(P_CTX + 1)[5], tail);
	ck_assert_uint_eq(rd(RCS + 0x34), tail);
	ck_assert_uint_eq(rd(RCS + 0x234), 0);
	ck_assert_uint_eq(rd(RCS + 0x9c) & (1u << 9), 1u << 9);
	ck_assert_uint_eq(vgpu_engine_stats(v, 0)->contexts, 1);

	/* The next request on the same context: entries 2 and 3. */
	wr(GT0_IIR, rd(GT0_IIR));
	page(P_RING)[tail / 4] = 0x7a000004;
	page(P_RING)[tail / 4 + 1] = 0x01104080;
	page(P_RING)[tail / 4 + 2] = gm(P_TIMELINE);
	page(P_RING)[tail / 4 + 3] = 0;
	page(P_RING)[tail / 4 + 4] = 0x2c;
	page(P_RING)[tail / 4 + 5] = 0;
	page(P_CTX + 1)[7] = tail + 24;
	elsp(RCS, DESC(P_CTX) & ~4u, 0x40);
	ck_assert_uint_eq(page(P_TIMELINE)[0], 0x2c);
	ck_assert_uint_eq(hwsp[0x1f], 3);
	ck_assert_uint_eq(hwsp[0x16], 0x18);
	ck_assert_uint_eq(hwsp[0x17], 0x40);
	ck_assert_uint_eq(rd(GT0_IIR), 1u << 8); /* no user interrupt */
}
END_TEST

/* The xcs form: MI_FLUSH_DW with the GGTT bit in the address. */
START_TEST(bcs_breadcrumb_and_two_elements)
{
	uint32_t ring[] = {
	    0x13244002, 0xd0,
	    0,		0, /* invalidate, store index */
	    0x13004002, gm(P_TIMELINE) | 4,
	    0,		7, /* seqno 7 */
	    0x01000000, 0x04000001,
	};
	uint32_t *hwsp = page(P_HWSP + 8);

	load_ring(ring, sizeof(ring) / 4);
	/* Element 1 is a second context with the same ring. */
	memcpy(page(P_CTX + 3), page(P_CTX + 1), 4096);
	wr(BCS + 0x230, 0x60);
	wr(BCS + 0x230, gm(P_CTX + 2) | 0x119);
	wr(BCS + 0x230, 0x20);
	wr(BCS + 0x230, gm(P_CTX) | 0x119);
	ck_assert_uint_eq(page(P_TIMELINE)[0], 7);
	ck_assert_uint_eq(hwsp[0x10], 0x1);
	ck_assert_uint_eq(hwsp[0x12], 0x14);
	ck_assert_uint_eq(hwsp[0x13], 0x20);
	ck_assert_uint_eq(hwsp[0x14], 0x18);
	ck_assert_uint_eq(hwsp[0x15], 0x60);
	ck_assert_uint_eq(hwsp[0x1f], 2);
	ck_assert_uint_eq(rd(GT0_IIR), (1u << 16) | (1u << 24));
	ck_assert_uint_eq(vgpu_engine_stats(v, 1)->contexts, 2);
}
END_TEST

/* A user batch: per-process addresses through the guest's 4-level
 * tables (PDP0 in the image), a store to a per-process address. */
START_TEST(ppgtt_batch_and_store)
{
	/* Tables at guest pages 0x200..0x203; batch 0x210, data 0x211. */
	uint64_t *pml4 = (uint64_t *)(ram + 0x200000);
	uint64_t *pdp = (uint64_t *)(ram + 0x201000);
	uint64_t *pd = (uint64_t *)(ram + 0x202000);
	uint64_t *pt = (uint64_t *)(ram + 0x203000);
	uint32_t *batch = (uint32_t *)(ram + 0x210000);
	uint32_t *data = (uint32_t *)(ram + 0x211000);
	/* per-process 0x0000_8040_0010_0000: PML4 1, PDP 1, PD 0, PT 256 */
	const uint64_t va = (1ull << 39) | (1ull << 30) | (256ull << 12);
	uint32_t ring[] = {0x18800101, (uint32_t)va, (uint32_t)(va >> 32)};
	uint32_t *img = page(P_CTX + 1);

	pml4[1] = 0x201000 | 3;
	pdp[1] = 0x202000 | 3;
	pd[0] = 0x203000 | 3;
	pt[256] = 0x210000 | 3;
	pt[257] = 0x211000 | 3;
	batch[0] = 0x10000002; /* MI_STORE_DATA_IMM, per-process */
	batch[1] = (uint32_t)(va + 4096 + 8);
	batch[2] = (uint32_t)(va >> 32);
	batch[3] = 0xcafe;
	batch[4] = 0x05000000;
	load_ring(ring, 3);
	img[49] = 0;	    /* PDP0 upper */
	img[51] = 0x200000; /* PDP0 lower: the PML4 */
	elsp(RCS, DESC(P_CTX), 0x20);
	ck_assert_uint_eq(data[2], 0xcafe);
	ck_assert_uint_eq(vgpu_engine_stats(v, 0)->contexts, 1);
	/* An entry not present: the next run hangs, nothing is written. */
	pt[257] = 0;
	batch[3] = 0xbeef;
	load_ring(ring, 3);
	elsp(RCS, DESC(P_CTX), 0x20);
	ck_assert_uint_eq(data[2], 0xcafe);
	ck_assert_uint_eq(vgpu_engine_stats(v, 0)->hangs, 1);
}
END_TEST

/* A hung engine: what the guest sees, and the reset that clears it. */
static void assert_hung(uint32_t ccid)
{
	uint32_t *hwsp = page(P_HWSP);

	ck_assert_uint_eq(hwsp[0x10], 0x1); /* schedule-in only */
	ck_assert_uint_eq(hwsp[0x12], 0xffffffff);
	ck_assert_uint_eq(hwsp[0x1f], 0);
	ck_assert_uint_eq(rd(RCS + 0x234) & (1u << 18), 1u << 18);
	ck_assert_uint_eq(rd(RCS + 0x238), ccid);
	ck_assert_uint_eq(vgpu_engine_stats(v, 0)->hangs, 1);
	ck_assert_uint_eq(vgpu_engine_stats(v, 0)->contexts, 0);
	/* A further submission is dropped until the engine is reset. */
	elsp(RCS, DESC(P_CTX), ccid);
	ck_assert_uint_eq(vgpu_engine_stats(v, 0)->refused, 1);
	/* gen8_engine_reset_prepare, then GDRST render. */
	wr(RCS + 0xd0, 0x00010001);
	ck_assert_uint_eq(rd(RCS + 0xd0), 0x3);
	wr(0x941c, 1u << 1);
	ck_assert_uint_eq(rd(0x941c), 0);
	ck_assert_uint_eq(rd(RCS + 0x234), 0);
	wr(RCS + 0xd0, 0x00010000);
	ck_assert_uint_eq(rd(RCS + 0xd0), 0);
}

static void run_hostile(const uint32_t *cmds, unsigned n)
{
	static const uint32_t good[] = {0x10400002, 0, 0, 0x99, 0, 0};
	uint32_t ring[8];

	load_ring(cmds, n);
	elsp(RCS, DESC(P_CTX), 0x20);
	assert_hung(0x20);
	/* After the reset a good context runs. */
	memcpy(ring, good, sizeof(good));
	ring[1] = gm(P_TIMELINE);
	wr(RCS + 0x3a0, 0xffff0505);
	load_ring(ring, 4);
	elsp(RCS, DESC(P_CTX), 0x40);
	ck_assert_uint_eq(page(P_TIMELINE)[0], 0x99);
	ck_assert_uint_eq(vgpu_engine_stats(v, 0)->contexts, 1);
}

START_TEST(hostile_store_outside_partition)
{
	/* GM 0 belongs to the host, not this vGPU. */
	uint32_t ring[] = {0x10400002, 0, 0, 0x12345678};

	run_hostile(ring, 4);
	ck_assert_uint_eq(*(uint32_t *)ram, 0);
}
END_TEST

START_TEST(hostile_batch_loops_forever)
{
	uint32_t ring[] = {0x18800001, gm(P_BATCH), 0};
	uint32_t batch[] = {0x18800001, gm(P_BATCH), 0}; /* chained to itself */

	memcpy(page(P_BATCH), batch, sizeof(batch));
	run_hostile(ring, 3);
}
END_TEST

START_TEST(hostile_lri_to_the_submit_port)
{
	uint32_t ring[] = {0x11000001, RCS + 0x230, 0x12345678};

	run_hostile(ring, 3);
}
END_TEST

START_TEST(hostile_unknown_command)
{
	uint32_t ring[] = {0x3f << 23};

	run_hostile(ring, 1);
}
END_TEST

START_TEST(hostile_command_past_the_tail)
{
	/* A 6-dword PIPE_CONTROL in a 4-dword ring. */
	uint32_t ring[] = {0x7a000004, 0, 0, 0};

	run_hostile(ring, 4);
}
END_TEST

START_TEST(hostile_ppgtt_batch_without_tables)
{
	uint32_t ring[] = {0x18800101, 0x1000, 0}; /* PPGTT: no PML4 */

	run_hostile(ring, 3);
}
END_TEST

START_TEST(refused_descriptors_leave_no_trace)
{
	uint32_t ring[] = {0x01000000, 0};

	load_ring(ring, 2);
	elsp(RCS, gm(P_CTX) | 0x19, 0x20);  /* not privileged */
	elsp(RCS, gm(P_CTX) | 0x100, 0x20); /* not valid */
	elsp(RCS, gm(P_CTX) | 0x111, 0x20); /* advanced addressing (0) */
	ck_assert_uint_eq(vgpu_engine_stats(v, 0)->refused, 3);
	ck_assert_uint_eq(page(P_HWSP)[0x10], 0xffffffff);
	ck_assert_uint_eq(rd(GT0_IIR), 0);
	/* Partial-dword writes to the port are dropped. */
	mmio_write(vgpu_regs(v), RCS + 0x230, 2, 0xffff);
	elsp(RCS, DESC(P_CTX), 0x20);
	ck_assert_uint_eq(vgpu_engine_stats(v, 0)->contexts, 1);
}
END_TEST

/* Element 0 completes, element 1's context stops: the status names
 * element 1 and its context, and the CSB shows element 0's completion
 * but no active-to-idle; a load keeps it. */
START_TEST(element1_hang_status)
{
	uint32_t good[] = {0x01000000, 0};
	uint32_t bad = 0x3f << 23;
	uint32_t *img1 = page(10), *hwsp = page(P_HWSP);
	struct blob_w w;

	load_ring(good, 2);
	/* Element 1: image at pages 9-10, ring at page 11. */
	memset(img1, 0, 4096);
	page(11)[0] = bad;
	page(11)[1] = 0;
	img1[7] = 8;
	img1[9] = gm(11);
	img1[11] = 0x1;
	wr(RCS + 0x230, 0x60);
	wr(RCS + 0x230, gm(9) | 0x119);
	wr(RCS + 0x230, 0x20);
	wr(RCS + 0x230, DESC(P_CTX));
	ck_assert_uint_eq(hwsp[0x10], 0x1);
	ck_assert_uint_eq(hwsp[0x12], 0x14);
	ck_assert_uint_eq(hwsp[0x13], 0x20);
	ck_assert_uint_eq(hwsp[0x14], 0xffffffff);
	ck_assert_uint_eq(rd(RCS + 0x234), (1u << 17) | (1u << 3) | (1u << 1));
	ck_assert_uint_eq(rd(RCS + 0x238), 0x60);
	ck_assert_uint_eq(vgpu_engine_stats(v, 0)->contexts, 1);
	ck_assert_uint_eq(vgpu_engine_stats(v, 0)->hangs, 1);
	blob_w_init(&w);
	ck_assert_int_eq(vgpu_save(v, &w), 0);
	vgpu_reset(v);
	ck_assert_int_eq(vgpu_load(v, w.buf, w.len), 0);
	blob_w_free(&w);
	ck_assert_uint_eq(rd(RCS + 0x234), (1u << 17) | (1u << 3) | (1u << 1));
	ck_assert_uint_eq(rd(RCS + 0x238), 0x60);
	wr(0x941c, 1u << 1);
	ck_assert_uint_eq(rd(RCS + 0x234), 0);
}
END_TEST

/* A hung engine stays hung across save and load; a half-written port
 * stays half-written. */
START_TEST(state_survives_save_load)
{
	uint32_t ring[] = {0x3f << 23};
	struct blob_w w;

	load_ring(ring, 1);
	elsp(RCS, DESC(P_CTX), 0x20);
	wr(BCS + 0x230, 0);
	blob_w_init(&w);
	ck_assert_int_eq(vgpu_save(v, &w), 0);
	vgpu_reset(v);
	ck_assert_uint_eq(rd(RCS + 0x234), 0);
	ck_assert_int_eq(vgpu_load(v, w.buf, w.len), 0);
	blob_w_free(&w);
	ck_assert_uint_eq(rd(RCS + 0x238), 0x20);
	ck_assert_uint_eq(rd(RCS + 0x234) & (1u << 18), 1u << 18);
	ck_assert_uint_eq(rd(RCS + 0x9c) & (1u << 9), 1u << 9);
	wr(0x941c, 1);
	ck_assert_uint_eq(rd(RCS + 0x234), 0);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("engine");
	TCase *tc = tcase_create("execlists");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, rcs_init_request_completes);
	tcase_add_test(tc, bcs_breadcrumb_and_two_elements);
	tcase_add_test(tc, ppgtt_batch_and_store);
	tcase_add_test(tc, hostile_store_outside_partition);
	tcase_add_test(tc, hostile_batch_loops_forever);
	tcase_add_test(tc, hostile_lri_to_the_submit_port);
	tcase_add_test(tc, hostile_unknown_command);
	tcase_add_test(tc, hostile_command_past_the_tail);
	tcase_add_test(tc, hostile_ppgtt_batch_without_tables);
	tcase_add_test(tc, refused_descriptors_leave_no_trace);
	tcase_add_test(tc, element1_hang_status);
	tcase_add_test(tc, state_survives_save_load);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return vgpu_test_run(suite());
}
