/* SPDX-License-Identifier: MIT */
/*
 * fbdecode.c - a Gen9 universal plane and cursor, from their registers to
 * 8-bit RGB.
 *
 * The registers (Gen9 = SKL/KBL display; bit 31 first):
 *
 *   PLANE_CTL     31     enable
 *                 27:24  format: 2 2:10:10:10, 4 8:8:8:8, 14 5:6:5;
 *                        0 YUV 4:2:2, 1 NV12, 6 FP16, 12 indexed are
 *                        refused as not decoded; the others are reserved
 *                        on Gen9 (3, 5, 7, 8 are later platforms' codes)
 *                 20     RGBX order: set, red in the low bits (XBGR);
 *                        clear, blue (XRGB); 5:6:5 has no such variant
 *                 15     render decompression (refused)
 *                 12:10  tiling: 0 linear, 1 X, 4 Y, 5 Yf (refused);
 *                        2, 3, 6, 7 reserved
 *                 8      horizontal flip (refused)
 *                 5:4    alpha mode (ignored: the plane is read as
 *                        opaque, as over the pipe's black background)
 *                 1:0    rotation (anything but 0 refused)
 *   PLANE_STRIDE  9:0    in 64-byte units when linear, in tiles when
 *                        tiled (X 512, Y 128 bytes wide); i915 names
 *                        bits 11:0, the later platforms' width
 *   PLANE_SIZE    31:16  height - 1;  15:0 width - 1
 *   PLANE_OFFSET  31:16  y;  15:0 x: the first pixel shown, in pixels
 *                        inside the surface, tiled or not
 *   PLANE_SURF    31:12  GM address of the surface
 *
 *   CUR_CTL       5, 2:0 mode: 0 off; 0x27 64x64, 0x22 128x128, 0x23
 *                        256x256, all 32-bit ARGB (the only modes i915
 *                        programs); any other mode refused
 *                 15     rotate 180 (refused)
 *   CUR_POS       31     y negative;  30:16 |y|
 *                 15     x negative;  14:0 |x|  (sign and magnitude)
 *   CUR_BASE      31:12  GM address of the image; stride = width * 4
 *
 * Tiles (4 KiB each, a row of tiles left to right, rows of tiles top to
 * bottom; the stride counts a pixel row's bytes across all the tiles):
 *
 *   X  512 bytes x 8 rows, row-major: byte (bx, ty) at ty * 512 + bx
 *   Y  128 bytes x 32 rows as eight columns 16 bytes wide, each column
 *      32 rows of 16 bytes (512 bytes) after the one to its left:
 *      (bx, ty) at (bx / 16) * 512 + ty * 16 + bx % 16
 *
 * Both are "columns `span` bytes wide, `rows` tall", X with one column.
 * No bit-6 address swizzling: i915 sets it to none from Gen8 on.
 *
 * Colours: 8-bit channels as they are; 10-bit channels keep their top 8
 * bits; 5- and 6-bit channels are widened by repeating their top bits
 * (so 0 stays 0 and full scale becomes 255).  The cursor is
 * premultiplied ARGB: out = c + dst * (255 - a) / 255, rounded, at most
 * 255.
 *
 * Sources (facts only): Linux drivers/gpu/drm/i915/display/
 * skl_universal_plane_regs.h (PLANE_CTL_* fields and format codes,
 * PLANE_STRIDE, PLANE_SIZE, PLANE_OFFSET, PLANE_SURF masks; in 6.1 the
 * same definitions sit in i915_reg.h), skl_universal_plane.c
 * (skl_plane_ctl_format: XBGR8888 = 8888 | ORDER_RGBX, XRGB8888 = 8888;
 * skl_plane_stride_mult: 64 bytes linear, the tile's width tiled),
 * intel_fb.c (intel_tile_width_bytes: X 512, Y 128 with 128-byte Y
 * tiling; 4 KiB tiles), gem/selftests/i915_gem_mman.c (tiled_offset: the
 * X row-major tile, the Y tile's 16-byte columns of 512 bytes),
 * i915_debugfs.c and i915_gem_tiling.c (i915_gem_detect_bit_6_swizzle:
 * swizzle none for X and Y from Gen8 on),
 * intel_cursor_regs.h (MCURSOR_MODE_*, CURSOR_POS_*), intel_cursor.c
 * (intel_cursor_position: sign and magnitude), drm_atomic_state_helper.c
 * (planes default to premultiplied alpha; i915's cursor is taken to
 * keep that default, unchecked); gvt/fb_decoder.c and
 * fb_decoder.h (Gen9 stride units, the 10-bit stride mask, the RGBX order
 * bit selecting XBGR for 8888 and 2101010).
 */
