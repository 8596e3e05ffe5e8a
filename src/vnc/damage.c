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

void vnc_row_hashes(const uint8_t *rgb, size_t rgb_stride, uint32_t width,
		    uint32_t height, uint64_t *hash)
{
	size_t n = (size_t)width * 3;

	for (uint32_t y = 0; y < height; y++) {
		const uint8_t *p = rgb + y * rgb_stride;
		uint64_t h = 0x9e3779b97f4a7c15ull ^ n, w;
		size_t i = 0;

		for (; i + 8 <= n; i += 8) {
			memcpy(&w, p + i, 8);
			h = (h ^ w) * 0xff51afd7ed558ccdull;
			h ^= h >> 32;
		}
		for (; i < n; i++)
			h = (h ^ p[i]) * 0x100000001b3ull;
		hash[y] = h ^ h >> 29;
	}
}

int vnc_scroll_detect(const uint64_t *prev, const uint64_t *next,
		      uint32_t height)
{
	int best = 0, limit = (int)(height / 2), h = (int)height;
	unsigned best_n = 0;
	bool any = false;

	for (int y = 0; y < h && !any; y++)
		any = next[y] != prev[y];
	if (!any)
		return 0;
	for (int k = -limit + 1; k < limit; k++) {
		unsigned n = 0;

		if (!k)
			continue;
		for (int y = k > 0 ? 0 : -k; y < h && y + k < h; y++)
			n += next[y] == prev[y + k] && next[y] != prev[y];
		if (n > best_n) {
			best_n = n;
			best = k;
		}
	}
	return best_n >= VNC_SCROLL_MIN_ROWS ? best : 0;
}
