/* SPDX-License-Identifier: MIT */
/*
 * test_dispatch.c - per-type handling, rep/df arithmetic, and hostile
 * requests, with an in-memory guest and recording device regions.
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ioreq/dispatch.h"

/* ---- an in-memory guest: RAM is [RAM_BASE, RAM_BASE + RAM_SIZE) ---------- */
#define RAM_BASE 0x10000ull
#define RAM_SIZE 0x10000ull

struct test_mem {
	struct gmem gm;
	uint8_t ram[RAM_SIZE];
	unsigned invalidates, faults;
};

static bool in_ram(uint64_t gpa, size_t len)
{
	return len && gpa >= RAM_BASE && gpa + len > gpa &&
	       gpa + len <= RAM_BASE + RAM_SIZE;
}

static int tm_read(struct gmem *gm, uint64_t gpa, void *buf, size_t len)
{
	struct test_mem *m = (struct test_mem *)gm;

	if (!in_ram(gpa, len)) {
		m->faults++;
		memset(buf, 0xff, len);
		return -EFAULT;
	}
	memcpy(buf, m->ram + (gpa - RAM_BASE), len);
	return 0;
}

static int tm_write(struct gmem *gm, uint64_t gpa, const void *buf, size_t len)
{
	struct test_mem *m = (struct test_mem *)gm;

	if (!in_ram(gpa, len)) {
		m->faults++;
		return -EFAULT;
	}
	memcpy(m->ram + (gpa - RAM_BASE), buf, len);
	return 0;
}

static void tm_invalidate(struct gmem *gm)
{
	((struct test_mem *)gm)->invalidates++;
}

static const struct gmem_ops tm_ops = {tm_read, tm_write, tm_invalidate};

/* ---- a recording device ------------------------------------------------- */
struct access {
	uint64_t off;
	unsigned size;
	uint64_t val;
	bool write;
};

struct dev {
	struct access log[8192];
	unsigned n;
};

static uint64_t pattern(uint64_t off)
{
	return 0x1122334455667788ull ^ (off * 0x0101010101010101ull);
}

static uint64_t dev_read(void *opaque, uint64_t off, unsigned size)
{
	struct dev *d = opaque;

	if (d->n < 8192)
		d->log[d->n] = (struct access){off, size, 0, false};
	d->n++;
	return pattern(off);
}

static void dev_write(void *opaque, uint64_t off, unsigned size, uint64_t val)
{
	struct dev *d = opaque;

	if (d->n < 8192)
		d->log[d->n] = (struct access){off, size, val, true};
	d->n++;
}

static struct test_mem *mem;
static struct dispatcher *dsp;
static struct dev mmio_dev, pio_dev, pci_dev;
static struct io_region mmio = {.name = "bar0",
				.space = IO_SPACE_MMIO,
				.base = 0xf0000000,
				.size = 0x10000,
				.read = dev_read,
				.write = dev_write,
				.opaque = &mmio_dev};
static struct io_region pio = {.name = "ports",
			       .space = IO_SPACE_PORT,
			       .base = 0x1e0,
			       .size = 0x10,
			       .read = dev_read,
			       .write = dev_write,
			       .opaque = &pio_dev};
static struct io_region pci = {.name = "cfg",
			       .space = IO_SPACE_PCI,
			       .base = 0x10,
			       .size = 256,
			       .read = dev_read,
			       .write = dev_write,
			       .opaque = &pci_dev};

static void setup(void)
{
	mem = calloc(1, sizeof(*mem));
	mem->gm.ops = &tm_ops;
	for (unsigned i = 0; i < RAM_SIZE; i++)
		mem->ram[i] = (uint8_t)(i * 3 + 1);
	dsp = calloc(1, sizeof(*dsp));
	dispatch_init(dsp, &mem->gm);
	memset(&mmio_dev, 0, sizeof(mmio_dev));
	memset(&pio_dev, 0, sizeof(pio_dev));
	memset(&pci_dev, 0, sizeof(pci_dev));
	ck_assert_int_eq(ranges_add(&dsp->sets[IO_SPACE_MMIO], 0xf0000000,
				    0xf000ffff, &mmio),
			 0);
	ck_assert_int_eq(
	    ranges_add(&dsp->sets[IO_SPACE_PORT], 0x1e0, 0x1ef, &pio), 0);
	ck_assert_int_eq(ranges_add(&dsp->sets[IO_SPACE_PCI], 0x10, 0x10, &pci),
			 0);
}

