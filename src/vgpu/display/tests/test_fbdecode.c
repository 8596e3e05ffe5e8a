/* SPDX-License-Identifier: MIT */
/*
 * test_fbdecode.c - the framebuffer decoder against surfaces laid out by
 * this file's own encoder: each format in each tiling (built from the
 * registers), offsets and clipping, strides wider than the picture, the
 * read granularity, hostile planes, a page that cannot be read, and the
 * cursor's decode, blend and clipping.
 *
 * The encoder places pixels with its own address function, written from
 * the tile layouts (not fbdecode.c's), and the expected RGB comes from
 * this file's own arithmetic.
 */
#include <check.h>
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "vgpu/display/fbdecode.h"
#include "vgpu/tests/test_util.h"

/* A fake graphics memory: `size` bytes from GM address `base`. */
#define GM_BASE 0x100000u
#define GM_SIZE (4u << 20)

struct fake_gm {
	uint8_t *mem;
	uint64_t base;
	size_t size;
	uint64_t bad_page; /* GM address of a page whose reads fail */
	unsigned calls;
	size_t max_len;
};

static struct fake_gm gm;

static int gm_read(void *ctx, uint64_t addr, void *buf, size_t len)
{
	struct fake_gm *g = ctx;

	g->calls++;
	if (len > g->max_len)
		g->max_len = len;
	if (addr < g->base || addr - g->base > g->size ||
	    len > g->size - (addr - g->base))
		return -EFAULT;
	if (g->bad_page != UINT64_MAX && addr < g->bad_page + FB_PAGE &&
	    addr + len > g->bad_page)
		return -EFAULT;
	memcpy(buf, g->mem + (addr - g->base), len);
	return 0;
}

static void setup(void)
{
	gm.mem = calloc(1, GM_SIZE);
	ck_assert_ptr_nonnull(gm.mem);
	gm.base = GM_BASE;
	gm.size = GM_SIZE;
	gm.bad_page = UINT64_MAX;
	gm.calls = 0;
	gm.max_len = 0;
}

static void teardown(void)
{
	free(gm.mem);
	gm.mem = NULL;
}

/*
 * Where byte bx of surface row `row` lives, from the surface's start.
 * X tile: 8 rows of 512 bytes, one after the other.  Y tile: 8 columns
 * of 16 bytes, each column all 32 rows tall before the next begins.
 */
static uint64_t surface_addr(uint32_t tiling, uint32_t stride, uint32_t bx,
			     uint32_t row)
{
	uint64_t tile;

	switch (tiling) {
	case FB_TILED_X:
		tile = (uint64_t)(row / 8) * (stride / 512) + bx / 512;
		return tile * 4096 + (row % 8) * 512 + bx % 512;
	case FB_TILED_Y:
		tile = (uint64_t)(row / 32) * (stride / 128) + bx / 128;
		return tile * 4096 + (bx % 128 / 16) * 512 + (row % 32) * 16 +
		       bx % 16;
	default:
		return (uint64_t)row * stride + bx;
	}
}

/* The colour this file paints at surface pixel (sx, sy). */
static void colour(uint32_t sx, uint32_t sy, uint8_t c[3])
{
	c[0] = (uint8_t)(sx * 7 + sy * 3);
	c[1] = (uint8_t)(sx ^ (sy * 5));
	c[2] = (uint8_t)((sx + sy) * 11 + 0x40);
}

/* Junk for the bits a format drops (X, and 10-bit channels' low bits). */
static uint32_t noise(uint32_t sx, uint32_t sy)
{
	return sx * 2654435761u ^ sy * 40503u;
}

