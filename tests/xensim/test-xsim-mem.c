// SPDX-License-Identifier: MIT
/*
 * test-xsim-mem.c - moving guest RAM and pinning cache attributes like
 * Xen 4.17: xendevicemodel_relocate_memory (XEN_DMOP_relocate_memory,
 * XENMAPSPACE_gmfn_range: x86/hvm/dm.c, common/memory.c
 * xenmem_add_to_physmap, x86/mm/p2m.c xenmem_add_to_physmap_one) and
 * xendevicemodel_pin_memory_cacheattr (x86/hvm/mtrr.c
 * hvm_set_mem_pinned_cacheattr); xen-memops-observed.md sections 2-3.
 * Dirty tracking of one range, xendevicemodel_track_dirty_vram
 * (XEN_DMOP_track_dirty_vram: x86/hvm/dm.c, mm/hap/hap.c
 * hap_track_dirty_vram, mm/paging.c paging_log_dirty_range);
 * xen-memops-observed.md section 4.
 */
#include <check.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <xen/hvm/dm_op.h>
#include <xen/hvm/ioreq.h>
#include <xenctrl.h>
#include <xendevicemodel.h>
#include <xenforeignmemory.h>
#include <xentoolcore.h>

#include "test-util.h"

#define PG 4096u
#define HOLE_GFN 0xfa000ull /* in the PCI hole, as in the observed run */
#define NEW_GFN 0xfb000ull

static struct xsim *s;
static uint32_t dom;
static xendevicemodel_handle *dm;
static xenforeignmemory_handle *fm;
static xc_interface *xch;

#define FAILS(call, err)                        \
	do {                                    \
		errno = 0;                      \
		ck_assert_int_eq((call), -1);   \
		ck_assert_int_eq(errno, (err)); \
	} while (0)

static uint64_t tot_pages(void)
{
	struct xsim_domain_info info;
	xc_dominfo_t xi;

	ck_assert_int_eq(xsim_domain_info(s, dom, &info), 0);
	ck_assert_int_eq(xc_domain_getinfo(xch, dom, 1, &xi), 1);
	ck_assert_uint_eq(xi.nr_pages, info.tot_pages);
	return info.tot_pages;
}

static void up(void)
{
	xc_dominfo_t xi;

	s = tu_sim();
	dom = tu_domain(s, 1, false);
	dm = xendevicemodel_open(NULL, 0);
	fm = xenforeignmemory_open(NULL, 0);
	xch = xc_interface_open(NULL, NULL, 0);
	ck_assert_ptr_nonnull(dm);
	ck_assert_ptr_nonnull(fm);
	ck_assert_ptr_nonnull(xch);
	/* headroom for 256 fresh pages, as a BAR backing needs */
	ck_assert_int_eq(xc_domain_getinfo(xch, dom, 1, &xi), 1);
	ck_assert_int_eq(xc_domain_setmaxmem(xch, dom, xi.max_memkb + 1024), 0);
}

static void down(void)
{
	xc_interface_close(xch);
	xenforeignmemory_close(fm);
	xendevicemodel_close(dm);
	xsim_close(s);
}

static void populate(uint64_t gfn, unsigned n)
{
	xen_pfn_t g[16];

	ck_assert_uint_le(n, 16);
	for (unsigned i = 0; i < n; i++)
		g[i] = gfn + i;
	ck_assert_int_eq(xc_domain_populate_physmap_exact(xch, dom, n, 0, 0, g),
			 0);
}

/* n consecutive gfns mapped read/write; every frame must map. */
static uint8_t *map(uint64_t gfn, unsigned n)
{
	xen_pfn_t g[16];
	int err[16];
	uint8_t *p;

	ck_assert_uint_le(n, 16);
	for (unsigned i = 0; i < n; i++)
		g[i] = gfn + i;
	p = xenforeignmemory_map(fm, dom, PROT_READ | PROT_WRITE, n, g, err);
	ck_assert_ptr_nonnull(p);
	for (unsigned i = 0; i < n; i++)
		ck_assert_int_eq(err[i], 0);
	return p;
}

static uint8_t pat(unsigned tag, unsigned page, unsigned off)
{
	return (uint8_t)(tag * 31 + page * 7 + off * 13 + 1);
}

