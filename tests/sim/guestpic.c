/* SPDX-License-Identifier: MIT */
/*
 * guestpic.c - a picture a simulated guest scans out (guestpic.h).
 */
#include "guestpic.h"

#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "simtest.h"

#define SLICE 0x08000000ull /* GVTg_V5_4: the mappable slice's GM base */
#define SRC 0x00300000ull   /* the guest page behind it */
#define FLSH 0x101008u
#define PIPECONF_A 0x70008u
#define PLANE_CTL_A 0x70180u
#define PLANE_STRIDE_A 0x70188u
#define PLANE_SIZE_A 0x70190u
#define PLANE_SURF_A 0x7019cu
#define PLANE_OFFSET_A 0x701a4u
#define W GUESTPIC_W /* 64 x 16 XRGB8888 pixels: one 4 KiB page */
#define H GUESTPIC_H

uint32_t guestpic_pixel(unsigned x, unsigned y)
{
	return (x * 4u) << 16 | (y * 16u) << 8 | ((x + y) * 3u & 0xff);
}

void guestpic_draw(struct harness *h, struct xsim_vcpu *v)
{
	uint32_t px[W * H];
	unsigned x, y;

	/* the page first (rows 1..), row 0 is drawn through the aperture */
	for (y = 0; y < H; y++)
		for (x = 0; x < W; x++)
			px[y * W + x] = y ? guestpic_pixel(x, y) : 0;
	ck_assert_int_eq(xsim_mem_write(h->sim, h->domid, SRC, px, sizeof(px)),
			 0);
	/* bind GM SLICE to the page, as gen8_ggtt_insert_page + invalidate */
	mmio_wr(v, BAR0_GPA + 0x800000 + 8 * (SLICE / 4096), 8, SRC | 1);
	mmio_wr(v, BAR0_GPA + FLSH, 4, 1);
	/* row 0 again through the aperture: no sync point before the shot */
	for (x = 0; x < W; x += 2)
		mmio_wr(v, BAR2_GPA + SLICE + 4 * x, 8,
			(uint64_t)guestpic_pixel(x + 1, 0) << 32 |
			    guestpic_pixel(x, 0));
	mmio_wr(v, BAR0_GPA + PIPECONF_A, 4, 1u << 31);
	mmio_wr(v, BAR0_GPA + PLANE_CTL_A, 4, 1u << 31 | 4u << 24);
	mmio_wr(v, BAR0_GPA + PLANE_STRIDE_A, 4, W * 4 / 64);
	mmio_wr(v, BAR0_GPA + PLANE_SIZE_A, 4, (H - 1) << 16 | (W - 1));
	mmio_wr(v, BAR0_GPA + PLANE_OFFSET_A, 4, 0);
	mmio_wr(v, BAR0_GPA + PLANE_SURF_A, 4, (uint32_t)SLICE);
}

const char *guestpic_png_differs(const char *path)
{
	static char why[160];
	png_image img;
	uint8_t *rgb;

	memset(&img, 0, sizeof(img));
	img.version = PNG_IMAGE_VERSION;
	if (!png_image_begin_read_from_file(&img, path)) {
		snprintf(why, sizeof(why), "%s: %s", path, img.message);
		return why;
	}
	if (img.width != W || img.height != H) {
		snprintf(why, sizeof(why), "%s is %ux%u, not %ux%u", path,
			 img.width, img.height, W, H);
		png_image_free(&img);
		return why;
	}
	/*
	 * As stored, alpha kept: gvnccapture's PNG has alpha 0 everywhere
	 * (gtk-vnc leaves the pad byte ZRLE does not send at 0), which an
	 * RGB read would composite away.  Only R, G, B are compared.
	 */
	img.format = PNG_FORMAT_RGBA;
	rgb = malloc(PNG_IMAGE_SIZE(img));
	if (!rgb || !png_image_finish_read(&img, NULL, rgb, 0, NULL)) {
		snprintf(why, sizeof(why), "%s: %s", path,
			 rgb ? img.message : "no memory");
		free(rgb);
		return why;
	}
	*why = 0;
	for (unsigned y = 0; y < H && !*why; y++)
		for (unsigned x = 0; x < W && !*why; x++) {
			uint32_t p = guestpic_pixel(x, y);
			const uint8_t *q = rgb + 4 * (y * W + x);

			if (q[0] != (p >> 16 & 0xff) ||
			    q[1] != (p >> 8 & 0xff) || q[2] != (p & 0xff))
				snprintf(why, sizeof(why),
					 "%s: pixel %u,%u is %02x%02x%02x, "
					 "not %06x",
					 path, x, y, q[0], q[1], q[2], p);
		}
	free(rgb);
	return why;
}
