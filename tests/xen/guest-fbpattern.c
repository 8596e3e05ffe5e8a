/* SPDX-License-Identifier: MIT */
/*
 * guest-fbpattern - check-xen's picture on the guest's console, for the
 * daemon's screenshot to be compared with (static, in the guest's
 * initramfs).
 *
 *   guest-fbpattern HOLD_SECONDS
 *
 * Puts the console in graphics mode (KD_GRAPHICS on /dev/tty0: fbcon
 * stops drawing, its cursor stops blinking), writes fbpattern.h's
 * picture into /dev/fb0 through its mmap (the aperture, with i915's
 * fbdev), prints "XENGT-SHOT fb0 W H" for dom0 to take the screenshot,
 * holds the picture HOLD_SECONDS, then gives the console back.
 * Exit 0, or 1 with the reason on stderr.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/fb.h>
#include <linux/kd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fbpattern.h"

static int fail(const char *what)
{
	fprintf(stderr, "guest-fbpattern: %s: %s\n", what, strerror(errno));
	return 1;
}

int main(int argc, char **argv)
{
	struct fb_var_screeninfo var;
	struct fb_fix_screeninfo fix;
	int hold = argc > 1 ? atoi(argv[1]) : 10, fb, tty;
	uint8_t *mem;

	fb = open("/dev/fb0", O_RDWR);
	if (fb < 0)
		return fail("/dev/fb0");
	if (ioctl(fb, FBIOGET_VSCREENINFO, &var) < 0 ||
	    ioctl(fb, FBIOGET_FSCREENINFO, &fix) < 0)
		return fail("FBIOGET_*SCREENINFO");
	if (var.bits_per_pixel != 32 || var.red.offset != 16 ||
	    var.green.offset != 8 || var.blue.offset != 0) {
		fprintf(stderr,
			"guest-fbpattern: fb0 is %u bpp, red at %u: not "
			"XRGB8888\n",
			var.bits_per_pixel, var.red.offset);
		return 1;
	}
	mem = mmap(NULL, fix.smem_len, PROT_READ | PROT_WRITE, MAP_SHARED, fb,
		   0);
	if (mem == MAP_FAILED)
		return fail("mmap /dev/fb0");
	tty = open("/dev/tty0", O_RDWR);
	if (tty < 0 || ioctl(tty, KDSETMODE, KD_GRAPHICS) < 0)
		return fail("KDSETMODE KD_GRAPHICS on /dev/tty0");
	for (uint32_t y = 0; y < var.yres; y++) {
		uint32_t *row = (uint32_t *)(mem + (size_t)(y + var.yoffset) *
							fix.line_length) +
				var.xoffset;

		for (uint32_t x = 0; x < var.xres; x++)
			row[x] = fbpattern(x, y, 0);
	}
	printf("XENGT-SHOT fb0 %u %u\n", var.xres, var.yres);
	fflush(stdout);
	sleep((unsigned)hold);
	if (ioctl(tty, KDSETMODE, KD_TEXT) < 0)
		return fail("KDSETMODE KD_TEXT on /dev/tty0");
	return 0;
}
