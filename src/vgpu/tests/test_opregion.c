/* SPDX-License-Identifier: MIT */
/*
 * test_opregion.c - the OpRegion as the guest finds it: hvmloader's ASLS
 * write places it, the guest reads it at that address and i915's rules
 * (display/intel_opregion.c intel_opregion_setup, display/intel_bios.c
 * intel_bios_is_valid_vbt and the general definitions parser, re-stated
 * here independently of opregion.c) accept the VBT and decode one
 * DisplayPort child on port D; SWSCI requests are answered in mailbox 2;
 * hostile ASLS values and function codes are refused or failed cleanly;
 * placement and contents survive save/load and reset clears them.
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>

#include "test_util.h"
#include "util/blob.h"
#include "util/le.h"
#include "vgpu/opregion.h"

#define SBDF 0x10
#define ASLS 0xfdffc000u /* what hvmloader wrote on real Xen 4.17 */
#define BAR0 0xf0000000u
#define RAM_END 0x80000000u /* the fake guest's RAM: [0, 2 GiB) */

static struct fake_host fh;
static struct vgpu *v;

static void make(bool ram)
{
	struct vgpu_config cfg;

	fake_host_init(&fh);
	fh.ram_ok = ram;
	fake_host_guest_ram(&fh, RAM_END);
	vgpu_config_default(&cfg);
	ck_assert_int_eq(vgpu_create(&cfg, &fh.host, &v), 0);
}

static uint32_t cr(unsigned reg, unsigned size)
{
	return fake_cfg_read(&fh, SBDF, reg, size);
}

static void cw(unsigned reg, unsigned size, uint32_t val)
{
	fake_cfg_write(&fh, SBDF, reg, size, val);
}

/* The guest's view of [gpa, gpa + len), one byte at a time. */
static void guest_read(uint64_t gpa, uint8_t *buf, size_t len)
{
	for (size_t i = 0; i < len; i++)
		buf[i] = (uint8_t)fake_read(&fh, IO_SPACE_MMIO, gpa + i, 1);
}

static uint32_t g32(uint64_t gpa)
{
	return (uint32_t)fake_read(&fh, IO_SPACE_MMIO, gpa, 4);
}

static void p32(uint64_t gpa, uint32_t val)
{
	fake_write(&fh, IO_SPACE_MMIO, gpa, 4, val);
}

/* ---- i915's rules --------------------------------------------------- */

/* intel_bios_is_valid_vbt: header, "$VBT", sizes inside the buffer. */
static bool vbt_valid(const uint8_t *vbt, size_t size)
{
	size_t vbt_size, bdb;

	if (size < 48 || memcmp(vbt, "$VBT", 4))
		return false;
	vbt_size = le_get(vbt + 24, 2);
	if (vbt_size > size)
		return false;
	bdb = le_get(vbt + 28, 4);
	if (bdb > vbt_size || 22 > vbt_size - bdb)
		return false;
	return le_get(vbt + bdb + 20, 2) <= vbt_size - bdb;
}

/* find_section: the block `id` of the BDB, its size in *len. */
static const uint8_t *bdb_block(const uint8_t *bdb, unsigned id, size_t *len)
{
	size_t total = le_get(bdb + 20, 2), i = le_get(bdb + 18, 2);

	while (i + 3 < total) {
		unsigned bid = bdb[i];
		size_t sz = le_get(bdb + i + 1, 2);

		if (i + 3 + sz > total)
			return NULL;
		if (bid == id) {
			*len = sz;
			return bdb + i + 3;
		}
		i += 3 + sz;
	}
	return NULL;
}

