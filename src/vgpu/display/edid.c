/* SPDX-License-Identifier: MIT */
/*
 * edid.c - the virtual DisplayPort monitor's EDID: build one, check one
 * an admin supplies, decode the preferred timing.
 *
 * The block built (byte by byte: docs/vgpu-edid.md):
 *
 *   0..7     header 00 ff ff ff ff ff ff 00
 *   8..17    "XGT", product 0x0001, the caller's serial, week 1 of 2024
 *   18..24   EDID 1.4; digital, 8 bpc, DisplayPort (0xa5); size in cm at
 *            96 dpi of the preferred mode; gamma 2.2; features: RGB
 *            4:4:4, sRGB default, preferred timing is native
 *   25..34   sRGB primaries and D65 white point
 *   35..53   established 1024x768@60; standard 1280x1024@60, 1920x1080@60
 *   54..107  DTD 1: the preferred mode; DTD 2, 3: the other two
 *   108..125 monitor name "xengt vGPU"
 *   126, 127 no extensions; checksum
 *
 * No range limits descriptor: the four slots hold three timings and the
 * name, and EDID 1.4 requires one only of a continuous-frequency display
 * (feature bit 0, clear here).
 *
 * Sources (facts only): VESA E-EDID Standard Release A2 (EDID 1.4), section
 * 3 (the base block's fields and encodings), section 3.10.2 (the detailed
 * timing descriptor), 3.10.3 (display descriptor tags 0xfc, 0xfd);
 * VESA DMT 1.0 r13 timings as tabulated in Linux drivers/gpu/drm/
 * drm_edid.c (drm_dmt_modes: 0x10 1024x768@60, 0x23 1280x1024@60) and
 * CTA-861 VIC 16 as the same file tabulates it (edid_cea_modes: 1920x1080
 * @60, syncs positive; its DMT entry 0x52, the same raster, says negative:
 * docs/vgpu-edid.md); IEC 61966-2-1 (the sRGB primaries and white point).
 */
#include "vgpu/display/edid.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define EDID_DESC 18  /* bytes per descriptor */
#define EDID_DESC0 54 /* the first of four */
#define EDID_NDESC 4
#define EDID_EXT_COUNT 126
#define EDID_CHECKSUM 127

#define MANUFACTURER "XGT"
#define PRODUCT_CODE 0x0001
#define MFG_WEEK 1
#define MFG_YEAR 2024
#define MONITOR_NAME "xengt vGPU"

#define VIDEO_DIGITAL 0x80
#define VIDEO_8BPC (2u << 4)
#define VIDEO_DISPLAYPORT 0x05
#define GAMMA_2_2 (220 - 100) /* stored as gamma * 100 - 100 */
#define FEATURE_SRGB (1u << 2)
#define FEATURE_PREFERRED_NATIVE (1u << 1)

#define DTD_INTERLACED 0x80
#define DTD_DIGITAL_SEPARATE (3u << 3)
#define DTD_VSYNC_POS (1u << 2)
#define DTD_HSYNC_POS (1u << 1)

#define TAG_MONITOR_NAME 0xfc

/* Standard timing byte 2, bits 5:0. */
#define STD_REFRESH(hz) ((hz)-60)

#define DPI 96 /* the physical size reported: no scaling in the guest */

static const uint8_t edid_header[8] = {0x00, 0xff, 0xff, 0xff,
				       0xff, 0xff, 0xff, 0x00};

const struct edid_mode edid_mode_default = {1024, 768, 60};

/*
 * The supported modes, their exact timings, and where bytes 35..53 list
 * them: an established timing bit (byte, bit) or a standard timing with
 * its aspect code (bits 7:6: 0 16:10, 1 4:3, 2 5:4, 3 16:9).
 */
struct edid_known {
	struct edid_timing t;
	uint8_t est_byte; /* 0: a standard timing instead */
	uint8_t est_bit;
	uint8_t std_aspect;
};

