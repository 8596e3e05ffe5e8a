/* SPDX-License-Identifier: MIT */
/*
 * fbpattern.h - the picture the guest writes to /dev/fb0 in check-xen
 * (guest-fbpattern.c) and dom0 expects in the daemon's screenshot
 * (fbcheck.c): every pixel a function of its position, so a pixel out of
 * place, a row off by one or a swapped channel shows.
 */
#ifndef XENGT_TESTS_XEN_FBPATTERN_H
#define XENGT_TESTS_XEN_FBPATTERN_H

#include <stdint.h>

/*
 * 0x00RRGGBB at (x, y) of picture `seed`: 0 is /dev/fb0's, 1 and 2 the
 * libdrm program's two dumb buffers (guest-drmflip.c).
 */
static inline uint32_t fbpattern(uint32_t x, uint32_t y, uint32_t seed)
{
	uint32_t r = ((x ^ y) + seed * 85) & 0xff, g = ((x >> 2) ^ seed) & 0xff,
		 b = (y * 3 + (x >> 8) + seed * 40) & 0xff;

	return r << 16 | g << 8 | b;
}

#endif