static void check_image(uint64_t base)
{
	uint8_t img[VGPU_OPREGION_SIZE], sum = 0;
	const uint8_t *vbt = img + 0x400, *bdb, *defs, *child;
	size_t len, vbt_size = VGPU_OPREGION_SIZE - 0x400;
	uint16_t type;

	guest_read(base, img, sizeof(img));
	/* intel_opregion_setup */
	ck_assert_mem_eq(img, "IntelGraphicsMem", 16);
	ck_assert_uint_eq(le_get(img + 0x10, 4), 8); /* KiB */
	ck_assert_uint_eq(img[0x17], 2);	     /* over.major */
	/* gvt: the VBT mailbox only: no ACPI, SWSCI, ASLE (no RVDA), ASLE_EXT
	 */
	ck_assert_uint_eq(le_get(img + 0x58, 4), 1u << 3);
	ck_assert_uint_eq(img[0x1ac], 3); /* lid open */
	ck_assert_uint_eq(le_get(img + 0x60, 4) & (1u << 13),
			  0); /* not headless */
	/* the VBT in mailbox 4, as large as the rest of the region */
	ck_assert(vbt_valid(vbt, vbt_size));
	for (size_t i = 0; i < le_get(vbt + 24, 2); i++)
		sum = (uint8_t)(sum + vbt[i]);
	ck_assert_uint_eq(sum, 0);
	bdb = vbt + le_get(vbt + 28, 4);
	ck_assert_uint_ge(le_get(bdb + 16, 2), 155);	 /* DDI ports parsed */
	ck_assert_ptr_nonnull(bdb_block(bdb, 1, &len));	 /* general features */
	ck_assert_ptr_nonnull(bdb_block(bdb, 12, &len)); /* driver features */
	ck_assert_uint_eq((le_get(bdb_block(bdb, 12, &len) + 7, 2) >> 11) & 3,
			  0); /* lvds_config: no LVDS */
	/* no LFP blocks: nothing describes a panel */
	ck_assert_ptr_null(bdb_block(bdb, 40, &len));
	ck_assert_ptr_null(bdb_block(bdb, 41, &len));
	ck_assert_ptr_null(bdb_block(bdb, 42, &len));
	/* general definitions: 33-byte children below BDB 195, one child */
	defs = bdb_block(bdb, 2, &len);
	ck_assert_ptr_nonnull(defs);
	ck_assert_uint_lt(le_get(bdb + 16, 2), 195);
	ck_assert_uint_eq(defs[4], 33);
	ck_assert_uint_eq((len - 5) / defs[4], 1);
	child = defs + 5;
	type = (uint16_t)le_get(child + 2, 2);
	ck_assert(type & (1u << 2));	 /* DISPLAYPORT_OUTPUT: DP */
	ck_assert(!(type & (1u << 4)));	 /* no TMDS: neither DVI nor HDMI */
	ck_assert(!(type & (1u << 12))); /* not INTERNAL_CONNECTOR: not eDP */
	ck_assert_uint_eq(child[16], 9); /* DVO_PORT_DPD: port D */
	ck_assert_uint_eq(child[25], 0x30); /* DP_AUX_D */
	ck_assert(child[27] & (1u << 5));   /* integrated encoder */
}

/* ---- placement -------------------------------------------------------- */

START_TEST(hvmloader_places_it)
{
	make(_i);
	cw(VGPU_CFG_ASLS, 4, ASLS);
	ck_assert_uint_eq(cr(VGPU_CFG_ASLS, 4), ASLS);
	ck_assert(fake_host_is_mapped(&fh, "opregion", ASLS));
	/* as RAM when the host gives RAM (no handler), trapped otherwise */
	ck_assert(fake_host_find(&fh, IO_SPACE_MMIO, ASLS)->ram == (bool)_i);
	check_image(ASLS);
	/* nothing beyond its two pages */
	ck_assert_uint_eq(g32(ASLS + VGPU_OPREGION_SIZE), 0xffffffffu);
	vgpu_destroy(v);
}
END_TEST

START_TEST(moves_keep_contents)
{
	make(true);
	cw(VGPU_CFG_ASLS, 4, ASLS);
	p32(ASLS + 0x1000, 0xcafe0001);
	cw(VGPU_CFG_ASLS, 4, 0xfd000000u);
	ck_assert_uint_eq(g32(ASLS + 0x1000), 0xffffffffu);
	ck_assert_uint_eq(g32(0xfd000000u + 0x1000), 0xcafe0001);
	check_image(0xfd000000u);
	/* 0: nowhere */
	cw(VGPU_CFG_ASLS, 4, 0);
	ck_assert_uint_eq(g32(0xfd000000u), 0xffffffffu);
	ck_assert_uint_eq(fh.nmapped, 1); /* config space only */
	vgpu_destroy(v);
}
END_TEST

