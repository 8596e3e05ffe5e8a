/* SPDX-License-Identifier: MIT */
/*
 * test_aperture.c - BAR2 as the guest sees it: stores through the
 * RAM-backed aperture reach the page the GGTT entry names at the next sync
 * point (GFX_FLSH_CNTL, the tick, reset), a rebind writes pending data to
 * the old page before loading the new one, entries without guest RAM
 * behind them bind nothing and nothing outside guest RAM is written, the
 * trapped fallback gives the same bytes, a moved BAR2 keeps working, and
 * the parts of BAR2 the vGPU does not own read all-ones.
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>

#include "test_util.h"
#include "util/log.h"
#include "vgpu/aperture.h"
#include "vgpu/block.h"
#include "vgpu/layout.h"

#define SBDF 0x10
#define BAR0 0xf0000000u
#define BAR2 0xc0000000u
#define IOBAR 0xc000u
#define RAM_END (16u << 20)
#define FLSH 0x101008u
#define MiB (1ull << 20)

static struct fake_host fh;
static struct vgpu *v;
static uint8_t *guest;
static uint64_t slice; /* the mappable slice's GM base (= BAR2 offset) */

static void make_type(bool ram, const char *type)
{
	struct vgpu_config cfg;

	fake_host_init(&fh);
	fh.ram_ok = ram;
	free(guest);
	guest = calloc(1, RAM_END);
	ck_assert_ptr_nonnull(guest);
	fake_host_guest_buf(&fh, guest, RAM_END);
	vgpu_config_default(&cfg);
	cfg.type = type;
	ck_assert_int_eq(vgpu_create(&cfg, &fh.host, &v), 0);
	slice = vgpu_partition(v)->mappable_base;
	fake_cfg_write(&fh, SBDF, 0x10, 4, BAR0);
	fake_cfg_write(&fh, SBDF, 0x14, 4, 0);
	fake_cfg_write(&fh, SBDF, 0x18, 4, BAR2);
	fake_cfg_write(&fh, SBDF, 0x1c, 4, 0);
	fake_cfg_write(&fh, SBDF, 0x20, 4, IOBAR | 1);
	fake_cfg_write(&fh, SBDF, 0x04, 2, 0x0007);
}

static void make(bool ram)
{
	make_type(ram, "GVTg_V5_8");
}

static void done(void)
{
	vgpu_destroy(v);
	v = NULL;
	fake_host_fini(&fh);
	free(guest);
	guest = NULL;
}

static struct vgpu_aperture *ap(void)
{
	return vgpu_block_state(v, &vgpu_aperture_block);
}

static struct vgpu_aperture_stats stats(void)
{
	struct vgpu_aperture_stats st;

	vgpu_aperture_get_stats(ap(), &st);
	return st;
}

/* The guest binds slot s of its slice to guest page gpa. */
static void pte(uint32_t s, uint64_t val)
{
	uint64_t index = slice / 4096 + s;

	fake_write(&fh, IO_SPACE_MMIO, BAR0 + VGPU_GGTT_OFFSET + 8 * index, 8,
		   val);
}

static void flush(void)
{
	fake_write(&fh, IO_SPACE_MMIO, BAR0 + FLSH, 4, 1);
}

/* A guest store through the aperture at slot s, byte off. */
static void ap_write(uint32_t s, unsigned off, unsigned size, uint64_t val)
{
	fake_write(&fh, IO_SPACE_MMIO, BAR2 + slice + 4096ull * s + off, size,
		   val);
}

static uint64_t ap_read(uint32_t s, unsigned off, unsigned size)
{
	return fake_read(&fh, IO_SPACE_MMIO, BAR2 + slice + 4096ull * s + off,
			 size);
}

static uint64_t at(uint64_t gpa, unsigned size)
{
	uint64_t x = 0;

	memcpy(&x, guest + gpa, size);
	return x;
}

