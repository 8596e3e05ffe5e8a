// SPDX-License-Identifier: MIT
/*
 * test-xsim-route.c - xensim routes and splits guest accesses like Xen 4.17
 * (real-xen-observed.md), checked against the null responder.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <xen/hvm/ioreq.h>
#include <xenforeignmemory.h>
#include <xen/memory.h>

#include "test-util.h"

#define BAR 0xf0000000ull
#define BAR_END "0xf0ffffff"

static struct xsim *s;
static uint32_t dom;
static pid_t nr;
static struct xsim_vcpu *v0;
static struct xsim_log_ioreq lg[64];

static void up(void)
{
	s = tu_sim();
	dom = tu_domain(s, 2, false);
	nr = tu_responder(s, dom, "--mmio", "0xf0000000-" BAR_END, "--port",
			  "0x1e0-0x1ef", "--pci", "00:02.0", "--mmio",
			  "0xa0000-0xbffff", NULL);
	v0 = tu_vcpu(s, dom, 0);
}

static void down(void)
{
	xsim_vcpu_close(v0);
	ck_assert_int_eq(tu_stop(nr), 0);
	xsim_close(s);
}

/* Run f and return the ioreqs it caused. */
static size_t since(size_t *mark)
{
	size_t total = 0, n;

	xsim_log_ioreqs(s, dom, 0, lg, 0, &total);
	n = tu_log(s, dom, *mark, lg, 64);
	*mark = total;
	return n;
}

static void expect(const struct xsim_log_ioreq *e, uint8_t type, uint8_t dir,
		   uint32_t size, uint32_t count, uint64_t addr)
{
	ck_assert_uint_eq(e->req.type, type);
	ck_assert_uint_eq(e->req.dir, dir);
	ck_assert_uint_eq(e->req.size, size);
	ck_assert_uint_eq(e->req.count, count);
	ck_assert_uint_eq(e->req.addr, addr);
	ck_assert_uint_eq(e->req.state, STATE_IOREQ_READY);
}

START_TEST(single_sizes)
{
	uint64_t val[2] = { 0x1122334455667788ull, 0 }, mark = 0;
	static const unsigned sz[] = { 1, 2, 4, 8 };

	for (unsigned i = 0; i < 4; i++) {
		ck_assert_int_eq(xsim_mmio_write(v0, BAR + 0x100, sz[i], val), 0);
		ck_assert_uint_eq(since(&mark), 1);
		expect(&lg[0], IOREQ_TYPE_COPY, IOREQ_WRITE, sz[i], 1,
		       BAR + 0x100);
		ck_assert_uint_eq(lg[0].req.data,
				  sz[i] == 8 ? val[0]
					     : val[0] & ((1ull << (8 * sz[i])) - 1));
		ck_assert_uint_eq(lg[0].vcpu, 0);
		ck_assert_int_eq(xsim_mmio_read(v0, BAR + 0x100, sz[i], val), 0);
		ck_assert_uint_eq(val[0], 0);
		ck_assert_uint_eq(since(&mark), 1);
		expect(&lg[0], IOREQ_TYPE_COPY, IOREQ_READ, sz[i], 1,
		       BAR + 0x100);
		val[0] = 0x1122334455667788ull;
	}
	for (unsigned i = 0; i < 3; i++) {
		uint32_t pv = 0;

		ck_assert_int_eq(xsim_pio_write(v0, 0x1e4, sz[i], 0xabcdef01),
				 0);
		ck_assert_uint_eq(since(&mark), 1);
		expect(&lg[0], IOREQ_TYPE_PIO, IOREQ_WRITE, sz[i], 1, 0x1e4);
		ck_assert_int_eq(xsim_pio_read(v0, 0x1e4, sz[i], &pv), 0);
		ck_assert_uint_eq(pv, 0);
		ck_assert_uint_eq(since(&mark), 1);
	}
}
END_TEST

