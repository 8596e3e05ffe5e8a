/* SPDX-License-Identifier: MIT */
/*
 * test_damage.c - what a VNC viewer is sent after a frame: only the tiles
 * whose pixels changed, merged along a row of tiles, and a framebuffer
 * that holds the new picture exactly.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "vnc/damage.h"

#define W 100u /* 4 tiles across, the last 4 pixels wide */
#define H 70u  /* 3 tile rows, the last 6 rows high */

static uint8_t rgb[H][W * 3], fb[H][W * 4];
static struct vnc_rect got[64];
static unsigned ngot;

static void collect(void *ctx, const struct vnc_rect *r)
{
	(void)ctx;
	ck_assert_uint_lt(ngot, 64);
	got[ngot++] = *r;
}

static void pattern(void)
{
	for (unsigned y = 0; y < H; y++)
		for (unsigned x = 0; x < W; x++) {
			rgb[y][3 * x + 0] = (uint8_t)(x * 3);
			rgb[y][3 * x + 1] = (uint8_t)(y * 5);
			rgb[y][3 * x + 2] = (uint8_t)(x ^ y);
		}
}

static unsigned copy(void)
{
	ngot = 0;
	return vnc_damage_copy(&fb[0][0], sizeof(fb[0]), &rgb[0][0],
			       sizeof(rgb[0]), W, H, collect, NULL);
}

static void assert_fb_is_picture(void)
{
	for (unsigned y = 0; y < H; y++)
		for (unsigned x = 0; x < W; x++) {
			ck_assert_mem_eq(&fb[y][4 * x], &rgb[y][3 * x], 3);
			ck_assert_uint_eq(fb[y][4 * x + 3], 0xff);
		}
}

static void assert_rect(unsigned i, uint32_t x, uint32_t y, uint32_t w,
			uint32_t h)
{
	ck_assert_uint_lt(i, ngot);
	ck_assert_uint_eq(got[i].x, x);
	ck_assert_uint_eq(got[i].y, y);
	ck_assert_uint_eq(got[i].w, w);
	ck_assert_uint_eq(got[i].h, h);
}

static void setup(void)
{
	memset(fb, 0, sizeof(fb));
	pattern();
	copy();
}

START_TEST(first_frame_is_copied)
{
	assert_fb_is_picture();
	/* pixel (0,0) is black, as fb was: still every row of tiles came */
	ck_assert_uint_eq(ngot, 3);
	assert_rect(0, 0, 0, W, 32);
	assert_rect(2, 0, 64, W, H - 64);
}
END_TEST

START_TEST(same_frame_marks_nothing)
{
	ck_assert_uint_eq(copy(), 0);
	ck_assert_uint_eq(ngot, 0);
}
END_TEST

START_TEST(one_pixel_one_tile)
{
	rgb[40][3 * 70 + 1] ^= 0x80; /* tile (2, 1) */
	ck_assert_uint_eq(copy(), 1);
	ck_assert_uint_eq(ngot, 1);
	assert_rect(0, 64, 32, 32, 32);
	assert_fb_is_picture();
}
END_TEST

START_TEST(edge_tiles_are_clipped)
{
	rgb[H - 1][3 * (W - 1)] ^= 1; /* the bottom right tile: 4 x 6 */
	ck_assert_uint_eq(copy(), 1);
	assert_rect(0, 96, 64, 4, 6);
	assert_fb_is_picture();
}
END_TEST

START_TEST(neighbours_merge_gaps_split)
{
	rgb[0][3 * 0] ^= 1;  /* tile 0 */
	rgb[5][3 * 40] ^= 1; /* tile 1 */
	rgb[9][3 * 99] ^= 1; /* tile 3 */
	ck_assert_uint_eq(copy(), 3);
	ck_assert_uint_eq(ngot, 2);
	assert_rect(0, 0, 0, 64, 32);
	assert_rect(1, 96, 0, 4, 32);
	assert_fb_is_picture();
}
END_TEST

/* A scroll by 16 rows changes the rows it moved, not the ones left. */
START_TEST(scroll_changes_what_moved)
{
	memmove(&rgb[0][0], &rgb[16][0], sizeof(rgb[0]) * (H - 16));
	ck_assert_uint_eq(copy(), 4 * 2); /* rows 0..53: tile rows 0 and 1 */
	assert_fb_is_picture();
}
END_TEST

START_TEST(scrolls_found_both_ways)
{
	static uint8_t next[H][W * 3];
	uint64_t a[H], b[H];

	vnc_row_hashes(&rgb[0][0], sizeof(rgb[0]), W, H, a);
	ck_assert_int_eq(vnc_scroll_detect(a, a, H), 0); /* nothing moved */
	memcpy(next, rgb, sizeof(next)); /* up 9 rows, new rows below */
	memmove(&next[0][0], &next[9][0], sizeof(next[0]) * (H - 9));
	memset(&next[H - 9][0], 0x33, sizeof(next[0]) * 9);
	vnc_row_hashes(&next[0][0], sizeof(next[0]), W, H, b);
	ck_assert_int_eq(vnc_scroll_detect(a, b, H), 9);
	ck_assert_int_eq(vnc_scroll_detect(b, a, H), -9); /* and back down */
	/* one changed pixel in each of a few rows is no scroll */
	memcpy(next, rgb, sizeof(next));
	for (unsigned y = 0; y < H; y += 10)
		next[y][0] ^= 1;
	vnc_row_hashes(&next[0][0], sizeof(next[0]), W, H, b);
	ck_assert_int_eq(vnc_scroll_detect(a, b, H), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("damage");
	TCase *tc = tcase_create("damage");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, first_frame_is_copied);
	tcase_add_test(tc, same_frame_marks_nothing);
	tcase_add_test(tc, one_pixel_one_tile);
	tcase_add_test(tc, edge_tiles_are_clipped);
	tcase_add_test(tc, neighbours_merge_gaps_split);
	tcase_add_test(tc, scroll_changes_what_moved);
	tcase_add_test(tc, scrolls_found_both_ways);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
