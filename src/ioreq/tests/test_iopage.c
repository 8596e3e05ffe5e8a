/* SPDX-License-Identifier: MIT */
/*
 * test_iopage.c - the synchronous slot state machine and the buffered ring
 * in ATOMIC mode, driven from in-memory pages the way Xen fills them.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "ioreq/iopage.h"

static union {
	buffered_iopage_t p;
	uint8_t raw[4096];
} page;

static ioreq_t got[2048];
static unsigned nr_got;

static void collect(void *opaque, ioreq_t *req)
{
	(void)opaque;
	if (nr_got < 2048)
		got[nr_got] = *req;
	nr_got++;
}

static void setup(void)
{
	memset(&page, 0, sizeof(page));
	nr_got = 0;
}

/* What Xen does: fill slot(s) at wp, then publish them. */
static void xen_push(unsigned size, uint32_t addr, uint64_t data, bool publish)
{
	buffered_iopage_t *p = &page.p;
	uint32_t wp = p->write_pointer;
	buf_ioreq_t b = {.type = IOREQ_TYPE_COPY, .dir = IOREQ_WRITE};

	b.size = size == 1 ? 0 : size == 2 ? 1 : size == 4 ? 2 : 3;
	b.addr = addr;
	b.data = (uint32_t)data;
	p->buf_ioreq[wp % IOREQ_BUFFER_SLOT_NUM] = b;
	if (size == 8) {
		b.data = (uint32_t)(data >> 32);
		p->buf_ioreq[(wp + 1) % IOREQ_BUFFER_SLOT_NUM] = b;
	}
	if (publish)
		p->write_pointer = wp + (size == 8 ? 2 : 1);
}

/* Xen's renormalisation once read_pointer >= 511. */
static void xen_renormalise(void)
{
	buffered_iopage_t *p = &page.p;
	uint32_t n = p->read_pointer / IOREQ_BUFFER_SLOT_NUM;

	p->read_pointer -= n * IOREQ_BUFFER_SLOT_NUM;
	p->write_pointer -= n * IOREQ_BUFFER_SLOT_NUM;
}

START_TEST(slot_state_machine)
{
	ioreq_t slot = {0}, req;
	uint8_t *flags = (uint8_t *)&slot + IOREQ_FLAGS_OFFSET;
	unsigned state;

	slot.addr = 0xf0000010;
	slot.size = 4;
	slot.count = 1;
	slot.dir = IOREQ_READ;
	slot.df = 1;
	slot.data_is_ptr = 0;
	slot.type = IOREQ_TYPE_COPY;
	slot.vp_eport = 6;
	/* not READY: left alone */
	ck_assert(!iopage_take(&slot, &req, &state));
	ck_assert_uint_eq(state, STATE_IOREQ_NONE);
	slot.state = STATE_IORESP_READY;
	ck_assert(!iopage_take(&slot, &req, &state));
	ck_assert_uint_eq(slot.state, STATE_IORESP_READY);
	slot.state = STATE_IOREQ_READY;
	ck_assert(iopage_take(&slot, &req, &state));
	ck_assert_uint_eq(slot.state, STATE_IOREQ_INPROCESS);
	/* the other bits of the byte survive */
	ck_assert_uint_eq(slot.dir, IOREQ_READ);
	ck_assert_uint_eq(slot.df, 1);
	ck_assert_uint_eq(*flags, IOREQ_FLAG_DIR | IOREQ_FLAG_DF |
					  STATE_IOREQ_INPROCESS);
	ck_assert_uint_eq(req.addr, 0xf0000010);
	ck_assert_uint_eq(req.type, IOREQ_TYPE_COPY);
	ck_assert_uint_eq(req.dir, IOREQ_READ);
	req.data = 0xdeadbeef;
	iopage_answer(&slot, &req);
	ck_assert_uint_eq(slot.state, STATE_IORESP_READY);
	ck_assert_uint_eq(*flags, IOREQ_FLAG_DIR | IOREQ_FLAG_DF |
					  STATE_IORESP_READY);
	ck_assert_uint_eq(slot.data, 0xdeadbeef);
	ck_assert_uint_eq(slot.type, IOREQ_TYPE_COPY);
	ck_assert_uint_eq(slot.vp_eport, 6);
	ck_assert_uint_eq(iopage_state(&slot), STATE_IORESP_READY);
}
END_TEST

START_TEST(ring_simple)
{
	unsigned n;

	xen_push(1, 0xa0000, 0x12, true);
	xen_push(2, 0xa0002, 0x3456, true);
	xen_push(4, 0xa0004, 0x789abcde, true);
	ck_assert_int_eq(bufring_drain(&page.p, collect, NULL, 100, &n),
			 BUFRING_EMPTY);
	ck_assert_uint_eq(n, 3);
	ck_assert_uint_eq(got[0].size, 1);
	ck_assert_uint_eq(got[0].addr, 0xa0000);
	ck_assert_uint_eq(got[0].data, 0x12);
	ck_assert_uint_eq(got[0].count, 1);
	ck_assert_uint_eq(got[0].dir, IOREQ_WRITE);
	ck_assert_uint_eq(got[0].type, IOREQ_TYPE_COPY);
	ck_assert_uint_eq(got[1].size, 2);
	ck_assert_uint_eq(got[1].data, 0x3456);
	ck_assert_uint_eq(got[2].size, 4);
	ck_assert_uint_eq(got[2].data, 0x789abcde);
	ck_assert_uint_eq(page.p.read_pointer, 3);
	ck_assert_int_eq(bufring_drain(&page.p, collect, NULL, 100, &n),
			 BUFRING_EMPTY);
	ck_assert_uint_eq(n, 0);
}
END_TEST

