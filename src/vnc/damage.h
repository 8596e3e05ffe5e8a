/* SPDX-License-Identifier: MIT */
/*
 * damage.h - what changed between two frames (damage.c): a new picture
 * (8-bit RGB, the capture's format) is copied into the VNC framebuffer
 * (4 bytes a pixel: R G B 0xff) tile by tile, and only the tiles whose
 * pixels differ are reported, as rectangles, merged along each row of
 * tiles.  A screen that did not change sends nothing.
 */
#ifndef XENGT_VNC_DAMAGE_H
#define XENGT_VNC_DAMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VNC_TILE 32 /* pixels square */

struct vnc_rect {
	uint32_t x, y, w, h;
};

typedef void vnc_mark_fn(void *ctx, const struct vnc_rect *r);

/*
 * Copy width x height pixels of rgb into fb (both that size), calling
 * mark for each run of changed tiles.  Returns the number of tiles that
 * changed.
 */
unsigned vnc_damage_copy(uint8_t *fb, size_t fb_stride, const uint8_t *rgb,
			 size_t rgb_stride, uint32_t width, uint32_t height,
			 vnc_mark_fn *mark, void *ctx);

/*
 * Scrolls: hash each pixel row of a picture (width * 3 bytes) into
 * hash[0..height), and compare two frames' row hashes.  The vertical
 * shift that explains the most changed rows of next (next row y equal to
 * prev row y + k), if it explains at least VNC_SCROLL_MIN_ROWS of them:
 * k > 0 when the content moved up by k rows, k < 0 when it moved down,
 * 0 when no shift does.  |k| < height / 2.
 */
#define VNC_SCROLL_MIN_ROWS 8
void vnc_row_hashes(const uint8_t *rgb, size_t rgb_stride, uint32_t width,
		    uint32_t height, uint64_t *hash);
int vnc_scroll_detect(const uint64_t *prev, const uint64_t *next,
		      uint32_t height);

/* Fill pixels of fb with opaque black; true if any pixel was not. */
bool vnc_fb_black(uint8_t *fb, size_t pixels);

#endif
