/* SPDX-License-Identifier: MIT */
/*
 * test_mmio.c - BAR0 and BAR4 behind the vGPU: the register file at every
 * size and alignment, table semantics (masked, read-only, W1C, ranges,
 * handlers), the reserved gap, the GGTT, the IOBAR index/data window, and
 * hostile offsets and sizes.
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>

#include "test_util.h"
#include "util/log.h"
#include "vgpu/block.h"
#include "vgpu/layout.h"

#define SBDF 0x10
#define BAR0 0xf0000000ull
#define IOBAR 0xc000u

static struct fake_host fh;
static struct vgpu *v;

static uint64_t rd(uint64_t off, unsigned size)
{
	return fake_read(&fh, IO_SPACE_MMIO, BAR0 + off, size);
}

static void wr(uint64_t off, unsigned size, uint64_t val)
{
	fake_write(&fh, IO_SPACE_MMIO, BAR0 + off, size, val);
}

static void setup(void)
{
	struct vgpu_config cfg;

	fake_host_init(&fh);
	vgpu_config_default(&cfg);
	ck_assert_int_eq(vgpu_create(&cfg, &fh.host, &v), 0);
	fake_cfg_write(&fh, SBDF, 0x10, 4, (uint32_t)BAR0 | 4);
	fake_cfg_write(&fh, SBDF, 0x20, 4, IOBAR | 1);
	fake_cfg_write(&fh, SBDF, 0x04, 2, 0x0007);
	ck_assert_str_eq(events_str(&fh),
			 "M vgpu 00:02.0 10, M gttmmadr-regs f0000000, M "
			 "gttmmadr-rsvd f0200000, "
			 "M gttmmadr-ggtt f0800000, M iobar c000");
}

static void teardown(void)
{
	vgpu_destroy(v);
}

START_TEST(default_store_every_size_and_alignment)
{
	static const unsigned sizes[] = {1, 2, 4, 8};
	uint8_t shadow[64] = {0};
	uint32_t seed = 12345;
	const uint32_t base = 0x4000; /* untabled */
	unsigned n, i;

	for (n = 0; n < 4000; n++) {
		unsigned size, off;
		uint64_t val, got = 0;

		seed = seed * 1103515245u + 12345u;
		size = sizes[(seed >> 16) & 3];
		off = (seed >> 8) % (64 - size + 1);
		seed = seed * 1103515245u + 12345u;
		val = ((uint64_t)seed << 32) ^ (seed * 2654435761u);
		if (n & 1) {
			wr(base + off, size, val);
			for (i = 0; i < size; i++)
				shadow[off + i] = (uint8_t)(val >> (8 * i));
		} else {
			for (i = 0; i < size; i++)
				got |= (uint64_t)shadow[off + i] << (8 * i);
			ck_assert_msg(rd(base + off, size) == got,
				      "read %u at +%u", size, off);
		}
	}
	/* The last dword of the register space. */
	wr(MMIO_SIZE - 4, 4, 0xa5a5a5a5);
	ck_assert_uint_eq(rd(MMIO_SIZE - 4, 4), 0xa5a5a5a5);
	ck_assert_uint_eq(rd(MMIO_SIZE - 1, 1), 0xa5);
}
END_TEST

