/* SPDX-License-Identifier: MIT */
/*
 * test_capture.c - the picture a guest scans out: a pattern in guest RAM
 * behind GGTT entries of the hidden slice, a linear XRGB8888 plane
 * programmed on pipe B and latched at a vblank, captured pixel for pixel
 * against a reference computed here (with a cursor blended on); pipes or
 * planes off give -ENODEV; a surface outside the partition, outside guest
 * RAM, or a plane the decoder refuses gives a black picture of the
 * plane's size, bounded by the type's largest mode.
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vgpu/tests/test_util.h"
#include "vgpu/block.h"
#include "vgpu/display/capture.h"
#include "vgpu/layout.h"

#define SBDF 0x10
#define BAR0 0xf0000000u
#define BAR2 0xc0000000u
#define RAM_END (16u << 20)
#define SURF_GPA (4u << 20) /* the surface's guest pages */
#define CUR_GPA (8u << 20)
#define W 100u
#define H 40u
#define STRIDE_UNITS 7u /* 448 bytes: 112 pixels a row */
#define PIPECONF(p) (0x70008u + 0x1000u * (p))
#define PLANE_CTL(p) (0x70180u + 0x1000u * (p))
#define PLANE_STRIDE(p) (0x70188u + 0x1000u * (p))
#define PLANE_SIZE(p) (0x70190u + 0x1000u * (p))
#define PLANE_SURF(p) (0x7019cu + 0x1000u * (p))
#define PLANE_OFFSET(p) (0x701a4u + 0x1000u * (p))
#define CUR_CTL(p) (0x70080u + 0x1000u * (p))
#define CUR_BASE(p) (0x70084u + 0x1000u * (p))
#define CUR_POS(p) (0x70088u + 0x1000u * (p))
#define CTL_XRGB ((1u << 31) | (4u << 24))
#define CUR_64_ARGB 0x27u

static struct fake_host fh;
static struct vgpu *v;
static uint8_t *guest;

static void wr(uint32_t off, uint32_t val)
{
	fake_write(&fh, IO_SPACE_MMIO, BAR0 + off, 4, val);
}

/* GGTT entry for GM address gm -> guest page gpa. */
static void pte(uint64_t gm, uint64_t gpa)
{
	fake_write(&fh, IO_SPACE_MMIO,
		   BAR0 + VGPU_GGTT_OFFSET + 8 * (gm / 4096), 8, gpa | 1);
}

static uint64_t hidden(void)
{
	return vgpu_partition(v)->hidden_base;
}

static void setup(void)
{
	struct vgpu_config cfg;

	fake_host_init(&fh);
	guest = calloc(1, RAM_END);
	ck_assert_ptr_nonnull(guest);
	fake_host_guest_buf(&fh, guest, RAM_END);
	vgpu_config_default(&cfg);
	ck_assert_int_eq(vgpu_create(&cfg, &fh.host, &v), 0);
	fake_cfg_write(&fh, SBDF, 0x10, 4, BAR0);
	fake_cfg_write(&fh, SBDF, 0x14, 4, 0);
	fake_cfg_write(&fh, SBDF, 0x18, 4, BAR2);
	fake_cfg_write(&fh, SBDF, 0x1c, 4, 0);
	fake_cfg_write(&fh, SBDF, 0x04, 2, 0x0006);
}

static void teardown(void)
{
	vgpu_destroy(v);
	v = NULL;
	fake_host_fini(&fh);
	free(guest);
	guest = NULL;
}

static void ref_pixel(unsigned x, unsigned y, uint8_t rgb[3])
{
	rgb[0] = (uint8_t)(x * 2);
	rgb[1] = (uint8_t)(y * 6);
	rgb[2] = (uint8_t)(x ^ y);
}

/* The pattern, XRGB8888 (bytes B G R X), in guest pages bound to GM. */
static void draw(uint64_t gm)
{
	unsigned pitch = STRIDE_UNITS * 64, pages, i, x, y;

	pages = (pitch * H + 4095) / 4096;
	for (i = 0; i < pages; i++)
		pte(gm + 4096ull * i, SURF_GPA + 4096ull * i);
	for (y = 0; y < H; y++)
		for (x = 0; x < pitch / 4; x++) {
			uint8_t *px = guest + SURF_GPA + y * pitch + x * 4,
				c[3];

			ref_pixel(x, y, c);
			px[0] = c[2];
			px[1] = c[1];
			px[2] = c[0];
			px[3] = 0xee;
		}
}

