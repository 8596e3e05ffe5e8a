/* SPDX-License-Identifier: MIT */
/*
 * test_png.c - PNGs written by util/png.c read back with libpng's own
 * reader pixel for pixel (path and fd, a stride wider than a row, odd
 * sizes), and the failures: bad pictures, paths that cannot be opened,
 * a full disk, a closed fd.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <png.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/png.h"

static char dir[] = "/tmp/test_png.XXXXXX";

static void setup(void)
{
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void teardown(void)
{
	char cmd[64];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
	strcpy(dir, "/tmp/test_png.XXXXXX");
}

static uint8_t *picture(uint32_t w, uint32_t h, size_t stride)
{
	uint8_t *p = malloc(stride * h);

	ck_assert_ptr_nonnull(p);
	for (size_t i = 0; i < stride * h; i++)
		p[i] = (uint8_t)(i * 31 + i / 7);
	(void)w;
	return p;
}

/* Read path back with libpng's simplified API and compare. */
static void check_file(const char *path, const uint8_t *rgb, uint32_t w,
		       uint32_t h, size_t stride)
{
	png_image img;
	uint8_t *back;

	memset(&img, 0, sizeof(img));
	img.version = PNG_IMAGE_VERSION;
	ck_assert_msg(png_image_begin_read_from_file(&img, path), "%s",
		      img.message);
	ck_assert_uint_eq(img.width, w);
	ck_assert_uint_eq(img.height, h);
	img.format = PNG_FORMAT_RGB;
	back = malloc(PNG_IMAGE_SIZE(img));
	ck_assert_ptr_nonnull(back);
	ck_assert_msg(png_image_finish_read(&img, NULL, back, 0, NULL), "%s",
		      img.message);
	for (uint32_t r = 0; r < h; r++)
		ck_assert_mem_eq(back + (size_t)r * w * 3, rgb + r * stride,
				 (size_t)w * 3);
	free(back);
	png_image_free(&img);
}

START_TEST(roundtrip_path)
{
	static const uint32_t sizes[][2] = {
	    {1, 1}, {3, 2}, {640, 480}, {1920, 1080}, {17, 333}};
	char path[64], why[128];

	snprintf(path, sizeof(path), "%s/a.png", dir);
	for (unsigned i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		uint32_t w = sizes[i][0], h = sizes[i][1];
		size_t stride = w * 3 + (i & 1) * 13;
		uint8_t *rgb = picture(w, h, stride);

		ck_assert_int_eq(pngfile_write_path(path, rgb, w, h, stride,
						    why, sizeof(why)),
				 0);
		check_file(path, rgb, w, h, stride);
		free(rgb);
	}
}
END_TEST

START_TEST(roundtrip_fd)
{
	char path[64];
	uint8_t *rgb = picture(100, 50, 400);
	int fd;

	snprintf(path, sizeof(path), "%s/b.png", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(pngfile_write_fd(fd, rgb, 100, 50, 400, NULL, 0), 0);
	ck_assert_int_eq(close(fd), 0); /* still open: ours to close */
	check_file(path, rgb, 100, 50, 400);
	free(rgb);
}
END_TEST

START_TEST(bad_pictures)
{
	uint8_t px[12] = {0};
	char path[64], why[64] = "";

	snprintf(path, sizeof(path), "%s/c.png", dir);
	ck_assert_int_eq(pngfile_write_path(path, NULL, 1, 1, 3, why, 64),
			 -EINVAL);
	ck_assert_str_eq(why, "png: bad picture");
	ck_assert_int_eq(pngfile_write_path(path, px, 0, 1, 3, why, 64),
			 -EINVAL);
	ck_assert_int_eq(pngfile_write_path(path, px, 1, 0, 3, why, 64),
			 -EINVAL);
	ck_assert_int_eq(pngfile_write_path(path, px, 2, 1, 5, why, 64),
			 -EINVAL);
	ck_assert_int_eq(pngfile_write_path(path, px, PNGFILE_MAX_DIM + 1, 1,
					    SIZE_MAX, why, 64),
			 -EINVAL);
	ck_assert_int_eq(pngfile_write_path(NULL, px, 1, 1, 3, why, 64),
			 -EINVAL);
	/* nothing left behind */
	ck_assert_int_eq(access(path, F_OK), -1);
	/* a tiny reason buffer is still a string */
	ck_assert_int_eq(pngfile_write_fd(-1, px, 1, 1, 3, why, 4), -EBADF);
	ck_assert_str_eq(why, "png");
}
END_TEST

START_TEST(io_errors)
{
	uint8_t *rgb = picture(64, 64, 192);
	char path[64], why[128];

	snprintf(path, sizeof(path), "%s/no/such/dir.png", dir);
	ck_assert_int_eq(
	    pngfile_write_path(path, rgb, 64, 64, 192, why, sizeof(why)),
	    -ENOENT);
	ck_assert_ptr_nonnull(strstr(why, "no/such/dir.png"));

	if (access("/dev/full", W_OK) == 0) {
		int fd = open("/dev/full", O_WRONLY);

		ck_assert_int_eq(
		    pngfile_write_fd(fd, rgb, 64, 64, 192, why, sizeof(why)),
		    -ENOSPC);
		ck_assert_str_eq(why, "png: write: No space left on device");
		close(fd);
	}
	ck_assert_int_eq(
	    pngfile_write_fd(1000000, rgb, 64, 64, 192, why, sizeof(why)),
	    -EBADF);
	free(rgb);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("png");
	TCase *tc = tcase_create("png");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, roundtrip_path);
	tcase_add_test(tc, roundtrip_fd);
	tcase_add_test(tc, bad_pictures);
	tcase_add_test(tc, io_errors);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