static void teardown(void)
{
	free(dsp);
	free(mem);
}

static ioreq_t mk(unsigned type, unsigned dir, uint64_t addr, unsigned size,
		  uint32_t count, uint64_t data, bool ptr, bool df)
{
	ioreq_t r;

	memset(&r, 0, sizeof(r));
	r.type = type;
	r.dir = dir;
	r.addr = addr;
	r.size = size;
	r.count = count;
	r.data = data;
	r.data_is_ptr = ptr;
	r.df = df;
	r.state = STATE_IOREQ_READY;
	return r;
}

static uint32_t ram32(uint64_t gpa)
{
	uint32_t v;

	memcpy(&v, mem->ram + (gpa - RAM_BASE), 4);
	return v;
}

START_TEST(rep_arithmetic)
{
	uint64_t f, l;

	ck_assert(ioreq_rep_span(0x1000, 4, 1, false, &f, &l));
	ck_assert_uint_eq(f, 0x1000);
	ck_assert_uint_eq(l, 0x1003);
	ck_assert(ioreq_rep_span(0x1000, 4, 16, false, &f, &l));
	ck_assert_uint_eq(l, 0x103f);
	ck_assert(ioreq_rep_span(0x1000, 4, 16, true, &f, &l));
	ck_assert_uint_eq(f, 0x1000 - 60);
	ck_assert_uint_eq(l, 0x1003);
	ck_assert(!ioreq_rep_span(0x1000, 4, 0, false, &f, &l));
	ck_assert(!ioreq_rep_span(0x1000, 0, 1, false, &f, &l));
	ck_assert(!ioreq_rep_span(~0ull - 2, 4, 1, false, &f, &l));
	ck_assert(ioreq_rep_span(~0ull - 3, 4, 1, false, &f, &l));
	ck_assert(!ioreq_rep_span(~0ull - 3, 4, 2, false, &f, &l));
	ck_assert(!ioreq_rep_span(8, 4, 4, true, &f, &l));
	ck_assert(ioreq_rep_span(12, 4, 4, true, &f, &l));
	ck_assert_uint_eq(f, 0);
	ck_assert(!ioreq_rep_span(~0ull - 2, 4, 1, true, &f, &l));
	ck_assert(ioreq_rep_span(0, 8, 4096, false, &f, &l));
	ck_assert_uint_eq(l, 8 * 4096 - 1);
	ck_assert_uint_eq(ioreq_item_addr(0x100, 3, 4, false), 0x10c);
	ck_assert_uint_eq(ioreq_item_addr(0x100, 3, 4, true), 0xf4);
	ck_assert_uint_eq(ioreq_item_offset(0, 4, 16, true), 60);
	ck_assert_uint_eq(ioreq_item_offset(15, 4, 16, true), 0);
	ck_assert_uint_eq(ioreq_item_offset(2, 2, 16, false), 4);
	ck_assert_uint_eq(ioreq_mask(1), 0xff);
	ck_assert_uint_eq(ioreq_mask(4), 0xffffffff);
	ck_assert_uint_eq(ioreq_mask(8), ~0ull);
}
END_TEST