/* The bytes of pixel (sx, sy) in `format`; the count. */
static unsigned encode(uint32_t format, uint32_t sx, uint32_t sy,
		       uint8_t out[4])
{
	uint8_t c[3];
	uint32_t n = noise(sx, sy), v, r10, g10, b10;

	colour(sx, sy, c);
	switch (format) {
	case FB_XRGB8888: /* bytes B G R X */
		out[0] = c[2], out[1] = c[1], out[2] = c[0];
		out[3] = (uint8_t)n;
		return 4;
	case FB_XBGR8888: /* bytes R G B X */
		out[0] = c[0], out[1] = c[1], out[2] = c[2];
		out[3] = (uint8_t)n;
		return 4;
	case FB_RGB565:
		v = (uint32_t)(c[0] >> 3) << 11 | (uint32_t)(c[1] >> 2) << 5 |
		    c[2] >> 3;
		out[0] = (uint8_t)v, out[1] = (uint8_t)(v >> 8);
		return 2;
	default:
		r10 = (uint32_t)c[0] << 2 | (n & 3);
		g10 = (uint32_t)c[1] << 2 | (n >> 2 & 3);
		b10 = (uint32_t)c[2] << 2 | (n >> 4 & 3);
		if (format == FB_XRGB2101010)
			v = r10 << 20 | g10 << 10 | b10;
		else
			v = b10 << 20 | g10 << 10 | r10;
		v |= (n >> 6 & 3) << 30;
		for (int i = 0; i < 4; i++)
			out[i] = (uint8_t)(v >> (8 * i));
		return 4;
	}
}

/* What the decoder should show for pixel (sx, sy) in `format`. */
static void expected(uint32_t format, uint32_t sx, uint32_t sy, uint8_t e[3])
{
	colour(sx, sy, e);
	if (format == FB_RGB565) {
		/*
		 * 5 and 6 bits widened by repeating them from the top (as
		 * pixman does): v * 0b100001 / 4 and v * 0b1000001 / 16.
		 * Never 1 from exact scaling; 0 and full scale are exact.
		 */
		e[0] = (uint8_t)((e[0] >> 3) * 33 / 4);
		e[1] = (uint8_t)((e[1] >> 2) * 65 / 16);
		e[2] = (uint8_t)((e[2] >> 3) * 33 / 4);
	}
}

/* Paint every pixel of a surface of `cols` x `rows` at GM address surf. */
static void paint(uint64_t surf, uint32_t format, uint32_t tiling,
		  uint32_t stride, uint32_t cols, uint32_t rows)
{
	uint8_t px[4];
	unsigned cpp;

	for (uint32_t sy = 0; sy < rows; sy++)
		for (uint32_t sx = 0; sx < cols; sx++) {
			uint64_t a;

			cpp = encode(format, sx, sy, px);
			a = surf - gm.base +
			    surface_addr(tiling, stride, sx * cpp, sy);
			ck_assert_uint_le(a + cpp, gm.size);
			memcpy(gm.mem + a, px, cpp);
		}
}

/* Compare a decoded picture of p with what paint() put there. */
static void check_picture(const struct fb_plane *p, const uint8_t *rgb,
			  size_t rgb_stride)
{
	uint8_t e[3];

	for (uint32_t r = 0; r < p->height; r++)
		for (uint32_t c = 0; c < p->width; c++) {
			const uint8_t *o = rgb + r * rgb_stride + c * 3;

			expected(p->format, p->x + c, p->y + r, e);
			if (memcmp(o, e, 3))
				ck_abort_msg("fmt %u tiling %u pixel %u,%u: "
					     "%02x%02x%02x want %02x%02x%02x",
					     p->format, p->tiling, c, r, o[0],
					     o[1], o[2], e[0], e[1], e[2]);
		}
}

/* The PLANE_CTL bits for a format and a tiling, from the bit table. */
static uint32_t ctl_for(uint32_t format, uint32_t tiling)
{
	static const uint32_t fmt[FB_NFORMATS] = {
	    [FB_XRGB8888] = 0x4u << 24,
	    [FB_XBGR8888] = 0x4u << 24 | 1u << 20,
	    [FB_RGB565] = 0xeu << 24,
	    [FB_XRGB2101010] = 0x2u << 24,
	    [FB_XBGR2101010] = 0x2u << 24 | 1u << 20,
	};
	static const uint32_t til[FB_NTILINGS] = {
	    [FB_LINEAR] = 0, [FB_TILED_X] = 1u << 10, [FB_TILED_Y] = 4u << 10};

	return 1u << 31 | fmt[format] | til[tiling];
}