START_TEST(writes_reach_source_at_flush)
{
	make(true);
	ck_assert(stats().in_ram);
	ck_assert_uint_eq(stats().slots, 64 * MiB / 4096);
	ck_assert(fake_host_is_mapped(&fh, "gmadr-ram", BAR2 + slice));
	pte(3, 0x5000 | 1);
	flush();
	ck_assert_uint_eq(stats().bound, 1);
	ap_write(3, 16, 8, 0x1122334455667788ull);
	/* a plain store: no handler, in the aperture's RAM */
	ck_assert_uint_eq(ap_read(3, 16, 8), 0x1122334455667788ull);
	ck_assert_uint_eq(at(0x5000 + 16, 8), 0); /* not yet */
	flush();
	ck_assert_uint_eq(at(0x5000 + 16, 8), 0x1122334455667788ull);
	ck_assert_uint_eq(stats().writebacks, 1);
	/* an explicit sync (device-side readers) does the same */
	ap_write(3, 4088, 8, 0xabcdull);
	ck_assert_int_eq(vgpu_aperture_sync(ap()), 0);
	ck_assert_uint_eq(at(0x5000 + 4088, 8), 0xabcd);
	/* nothing written: nothing copied */
	flush();
	ck_assert_uint_eq(stats().writebacks, 2);
	/* GFX_FLSH_CNTL reads 0 */
	ck_assert_uint_eq(fake_read(&fh, IO_SPACE_MMIO, BAR0 + FLSH, 4), 0);
	done();
}
END_TEST

START_TEST(bind_loads_source)
{
	make(true);
	memset(guest + 0x7000, 0x5a, 4096);
	pte(9, 0x7000 | 1);
	flush();
	ck_assert_uint_eq(ap_read(9, 0, 8), 0x5a5a5a5a5a5a5a5aull);
	ck_assert_uint_eq(ap_read(9, 4092, 4), 0x5a5a5a5a);
	/* loading is the device's own write: nothing to write back */
	flush();
	ck_assert_uint_eq(stats().writebacks, 0);
	ck_assert_uint_eq(stats().loads, 1);
	done();
}
END_TEST

START_TEST(rebind_writes_old_source_first)
{
	make(true);
	memset(guest + 0x6000, 0x66, 4096);
	pte(2, 0x5000 | 1);
	flush();
	ap_write(2, 0, 4, 0xdeadbeef);
	/* the guest rebinds the slot before any sync point */
	pte(2, 0x6000 | 1);
	flush();
	ck_assert_uint_eq(at(0x5000, 4), 0xdeadbeef); /* not lost */
	ck_assert_uint_eq(ap_read(2, 0, 4), 0x66666666);
	ck_assert_uint_eq(at(0x6000, 4), 0x66666666); /* new one untouched */
	ap_write(2, 8, 1, 0x01);
	flush();
	ck_assert_uint_eq(at(0x6008, 1), 0x01);
	ck_assert_uint_eq(at(0x5008, 1), 0);
	done();
}
END_TEST

START_TEST(no_ram_behind_binds_nothing)
{
	uint8_t *before;

	make(true);
	before = malloc(RAM_END);
	ck_assert_ptr_nonnull(before);
	pte(0, 0x40000000ull | 1);		/* past guest RAM */
	pte(1, (BAR2 + slice + 4096 * 5) | 1);	/* the aperture itself */
	pte(2, (uint64_t)(RAM_END - 4096) | 0); /* not present */
	pte(3, 0x7fffff000ull | 1);		/* the top of 39 bits */
	pte(4, 0xfffffffffffff001ull);		/* bits past 38 ignored */
	flush();
	ck_assert_uint_eq(stats().bound, 0);
	memcpy(before, guest, RAM_END);
	ap_write(0, 0, 8, ~0ull);
	ap_write(1, 0, 8, ~0ull);
	ap_write(2, 0, 8, ~0ull);
	ap_write(3, 0, 8, ~0ull);
	ap_write(4, 0, 8, ~0ull);
	flush();
	ck_assert(!memcmp(before, guest, RAM_END));
	ck_assert_uint_eq(stats().writebacks, 0);
	/* nothing bound: nothing tracked, so not even counted */
	ck_assert_uint_eq(stats().span, 0);
	ck_assert_uint_eq(stats().dropped, 0);
	/* the aperture page keeps what the guest stored in it */
	ck_assert_uint_eq(ap_read(0, 0, 8), ~0ull);
	free(before);
	done();
}
END_TEST