static void fill(uint8_t *p, unsigned tag, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		for (unsigned j = 0; j < PG; j++)
			p[i * PG + j] = pat(tag, i, j);
}

static void expect_pat(const uint8_t *p, unsigned tag, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		for (unsigned j = 0; j < PG; j++)
			ck_assert_uint_eq(p[i * PG + j], pat(tag, i, j));
}

/* The guest's own view of page `gfn` (its direct RAM accessor). */
static void expect_guest_pat(uint64_t gfn, unsigned tag, unsigned page)
{
	static uint8_t buf[PG];

	ck_assert_int_eq(xsim_mem_read(s, dom, gfn * PG, buf, PG), 0);
	for (unsigned j = 0; j < PG; j++)
		ck_assert_uint_eq(buf[j], pat(tag, page, j));
}

/* Every frame of [gfn, gfn + n) is empty: a foreign mapping fails. */
static void expect_empty(uint64_t gfn, unsigned n)
{
	xen_pfn_t g[16];
	int err[16];
	uint8_t b;
	void *p;

	ck_assert_uint_le(n, 16);
	for (unsigned i = 0; i < n; i++) {
		g[i] = gfn + i;
		err[i] = 1;
	}
	p = xenforeignmemory_map(fm, dom, PROT_READ, n, g, err);
	ck_assert_ptr_nonnull(p); /* with err[]: per-frame errors */
	for (unsigned i = 0; i < n; i++)
		ck_assert_int_eq(err[i], -EINVAL);
	xenforeignmemory_unmap(fm, p, n);
	errno = 0;
	ck_assert_ptr_null(
	    xenforeignmemory_map(fm, dom, PROT_READ, n, g, NULL));
	ck_assert_int_eq(errno, EINVAL);
	for (unsigned i = 0; i < n; i++)
		ck_assert_int_eq(xsim_mem_read(s, dom, (gfn + i) * PG, &b, 1),
				 -EFAULT);
}

static size_t nr_ioreqs(void)
{
	struct xsim_log_ioreq e;
	size_t total = 0;

	ck_assert_int_ge(xsim_log_ioreqs(s, dom, 0, &e, 0, &total), 0);
	return total;
}

/* The observed run: 4 fresh frames at 0xfa000 move to 0xfb000. */
START_TEST(relocate_moves_ram)
{
	struct xsim_vcpu *v = tu_vcpu(s, dom, 0);
	uint64_t val[2] = {0, 0}, before;
	uint8_t *p, *q;
	size_t log0;

	populate(HOLE_GFN, 4);
	p = map(HOLE_GFN, 4);
	fill(p, 1, 4);
	ck_assert_int_eq(xenforeignmemory_unmap(fm, p, 4), 0);
	before = tot_pages();
	log0 = nr_ioreqs();

	ck_assert_int_eq(
	    xendevicemodel_relocate_memory(dm, dom, 4, HOLE_GFN, NEW_GFN), 0);
	/* the data is at the new gfns, for a fresh mapping and the guest */
	q = map(NEW_GFN, 4);
	expect_pat(q, 1, 4);
	ck_assert_int_eq(xenforeignmemory_unmap(fm, q, 4), 0);
	for (unsigned i = 0; i < 4; i++)
		expect_guest_pat(NEW_GFN + i, 1, i);
	ck_assert_int_eq(xsim_mmio_read(v, NEW_GFN * PG + 3 * PG + 8, 8, val),
			 0);
	for (unsigned b = 0; b < 8; b++)
		ck_assert_uint_eq((val[0] >> (8 * b)) & 0xff, pat(1, 3, 8 + b));
	/* the old gfns are empty: unclaimed MMIO, all-ones, writes dropped */
	expect_empty(HOLE_GFN, 4);
	ck_assert_int_eq(xsim_mmio_read(v, HOLE_GFN * PG, 4, val), 0);
	ck_assert_uint_eq(val[0], 0xffffffffu);
	val[0] = 0x12345678;
	ck_assert_int_eq(xsim_mmio_write(v, HOLE_GFN * PG + PG, 4, val), 0);
	ck_assert_int_eq(xsim_mmio_read(v, HOLE_GFN * PG + PG, 4, val), 0);
	ck_assert_uint_eq(val[0], 0xffffffffu);
	expect_guest_pat(NEW_GFN + 1, 1, 1); /* the write went nowhere */
	/* no ioreqs for any of it; a move keeps the page count */
	ck_assert_uint_eq(nr_ioreqs(), log0);
	ck_assert_uint_eq(tot_pages(), before);
	xsim_vcpu_close(v);
}
END_TEST