/* Each format in each tiling: 200x70 from (13, 5), strides to spare. */
START_TEST(format_by_tiling)
{
	uint32_t format = (uint32_t)_i / FB_NTILINGS;
	uint32_t tiling = (uint32_t)_i % FB_NTILINGS;
	/* stride register: linear 20 x 64, X 3 x 512, Y 9 x 128 bytes */
	static const uint32_t sreg[FB_NTILINGS] = {20, 3, 9};
	static const uint32_t sbytes[FB_NTILINGS] = {1280, 1536, 1152};
	const uint32_t w = 200, h = 70, x = 13, y = 5;
	uint64_t surf = GM_BASE + 0x3000;
	size_t rs = w * 3 + 5;
	uint8_t *rgb = malloc(rs * h);
	struct fb_plane p;

	ck_assert_int_eq(
	    fb_plane_from_regs(ctl_for(format, tiling), sreg[tiling],
			       (h - 1) << 16 | (w - 1), y << 16 | x,
			       (uint32_t)surf | 0x7, &p),
	    0);
	ck_assert_uint_eq(p.format, format);
	ck_assert_uint_eq(p.tiling, tiling);
	ck_assert_uint_eq(p.stride, sbytes[tiling]);
	ck_assert_uint_eq(p.surf, surf);
	ck_assert_uint_eq(p.width, w);
	ck_assert_uint_eq(p.height, h);
	ck_assert_uint_eq(p.x, x);
	ck_assert_uint_eq(p.y, y);

	paint(surf, format, tiling, p.stride, p.stride / fb_format_cpp(format),
	      96);
	ck_assert_int_eq(fb_decode(&p, gm_read, &gm, rgb, rs), 0);
	check_picture(&p, rgb, rs);
	free(rgb);
}
END_TEST

/* Offsets in every tile position, down to a 1x1 picture. */
START_TEST(offsets_and_small)
{
	static const uint32_t xs[] = {0, 1, 3, 4, 31, 32, 127, 128, 129};
	uint8_t rgb[64 * 3 * 40];
	struct fb_plane p = {.surf = GM_BASE, .stride = 1024};

	for (uint32_t t = 0; t < FB_NTILINGS; t++)
		for (uint32_t f = 0; f < FB_NFORMATS; f++) {
			p.format = f;
			p.tiling = t;
			paint(p.surf, f, t, p.stride,
			      p.stride / fb_format_cpp(f), 96);
			for (unsigned i = 0; i < sizeof(xs) / sizeof(xs[0]);
			     i++) {
				p.x = xs[i];
				p.y = xs[i] % 40;
				p.width = 1 + xs[i] % 64;
				p.height = 1 + (xs[i] * 7) % 40;
				if (p.y + p.height > 96)
					continue;
				ck_assert_int_eq(
				    fb_decode(&p, gm_read, &gm, rgb, 64 * 3),
				    0);
				check_picture(&p, rgb, 64 * 3);
			}
		}
}
END_TEST

/* One callback per row when linear, per row of tiles when tiled. */
START_TEST(read_granularity)
{
	const uint32_t w = 640, h = 100;
	uint8_t *rgb = malloc((size_t)w * 3 * h);
	struct fb_plane p = {.surf = GM_BASE,
			     .format = FB_XRGB8888,
			     .stride = 4096,
			     .width = w,
			     .height = h};

	ck_assert_int_eq(fb_decode(&p, gm_read, &gm, rgb, w * 3), 0);
	ck_assert_uint_eq(gm.calls, h);
	ck_assert_uint_eq(gm.max_len, w * 4);

	gm.calls = 0;
	p.tiling = FB_TILED_X; /* 8 rows a tile: 13 rows of tiles */
	ck_assert_int_eq(fb_decode(&p, gm_read, &gm, rgb, w * 3), 0);
	ck_assert_uint_eq(gm.calls, 13);

	gm.calls = 0;
	p.tiling = FB_TILED_Y; /* 32 rows a tile, starting at row 20 */
	p.y = 20;
	ck_assert_int_eq(fb_decode(&p, gm_read, &gm, rgb, w * 3), 0);
	ck_assert_uint_eq(gm.calls, 4); /* rows 20..119: 0-31 .. 96-127 */
	ck_assert_uint_eq(gm.max_len, 20 * 4096);
	free(rgb);
}
END_TEST

