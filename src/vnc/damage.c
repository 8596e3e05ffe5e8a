/* SPDX-License-Identifier: MIT */
/*
 * damage.c - what changed between two frames (damage.h).
 *
 * Each tile row of the picture is converted into a scratch row and
 * compared with the framebuffer's; a tile is dirty as soon as one of its
 * rows differs, and only dirty rows are written.  Dirty tiles next to each
 * other in a tile row make one rectangle.
 */
#include "vnc/damage.h"

#include <string.h>

static void to_rgbx(uint8_t *d, const uint8_t *s, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++, d += 4, s += 3) {
		d[0] = s[0];
		d[1] = s[1];
		d[2] = s[2];
		d[3] = 0xff; /* opaque, for viewers that keep the pad as alpha */
	}
}

unsigned vnc_damage_copy(uint8_t *fb, size_t fb_stride, const uint8_t *rgb,
			 size_t rgb_stride, uint32_t width, uint32_t height,
			 vnc_mark_fn *mark, void *ctx)
{
	uint8_t row[VNC_TILE * 4];
	unsigned changed = 0;

	for (uint32_t ty = 0; ty < height; ty += VNC_TILE) {
		uint32_t th = height - ty < VNC_TILE ? height - ty : VNC_TILE;
		struct vnc_rect run = {0, ty, 0, th};

		for (uint32_t tx = 0; tx < width; tx += VNC_TILE) {
			uint32_t tw = width - tx < VNC_TILE ? width - tx
							    : VNC_TILE;
			bool dirty = false;

			for (uint32_t y = ty; y < ty + th; y++) {
				uint8_t *d = fb + y * fb_stride + tx * 4;

				to_rgbx(row, rgb + y * rgb_stride + tx * 3, tw);
				if (memcmp(d, row, tw * 4u)) {
					memcpy(d, row, tw * 4u);
					dirty = true;
				}
			}
			if (!dirty) {
				if (run.w && mark)
					mark(ctx, &run);
				run.w = 0;
				continue;
			}
			changed++;
			if (!run.w)
				run.x = tx;
			run.w = tx + tw - run.x;
		}
		if (run.w && mark)
			mark(ctx, &run);
	}
	return changed;
}

bool vnc_fb_black(uint8_t *fb, size_t pixels)
{
	static const uint8_t black[4] = {0, 0, 0, 0xff};
	bool changed = false;

	for (size_t i = 0; i < pixels; i++, fb += 4)
		if (memcmp(fb, black, 4)) {
			memcpy(fb, black, 4);
			changed = true;
		}
	return changed;
}