START_TEST(unbound_writes_go_nowhere)
{
	make(true);
	pte(7, 0x5000 | 1);
	flush();
	ap_write(7, 0, 4, 0x11111111);
	pte(7, 0); /* unbound: the pending write still reaches 0x5000 */
	flush();
	ck_assert_uint_eq(at(0x5000, 4), 0x11111111);
	ck_assert_uint_eq(stats().bound, 0);
	ap_write(7, 0, 4, 0x22222222);
	flush();
	ck_assert_uint_eq(at(0x5000, 4), 0x11111111);
	done();
}
END_TEST

START_TEST(unowned_parts_read_ones)
{
	make(true);
	ck_assert(fake_host_is_mapped(&fh, "gmadr-host", BAR2));
	ck_assert(
	    fake_host_is_mapped(&fh, "gmadr-high", BAR2 + slice + 64 * MiB));
	ck_assert_uint_eq(fake_read(&fh, IO_SPACE_MMIO, BAR2, 4), 0xffffffffu);
	fake_write(&fh, IO_SPACE_MMIO, BAR2 + 8, 8, 0);
	ck_assert_uint_eq(fake_read(&fh, IO_SPACE_MMIO, BAR2 + 8, 8), ~0ull);
	ck_assert_uint_eq(
	    fake_read(&fh, IO_SPACE_MMIO, BAR2 + slice + 64 * MiB, 2), 0xffff);
	done();
}
END_TEST

/* The same guest actions, RAM-backed and trapped: the same bytes. */
static void scenario(uint64_t out[4])
{
	memset(guest + 0x8000, 0x42, 4096);
	pte(1, 0x8000 | 1);
	pte(2, 0x9000 | 1);
	flush();
	ap_write(1, 100, 4, 0xcafef00d);
	ap_write(2, 4095, 1, 0x99);
	ap_write(2, 0, 2, 0x1234);
	flush();
	out[0] = at(0x8000 + 100, 4) | at(0x8000 + 96, 4) << 32;
	out[1] = at(0x9000 + 4095, 1) << 16 | at(0x9000, 2);
	out[2] = ap_read(1, 96, 8);
	out[3] = ap_read(2, 0, 4);
}

START_TEST(trapped_gives_same_bytes)
{
	uint64_t a[4], b[4];
	unsigned i;

	make(true);
	scenario(a);
	done();
	make(false);
	ck_assert(!stats().in_ram);
	ck_assert(fake_host_is_mapped(&fh, "gmadr-trap", BAR2 + slice));
	scenario(b);
	for (i = 0; i < 4; i++)
		ck_assert_uint_eq(a[i], b[i]);
	/* trapped: a store reaches its page at once */
	ap_write(1, 0, 4, 0x77);
	ck_assert_uint_eq(at(0x8000, 4), 0x77);
	/* no page behind: all-ones, dropped */
	ck_assert_uint_eq(ap_read(30, 0, 4), 0xffffffffu);
	done();
}
END_TEST

START_TEST(config_trapped)
{
	struct vgpu_config cfg;

	fake_host_init(&fh);
	fh.ram_ok = true;
	vgpu_config_default(&cfg);
	cfg.aperture_trapped = true;
	ck_assert_int_eq(vgpu_create(&cfg, &fh.host, &v), 0);
	ck_assert(!stats().in_ram);
	ck_assert_ptr_null(fh.ram3_region);
	done();
}
END_TEST

