/* SPDX-License-Identifier: MIT */
/* test_ranges.c - the claimed-range registry: containment, overlap, limit. */
#include <check.h>
#include <errno.h>
#include <stdlib.h>

#include "ioreq/ranges.h"

static struct range_set s;
static struct io_region reg[RANGES_MAX + 1];

static void setup(void)
{
	ranges_init(&s);
}

START_TEST(containment)
{
	const struct range *r;

	ck_assert_int_eq(ranges_add(&s, 0x1000, 0x1fff, &reg[0]), 0);
	ck_assert_int_eq(ranges_add(&s, 0x3000, 0x3003, &reg[1]), 0);
	ck_assert_int_eq(ranges_add(&s, 0x2000, 0x2fff, &reg[2]), 0);
	r = ranges_find(&s, 0x1000, 0x1fff);
	ck_assert_ptr_eq(r->region, &reg[0]);
	ck_assert_ptr_eq(ranges_find(&s, 0x1ffc, 0x1fff)->region, &reg[0]);
	/* adjacent regions do not merge: a span across both is nobody's */
	ck_assert_ptr_null(ranges_find(&s, 0x1ffc, 0x2003));
	ck_assert_ptr_eq(ranges_find(&s, 0x2000, 0x2000)->region, &reg[2]);
	ck_assert_ptr_eq(ranges_find(&s, 0x3000, 0x3003)->region, &reg[1]);
	ck_assert_ptr_null(ranges_find(&s, 0x3001, 0x3004));
	ck_assert_ptr_null(ranges_find(&s, 0xfff, 0x1000));
	ck_assert_ptr_null(ranges_find(&s, 0x0, 0x0));
	ck_assert_ptr_null(ranges_find(&s, 0x4000, 0x4000));
	ck_assert_ptr_null(ranges_find(&s, 0x1010, 0x1000));
	/* the cached last hit must not answer for what it does not contain */
	ck_assert_ptr_eq(ranges_find(&s, 0x1000, 0x1000)->region, &reg[0]);
	ck_assert_ptr_null(ranges_find(&s, 0x1fff, 0x2000));
	ck_assert_ptr_eq(ranges_find(&s, 0x2fff, 0x2fff)->region, &reg[2]);
}
END_TEST

START_TEST(overlap)
{
	ck_assert_int_eq(ranges_add(&s, 0x100, 0x1ff, &reg[0]), 0);
	ck_assert_int_eq(ranges_add(&s, 0x1ff, 0x200, &reg[1]), -EEXIST);
	ck_assert_int_eq(ranges_add(&s, 0x0, 0x100, &reg[1]), -EEXIST);
	ck_assert_int_eq(ranges_add(&s, 0x0, 0xffff, &reg[1]), -EEXIST);
	ck_assert_int_eq(ranges_add(&s, 0x150, 0x160, &reg[1]), -EEXIST);
	ck_assert_int_eq(ranges_add(&s, 0x300, 0x2ff, &reg[1]), -EINVAL);
	ck_assert_int_eq(ranges_add(&s, 0x0, 0xff, &reg[1]), 0);
	ck_assert_int_eq(ranges_add(&s, 0x200, 0x200, &reg[2]), 0);
	ck_assert_int_eq(ranges_add(&s, 0xfffffffffffff000ull, ~0ull, &reg[3]),
			 0);
	ck_assert_ptr_eq(ranges_find(&s, ~0ull, ~0ull)->region, &reg[3]);
	ck_assert_uint_eq(s.n, 4);
	/* BAR move: release, then claim the new place */
	ck_assert_int_eq(ranges_del(&s, &reg[0]), 0);
	ck_assert_int_eq(ranges_del(&s, &reg[0]), -ENOENT);
	ck_assert_ptr_null(ranges_find(&s, 0x100, 0x100));
	ck_assert_int_eq(ranges_add(&s, 0x180, 0x1ff, &reg[0]), 0);
	ck_assert_ptr_eq(ranges_find(&s, 0x180, 0x1ff)->region, &reg[0]);
	for (unsigned i = 1; i < s.n; i++)
		ck_assert_uint_lt(s.v[i - 1].end, s.v[i].start);
}
END_TEST

START_TEST(limit)
{
	unsigned i;

	for (i = 0; i < RANGES_MAX; i++)
		ck_assert_int_eq(ranges_add(&s, (uint64_t)(RANGES_MAX - i) *
							 0x1000,
					    (uint64_t)(RANGES_MAX - i) * 0x1000 +
						    0xfff,
					    &reg[i]),
				 0);
	ck_assert_int_eq(ranges_add(&s, 0x0, 0x10, &reg[RANGES_MAX]),
			 -ENOSPC);
	for (i = 0; i < RANGES_MAX; i++) {
		uint64_t a = (uint64_t)(RANGES_MAX - i) * 0x1000 + 0x800;

		ck_assert_ptr_eq(ranges_find(&s, a, a + 7)->region, &reg[i]);
	}
	ck_assert_int_eq(ranges_del(&s, &reg[7]), 0);
	ck_assert_int_eq(ranges_add(&s, 0x0, 0x10, &reg[RANGES_MAX]), 0);
}
END_TEST

int main(void)
{
	Suite *su = suite_create("ranges");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, containment);
	tcase_add_test(tc, overlap);
	tcase_add_test(tc, limit);
	suite_add_tcase(su, tc);
	sr = srunner_create(su);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