START_TEST(splits)
{
	uint64_t val[2] = { 0, 0 }, mark = 0;

	/* unaligned 8 bytes inside a page: one size-8 ioreq */
	ck_assert_int_eq(xsim_mmio_read(v0, BAR + 0x103, 8, val), 0);
	ck_assert_uint_eq(since(&mark), 1);
	expect(&lg[0], IOREQ_TYPE_COPY, IOREQ_READ, 8, 1, BAR + 0x103);
	/* 8 bytes across a page: 4 + 4 */
	ck_assert_int_eq(xsim_mmio_read(v0, BAR + 0xffc, 8, val), 0);
	ck_assert_uint_eq(since(&mark), 2);
	expect(&lg[0], IOREQ_TYPE_COPY, IOREQ_READ, 4, 1, BAR + 0xffc);
	expect(&lg[1], IOREQ_TYPE_COPY, IOREQ_READ, 4, 1, BAR + 0x1000);
	/* 4 bytes across a page: 2 + 2 */
	ck_assert_int_eq(xsim_mmio_read(v0, BAR + 0x1ffe, 4, val), 0);
	ck_assert_uint_eq(since(&mark), 2);
	expect(&lg[0], IOREQ_TYPE_COPY, IOREQ_READ, 2, 1, BAR + 0x1ffe);
	expect(&lg[1], IOREQ_TYPE_COPY, IOREQ_READ, 2, 1, BAR + 0x2000);
	/* 16-byte SSE store: two size-8 */
	val[0] = 1;
	val[1] = 2;
	ck_assert_int_eq(xsim_mmio_write(v0, BAR + 0x200, 16, val), 0);
	ck_assert_uint_eq(since(&mark), 2);
	expect(&lg[0], IOREQ_TYPE_COPY, IOREQ_WRITE, 8, 1, BAR + 0x200);
	expect(&lg[1], IOREQ_TYPE_COPY, IOREQ_WRITE, 8, 1, BAR + 0x208);
	ck_assert_uint_eq(lg[0].req.data, 1);
	ck_assert_uint_eq(lg[1].req.data, 2);
	/* 8 bytes at page offset 0xffd: 2+1 then 4+1 */
	ck_assert_int_eq(xsim_mmio_read(v0, BAR + 0x2ffd, 8, val), 0);
	ck_assert_uint_eq(since(&mark), 4);
	expect(&lg[0], IOREQ_TYPE_COPY, IOREQ_READ, 2, 1, BAR + 0x2ffd);
	expect(&lg[1], IOREQ_TYPE_COPY, IOREQ_READ, 1, 1, BAR + 0x2fff);
	expect(&lg[2], IOREQ_TYPE_COPY, IOREQ_READ, 4, 1, BAR + 0x3000);
	expect(&lg[3], IOREQ_TYPE_COPY, IOREQ_READ, 1, 1, BAR + 0x3004);
}
END_TEST