/* Everything from `row` on is 0 (black) across w pixels; the rest x. */
static bool all_black(const uint8_t *rgb, size_t rs, uint32_t w, uint32_t h)
{
	for (uint32_t r = 0; r < h; r++)
		for (uint32_t i = 0; i < w * 3; i++)
			if (rgb[r * rs + i])
				return false;
	return true;
}

static void decode_refused(const struct fb_plane *p)
{
	const size_t rs = 64 * 3 + 3;
	uint8_t rgb[rs * 16];

	ck_assert_uint_le(p->width, 64);
	ck_assert_uint_le(p->height, 16);
	memset(rgb, 0xaa, sizeof(rgb));
	ck_assert_int_eq(fb_decode(p, gm_read, &gm, rgb, rs), -EINVAL);
	ck_assert(all_black(rgb, rs, p->width, p->height));
	/* the bytes past each row are the caller's */
	for (uint32_t r = 0; r < 16; r++)
		for (size_t i = (r < p->height ? p->width * 3 : 0); i < rs; i++)
			ck_assert_uint_eq(rgb[r * rs + i], 0xaa);
}

START_TEST(hostile_planes)
{
	const struct fb_plane good = {.surf = GM_BASE,
				      .format = FB_XRGB8888,
				      .stride = 512,
				      .width = 64,
				      .height = 16};
	struct fb_plane p;

	p = good;
	ck_assert_int_eq(fb_plane_check(&p), 0);
	p.stride = 0;
	decode_refused(&p);
	p.stride = FB_MAX_STRIDE + 64;
	decode_refused(&p);
	p.stride = 64 * 4 - 4; /* one pixel short */
	decode_refused(&p);
	p = good;
	p.x = 1; /* now x + width runs past the stride */
	p.stride = 256;
	decode_refused(&p);
	p = good;
	p.tiling = FB_TILED_Y;
	p.stride = 128 * 2 + 64; /* not a whole number of tiles */
	decode_refused(&p);
	p = good;
	p.format = FB_NFORMATS;
	decode_refused(&p);
	p = good;
	p.tiling = 7;
	decode_refused(&p);
	p = good;
	p.surf = GM_BASE + 4; /* not page aligned */
	decode_refused(&p);
	p = good;
	p.surf = FB_GM_LIMIT - 4096; /* the picture runs off the 4 GiB */
	decode_refused(&p);
	p = good;
	p.surf = UINT64_MAX & ~(uint64_t)4095; /* surf + size wraps */
	decode_refused(&p);
	p = good;
	p.y = 0xffff; /* a Y plane 65535 rows down is still bounded */
	p.x = 0x10000;
	decode_refused(&p);
}
END_TEST

/* Bad dimensions or output: -EINVAL and not a byte written. */
START_TEST(hostile_output)
{
	uint8_t rgb[64];
	struct fb_plane p = {.surf = GM_BASE,
			     .format = FB_XRGB8888,
			     .stride = 4096,
			     .width = 4,
			     .height = 4};

	memset(rgb, 0xaa, sizeof(rgb));
	p.width = 0;
	ck_assert_int_eq(fb_decode(&p, gm_read, &gm, rgb, 12), -EINVAL);
	p.width = FB_MAX_DIM + 1;
	ck_assert_int_eq(fb_decode(&p, gm_read, &gm, rgb, 12), -EINVAL);
	p.width = 4;
	p.height = 0;
	ck_assert_int_eq(fb_decode(&p, gm_read, &gm, rgb, 12), -EINVAL);
	p.height = 65536; /* what PLANE_SIZE = 0xffff0000 says */
	ck_assert_int_eq(fb_decode(&p, gm_read, &gm, rgb, 12), -EINVAL);
	p.height = 4;
	ck_assert_int_eq(fb_decode(&p, gm_read, &gm, rgb, 11), -EINVAL);
	ck_assert_int_eq(fb_decode(NULL, gm_read, &gm, rgb, 12), -EINVAL);
	for (unsigned i = 0; i < sizeof(rgb); i++)
		ck_assert_uint_eq(rgb[i], 0xaa);
	ck_assert_uint_eq(gm.calls, 0);
	/* no callback: the (valid-sized) picture is black */
	ck_assert_int_eq(fb_decode(&p, NULL, &gm, rgb, 12), -EINVAL);
	ck_assert(all_black(rgb, 12, 4, 4));
}
END_TEST

