/* SPDX-License-Identifier: MIT */
/*
 * test_edid.c - the virtual monitor's EDID: what edid_build produces for
 * each preferred mode (header, fields, checksum, the DTDs decoding back to
 * the exact DMT / CTA-861 timings), mode names, and edid_validate on good
 * and hostile files.
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vgpu/display/edid.h"
#include "vgpu/tests/test_util.h"

static const struct edid_mode modes[] = {
    {1024, 768, 60}, {1280, 1024, 60}, {1920, 1080, 60}};
#define NMODES (sizeof(modes) / sizeof(modes[0]))

/* clock kHz, h active/front/sync/back/total, v the same, +h, +v, mHz */
static const struct {
	uint32_t clk;
	uint16_t h[5], v[5];
	bool hpos, vpos;
	uint32_t mhz;
} dmt[NMODES] = {
    {65000, {1024, 24, 136, 160, 1344}, {768, 3, 6, 29, 806}, 0, 0, 60003},
    {108000, {1280, 48, 112, 248, 1688}, {1024, 1, 3, 38, 1066}, 1, 1, 60019},
    {148500, {1920, 88, 44, 148, 2200}, {1080, 4, 5, 36, 1125}, 1, 1, 60000},
};

static const uint8_t header[8] = {0x00, 0xff, 0xff, 0xff,
				  0xff, 0xff, 0xff, 0x00};

/*
 * A monitor's EDID written by hand from the EDID 1.3 and CTA-861 field
 * definitions: "ACM" 0x2401, 1920x1080@60 preferred, range limits, name,
 * serial string; a CTA-861 extension with a video data block (VIC 16, 4)
 * and a video capability block.  edid-decode --check says PASS.
 */
/* clang-format off */
static const uint8_t real_edid[256] = {
	0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00,	/* header */
	0x04, 0x6d, 0x01, 0x24,				/* "ACM", 0x2401 */
	0x00, 0x00, 0x00, 0x00,				/* serial: the string */
	0x0a, 0x19,					/* week 10, 2015 */
	0x01, 0x03,					/* EDID 1.3 */
	0x80, 0x35, 0x1e, 0x78, 0xea,	/* digital, 53x30 cm, 2.2, DPMS RGB */
	0x33, 0x85, 0xa7, 0x55, 0x4e, 0x9e, 0x26, 0x0e, 0x50, 0x54,
	0x21, 0x08, 0x00,	/* 640x480, 800x600, 1024x768 @60 */
	0x81, 0x80, 0x95, 0x00, 0xb3, 0x00, 0xd1, 0xc0,	/* standard */
	0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01,
	/* DTD 1920x1080@60, 531x299 mm, +h +v */
	0x02, 0x3a, 0x80, 0x18, 0x71, 0x38, 0x2d, 0x40, 0x58,
	0x2c, 0x45, 0x00, 0x13, 0x2b, 0x21, 0x00, 0x00, 0x1e,
	/* range limits 56-76 Hz, 30-83 kHz, 170 MHz, default GTF */
	0x00, 0x00, 0x00, 0xfd, 0x00, 0x38, 0x4c, 0x1e, 0x53,
	0x11, 0x00, 0x0a, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20,
	/* monitor name "ACME 24" */
	0x00, 0x00, 0x00, 0xfc, 0x00, 0x41, 0x43, 0x4d, 0x45,
	0x20, 0x32, 0x34, 0x0a, 0x20, 0x20, 0x20, 0x20, 0x20,
	/* serial string "A1B2C3D4" */
	0x00, 0x00, 0x00, 0xff, 0x00, 0x41, 0x31, 0x42, 0x32,
	0x43, 0x33, 0x44, 0x34, 0x0a, 0x20, 0x20, 0x20, 0x20,
	0x01, 0xf4,				/* one extension; checksum */
	/* CTA-861 rev 3, DTDs at 10 (none), underscan, 1 native DTD */
	0x02, 0x03, 0x0a, 0x81,
	0x42, 0x10, 0x04,	/* video data block: VIC 16, 4 */
	0xe2, 0x00, 0x4a,	/* video capability: QS=1, underscan */
	[255] = 0xee,					/* checksum */
};
/* clang-format on */