START_TEST(masked_mode_registers)
{
	const uint32_t instpm = 0x20c0, mi_mode = 0x209c;

	ck_assert_uint_eq(rd(instpm, 4), 0);
	wr(instpm, 4, 0x00010001); /* enable bit 0 */
	ck_assert_uint_eq(rd(instpm, 4), 0x00000001);
	wr(instpm, 4, 0x00000000); /* no mask bits: nothing changes */
	ck_assert_uint_eq(rd(instpm, 4), 0x00000001);
	wr(instpm, 4, 0x00060006); /* enable 1, 2; bit 0 untouched */
	ck_assert_uint_eq(rd(instpm, 4), 0x00000007);
	wr(instpm, 4, 0x00010000); /* disable bit 0 */
	ck_assert_uint_eq(rd(instpm, 4), 0x00000006);
	wr(instpm, 4, 0xffff1234);
	ck_assert_uint_eq(rd(instpm, 4), 0x00001234);
	ck_assert_uint_eq(rd(instpm + 2, 2), 0); /* mask bits read 0 */
	/* Narrower writes to a masked register are dropped. */
	wr(instpm, 2, 0xffff);
	wr(instpm + 2, 2, 0xffff);
	ck_assert_uint_eq(rd(instpm, 4), 0x00001234);
	/* 8-byte write covering two dwords: each gets its half. */
	wr(instpm - 4, 8, 0x00ff00aa00000000ull | 0x11223344);
	ck_assert_uint_eq(rd(instpm - 4, 4), 0x11223344);
	ck_assert_uint_eq(rd(instpm, 4), 0x000012aa);
	/* MI_MODE: MODE_IDLE (bit 9) belongs to the engine, always idle. */
	ck_assert_uint_eq(rd(mi_mode, 4), 0x00000200);
	wr(mi_mode, 4, 0xffff0000);
	ck_assert_uint_eq(rd(mi_mode, 4), 0x00000200);
	wr(mi_mode, 4, 0xffffffff);
	ck_assert_uint_eq(rd(mi_mode, 4), 0x0000ffff);
	/* Every engine has them. */
	wr(0x220c0, 4, 0x00080008);
	ck_assert_uint_eq(rd(0x220c0, 4), 0x8);
	ck_assert_uint_eq(rd(0x120c0, 4), 0);
}
END_TEST

/* A table written for the test: the semantics the next blocks need. */
static unsigned read_calls, write_calls;
static uint32_t last_off, last_val, last_be;

static uint32_t test_read(const struct mmio_ctx *c)
{
	read_calls++;
	return 0xc0de0000u | (c->off & 0xffff);
}

static void test_write(const struct mmio_ctx *c, uint32_t val, uint32_t be)
{
	write_calls++;
	last_off = c->off;
	last_val = val;
	last_be = be;
	mmio_store(c, val, be);
}

static const struct mmio_reg test_regs[] = {
    {.offset = 0x100,
     .size = 4,
     .reset = 0xffff0000,
     .ro_mask = 0xffff0000,
     .name = "ro-high"},
    {.offset = 0x104,
     .size = 4,
     .flags = MMIO_F_W1C,
     .reset = 0x0000f00f,
     .name = "iir"},
    {.offset = 0x110, .size = 16, .reset = 0x5a5a5a5a, .name = "range"},
    {.offset = 0x200, .size = 8, .read = test_read, .name = "reader"},
    {.offset = 0x300, .size = 4, .write = test_write, .name = "writer"},
    {.offset = 0x304,
     .size = 4,
     .flags = MMIO_F_W1C,
     .ro_mask = 0xff,
     .name = "iir-with-ro"},
};