START_TEST(mmio_simple)
{
	ioreq_t r = mk(IOREQ_TYPE_COPY, IOREQ_READ, 0xf0000010, 4, 1, 0, 0, 0);

	dispatch_ioreq(dsp, &r);
	ck_assert_uint_eq(r.data, pattern(0x10) & 0xffffffff);
	ck_assert_uint_eq(mmio_dev.n, 1);
	ck_assert_uint_eq(mmio_dev.log[0].size, 4);
	r = mk(IOREQ_TYPE_COPY, IOREQ_WRITE, 0xf000fff8, 8, 1,
	       0xabcdef0123456789ull, 0, 0);
	dispatch_ioreq(dsp, &r);
	ck_assert_uint_eq(mmio_dev.log[1].off, 0xfff8);
	ck_assert_uint_eq(mmio_dev.log[1].val, 0xabcdef0123456789ull);
	ck_assert(mmio_dev.log[1].write);
	/* write data is masked to size */
	r = mk(IOREQ_TYPE_COPY, IOREQ_WRITE, 0xf0000001, 2, 1, 0xffff1234, 0,
	       0);
	dispatch_ioreq(dsp, &r);
	ck_assert_uint_eq(mmio_dev.log[2].val, 0x1234);
	ck_assert_uint_eq(mmio_dev.log[2].off, 1);
	/* an access sticking out of the region is nobody's */
	r = mk(IOREQ_TYPE_COPY, IOREQ_READ, 0xf000fffc, 8, 1, 0, 0, 0);
	dispatch_ioreq(dsp, &r);
	ck_assert_uint_eq(r.data, ~0ull);
	ck_assert_uint_eq(mmio_dev.n, 3);
	ck_assert_uint_eq(dsp->st.unclaimed, 1);
	ck_assert_uint_eq(dsp->st.by_type[STAT_COPY], 4);
	ck_assert_uint_eq(dsp->st.malformed, 0);
}
END_TEST

/* A region's access rules are enforced here, before any handler runs. */
START_TEST(region_access_rules)
{
	ioreq_t r;

	mmio.min_access = 4;
	mmio.max_access = 8;
	mmio.align = 4;
	r = mk(IOREQ_TYPE_COPY, IOREQ_READ, 0xf0000010, 2, 1, 0, 0, 0);
	dispatch_ioreq(dsp, &r);
	ck_assert_uint_eq(r.data, 0xffff);
	r = mk(IOREQ_TYPE_COPY, IOREQ_WRITE, 0xf0000012, 4, 1, 5, 0, 0);
	dispatch_ioreq(dsp, &r);
	ck_assert_uint_eq(mmio_dev.n, 0); /* neither reached the device */
	r = mk(IOREQ_TYPE_COPY, IOREQ_READ, 0xf0000014, 8, 1, 0, 0, 0);
	dispatch_ioreq(dsp, &r);
	ck_assert_uint_eq(r.data, pattern(0x14));
	ck_assert_uint_eq(mmio_dev.n, 1);
	/* rep: every item is checked; refused items read as all-ones */
	r = mk(IOREQ_TYPE_COPY, IOREQ_READ, 0xf0000020, 1, 4, RAM_BASE, 1, 0);
	dispatch_ioreq(dsp, &r);
	ck_assert_uint_eq(ram32(RAM_BASE), 0xffffffffu);
	ck_assert_uint_eq(mmio_dev.n, 1);
	mmio.min_access = mmio.max_access = mmio.align = 0;
}
END_TEST