static unsigned sum(const uint8_t *b, size_t n)
{
	unsigned s = 0;

	while (n--)
		s += *b++;
	return s & 0xff;
}

/* Rewrite block n's checksum after a deliberate change. */
static void fix_checksum(uint8_t *b, unsigned n)
{
	b += n * EDID_BLOCK;
	b[127] = 0;
	b[127] = (uint8_t)(0x100 - sum(b, EDID_BLOCK));
}

static void assert_dmt(const struct edid_timing *t, unsigned i)
{
	ck_assert_uint_eq(t->clock_khz, dmt[i].clk);
	ck_assert_uint_eq(t->hactive, dmt[i].h[0]);
	ck_assert_uint_eq(t->hfront, dmt[i].h[1]);
	ck_assert_uint_eq(t->hsync, dmt[i].h[2]);
	ck_assert_uint_eq(t->hback, dmt[i].h[3]);
	ck_assert_uint_eq(t->htotal, dmt[i].h[4]);
	ck_assert_uint_eq(t->vactive, dmt[i].v[0]);
	ck_assert_uint_eq(t->vfront, dmt[i].v[1]);
	ck_assert_uint_eq(t->vsync, dmt[i].v[2]);
	ck_assert_uint_eq(t->vback, dmt[i].v[3]);
	ck_assert_uint_eq(t->vtotal, dmt[i].v[4]);
	ck_assert_int_eq(t->hsync_pos, dmt[i].hpos);
	ck_assert_int_eq(t->vsync_pos, dmt[i].vpos);
	ck_assert(!t->interlaced);
	ck_assert_uint_eq(edid_refresh_mhz(t), dmt[i].mhz);
}

/* The fixed fields of every block edid_build makes. */
static void assert_fixed_fields(const uint8_t *b)
{
	ck_assert_mem_eq(b, header, 8);
	ck_assert_uint_eq(b[8], 0x60); /* "XGT": 24, 7, 20 in 5 bits each */
	ck_assert_uint_eq(b[9], 0xf4);
	ck_assert_uint_eq(b[16], 1);
	ck_assert_uint_eq(b[17], 2024 - 1990);
	ck_assert_uint_eq(b[18], 1);
	ck_assert_uint_eq(b[19], 4);
	ck_assert_uint_eq(b[20], 0xa5); /* digital, 8 bpc, DisplayPort */
	ck_assert_uint_eq(b[23], 120);	/* gamma 2.2 */
	ck_assert_uint_eq(b[24], 0x06); /* sRGB, preferred is native */
	/* sRGB: red x 655 = 0xa3 << 2 | 3, white y 337 = 0x54 << 2 | 1 */
	ck_assert_uint_eq(b[27], 0xa3);
	ck_assert_uint_eq(b[25] >> 6, 3);
	ck_assert_uint_eq(b[34], 0x54);
	ck_assert_uint_eq(b[26] & 3, 1);
	/* 1024x768@60 established; 1280x1024, 1920x1080 @60 standard */
	ck_assert_uint_eq(b[35], 0);
	ck_assert_uint_eq(b[36], 0x08);
	ck_assert_uint_eq(b[37], 0);
	ck_assert_uint_eq(b[38], 0x81);
	ck_assert_uint_eq(b[39], 0x80);
	ck_assert_uint_eq(b[40], 0xd1);
	ck_assert_uint_eq(b[41], 0xc0);
	for (unsigned i = 42; i < 54; i++)
		ck_assert_uint_eq(b[i], 0x01);
	/* descriptor 4: the name */
	ck_assert_mem_eq(b + 108, "\0\0\0\xfc\0xengt vGPU\n  ", 18);
	ck_assert_uint_eq(b[126], 0);
	ck_assert_uint_eq(sum(b, EDID_BLOCK), 0);
}