/* clang-format off */
static const struct edid_known known[] = {
	/* DMT 0x10: 1024x768@60, syncs negative; established byte 36 bit 3 */
	{{.clock_khz = 65000,
	  .hactive = 1024, .hfront = 24, .hsync = 136, .hback = 160,
	  .htotal = 1344,
	  .vactive = 768, .vfront = 3, .vsync = 6, .vback = 29,
	  .vtotal = 806},
	 .est_byte = 36, .est_bit = 3, .std_aspect = 1},
	/* DMT 0x23: 1280x1024@60, syncs positive; a standard timing, 5:4 */
	{{.clock_khz = 108000,
	  .hactive = 1280, .hfront = 48, .hsync = 112, .hback = 248,
	  .htotal = 1688,
	  .vactive = 1024, .vfront = 1, .vsync = 3, .vback = 38,
	  .vtotal = 1066,
	  .hsync_pos = true, .vsync_pos = true},
	 .std_aspect = 2},
	/* CTA-861 VIC 16 = DMT 0x52: 1920x1080@60, syncs positive; 16:9 */
	{{.clock_khz = 148500,
	  .hactive = 1920, .hfront = 88, .hsync = 44, .hback = 148,
	  .htotal = 2200,
	  .vactive = 1080, .vfront = 4, .vsync = 5, .vback = 36,
	  .vtotal = 1125,
	  .hsync_pos = true, .vsync_pos = true},
	 .std_aspect = 3},
};
/* clang-format on */

#define NKNOWN (sizeof(known) / sizeof(known[0]))
_Static_assert(NKNOWN + 1 <= EDID_NDESC, "a DTD per mode and the name");

/* IEC 61966-2-1 (sRGB) chromaticity, x and y times 1024, rounded. */
static const uint16_t srgb_xy[8] = {
    655, 338, /* red   0.640, 0.330 */
    307, 614, /* green 0.300, 0.600 */
    154, 61,  /* blue  0.150, 0.060 */
    320, 337, /* white D65 0.3127, 0.3290 */
};

static const struct edid_known *find_known(const struct edid_mode *m)
{
	size_t i;

	if (!m || m->refresh != 60)
		return NULL;
	for (i = 0; i < NKNOWN; i++)
		if (known[i].t.hactive == m->width &&
		    known[i].t.vactive == m->height)
			return &known[i];
	return NULL;
}

static uint16_t px_to_mm(uint16_t px)
{
	return (uint16_t)((px * 254u + DPI * 5u) / (DPI * 10u));
}

int edid_mode_timing(const struct edid_mode *m, struct edid_timing *t)
{
	const struct edid_known *k = find_known(m);

	if (!k)
		return -EINVAL;
	*t = k->t;
	t->width_mm = px_to_mm(t->hactive);
	t->height_mm = px_to_mm(t->vactive);
	return 0;
}

/* ---- building ---- */

static uint8_t block_sum(const uint8_t *b)
{
	unsigned s = 0, i;

	for (i = 0; i < EDID_BLOCK; i++)
		s += b[i];
	return (uint8_t)s;
}

/* Three letters A..Z, 5 bits each ('A' = 1), big-endian, bit 15 zero. */
static void put_manufacturer(uint8_t *b, const char id[3])
{
	uint16_t v = (uint16_t)(((id[0] - 'A' + 1) & 0x1f) << 10 |
				((id[1] - 'A' + 1) & 0x1f) << 5 |
				((id[2] - 'A' + 1) & 0x1f));

	b[8] = (uint8_t)(v >> 8);
	b[9] = (uint8_t)v;
}

static void put_vendor(uint8_t *b, uint32_t serial)
{
	put_manufacturer(b, MANUFACTURER);
	b[10] = PRODUCT_CODE & 0xff;
	b[11] = PRODUCT_CODE >> 8;
	b[12] = (uint8_t)serial;
	b[13] = (uint8_t)(serial >> 8);
	b[14] = (uint8_t)(serial >> 16);
	b[15] = (uint8_t)(serial >> 24);
	b[16] = MFG_WEEK;
	b[17] = MFG_YEAR - 1990;
}

