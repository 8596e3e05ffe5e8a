/* SPDX-License-Identifier: MIT */
/*
 * capture.c - the picture a guest scans out (capture.h).
 *
 * The first pipe (A, B, C) whose PIPECONF is enabled (bit 31) and whose
 * primary plane is live-enabled is the one captured.  Its registers, the
 * values latched at the last vblank (plane.c):
 *
 *   PIPECONF      0x70008 + 0x1000 p  bit 31 enable
 *   PLANE_CTL     0x70180 + 0x1000 p  enable, format, tiling, rotation
 *   PLANE_STRIDE  0x70188 + 0x1000 p
 *   PLANE_SIZE    0x70190 + 0x1000 p  (h - 1) << 16 | (w - 1)
 *   PLANE_SURF    0x7019c + 0x1000 p  GGTT address, 31:12
 *   PLANE_OFFSET  0x701a4 + 0x1000 p  y << 16 | x in the surface
 *   CUR_CTL       0x70080 + 0x1000 p  mode
 *   CUR_BASE      0x70084 + 0x1000 p  GGTT address
 *   CUR_POS       0x70088 + 0x1000 p  signed y, x
 *
 * fbdecode turns them into RGB, reading graphics memory through read_gm
 * below: only inside the vGPU's own slices of GM (its partition: the
 * mappable and the hidden slice), through its GGTT, into guest RAM.
 * The aperture is synced first so what the guest drew through BAR2 is in
 * its pages.  Whatever the guest programmed, the worst it gets is a black
 * picture no larger than its type's largest mode and a log line.
 */
#include "vgpu/display/capture.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/log.h"
#include "vgpu/aperture.h"
#include "vgpu/block.h"
#include "vgpu/display/fbdecode.h"
#include "vgpu/display/plane.h"
#include "vgpu/ggtt.h"
#include "vgpu/gm.h"

#define NPIPES 3
#define SIZE_W(r) (((r)&0x1fffu) + 1)		/* PLANE_SIZE 12:0 */
#define SIZE_H(r) ((((r) >> 16) & 0x1fffu) + 1) /* PLANE_SIZE 28:16 */

/*
 * The scanout registers of pipe p: the one place they are read.  They
 * come from the planes block's latched (live) values, what the pipe
 * shows now rather than what is armed for the next vblank.
 */
static int scanout_regs(struct vgpu *v, unsigned p, struct vgpu_scanout *s)
{
	struct vgpu_planes *pl = vgpu_block_state(v, &vgpu_planes_block);

	if (!pl)
		return -ENODEV;
	return vgpu_plane_scanout(pl, p, s);
}

struct gm_reader {
	struct gm_space g;
	const struct vgpu_partition *part;
};

static bool in_slice(uint64_t gm, size_t len, uint64_t base, uint64_t size)
{
	return gm >= base && len <= size && gm - base <= size - len;
}

static int read_gm(void *ctx, uint64_t gm, void *buf, size_t len)
{
	const struct gm_reader *r = ctx;
	const struct vgpu_partition *p = r->part;

	if (!in_slice(gm, len, p->mappable_base, p->mappable_size) &&
	    !in_slice(gm, len, p->hidden_base, p->hidden_size))
		return -EFAULT;
	return gm_read(&r->g, false, gm, buf, len);
}

static uint32_t bound(uint32_t n, uint32_t max)
{
	if (!max || max > FB_MAX_DIM)
		max = FB_MAX_DIM;
	return n > max ? max : n;
}

static int alloc_picture(struct vgpu_picture *pic, uint32_t w, uint32_t h)
{
	pic->width = w;
	pic->height = h;
	pic->stride = (size_t)w * 3;
	pic->rgb = calloc(h, pic->stride);
	return pic->rgb ? 0 : -ENOMEM;
}

void vgpu_picture_free(struct vgpu_picture *pic)
{
	if (!pic)
		return;
	free(pic->rgb);
	pic->rgb = NULL;
}

static void refuse(struct vgpu *v, struct vgpu_picture *pic, const char *what,
		   int rc)
{
	memset(pic->rgb, 0, pic->stride * pic->height);
	pic->blank = true;
	snprintf(pic->why, sizeof(pic->why), "pipe %c: %s (%s)",
		 'A' + pic->pipe, what, strerror(-rc));
	log_guest(LOG_WARN, "%s: capture: %s; the picture is black",
		  vgpu_name(v), pic->why);
}

/*
 * The pipe a capture shows, its latched registers and the picture's size
 * in pic (nothing allocated): 0 or -ENODEV with pic->why.
 */
static int pick(struct vgpu *v, struct vgpu_scanout *s,
		struct vgpu_picture *pic)
{
	const struct vgpu_type *t = vgpu_type(v);
	bool any_pipe = false;
	unsigned p;