START_TEST(table_semantics)
{
	struct mmio_table blk = {
	    "test", test_regs, sizeof(test_regs) / sizeof(test_regs[0]), NULL};
	struct mmio_space m;

	ck_assert_int_eq(mmio_init(&m, &blk, 1), 0);
	/* Read-only bits. */
	ck_assert_uint_eq(mmio_read(&m, 0x100, 4), 0xffff0000);
	mmio_write(&m, 0x100, 4, 0x1234abcd);
	ck_assert_uint_eq(mmio_read(&m, 0x100, 4), 0xffffabcd);
	mmio_write(&m, 0x102, 2, 0);
	ck_assert_uint_eq(mmio_read(&m, 0x100, 4), 0xffffabcd);
	/* Write-1-to-clear, including from a byte write. */
	mmio_write(&m, 0x104, 4, 0x00000003);
	ck_assert_uint_eq(mmio_read(&m, 0x104, 4), 0x0000f00c);
	mmio_write(&m, 0x105, 1, 0xff);
	ck_assert_uint_eq(mmio_read(&m, 0x104, 4), 0x0000000c);
	/* W1C with read-only bits: those survive. */
	mmio_vreg_set(&m, 0x304, 0xffff);
	mmio_write(&m, 0x304, 4, 0xffffffff);
	ck_assert_uint_eq(mmio_read(&m, 0x304, 4), 0x00ff);
	/* A run of dwords: each has the reset value, each its own store. */
	ck_assert_uint_eq(mmio_read(&m, 0x110, 4), 0x5a5a5a5a);
	ck_assert_uint_eq(mmio_read(&m, 0x11c, 4), 0x5a5a5a5a);
	mmio_write(&m, 0x118, 4, 1);
	ck_assert_uint_eq(mmio_read(&m, 0x118, 8), 0x5a5a5a5a00000001ull);
	/* A read handler: called once per dword, value sliced. */
	read_calls = 0;
	ck_assert_uint_eq(mmio_read(&m, 0x202, 2), 0xc0de);
	ck_assert_uint_eq(read_calls, 1);
	ck_assert_uint_eq(mmio_read(&m, 0x200, 8), 0xc0de0204c0de0200ull);
	ck_assert_uint_eq(read_calls, 3);
	/* An unaligned 4-byte read spans two dwords. */
	ck_assert_uint_eq(mmio_read(&m, 0x202, 4), 0x0204c0de);
	/* A write handler sees the dword, value and byte enables. */
	mmio_write(&m, 0x301, 2, 0xbeef);
	ck_assert_uint_eq(write_calls, 1);
	ck_assert_uint_eq(last_off, 0x300);
	ck_assert_uint_eq(last_val, 0x00beef00);
	ck_assert_uint_eq(last_be, 0x00ffff00);
	ck_assert_uint_eq(mmio_read(&m, 0x300, 4), 0x00beef00);
	/* Reset restores every tabled dword and zeroes the rest. */
	mmio_write(&m, 0x4000, 4, 7);
	mmio_reset(&m);
	ck_assert_uint_eq(mmio_read(&m, 0x4000, 4), 0);
	ck_assert_uint_eq(mmio_read(&m, 0x118, 4), 0x5a5a5a5a);
	ck_assert_uint_eq(mmio_read(&m, 0x104, 4), 0x0000f00f);
	ck_assert_ptr_eq(mmio_lookup(&m, 0x11f)->r, &test_regs[2]);
	ck_assert_ptr_null(mmio_lookup(&m, 0x120));
	mmio_fini(&m);
}
END_TEST

/* Instances: the handler learns which copy and where it starts. */
static unsigned seen_inst[8];
static uint32_t seen_base[8];
static unsigned inst_writes;

static void inst_write(const struct mmio_ctx *c, uint32_t val, uint32_t be)
{
	seen_inst[inst_writes % 8] = c->inst;
	seen_base[inst_writes % 8] = c->base;
	inst_writes++;
	mmio_store(c, val, be);
}

static const uint32_t test_bases[] = {0x2000, 0x22000, 0x12000};
static int test_state_token;