START_TEST(build_each_preferred)
{
	for (unsigned p = 0; p < NMODES; p++) {
		struct edid_timing want, t;
		uint8_t b[EDID_BLOCK];
		char why[128] = "x";
		unsigned slot = 1;

		ck_assert_int_eq(edid_build(b, &modes[p], 7), 0);
		ck_assert_int_eq(edid_validate(b, sizeof(b), why, sizeof(why)),
				 0);
		ck_assert_str_eq(why, "");
		assert_fixed_fields(b);
		ck_assert_int_eq(edid_preferred_mode(b, &t), 0);
		assert_dmt(&t, p);
		/* The size is the preferred mode's at 96 dpi, in all DTDs. */
		ck_assert_int_eq(edid_mode_timing(&modes[p], &want), 0);
		assert_dmt(&want, p);
		ck_assert_uint_eq(t.width_mm, want.width_mm);
		ck_assert_uint_eq(t.height_mm, want.height_mm);
		ck_assert_uint_eq(b[21], (want.width_mm + 5) / 10);
		ck_assert_uint_eq(b[22], (want.height_mm + 5) / 10);
		/*
		 * DTD 2 and 3: the others, in list order (decoded as DTD 1
		 * of the block shifted by whole descriptors).
		 */
		for (unsigned o = 0; o < NMODES; o++) {
			if (o == p)
				continue;
			ck_assert_int_eq(
			    edid_preferred_mode(b + 18 * slot++, &t), 0);
			assert_dmt(&t, o);
			ck_assert_uint_eq(t.width_mm, want.width_mm);
			ck_assert_uint_eq(t.height_mm, want.height_mm);
		}
	}
}
END_TEST

START_TEST(build_sizes_and_serial)
{
	struct edid_timing t;
	uint8_t b[EDID_BLOCK];

	ck_assert_int_eq(edid_build(b, NULL, 0x12345678), 0);
	ck_assert_int_eq(edid_preferred_mode(b, &t), 0);
	ck_assert_uint_eq(t.hactive, 1024); /* NULL: the default */
	ck_assert_uint_eq(b[12], 0x78);
	ck_assert_uint_eq(b[15], 0x12);
	/* 96 dpi: 1024x768 is 271x203 mm, 27x20 cm */
	ck_assert_uint_eq(t.width_mm, 271);
	ck_assert_uint_eq(t.height_mm, 203);
	ck_assert_uint_eq(b[21], 27);
	ck_assert_uint_eq(b[22], 20);
	ck_assert_int_eq(edid_build(b, &modes[2], 0), 0);
	ck_assert_int_eq(edid_preferred_mode(b, &t), 0);
	ck_assert_uint_eq(t.width_mm, 508);
	ck_assert_uint_eq(t.height_mm, 286);
	ck_assert_uint_eq(b[21], 51);
	ck_assert_uint_eq(b[22], 29);
}
END_TEST

/* A vGPU type's largest mode bounds every mode offered. */
START_TEST(build_bounded_by_type)
{
	struct edid_timing t;
	uint8_t b[EDID_BLOCK];
	char why[128];

	ck_assert_int_eq(edid_build_max(b, &modes[0], 7, 1024, 768), 0);
	ck_assert_int_eq(edid_validate(b, sizeof(b), why, sizeof(why)), 0);
	ck_assert_int_eq(edid_preferred_mode(b, &t), 0);
	ck_assert_uint_eq(t.hactive, 1024);
	/* DTD 2 is the monitor's name now: no larger timing follows */
	ck_assert_int_eq(edid_preferred_mode(b + 18, &t), -EINVAL);
	for (unsigned i = 38; i < 54; i += 2)
		if (b[i] != 1 || b[i + 1] != 1)
			ck_assert_uint_le((b[i] + 31u) * 8, 1024);
	/* a preferred mode past the bound is refused, nothing written */
	memset(b, 0x5a, sizeof(b));
	ck_assert_int_eq(edid_build_max(b, &modes[1], 7, 1024, 768), -EINVAL);
	ck_assert_uint_eq(b[0], 0x5a);
	/* unbounded: the same as edid_build */
	{
		uint8_t c[EDID_BLOCK];

		ck_assert_int_eq(edid_build_max(b, &modes[1], 7, 1920, 1200),
				 0);
		ck_assert_int_eq(edid_build(c, &modes[1], 7), 0);
		ck_assert_mem_eq(b, c, EDID_BLOCK);
	}
}
END_TEST