#include "vgpu/display/fbdecode.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#if defined(__x86_64__)
#include <tmmintrin.h>
#endif

#define CTL_ENABLE (1u << 31)
#define CTL_FORMAT(v) (((v) >> 24) & 0xfu)
#define CTL_ORDER_RGBX (1u << 20)
#define CTL_DECOMPRESS (1u << 15)
#define CTL_TILING(v) (((v) >> 10) & 0x7u)
#define CTL_FLIP_H (1u << 8)
#define CTL_ROTATE(v) ((v)&0x3u)

#define FMT_YUV422 0x0
#define FMT_NV12 0x1
#define FMT_2101010 0x2
#define FMT_8888 0x4
#define FMT_FP16 0x6
#define FMT_INDEXED 0xc
#define FMT_565 0xe

#define TILING_LINEAR 0
#define TILING_X 1
#define TILING_Y 4
#define TILING_YF 5

#define STRIDE_MASK 0x3ffu
#define STRIDE_UNIT_LINEAR 64u
#define SURF_MASK 0xfffff000u

#define CUR_MODE(v) ((v)&0x27u)
#define CUR_MODE_OFF 0x00
#define CUR_MODE_128_ARGB 0x22
#define CUR_MODE_256_ARGB 0x23
#define CUR_MODE_64_ARGB 0x27
#define CUR_ROTATE_180 (1u << 15)
#define CUR_POS_Y_SIGN (1u << 31)
#define CUR_POS_X_SIGN (1u << 15)
#define CUR_POS_MAG 0x7fffu

/* A tiling's tile: `width` bytes x `rows`, in columns `span` bytes wide. */
struct tile_shape {
	uint32_t width, rows, span;
};

static const struct tile_shape tiles[FB_NTILINGS] = {
    [FB_TILED_X] = {512, 8, 512},
    [FB_TILED_Y] = {128, 32, 16},
};

unsigned fb_format_cpp(uint32_t format)
{
	switch (format) {
	case FB_XRGB8888:
	case FB_XBGR8888:
	case FB_XRGB2101010:
	case FB_XBGR2101010:
		return 4;
	case FB_RGB565:
		return 2;
	default:
		return 0;
	}
}

static int format_from_ctl(uint32_t ctl, uint32_t *format)
{
	bool rgbx = ctl & CTL_ORDER_RGBX;

	switch (CTL_FORMAT(ctl)) {
	case FMT_8888:
		*format = rgbx ? FB_XBGR8888 : FB_XRGB8888;
		return 0;
	case FMT_2101010:
		*format = rgbx ? FB_XBGR2101010 : FB_XRGB2101010;
		return 0;
	case FMT_565:
		*format = FB_RGB565;
		return 0;
	case FMT_YUV422:
	case FMT_NV12:
	case FMT_FP16:
	case FMT_INDEXED:
		return -EOPNOTSUPP;
	default:
		return -EINVAL;
	}
}

/* The tiling, and PLANE_STRIDE's unit in bytes. */
static int tiling_from_ctl(uint32_t ctl, uint32_t *tiling, uint32_t *unit)
{
	switch (CTL_TILING(ctl)) {
	case TILING_LINEAR:
		*tiling = FB_LINEAR;
		*unit = STRIDE_UNIT_LINEAR;
		return 0;
	case TILING_X:
		*tiling = FB_TILED_X;
		*unit = tiles[FB_TILED_X].width;
		return 0;
	case TILING_Y:
		*tiling = FB_TILED_Y;
		*unit = tiles[FB_TILED_Y].width;
		return 0;
	case TILING_YF:
		return -EOPNOTSUPP;
	default:
		return -EINVAL;
	}
}

