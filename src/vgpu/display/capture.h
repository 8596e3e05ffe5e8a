/* SPDX-License-Identifier: MIT */
/*
 * capture.h - the picture a vGPU's guest scans out, as 8-bit RGB
 * (capture.c): the primary plane of the first enabled pipe with its
 * cursor blended on, read from graphics memory through the vGPU's GGTT.
 *
 * Device layer, no Xen.  Call it where the device state is consistent
 * (the daemon's loop thread); the picture it returns belongs to the
 * caller and can be handed to another thread.
 */
#ifndef XENGT_VGPU_DISPLAY_CAPTURE_H
#define XENGT_VGPU_DISPLAY_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vgpu;

struct vgpu_picture {
	uint8_t *rgb; /* height rows of stride bytes, 3 bytes a pixel */
	uint32_t width, height;
	size_t stride;
	unsigned pipe; /* 0..2: A..C */
	bool blank;    /* the plane was refused: a black picture */
	char why[128]; /* the reason for -ENODEV or for blank */
};

/*
 * Fill *pic (free it with vgpu_picture_free): 0; -ENODEV when no pipe
 * scans out a primary plane (pic->why says which part is off); -ENOMEM.
 * A plane the decoder refuses, or whose surface leaves the vGPU's
 * graphics memory, the GGTT or guest RAM, gives 0 with a black picture of
 * the plane's size (bounded by the vGPU type's largest mode), pic->blank
 * set, and one rate-limited log line.
 */
int vgpu_capture(struct vgpu *v, struct vgpu_picture *pic);
void vgpu_picture_free(struct vgpu_picture *pic);

/* The cursor plane on its own, for a viewer that draws its own cursor. */
struct vgpu_cursor_image {
	bool on;	/* false: no cursor shown (argb stays NULL) */
	int32_t x, y;	/* its top left on the pipe; may be negative */
	uint32_t size;	/* 64, 128 or 256 pixels square */
	uint8_t *argb;	/* size x size premultiplied ARGB8888, B G R A */
};

/*
 * vgpu_capture without the cursor blended in: the plane in *pic, the
 * cursor in *cur (free with vgpu_cursor_image_free; cur->on is false
 * when the cursor is off, refused or unreadable, with one log line for
 * the last two).  For a viewer's every frame: the aperture is not synced
 * first, so what the guest drew through BAR2 shows once the aperture's
 * own sync points wrote it back (docs/vgpu-aperture.md: at most a
 * quarter of a second later).  Returns what vgpu_capture returns.
 */
int vgpu_capture_split(struct vgpu *v, struct vgpu_picture *pic,
		       struct vgpu_cursor_image *cur);
void vgpu_cursor_image_free(struct vgpu_cursor_image *cur);

/*
 * What vgpu_capture would show, without reading graphics memory: pipe,
 * width, height and stride in *pic (rgb stays NULL; blank is not known
 * yet).  0 or -ENODEV with pic->why.
 */
int vgpu_capture_probe(struct vgpu *v, struct vgpu_picture *pic);

#endif