static void plane(unsigned pipe, uint32_t ctl, uint64_t surf, uint32_t off)
{
	wr(PIPECONF(pipe), 1u << 31);
	wr(PLANE_CTL(pipe), ctl);
	wr(PLANE_STRIDE(pipe), STRIDE_UNITS);
	wr(PLANE_SIZE(pipe), (H - 1) << 16 | (W - 1));
	wr(PLANE_OFFSET(pipe), off);
	wr(PLANE_SURF(pipe), (uint32_t)surf);
	fake_host_tick(&fh, 1); /* the vblank latches it */
}

static bool all_black(const struct vgpu_picture *pic)
{
	for (uint32_t y = 0; y < pic->height; y++)
		for (size_t i = 0; i < 3u * pic->width; i++)
			if (pic->rgb[y * pic->stride + i])
				return false;
	return true;
}

START_TEST(pattern_matches_reference)
{
	struct vgpu_picture pic;
	unsigned x, y, ox = 5, oy = 2;

	draw(hidden());
	plane(1, CTL_XRGB, hidden(), oy << 16 | ox);
	ck_assert_int_eq(vgpu_capture(v, &pic), 0);
	ck_assert_uint_eq(pic.pipe, 1);
	ck_assert(!pic.blank);
	ck_assert_uint_eq(pic.width, W);
	ck_assert_uint_eq(pic.height, H);
	/* the offset moves the window; rows past H - oy read the next rows */
	for (y = 0; y + oy < H; y++)
		for (x = 0; x < W; x++) {
			uint8_t c[3];

			ref_pixel(x + ox, y + oy, c);
			ck_assert_mem_eq(pic.rgb + y * pic.stride + 3 * x, c,
					 3);
		}
	vgpu_picture_free(&pic);
	ck_assert_ptr_null(pic.rgb);
}
END_TEST

START_TEST(cursor_blended)
{
	struct vgpu_picture pic;
	uint64_t cur = hidden() + (1u << 20);
	uint8_t c[3];
	unsigned i;

	draw(hidden());
	pte(cur, CUR_GPA);
	pte(cur + 4096, CUR_GPA + 4096);
	pte(cur + 8192, CUR_GPA + 8192);
	pte(cur + 12288, CUR_GPA + 12288);
	for (i = 0; i < 64 * 64; i++) /* opaque white, premultiplied */
		memset(guest + CUR_GPA + 4 * i, 0xff, 4);
	wr(CUR_CTL(1), CUR_64_ARGB);
	wr(CUR_POS(1), 10u << 16 | 20u);
	wr(CUR_BASE(1), (uint32_t)cur);
	plane(1, CTL_XRGB, hidden(), 0);
	ck_assert_int_eq(vgpu_capture(v, &pic), 0);
	ck_assert_mem_eq(pic.rgb + 10 * pic.stride + 3 * 20, "\xff\xff\xff", 3);
	ref_pixel(19, 10, c);
	ck_assert_mem_eq(pic.rgb + 10 * pic.stride + 3 * 19, c, 3);
	vgpu_picture_free(&pic);
}
END_TEST

/* Split: the plane stays as drawn, the cursor comes back as an image. */
START_TEST(cursor_split)
{
	struct vgpu_picture pic;
	struct vgpu_cursor_image ci;
	uint64_t cur = hidden() + (1u << 20);
	uint8_t c[3];
	unsigned i;

	draw(hidden());
	for (i = 0; i < 4; i++)
		pte(cur + 4096ull * i, CUR_GPA + 4096ull * i);
	for (i = 0; i < 64 * 64; i++) /* B G R A: a ramp in blue, alpha i */
		memcpy(guest + CUR_GPA + 4 * i,
		       (uint8_t[]){(uint8_t)i, 0, 0, (uint8_t)(i >> 4)}, 4);
	wr(CUR_CTL(1), CUR_64_ARGB);
	wr(CUR_POS(1), 1u << 31 | 3u << 16 | 20u); /* y = -3 */
	wr(CUR_BASE(1), (uint32_t)cur);
	plane(1, CTL_XRGB, hidden(), 0);
	ck_assert_int_eq(vgpu_capture_split(v, &pic, &ci), 0);
	ref_pixel(20, 0, c);
	ck_assert_mem_eq(pic.rgb + 3 * 20, c, 3); /* nothing blended */
	ck_assert(ci.on);
	ck_assert_int_eq(ci.x, 20);
	ck_assert_int_eq(ci.y, -3);
	ck_assert_uint_eq(ci.size, 64);
	ck_assert_mem_eq(ci.argb, guest + CUR_GPA, 64 * 64 * 4);
	vgpu_cursor_image_free(&ci);
	ck_assert_ptr_null(ci.argb);
	vgpu_picture_free(&pic);

	wr(CUR_CTL(1), 0); /* off: no image */
	wr(CUR_BASE(1), (uint32_t)cur);
	fake_host_tick(&fh, 1);
	ck_assert_int_eq(vgpu_capture_split(v, &pic, &ci), 0);
	ck_assert(!ci.on);
	ck_assert_ptr_null(ci.argb);
	vgpu_picture_free(&pic);
}
END_TEST

