/* SPDX-License-Identifier: MIT */
/*
 * capture.h - the measurement behind "capture a 1920x1080 XRGB8888 frame
 * to RGB, as a ratio to memcpy": fb_decode over a frame in memory, timed
 * against memcpy of the same bytes, for the bench to call.
 */
#ifndef XENGT_BENCH_CAPTURE_H
#define XENGT_BENCH_CAPTURE_H

#include <stdint.h>

#define FB_BENCH_WIDTH 1920u
#define FB_BENCH_HEIGHT 1080u

/*
 * Decode a 1920x1080 XRGB8888 frame laid out in `tiling` (enum fb_tiling)
 * `frames` times, and memcpy its 4-byte pixels as many times: the median
 * nanoseconds of one frame of each.  The read callback copies from the
 * frame in memory, as a mapped guest page would be read.  0, -EINVAL
 * (bad tiling, no frames), -ENOMEM.
 */
int fb_bench_capture(uint32_t tiling, unsigned frames, uint64_t *decode_ns,
		     uint64_t *memcpy_ns);

#endif