START_TEST(reps)
{
	uint64_t mark = 0;
	uint8_t buf[64];
	struct xsim_rep r = { .size = 4, .count = 16 };

	/* rep movsl x16 RAM -> MMIO */
	r.addr = BAR + 0x400;
	r.mem_gpa = 0x10000;
	ck_assert_int_eq(xsim_rep(v0, &r), 0);
	ck_assert_uint_eq(since(&mark), 1);
	expect(&lg[0], IOREQ_TYPE_COPY, IOREQ_WRITE, 4, 16, BAR + 0x400);
	ck_assert_uint_eq(lg[0].req.data_is_ptr, 1);
	ck_assert_uint_eq(lg[0].req.data, 0x10000);
	/* MMIO -> RAM: the responder writes zeros into RAM */
	memset(buf, 0xaa, sizeof(buf));
	ck_assert_int_eq(xsim_mem_write(s, dom, 0x10000, buf, 64), 0);
	r.is_read = true;
	ck_assert_int_eq(xsim_rep(v0, &r), 0);
	ck_assert_uint_eq(since(&mark), 1);
	expect(&lg[0], IOREQ_TYPE_COPY, IOREQ_READ, 4, 16, BAR + 0x400);
	ck_assert_int_eq(xsim_mem_read(s, dom, 0x10000, buf, 64), 0);
	for (int i = 0; i < 64; i++)
		ck_assert_uint_eq(buf[i], 0);
	/* rep stosl x16 */
	memset(&r, 0, sizeof(r));
	r.is_stos = true;
	r.size = 4;
	r.count = 16;
	r.addr = BAR + 0x400;
	r.value = 0xdeadbeef;
	ck_assert_int_eq(xsim_rep(v0, &r), 0);
	ck_assert_uint_eq(since(&mark), 1);
	expect(&lg[0], IOREQ_TYPE_COPY, IOREQ_WRITE, 4, 16, BAR + 0x400);
	ck_assert_uint_eq(lg[0].req.data_is_ptr, 0);
	ck_assert_uint_eq(lg[0].req.data, 0xdeadbeef);
	/* rep stosb x8 crossing an MMIO page: 4 + 4 */
	r.size = 1;
	r.count = 8;
	r.addr = BAR + 0xffc;
	ck_assert_int_eq(xsim_rep(v0, &r), 0);
	ck_assert_uint_eq(since(&mark), 2);
	expect(&lg[0], IOREQ_TYPE_COPY, IOREQ_WRITE, 1, 4, BAR + 0xffc);
	expect(&lg[1], IOREQ_TYPE_COPY, IOREQ_WRITE, 1, 4, BAR + 0x1000);
	/* rep movsl x8 crossing an MMIO page */
	memset(&r, 0, sizeof(r));
	r.size = 4;
	r.count = 8;
	r.addr = BAR + 0xff0;
	r.mem_gpa = 0x20000;
	ck_assert_int_eq(xsim_rep(v0, &r), 0);
	ck_assert_uint_eq(since(&mark), 2);
	expect(&lg[0], IOREQ_TYPE_COPY, IOREQ_WRITE, 4, 4, BAR + 0xff0);
	expect(&lg[1], IOREQ_TYPE_COPY, IOREQ_WRITE, 4, 4, BAR + 0x1000);
	ck_assert_uint_eq(lg[1].req.data, 0x20010);
	/* rep insl x4 into a buffer crossing a RAM page: 1 + 3 */
	memset(&r, 0, sizeof(r));
	r.is_pio = true;
	r.is_read = true;
	r.size = 4;
	r.count = 4;
	r.addr = 0x1e0;
	r.mem_gpa = 0x30ffc;
	ck_assert_int_eq(xsim_rep(v0, &r), 0);
	ck_assert_uint_eq(since(&mark), 2);
	expect(&lg[0], IOREQ_TYPE_PIO, IOREQ_READ, 4, 1, 0x1e0);
	expect(&lg[1], IOREQ_TYPE_PIO, IOREQ_READ, 4, 3, 0x1e0);
	ck_assert_uint_eq(lg[0].req.data, 0x30ffc);
	ck_assert_uint_eq(lg[1].req.data, 0x31000);
	ck_assert_uint_eq(lg[0].req.data_is_ptr, 1);
	/* rep outsb x4 with DF=1: data = highest address, df set */
	r.is_read = false;
	r.df = true;
	r.size = 1;
	r.mem_gpa = 0x40103;
	ck_assert_int_eq(xsim_rep(v0, &r), 0);
	ck_assert_uint_eq(since(&mark), 1);
	expect(&lg[0], IOREQ_TYPE_PIO, IOREQ_WRITE, 1, 4, 0x1e0);
	ck_assert_uint_eq(lg[0].req.df, 1);
	ck_assert_uint_eq(lg[0].req.data, 0x40103);
	/* df across a RAM page: items 0x41001, 0x41000 | 0x40fff, 0x40ffe */
	r.mem_gpa = 0x41001;
	ck_assert_int_eq(xsim_rep(v0, &r), 0);
	ck_assert_uint_eq(since(&mark), 2);
	ck_assert_uint_eq(lg[0].req.count, 2);
	ck_assert_uint_eq(lg[1].req.count, 2);
	ck_assert_uint_eq(lg[1].req.data, 0x40fff);
	/* MMIO rep movs with df, descending across an MMIO page */
	memset(&r, 0, sizeof(r));
	r.df = true;
	r.size = 4;
	r.count = 4;
	r.addr = BAR + 0x1004;
	r.mem_gpa = 0x50100;
	ck_assert_int_eq(xsim_rep(v0, &r), 0);
	ck_assert_uint_eq(since(&mark), 2);
	expect(&lg[0], IOREQ_TYPE_COPY, IOREQ_WRITE, 4, 2, BAR + 0x1004);
	expect(&lg[1], IOREQ_TYPE_COPY, IOREQ_WRITE, 4, 2, BAR + 0xffc);
	ck_assert_uint_eq(lg[1].req.data, 0x500f8);
}
END_TEST