START_TEST(instances)
{
	static const struct mmio_reg regs[] = {
	    {.offset = 0x70008,
	     .size = 4,
	     .count = 3,
	     .stride = 0x1000,
	     .write = inst_write,
	     .name = "per-pipe"},
	    {.offset = 0x9c,
	     .size = 4,
	     .count = 3,
	     .bases = test_bases,
	     .flags = MMIO_F_MODE_MASK,
	     .write = inst_write,
	     .name = "per-engine"},
	    {.offset = 0x100000,
	     .size = 8,
	     .count = 4,
	     .stride = 8,
	     .ro_mask = 0xf,
	     .name = "fence"},
	};
	struct mmio_table t = {"inst", regs, 3, &test_state_token};
	struct mmio_space m;
	const struct mmio_slot *sl;

	ck_assert_int_eq(mmio_init(&m, &t, 1), 0);
	ck_assert_uint_eq(m.nslots, 10);
	inst_writes = 0;
	mmio_write(&m, 0x72008, 4, 5);
	ck_assert_uint_eq(seen_inst[0], 2);
	ck_assert_uint_eq(seen_base[0], 0x72008);
	mmio_write(&m, 0x2209c, 4, 0x00030001);
	ck_assert_uint_eq(seen_inst[1], 1);
	ck_assert_uint_eq(seen_base[1], 0x2209c);
	ck_assert_uint_eq(mmio_read(&m, 0x2209c, 4), 1);
	ck_assert_uint_eq(mmio_read(&m, 0x209c, 4), 0); /* another engine */
	/* Between the copies: not a register of the table. */
	ck_assert_ptr_null(mmio_lookup(&m, 0x7100c));
	sl = mmio_lookup(&m, 0x71008);
	ck_assert_ptr_nonnull(sl);
	ck_assert_uint_eq(sl->inst, 1);
	ck_assert_ptr_eq(sl->state, &test_state_token);
	/* Each copy keeps its own read-only bits. */
	mmio_write(&m, 0x100018, 8, ~0ull);
	ck_assert_uint_eq(mmio_read(&m, 0x100018, 8), 0xfffffff0fffffff0ull);
	ck_assert_uint_eq(mmio_read(&m, 0x100010, 8), 0);
	ck_assert_ptr_null(mmio_lookup(&m, 0x100020));
	/* Unmodelled offsets: counted, stored, read back. */
	ck_assert_uint_eq(m.unknown_accesses, 0);
	mmio_write(&m, 0x4444, 4, 9);
	ck_assert_uint_eq(mmio_read(&m, 0x4444, 4), 9);
	ck_assert_uint_eq(m.unknown_accesses, 2);
	ck_assert_uint_eq(m.unknown_logged, 1); /* logged once */
	mmio_fini(&m);
}
END_TEST

START_TEST(instance_tables_refused)
{
	static const struct mmio_reg no_stride[] = {
	    {.offset = 0x100, .size = 4, .count = 2}};
	static const struct mmio_reg overlapping[] = {
	    {.offset = 0x100, .size = 8, .count = 2, .stride = 4}};
	static const struct mmio_reg past_end[] = {
	    {.offset = MMIO_SIZE - 0x1000,
	     .size = 4,
	     .count = 2,
	     .stride = 0x1000}};
	static const uint32_t far_bases[] = {0x1000, MMIO_SIZE};
	static const struct mmio_reg base_past_end[] = {
	    {.offset = 0, .size = 4, .count = 2, .bases = far_bases}};
	static const uint32_t same_bases[] = {0x1000, 0x1000};
	static const struct mmio_reg base_twice[] = {
	    {.offset = 0, .size = 4, .count = 2, .bases = same_bases}};
	const struct mmio_table t[] = {
	    {"no-stride", no_stride, 1, NULL},
	    {"overlapping", overlapping, 1, NULL},
	    {"past-end", past_end, 1, NULL},
	    {"base-past-end", base_past_end, 1, NULL},
	    {"base-twice", base_twice, 1, NULL},
	};
	struct mmio_space m;
	unsigned i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		ck_assert_int_eq(mmio_init(&m, &t[i], 1), -EINVAL);
}
END_TEST

