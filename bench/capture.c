/* SPDX-License-Identifier: MIT */
/*
 * capture.c - fb_decode timed against memcpy on one frame in memory.
 * The frame's bytes are arbitrary: what is measured is the walk through
 * the tiles and the conversion, not the picture.
 */
#include "capture.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vgpu/display/fbdecode.h"

struct frame {
	const uint8_t *mem;
	size_t len;
};

static int frame_read(void *ctx, uint64_t gm, void *buf, size_t len)
{
	const struct frame *f = ctx;

	if (gm > f->len || len > f->len - gm)
		return -EFAULT;
	memcpy(buf, f->mem + gm, len);
	return 0;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static uint64_t median(uint64_t *v, unsigned n)
{
	qsort(v, n, sizeof(*v), cmp_u64);
	return v[n / 2];
}

int fb_bench_capture(uint32_t tiling, unsigned frames, uint64_t *decode_ns,
		     uint64_t *memcpy_ns)
{
	/* Y tiles are 32 rows: 1080 rows need 34 rows of tiles. */
	const size_t len = (size_t)FB_BENCH_WIDTH * 4 * 1088;
	struct fb_plane p = {.format = FB_XRGB8888,
			     .tiling = tiling,
			     .stride = FB_BENCH_WIDTH * 4,
			     .width = FB_BENCH_WIDTH,
			     .height = FB_BENCH_HEIGHT};
	uint8_t *mem = NULL, *copy = NULL, *rgb = NULL;
	uint64_t *td = NULL, *tc = NULL, t;
	struct frame f;
	int rc = -ENOMEM;

	if (tiling >= FB_NTILINGS || frames == 0 || !decode_ns || !memcpy_ns)
		return -EINVAL;
	mem = malloc(len);
	copy = malloc(len);
	rgb = malloc((size_t)FB_BENCH_WIDTH * 3 * FB_BENCH_HEIGHT);
	td = calloc(frames, sizeof(*td));
	tc = calloc(frames, sizeof(*tc));
	if (!mem || !copy || !rgb || !td || !tc)
		goto out;
	for (size_t i = 0; i < len; i++)
		mem[i] = (uint8_t)(i * 2654435761u >> 24);
	f.mem = mem;
	f.len = len;
	for (unsigned i = 0; i < frames; i++) {
		t = now_ns();
		rc = fb_decode(&p, frame_read, &f, rgb,
			       (size_t)FB_BENCH_WIDTH * 3);
		td[i] = now_ns() - t;
		if (rc)
			goto out;
		t = now_ns();
		memcpy(copy, mem, (size_t)FB_BENCH_WIDTH * 4 * FB_BENCH_HEIGHT);
		tc[i] = now_ns() - t;
	}
	*decode_ns = median(td, frames);
	*memcpy_ns = median(tc, frames);
	/* keep the copy observable */
	rc = copy[len / 2] == mem[len / 2] ? 0 : -EIO;
out:
	free(mem);
	free(copy);
	free(rgb);
	free(td);
	free(tc);
	return rc;
}
