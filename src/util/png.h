/* SPDX-License-Identifier: MIT */
/*
 * png.h - 8-bit RGB pictures written as PNG files (libpng), for the
 * daemon's screenshots.
 *
 * The functions are named pngfile_* because libpng owns the png_ prefix.
 */
#ifndef XENGT_UTIL_PNG_H
#define XENGT_UTIL_PNG_H

#include <stddef.h>
#include <stdint.h>

/* The largest width or height written. */
#define PNGFILE_MAX_DIM 16384u

/*
 * Write width x height pixels, 3 bytes each (R, G, B), row r starting at
 * rgb + r * stride, to fd as one PNG (fd is left open, at the end of the
 * file).  0, or a negative errno with a one-line reason in `why`
 * (NUL-terminated, truncated to whylen; why may be NULL): -EINVAL for a
 * NULL picture, a size of 0 or above PNGFILE_MAX_DIM, or stride below
 * 3 * width; the errno of a failing write(2); -ENOMEM; -EIO for any
 * other libpng failure.
 */
int pngfile_write_fd(int fd, const uint8_t *rgb, uint32_t width,
		     uint32_t height, size_t stride, char *why, size_t whylen);

/*
 * The same into a file created or truncated at path (mode 0644 less the
 * umask); on any failure the file is removed.  Also the errno of
 * open(2) or close(2).
 */
int pngfile_write_path(const char *path, const uint8_t *rgb, uint32_t width,
		       uint32_t height, size_t stride, char *why,
		       size_t whylen);

#endif