static void put_basic(uint8_t *b, const struct edid_timing *pref)
{
	b[18] = 1;
	b[19] = 4;
	b[20] = VIDEO_DIGITAL | VIDEO_8BPC | VIDEO_DISPLAYPORT;
	b[21] = (uint8_t)((pref->width_mm + 5) / 10);
	b[22] = (uint8_t)((pref->height_mm + 5) / 10);
	b[23] = GAMMA_2_2;
	b[24] = FEATURE_SRGB | FEATURE_PREFERRED_NATIVE;
}

/* Bytes 25, 26: the low 2 bits of each value; 27..34: the high 8. */
static void put_chromaticity(uint8_t *b)
{
	unsigned i;

	b[25] = b[26] = 0;
	for (i = 0; i < 8; i++) {
		b[25 + i / 4] |=
		    (uint8_t)((srgb_xy[i] & 3) << (6 - 2 * (i % 4)));
		b[27 + i] = (uint8_t)(srgb_xy[i] >> 2);
	}
}

static bool fits(const struct edid_timing *t, unsigned max_w, unsigned max_h)
{
	return t->hactive <= max_w && t->vactive <= max_h;
}

static void put_timing_lists(uint8_t *b, unsigned max_w, unsigned max_h)
{
	unsigned std = 0;
	size_t i;

	b[35] = b[36] = b[37] = 0;
	for (i = 38; i < 54; i++)
		b[i] = 0x01; /* unused standard timing: 01 01 */
	for (i = 0; i < NKNOWN; i++) {
		const struct edid_known *k = &known[i];

		if (!fits(&k->t, max_w, max_h))
			continue;
		if (k->est_byte) {
			b[k->est_byte] |= (uint8_t)(1u << k->est_bit);
			continue;
		}
		b[38 + 2 * std] = (uint8_t)(k->t.hactive / 8 - 31);
		b[39 + 2 * std] =
		    (uint8_t)(k->std_aspect << 6 | STD_REFRESH(60));
		std++;
	}
}

static void put_dtd(uint8_t *d, const struct edid_timing *t,
		    const struct edid_timing *size)
{
	unsigned clk = t->clock_khz / 10;
	unsigned hblank = t->htotal - t->hactive;
	unsigned vblank = t->vtotal - t->vactive;

	d[0] = (uint8_t)clk;
	d[1] = (uint8_t)(clk >> 8);
	d[2] = (uint8_t)t->hactive;
	d[3] = (uint8_t)hblank;
	d[4] = (uint8_t)((t->hactive >> 8 & 0xf) << 4 | (hblank >> 8 & 0xf));
	d[5] = (uint8_t)t->vactive;
	d[6] = (uint8_t)vblank;
	d[7] = (uint8_t)((t->vactive >> 8 & 0xf) << 4 | (vblank >> 8 & 0xf));
	d[8] = (uint8_t)t->hfront;
	d[9] = (uint8_t)t->hsync;
	d[10] = (uint8_t)((t->vfront & 0xf) << 4 | (t->vsync & 0xf));
	d[11] = (uint8_t)((t->hfront >> 8 & 3) << 6 | (t->hsync >> 8 & 3) << 4 |
			  (t->vfront >> 4 & 3) << 2 | (t->vsync >> 4 & 3));
	d[12] = (uint8_t)size->width_mm;
	d[13] = (uint8_t)size->height_mm;
	d[14] = (uint8_t)((size->width_mm >> 8 & 0xf) << 4 |
			  (size->height_mm >> 8 & 0xf));
	d[15] = d[16] = 0; /* no border */
	d[17] = (uint8_t)(DTD_DIGITAL_SEPARATE |
			  (t->vsync_pos ? DTD_VSYNC_POS : 0) |
			  (t->hsync_pos ? DTD_HSYNC_POS : 0));
}

/* A display descriptor: 00 00 00 tag 00, then 13 bytes of text. */
static void put_text(uint8_t *d, uint8_t tag, const char *s)
{
	size_t n = strlen(s), i;

	memset(d, 0, 5);
	d[3] = tag;
	for (i = 0; i < 13; i++)
		d[5 + i] = i < n ? (uint8_t)s[i] : i == n ? 0x0a : 0x20;
}