	memset(pic, 0, sizeof(*pic));
	for (p = 0; p < NPIPES; p++) {
		if (scanout_regs(v, p, s) < 0)
			continue;
		any_pipe |= s->pipe_enabled;
		if (s->pipe_enabled && s->plane_enabled)
			break;
	}
	if (p == NPIPES) {
		snprintf(pic->why, sizeof(pic->why), "%s",
			 any_pipe ? "no enabled pipe has its primary plane on"
				  : "no pipe is enabled (the display is off)");
		return -ENODEV;
	}
	pic->pipe = p;
	pic->width = bound(SIZE_W(s->plane_size), t->max_width);
	pic->height = bound(SIZE_H(s->plane_size), t->max_height);
	pic->stride = (size_t)pic->width * 3;
	return 0;
}

int vgpu_capture_probe(struct vgpu *v, struct vgpu_picture *pic)
{
	struct vgpu_scanout s;

	return pick(v, &s, pic);
}

/* The cursor into *cur instead of onto the picture. */
static void read_cursor(struct vgpu *v, const struct vgpu_scanout *s,
			struct gm_reader *rd, unsigned p,
			struct vgpu_cursor_image *cur)
{
	struct fb_cursor fc;
	int rc;

	if (!s->cursor_enabled ||
	    fb_cursor_from_regs(s->cur_ctl, s->cur_pos, s->cur_base, &fc) < 0)
		return;
	cur->argb = malloc((size_t)fc.size * fc.size * 4);
	if (!cur->argb)
		return;
	rc = fb_cursor_read(&fc, read_gm, rd, cur->argb);
	if (rc < 0) {
		log_guest(LOG_WARN,
			  "%s: capture: pipe %c's cursor at GM %#" PRIx64
			  " is not readable (%s); left out",
			  vgpu_name(v), 'A' + p, fc.base, strerror(-rc));
		vgpu_cursor_image_free(cur);
		return;
	}
	cur->on = true;
	cur->x = fc.x;
	cur->y = fc.y;
	cur->size = fc.size;
}

void vgpu_cursor_image_free(struct vgpu_cursor_image *cur)
{
	if (!cur)
		return;
	free(cur->argb);
	memset(cur, 0, sizeof(*cur));
}

/*
 * cur NULL: the cursor blended onto the picture.  sync: write the
 * aperture back first (a Xen call over the slice's span: too dear to make
 * at every frame of a viewer; the aperture's own tick keeps it within a
 * quarter of a second).
 */
static int capture(struct vgpu *v, struct vgpu_picture *pic,
		   struct vgpu_cursor_image *cur, bool sync)
{
	struct vgpu_aperture *ap = vgpu_block_state(v, &vgpu_aperture_block);
	struct gm_reader rd = {
	    .g = {.ggtt = vgpu_block_state(v, &vgpu_ggtt_block),
		  .mem = vgpu_host(v)->mem},
	    .part = vgpu_partition(v),
	};
	struct vgpu_scanout s;
	struct fb_plane fp;
	struct fb_cursor fc;
	unsigned p;
	int rc;

	if (cur)
		memset(cur, 0, sizeof(*cur));
	rc = pick(v, &s, pic);
	if (rc < 0)
		return rc;
	p = pic->pipe;
	rc = alloc_picture(pic, pic->width, pic->height);
	if (rc < 0)
		return rc;
	if (!rd.g.ggtt || !rd.g.mem) {
		refuse(v, pic, "no graphics memory to read", -ENODEV);
		return 0;
	}
	rc = fb_plane_from_regs(s.plane_ctl, s.plane_stride, s.plane_size,
				s.plane_offset, s.plane_surf, &fp);
	if (rc < 0) {
		refuse(v, pic, "the plane is not one the decoder takes", rc);
		return 0;
	}
	fp.width = pic->width; /* clipped to the type's largest mode */
	fp.height = pic->height;
	if (ap && sync)
		vgpu_aperture_sync(ap);
	rc = fb_decode(&fp, read_gm, &rd, pic->rgb, pic->stride);
	if (rc < 0) {
		refuse(v, pic,
		       rc == -EFAULT ? "the surface leaves the vGPU's graphics "
				       "memory or guest RAM"
				     : "the surface is refused",
		       rc);
		return 0;
	}
	if (cur) {
		read_cursor(v, &s, &rd, p, cur);
		return 0;
	}
	if (!s.cursor_enabled ||
	    fb_cursor_from_regs(s.cur_ctl, s.cur_pos, s.cur_base, &fc) < 0)
		return 0;
	rc = fb_cursor_blend(&fc, read_gm, &rd, pic->rgb, pic->stride,
			     pic->width, pic->height);
	if (rc < 0)
		log_guest(LOG_WARN,
			  "%s: capture: pipe %c's cursor at GM %#" PRIx64
			  " is not readable (%s); left out",
			  vgpu_name(v), 'A' + p, fc.base, strerror(-rc));
	return 0;
}

int vgpu_capture(struct vgpu *v, struct vgpu_picture *pic)
{
	return capture(v, pic, NULL, true);
}

int vgpu_capture_split(struct vgpu *v, struct vgpu_picture *pic,
		       struct vgpu_cursor_image *cur)
{
	if (!cur)
		return -EINVAL;
	return capture(v, pic, cur, false);
}