START_TEST(build_refuses_unsupported)
{
	static const struct edid_mode bad[] = {
	    {800, 600, 60}, {1024, 768, 75}, {1920, 1080, 0}, {0, 0, 0}};
	struct edid_timing t;
	uint8_t b[EDID_BLOCK];

	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(b, 0x5a, sizeof(b));
		ck_assert_int_eq(edid_build(b, &bad[i], 0), -EINVAL);
		ck_assert_uint_eq(b[0], 0x5a);
		ck_assert_uint_eq(b[127], 0x5a);
		ck_assert_int_eq(edid_mode_timing(&bad[i], &t), -EINVAL);
	}
	ck_assert_uint_eq(edid_mode_default.width, 1024);
	ck_assert_uint_eq(edid_mode_default.height, 768);
	ck_assert_uint_eq(edid_mode_default.refresh, 60);
}
END_TEST

START_TEST(parse_mode)
{
	static const char *const bad[] = {
	    "0x0",	   "1024x",	    "99999x99999", "",
	    "1024x768x",   "-1024x768",	    "1024x-768",   "x768",
	    "1024",	   "1024X768",	    " 1024x768",   "1024x768 ",
	    "+1024x768",   "1024x768@60",   "800x600",	   "1920x1200",
	    "0001024x768", "4294968320x768"};
	struct edid_mode m = {1, 2, 3};

	ck_assert_int_eq(edid_parse_mode("1024x768", &m), 0);
	ck_assert(m.width == 1024 && m.height == 768 && m.refresh == 60);
	ck_assert_int_eq(edid_parse_mode("1280x1024", &m), 0);
	ck_assert(m.width == 1280 && m.height == 1024 && m.refresh == 60);
	ck_assert_int_eq(edid_parse_mode("1920x1080", &m), 0);
	ck_assert(m.width == 1920 && m.height == 1080 && m.refresh == 60);
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_msg(edid_parse_mode(bad[i], &m) == -EINVAL, "%s",
			      bad[i]);
		/* m is left as it was */
		ck_assert_uint_eq(m.width, 1920);
	}
	ck_assert_int_eq(edid_parse_mode(NULL, &m), -EINVAL);
}
END_TEST

/* edid_validate on an exact-size heap copy (ASan sees any over-read). */
static int validate(const uint8_t *src, size_t len, char *why, size_t n)
{
	uint8_t *p = malloc(len ? len : 1);
	int rc;

	ck_assert_ptr_nonnull(p);
	memcpy(p, src, len);
	rc = edid_validate(p, len, why, n);
	free(p);
	return rc;
}

#define REJECT(buf, len, reason)                                           \
	do {                                                               \
		char why_[160] = "";                                       \
		ck_assert_int_eq(validate(buf, len, why_, sizeof(why_)),   \
				 -EINVAL);                                 \
		ck_assert_msg(strstr(why_, reason), "\"%s\" lacks \"%s\"", \
			      why_, reason);                               \
	} while (0)