int fb_plane_from_regs(uint32_t plane_ctl, uint32_t stride_reg,
		       uint32_t size_reg, uint32_t offset_reg, uint32_t surf,
		       struct fb_plane *out)
{
	struct fb_plane p = {0};
	uint32_t unit;
	int rc;

	if (!(plane_ctl & CTL_ENABLE))
		return -ENODEV;
	rc = format_from_ctl(plane_ctl, &p.format);
	if (rc == 0)
		rc = tiling_from_ctl(plane_ctl, &p.tiling, &unit);
	if (rc)
		return rc;
	if ((plane_ctl & (CTL_DECOMPRESS | CTL_FLIP_H)) ||
	    CTL_ROTATE(plane_ctl))
		return -EOPNOTSUPP;
	p.surf = surf & SURF_MASK;
	p.stride = (stride_reg & STRIDE_MASK) * unit;
	p.width = (size_reg & 0xffffu) + 1;
	p.height = (size_reg >> 16) + 1;
	p.x = offset_reg & 0xffffu;
	p.y = offset_reg >> 16;
	*out = p;
	return 0;
}

/* One past the last GM byte the decoder reads, relative to surf. */
static uint64_t plane_extent(const struct fb_plane *p, unsigned cpp)
{
	uint64_t rows = (uint64_t)p->y + p->height;

	if (p->tiling == FB_LINEAR)
		return (rows - 1) * p->stride +
		       ((uint64_t)p->x + p->width) * cpp;
	rows = (rows + tiles[p->tiling].rows - 1) / tiles[p->tiling].rows *
	       tiles[p->tiling].rows;
	return rows * p->stride;
}

int fb_plane_check(const struct fb_plane *p)
{
	unsigned cpp;

	if (!p || p->tiling >= FB_NTILINGS)
		return -EINVAL;
	cpp = fb_format_cpp(p->format);
	if (!cpp || p->width == 0 || p->width > FB_MAX_DIM || p->height == 0 ||
	    p->height > FB_MAX_DIM)
		return -EINVAL;
	if (p->stride == 0 || p->stride > FB_MAX_STRIDE)
		return -EINVAL;
	if (p->tiling != FB_LINEAR && p->stride % tiles[p->tiling].width)
		return -EINVAL;
	/* x and y are at most 16 bits from the registers: nothing wraps. */
	if (p->x > 0xffffu || p->y > 0xffffu ||
	    ((uint64_t)p->x + p->width) * cpp > p->stride)
		return -EINVAL;
	if (p->surf % FB_PAGE || p->surf >= FB_GM_LIMIT ||
	    plane_extent(p, cpp) > FB_GM_LIMIT - p->surf)
		return -EINVAL;
	return 0;
}

/* Pixels are little-endian words, as is every host xengt-dm runs on. */
#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "fbdecode.c loads and stores pixels as little-endian words"
#endif

static inline uint32_t ld32(const uint8_t *s)
{
	uint32_t v;

	memcpy(&v, s, 4);
	return v;
}

static inline void st32(uint8_t *d, uint32_t v)
{
	memcpy(d, &v, 4);
}

static inline uint32_t rgb_of_xrgb8888(uint32_t v)
{
	return (v >> 16 & 0xff) | (v & 0xff00) | (v & 0xff) << 16;
}

static inline uint32_t rgb_of_xbgr8888(uint32_t v)
{
	return v & 0xffffff;
}

static inline uint32_t rgb_of_xrgb2101010(uint32_t v)
{
	return (v >> 22 & 0xff) | (v >> 4 & 0xff00) | (v << 14 & 0xff0000);
}

static inline uint32_t rgb_of_xbgr2101010(uint32_t v)
{
	return (v >> 2 & 0xff) | (v >> 4 & 0xff00) | (v >> 6 & 0xff0000);
}