START_TEST(rep_movs_both_directions)
{
	ioreq_t r;
	unsigned i;

	/* RAM -> MMIO, ascending */
	r = mk(IOREQ_TYPE_COPY, IOREQ_WRITE, 0xf0000100, 4, 16, 0x11000, 1, 0);
	dispatch_ioreq(dsp, &r);
	ck_assert_uint_eq(mmio_dev.n, 16);
	for (i = 0; i < 16; i++) {
		ck_assert_uint_eq(mmio_dev.log[i].off, 0x100 + 4 * i);
		ck_assert_uint_eq(mmio_dev.log[i].val, ram32(0x11000 + 4 * i));
	}
	/* RAM -> MMIO, descending: both sides step down from the given item */
	mmio_dev.n = 0;
	r = mk(IOREQ_TYPE_COPY, IOREQ_WRITE, 0xf000013c, 4, 16, 0x1203c, 1, 1);
	dispatch_ioreq(dsp, &r);
	ck_assert_uint_eq(mmio_dev.n, 16);
	for (i = 0; i < 16; i++) {
		ck_assert_uint_eq(mmio_dev.log[i].off, 0x13c - 4 * i);
		ck_assert_uint_eq(mmio_dev.log[i].val, ram32(0x1203c - 4 * i));
	}
	/* MMIO -> RAM, descending */
	mmio_dev.n = 0;
	r = mk(IOREQ_TYPE_COPY, IOREQ_READ, 0xf000023c, 4, 16, 0x1303c, 1, 1);
	dispatch_ioreq(dsp, &r);
	for (i = 0; i < 16; i++) {
		ck_assert_uint_eq(mmio_dev.log[i].off, 0x23c - 4 * i);
		ck_assert_uint_eq(ram32(0x1303c - 4 * i),
				  (uint32_t)pattern(0x23c - 4 * i));
	}
	/* MMIO -> RAM, ascending, bytes */
	mmio_dev.n = 0;
	r = mk(IOREQ_TYPE_COPY, IOREQ_READ, 0xf0000300, 1, 5, 0x14001, 1, 0);
	dispatch_ioreq(dsp, &r);
	for (i = 0; i < 5; i++)
		ck_assert_uint_eq(mem->ram[0x14001 - RAM_BASE + i],
				  (uint8_t)pattern(0x300 + i));
	ck_assert_uint_eq(mem->ram[0x14006 - RAM_BASE],
			  (uint8_t)(0x4006 * 3 + 1));
	ck_assert_uint_eq(dsp->st.malformed + dsp->st.unclaimed, 0);
}
END_TEST

START_TEST(rep_pio)
{
	ioreq_t r;
	unsigned i;

	/* rep insw x4, DF=1: the port is constant, RAM descends */
	r = mk(IOREQ_TYPE_PIO, IOREQ_READ, 0x1e4, 2, 4, 0x15006, 1, 1);
	dispatch_ioreq(dsp, &r);
	ck_assert_uint_eq(pio_dev.n, 4);
	for (i = 0; i < 4; i++) {
		uint16_t v;

		ck_assert_uint_eq(pio_dev.log[i].off, 4);
		memcpy(&v, mem->ram + (0x15006 - RAM_BASE) - 2 * i, 2);
		ck_assert_uint_eq(v, (uint16_t)pattern(4));
	}
	/* rep outsl x3 ascending */
	pio_dev.n = 0;
	r = mk(IOREQ_TYPE_PIO, IOREQ_WRITE, 0x1e8, 4, 3, 0x15100, 1, 0);
	dispatch_ioreq(dsp, &r);
	for (i = 0; i < 3; i++) {
		ck_assert_uint_eq(pio_dev.log[i].off, 8);
		ck_assert_uint_eq(pio_dev.log[i].val, ram32(0x15100 + 4 * i));
	}
	/* in/out */
	r = mk(IOREQ_TYPE_PIO, IOREQ_READ, 0x1ef, 1, 1, 0x12345678, 0, 0);
	dispatch_ioreq(dsp, &r);
	ck_assert_uint_eq(r.data, (uint8_t)pattern(0xf));
	/* an inl at 0x1ee sticks out of 0x1e0-0x1ef */
	r = mk(IOREQ_TYPE_PIO, IOREQ_READ, 0x1ee, 4, 1, 0, 0, 0);
	dispatch_ioreq(dsp, &r);
	ck_assert_uint_eq(r.data, ~0ull);
	ck_assert_uint_eq(dsp->st.unclaimed, 1);
}
END_TEST