START_TEST(validate_sizes)
{
	uint8_t b[EDID_BLOCK * (EDID_MAX_BLOCKS + 1)];

	memset(b, 0, sizeof(b));
	memcpy(b, real_edid, sizeof(real_edid));
	REJECT(b, 0, "empty");
	REJECT(b, 127, "127 bytes is not a whole number of 128-byte blocks");
	REJECT(b, 129, "129 bytes");
	REJECT(b, 255, "255 bytes");
	/* Five blocks, correctly announced and summed: still too many. */
	b[126] = EDID_MAX_BLOCKS;
	fix_checksum(b, 0);
	for (unsigned i = 1; i <= EDID_MAX_BLOCKS; i++)
		fix_checksum(b, i);
	REJECT(b, sizeof(b), "5 blocks, at most 4 (512 bytes)");
	ck_assert_int_eq(edid_validate(NULL, 128, NULL, 0), -EINVAL);
	/* Four is the limit. */
	b[126] = EDID_MAX_BLOCKS - 1;
	fix_checksum(b, 0);
	ck_assert_int_eq(validate(b, EDID_MAX_SIZE, NULL, 0), 0);
}
END_TEST

START_TEST(validate_header_version_checksums)
{
	uint8_t b[256];

	memcpy(b, real_edid, sizeof(b));
	b[7] = 0xff;
	REJECT(b, 256, "bad header");
	memcpy(b, real_edid, sizeof(b));
	b[0] = 0x01;
	fix_checksum(b, 0);
	REJECT(b, 256, "bad header");

	memcpy(b, real_edid, sizeof(b));
	b[20] ^= 0x01;
	REJECT(b, 256,
	       "block 0 checksum is 0xf4, must make the block sum to "
	       "0 (it sums to 0x01)");
	memcpy(b, real_edid, sizeof(b));
	b[200] = 0x3c;
	REJECT(b, 256,
	       "block 1 checksum is 0xee, must make the block sum to "
	       "0 (it sums to 0x3c)");

	memcpy(b, real_edid, sizeof(b));
	b[18] = 2;
	b[19] = 0;
	fix_checksum(b, 0);
	REJECT(b, 256, "EDID version 2.0");
	b[18] = 1;
	b[19] = 2;
	fix_checksum(b, 0);
	REJECT(b, 256, "EDID version 1.2, only 1.3 and 1.4");
	b[19] = 4;
	fix_checksum(b, 0);
	ck_assert_int_eq(validate(b, 256, NULL, 0), 0);
}
END_TEST

START_TEST(validate_extension_count)
{
	uint8_t b[256];

	memcpy(b, real_edid, sizeof(b));
	/* One block announced, two present. */
	REJECT(b, 128, "byte 126 announces 1 extension blocks, the file has 0");
	b[126] = 0;
	fix_checksum(b, 0);
	REJECT(b, 256, "byte 126 announces 0 extension blocks, the file has 1");
	ck_assert_int_eq(validate(b, 128, NULL, 0), 0);
	b[126] = 255;
	fix_checksum(b, 0);
	REJECT(b, 256, "announces 255");
}
END_TEST

START_TEST(validate_preferred_timing)
{
	uint8_t b[EDID_BLOCK], good[EDID_BLOCK];

	ck_assert_int_eq(edid_build(good, NULL, 0), 0);
	/* Descriptor 1 a display descriptor: no preferred timing. */
	memcpy(b, good, sizeof(b));
	memcpy(b + 54, good + 108, 18);
	fix_checksum(b, 0);
	REJECT(b, 128,
	       "descriptor 1 (the preferred timing) is not a "
	       "detailed timing (pixel clock 0)");
	/* No DTD at all. */
	for (unsigned d = 1; d < 4; d++)
		memcpy(b + 54 + 18 * d, good + 108, 18);
	fix_checksum(b, 0);
	REJECT(b, 128, "not a detailed timing");
	/* Zero active size, sync, porches beyond the blanking. */
	memcpy(b, good, sizeof(b));
	b[54 + 2] = 0;
	b[54 + 4] &= 0x0f;
	fix_checksum(b, 0);
	REJECT(b, 128, "zero active");
	memcpy(b, good, sizeof(b));
	b[54 + 10] &= 0xf0;
	fix_checksum(b, 0);
	REJECT(b, 128, "zero sync");
	memcpy(b, good, sizeof(b));
	b[54 + 8] = 0xff; /* hfront 255 + hsync 136 > hblank 320 */
	fix_checksum(b, 0);
	REJECT(b, 128, "horizontal front porch");
	memcpy(b, good, sizeof(b));
	b[54 + 11] |= 0x0c; /* vfront 51 + vsync 6 > vblank 38 */
	fix_checksum(b, 0);
	REJECT(b, 128, "vertical front porch");
	ck_assert_int_eq(edid_preferred_mode(b, &(struct edid_timing){0}),
			 -EINVAL);
}
END_TEST