START_TEST(hostile_asls)
{
	static const uint32_t bad[] = {
	    ASLS + 0x800,     /* not page aligned */
	    0xfffff000u,      /* the second page would be past 4 GiB */
	    0x000a0000u,      /* the legacy VGA window, first MiB */
	    0x10000000u,      /* the guest's RAM */
	    RAM_END - 0x1000, /* its first page is RAM */
	    BAR0 + 0x1000,    /* inside BAR0 */
	    BAR0 - 0x1000,    /* its second page is BAR0's first */
	};

	make(true);
	cw(0x10, 4, BAR0);
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cw(VGPU_CFG_ASLS, 4, ASLS);
		ck_assert(fake_host_is_mapped(&fh, "opregion", ASLS));
		cw(VGPU_CFG_ASLS, 4, bad[i]);
		/* the register keeps the value; nothing is decoded there */
		ck_assert_uint_eq(cr(VGPU_CFG_ASLS, 4), bad[i]);
		ck_assert(!fake_host_is_mapped(&fh, "opregion", bad[i]));
		ck_assert(!fake_host_is_mapped(&fh, "opregion", ASLS));
		ck_assert_uint_eq(fh.nmapped, 1);
	}
	/* and a good value works again, contents intact */
	cw(VGPU_CFG_ASLS, 4, ASLS);
	check_image(ASLS);
	vgpu_destroy(v);
}
END_TEST

/* ---- SWSCI -------------------------------------------------------------- */

#define SCIC (ASLS + VGPU_OPREGION_MBOX_SWSCI)
#define PARM (SCIC + 4)
#define FN(main, sub) ((main) << 1 | (sub) << 8)

/* What i915's swsci() does: mailbox, then SCISEL, then the 0->1 edge. */
static uint32_t request(uint32_t function, uint32_t parm, uint32_t *parm_out)
{
	p32(PARM, parm);
	p32(SCIC, function | 1);
	cw(VGPU_CFG_SWSCI, 2, VGPU_SWSCI_SCISEL);
	cw(VGPU_CFG_SWSCI, 2, VGPU_SWSCI_SCISEL | VGPU_SWSCI_GSSCIE);
	*parm_out = g32(PARM);
	return g32(SCIC);
}

START_TEST(swsci_requests)
{
	uint32_t parm;

	make(_i);
	cw(VGPU_CFG_ASLS, 4, ASLS);
	/* the capability queries: SCIC and PARM cleared, as gvt does */
	ck_assert_uint_eq(request(FN(4, 0), 0x1234, &parm), 0);
	ck_assert_uint_eq(parm, 0);
	ck_assert_uint_eq(request(FN(4, 1), 0x1234, &parm), 0);
	ck_assert_uint_eq(request(FN(6, 0), 0x1234, &parm), 0);
	/* anything else: done, exit status 0 (failure), PARM untouched */
	ck_assert_uint_eq(request(FN(6, 8) | 0xe0, 0x55, &parm), FN(6, 8));
	ck_assert_uint_eq(parm, 0x55);
	/* no 0->1 edge (GSSCIE already set): no answer */
	p32(SCIC, FN(4, 0) | 1);
	cw(VGPU_CFG_SWSCI, 2, VGPU_SWSCI_SCISEL | VGPU_SWSCI_GSSCIE);
	ck_assert_uint_eq(g32(SCIC), FN(4, 0) | 1);
	/* an SMI (SCISEL clear) is not served */
	cw(VGPU_CFG_SWSCI, 2, 0);
	cw(VGPU_CFG_SWSCI, 2, VGPU_SWSCI_GSSCIE);
	ck_assert_uint_eq(g32(SCIC), FN(4, 0) | 1);
	/* the register holds only SCISEL and GSSCIE */
	cw(VGPU_CFG_SWSCI, 4, 0xffffffffu);
	ck_assert_uint_eq(cr(VGPU_CFG_SWSCI, 4), 0x8001);
	vgpu_destroy(v);
}
END_TEST