/*
 * A foreign mapping holds the frame, not the gfn: taken before the move it
 * still reaches the page, now at its new gfn.
 */
START_TEST(relocate_mapping_follows_page)
{
	uint8_t *old, *q;

	populate(HOLE_GFN, 2);
	old = map(HOLE_GFN, 2);
	fill(old, 2, 2);
	ck_assert_int_eq(
	    xendevicemodel_relocate_memory(dm, dom, 2, HOLE_GFN, NEW_GFN), 0);
	old[PG + 5] = 0xa5;
	q = map(NEW_GFN, 2);
	ck_assert_uint_eq(q[PG + 5], 0xa5);
	q[7] = 0x5a;
	ck_assert_uint_eq(old[7], 0x5a);
	/* repopulating the old gfns gives fresh zeroed frames */
	populate(HOLE_GFN, 2);
	{
		uint8_t *f = map(HOLE_GFN, 2);

		for (unsigned j = 0; j < 2 * PG; j++)
			ck_assert_uint_eq(f[j], 0);
		f[7] = 0x11;
		ck_assert_uint_eq(old[7], 0x5a);
		ck_assert_uint_eq(q[7], 0x5a);
		xenforeignmemory_unmap(fm, f, 2);
	}
	xenforeignmemory_unmap(fm, q, 2);
	xenforeignmemory_unmap(fm, old, 2);
}
END_TEST

/* Onto RAM: the destination's page is freed and replaced. */
START_TEST(relocate_onto_ram)
{
	uint8_t *src, *dst, *held, *q;
	uint64_t before;

	src = map(0x200, 2);
	fill(src, 3, 2);
	held = map(0x300, 2);
	fill(held, 4, 2);
	ck_assert_int_eq(xenforeignmemory_unmap(fm, src, 2), 0);
	before = tot_pages();
	ck_assert_int_eq(
	    xendevicemodel_relocate_memory(dm, dom, 2, 0x200, 0x300), 0);
	ck_assert_uint_eq(tot_pages(), before - 2);
	dst = map(0x300, 2);
	expect_pat(dst, 3, 2);
	expect_guest_pat(0x301, 3, 1);
	expect_empty(0x200, 2);
	/* the freed pages live on only in the mapping that held them */
	expect_pat(held, 4, 2);
	held[0] = 0;
	ck_assert_uint_eq(dst[0], pat(3, 0, 0));
	/* onto itself: nothing changes */
	ck_assert_int_eq(
	    xendevicemodel_relocate_memory(dm, dom, 2, 0x300, 0x300), 0);
	q = map(0x300, 2);
	expect_pat(q, 3, 2);
	ck_assert_uint_eq(tot_pages(), before - 2);
	xenforeignmemory_unmap(fm, q, 2);
	xenforeignmemory_unmap(fm, dst, 2);
	xenforeignmemory_unmap(fm, held, 2);
}
END_TEST

/* Above 4 GiB, like a 64-bit BAR, beyond anything populated so far. */
START_TEST(relocate_high)
{
	const uint64_t high = 0x300000; /* 12 GiB */
	uint8_t *p;

	populate(HOLE_GFN, 3);
	p = map(HOLE_GFN, 3);
	fill(p, 5, 3);
	xenforeignmemory_unmap(fm, p, 3);
	ck_assert_int_eq(
	    xendevicemodel_relocate_memory(dm, dom, 3, HOLE_GFN, high), 0);
	p = map(high, 3);
	expect_pat(p, 5, 3);
	xenforeignmemory_unmap(fm, p, 3);
	expect_guest_pat(high + 2, 5, 2);
	expect_empty(HOLE_GFN, 3);
}
END_TEST