START_TEST(validate_real_edid)
{
	struct edid_timing t;
	char why[128] = "x";

	ck_assert_uint_eq(sum(real_edid, 128), 0);
	ck_assert_uint_eq(sum(real_edid + 128, 128), 0);
	ck_assert_int_eq(validate(real_edid, 256, why, sizeof(why)), 0);
	ck_assert_str_eq(why, "");
	ck_assert_int_eq(edid_preferred_mode(real_edid, &t), 0);
	assert_dmt(&t, 2);
	ck_assert_uint_eq(t.width_mm, 531);
	ck_assert_uint_eq(t.height_mm, 299);
}
END_TEST

START_TEST(validate_why_buffer)
{
	char why[8];

	/* Truncated, NUL-terminated; NULL and 0 are fine. */
	ck_assert_int_eq(edid_validate(real_edid, 0, why, sizeof(why)),
			 -EINVAL);
	ck_assert_str_eq(why, "the EDI");
	ck_assert_int_eq(edid_validate(real_edid, 0, NULL, 0), -EINVAL);
	ck_assert_int_eq(edid_validate(real_edid, 0, why, 0), -EINVAL);
}
END_TEST

/* Random corruption: never a crash; what passes decodes. */
START_TEST(validate_hostile)
{
	uint8_t b[256];
	unsigned seed = 1;

	for (unsigned n = 0; n < 20000; n++) {
		struct edid_timing t;
		size_t len = (n % 4 + 1) * 64;
		unsigned k;

		memcpy(b, real_edid, sizeof(b));
		for (k = 0; k < 1 + n % 8; k++) {
			seed = seed * 1103515245u + 12345u;
			b[(seed >> 8) % sizeof(b)] = (uint8_t)(seed >> 20);
		}
		if (n & 1) {
			fix_checksum(b, 0);
			fix_checksum(b, 1);
		}
		if (validate(b, len, NULL, 0) == 0) {
			ck_assert_int_eq(edid_preferred_mode(b, &t), 0);
			ck_assert_uint_le(t.hactive, t.htotal);
			ck_assert_uint_le(t.vactive, t.vtotal);
		}
	}
}
END_TEST

START_TEST(refresh_limits)
{
	struct edid_timing t = {.clock_khz = 65000};

	ck_assert_uint_eq(edid_refresh_mhz(&t), 0);
	/* 655.35 MHz over a 2x2 frame: clamped, not wrapped. */
	t.clock_khz = 655350;
	t.htotal = t.vtotal = 2;
	ck_assert_uint_eq(edid_refresh_mhz(&t), UINT32_MAX);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("edid");
	TCase *tc = tcase_create("edid");

	tcase_add_test(tc, build_each_preferred);
	tcase_add_test(tc, build_sizes_and_serial);
	tcase_add_test(tc, build_bounded_by_type);
	tcase_add_test(tc, build_refuses_unsupported);
	tcase_add_test(tc, parse_mode);
	tcase_add_test(tc, validate_sizes);
	tcase_add_test(tc, validate_header_version_checksums);
	tcase_add_test(tc, validate_extension_count);
	tcase_add_test(tc, validate_preferred_timing);
	tcase_add_test(tc, validate_real_edid);
	tcase_add_test(tc, validate_why_buffer);
	tcase_add_test(tc, validate_hostile);
	tcase_add_test(tc, refresh_limits);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return vgpu_test_run(suite());
}