/* The registers' own refusals. */
START_TEST(regs_refused)
{
	struct fb_plane p = {0}, zero = {0};
	const uint32_t on8888 = 1u << 31 | 0x4u << 24;

	ck_assert_int_eq(fb_plane_from_regs(0x4u << 24, 1, 0, 0, 0, &p),
			 -ENODEV);
	for (uint32_t f = 0; f < 16; f++) {
		int want;

		switch (f) {
		case 0x2:
		case 0x4:
		case 0xe:
			want = 0;
			break;
		case 0x0:
		case 0x1:
		case 0x6:
		case 0xc:
			want = -EOPNOTSUPP;
			break;
		default:
			want = -EINVAL;
		}
		ck_assert_int_eq(
		    fb_plane_from_regs(1u << 31 | f << 24, 1, 0, 0, 0, &p),
		    want);
	}
	p = zero;
	for (uint32_t t = 0; t < 8; t++) {
		int want = t == 0 || t == 1 || t == 4 ? 0
			   : t == 5		      ? -EOPNOTSUPP
						      : -EINVAL;

		ck_assert_int_eq(
		    fb_plane_from_regs(on8888 | t << 10, 1, 0, 0, 0, &p), want);
	}
	ck_assert_int_eq(fb_plane_from_regs(on8888 | 1, 1, 0, 0, 0, &p),
			 -EOPNOTSUPP); /* rotated 90 */
	ck_assert_int_eq(fb_plane_from_regs(on8888 | 1u << 8, 1, 0, 0, 0, &p),
			 -EOPNOTSUPP); /* flipped */
	ck_assert_int_eq(fb_plane_from_regs(on8888 | 1u << 15, 1, 0, 0, 0, &p),
			 -EOPNOTSUPP); /* render compressed */
	/* 5:6:5 has no RGBX variant; alpha bits do not change the format */
	ck_assert_int_eq(
	    fb_plane_from_regs(1u << 31 | 0xeu << 24 | 1u << 20 | 3u << 4, 1, 0,
			       0, 0, &p),
	    0);
	ck_assert_uint_eq(p.format, FB_RGB565);
	/* stride bits above 9 are not Gen9's; size and offset 16 bits */
	ck_assert_int_eq(fb_plane_from_regs(on8888, 0xfffff401, 0xffffffff,
					    0xffffffff, 0xffffffff, &p),
			 0);
	ck_assert_uint_eq(p.stride, 0x001 * 64);
	ck_assert_uint_eq(p.width, 65536);
	ck_assert_uint_eq(p.height, 65536);
	ck_assert_uint_eq(p.x, 0xffff);
	ck_assert_uint_eq(p.y, 0xffff);
	ck_assert_uint_eq(p.surf, 0xfffff000u);
	ck_assert_int_eq(fb_plane_check(&p), -EINVAL);
}
END_TEST

/*
 * One page unreadable: its pixels black, every other pixel right, and
 * -EFAULT.  Rows are two pages; the linear ones shown straddle both.
 * The bad page: linear, row 20's second; X, tile 7 of tile row 2; Y,
 * tile 30 of tile row 0.  All in view.
 */