/* Overlapping ranges, moved page by page upwards as Xen 4.17 does. */
START_TEST(relocate_overlap)
{
	uint8_t *p;
	uint64_t before;

	/* down (dst < src): a clean shift */
	populate(HOLE_GFN, 4);
	p = map(HOLE_GFN, 4);
	fill(p, 6, 4);
	xenforeignmemory_unmap(fm, p, 4);
	ck_assert_int_eq(
	    xendevicemodel_relocate_memory(dm, dom, 4, HOLE_GFN, HOLE_GFN - 2),
	    0);
	p = map(HOLE_GFN - 2, 4);
	expect_pat(p, 6, 4);
	xenforeignmemory_unmap(fm, p, 4);
	expect_empty(HOLE_GFN + 2, 2);
	/*
	 * up by one (dst = src + 1, 3 of the 4 pages): page 0 moves to +1
	 * (freeing page 1), on to +2 (freeing page 2), on to +3 (freeing page
	 * 3).  Only page 0 survives, at +3 (Xen 4.22 works backwards here).
	 */
	before = tot_pages();
	ck_assert_int_eq(xendevicemodel_relocate_memory(
			     dm, dom, 3, HOLE_GFN - 2, HOLE_GFN - 1),
			 0);
	ck_assert_uint_eq(tot_pages(), before - 3);
	expect_empty(HOLE_GFN - 2, 3);
	expect_guest_pat(HOLE_GFN + 1, 6, 0);
}
END_TEST

/* A claimed range over the old gfns gets the accesses as ioreqs. */
START_TEST(relocate_claimed_old_range)
{
	struct xsim_log_ioreq e;
	struct xsim_vcpu *v;
	uint64_t val[2] = {0, 0};
	size_t total = 0, log0;
	uint8_t *p;
	pid_t nr;

	populate(HOLE_GFN, 1);
	p = map(HOLE_GFN, 1);
	fill(p, 7, 1);
	xenforeignmemory_unmap(fm, p, 1);
	nr = tu_responder(s, dom, "--mmio", "0xfa000000-0xfa000fff", NULL);
	v = tu_vcpu(s, dom, 0);
	/* RAM still: the claim sees nothing */
	log0 = nr_ioreqs();
	ck_assert_int_eq(xsim_mmio_read(v, HOLE_GFN * PG, 4, val), 0);
	ck_assert_uint_eq(val[0] & 0xff, pat(7, 0, 0));
	ck_assert_uint_eq(nr_ioreqs(), log0);
	ck_assert_int_eq(
	    xendevicemodel_relocate_memory(dm, dom, 1, HOLE_GFN, NEW_GFN), 0);
	ck_assert_int_eq(xsim_mmio_read(v, HOLE_GFN * PG + 16, 4, val), 0);
	ck_assert_uint_eq(val[0], 0); /* the null responder's answer */
	ck_assert_int_eq(xsim_log_ioreqs(s, dom, log0, &e, 1, &total), 1);
	ck_assert_uint_eq(total, log0 + 1);
	ck_assert_uint_eq(e.req.type, IOREQ_TYPE_COPY);
	ck_assert_uint_eq(e.req.dir, IOREQ_READ);
	ck_assert_uint_eq(e.req.addr, HOLE_GFN * PG + 16);
	expect_guest_pat(NEW_GFN, 7, 0);
	xsim_vcpu_close(v);
	ck_assert_int_eq(tu_stop(nr), 0);
}
END_TEST

/* The moved page is p2m_ram_rw at its new gfn: write protection is lost. */
START_TEST(relocate_drops_write_protection)
{
	struct xsim_vcpu *v = tu_vcpu(s, dom, 0);
	uint64_t val[2] = {0xabcd, 0};
	uint8_t *p, b = 0;
	ioservid_t id;

	p = map(0x400, 1);
	fill(p, 8, 1);
	xenforeignmemory_unmap(fm, p, 1);
	/* a disabled owner: writes to its pages go to the null handler */
	ck_assert_int_eq(xendevicemodel_create_ioreq_server(dm, dom, 0, &id),
			 0);
	ck_assert_int_eq(xendevicemodel_map_mem_type_to_ioreq_server(
			     dm, dom, id, HVMMEM_ioreq_server,
			     XEN_DMOP_IOREQ_MEM_ACCESS_WRITE),
			 0);
	ck_assert_int_eq(
	    xendevicemodel_set_mem_type(dm, dom, HVMMEM_ioreq_server, 0x400, 1),
	    0);
	ck_assert_int_eq(xsim_mmio_write(v, 0x400 * PG, 1, val), 0);
	expect_guest_pat(0x400, 8, 0); /* dropped */
	ck_assert_int_eq(
	    xendevicemodel_relocate_memory(dm, dom, 1, 0x400, 0x500), 0);
	ck_assert_int_eq(xsim_mmio_write(v, 0x500 * PG, 1, val), 0);
	ck_assert_int_eq(xsim_mem_read(s, dom, 0x500 * PG, &b, 1), 0);
	ck_assert_uint_eq(b, 0xcd);
	xsim_vcpu_close(v);
}
END_TEST

