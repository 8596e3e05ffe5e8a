/* SPDX-License-Identifier: MIT */
/*
 * bench-vnc: what the VNC server sends per frame, with damage tracking.
 *
 * The server (src/vnc) runs in this process on a UNIX socket with a
 * libvncclient viewer asking for CopyRect and ZRLE, as gtk-vnc viewers do.  The frames
 * are a 1024x768 text console: 16-pixel rows of glyph-like cells, black
 * around them.  Measured, in bytes the server sent per frame:
 *
 *   full     the first frame (everything is new)
 *   idle     the same console handed over 60 times
 *   scroll   30 one-line scrolls: every row moves up 16 pixels and a new
 *            line appears at the bottom, as fbcon does
 *
 * Without damage tracking every frame would cost `full`.  Bytes, not
 * time, so no baseline run is needed: the ratio printed is against the
 * full frame of the same run.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rfb/rfbclient.h>

#include "vgpu/display/capture.h"
#include "vnc/vnc.h"

#define W 1024u
#define H 768u
#define LINE 16u /* pixel rows of one text line */
#define COLS (W / 8u)
#define ROWS (H / LINE)

static struct vnc_server *srv;
static uint8_t console[ROWS][COLS]; /* a character per cell; 0 is blank */

static void quiet(const char *fmt, ...)
{
	(void)fmt;
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* A line of text: words of 2..9 characters, up to 80 columns. */
static void fill_line(unsigned row, unsigned seed)
{
	unsigned n = 20 + seed * 7 % 60;

	memset(console[row], 0, COLS);
	for (unsigned c = 0; c < n; c++)
		console[row][c] = (c + seed) % 7 == 6 ? 0 : (uint8_t)(33 + (c * 13 + seed) % 90);
}

/* A glyph-like 8x16 cell: a fixed bit pattern per character. */
static bool glyph_bit(uint8_t ch, unsigned x, unsigned y)
{
	uint32_t h = ch * 2654435761u ^ (y * 40503u);

	return y > 2 && y < 14 && x < 7 && (h >> (x + 3)) & 1;
}

static void render(struct vgpu_picture *pic)
{
	pic->width = W;
	pic->height = H;
	pic->stride = W * 3;
	pic->rgb = calloc(H, pic->stride);
	if (!pic->rgb)
		exit(1);
	for (unsigned r = 0; r < ROWS; r++)
		for (unsigned c = 0; c < COLS; c++) {
			if (!console[r][c])
				continue;
			for (unsigned y = 0; y < LINE; y++)
				for (unsigned x = 0; x < 8; x++)
					if (glyph_bit(console[r][c], x, y))
						memset(pic->rgb +
							   (r * LINE + y) *
							       pic->stride +
							   (c * 8 + x) * 3,
						       0xaa, 3);
		}
}

static void put(void)
{
	struct vgpu_picture pic = {0};

	render(&pic);
	vnc_server_put_frame(srv, &pic, NULL);
	vgpu_picture_free(&pic);
}

static void pump(rfbClient *c, unsigned ms)
{
	uint64_t end = now_ms() + ms;

	while (now_ms() < end) {
		int n = WaitForMessage(c, 5000);

		if (n < 0)
			exit(1);
		while (n > 0 || c->buffered > 0) {
			if (!HandleRFBServerMessage(c)) {
				fprintf(stderr, "bench-vnc: the viewer failed\n");
				exit(1);
			}
			n = 0;
		}
	}
}

/* Hand over a frame, let the server take it and the viewer read it. */
static uint64_t frame(rfbClient *c)
{
	struct vnc_stats st;
	uint64_t frames;

	vnc_server_stats(srv, &st);
	frames = st.frames;
	put();
	for (int i = 0; i < 1000; i++) {
		vnc_server_stats(srv, &st);
		if (st.frames > frames)
			break;
		usleep(1000);
	}
	pump(c, 15);
	vnc_server_stats(srv, &st);
	return st.bytes;
}

int main(void)
{
	char dir[] = "/tmp/xengt-bench-vnc-XXXXXX", spec[128], path[100];
	struct vnc_options o = {.name = "bench"};
	uint64_t b0, b1, full, idle, scroll;
	rfbClient *c;
	char why[160];

	rfbClientLog = quiet;
	rfbClientErr = quiet;
	if (!mkdtemp(dir))
		return 1;
	snprintf(path, sizeof(path), "%s/vnc.sock", dir);
	snprintf(spec, sizeof(spec), "unix:%s", path);
	o.listen = spec;
	if (vnc_server_open(&o, &srv, why, sizeof(why)) < 0) {
		fprintf(stderr, "bench-vnc: %s\n", why);
		return 1;
	}
	c = rfbGetClient(8, 3, 4);
	c->serverHost = strdup(path);
	c->canHandleNewFBSize = TRUE;
	c->appData.encodingsString = "copyrect zrle";
	if (!rfbInitClient(c, NULL, NULL)) {
		fprintf(stderr, "bench-vnc: the viewer could not connect\n");
		return 1;
	}
	for (unsigned r = 0; r < ROWS - 2; r++)
		fill_line(r, r);
	pump(c, 100); /* the first 640x480 */
	{
		struct vnc_stats st;

		vnc_server_stats(srv, &st);
		b0 = st.bytes;
	}
	full = frame(c) - b0;
	pump(c, 100);
	b0 = frame(c);
	for (int i = 0; i < 60; i++)
		b1 = frame(c);
	idle = (b1 - b0) / 60;
	b0 = b1;
	for (unsigned i = 0; i < 30; i++) {
		memmove(console[0], console[1], sizeof(console[0]) * (ROWS - 3));
		fill_line(ROWS - 3, 1000 + i);
		b1 = frame(c);
	}
	scroll = (b1 - b0) / 30;
	printf("   vnc 1024x768 console, ZRLE: full frame %llu bytes, idle %llu "
	       "bytes a frame, one-line scroll %llu bytes a frame\n",
	       (unsigned long long)full, (unsigned long long)idle,
	       (unsigned long long)scroll);
	printf("VNC bytes per frame, idle 1024x768 console: %llu\n",
	       (unsigned long long)idle);
	printf("VNC bytes per frame, one-line console scroll: %llu\n",
	       (unsigned long long)scroll);
	printf("VNC one-line scroll / full frame, bytes: %.2f\n",
	       full ? (double)scroll / (double)full : 0.0);
	free(c->frameBuffer);
	c->frameBuffer = NULL;
	rfbClientCleanup(c);
	vnc_server_close(srv);
	rmdir(dir);
	return 0;
}