/*
 * n 32-bit pixels to RGB, four at a time (three words out): `rgb` turns
 * a pixel into 0x00BBGGRR, its output bytes R, G, B as a little-endian
 * word.  Inlined with each `rgb`, so the compiler sees straight shifts.
 */
static inline __attribute__((always_inline)) void
convert32(const uint8_t *s, uint32_t n, uint8_t *d, uint32_t (*rgb)(uint32_t))
{
	uint32_t i = 0, a, b, c, e;

	for (; i + 4 <= n; i += 4, s += 16, d += 12) {
		a = rgb(ld32(s));
		b = rgb(ld32(s + 4));
		c = rgb(ld32(s + 8));
		e = rgb(ld32(s + 12));
		st32(d, a | b << 24);
		st32(d + 4, b >> 8 | c << 16);
		st32(d + 8, c >> 16 | e << 8);
	}
	for (; i < n; i++, s += 4, d += 3) {
		a = rgb(ld32(s));
		d[0] = (uint8_t)a;
		d[1] = (uint8_t)(a >> 8);
		d[2] = (uint8_t)(a >> 16);
	}
}

#if defined(__x86_64__)
/*
 * XRGB8888 / XBGR8888 with SSSE3 (every x86-64 CPU since 2006 but not
 * the baseline, so chosen at run time): one byte shuffle turns four
 * pixels into twelve bytes.  The last group of four and the tail go the
 * portable way (the 16-byte store would write past the row).
 */
__attribute__((target("ssse3"))) static void
convert8888_ssse3(const uint8_t *s, uint32_t n, uint8_t *d, bool bgr)
{
	const __m128i rgb = _mm_setr_epi8(2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13,
					  12, -1, -1, -1, -1);
	const __m128i bgr_ = _mm_setr_epi8(0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13,
					   14, -1, -1, -1, -1);
	const __m128i m = bgr ? bgr_ : rgb;
	uint32_t i = 0;

	for (; i + 8 <= n; i += 4, s += 16, d += 12)
		_mm_storeu_si128(
		    (__m128i *)(void *)d,
		    _mm_shuffle_epi8(
			_mm_loadu_si128((const __m128i *)(const void *)s), m));
	if (bgr)
		convert32(s, n - i, d, rgb_of_xbgr8888);
	else
		convert32(s, n - i, d, rgb_of_xrgb8888);
}

static bool have_ssse3(void)
{
	static int have = -1;

	if (have < 0)
		have = __builtin_cpu_supports("ssse3") ? 1 : 0;
	return have;
}
#endif

/* n pixels of `format` at s, contiguous, to RGB at d. */
static void convert(uint32_t format, const uint8_t *s, uint32_t n, uint8_t *d)
{
	uint32_t i, v;

	switch (format) {
	case FB_XRGB8888:
#if defined(__x86_64__)
		if (have_ssse3()) {
			convert8888_ssse3(s, n, d, false);
			break;
		}
#endif
		convert32(s, n, d, rgb_of_xrgb8888);
		break;
	case FB_XBGR8888:
#if defined(__x86_64__)
		if (have_ssse3()) {
			convert8888_ssse3(s, n, d, true);
			break;
		}
#endif
		convert32(s, n, d, rgb_of_xbgr8888);
		break;
	case FB_RGB565:
		for (i = 0; i < n; i++, s += 2, d += 3) {
			v = (uint32_t)s[0] | (uint32_t)s[1] << 8;
			d[0] = (uint8_t)((v >> 8 & 0xf8) | (v >> 13));
			d[1] = (uint8_t)((v >> 3 & 0xfc) | (v >> 9 & 0x3));
			d[2] = (uint8_t)((v << 3 & 0xf8) | (v >> 2 & 0x7));
		}
		break;
	case FB_XRGB2101010:
		convert32(s, n, d, rgb_of_xrgb2101010);
		break;
	case FB_XBGR2101010:
		convert32(s, n, d, rgb_of_xbgr2101010);
		break;
	}
}

/*
 * Read len bytes at gm in one call; if that fails, page by page, zeroing
 * (black in every format) the pages that fail.  false if any failed.
 */