/* Arguments and errors, with Xen's errno values. */
START_TEST(relocate_errors)
{
	uint32_t other = tu_domain(s, 1, false);
	uint8_t *p;

	/* size 0 does nothing, even from a hole */
	ck_assert_int_eq(
	    xendevicemodel_relocate_memory(dm, dom, 0, 0xa0, 0x100), 0);
	/* dst INVALID_GFN: EINVAL even for size 0; wrapping: EOVERFLOW */
	FAILS(xendevicemodel_relocate_memory(dm, dom, 0, 0x100, UINT64_MAX),
	      EINVAL);
	FAILS(xendevicemodel_relocate_memory(dm, dom, 1, 0x100, UINT64_MAX),
	      EINVAL);
	FAILS(xendevicemodel_relocate_memory(dm, dom, 2, 0x100, UINT64_MAX - 1),
	      EOVERFLOW);
	FAILS(xendevicemodel_relocate_memory(dm, dom, 1, UINT64_MAX, 0x100),
	      EOVERFLOW);
	/* a source that is not RAM: the VGA hole, an unpopulated gfn */
	FAILS(xendevicemodel_relocate_memory(dm, dom, 1, 0xa0, NEW_GFN),
	      EINVAL);
	FAILS(xendevicemodel_relocate_memory(dm, dom, 1, HOLE_GFN, NEW_GFN),
	      EINVAL);
	expect_empty(NEW_GFN, 1);
	FAILS(xendevicemodel_relocate_memory(dm, 99, 1, 0x100, NEW_GFN), ESRCH);
	/* no rollback: the pages before the failing one stay moved */
	populate(HOLE_GFN, 1);
	populate(HOLE_GFN + 2, 1);
	p = map(HOLE_GFN, 1);
	fill(p, 9, 1);
	xenforeignmemory_unmap(fm, p, 1);
	FAILS(xendevicemodel_relocate_memory(dm, dom, 3, HOLE_GFN, NEW_GFN),
	      EINVAL);
	expect_guest_pat(NEW_GFN, 9, 0);
	expect_empty(HOLE_GFN, 2);
	expect_empty(NEW_GFN + 1, 2);
	p = map(HOLE_GFN + 2, 1); /* the third never moved */
	xenforeignmemory_unmap(fm, p, 1);
	/* a restricted handle reaches only its domain */
	ck_assert_int_eq(xendevicemodel_restrict(dm, other), 0);
	FAILS(xendevicemodel_relocate_memory(dm, dom, 1, NEW_GFN, HOLE_GFN),
	      EPERM);
}
END_TEST

/*
 * dm.c passes size on in xen_add_to_physmap's uint16_t: only size % 65536
 * pages move, and a multiple of 65536 moves nothing but succeeds.
 */
START_TEST(relocate_size_truncated)
{
	uint8_t *p;

	ck_assert_int_eq(
	    xendevicemodel_relocate_memory(dm, dom, 0x10000, 0x100, HOLE_GFN),
	    0);
	expect_empty(HOLE_GFN, 1);
	p = map(0x100, 1);
	fill(p, 10, 1);
	xenforeignmemory_unmap(fm, p, 1);
	ck_assert_int_eq(
	    xendevicemodel_relocate_memory(dm, dom, 0x10001, 0x100, HOLE_GFN),
	    0);
	expect_guest_pat(HOLE_GFN, 10, 0);
	expect_empty(0x100, 1);
	p = map(0x101, 1); /* the second page stayed */
	xenforeignmemory_unmap(fm, p, 1);
	expect_empty(HOLE_GFN + 1, 1);
}
END_TEST

/*
 * Beyond what the EPT p2m can hold (2^36 gfns), p2m_add_page fails after
 * the page left its gfn: EINVAL, and the page is at no gfn (still counted).
 */
