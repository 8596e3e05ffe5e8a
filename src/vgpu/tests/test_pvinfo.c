/* SPDX-License-Identifier: MIT */
/*
 * test_pvinfo.c - what i915's vGPU detection and ballooning read from the
 * PVINFO page for each vGPU type, what the guest may write there, the
 * g2v notifications, and the fence registers of the vGPU's share.
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>

#include "test_util.h"
#include "util/log.h"
#include "vgpu/block.h"
#include "vgpu/pvinfo.h"

#define SBDF 0x10
#define BAR0 0xf0000000u
#define PV (BAR0 + 0x78000u)
#define MiB (1ull << 20)

static struct fake_host fh;
static struct vgpu *v;

static uint64_t rd(uint64_t a, unsigned n)
{
	return fake_read(&fh, IO_SPACE_MMIO, a, n);
}

static void wr(uint64_t a, unsigned n, uint64_t val)
{
	fake_write(&fh, IO_SPACE_MMIO, a, n, val);
}

static void make(const char *type, uint32_t id)
{
	struct vgpu_config cfg;

	fake_host_init(&fh);
	vgpu_config_default(&cfg);
	cfg.type = type;
	cfg.vgt_id = id;
	ck_assert_int_eq(vgpu_create(&cfg, &fh.host, &v), 0);
	fake_cfg_write(&fh, SBDF, 0x10, 4, BAR0);
	fake_cfg_write(&fh, SBDF, 0x04, 2, 0x0006);
}

static void teardown(void)
{
	vgpu_destroy(v);
	v = NULL;
}

/* intel_vgpu_detect: a 64-bit magic read, then a 16-bit version read. */
START_TEST(detection)
{
	make(NULL, 7);
	ck_assert_uint_eq(rd(PV, 8), 0x4776544776544776ull);
	ck_assert_uint_eq(rd(PV + 8, 2), 1);  /* version_major */
	ck_assert_uint_eq(rd(PV + 10, 2), 0); /* version_minor */
	ck_assert_uint_eq(rd(PV + 0xc, 4), 7);
	/* FULL_PPGTT and HWSP_EMULATION: i915 refuses a vGPU without them. */
	ck_assert_uint_eq(rd(PV + 0x10, 4), (1u << 2) | (1u << 3));
	/* Read-only: a guest cannot change what it detected. */
	wr(PV, 8, 0);
	wr(PV + 0x10, 4, 0xffffffff);
	wr(PV + 0x40, 4, 0);
	wr(PV + 0x100, 4, 5); /* reserved */
	ck_assert_uint_eq(rd(PV, 8), 0x4776544776544776ull);
	ck_assert_uint_eq(rd(PV + 0x10, 4), 0xc);
	ck_assert_uint_eq(rd(PV + 0x100, 4), 0);
	teardown();
}
END_TEST

/* The ballooning partition of every type, with i915's checks on it. */
START_TEST(partition_per_type)
{
	static const struct {
		const char *type;
		uint64_t aperture, low, high;
	} t[] = {
	    {"GVTg_V5_8", 256 * MiB, 64 * MiB, 384 * MiB},
	    {"GVTg_V5_4", 256 * MiB, 128 * MiB, 512 * MiB},
	    {"GVTg_V5_2", 512 * MiB, 256 * MiB, 1024 * MiB},
	    {"GVTg_V5_1", 1024 * MiB, 512 * MiB, 2048 * MiB},
	};
	unsigned i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		uint64_t mb, ms, hb, hs, bar2;

		make(t[i].type, 1);
		/* BAR2's size is the type's aperture. */
		fake_cfg_write(&fh, SBDF, 0x18, 4, 0xffffffff);
		fake_cfg_write(&fh, SBDF, 0x1c, 4, 0xffffffff);
		bar2 = ~((uint64_t)fake_cfg_read(&fh, SBDF, 0x1c, 4) << 32 |
			 (fake_cfg_read(&fh, SBDF, 0x18, 4) & ~0xfu)) +
		       1;
		ck_assert_uint_eq(bar2, t[i].aperture);
		mb = rd(PV + 0x40, 4);
		ms = rd(PV + 0x44, 4);
		hb = rd(PV + 0x48, 4);
		hs = rd(PV + 0x4c, 4);
		ck_assert_uint_eq(ms, t[i].low);
		ck_assert_uint_eq(hs, t[i].high);
		ck_assert_uint_eq(mb, 128 * MiB); /* after the host's part */
		ck_assert_uint_eq(hb, t[i].aperture + 384 * MiB);
		/* intel_vgt_balloon's checks */
		ck_assert_uint_le(mb + ms, bar2);
		ck_assert_uint_ge(hb, bar2);
		ck_assert_uint_le(hb + hs, 4096 * MiB);
		ck_assert_uint_eq(rd(PV + 0x50, 4), 4);
		teardown();
	}
}
END_TEST

