/* SPDX-License-Identifier: MIT */
/*
 * edid.h - the virtual monitor's EDID: a VESA E-EDID 1.4 base block built
 * for one of the modes the vGPU offers, the checks an admin-supplied EDID
 * file must pass, and the preferred timing decoded from either.
 *
 * Supported modes (all 60 Hz, exact VESA DMT / CTA-861 timings):
 * 1024x768 (the default), 1280x1024, 1920x1080.  Byte layout and
 * validation rules: docs/vgpu-edid.md.
 */
#ifndef XENGT_VGPU_DISPLAY_EDID_H
#define XENGT_VGPU_DISPLAY_EDID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define EDID_BLOCK 128
/*
 * The largest EDID accepted from a file: the base block and 3 extensions,
 * i.e. E-DDC segments 0 and 1.  Base + CTA-861 (+ DisplayID) fits.
 */
#define EDID_MAX_BLOCKS 4
#define EDID_MAX_SIZE (EDID_BLOCK * EDID_MAX_BLOCKS)

/* A mode as an admin names it. */
struct edid_mode {
	uint16_t width;	  /* pixels */
	uint16_t height;  /* lines */
	uint16_t refresh; /* Hz */
};

/* A detailed timing, as DTD 1 of an EDID describes it. */
struct edid_timing {
	uint32_t clock_khz; /* pixel clock, kHz (the EDID has 10 kHz units) */
	uint16_t hactive;   /* pixels */
	uint16_t hfront;    /* pixels from the end of active to sync start */
	uint16_t hsync;	    /* sync pulse width, pixels */
	uint16_t hback;	    /* pixels from sync end to the next line */
	uint16_t htotal;    /* hactive + hfront + hsync + hback, pixels */
	uint16_t vactive;   /* lines (per field if interlaced) */
	uint16_t vfront;    /* lines */
	uint16_t vsync;	    /* lines */
	uint16_t vback;	    /* lines */
	uint16_t vtotal;    /* vactive + vfront + vsync + vback, lines */
	uint16_t width_mm;  /* image size, mm (0: not given) */
	uint16_t height_mm; /* mm */
	bool hsync_pos;	    /* positive horizontal sync */
	bool vsync_pos;	    /* positive vertical sync */
	bool interlaced;
};

/* 1024x768@60. */
extern const struct edid_mode edid_mode_default;

/* The exact timing of a supported mode; -EINVAL for any other. */
int edid_mode_timing(const struct edid_mode *m, struct edid_timing *t);

/*
 * Fill `out` with an EDID 1.4 base block (no extensions) offering every
 * supported mode, `preferred` (NULL: the default) in DTD 1.  `serial` is
 * the monitor's serial number (e.g. the vGPU id).  0, or -EINVAL when the
 * preferred mode is not supported (`out` is then left untouched).
 */
int edid_build(uint8_t out[EDID_BLOCK], const struct edid_mode *preferred,
	       uint32_t serial);
/*
 * The same offering only the supported modes of at most max_w x max_h
 * (a vGPU type's largest): -EINVAL when the preferred one is larger.
 */
int edid_build_max(uint8_t out[EDID_BLOCK], const struct edid_mode *preferred,
		   uint32_t serial, unsigned max_w, unsigned max_h);

/* "WxH", a supported mode (60 Hz); -EINVAL for anything else. */
int edid_parse_mode(const char *s, struct edid_mode *m);

/*
 * Check an EDID from an untrusted file (reads nothing past len): 0, or
 * -EINVAL with a one-line reason in `why` (NUL-terminated, truncated to
 * whylen; why may be NULL).
 */
int edid_validate(const uint8_t *buf, size_t len, char *why, size_t whylen);

/*
 * Decode DTD 1 of a base block (EDID_BLOCK bytes): 0, or -EINVAL if it
 * holds no usable timing (a display descriptor, zero sizes, porches and
 * sync larger than the blanking).  Succeeds for any block edid_validate
 * accepted.
 */
int edid_preferred_mode(const uint8_t *edid, struct edid_timing *t);

/*
 * Frames per 1000 s (mHz): clock / (htotal * vtotal); 0 if undefined,
 * UINT32_MAX at most.
 */
uint32_t edid_refresh_mhz(const struct edid_timing *t);

#endif