START_TEST(bad_tables_refused)
{
	static const struct mmio_reg overlap[] = {
	    {.offset = 0x100, .size = 8},
	    {.offset = 0x104, .size = 4},
	};
	static const struct mmio_reg unaligned[] = {
	    {.offset = 0x102, .size = 4}};
	static const struct mmio_reg odd_size[] = {
	    {.offset = 0x100, .size = 6}};
	static const struct mmio_reg past_end[] = {
	    {.offset = MMIO_SIZE - 4, .size = 8}};
	static const struct mmio_reg masked_high[] = {
	    {.offset = 0x100,
	     .size = 4,
	     .flags = MMIO_F_MODE_MASK,
	     .reset = 0x10000}};
	static const struct mmio_reg both[] = {
	    {.offset = 0x100,
	     .size = 4,
	     .flags = MMIO_F_MODE_MASK | MMIO_F_W1C}};
	const struct mmio_table blocks[] = {
	    {"overlap", overlap, 2, NULL},    {"unaligned", unaligned, 1, NULL},
	    {"odd", odd_size, 1, NULL},	      {"end", past_end, 1, NULL},
	    {"masked", masked_high, 1, NULL}, {"both", both, 1, NULL},
	};
	/* Two blocks that collide with each other. */
	const struct mmio_table pair[] = {{"a", overlap, 1, NULL},
					  {"b", overlap + 1, 1, NULL}};
	struct mmio_space m;
	unsigned i;

	for (i = 0; i < sizeof(blocks) / sizeof(blocks[0]); i++)
		ck_assert_int_eq(mmio_init(&m, &blocks[i], 1), -EINVAL);
	ck_assert_int_eq(mmio_init(&m, pair, 2), -EINVAL);
	ck_assert_int_eq(mmio_init(&m, pair, 1), 0);
	mmio_fini(&m);
}
END_TEST

START_TEST(reserved_gap)
{
	ck_assert_uint_eq(rd(MMIO_SIZE, 4), 0);
	wr(MMIO_SIZE, 4, 0xffffffff);
	ck_assert_uint_eq(rd(MMIO_SIZE, 4), 0);
	wr(0x7ffff8, 8, ~0ull);
	ck_assert_uint_eq(rd(0x7ffff8, 8), 0);
	ck_assert_uint_eq(rd(0x400000, 1), 0);
	/* Straddling registers and the gap: refused. */
	wr(MMIO_SIZE - 4, 4, 0x11111111);
	ck_assert_uint_eq(rd(MMIO_SIZE - 2, 4), 0xffffffff);
	wr(MMIO_SIZE - 2, 4, 0);
	ck_assert_uint_eq(rd(MMIO_SIZE - 4, 4), 0x11111111);
}
END_TEST

START_TEST(ggtt_entries)
{
	const uint64_t g = VGPU_GGTT_OFFSET;

	ck_assert_uint_eq(rd(g, 8), 0);
	wr(g + 8, 8, 0x00000001deadb001ull);
	ck_assert_uint_eq(rd(g + 8, 8), 0x00000001deadb001ull);
	ck_assert_uint_eq(rd(g + 8, 4), 0xdeadb001);
	ck_assert_uint_eq(rd(g + 12, 4), 0x00000001);
	wr(g + 12, 4, 0x2);
	ck_assert_uint_eq(rd(g + 8, 8), 0x00000002deadb001ull);
	/* The last entry. */
	wr(g + VGPU_GGTT_SIZE - 8, 8, 0x123456789abcdef0ull);
	ck_assert_uint_eq(rd(g + VGPU_GGTT_SIZE - 8, 8), 0x123456789abcdef0ull);
	/* 1- and 2-byte or misaligned accesses are refused. */
	ck_assert_uint_eq(rd(g + 8, 2), 0xffff);
	ck_assert_uint_eq(rd(g + 9, 4), 0xffffffff);
	wr(g + 8, 1, 0);
	wr(g + 10, 4, 0);
	ck_assert_uint_eq(rd(g + 8, 8), 0x00000002deadb001ull);
	/* Past the end of the table: not BAR0 any more. */
	ck_assert_uint_eq(rd(g + VGPU_GGTT_SIZE - 4, 8), ~0ull);
	wr(g + VGPU_GGTT_SIZE - 4, 8, 0);
	ck_assert_uint_eq(rd(g + VGPU_GGTT_SIZE - 8, 8), 0x123456789abcdef0ull);
}
END_TEST

