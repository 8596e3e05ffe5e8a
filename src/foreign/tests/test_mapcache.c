/* SPDX-License-Identifier: MIT */
/*
 * test_mapcache.c - the map cache over an in-memory guest.
 *
 * The fake backend maps guest pages from a memfd; pages that are not guest
 * RAM are left PROT_NONE in the bucket's mapping, so touching one crashes
 * the test exactly where Xen's privcmd would raise SIGBUS.
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "foreign/mapcache.h"

#define GUEST_PAGES 4096u /* 16 MiB */

struct fake_guest {
	int fd;
	uint8_t *ram; /* a direct view of all of it */
	unsigned maps, unmaps;
	struct {
		uint64_t pfn, nr;
	} dirty[64];
	unsigned nr_dirty;
};

static bool is_ram(uint64_t pfn)
{
	if (pfn >= GUEST_PAGES)
		return false;
	if (pfn >= 0xa0 && pfn < 0xc0) /* legacy VGA hole */
		return false;
	return pfn != 0x300;
}

static void *fake_map(void *ctx, uint64_t first_pfn, unsigned n, int *err)
{
	struct fake_guest *g = ctx;
	unsigned i, ok = 0;
	uint8_t *va;

	va = mmap(NULL, (size_t)n * 4096, PROT_NONE,
		  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ck_assert_ptr_ne(va, MAP_FAILED);
	for (i = 0; i < n; i++) {
		err[i] = is_ram(first_pfn + i) ? 0 : -EINVAL;
		if (err[i])
			continue;
		ok++;
		ck_assert_ptr_ne(mmap(va + (size_t)i * 4096, 4096,
				      PROT_READ | PROT_WRITE,
				      MAP_SHARED | MAP_FIXED, g->fd,
				      (off_t)((first_pfn + i) * 4096)),
				 MAP_FAILED);
	}
	g->maps++;
	if (!ok) {
		munmap(va, (size_t)n * 4096);
		return NULL;
	}
	return va;
}

static void fake_unmap(void *ctx, void *va, unsigned n)
{
	struct fake_guest *g = ctx;

	g->unmaps++;
	munmap(va, (size_t)n * 4096);
}

static int fake_dirty(void *ctx, uint64_t pfn, uint32_t nr)
{
	struct fake_guest *g = ctx;

	if (g->nr_dirty < 64) {
		g->dirty[g->nr_dirty].pfn = pfn;
		g->dirty[g->nr_dirty].nr = nr;
	}
	g->nr_dirty++;
	return 0;
}

static struct fake_guest g;
static struct mapcache *mc;

static void setup(void)
{
	struct mapcache_backend be = {fake_map, fake_unmap, fake_dirty, &g};

	memset(&g, 0, sizeof(g));
	g.fd = memfd_create("guest", 0);
	ck_assert_int_ge(g.fd, 0);
	ck_assert_int_eq(ftruncate(g.fd, (off_t)GUEST_PAGES * 4096), 0);
	g.ram = mmap(NULL, (size_t)GUEST_PAGES * 4096, PROT_READ | PROT_WRITE,
		     MAP_SHARED, g.fd, 0);
	ck_assert_ptr_ne(g.ram, MAP_FAILED);
	for (size_t i = 0; i < (size_t)GUEST_PAGES * 4096; i += 4)
		memcpy(g.ram + i, &(uint32_t){(uint32_t)i}, 4);
	ck_assert_int_eq(mapcache_create(&be, 8, &mc), 0);
}

static void teardown(void)
{
	mapcache_destroy(mc);
	munmap(g.ram, (size_t)GUEST_PAGES * 4096);
	close(g.fd);
}

START_TEST(arithmetic)
{
	uint64_t last;

	ck_assert(!mc_span_last(0x1000, 0, &last));
	ck_assert(!mc_span_last(~0ull - 2, 4, &last));
	ck_assert(mc_span_last(~0ull - 3, 4, &last));
	ck_assert_uint_eq(last, ~0ull);
	ck_assert(mc_span_last(0x1000, 1, &last));
	ck_assert_uint_eq(last, 0x1000);
	ck_assert_uint_eq(mc_bucket_of(0xfffff), 0);
	ck_assert_uint_eq(mc_bucket_of(0x100000), 1);
	ck_assert_uint_eq(mc_bucket_first_pfn(3), 0x300);
	ck_assert_uint_eq(mc_page_in_bucket(0x1ff000), 0xff);
	ck_assert_uint_eq(mc_offset_in_bucket(0x1ff123), 0xff123);
	ck_assert_uint_eq(mc_chunk(0xfff00, 0x1000), 0x100);
	ck_assert_uint_eq(mc_chunk(0x100000, 0x1000), 0x1000);
	ck_assert_uint_eq(mc_nr_buckets(0xfffff, 0x100000), 2);
	ck_assert_uint_eq(mc_nr_buckets(0x0, 0xfffff), 1);
	ck_assert_uint_eq(mc_nr_buckets(0x0, 0x300000), 4);
}
END_TEST

START_TEST(read_write_cross_bucket)
{
	struct gmem *gm = mapcache_gmem(mc);
	uint8_t buf[300], back[300];
	uint64_t gpa = 0x100000 - 100;

	ck_assert_int_eq(gmem_read(gm, gpa, buf, sizeof(buf)), 0);
	ck_assert_mem_eq(buf, g.ram + gpa, sizeof(buf));
	for (unsigned i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)(i * 7);
	ck_assert_int_eq(gmem_write(gm, gpa, buf, sizeof(buf)), 0);
	ck_assert_mem_eq(g.ram + gpa, buf, sizeof(buf));
	ck_assert_int_eq(gmem_read(gm, gpa, back, sizeof(back)), 0);
	ck_assert_mem_eq(back, buf, sizeof(buf));
	/* one dirty call covering both pages, one per write */
	ck_assert_uint_eq(g.nr_dirty, 1);
	ck_assert_uint_eq(g.dirty[0].pfn, 0xff);
	ck_assert_uint_eq(g.dirty[0].nr, 2);
	ck_assert_uint_eq(g.maps, 2);
}
END_TEST

START_TEST(dirty_every_write)
{
	uint8_t b = 1;
	uint8_t big[3 * 4096 + 2];

	ck_assert_int_eq(mapcache_write(mc, 0x5000, &b, 1), 0);
	ck_assert_int_eq(mapcache_write(mc, 0x5000, &b, 1), 0);
	memset(big, 0x5a, sizeof(big));
	ck_assert_int_eq(mapcache_write(mc, 0x7fff, big, sizeof(big)), 0);
	ck_assert_uint_eq(g.nr_dirty, 3);
	ck_assert_uint_eq(g.dirty[1].pfn, 5);
	ck_assert_uint_eq(g.dirty[1].nr, 1);
	ck_assert_uint_eq(g.dirty[2].pfn, 7);
	ck_assert_uint_eq(g.dirty[2].nr, 5);
}
END_TEST

START_TEST(hole_refused_whole)
{
	static uint8_t big[0x2000];
	uint8_t buf[64], before[64];
	uint64_t gpa = 0xa0000 - 32; /* half RAM, half the VGA hole */

	memcpy(before, g.ram + gpa, sizeof(before));
	memset(buf, 0, sizeof(buf));
	ck_assert_int_eq(mapcache_read(mc, gpa, buf, sizeof(buf)), -EFAULT);
	for (unsigned i = 0; i < sizeof(buf); i++)
		ck_assert_uint_eq(buf[i], 0xff);
	memset(buf, 0x11, sizeof(buf));
	ck_assert_int_eq(mapcache_write(mc, gpa, buf, sizeof(buf)), -EFAULT);
	ck_assert_mem_eq(g.ram + gpa, before, sizeof(before));
	ck_assert_uint_eq(g.nr_dirty, 0);
	/* a single hole page in the middle of a bucket */
	ck_assert_int_eq(mapcache_read(mc, 0x300ff0, buf, 32), -EFAULT);
	ck_assert_int_eq(mapcache_read(mc, 0x2ffff0, buf, 16), 0);
	ck_assert_int_eq(mapcache_read(mc, 0x301000, buf, 16), 0);
	/* a range crossing into a bucket with a hole, refused before copying */
	memset(big, 0x22, sizeof(big));
	memcpy(before, g.ram + 0x2ffff0, 16);
	ck_assert_int_eq(mapcache_write(mc, 0x2ffff0, big, 0x1010 + 16),
			 -EFAULT);
	ck_assert_mem_eq(g.ram + 0x2ffff0, before, 16);
}
END_TEST

START_TEST(outside_ram_and_overflow)
{
	uint8_t buf[16];

	ck_assert_int_eq(mapcache_read(mc, (uint64_t)GUEST_PAGES * 4096 - 8,
				       buf, 16),
			 -EFAULT);
	ck_assert_uint_eq(buf[0], 0xff);
	ck_assert_int_eq(mapcache_read(mc, 0x7fffffff000ull, buf, 16),
			 -EFAULT);
	ck_assert_int_eq(mapcache_read(mc, ~0ull - 4, buf, 16), -EFAULT);
	ck_assert_uint_eq(buf[15], 0xff);
	ck_assert_int_eq(mapcache_write(mc, ~0ull - 4, buf, 16), -EFAULT);
	ck_assert_int_eq(mapcache_read(mc, 0, buf, 0), 0);
	ck_assert_uint_eq(g.nr_dirty, 0);
}
END_TEST

START_TEST(too_long)
{
	size_t len = MAPCACHE_MAX_COPY + 1;
	uint8_t *buf = malloc(len);

	ck_assert_int_eq(mapcache_read(mc, 0x100000, buf, len), -E2BIG);
	ck_assert_uint_eq(buf[len - 1], 0xff);
	free(buf);
}
END_TEST

START_TEST(lru_bounded)
{
	uint8_t b;
	unsigned i;

	for (i = 0; i < 8; i++)
		ck_assert_int_eq(mapcache_read(mc, ((uint64_t)i << 20) + 0x10000, &b, 1),
				 0);
	ck_assert_uint_eq(mapcache_nr_mapped(mc), 8);
	ck_assert_uint_eq(g.maps, 8);
	/* refresh bucket 0; bucket 1 is now the least recently used */
	ck_assert_int_eq(mapcache_read(mc, 0, &b, 1), 0);
	ck_assert_uint_eq(g.maps, 8);
	ck_assert_int_eq(mapcache_read(mc, 8ull << 20, &b, 1), 0);
	ck_assert_uint_eq(mapcache_nr_mapped(mc), 8);
	ck_assert_uint_eq(g.unmaps, 1);
	ck_assert_int_eq(mapcache_read(mc, 0, &b, 1), 0);
	ck_assert_uint_eq(g.maps, 9);
	ck_assert_int_eq(mapcache_read(mc, 1ull << 20, &b, 1), 0);
	ck_assert_uint_eq(g.maps, 10);
	for (i = 0; i < 100; i++)
		ck_assert_int_eq(
			mapcache_read(mc, ((uint64_t)(i % 16) << 20) + 0x10000, &b, 1), 0);
	ck_assert_uint_eq(mapcache_nr_mapped(mc), 8);
	ck_assert_uint_eq(g.maps - g.unmaps, 8);
}
END_TEST

START_TEST(invalidate_keeps_pins)
{
	uint8_t b;
	void *p;
	uint32_t v;

	ck_assert_int_eq(mapcache_read(mc, 0x200000, &b, 1), 0);
	ck_assert_int_eq(mapcache_pin(mc, 0x400010, 4, &p), 0);
	ck_assert_uint_eq(mapcache_nr_mapped(mc), 2);
	mapcache_invalidate(mc);
	ck_assert_uint_eq(mapcache_nr_mapped(mc), 1);
	memcpy(&v, p, 4);
	ck_assert_uint_eq(v, 0x400010);
	ck_assert_int_eq(mapcache_read(mc, 0x200000, &b, 1), 0);
	ck_assert_uint_eq(g.maps, 3);
	mapcache_unpin(mc, 0x400010);
	mapcache_invalidate(mc);
	ck_assert_uint_eq(mapcache_nr_mapped(mc), 0);
	ck_assert_uint_eq(g.maps, g.unmaps);
	/* pins refuse holes and bucket-crossing ranges */
	ck_assert_int_eq(mapcache_pin(mc, 0xa0000, 4, &p), -EFAULT);
	ck_assert_int_eq(mapcache_pin(mc, 0xffffe, 4, &p), -EINVAL);
}
END_TEST

START_TEST(all_pinned)
{
	uint8_t b = 0;
	void *p;
	unsigned i;

	for (i = 0; i < 8; i++)
		ck_assert_int_eq(mapcache_pin(mc, ((uint64_t)i << 20) + 0x10000, 1, &p), 0);
	ck_assert_int_eq(mapcache_read(mc, 9ull << 20, &b, 1), -ENOMEM);
	ck_assert_uint_eq(b, 0xff);
	ck_assert_int_eq(mapcache_read(mc, (3ull << 20) + 0x10000, &b, 1), 0);
	for (i = 0; i < 8; i++)
		mapcache_unpin(mc, ((uint64_t)i << 20) + 0x10000);
	ck_assert_int_eq(mapcache_read(mc, 9ull << 20, &b, 1), 0);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("mapcache");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, arithmetic);
	tcase_add_test(tc, read_write_cross_bucket);
	tcase_add_test(tc, dirty_every_write);
	tcase_add_test(tc, hole_refused_whole);
	tcase_add_test(tc, outside_ram_and_overflow);
	tcase_add_test(tc, too_long);
	tcase_add_test(tc, lru_bounded);
	tcase_add_test(tc, invalidate_keeps_pins);
	tcase_add_test(tc, all_pinned);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