START_TEST(relocate_beyond_p2m)
{
	uint64_t before = tot_pages();

	FAILS(xendevicemodel_relocate_memory(dm, dom, 1, 0x100, 1ull << 36),
	      EINVAL);
	expect_empty(0x100, 1);
	ck_assert_uint_eq(tot_pages(), before);
}
END_TEST

/* A destroyed domain's p2m is gone: nothing left to move. */
START_TEST(relocate_dying)
{
	uint8_t *p = map(0x100, 1); /* keeps the dying domain around */

	ck_assert_int_eq(xsim_domain_destroy(s, dom), 0);
	FAILS(xendevicemodel_relocate_memory(dm, dom, 1, 0x100, HOLE_GFN),
	      EINVAL);
	ck_assert_int_eq(
	    xendevicemodel_relocate_memory(dm, dom, 0, 0x100, HOLE_GFN), 0);
	ck_assert_int_eq(xendevicemodel_pin_memory_cacheattr(
			     dm, dom, 0x100, 0x1ff, XEN_DMOP_MEM_CACHEATTR_WB),
			 0);
	xenforeignmemory_unmap(fm, p, 1);
	FAILS(xendevicemodel_relocate_memory(dm, dom, 0, 0x100, HOLE_GFN),
	      ESRCH);
}
END_TEST

START_TEST(pin_cacheattr)
{
	static const uint32_t good[] = {
	    XEN_DMOP_MEM_CACHEATTR_UC, XEN_DMOP_MEM_CACHEATTR_WC,
	    XEN_DMOP_MEM_CACHEATTR_WT, XEN_DMOP_MEM_CACHEATTR_WP,
	    XEN_DMOP_MEM_CACHEATTR_WB, XEN_DMOP_MEM_CACHEATTR_UCM,
	};
	uint32_t other;

	/* QEMU's call after moving VRAM: write-back over the new range */
	ck_assert_int_eq(
	    xendevicemodel_pin_memory_cacheattr(dm, dom, NEW_GFN, NEW_GFN + 3,
						XEN_DMOP_MEM_CACHEATTR_WB),
	    0);
	for (unsigned i = 0; i < 6; i++)
		ck_assert_int_eq(xendevicemodel_pin_memory_cacheattr(
				     dm, dom, 0x1000 + i, 0x1000 + i, good[i]),
				 0);
	FAILS(xendevicemodel_pin_memory_cacheattr(dm, dom, 0x2000, 0x2000, 2),
	      EINVAL);
	FAILS(xendevicemodel_pin_memory_cacheattr(dm, dom, 0x2000, 0x2000, 3),
	      EINVAL);
	FAILS(xendevicemodel_pin_memory_cacheattr(dm, dom, 0x2000, 0x2000, 8),
	      EINVAL);
	FAILS(xendevicemodel_pin_memory_cacheattr(dm, dom, 0x2001, 0x2000,
						  XEN_DMOP_MEM_CACHEATTR_WB),
	      EINVAL);
	FAILS(xendevicemodel_pin_memory_cacheattr(dm, dom, 0, 1ull << 40,
						  XEN_DMOP_MEM_CACHEATTR_WB),
	      EINVAL);
	/* the same range again changes its type; an overlap is refused */
	ck_assert_int_eq(
	    xendevicemodel_pin_memory_cacheattr(dm, dom, NEW_GFN, NEW_GFN + 3,
						XEN_DMOP_MEM_CACHEATTR_UC),
	    0);
	FAILS(xendevicemodel_pin_memory_cacheattr(
		  dm, dom, NEW_GFN + 3, NEW_GFN + 8, XEN_DMOP_MEM_CACHEATTR_WB),
	      EBUSY);
	/* deleting takes the exact range */
	FAILS(xendevicemodel_pin_memory_cacheattr(
		  dm, dom, NEW_GFN, NEW_GFN + 2, XEN_DMOP_DELETE_MEM_CACHEATTR),
	      ENOENT);
	ck_assert_int_eq(
	    xendevicemodel_pin_memory_cacheattr(dm, dom, NEW_GFN, NEW_GFN + 3,
						XEN_DMOP_DELETE_MEM_CACHEATTR),
	    0);
	FAILS(xendevicemodel_pin_memory_cacheattr(
		  dm, dom, NEW_GFN, NEW_GFN + 3, XEN_DMOP_DELETE_MEM_CACHEATTR),
	      ENOENT);
	ck_assert_int_eq(
	    xendevicemodel_pin_memory_cacheattr(
		dm, dom, NEW_GFN + 3, NEW_GFN + 8, XEN_DMOP_MEM_CACHEATTR_WB),
	    0);
	/* at most 64 ranges per domain */
	for (unsigned i = 7; i < 64; i++)
		ck_assert_int_eq(xendevicemodel_pin_memory_cacheattr(
				     dm, dom, 0x3000 + i, 0x3000 + i,
				     XEN_DMOP_MEM_CACHEATTR_WB),
				 0);
	FAILS(xendevicemodel_pin_memory_cacheattr(dm, dom, 0x4000, 0x4000,
						  XEN_DMOP_MEM_CACHEATTR_WB),
	      ENOSPC);
	FAILS(xendevicemodel_pin_memory_cacheattr(dm, 99, 0, 0,
						  XEN_DMOP_MEM_CACHEATTR_WB),
	      ESRCH);
	other = tu_domain(s, 1, false);
	ck_assert_int_eq(xendevicemodel_restrict(dm, other), 0);
	FAILS(xendevicemodel_pin_memory_cacheattr(dm, dom, 0x5000, 0x5000,
						  XEN_DMOP_MEM_CACHEATTR_WB),
	      EPERM);
	/* the count is per domain */
	ck_assert_int_eq(
	    xendevicemodel_pin_memory_cacheattr(dm, other, 0x4000, 0x4000,
						XEN_DMOP_MEM_CACHEATTR_WB),
	    0);
}
END_TEST

