/* SPDX-License-Identifier: MIT */
/*
 * png.c - RGB to PNG through libpng's write API: our own write callback
 * (so a failing write(2) reports its errno), errors caught with libpng's
 * longjmp in a function that keeps nothing live across it, and the
 * fastest zlib level (a screenshot is taken while a guest runs; size
 * matters less than time).
 *
 * Sources (facts only): libpng 1.6 manual (libpng-manual.txt: the write
 * sequence png_create_write_struct / png_set_IHDR / png_write_info /
 * png_write_row / png_write_end, png_set_write_fn, png_set_error_fn and
 * png_jmpbuf semantics, png_set_compression_level).
 */
#include "util/png.h"

#include <errno.h>
#include <fcntl.h>
#include <png.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define FAST_ZLIB_LEVEL 1

struct writer {
	int fd;
	int err; /* errno of a failing write(2), or 0 */
	char msg[96];
};

static void say(char *why, size_t whylen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void say(char *why, size_t whylen, const char *fmt, ...)
{
	va_list ap;

	if (!why || !whylen)
		return;
	va_start(ap, fmt);
	vsnprintf(why, whylen, fmt, ap);
	va_end(ap);
}

static void on_error(png_structp png, png_const_charp msg)
{
	struct writer *w = png_get_error_ptr(png);

	snprintf(w->msg, sizeof(w->msg), "%s", msg);
	png_longjmp(png, 1);
}

static void on_warning(png_structp png, png_const_charp msg)
{
	(void)png;
	(void)msg;
}

static void on_write(png_structp png, png_bytep data, size_t len)
{
	struct writer *w = png_get_io_ptr(png);
	ssize_t n;

	while (len) {
		n = write(w->fd, data, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			w->err = n < 0 ? errno : EIO;
			png_error(png, "write failed");
		}
		data += n;
		len -= (size_t)n;
	}
}

static void on_flush(png_structp png)
{
	(void)png;
}

/* The whole encode; -1 when libpng (or our write) gave up. */
static int encode(png_structp png, png_infop info, const uint8_t *rgb,
		  uint32_t width, uint32_t height, size_t stride)
{
	if (setjmp(png_jmpbuf(png)))
		return -1;
	png_set_IHDR(png, info, width, height, 8, PNG_COLOR_TYPE_RGB,
		     PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
		     PNG_FILTER_TYPE_DEFAULT);
	png_set_compression_level(png, FAST_ZLIB_LEVEL);
	png_write_info(png, info);
	for (uint32_t r = 0; r < height; r++)
		png_write_row(png, rgb + (size_t)r * stride);
	png_write_end(png, NULL);
	return 0;
}

int pngfile_write_fd(int fd, const uint8_t *rgb, uint32_t width,
		     uint32_t height, size_t stride, char *why, size_t whylen)
{
	struct writer w = {.fd = fd};
	png_structp png;
	png_infop info;
	int rc;

	if (!rgb || width == 0 || width > PNGFILE_MAX_DIM || height == 0 ||
	    height > PNGFILE_MAX_DIM || stride < (size_t)width * 3) {
		say(why, whylen, "png: bad picture");
		return -EINVAL;
	}
	png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &w, on_error,
				      on_warning);
	info = png ? png_create_info_struct(png) : NULL;
	if (!info) {
		png_destroy_write_struct(&png, NULL);
		say(why, whylen, "png: %s", strerror(ENOMEM));
		return -ENOMEM;
	}
	png_set_write_fn(png, &w, on_write, on_flush);
	rc = encode(png, info, rgb, width, height, stride);
	png_destroy_write_struct(&png, &info);
	if (rc == 0)
		return 0;
	if (w.err) {
		say(why, whylen, "png: write: %s", strerror(w.err));
		return -w.err;
	}
	say(why, whylen, "png: libpng: %s", w.msg);
	return strstr(w.msg, "memory") ? -ENOMEM : -EIO;
}

int pngfile_write_path(const char *path, const uint8_t *rgb, uint32_t width,
		       uint32_t height, size_t stride, char *why, size_t whylen)
{
	int fd, rc;

	if (!path) {
		say(why, whylen, "png: no path");
		return -EINVAL;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		rc = -errno;
		say(why, whylen, "png: %s: %s", path, strerror(-rc));
		return rc;
	}
	rc = pngfile_write_fd(fd, rgb, width, height, stride, why, whylen);
	if (close(fd) && rc == 0) {
		rc = -errno;
		say(why, whylen, "png: %s: %s", path, strerror(-rc));
	}
	if (rc)
		unlink(path);
	return rc;
}