START_TEST(ring_qword_and_half)
{
	unsigned n;

	xen_push(8, 0xb8000, 0x1122334455667788ull, true);
	ck_assert_int_eq(bufring_drain(&page.p, collect, NULL, 100, &n),
			 BUFRING_EMPTY);
	ck_assert_uint_eq(n, 1);
	ck_assert_uint_eq(got[0].size, 8);
	ck_assert_uint_eq(got[0].data, 0x1122334455667788ull);
	ck_assert_uint_eq(page.p.read_pointer, 2);

	/* a qword whose second half is not published: wait for it */
	xen_push(4, 0xb8010, 0xaa, true);
	xen_push(8, 0xb8018, 0x0102030405060708ull, false);
	page.p.write_pointer += 1; /* only the first half */
	ck_assert_int_eq(bufring_drain(&page.p, collect, NULL, 100, &n),
			 BUFRING_STALLED);
	ck_assert_uint_eq(n, 1);
	ck_assert_uint_eq(page.p.read_pointer, 3);
	page.p.write_pointer += 1;
	ck_assert_int_eq(bufring_drain(&page.p, collect, NULL, 100, &n),
			 BUFRING_EMPTY);
	ck_assert_uint_eq(n, 1);
	ck_assert_uint_eq(got[2].data, 0x0102030405060708ull);
	ck_assert_uint_eq(page.p.read_pointer, 5);
}
END_TEST

START_TEST(ring_wrap_and_renormalise)
{
	unsigned n, i, total = 0, k = 0;
	uint64_t expect = 0;

	/* many rounds around the ring, qwords straddling the wrap point */
	for (unsigned round = 0; round < 40; round++) {
		for (i = 0; i < 100; i++, k++) {
			unsigned size = (k % 3 == 0) ? 8 : 4;

			xen_push(size, 0xa0000 + (k & 0xfff), k * 0x100000001ull & (size == 8 ? ~0ull : 0xffffffffull), true);
		}
		nr_got = 0;
		ck_assert_int_eq(bufring_drain(&page.p, collect, NULL, 1000,
					       &n),
				 BUFRING_EMPTY);
		ck_assert_uint_eq(n, 100);
		for (i = 0; i < 100; i++, expect++) {
			unsigned size = (expect % 3 == 0) ? 8 : 4;

			ck_assert_uint_eq(got[i].size, size);
			ck_assert_uint_eq(got[i].data,
					  expect * 0x100000001ull &
						  (size == 8 ? ~0ull
							     : 0xffffffffull));
		}
		total += n;
		if (round % 3 == 0)
			xen_renormalise();
	}
	ck_assert_uint_eq(total, 4000);
	ck_assert_uint_eq(page.p.read_pointer, page.p.write_pointer);
}
END_TEST

START_TEST(ring_budget_and_corrupt)
{
	unsigned n, i;

	for (i = 0; i < 10; i++)
		xen_push(1, 0xa0000 + i, i, true);
	ck_assert_int_eq(bufring_drain(&page.p, collect, NULL, 4, &n),
			 BUFRING_MORE);
	ck_assert_uint_eq(n, 4);
	ck_assert_uint_eq(page.p.read_pointer, 4);
	ck_assert_int_eq(bufring_drain(&page.p, collect, NULL, 100, &n),
			 BUFRING_EMPTY);
	ck_assert_uint_eq(n, 6);
	ck_assert_uint_eq(got[9].data, 9);
	/* a write pointer more than a ring ahead: skipped, never looped on */
	page.p.write_pointer = page.p.read_pointer + 600;
	ck_assert_int_eq(bufring_drain(&page.p, collect, NULL, 100, &n),
			 BUFRING_CORRUPT);
	ck_assert_uint_eq(page.p.read_pointer, page.p.write_pointer);
	/* the write pointer behind the read pointer: the same */
	page.p.write_pointer = page.p.read_pointer - 1;
	ck_assert_int_eq(bufring_drain(&page.p, collect, NULL, 100, &n),
			 BUFRING_CORRUPT);
}
END_TEST

int main(void)
{
	Suite *su = suite_create("iopage");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, slot_state_machine);
	tcase_add_test(tc, ring_simple);
	tcase_add_test(tc, ring_qword_and_half);
	tcase_add_test(tc, ring_wrap_and_renormalise);
	tcase_add_test(tc, ring_budget_and_corrupt);
	suite_add_tcase(su, tc);
	sr = srunner_create(su);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
