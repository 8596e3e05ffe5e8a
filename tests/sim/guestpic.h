/* SPDX-License-Identifier: MIT */
/*
 * guestpic.h - a picture a simulated guest scans out, and the check that
 * a PNG holds exactly it (guestpic.c): for the screenshot and VNC tests.
 *
 * The guest binds GM 0x08000000 (GVTg_V5_4's mappable slice) to a page
 * of its RAM, writes rows 1.. of a 64x16 XRGB8888 pattern into the page
 * and row 0 through the aperture (with no sync point after it), and
 * enables pipe A's primary plane on it.
 */
#ifndef XENGT_TESTS_SIM_GUESTPIC_H
#define XENGT_TESTS_SIM_GUESTPIC_H

#include <stdint.h>

#include "harness.h"

#define GUESTPIC_W 64u
#define GUESTPIC_H 16u

/* The pattern's pixel, 0x00RRGGBB. */
uint32_t guestpic_pixel(unsigned x, unsigned y);

/* Draw it and turn the plane on (live from pipe A's next vblank). */
void guestpic_draw(struct harness *h, struct xsim_vcpu *v);

/*
 * The PNG at path is W x H and its R, G, B hold the pattern (alpha is not
 * looked at): "" or what differs.
 */
const char *guestpic_png_differs(const char *path);

#endif