START_TEST(unknown_type_refused)
{
	struct vgpu_config cfg;

	fake_host_init(&fh);
	vgpu_config_default(&cfg);
	cfg.type = "GVTg_V5_3";
	ck_assert_int_eq(vgpu_create(&cfg, &fh.host, &v), -EINVAL);
	/* An aperture too small for the type's mappable slice. */
	cfg.type = "GVTg_V5_2";
	cfg.aperture_size = 256 * MiB;
	ck_assert_int_eq(vgpu_create(&cfg, &fh.host, &v), -EINVAL);
}
END_TEST

START_TEST(guest_writes)
{
	const struct vgpu_ppgtt_root *roots;
	struct pvinfo *p;

	make(NULL, 1);
	p = vgpu_block_state(v, &vgpu_pvinfo_block);
	ck_assert(!vgpu_pvinfo_display_ready(p));
	wr(PV + 0x804, 4, 1);
	ck_assert(vgpu_pvinfo_display_ready(p));
	ck_assert_uint_eq(rd(PV + 0x804, 4), 1);
	/* An L4 PPGTT: the PML4 in pdp[0], then the notification. */
	wr(PV + 0x838, 4, 0x12345000);
	wr(PV + 0x83c, 4, 0x1);
	wr(PV + 0x818, 4, 4);
	ck_assert_uint_eq(vgpu_pvinfo_ppgtts(p, &roots), 1);
	ck_assert_uint_eq(roots[0].levels, 4);
	ck_assert_uint_eq(roots[0].pdp[0], 0x112345000ull);
	/* An L3 one: four PDPs. */
	for (unsigned i = 0; i < 4; i++)
		wr(PV + 0x838 + 8 * i, 8, 0x1000u * (i + 1));
	wr(PV + 0x818, 4, 2);
	ck_assert_uint_eq(vgpu_pvinfo_ppgtts(p, &roots), 2);
	ck_assert_uint_eq(roots[1].levels, 3);
	ck_assert_uint_eq(roots[1].pdp[3], 0x4000);
	/* Destroying the L4 one forgets exactly it. */
	wr(PV + 0x838, 8, 0x112345000ull);
	wr(PV + 0x818, 4, 5);
	ck_assert_uint_eq(vgpu_pvinfo_ppgtts(p, &roots), 1);
	ck_assert_uint_eq(roots[0].levels, 3);
	/* Context create/destroy: accepted, nothing to do. */
	wr(PV + 0x818, 4, 6);
	ck_assert_uint_eq(rd(PV + 0x818, 4), 6);
	/* Unknown codes are refused: the register keeps its value. */
	wr(PV + 0x818, 4, 8);
	wr(PV + 0x818, 4, 0xffffffff);
	wr(PV + 0x818, 2, 4);
	ck_assert_uint_eq(rd(PV + 0x818, 4), 6);
	ck_assert_uint_eq(vgpu_pvinfo_ppgtts(p, &roots), 1);
	/* Stored fields. */
	wr(PV + 0x830, 8, 0x0000001000000020ull);
	ck_assert_uint_eq(rd(PV + 0x830, 8), 0x0000001000000020ull);
	teardown();
}
END_TEST