START_TEST(bar2_moved)
{
	make(true);
	pte(5, 0x5000 | 1);
	flush();
	ap_write(5, 0, 4, 0xa1a1a1a1); /* pending when the BAR moves */
	fake_cfg_write(&fh, SBDF, 0x04, 2, 0x0005);
	ck_assert(!fake_host_is_mapped(&fh, "gmadr-ram", BAR2 + slice));
	fake_cfg_write(&fh, SBDF, 0x18, 4, 0xd0000000u);
	fake_cfg_write(&fh, SBDF, 0x04, 2, 0x0007);
	ck_assert(fake_host_is_mapped(&fh, "gmadr-ram", 0xd0000000u + slice));
	flush();
	ck_assert_uint_eq(at(0x5000, 4), 0xa1a1a1a1);
	fake_write(&fh, IO_SPACE_MMIO, 0xd0000000u + slice + 5 * 4096 + 4, 4,
		   0xb2b2b2b2);
	flush();
	ck_assert_uint_eq(at(0x5004, 4), 0xb2b2b2b2);
	ck_assert_uint_eq(fh.ram3_moves, 3);
	done();
}
END_TEST

START_TEST(second_type)
{
	const uint32_t last = (uint32_t)(256 * MiB / 4096) - 1;

	make_type(true, "GVTg_V5_2");
	ck_assert_uint_eq(slice, 128 * MiB);
	ck_assert_uint_eq(stats().slots, 256 * MiB / 4096);
	pte(last, 0x3000 | 1);
	flush();
	ap_write(last, 4092, 4, 0x0badf00d);
	flush();
	ck_assert_uint_eq(at(0x3000 + 4092, 4), 0x0badf00d);
	/* just past the slice: the host's again */
	ck_assert(fake_host_is_mapped(&fh, "gmadr-high", BAR2 + 384 * MiB));
	ck_assert_uint_eq(fake_read(&fh, IO_SPACE_MMIO, BAR2 + 384 * MiB, 4),
			  0xffffffffu);
	done();
	make_type(true, "GVTg_V5_8");
	ck_assert_uint_eq(stats().slots, 64 * MiB / 4096);
	done();
}
END_TEST

START_TEST(tick_is_a_sync_point)
{
	make(true);
	ck_assert_uint_eq(fh.timer_period_ns, 0); /* nothing bound */
	pte(1, 0x5000 | 1);
	flush();
	ck_assert_uint_eq(fh.timer_period_ns, 250000000u);
	ap_write(1, 0, 4, 0x600d);
	fake_host_tick(&fh, 1);
	ck_assert_uint_eq(at(0x5000, 4), 0x600d);
	/* the last slot unbound: the tick stops */
	pte(1, 0);
	flush();
	ck_assert_uint_eq(fh.timer_period_ns, 0);
	done();
}
END_TEST

START_TEST(reset_writes_back_and_unbinds)
{
	make(true);
	pte(1, 0x5000 | 1);
	flush();
	ap_write(1, 0, 4, 0x7e7e);
	vgpu_reset(v);
	ck_assert_uint_eq(at(0x5000, 4), 0x7e7e);
	ck_assert_uint_eq(stats().bound, 0);
	done();
}
END_TEST

START_TEST(no_dirty_tracking_writes_back_all)
{
	make(true);
	pte(1, 0x5000 | 1);
	pte(2, 0x6000 | 1);
	flush();
	fh.no_dirty = true;
	ap_write(1, 0, 4, 0x1);
	flush();
	ck_assert_uint_eq(at(0x5000, 4), 0x1);
	ck_assert_uint_ge(stats().writebacks, 2);
	done();
}
END_TEST

START_TEST(save_load_adopts)
{
	struct blob_w w;

	make(true);
	pte(1, 0x5000 | 1);
	flush();
	ap_write(1, 0, 4, 0x5a5a);
	blob_w_init(&w);
	ck_assert_int_eq(vgpu_save(v, &w), 0);
	/* saving synced: the source has it */
	ck_assert_uint_eq(at(0x5000, 4), 0x5a5a);
	/* the same vGPU loads it back: slot 1 is bound again, no copy */
	ck_assert_int_eq(vgpu_load(v, w.buf, w.len), 0);
	ck_assert_uint_eq(stats().bound, 1);
	ap_write(1, 4, 4, 0x77);
	flush();
	ck_assert_uint_eq(at(0x5004, 4), 0x77);
	ck_assert_uint_eq(stats().loads, 1);
	blob_w_free(&w);
	done();
}
END_TEST