static uint8_t track(uint64_t gfn, uint32_t nr)
{
	unsigned long bm[4] = {0};

	ck_assert_int_eq(xendevicemodel_track_dirty_vram(dm, dom, gfn, nr, bm),
			 0);
	return (uint8_t)bm[0];
}

/* The observed sequence, with the guest's own stores. */
START_TEST(track_dirty_observed)
{
	uint8_t b = 1;

	populate(HOLE_GFN, 4);
	ck_assert_uint_eq(track(HOLE_GFN, 4), 0xff); /* whole byte */
	ck_assert_uint_eq(track(HOLE_GFN, 4), 0x00);
	ck_assert_int_eq(xsim_mem_write(s, dom, (HOLE_GFN + 2) * PG, &b, 1),
			 0);
	ck_assert_uint_eq(track(HOLE_GFN, 4), 0x04);
	ck_assert_int_eq(xsim_mem_read(s, dom, (HOLE_GFN + 1) * PG, &b, 1), 0);
	ck_assert_uint_eq(track(HOLE_GFN, 4), 0x00);
	ck_assert_int_eq(xsim_mem_write(s, dom, HOLE_GFN * PG + 8, &b, 1), 0);
	ck_assert_int_eq(
	    xsim_mem_write(s, dom, (HOLE_GFN + 3) * PG + 4095, &b, 1), 0);
	ck_assert_uint_eq(track(HOLE_GFN, 4), 0x09);
	/* nr 0 stops; starting again reports all */
	ck_assert_int_eq(xendevicemodel_track_dirty_vram(dm, dom, 0, 0, NULL),
			 0);
	ck_assert_int_eq(xsim_mem_write(s, dom, HOLE_GFN * PG, &b, 1), 0);
	ck_assert_uint_eq(track(HOLE_GFN, 4), 0xff);
	ck_assert_uint_eq(track(HOLE_GFN, 4), 0x00);
}
END_TEST

/* vCPU stores count (also an MMIO-style access that lands in RAM); the
 * device model's stores through its foreign mapping do not. */