START_TEST(bad_page)
{
	static const uint32_t page[FB_NTILINGS] = {41, 39, 30};
	const uint32_t w = 700, h = 50;
	size_t rs = w * 3;
	uint8_t *rgb = malloc(rs * h), e[3];

	for (uint32_t t = 0; t < FB_NTILINGS; t++) {
		struct fb_plane p = {.surf = GM_BASE,
				     .format = FB_XRGB8888,
				     .tiling = t,
				     .stride = 8192,
				     .width = w,
				     .height = h,
				     .x = 800,
				     .y = 9};
		unsigned black = 0;

		paint(p.surf, p.format, t, p.stride, 2048, 64);
		gm.bad_page = p.surf + page[t] * 4096;
		ck_assert_int_eq(fb_decode(&p, gm_read, &gm, rgb, rs), -EFAULT);
		for (uint32_t r = 0; r < h; r++)
			for (uint32_t c = 0; c < w; c++) {
				uint64_t a =
				    p.surf + surface_addr(t, p.stride,
							  (p.x + c) * 4,
							  p.y + r);
				const uint8_t *o = rgb + r * rs + c * 3;

				if (a >= gm.bad_page &&
				    a < gm.bad_page + 4096) {
					memset(e, 0, 3);
					black++;
				} else
					expected(p.format, p.x + c, p.y + r, e);
				if (memcmp(o, e, 3))
					ck_abort_msg("tiling %u pixel %u,%u", t,
						     c, r);
			}
		ck_assert_uint_gt(black, 0);
		ck_assert_uint_lt(black, w * h / 8);
	}
	free(rgb);
}
END_TEST

/* Random planes over a small GM: no crash, no stray access (ASan). */
START_TEST(random_planes)
{
	uint32_t seed = 12345;
	uint8_t *rgb = malloc(64 * 3 * 64);

	gm.size = 1u << 20;
	for (unsigned n = 0; n < 3000; n++) {
		uint32_t v[6];
		struct fb_plane p;
		int rc;

		for (int i = 0; i < 6; i++) {
			seed = seed * 1103515245u + 12345u;
			v[i] = seed ^ seed >> 15;
		}
		if (fb_plane_from_regs(v[0] | 1u << 31, v[1] & 0x3f,
				       (v[2] & 0x003f003f) | (n & 1 ? 0 : v[2]),
				       v[3] & (n & 2 ? 0x00ff00ff : ~0u),
				       GM_BASE + (v[4] & 0xff000), &p))
			continue;
		if (p.height > 64)
			continue; /* more rows than rgb holds */
		rc = fb_decode(&p, gm_read, &gm, rgb, 64 * 3);
		if (p.width > 64)
			ck_assert_int_eq(rc, -EINVAL); /* rgb_stride short */
		else
			ck_assert(rc == 0 || rc == -EINVAL || rc == -EFAULT);
	}
	free(rgb);
}
END_TEST

START_TEST(cursor_regs)
{
	struct fb_cursor c;

	ck_assert_int_eq(fb_cursor_from_regs(0, 0, 0, &c), -ENODEV);
	ck_assert_int_eq(fb_cursor_from_regs(0x27, 0, 0x12345678, &c), 0);
	ck_assert_uint_eq(c.size, 64);
	ck_assert_uint_eq(c.base, 0x12345000);
	ck_assert_int_eq(fb_cursor_from_regs(0x22, 0, 0, &c), 0);
	ck_assert_uint_eq(c.size, 128);
	ck_assert_int_eq(fb_cursor_from_regs(0x23 | 1u << 31, 0, 0, &c), 0);
	ck_assert_uint_eq(c.size, 256);
	/* the AND/XOR and 2-bit modes are not what i915 programs */
	ck_assert_int_eq(fb_cursor_from_regs(0x07, 0, 0, &c), -EINVAL);
	ck_assert_int_eq(fb_cursor_from_regs(0x04, 0, 0, &c), -EINVAL);
	ck_assert_int_eq(fb_cursor_from_regs(0x27 | 1u << 15, 0, 0, &c),
			 -EOPNOTSUPP);
	/* sign and magnitude */
	ck_assert_int_eq(fb_cursor_from_regs(0x27, 5u << 16 | 7, 0, &c), 0);
	ck_assert_int_eq(c.x, 7);
	ck_assert_int_eq(c.y, 5);
	ck_assert_int_eq(fb_cursor_from_regs(
			     0x27, 1u << 31 | 5u << 16 | 1u << 15 | 7, 0, &c),
			 0);
	ck_assert_int_eq(c.x, -7);
	ck_assert_int_eq(c.y, -5);
	ck_assert_int_eq(fb_cursor_from_regs(0x27, 0x7fff7fff, 0, &c), 0);
	ck_assert_int_eq(c.x, 0x7fff);
	ck_assert_int_eq(c.y, 0x7fff);
}
END_TEST