static bool read_or_zero(fb_read_fn read, void *ctx, uint64_t gm, uint8_t *buf,
			 size_t len)
{
	size_t done = 0, n;
	bool ok = true;

	if (read(ctx, gm, buf, len) == 0)
		return true;
	while (done < len) {
		n = FB_PAGE - (size_t)((gm + done) % FB_PAGE);
		if (n > len - done)
			n = len - done;
		if (read(ctx, gm + done, buf + done, n)) {
			memset(buf + done, 0, n);
			ok = false;
		}
		done += n;
	}
	return ok;
}

static void fill_black(uint8_t *rgb, size_t rgb_stride, uint32_t width,
		       uint32_t height)
{
	for (uint32_t r = 0; r < height; r++)
		memset(rgb + r * rgb_stride, 0, (size_t)width * 3);
}

/* One read per pixel row. */
static int decode_linear(const struct fb_plane *p, unsigned cpp,
			 fb_read_fn read, void *ctx, uint8_t *rgb,
			 size_t rgb_stride)
{
	size_t row_bytes = (size_t)p->width * cpp;
	uint8_t *buf = malloc(row_bytes);
	bool ok = true;
	uint64_t gm;

	if (!buf)
		return -ENOMEM;
	for (uint32_t r = 0; r < p->height; r++) {
		gm = p->surf + (uint64_t)(p->y + r) * p->stride +
		     (uint64_t)p->x * cpp;
		ok &= read_or_zero(read, ctx, gm, buf, row_bytes);
		convert(p->format, buf, p->width, rgb + r * rgb_stride);
	}
	free(buf);
	return ok ? 0 : -EFAULT;
}

/*
 * Gather pixel row `ty` of a row of tiles read into buf (the first tile
 * being tile column tx0), bytes bx0..bx1 of the surface's row, into the
 * linear row at d, one column span at a time.  Inlined for each tiling,
 * so that the divisions are shifts and a whole span one move.
 */
static inline __attribute__((always_inline)) void
detile_row(const struct tile_shape *t, const uint8_t *buf, uint32_t tx0,
	   uint32_t ty, uint32_t bx0, uint32_t bx1, uint8_t *d)
{
	uint32_t bx = bx0, in, n;
	const uint8_t *s;

	while (bx < bx1) {
		in = bx % t->width;
		n = t->span - bx % t->span;
		s = buf + (size_t)(bx / t->width - tx0) * FB_PAGE +
		    in / t->span * (t->span * t->rows) + ty * t->span +
		    in % t->span;
		if (n == t->span && bx1 - bx >= t->span) {
			memcpy(d, s, t->span);
		} else {
			if (n > bx1 - bx)
				n = bx1 - bx;
			memcpy(d, s, n);
		}
		d += n;
		bx += n;
	}
}

static void detile_row_x(const uint8_t *buf, uint32_t tx0, uint32_t ty,
			 uint32_t bx0, uint32_t bx1, uint8_t *d)
{
	detile_row(&tiles[FB_TILED_X], buf, tx0, ty, bx0, bx1, d);
}

static void detile_row_y(const uint8_t *buf, uint32_t tx0, uint32_t ty,
			 uint32_t bx0, uint32_t bx1, uint8_t *d)
{
	detile_row(&tiles[FB_TILED_Y], buf, tx0, ty, bx0, bx1, d);
}

#if defined(__x86_64__)
/*
 * Y-tiled 8888 rows whose ends fall on 16-byte columns, detiled and
 * converted in one pass: each column span is four pixels, one shuffle.
 */