int edid_build(uint8_t out[EDID_BLOCK], const struct edid_mode *preferred,
	       uint32_t serial)
{
	return edid_build_max(out, preferred, serial, UINT16_MAX, UINT16_MAX);
}

int edid_build_max(uint8_t out[EDID_BLOCK], const struct edid_mode *preferred,
		   uint32_t serial, unsigned max_w, unsigned max_h)
{
	struct edid_timing pref, t;
	uint8_t b[EDID_BLOCK];
	unsigned slot = 1;
	size_t i;

	if (edid_mode_timing(preferred ? preferred : &edid_mode_default,
			     &pref) ||
	    !fits(&pref, max_w, max_h))
		return -EINVAL;
	memcpy(b, edid_header, sizeof(edid_header));
	put_vendor(b, serial);
	put_basic(b, &pref);
	put_chromaticity(b);
	put_timing_lists(b, max_w, max_h);
	put_dtd(b + EDID_DESC0, &pref, &pref);
	for (i = 0; i < NKNOWN; i++) {
		t = known[i].t;
		if ((t.hactive == pref.hactive && t.vactive == pref.vactive) ||
		    !fits(&t, max_w, max_h))
			continue;
		put_dtd(b + EDID_DESC0 + EDID_DESC * slot++, &t, &pref);
	}
	put_text(b + EDID_DESC0 + EDID_DESC * slot, TAG_MONITOR_NAME,
		 MONITOR_NAME);
	b[EDID_EXT_COUNT] = 0;
	b[EDID_CHECKSUM] = 0;
	b[EDID_CHECKSUM] = (uint8_t)(0x100 - block_sum(b));
	memcpy(out, b, EDID_BLOCK);
	return 0;
}

/* ---- parsing a mode name ---- */

/* 1 to 5 decimal digits; advances *s. */
static bool parse_dim(const char **s, unsigned *v)
{
	unsigned n = 0;

	*v = 0;
	while (**s >= '0' && **s <= '9') {
		if (++n > 5)
			return false;
		*v = *v * 10 + (unsigned)(**s - '0');
		(*s)++;
	}
	return n > 0;
}

int edid_parse_mode(const char *s, struct edid_mode *m)
{
	struct edid_mode r = {.refresh = 60};
	unsigned w, h;

	if (!s || !parse_dim(&s, &w) || *s++ != 'x' || !parse_dim(&s, &h) || *s)
		return -EINVAL;
	r.width = (uint16_t)w;
	r.height = (uint16_t)h;
	if (!find_known(&r))
		return -EINVAL;
	*m = r;
	return 0;
}

/* ---- decoding and validating ---- */

/* NULL if DTD `d` holds a usable timing (then in *t), else why not. */
static const char *decode_dtd(const uint8_t *d, struct edid_timing *t)
{
	unsigned hblank, vblank;

	t->clock_khz = (uint32_t)(d[0] | d[1] << 8) * 10;
	if (!t->clock_khz)
		return "is not a detailed timing (pixel clock 0)";
	t->hactive = (uint16_t)(d[2] | (d[4] >> 4) << 8);
	hblank = d[3] | (d[4] & 0xf) << 8;
	t->vactive = (uint16_t)(d[5] | (d[7] >> 4) << 8);
	vblank = d[6] | (d[7] & 0xf) << 8;
	t->hfront = (uint16_t)(d[8] | (d[11] >> 6 & 3) << 8);
	t->hsync = (uint16_t)(d[9] | (d[11] >> 4 & 3) << 8);
	t->vfront = (uint16_t)((d[10] >> 4) | (d[11] >> 2 & 3) << 4);
	t->vsync = (uint16_t)((d[10] & 0xf) | (d[11] & 3) << 4);
	t->width_mm = (uint16_t)(d[12] | (d[14] >> 4) << 8);
	t->height_mm = (uint16_t)(d[13] | (d[14] & 0xf) << 8);
	/* Bits 2 and 1 as digital separate sync defines them. */
	t->interlaced = d[17] & DTD_INTERLACED;
	t->vsync_pos = d[17] & DTD_VSYNC_POS;
	t->hsync_pos = d[17] & DTD_HSYNC_POS;
	if (!t->hactive || !t->vactive)
		return "has a zero active width or height";
	if (!t->hsync || !t->vsync)
		return "has a zero sync pulse width";
	if (t->hfront + t->hsync > hblank)
		return "has horizontal front porch + sync beyond the blanking";
	if (t->vfront + t->vsync > vblank)
		return "has vertical front porch + sync beyond the blanking";
	t->hback = (uint16_t)(hblank - t->hfront - t->hsync);
	t->vback = (uint16_t)(vblank - t->vfront - t->vsync);
	t->htotal = (uint16_t)(t->hactive + hblank);
	t->vtotal = (uint16_t)(t->vactive + vblank);
	return NULL;
}

