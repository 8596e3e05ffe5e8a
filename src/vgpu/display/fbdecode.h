/* SPDX-License-Identifier: MIT */
/*
 * fbdecode.h - a guest's scanout surface turned into 8-bit RGB: the plane
 * and cursor as their Gen9 registers describe them, and the decoders that
 * read graphics memory (GM) through a caller's callback.
 *
 * Pure: no Xen, no device state.  The caller translates GM addresses to
 * guest pages in `read`; everything here treats the registers and the
 * memory as hostile.  Register fields, units and tile layouts:
 * the header of fbdecode.c.
 */
#ifndef XENGT_VGPU_DISPLAY_FBDECODE_H
#define XENGT_VGPU_DISPLAY_FBDECODE_H

#include <stddef.h>
#include <stdint.h>

/* Bounds on what a guest may ask us to decode. */
#define FB_MAX_DIM 8192u		/* width, height, in pixels */
#define FB_MAX_STRIDE (512u * 1024)	/* bytes; PLANE_STRIDE's largest */
#define FB_GM_LIMIT (UINT64_C(1) << 32) /* Gen9 GGTT: 4 GiB of GM */
#define FB_PAGE 4096u

enum fb_format {
	FB_XRGB8888,	/* 32-bit LE word X:R:G:B (bytes B, G, R, X) */
	FB_XBGR8888,	/* X:B:G:R (bytes R, G, B, X) */
	FB_RGB565,	/* 16-bit LE R 15:11, G 10:5, B 4:0 */
	FB_XRGB2101010, /* X 31:30, R 29:20, G 19:10, B 9:0 */
	FB_XBGR2101010, /* X 31:30, B 29:20, G 19:10, R 9:0 */
	FB_NFORMATS
};

enum fb_tiling {
	FB_LINEAR,
	FB_TILED_X, /* 4 KiB tiles of 512 bytes x 8 rows */
	FB_TILED_Y, /* legacy Y: 128 bytes x 32 rows, in 16-byte columns */
	FB_NTILINGS
};

/* What the display block latches from a universal plane's registers. */
struct fb_plane {
	uint64_t surf;	 /* GM address of the surface, 4 KiB aligned */
	uint32_t format; /* enum fb_format */
	uint32_t tiling; /* enum fb_tiling */
	/*
	 * Bytes from the start of one pixel row of the surface to the next,
	 * whatever the tiling (the register's value times its unit).  Tiled:
	 * a multiple of the tile's width; a row of tiles then spans
	 * stride * tile height bytes.
	 */
	uint32_t stride;
	uint32_t width, height; /* pixels shown */
	uint32_t x, y; /* PLANE_OFFSET: first pixel inside the surface */
};

/* The Gen9 hardware cursor: a square ARGB8888 image, linear. */
struct fb_cursor {
	uint64_t base; /* GM address, 4 KiB aligned */
	uint32_t size; /* 64, 128 or 256 pixels square; stride size * 4 */
	int32_t x, y;  /* the image's top left on the pipe; may be negative */
};

/*
 * Read len bytes of GM at gm into buf: 0, or negative when any of it is
 * not readable (buf's contents are then ignored).
 */
typedef int (*fb_read_fn)(void *ctx, uint64_t gm, void *buf, size_t len);

/*
 * A universal plane's PLANE_CTL, PLANE_STRIDE, PLANE_SIZE, PLANE_OFFSET
 * and PLANE_SURF as the guest wrote them: 0; -ENODEV when the plane is
 * off; -EINVAL for an unknown format or a reserved tiling; -EOPNOTSUPP
 * for what is valid but not decoded here (Yf tiling, render compression,
 * rotation, horizontal flip, the YUV and indexed formats).  `out` is
 * filled only on success.
 */
int fb_plane_from_regs(uint32_t plane_ctl, uint32_t stride_reg,
		       uint32_t size_reg, uint32_t offset_reg, uint32_t surf,
		       struct fb_plane *out);

/*
 * 0 if p describes a surface the decoder accepts: a known format and
 * tiling, 1..FB_MAX_DIM pixels each way, a stride holding x + width pixels
 * (a whole number of tiles when tiled, at most FB_MAX_STRIDE) and
 * everything from surf to the last byte read below FB_GM_LIMIT; -EINVAL
 * otherwise.
 */
int fb_plane_check(const struct fb_plane *p);

/* Bytes per pixel of a format; 0 for an unknown one. */
unsigned fb_format_cpp(uint32_t format);

/*
 * Decode p->width x p->height pixels into rgb (3 bytes a pixel, R G B;
 * row r at rgb + r * rgb_stride).  Reads GM one pixel row at a time when
 * linear, one row of tiles at a time when tiled, and page by page only
 * where such a read failed.
 *
 * 0; -EFAULT when some reads failed (their pixels are black, the rest
 * decoded); -EINVAL when fb_plane_check refuses p (all black).  The
 * output is written only when width and height are 1..FB_MAX_DIM and
 * rgb_stride >= 3 * width; otherwise -EINVAL and nothing is touched.
 */
int fb_decode(const struct fb_plane *p, fb_read_fn read, void *ctx,
	      uint8_t *rgb, size_t rgb_stride);

/*
 * CUR_CTL, CUR_POS and CUR_BASE: 0; -ENODEV when the cursor is off;
 * -EINVAL for a mode other than the three ARGB ones; -EOPNOTSUPP when
 * rotated 180 degrees.
 */
int fb_cursor_from_regs(uint32_t cur_ctl, uint32_t cur_pos, uint32_t cur_base,
			struct fb_cursor *out);

/*
 * Blend c (premultiplied alpha, as DRM's default blend mode has it) onto
 * an RGB image of width x height, clipped to it.  Reads one visible
 * cursor row at a time.  0; -EFAULT when some rows could not be read
 * (the image under them is left as it was); -EINVAL for a bad cursor or
 * image (nothing touched).
 */
int fb_cursor_blend(const struct fb_cursor *c, fb_read_fn read, void *ctx,
		    uint8_t *rgb, size_t rgb_stride, uint32_t width,
		    uint32_t height);

/*
 * The whole cursor image as it is in memory: size x size pixels of
 * premultiplied ARGB8888, bytes B G R A, into argb (size * size * 4
 * bytes).  0; -EFAULT when some rows could not be read (they are
 * transparent); -EINVAL for a bad cursor (nothing touched).
 */
int fb_cursor_read(const struct fb_cursor *c, fb_read_fn read, void *ctx,
		   uint8_t *argb);

#endif