START_TEST(track_dirty_guest_not_device)
{
	struct xsim_vcpu *v;
	uint64_t val[2] = {0x1234, 0};
	uint8_t *p;

	populate(HOLE_GFN, 4);
	track(HOLE_GFN, 4);
	p = map(HOLE_GFN, 4);
	p[1 * PG] = 0x55;
	p[3 * PG + 7] = 0x66;
	ck_assert_uint_eq(track(HOLE_GFN, 4), 0x00);
	ck_assert_int_eq(xsim_vcpu_open(s, dom, 0, &v), 0);
	ck_assert_int_eq(xsim_mmio_write(v, (HOLE_GFN + 1) * PG + 16, 8, val),
			 0);
	ck_assert_uint_eq(track(HOLE_GFN, 4), 0x02);
	/* a guest read sees the device's byte; reading dirties nothing */
	ck_assert_int_eq(xsim_mmio_read(v, (HOLE_GFN + 3) * PG, 8, val), 0);
	ck_assert_uint_eq((val[0] >> 56) & 0xff, 0x66);
	ck_assert_uint_eq(track(HOLE_GFN, 4), 0x00);
	xsim_vcpu_close(v);
	xenforeignmemory_unmap(fm, p, 4);
}
END_TEST

/* One range per domain: another replaces it and reports all dirty. */
START_TEST(track_dirty_one_range)
{
	uint8_t b = 1;

	populate(HOLE_GFN, 4);
	populate(NEW_GFN, 4);
	ck_assert_uint_eq(track(HOLE_GFN, 4), 0xff);
	ck_assert_uint_eq(track(NEW_GFN, 4), 0xff);
	ck_assert_int_eq(xsim_mem_write(s, dom, HOLE_GFN * PG, &b, 1), 0);
	ck_assert_uint_eq(track(NEW_GFN, 4), 0x00); /* the old one: untracked */
	ck_assert_uint_eq(track(NEW_GFN, 2), 0xff); /* another size: new */
	ck_assert_uint_eq(track(NEW_GFN, 2), 0x00);
	ck_assert_uint_eq(track(HOLE_GFN, 4), 0xff);
}
END_TEST

/* Pages moved into the range arrive ram_rw: the next look reports them. */
START_TEST(track_dirty_relocated_in)
{
	populate(HOLE_GFN, 2);
	ck_assert_uint_eq(track(NEW_GFN, 4), 0xff);
	ck_assert_uint_eq(track(NEW_GFN, 4), 0x00);
	ck_assert_int_eq(
	    xendevicemodel_relocate_memory(dm, dom, 2, HOLE_GFN, NEW_GFN + 1),
	    0);
	ck_assert_uint_eq(track(NEW_GFN, 4), 0x06);
	ck_assert_uint_eq(track(NEW_GFN, 4), 0x00);
}
END_TEST

START_TEST(track_dirty_limits)
{
	unsigned long bm[1];

	/* at most 1 GiB of pages (dm.c) */
	FAILS(xendevicemodel_track_dirty_vram(dm, dom, 0, (1u << 18) + 1, bm),
	      EINVAL);
	/* a range of holes: nothing is RAM, nothing is ever dirty */
	ck_assert_uint_eq(track(0xf0000, 8), 0xff);
	ck_assert_uint_eq(track(0xf0000, 8), 0x00);
	ck_assert_int_eq(xsim_domain_destroy(s, dom), 0);
	FAILS(xendevicemodel_track_dirty_vram(dm, dom, 0xf0000, 8, bm), ESRCH);
}
END_TEST

static Suite *suite(void)
{
	Suite *su = suite_create("xensim-mem");
	TCase *tc = tcase_create("mem");

	tcase_add_checked_fixture(tc, up, down);
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, relocate_moves_ram);
	tcase_add_test(tc, relocate_mapping_follows_page);
	tcase_add_test(tc, relocate_onto_ram);
	tcase_add_test(tc, relocate_high);
	tcase_add_test(tc, relocate_overlap);
	tcase_add_test(tc, relocate_claimed_old_range);
	tcase_add_test(tc, relocate_drops_write_protection);
	tcase_add_test(tc, relocate_errors);
	tcase_add_test(tc, relocate_size_truncated);
	tcase_add_test(tc, relocate_beyond_p2m);
	tcase_add_test(tc, relocate_dying);
	tcase_add_test(tc, pin_cacheattr);
	tcase_add_test(tc, track_dirty_observed);
	tcase_add_test(tc, track_dirty_guest_not_device);
	tcase_add_test(tc, track_dirty_one_range);
	tcase_add_test(tc, track_dirty_relocated_in);
	tcase_add_test(tc, track_dirty_limits);
	suite_add_tcase(su, tc);
	return su;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