START_TEST(swsci_hostile_functions)
{
	uint32_t parm, scic;

	make(true);
	cw(VGPU_CFG_ASLS, 4, ASLS);
	for (uint32_t s = 0; s < 0x10000; s += 0x3f) {
		bool query =
		    ((s >> 1 & 0xf) == 4 && (s >> 8 == 0 || s >> 8 == 1)) ||
		    ((s >> 1 & 0xf) == 6 && s >> 8 == 0);

		scic = request(s & ~1u, 0xabcd, &parm);
		ck_assert_uint_eq(scic & 1, 0);	       /* answered */
		ck_assert_uint_ne((scic >> 5) & 7, 1); /* never "success" */
		ck_assert_uint_eq(parm, query ? 0 : 0xabcd);
	}
	/* the rest of the region is as it was */
	check_image(ASLS);
	vgpu_destroy(v);
}
END_TEST

/* ---- state ----------------------------------------------------------------
 */

START_TEST(save_load_and_reset)
{
	struct blob_w w;
	struct vgpu *a;

	make(true);
	cw(VGPU_CFG_ASLS, 4, ASLS);
	p32(ASLS + 0x1f00, 0x5a5a1234);
	a = v;
	blob_w_init(&w);
	ck_assert_int_eq(vgpu_save(a, &w), 0);
	vgpu_destroy(a);
	ck_assert_uint_eq(fh.nmapped, 0);

	make(true);
	ck_assert_int_eq(vgpu_load(v, w.buf, w.len), 0);
	blob_w_free(&w);
	ck_assert(fake_host_is_mapped(&fh, "opregion", ASLS));
	ck_assert_uint_eq(g32(ASLS + 0x1f00), 0x5a5a1234);
	check_image(ASLS);

	/* reset: ASLS 0, nothing decoded, fresh contents next time */
	vgpu_reset(v);
	ck_assert_uint_eq(cr(VGPU_CFG_ASLS, 4), 0);
	ck_assert(!fake_host_is_mapped(&fh, "opregion", ASLS));
	cw(VGPU_CFG_ASLS, 4, ASLS);
	ck_assert_uint_eq(g32(ASLS + 0x1f00), 0);
	vgpu_destroy(v);
}
END_TEST

/*
 * After a migration the placement's pages are RAM (the OpRegion's own,
 * copied with the guest): a load places it there all the same, while a
 * guest write of that address would be refused.
 */
START_TEST(load_over_copied_ram)
{
	struct blob_w w;

	fake_host_init(&fh);
	fh.ram_ok = true; /* no guest RAM known: any hole address is taken */
	{
		struct vgpu_config cfg;

		vgpu_config_default(&cfg);
		ck_assert_int_eq(vgpu_create(&cfg, &fh.host, &v), 0);
	}
	cw(VGPU_CFG_ASLS, 4, 0x10000000u);
	ck_assert(fake_host_is_mapped(&fh, "opregion", 0x10000000u));
	blob_w_init(&w);
	ck_assert_int_eq(vgpu_save(v, &w), 0);
	vgpu_destroy(v);

	make(true); /* [0, 2 GiB) is RAM now */
	ck_assert_int_eq(vgpu_load(v, w.buf, w.len), 0);
	blob_w_free(&w);
	ck_assert(fake_host_is_mapped(&fh, "opregion", 0x10000000u));
	check_image(0x10000000u);
	cw(VGPU_CFG_ASLS, 4, 0);
	cw(VGPU_CFG_ASLS, 4, 0x10000000u);
	ck_assert(!fake_host_is_mapped(&fh, "opregion", 0x10000000u));
	vgpu_destroy(v);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("opregion");
	TCase *tc = tcase_create("opregion");

	/* _i: 0 = trapped (no RAM from the host), 1 = RAM */
	tcase_add_loop_test(tc, hvmloader_places_it, 0, 2);
	tcase_add_test(tc, moves_keep_contents);
	tcase_add_test(tc, hostile_asls);
	tcase_add_loop_test(tc, swsci_requests, 0, 2);
	tcase_add_test(tc, swsci_hostile_functions);
	tcase_add_test(tc, save_load_and_reset);
	tcase_add_test(tc, load_over_copied_ram);
	suite_add_tcase(s, tc);
	return vgpu_test_run(s);
}