START_TEST(stos)
{
	ioreq_t r = mk(IOREQ_TYPE_COPY, IOREQ_WRITE, 0xf0000400, 4, 16,
		       0x5a5a5a5a, 0, 0);
	unsigned i;

	dispatch_ioreq(dsp, &r);
	ck_assert_uint_eq(mmio_dev.n, 16);
	for (i = 0; i < 16; i++) {
		ck_assert_uint_eq(mmio_dev.log[i].off, 0x400 + 4 * i);
		ck_assert_uint_eq(mmio_dev.log[i].val, 0x5a5a5a5a);
	}
	mmio_dev.n = 0;
	r = mk(IOREQ_TYPE_COPY, IOREQ_WRITE, 0xf0000407, 1, 8, 0x77, 0, 1);
	dispatch_ioreq(dsp, &r);
	ck_assert_uint_eq(mmio_dev.log[7].off, 0x400);
}
END_TEST

START_TEST(pci_config)
{
	ioreq_t r;

	r = mk(IOREQ_TYPE_PCI_CONFIG, IOREQ_READ, (0x10ull << 32) | 0x02, 2, 1,
	       0, 0, 0);
	dispatch_ioreq(dsp, &r);
	ck_assert_uint_eq(r.data, (uint16_t)pattern(2));
	ck_assert_uint_eq(pci_dev.log[0].off, 2);
	r = mk(IOREQ_TYPE_PCI_CONFIG, IOREQ_WRITE, (0x10ull << 32) | 0x3c, 1, 1,
	       0x10b, 0, 0);
	dispatch_ioreq(dsp, &r);
	ck_assert_uint_eq(pci_dev.log[1].val, 0x0b);
	/* beyond 256 */
	r = mk(IOREQ_TYPE_PCI_CONFIG, IOREQ_READ, (0x10ull << 32) | 0xfe, 4, 1,
	       0, 0, 0);
	dispatch_ioreq(dsp, &r);
	ck_assert_uint_eq(r.data, ~0ull);
	r = mk(IOREQ_TYPE_PCI_CONFIG, IOREQ_READ, (0x10ull << 32) | 0x100, 4, 1,
	       0, 0, 0);
	dispatch_ioreq(dsp, &r);
	ck_assert_uint_eq(r.data, ~0ull);
	r = mk(IOREQ_TYPE_PCI_CONFIG, IOREQ_READ, (0x10ull << 32) | 0xffffffff,
	       4, 1, 0, 0, 0);
	dispatch_ioreq(dsp, &r);
	ck_assert_uint_eq(r.data, ~0ull);
	/* another function */
	r = mk(IOREQ_TYPE_PCI_CONFIG, IOREQ_READ, (0x18ull << 32), 2, 1, 0, 0,
	       0);
	dispatch_ioreq(dsp, &r);
	ck_assert_uint_eq(r.data, ~0ull);
	/* size 8, size 3, count 2 */
	r = mk(IOREQ_TYPE_PCI_CONFIG, IOREQ_READ, 0x10ull << 32, 8, 1, 0, 0, 0);
	dispatch_ioreq(dsp, &r);
	r = mk(IOREQ_TYPE_PCI_CONFIG, IOREQ_READ, 0x10ull << 32, 3, 1, 0, 0, 0);
	dispatch_ioreq(dsp, &r);
	ck_assert_uint_eq(r.data, ~0ull);
	r = mk(IOREQ_TYPE_PCI_CONFIG, IOREQ_READ, 0x10ull << 32, 4, 2, 0, 0, 0);
	dispatch_ioreq(dsp, &r);
	ck_assert_uint_eq(r.data, ~0ull);
	ck_assert_uint_eq(pci_dev.n, 2);
	ck_assert_uint_eq(dsp->st.malformed, 3);
	ck_assert_uint_eq(dsp->st.unclaimed, 4);
}
END_TEST