/* Cursor pixel (cx, cy), premultiplied B G R A. */
static void cursor_px(uint32_t cx, uint32_t cy, uint8_t px[4])
{
	static const uint8_t alphas[] = {0, 255, 128, 64, 200};
	uint8_t a = alphas[(cx / 3 + cy) % 5];

	px[0] = (uint8_t)((cx * 5 + cy) % (a + 1));
	px[1] = (uint8_t)((cx + cy * 9) % (a + 1));
	px[2] = (uint8_t)((cx * cy) % (a + 1));
	px[3] = a;
}

static void paint_cursor(uint64_t base, uint32_t size)
{
	for (uint32_t cy = 0; cy < size; cy++)
		for (uint32_t cx = 0; cx < size; cx++)
			cursor_px(cx, cy,
				  gm.mem + (base - gm.base) +
				      ((size_t)cy * size + cx) * 4);
}

/* The image under the cursor: each byte its own. */
static uint8_t under(uint32_t x, uint32_t y, int ch)
{
	return (uint8_t)(x * 3 + y * 7 + ch * 50);
}

static void check_blend(const struct fb_cursor *c, const uint8_t *rgb,
			size_t rs, uint32_t w, uint32_t h)
{
	uint8_t px[4];

	for (uint32_t y = 0; y < h; y++)
		for (uint32_t x = 0; x < w; x++)
			for (int ch = 0; ch < 3; ch++) {
				int64_t cx = (int64_t)x - c->x;
				int64_t cy = (int64_t)y - c->y;
				double v = under(x, y, ch);

				if (cx >= 0 && cy >= 0 && cx < c->size &&
				    cy < c->size) {
					cursor_px((uint32_t)cx, (uint32_t)cy,
						  px);
					v = px[2 - ch] +
					    v * (255 - px[3]) / 255.0;
					v = v > 255 ? 255 : round(v);
				}
				if (rgb[y * rs + x * 3 + ch] != (uint8_t)v)
					ck_abort_msg("cursor %d,%d: pixel %u,%u"
						     " ch %d %u want %u",
						     c->x, c->y, x, y, ch,
						     rgb[y * rs + x * 3 + ch],
						     (unsigned)v);
			}
}

START_TEST(cursor_blend)
{
	const uint32_t w = 300, h = 200;
	const size_t rs = w * 3 + 1;
	uint8_t *rgb = malloc(rs * h);
	static const int32_t pos[][2] = {{10, 20}, {-10, -20}, {250, 150},
					 {-63, 0}, {299, 199}, {0, -255}};
	static const uint32_t sizes[] = {64, 128, 256};

	for (unsigned s = 0; s < 3; s++) {
		struct fb_cursor c = {.base = GM_BASE + 0x10000,
				      .size = sizes[s]};

		paint_cursor(c.base, c.size);
		for (unsigned i = 0; i < sizeof(pos) / sizeof(pos[0]); i++) {
			c.x = pos[i][0];
			c.y = pos[i][1];
			for (uint32_t y = 0; y < h; y++)
				for (uint32_t x = 0; x < w; x++)
					for (int ch = 0; ch < 3; ch++)
						rgb[y * rs + x * 3 + ch] =
						    under(x, y, ch);
			ck_assert_int_eq(
			    fb_cursor_blend(&c, gm_read, &gm, rgb, rs, w, h),
			    0);
			check_blend(&c, rgb, rs, w, h);
		}
	}
	free(rgb);
}
END_TEST