START_TEST(iobar_index_data)
{
	/* INDEX is plain storage, any byte of it. */
	fake_write(&fh, IO_SPACE_PORT, IOBAR, 4, 0x20c0);
	ck_assert_uint_eq(fake_read(&fh, IO_SPACE_PORT, IOBAR, 4), 0x20c0);
	ck_assert_uint_eq(fake_read(&fh, IO_SPACE_PORT, IOBAR + 1, 1), 0x20);
	/* DATA goes to BAR0 at INDEX, with the register's semantics. */
	fake_write(&fh, IO_SPACE_PORT, IOBAR + 4, 4, 0x00010001);
	ck_assert_uint_eq(rd(0x20c0, 4), 1);
	ck_assert_uint_eq(fake_read(&fh, IO_SPACE_PORT, IOBAR + 4, 4), 1);
	/* Byte-wise INDEX update; DATA sub-dword access. */
	fake_write(&fh, IO_SPACE_PORT, IOBAR + 1, 1, 0x40);
	ck_assert_uint_eq(fake_read(&fh, IO_SPACE_PORT, IOBAR, 4), 0x40c0);
	fake_write(&fh, IO_SPACE_PORT, IOBAR + 4, 2, 0xbeef);
	fake_write(&fh, IO_SPACE_PORT, IOBAR + 6, 2, 0xdead);
	ck_assert_uint_eq(rd(0x40c0, 4), 0xdeadbeef);
	ck_assert_uint_eq(fake_read(&fh, IO_SPACE_PORT, IOBAR + 7, 1), 0xde);
	/* INDEX into the GGTT. */
	fake_write(&fh, IO_SPACE_PORT, IOBAR, 4, VGPU_GGTT_OFFSET + 16);
	fake_write(&fh, IO_SPACE_PORT, IOBAR + 4, 4, 0xabc003);
	ck_assert_uint_eq(rd(VGPU_GGTT_OFFSET + 16, 8), 0xabc003);
	/* INDEX past BAR0: all-ones, dropped. */
	fake_write(&fh, IO_SPACE_PORT, IOBAR, 4, 0xffffffff);
	ck_assert_uint_eq(fake_read(&fh, IO_SPACE_PORT, IOBAR + 4, 4),
			  0xffffffff);
	fake_write(&fh, IO_SPACE_PORT, IOBAR + 4, 4, 0);
	/* The reserved rest of the 64 bytes. */
	ck_assert_uint_eq(fake_read(&fh, IO_SPACE_PORT, IOBAR + 8, 4), 0);
	fake_write(&fh, IO_SPACE_PORT, IOBAR + 60, 4, 0xffffffff);
	ck_assert_uint_eq(fake_read(&fh, IO_SPACE_PORT, IOBAR + 60, 4), 0);
	/* Crossing INDEX/DATA, bad sizes, past the end: refused. */
	ck_assert_uint_eq(fake_read(&fh, IO_SPACE_PORT, IOBAR + 2, 4),
			  0xffffffff);
	ck_assert_uint_eq(fake_read(&fh, IO_SPACE_PORT, IOBAR + 64, 1), 0xff);
	ck_assert_uint_eq(fake_read(&fh, IO_SPACE_PORT, IOBAR, 8), ~0ull);
	fake_write(&fh, IO_SPACE_PORT, IOBAR + 3, 2, 0);
	ck_assert_uint_eq(fake_read(&fh, IO_SPACE_PORT, IOBAR, 4), 0xffffffff);
}
END_TEST