START_TEST(hostile)
{
	static const struct {
		unsigned type, dir, size;
		uint32_t count;
		uint64_t addr, data;
		bool ptr, df;
	} bad[] = {
	    {IOREQ_TYPE_COPY, IOREQ_READ, 0, 1, 0xf0000000, 0, 0, 0},
	    {IOREQ_TYPE_COPY, IOREQ_READ, 3, 1, 0xf0000000, 0, 0, 0},
	    {IOREQ_TYPE_COPY, IOREQ_READ, 16, 1, 0xf0000000, 0, 0, 0},
	    {IOREQ_TYPE_COPY, IOREQ_READ, 0xffffffff, 1, 0xf0000000, 0, 0, 0},
	    {IOREQ_TYPE_PIO, IOREQ_READ, 8, 1, 0x1e0, 0, 0, 0},
	    {IOREQ_TYPE_COPY, IOREQ_READ, 4, 0, 0xf0000000, 0, 0, 0},
	    {IOREQ_TYPE_COPY, IOREQ_WRITE, 4, 4097, 0xf0000000, 0, 0, 0},
	    {IOREQ_TYPE_COPY, IOREQ_WRITE, 4, 0xffffffff, 0xf0000000, 0x11000,
	     1, 0},
	    {IOREQ_TYPE_COPY, IOREQ_READ, 4, 2, ~0ull - 4, 0, 0, 0},
	    {IOREQ_TYPE_COPY, IOREQ_READ, 4, 2, 2, 0, 0, 1},
	    {IOREQ_TYPE_COPY, IOREQ_READ, 4, 16, 0xf0000000, ~0ull - 8, 1, 0},
	    {IOREQ_TYPE_PIO, IOREQ_READ, 4, 4, 0x1e0, 4, 1, 1},
	    {IOREQ_TYPE_PIO, IOREQ_READ, 4, 1, 0xfffe, 0, 0, 0},
	    {IOREQ_TYPE_PIO, IOREQ_READ, 1, 1, 0x100000001e0ull, 0, 0, 0},
	    {3, IOREQ_READ, 4, 1, 0x1e0, 0, 0, 0},
	    {0xff, IOREQ_READ, 4, 1, 0x1e0, 0, 0, 0},
	};
	unsigned i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ioreq_t r =
		    mk(bad[i].type, bad[i].dir, bad[i].addr, bad[i].size,
		       bad[i].count, bad[i].data, bad[i].ptr, bad[i].df);

		dispatch_ioreq(dsp, &r);
		if (bad[i].dir == IOREQ_READ && !bad[i].ptr)
			ck_assert_msg(r.data == ~0ull,
				      "case %u answered 0x%llx", i,
				      (unsigned long long)r.data);
	}
	ck_assert_uint_eq(mmio_dev.n + pio_dev.n + pci_dev.n, 0);
	ck_assert_uint_eq(mem->faults, 0);
	ck_assert_uint_eq(dsp->st.malformed + dsp->st.unclaimed,
			  sizeof(bad) / sizeof(bad[0]));
	ck_assert_uint_eq(dsp->st.by_type[STAT_OTHER], 2);
}
END_TEST

START_TEST(memory_outside_ram)
{
	ioreq_t r;

	/* device -> a RAM span that is not RAM: the write to RAM is dropped */
	r = mk(IOREQ_TYPE_COPY, IOREQ_READ, 0xf0000000, 4, 4, 0xa0000, 1, 0);
	dispatch_ioreq(dsp, &r);
	ck_assert_uint_eq(dsp->st.mem_faults, 1);
	/* memory that is not RAM -> device: the device sees all-ones */
	mmio_dev.n = 0;
	r = mk(IOREQ_TYPE_COPY, IOREQ_WRITE, 0xf0000000, 4, 4,
	       RAM_BASE + RAM_SIZE - 8, 1, 0);
	dispatch_ioreq(dsp, &r);
	ck_assert_uint_eq(mmio_dev.n, 4);
	ck_assert_uint_eq(mmio_dev.log[3].val, 0xffffffff);
	ck_assert_uint_eq(dsp->st.mem_faults, 2);
	/* rep ins from an unclaimed port fills RAM with ones */
	r = mk(IOREQ_TYPE_PIO, IOREQ_READ, 0x2e0, 4, 2, 0x16000, 1, 0);
	dispatch_ioreq(dsp, &r);
	ck_assert_uint_eq(ram32(0x16000), 0xffffffff);
	ck_assert_uint_eq(ram32(0x16004), 0xffffffff);
	ck_assert_uint_eq(ram32(0x16008), ram32(0x16008)); /* untouched */
	ck_assert_uint_eq(mem->ram[0x16008 - RAM_BASE],
			  (uint8_t)(0x6008 * 3 + 1));
}
END_TEST