int edid_preferred_mode(const uint8_t *edid, struct edid_timing *t)
{
	struct edid_timing r;

	if (!edid || decode_dtd(edid + EDID_DESC0, &r))
		return -EINVAL;
	*t = r;
	return 0;
}

uint32_t edid_refresh_mhz(const struct edid_timing *t)
{
	uint64_t frame = (uint64_t)t->htotal * t->vtotal, mhz;

	if (!frame)
		return 0;
	mhz = (uint64_t)t->clock_khz * 1000000u / frame;
	return mhz > UINT32_MAX ? UINT32_MAX : (uint32_t)mhz;
}

static int fail(char *why, size_t whylen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(char *why, size_t whylen, const char *fmt, ...)
{
	va_list ap;

	if (why && whylen) {
		va_start(ap, fmt);
		vsnprintf(why, whylen, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

static int check_size(size_t len, char *why, size_t whylen)
{
	if (!len)
		return fail(why, whylen, "the EDID is empty");
	if (len % EDID_BLOCK)
		return fail(why, whylen,
			    "%zu bytes is not a whole number of %d-byte blocks",
			    len, EDID_BLOCK);
	if (len > EDID_MAX_SIZE)
		return fail(why, whylen,
			    "%zu blocks, at most %d (%d bytes) are accepted",
			    len / EDID_BLOCK, EDID_MAX_BLOCKS, EDID_MAX_SIZE);
	return 0;
}

static int check_checksum(const uint8_t *b, unsigned n, char *why,
			  size_t whylen)
{
	uint8_t s = block_sum(b);

	if (!s)
		return 0;
	return fail(why, whylen,
		    "block %u checksum is 0x%02x, must make the block sum to "
		    "0 (it sums to 0x%02x)",
		    n, b[EDID_CHECKSUM], s);
}

int edid_validate(const uint8_t *buf, size_t len, char *why, size_t whylen)
{
	struct edid_timing t;
	const char *bad;
	size_t blocks, i;
	int rc;

	if (why && whylen)
		why[0] = 0;
	rc = check_size(buf ? len : 0, why, whylen);
	if (rc)
		return rc;
	blocks = len / EDID_BLOCK;
	if (memcmp(buf, edid_header, sizeof(edid_header)))
		return fail(why, whylen,
			    "bad header: bytes 0..7 must be "
			    "00 ff ff ff ff ff ff 00");
	rc = check_checksum(buf, 0, why, whylen);
	if (rc)
		return rc;
	if (buf[18] != 1 || (buf[19] != 3 && buf[19] != 4))
		return fail(why, whylen,
			    "EDID version %u.%u, only 1.3 and 1.4 are accepted",
			    buf[18], buf[19]);
	if (buf[EDID_EXT_COUNT] != blocks - 1)
		return fail(why, whylen,
			    "byte 126 announces %u extension blocks, the file "
			    "has %zu",
			    buf[EDID_EXT_COUNT], blocks - 1);
	for (i = 1; i < blocks; i++) {
		rc = check_checksum(buf + i * EDID_BLOCK, (unsigned)i, why,
				    whylen);
		if (rc)
			return rc;
	}
	bad = decode_dtd(buf + EDID_DESC0, &t);
	if (bad)
		return fail(why, whylen,
			    "descriptor 1 (the preferred timing) %s", bad);
	return 0;
}