START_TEST(unclaimed)
{
	uint64_t val[2], mark = 0;
	uint32_t pv = 0;
	uint8_t buf[8];
	struct xsim_rep r = {
		.is_pio = true, .is_read = true, .size = 2, .count = 4,
		.addr = 0x2e0, .mem_gpa = 0x60000,
	};

	ck_assert_int_eq(xsim_pio_read(v0, 0x2e0, 1, &pv), 0);
	ck_assert_uint_eq(pv, 0xff);
	ck_assert_int_eq(xsim_pio_read(v0, 0x2e0, 4, &pv), 0);
	ck_assert_uint_eq(pv, 0xffffffffu);
	ck_assert_int_eq(xsim_mmio_read(v0, 0xe0000000ull, 8, val), 0);
	ck_assert_uint_eq(val[0], ~0ull);
	ck_assert_int_eq(xsim_pio_write(v0, 0x2e0, 4, 1), 0);
	memset(buf, 0, 8);
	ck_assert_int_eq(xsim_mem_write(s, dom, 0x60000, buf, 8), 0);
	ck_assert_int_eq(xsim_rep(v0, &r), 0);
	ck_assert_int_eq(xsim_mem_read(s, dom, 0x60000, buf, 8), 0);
	for (int i = 0; i < 8; i++)
		ck_assert_uint_eq(buf[i], 0xff);
	/* access straddling the end of a claim is not contained */
	ck_assert_int_eq(xsim_pio_read(v0, 0x1ee, 4, &pv), 0);
	ck_assert_uint_eq(pv, 0xffffffffu);
	ck_assert_uint_eq(since(&mark), 0);
}
END_TEST

START_TEST(pci_config)
{
	uint64_t mark = 0;
	uint32_t val = 0;

	ck_assert_int_eq(xsim_cfg_read(v0, 0x0010, 0x02, 2, &val), 0);
	ck_assert_uint_eq(val, 0);
	ck_assert_uint_eq(since(&mark), 1);
	expect(&lg[0], IOREQ_TYPE_PCI_CONFIG, IOREQ_READ, 2, 1,
	       (0x10ull << 32) | 0x02);
	ck_assert_int_eq(xsim_cfg_write(v0, 0x0010, 0x3d, 1, 11), 0);
	ck_assert_uint_eq(since(&mark), 1);
	expect(&lg[0], IOREQ_TYPE_PCI_CONFIG, IOREQ_WRITE, 1, 1,
	       (0x10ull << 32) | 0x3d);
	/* 00:03.0 is nobody's: all-ones, nothing delivered */
	ck_assert_int_eq(xsim_cfg_read(v0, 0x0018, 0x00, 4, &val), 0);
	ck_assert_uint_eq(val, 0xffffffffu);
	ck_assert_uint_eq(since(&mark), 0);
	/* 0xCF8 reads back the latch */
	ck_assert_int_eq(xsim_pio_read(v0, 0xcf8, 4, &val), 0);
	ck_assert_uint_eq(val, 0x80001800u);
}
END_TEST

START_TEST(invalidate_and_vcpu1)
{
	struct xsim_vcpu *v1 = tu_vcpu(s, dom, 1);
	uint64_t val[2], mark = 0;

	ck_assert_int_eq(xsim_invalidate(v0), 0);
	ck_assert_uint_eq(since(&mark), 1);
	expect(&lg[0], IOREQ_TYPE_INVALIDATE, IOREQ_WRITE, 4, 0, 0);
	ck_assert_uint_eq(lg[0].req.data, ~0ull);
	ck_assert_int_eq(xsim_mmio_read(v1, BAR, 4, val), 0);
	ck_assert_uint_eq(since(&mark), 1);
	ck_assert_uint_eq(lg[0].vcpu, 1);
	ck_assert_uint_ne(lg[0].port, 0);
	xsim_vcpu_close(v1);
}
END_TEST