START_TEST(invalidate_timeoffset_buffered)
{
	ioreq_t r =
	    mk(IOREQ_TYPE_INVALIDATE, IOREQ_WRITE, 0, 4, 0, ~0ull, 0, 0);

	dispatch_ioreq(dsp, &r);
	ck_assert_uint_eq(mem->invalidates, 1);
	ck_assert_uint_eq(dsp->st.malformed, 0);
	r = mk(IOREQ_TYPE_TIMEOFFSET, IOREQ_WRITE, 0, 8, 1, 1234, 0, 0);
	dispatch_buffered(dsp, &r);
	r = mk(IOREQ_TYPE_COPY, IOREQ_WRITE, 0xf0000020, 8, 1, 0x1122, 0, 0);
	dispatch_buffered(dsp, &r);
	ck_assert_uint_eq(mmio_dev.n, 1);
	ck_assert_uint_eq(mmio_dev.log[0].val, 0x1122);
	r = mk(IOREQ_TYPE_COPY, IOREQ_READ, 0xf0000020, 8, 1, 0, 0, 0);
	dispatch_buffered(dsp, &r);
	ck_assert_uint_eq(mmio_dev.n, 1);
	ck_assert_uint_eq(dsp->st.buffered, 3);
	ck_assert_uint_eq(dsp->st.by_type[STAT_INVALIDATE], 1);
	ck_assert_uint_eq(dsp->st.by_type[STAT_TIMEOFFSET], 1);
	ck_assert_uint_eq(dsp->st.malformed, 1);
}
END_TEST

START_TEST(after_unmap)
{
	ioreq_t r = mk(IOREQ_TYPE_COPY, IOREQ_READ, 0xf0000010, 4, 1, 0, 0, 0);

	dispatch_ioreq(dsp, &r);
	ck_assert_int_eq(ranges_del(&dsp->sets[IO_SPACE_MMIO], &mmio), 0);
	r = mk(IOREQ_TYPE_COPY, IOREQ_READ, 0xf0000010, 4, 1, 0, 0, 0);
	dispatch_ioreq(dsp, &r);
	ck_assert_uint_eq(r.data, ~0ull);
	r = mk(IOREQ_TYPE_COPY, IOREQ_WRITE, 0xf0000010, 4, 1, 0, 0, 0);
	dispatch_ioreq(dsp, &r);
	ck_assert_uint_eq(mmio_dev.n, 1);
	ck_assert_uint_eq(dsp->st.unclaimed, 2);
}
END_TEST

START_TEST(max_rep)
{
	ioreq_t r =
	    mk(IOREQ_TYPE_PIO, IOREQ_WRITE, 0x1e0, 8 / 2, 4096, RAM_BASE, 1, 0);

	dispatch_ioreq(dsp, &r);
	ck_assert_uint_eq(pio_dev.n, 4096);
	ck_assert_uint_eq(pio_dev.log[4095].val, ram32(RAM_BASE + 4 * 4095));
}
END_TEST

int main(void)
{
	Suite *su = suite_create("dispatch");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, rep_arithmetic);
	tcase_add_test(tc, mmio_simple);
	tcase_add_test(tc, region_access_rules);
	tcase_add_test(tc, rep_movs_both_directions);
	tcase_add_test(tc, rep_pio);
	tcase_add_test(tc, stos);
	tcase_add_test(tc, pci_config);
	tcase_add_test(tc, hostile);
	tcase_add_test(tc, memory_outside_ram);
	tcase_add_test(tc, invalidate_timeoffset_buffered);
	tcase_add_test(tc, after_unmap);
	tcase_add_test(tc, max_rep);
	suite_add_tcase(su, tc);
	sr = srunner_create(su);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