START_TEST(cursor_clip_and_faults)
{
	uint8_t rgb[40 * 30 * 3], before[sizeof(rgb)];
	struct fb_cursor c = {.base = GM_BASE, .size = 64};

	paint_cursor(c.base, c.size);
	for (unsigned i = 0; i < sizeof(rgb); i++)
		rgb[i] = (uint8_t)(i * 13);
	memcpy(before, rgb, sizeof(rgb));
	/* entirely off the picture, each side: no reads, nothing changed */
	static const int32_t off[][2] = {{40, 0},
					 {-64, 0},
					 {0, 30},
					 {0, -64},
					 {INT32_MAX, INT32_MAX},
					 {INT32_MIN, INT32_MIN}};
	for (unsigned i = 0; i < sizeof(off) / sizeof(off[0]); i++) {
		c.x = off[i][0];
		c.y = off[i][1];
		ck_assert_int_eq(
		    fb_cursor_blend(&c, gm_read, &gm, rgb, 40 * 3, 40, 30), 0);
	}
	ck_assert_uint_eq(gm.calls, 0);
	ck_assert_mem_eq(rgb, before, sizeof(rgb));
	/* one read per visible row */
	c.x = -60;
	c.y = 20;
	ck_assert_int_eq(fb_cursor_blend(&c, gm_read, &gm, rgb, 40 * 3, 40, 30),
			 0);
	ck_assert_uint_eq(gm.calls, 10);
	ck_assert_uint_eq(gm.max_len, 4 * 4);
	/* the first page (16 rows) unreadable: the image under it as it was */
	memcpy(rgb, before, sizeof(rgb));
	gm.bad_page = c.base;
	c.x = c.y = 0;
	ck_assert_int_eq(fb_cursor_blend(&c, gm_read, &gm, rgb, 40 * 3, 40, 30),
			 -EFAULT);
	ck_assert_mem_eq(rgb, before, 16 * 40 * 3);
	ck_assert(memcmp(rgb, before, sizeof(rgb)) != 0);
	memcpy(rgb, before, sizeof(rgb));
	/* bad cursors and images */
	c.size = 32;
	ck_assert_int_eq(fb_cursor_blend(&c, gm_read, &gm, rgb, 40 * 3, 40, 30),
			 -EINVAL);
	c.size = 64;
	c.base = GM_BASE + 8;
	ck_assert_int_eq(fb_cursor_blend(&c, gm_read, &gm, rgb, 40 * 3, 40, 30),
			 -EINVAL);
	c.base = FB_GM_LIMIT - 4096;
	ck_assert_int_eq(fb_cursor_blend(&c, gm_read, &gm, rgb, 40 * 3, 40, 30),
			 -EINVAL);
	c.base = GM_BASE;
	ck_assert_int_eq(
	    fb_cursor_blend(&c, gm_read, &gm, rgb, 40 * 3 - 1, 40, 30),
	    -EINVAL);
	ck_assert_int_eq(fb_cursor_blend(&c, gm_read, &gm, rgb, 40 * 3, 0, 30),
			 -EINVAL);
	ck_assert_mem_eq(rgb, before, sizeof(rgb));
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("fbdecode");
	TCase *tc = tcase_create("fbdecode");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, format_by_tiling, 0, FB_NFORMATS * FB_NTILINGS);
	tcase_add_test(tc, offsets_and_small);
	tcase_add_test(tc, read_granularity);
	tcase_add_test(tc, hostile_planes);
	tcase_add_test(tc, hostile_output);
	tcase_add_test(tc, regs_refused);
	tcase_add_test(tc, bad_page);
	tcase_add_test(tc, random_planes);
	tcase_add_test(tc, cursor_regs);
	tcase_add_test(tc, cursor_blend);
	tcase_add_test(tc, cursor_clip_and_faults);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return vgpu_test_run(suite());
}