__attribute__((target("ssse3"))) static void
row_y8888_ssse3(const uint8_t *buf, uint32_t tx0, uint32_t ty, uint32_t bx0,
		uint32_t bx1, uint8_t *d, bool bgr)
{
	const __m128i m = bgr ? _mm_setr_epi8(0, 1, 2, 4, 5, 6, 8, 9, 10, 12,
					      13, 14, -1, -1, -1, -1)
			      : _mm_setr_epi8(2, 1, 0, 6, 5, 4, 10, 9, 8, 14,
					      13, 12, -1, -1, -1, -1);
	uint8_t last[16];
	__m128i v;

	for (uint32_t bx = bx0; bx < bx1; bx += 16, d += 12) {
		const uint8_t *s = buf + (size_t)(bx / 128 - tx0) * FB_PAGE +
				   (bx % 128) / 16 * 512 + ty * 16;

		v = _mm_shuffle_epi8(
		    _mm_loadu_si128((const __m128i *)(const void *)s), m);
		if (bx + 16 < bx1) { /* the next span overwrites the 4 extra */
			_mm_storeu_si128((__m128i *)(void *)d, v);
		} else {
			_mm_storeu_si128((__m128i *)(void *)last, v);
			memcpy(d, last, 12);
		}
	}
}
#endif

static bool fused_y8888(const struct fb_plane *p, uint32_t bx0, uint32_t bx1)
{
#if defined(__x86_64__)
	return p->tiling == FB_TILED_Y &&
	       (p->format == FB_XRGB8888 || p->format == FB_XBGR8888) &&
	       bx0 % 16 == 0 && bx1 % 16 == 0 && have_ssse3();
#else
	(void)p, (void)bx0, (void)bx1;
	return false;
#endif
}

/* One read per row of tiles, of the tiles under x .. x + width. */
static int decode_tiled(const struct fb_plane *p, unsigned cpp, fb_read_fn read,
			void *ctx, uint8_t *rgb, size_t rgb_stride)
{
	const struct tile_shape *t = &tiles[p->tiling];
	uint32_t bx0 = p->x * cpp, bx1 = (p->x + p->width) * cpp;
	uint32_t tx0 = bx0 / t->width, ntiles = (bx1 - 1) / t->width + 1 - tx0;
	size_t len = (size_t)ntiles * FB_PAGE;
	uint32_t sy = p->y, y1 = p->y + p->height, ty, n;
	uint8_t *buf = malloc(len + (bx1 - bx0));
	uint8_t *row = buf + len;
	bool ok = true, fused = fused_y8888(p, bx0, bx1);
	uint64_t gm;

	if (!buf)
		return -ENOMEM;
	while (sy < y1) {
		ty = sy % t->rows;
		n = t->rows - ty;
		if (n > y1 - sy)
			n = y1 - sy;
		gm = p->surf + (uint64_t)(sy / t->rows) * p->stride * t->rows +
		     (uint64_t)tx0 * FB_PAGE;
		ok &= read_or_zero(read, ctx, gm, buf, len);
		for (uint32_t i = 0; i < n; i++) {
#if defined(__x86_64__)
			if (fused) {
				row_y8888_ssse3(buf, tx0, ty + i, bx0, bx1,
						rgb + (size_t)(sy - p->y + i) *
							  rgb_stride,
						p->format == FB_XBGR8888);
				continue;
			}
#endif
			(p->tiling == FB_TILED_X ? detile_row_x : detile_row_y)(
			    buf, tx0, ty + i, bx0, bx1, row);
			convert(p->format, row, p->width,
				rgb + (size_t)(sy - p->y + i) * rgb_stride);
		}
		sy += n;
	}
	free(buf);
	return ok ? 0 : -EFAULT;
}

int fb_decode(const struct fb_plane *p, fb_read_fn read, void *ctx,
	      uint8_t *rgb, size_t rgb_stride)
{
	unsigned cpp;
	int rc;

	if (!p || !rgb || p->width == 0 || p->width > FB_MAX_DIM ||
	    p->height == 0 || p->height > FB_MAX_DIM ||
	    rgb_stride < (size_t)p->width * 3)
		return -EINVAL;
	rc = read ? fb_plane_check(p) : -EINVAL;
	if (rc == 0) {
		cpp = fb_format_cpp(p->format);
		if (p->tiling == FB_LINEAR)
			rc = decode_linear(p, cpp, read, ctx, rgb, rgb_stride);
		else
			rc = decode_tiled(p, cpp, read, ctx, rgb, rgb_stride);
	}
	if (rc && rc != -EFAULT)
		fill_black(rgb, rgb_stride, p->width, p->height);
	return rc;
}