START_TEST(precedence)
{
	pid_t second = tu_responder(s, dom, "--mmio", "0xf0000000-0xf0000fff",
				    NULL);
	uint64_t val[2], mark = 0;

	ck_assert_int_eq(xsim_mmio_read(v0, BAR + 8, 4, val), 0);
	ck_assert_uint_eq(since(&mark), 1);
	ck_assert_uint_eq(lg[0].server_id, 1);
	/* not contained in server 1's range: server 0 */
	ck_assert_int_eq(xsim_mmio_read(v0, BAR + 0xffe, 4, val), 0);
	ck_assert_uint_eq(since(&mark), 2);
	ck_assert_uint_eq(lg[0].server_id, 1);
	ck_assert_uint_eq(lg[1].server_id, 0);
	ck_assert_int_eq(xsim_mmio_read(v0, BAR + 0x1000, 4, val), 0);
	ck_assert_uint_eq(since(&mark), 1);
	ck_assert_uint_eq(lg[0].server_id, 0);
	ck_assert_int_eq(tu_stop(second), 0);
	ck_assert_int_eq(xsim_mmio_read(v0, BAR + 8, 4, val), 0);
	ck_assert_uint_eq(since(&mark), 1);
	ck_assert_uint_eq(lg[0].server_id, 0);
}
END_TEST

START_TEST(buffered)
{
	xenforeignmemory_handle *fm = xenforeignmemory_open(NULL, 0);
	xenforeignmemory_resource_handle *fr;
	struct buffered_iopage *pg;
	void *addr = NULL;
	uint64_t mark = 0, ns = 0;

	ck_assert_ptr_nonnull(fm);
	fr = xenforeignmemory_map_resource(fm, dom,
					   XENMEM_resource_ioreq_server, 0, 0,
					   1, &addr, PROT_READ, 0);
	ck_assert_ptr_nonnull(fr);
	pg = addr;
	/* a qword takes two slots */
	ck_assert_int_eq(xsim_buffered_write(v0, false, 0xa0010, 8,
					     0x1111222233334444ull),
			 0);
	ck_assert_uint_eq(since(&mark), 1);
	ck_assert_uint_eq(lg[0].vcpu, XSIM_BUFFERED);
	ck_assert_uint_eq(lg[0].req.size, 8);
	ck_assert_uint_eq(pg->buf_ioreq[0].size, 3);
	ck_assert_uint_eq(pg->buf_ioreq[0].data, 0x33334444u);
	ck_assert_uint_eq(pg->buf_ioreq[1].data, 0x11112222u);
	ck_assert_uint_eq(pg->buf_ioreq[0].addr, 0xa0010);
	/* > 511 entries: the ring wraps and is renormalised */
	for (unsigned i = 0; i < 1500; i++)
		ck_assert_int_eq(
			xsim_buffered_write(v0, false, 0xa0000 + (i & 0xff), 1,
					    i & 0xff),
			0);
	ck_assert_int_eq(xsim_buffered_burst(v0, 0xa0000, 0x1000, 4, 200000,
					     0, &ns),
			 0);
	ck_assert_uint_lt(__atomic_load_n(&pg->write_pointer, __ATOMIC_ACQUIRE),
			  511 * 2);
	fprintf(stderr, "buffered burst: 200000 writes in %llu us\n",
		(unsigned long long)ns / 1000);
	/* the timeoffset broadcast: 8 bytes, two slots */
	ck_assert_int_eq(xsim_timeoffset(s, dom, -5), 0);
	since(&mark);
	xenforeignmemory_unmap_resource(fm, fr);
	xenforeignmemory_close(fm);
}
END_TEST

static Suite *suite(void)
{
	Suite *su = suite_create("xensim-route");
	TCase *tc = tcase_create("route");

	tcase_add_checked_fixture(tc, up, down);
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, single_sizes);
	tcase_add_test(tc, splits);
	tcase_add_test(tc, reps);
	tcase_add_test(tc, unclaimed);
	tcase_add_test(tc, pci_config);
	tcase_add_test(tc, invalidate_and_vcpu1);
	tcase_add_test(tc, precedence);
	tcase_add_test(tc, buffered);
	suite_add_tcase(su, tc);
	return su;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