START_TEST(hostile_mmio)
{
	/* Sizes the register file never takes, straight to the handlers. */
	ck_assert_uint_eq(mmio_read(vgpu_regs(v), 0x4000, 3), ~0ull);
	ck_assert_uint_eq(mmio_read(vgpu_regs(v), 0x4000, 16), ~0ull);
	ck_assert_uint_eq(mmio_read(vgpu_regs(v), MMIO_SIZE - 2, 4), ~0ull);
	ck_assert_uint_eq(mmio_read(vgpu_regs(v), 0xffffffff, 1), ~0ull);
	mmio_write(vgpu_regs(v), MMIO_SIZE, 4, 1);
	mmio_write(vgpu_regs(v), 0xfffffffe, 4, 1);
	mmio_write(vgpu_regs(v), 0x4000, 0, 1);
	/* The same through the host: each part refuses what it does not take.
	 */
	ck_assert_uint_eq(rd(VGPU_GTTMMADR_SIZE, 1), 0xff);
	ck_assert_uint_eq(rd(MMIO_SIZE - 4, 8), ~0ull); /* into reserved */
	ck_assert_uint_eq(rd(VGPU_GGTT_OFFSET - 4, 8), ~0ull); /* into GGTT */
	ck_assert_uint_eq(rd(0x1000, 5), 0xffffffffffull);
	wr(VGPU_GTTMMADR_SIZE - 4, 8, 0);
	wr(MMIO_SIZE - 4, 8, 0x1111111111111111ull);
	ck_assert_uint_eq(rd(MMIO_SIZE - 4, 4), 0);
	ck_assert_uint_eq(rd(0x4000, 4), 0);
}
END_TEST

/* A reproducible stream of garbage (xorshift64). */
static uint64_t garbage(void)
{
	static uint64_t x = 0x9e3779b97f4a7c15ull;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return x;
}

/*
 * A hostile guest writes garbage at every offset of the register half,
 * at every size and alignment (including accesses that straddle two
 * registers), and reads everything back.  Whatever the blocks do with
 * it, the device keeps serving, and for every tabled register without a
 * write handler the read-only bits hold across a write inside it.
 */
START_TEST(hostile_sweep_register_half)
{
	static const struct {
		unsigned delta, size;
	} acc[] = {{0, 4}, {1, 2}, {3, 1}, {2, 8}, {0, 8}, {2, 4}};
	struct mmio_space *m = vgpu_regs(v);
	uint32_t off;
	unsigned a;

	for (off = 0; off < MMIO_SIZE; off += 4) {
		for (a = 0; a < sizeof(acc) / sizeof(acc[0]); a++) {
			uint32_t at = off + acc[a].delta;
			uint32_t before = mmio_vreg_get(m, off), now;
			const struct mmio_slot *sl = mmio_lookup(m, off);

			if (at + acc[a].size > MMIO_SIZE)
				continue;
			wr(at, acc[a].size, garbage());
			now = mmio_vreg_get(m, off);
			/* a write inside one register; one that straddles
			 * two may rightly change a status its neighbour
			 * derives (PP_STATUS from PP_CONTROL) */
			if (sl && !sl->r->write && at + acc[a].size <= off + 4)
				ck_assert_msg(!((before ^ now) & sl->r->ro_mask),
					      "%s at %#x: read-only bits "
					      "changed %#x -> %#x",
					      sl->r->name, off, before, now);
			(void)rd(at, acc[a].size);
		}
	}
	/* still the vGPU: PVINFO is read-only and answers */
	ck_assert_uint_eq(rd(0x78000, 8), 0x4776544776544776ull);
	ck_assert_uint_eq(rd(0x78008, 4), 1);
	ck_assert_uint_eq(fake_cfg_read(&fh, SBDF, 0, 4), 0x19128086u);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("vgpu-mmio");
	TCase *tc = tcase_create("mmio");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, default_store_every_size_and_alignment);
	tcase_add_test(tc, masked_mode_registers);
	tcase_add_test(tc, table_semantics);
	tcase_add_test(tc, bad_tables_refused);
	tcase_add_test(tc, instances);
	tcase_add_test(tc, instance_tables_refused);
	tcase_add_test(tc, reserved_gap);
	tcase_add_test(tc, ggtt_entries);
	tcase_add_test(tc, iobar_index_data);
	tcase_add_test(tc, hostile_mmio);
	tcase_add_test(tc, hostile_sweep_register_half);
	tcase_set_timeout(tc, 120);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return vgpu_test_run(suite());
}