START_TEST(ppgtt_roots_bounded)
{
	const struct vgpu_ppgtt_root *roots;
	struct pvinfo *p;
	unsigned i;

	make(NULL, 1);
	p = vgpu_block_state(v, &vgpu_pvinfo_block);
	for (i = 0; i < VGPU_PVINFO_MAX_PPGTT + 10; i++) {
		wr(PV + 0x838, 8, 0x100000ull + 0x1000ull * i);
		wr(PV + 0x818, 4, 4);
	}
	ck_assert_uint_eq(vgpu_pvinfo_ppgtts(p, &roots), VGPU_PVINFO_MAX_PPGTT);
	/* The same root twice is one; an unknown destroy changes nothing. */
	wr(PV + 0x838, 8, 0x100000ull);
	wr(PV + 0x818, 4, 4);
	wr(PV + 0x838, 8, 0xdead000ull);
	wr(PV + 0x818, 4, 5);
	ck_assert_uint_eq(vgpu_pvinfo_ppgtts(p, &roots), VGPU_PVINFO_MAX_PPGTT);
	/* Reset forgets them and keeps the identity. */
	vgpu_reset(v);
	ck_assert_uint_eq(vgpu_pvinfo_ppgtts(p, &roots), 0);
	fake_cfg_write(&fh, SBDF, 0x10, 4, BAR0);
	fake_cfg_write(&fh, SBDF, 0x04, 2, 0x0006);
	ck_assert_uint_eq(rd(PV, 8), 0x4776544776544776ull);
	ck_assert_uint_eq(rd(PV + 0x44, 4), 128 * MiB);
	teardown();
}
END_TEST

START_TEST(roots_saved)
{
	const struct vgpu_ppgtt_root *roots;
	struct vgpu *w = NULL;
	static struct fake_host fh2;
	struct vgpu_config cfg;
	struct blob_w b;

	make(NULL, 1);
	wr(PV + 0x838, 8, 0xabc000ull);
	wr(PV + 0x818, 4, 4);
	blob_w_init(&b);
	ck_assert_int_eq(vgpu_save(v, &b), 0);
	fake_host_init(&fh2);
	vgpu_config_default(&cfg);
	cfg.vgt_id = 9;
	ck_assert_int_eq(vgpu_create(&cfg, &fh2.host, &w), 0);
	ck_assert_int_eq(vgpu_load(w, b.buf, b.len), 0);
	ck_assert_uint_eq(
	    vgpu_pvinfo_ppgtts(vgpu_block_state(w, &vgpu_pvinfo_block), &roots),
	    1);
	ck_assert_uint_eq(roots[0].pdp[0], 0xabc000ull);
	/* Identity is the loading vGPU's own. */
	ck_assert_uint_eq(fake_read(&fh2, IO_SPACE_MMIO, PV + 0xc, 4), 9);
	blob_w_free(&b);
	vgpu_destroy(w);
	teardown();
}
END_TEST

/* The vGPU's fences store what is written; the rest belong to no one. */
START_TEST(fences)
{
	unsigned n;

	make("GVTg_V5_8", 1);
	for (n = 0; n < 32; n++)
		wr(BAR0 + 0x100000 + 8 * n, 8, 0x1234000000005001ull + n);
	for (n = 0; n < 32; n++)
		ck_assert_uint_eq(rd(BAR0 + 0x100000 + 8 * n, 8),
				  n < 4 ? 0x1234000000005001ull + n : 0);
	/* The high dword alone. */
	wr(BAR0 + 0x100004, 4, 0x77);
	ck_assert_uint_eq(rd(BAR0 + 0x100000, 8), 0x0000007700005001ull);
	teardown();
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("pvinfo");
	TCase *tc = tcase_create("pvinfo");

	tcase_add_test(tc, detection);
	tcase_add_test(tc, partition_per_type);
	tcase_add_test(tc, unknown_type_refused);
	tcase_add_test(tc, guest_writes);
	tcase_add_test(tc, ppgtt_roots_bounded);
	tcase_add_test(tc, roots_saved);
	tcase_add_test(tc, fences);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return vgpu_test_run(suite());
}