START_TEST(pipe_off_is_nodev)
{
	struct vgpu_picture pic;

	ck_assert_int_eq(vgpu_capture(v, &pic), -ENODEV);
	ck_assert_ptr_null(pic.rgb);
	ck_assert(strstr(pic.why, "no pipe is enabled"));
	wr(PIPECONF(0), 1u << 31);
	ck_assert_int_eq(vgpu_capture(v, &pic), -ENODEV);
	ck_assert(strstr(pic.why, "primary plane"));
}
END_TEST

START_TEST(armed_but_not_latched_is_nodev)
{
	struct vgpu_picture pic;

	wr(PIPECONF(0), 1u << 31);
	fake_host_tick(&fh, 1);
	/* the pipe's next vblank has not come yet */
	wr(PLANE_CTL(0), CTL_XRGB);
	wr(PLANE_SURF(0), (uint32_t)hidden());
	ck_assert_int_eq(vgpu_capture(v, &pic), -ENODEV);
}
END_TEST

START_TEST(surface_outside_partition_is_black)
{
	struct vgpu_picture pic;

	/* GM 0: the host's own slice, not this vGPU's */
	draw(0);
	plane(0, CTL_XRGB, 0, 0);
	ck_assert_int_eq(vgpu_capture(v, &pic), 0);
	ck_assert(pic.blank);
	ck_assert_uint_eq(pic.width, W);
	ck_assert(all_black(&pic));
	vgpu_picture_free(&pic);
}
END_TEST

START_TEST(surface_outside_ram_is_black)
{
	struct vgpu_picture pic;

	pte(hidden(), 0x7ff00000ull); /* past guest RAM */
	plane(0, CTL_XRGB, hidden(), 0);
	ck_assert_int_eq(vgpu_capture(v, &pic), 0);
	ck_assert(pic.blank);
	ck_assert(all_black(&pic));
	vgpu_picture_free(&pic);
}
END_TEST

START_TEST(refused_plane_is_black_and_bounded)
{
	struct vgpu_picture pic;

	draw(hidden());
	wr(PIPECONF(2), 1u << 31);
	wr(PLANE_CTL(2), CTL_XRGB | 3); /* rotated 270: not decoded */
	wr(PLANE_SIZE(2), 0x1fff1fffu); /* 8192 x 8192 */
	wr(PLANE_SURF(2), (uint32_t)hidden());
	fake_host_tick(&fh, 1);
	ck_assert_int_eq(vgpu_capture(v, &pic), 0);
	ck_assert(pic.blank);
	ck_assert_uint_eq(pic.pipe, 2);
	ck_assert_uint_eq(pic.width, vgpu_type(v)->max_width);
	ck_assert_uint_eq(pic.height, vgpu_type(v)->max_height);
	ck_assert(all_black(&pic));
	vgpu_picture_free(&pic);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("capture");
	TCase *tc = tcase_create("capture");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, pattern_matches_reference);
	tcase_add_test(tc, cursor_blended);
	tcase_add_test(tc, cursor_split);
	tcase_add_test(tc, pipe_off_is_nodev);
	tcase_add_test(tc, armed_but_not_latched_is_nodev);
	tcase_add_test(tc, surface_outside_partition_is_black);
	tcase_add_test(tc, surface_outside_ram_is_black);
	tcase_add_test(tc, refused_plane_is_black_and_bounded);
	suite_add_tcase(s, tc);
	return vgpu_test_run(s);
}