/* The host tracks only the span of bound slots, rounded to 64. */
START_TEST(tracks_only_the_bound_span)
{
	make(true);
	pte(100, 0x5000 | 1);
	flush();
	ck_assert_uint_eq(fh.span_first, 64);
	ck_assert_uint_eq(fh.span_n, 64);
	ck_assert_uint_eq(stats().span, 64);
	pte(1000, 0x6000 | 1);
	flush();
	ck_assert_uint_eq(fh.span_first, 64);
	ck_assert_uint_eq(fh.span_n, 1024 - 64);
	ap_write(100, 8, 4, 0x1111);
	ap_write(1000, 8, 4, 0x2222);
	flush();
	ck_assert_uint_eq(at(0x5008, 4), 0x1111);
	ck_assert_uint_eq(at(0x6008, 4), 0x2222);
	/* the low one goes: the span shrinks to the high one's word */
	pte(100, 0);
	flush();
	ck_assert_uint_eq(fh.span_first, 960);
	ck_assert_uint_eq(fh.span_n, 64);
	ap_write(1000, 12, 4, 0x3333);
	flush();
	ck_assert_uint_eq(at(0x600c, 4), 0x3333);
	/* nothing bound: nothing tracked */
	pte(1000, 0);
	flush();
	ck_assert_uint_eq(fh.span_n, 0);
	ck_assert_uint_eq(stats().span, 0);
	done();
}
END_TEST

/*
 * i915 points every unused entry at its scratch page: those slots stay
 * unbound (their stores are dropped, not written to it), so the span
 * the host tracks covers only the real bindings.
 */
START_TEST(scratch_slots_are_not_bound)
{
	make(true);
	for (uint32_t s = 0; s < 200; s++)
		pte(s, 0x7000 | 1);
	pte(300, 0x5000 | 1);
	flush();
	ck_assert_uint_eq(stats().bound, 1);
	ck_assert_uint_eq(fh.span_first, 256);
	ck_assert_uint_eq(fh.span_n, 64);
	ap_write(300, 0, 4, 0xfeed);
	ap_write(7, 0, 4, 0xbad);
	flush();
	ck_assert_uint_eq(at(0x5000, 4), 0xfeed);
	ck_assert_uint_eq(at(0x7000, 4), 0);
	/* fewer than 64 sharers: an ordinary page, bound in each slot */
	for (uint32_t s = 0; s < 200; s++)
		pte(s, s < 150 ? 0 : 0x7000 | 1);
	flush();
	ck_assert_uint_eq(stats().bound, 51);
	ap_write(160, 4, 4, 0x600d);
	flush();
	ck_assert_uint_eq(at(0x7004, 4), 0x600d);
	done();
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("aperture");
	TCase *tc = tcase_create("aperture");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, writes_reach_source_at_flush);
	tcase_add_test(tc, bind_loads_source);
	tcase_add_test(tc, rebind_writes_old_source_first);
	tcase_add_test(tc, no_ram_behind_binds_nothing);
	tcase_add_test(tc, unbound_writes_go_nowhere);
	tcase_add_test(tc, unowned_parts_read_ones);
	tcase_add_test(tc, trapped_gives_same_bytes);
	tcase_add_test(tc, config_trapped);
	tcase_add_test(tc, bar2_moved);
	tcase_add_test(tc, second_type);
	tcase_add_test(tc, tick_is_a_sync_point);
	tcase_add_test(tc, tracks_only_the_bound_span);
	tcase_add_test(tc, scratch_slots_are_not_bound);
	tcase_add_test(tc, reset_writes_back_and_unbinds);
	tcase_add_test(tc, no_dirty_tracking_writes_back_all);
	tcase_add_test(tc, save_load_adopts);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return vgpu_test_run(suite());
}