int fb_cursor_from_regs(uint32_t cur_ctl, uint32_t cur_pos, uint32_t cur_base,
			struct fb_cursor *out)
{
	struct fb_cursor c = {0};
	int32_t mag;

	switch (CUR_MODE(cur_ctl)) {
	case CUR_MODE_OFF:
		return -ENODEV;
	case CUR_MODE_64_ARGB:
		c.size = 64;
		break;
	case CUR_MODE_128_ARGB:
		c.size = 128;
		break;
	case CUR_MODE_256_ARGB:
		c.size = 256;
		break;
	default:
		return -EINVAL;
	}
	if (cur_ctl & CUR_ROTATE_180)
		return -EOPNOTSUPP;
	mag = (int32_t)(cur_pos & CUR_POS_MAG);
	c.x = cur_pos & CUR_POS_X_SIGN ? -mag : mag;
	mag = (int32_t)(cur_pos >> 16 & CUR_POS_MAG);
	c.y = cur_pos & CUR_POS_Y_SIGN ? -mag : mag;
	c.base = cur_base & SURF_MASK;
	*out = c;
	return 0;
}

static int cursor_check(const struct fb_cursor *c)
{
	if (c->size != 64 && c->size != 128 && c->size != 256)
		return -EINVAL;
	if (c->base % FB_PAGE || c->base >= FB_GM_LIMIT ||
	    (uint64_t)c->size * c->size * 4 > FB_GM_LIMIT - c->base)
		return -EINVAL;
	return 0;
}

/* Premultiplied "over": s is B, G, R, A. */
static void blend_px(uint8_t *d, const uint8_t *s)
{
	uint32_t inv = 255u - s[3], v;

	for (int ch = 0; ch < 3; ch++) {
		v = s[2 - ch] + (d[ch] * inv + 127) / 255;
		d[ch] = (uint8_t)(v > 255 ? 255 : v);
	}
}

int fb_cursor_blend(const struct fb_cursor *c, fb_read_fn read, void *ctx,
		    uint8_t *rgb, size_t rgb_stride, uint32_t width,
		    uint32_t height)
{
	uint8_t buf[256 * 4];
	int64_t x0, x1, y0, y1;
	uint64_t gm;
	bool ok = true;

	if (!c || !read || !rgb || cursor_check(c) || width == 0 ||
	    width > FB_MAX_DIM || height == 0 || height > FB_MAX_DIM ||
	    rgb_stride < (size_t)width * 3)
		return -EINVAL;
	x0 = c->x < 0 ? 0 : c->x;
	y0 = c->y < 0 ? 0 : c->y;
	x1 = (int64_t)c->x + c->size;
	y1 = (int64_t)c->y + c->size;
	if (x1 > width)
		x1 = width;
	if (y1 > height)
		y1 = height;
	if (x0 >= x1 || y0 >= y1)
		return 0;
	/* A row of 256, 512 or 1024 bytes never crosses a page. */
	for (int64_t y = y0; y < y1; y++) {
		size_t n = (size_t)(x1 - x0);
		uint8_t *d = rgb + (size_t)y * rgb_stride + (size_t)x0 * 3;

		gm = c->base + (uint64_t)(y - c->y) * c->size * 4 +
		     (uint64_t)(x0 - c->x) * 4;
		if (read(ctx, gm, buf, n * 4)) {
			ok = false;
			continue;
		}
		for (size_t i = 0; i < n; i++)
			blend_px(d + 3 * i, buf + 4 * i);
	}
	return ok ? 0 : -EFAULT;
}

int fb_cursor_read(const struct fb_cursor *c, fb_read_fn read, void *ctx,
		   uint8_t *argb)
{
	size_t row;
	bool ok = true;

	if (!c || !read || !argb || cursor_check(c))
		return -EINVAL;
	row = (size_t)c->size * 4;
	for (uint32_t y = 0; y < c->size; y++) {
		uint8_t *d = argb + y * row;

		if (read(ctx, c->base + y * row, d, row)) {
			memset(d, 0, row);
			ok = false;
		}
	}
	return ok ? 0 : -EFAULT;
}
