/* SPDX-License-Identifier: MIT */
/*
 * fbcheck - does a screenshot hold fbpattern.h's picture?  Runs in the
 * test dom0 on the PNG `xengtctl screenshot` wrote.
 *
 *   fbcheck FILE WIDTH HEIGHT [SEED]
 *   fbcheck --lit FILE
 *
 * The first prints "same WxH" and exits 0, or says what differs (size,
 * the first wrong pixel and how many are wrong) and exits 1.  The second
 * (for the console's screenshot) says how many pixels are not black and
 * in how many rows, and exits 0 if there are any.
 */
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fbpattern.h"

static uint8_t *load(const char *path, png_image *img)
{
	uint8_t *rgb;

	memset(img, 0, sizeof(*img));
	img->version = PNG_IMAGE_VERSION;
	if (!png_image_begin_read_from_file(img, path)) {
		printf("%s: %s\n", path, img->message);
		return NULL;
	}
	img->format = PNG_FORMAT_RGB;
	rgb = malloc(PNG_IMAGE_SIZE(*img));
	if (!rgb || !png_image_finish_read(img, NULL, rgb, 0, NULL)) {
		printf("%s: cannot read its pixels\n", path);
		free(rgb);
		return NULL;
	}
	return rgb;
}

static int lit(const char *path)
{
	png_image img;
	uint8_t *rgb = load(path, &img);
	unsigned long n = 0, rows = 0;

	if (!rgb)
		return 1;
	for (unsigned long y = 0; y < img.height; y++) {
		unsigned long before = n;

		for (unsigned long i = 0; i < 3ul * img.width; i += 3)
			n += rgb[y * 3ul * img.width + i] |
			     rgb[y * 3ul * img.width + i + 1] |
			     rgb[y * 3ul * img.width + i + 2]
				 ? 1
				 : 0;
		rows += n > before;
	}
	free(rgb);
	printf("%ux%u, %lu pixels lit in %lu rows\n", img.width, img.height, n,
	       rows);
	return n ? 0 : 1;
}

int main(int argc, char **argv)
{
	png_image img;
	uint8_t *rgb;
	unsigned long w, h, bad = 0, fx = 0, fy = 0;
	uint32_t got = 0, want = 0, seed;

	if (argc == 3 && strcmp(argv[1], "--lit") == 0)
		return lit(argv[2]);
	if (argc != 4 && argc != 5) {
		fprintf(stderr,
			"usage: fbcheck FILE WIDTH HEIGHT [SEED] | --lit FILE\n");
		return 2;
	}
	seed = argc == 5 ? (uint32_t)strtoul(argv[4], NULL, 10) : 0;
	w = strtoul(argv[2], NULL, 10);
	h = strtoul(argv[3], NULL, 10);
	rgb = load(argv[1], &img);
	if (!rgb)
		return 1;
	if (img.width != w || img.height != h) {
		printf("%s is %ux%u, the guest's fb0 %lux%lu\n", argv[1],
		       img.width, img.height, w, h);
		free(rgb);
		return 1;
	}
	for (unsigned long y = 0; y < h; y++)
		for (unsigned long x = 0; x < w; x++) {
			const uint8_t *p = rgb + 3 * (y * w + x);
			uint32_t v = (uint32_t)p[0] << 16 | p[1] << 8 | p[2];

			if (v == fbpattern(x, y, seed))
				continue;
			if (!bad++) {
				fx = x;
				fy = y;
				got = v;
				want = fbpattern(x, y, seed);
			}
		}
	free(rgb);
	if (!bad) {
		printf("same %lux%lu\n", w, h);
		return 0;
	}
	printf("%lu of %lu pixels differ; the first, %lu,%lu, is %06x, not "
	       "%06x\n",
	       bad, w * h, fx, fy, got, want);
	return 1;
}
