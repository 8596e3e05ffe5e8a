// SPDX-License-Identifier: MIT
/*
 * test-xsim-lib.c - the simulated Xen libraries called directly: error
 * codes, limits, mappings, event channels, restriction, libxenctrl.
 */
#include <check.h>
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/mman.h>
#include <xen/hvm/ioreq.h>
#include <xen/memory.h>
#include <xenctrl.h>
#include <xendevicemodel.h>
#include <xenevtchn.h>
#include <xenforeignmemory.h>
#include <xentoolcore.h>

#include "test-util.h"

static struct xsim *s;
static uint32_t dom;
static xendevicemodel_handle *dm;
static xenforeignmemory_handle *fm;
static xenevtchn_handle *xce;

static void up(void)
{
	s = tu_sim();
	dom = tu_domain(s, 2, false);
	dm = xendevicemodel_open(NULL, 0);
	fm = xenforeignmemory_open(NULL, 0);
	xce = xenevtchn_open(NULL, 0);
	ck_assert_ptr_nonnull(dm);
	ck_assert_ptr_nonnull(fm);
	ck_assert_ptr_nonnull(xce);
}

static void down(void)
{
	xenevtchn_close(xce);
	xenforeignmemory_close(fm);
	xendevicemodel_close(dm);
	xsim_close(s);
}

#define FAILS(call, err)                                                       \
	do {                                                                   \
		errno = 0;                                                     \
		ck_assert_int_eq((call), -1);                                  \
		ck_assert_int_eq(errno, (err));                                \
	} while (0)

START_TEST(servers)
{
	ioservid_t id[9];
	unsigned n = 0;

	FAILS(xendevicemodel_create_ioreq_server(dm, 77, 0, &id[0]), ESRCH);
	FAILS(xendevicemodel_create_ioreq_server(dm, dom, 3, &id[0]), EINVAL);
	for (unsigned i = 0; i < 8; i++) {
		ck_assert_int_eq(xendevicemodel_create_ioreq_server(dm, dom, i & 1
									     ? 2
									     : 0,
								    &id[i]),
				 0);
		ck_assert_uint_eq(id[i], i);
	}
	FAILS(xendevicemodel_create_ioreq_server(dm, dom, 0, &id[8]), ENOSPC);
	ck_assert_int_eq(xendevicemodel_destroy_ioreq_server(dm, dom, 3), 0);
	FAILS(xendevicemodel_destroy_ioreq_server(dm, dom, 3), ENOENT);
	FAILS(xendevicemodel_set_ioreq_server_state(dm, dom, 3, 1), ENOENT);
	FAILS(xendevicemodel_get_ioreq_server_info(dm, dom, 9, NULL, NULL,
						   NULL),
	      ENOENT);
	ck_assert_int_eq(xendevicemodel_create_ioreq_server(dm, dom, 0, &id[8]),
			 0);
	ck_assert_uint_eq(id[8], 3); /* lowest free */
	ck_assert_int_eq(xendevicemodel_nr_vcpus(dm, dom, &n), 0);
	ck_assert_uint_eq(n, 2);
	FAILS(xendevicemodel_nr_vcpus(dm, 99, &n), ESRCH);
}
END_TEST

START_TEST(ranges)
{
	ioservid_t id;
	struct xsim_range r[4];
	size_t total = 0;

	ck_assert_int_eq(xendevicemodel_create_ioreq_server(dm, dom, 0, &id), 0);
	FAILS(xendevicemodel_map_io_range_to_ioreq_server(dm, dom, id, 1, 10, 9),
	      EINVAL);
	ck_assert_int_eq(xendevicemodel_map_io_range_to_ioreq_server(
				 dm, dom, id, 1, 0xf0000000, 0xf0000fff),
			 0);
	FAILS(xendevicemodel_map_io_range_to_ioreq_server(dm, dom, id, 1,
							  0xf0000ff0,
							  0xf0001fff),
	      EEXIST);
	FAILS(xendevicemodel_unmap_io_range_from_ioreq_server(
		      dm, dom, id, 1, 0xf0001000, 0xf0001fff),
	      ENOENT);
	FAILS(xendevicemodel_unmap_io_range_from_ioreq_server(dm, dom, id, 0,
							      0xf0000000,
							      0xf0000fff),
	      ENOENT);
	ck_assert_int_eq(xendevicemodel_map_pcidev_to_ioreq_server(dm, dom, id,
								   0, 0, 2, 0),
			 0);
	FAILS(xendevicemodel_map_pcidev_to_ioreq_server(dm, dom, id, 0, 0, 2,
							0),
	      EEXIST);
	ck_assert_int_ge(xsim_ranges(s, dom, r, 4, &total), 0);
	ck_assert_uint_eq(total, 2);
	ck_assert_uint_eq(r[0].type, 1);
	ck_assert_uint_eq(r[0].end, 0xf0000fff);
	ck_assert_uint_eq(r[1].type, 2);
	ck_assert_uint_eq(r[1].start, 0x10);
	ck_assert_int_eq(xendevicemodel_unmap_io_range_from_ioreq_server(
				 dm, dom, id, 1, 0xf0000000, 0xf0000fff),
			 0);
	ck_assert_int_eq(xendevicemodel_unmap_pcidev_from_ioreq_server(
				 dm, dom, id, 0, 0, 2, 0),
			 0);
	/* 256 ranges per type, then ENOSPC */
	for (unsigned i = 0; i < 256; i++)
		ck_assert_int_eq(xendevicemodel_map_io_range_to_ioreq_server(
					 dm, dom, id, 0, 2 * i, 2 * i),
				 0);
	FAILS(xendevicemodel_map_io_range_to_ioreq_server(dm, dom, id, 0, 1000,
							  1000),
	      ENOSPC);
	ck_assert_int_eq(xendevicemodel_map_io_range_to_ioreq_server(
				 dm, dom, id, 1, 0, 0),
			 0);
}
END_TEST

START_TEST(restricted)
{
	uint32_t other = tu_domain(s, 1, false);
	ioservid_t id;

	ck_assert_int_eq(xendevicemodel_restrict(dm, dom), 0);
	FAILS(xendevicemodel_create_ioreq_server(dm, other, 0, &id), EPERM);
	FAILS(xendevicemodel_restrict(dm, other), EINVAL);
	ck_assert_int_eq(xendevicemodel_create_ioreq_server(dm, dom, 0, &id), 0);
	ck_assert_int_eq(xentoolcore_restrict_all(dom), 0);
	{
		xen_pfn_t g = 0x100;
		int e = 0;

		errno = 0;
		ck_assert_ptr_null(xenforeignmemory_map(fm, other, PROT_READ, 1,
							&g, &e));
		ck_assert_int_eq(errno, EPERM);
	}
	FAILS(xenevtchn_bind_unbound_port(xce, other), EPERM);
	FAILS(xenevtchn_bind_virq(xce, 3), EPERM);
}
END_TEST

START_TEST(resources)
{
	xenforeignmemory_resource_handle *fr;
	struct xsim_domain_info info;
	ioservid_t off, atom;
	xen_pfn_t g1, g2;
	void *addr = NULL;
	size_t size = 0;

	ck_assert_int_eq(xendevicemodel_create_ioreq_server(dm, dom, 0, &off), 0);
	ck_assert_int_eq(xendevicemodel_create_ioreq_server(dm, dom, 2, &atom),
			 0);
	ck_assert_int_eq(xenforeignmemory_resource_size(
				 fm, dom, XENMEM_resource_ioreq_server, atom,
				 &size),
			 0);
	ck_assert_uint_eq(size, 2 * 4096);
	errno = 0;
	ck_assert_ptr_null(xenforeignmemory_map_resource(
		fm, dom, XENMEM_resource_ioreq_server, off, 0, 2, &addr,
		PROT_READ | PROT_WRITE, 0));
	ck_assert_int_eq(errno, ENOENT);
	fr = xenforeignmemory_map_resource(fm, dom,
					   XENMEM_resource_ioreq_server, atom,
					   0, 2, &addr, PROT_READ | PROT_WRITE,
					   0);
	ck_assert_ptr_nonnull(fr);
	ck_assert_int_eq(xsim_domain_info(s, dom, &info), 0);
	ck_assert_uint_eq(info.resource_mappings, 2);
	FAILS(xendevicemodel_get_ioreq_server_info(dm, dom, atom, &g1, &g2,
						   NULL),
	      EPERM);
	/* vp_eport appears on enable */
	ck_assert_uint_eq(((struct ioreq *)((char *)addr + 4096))[1].vp_eport,
			  0);
	ck_assert_int_eq(xendevicemodel_set_ioreq_server_state(dm, dom, atom,
							       1),
			 0);
	ck_assert_uint_ne(((struct ioreq *)((char *)addr + 4096))[1].vp_eport,
			  0);
	ck_assert_int_eq(xenforeignmemory_unmap_resource(fm, fr), 0);
	ck_assert_int_eq(xsim_domain_info(s, dom, &info), 0);
	ck_assert_uint_eq(info.resource_mappings, 0);
}
END_TEST

START_TEST(foreign)
{
	xen_pfn_t g[3] = { 0x100, 0xa0, 0x101 }; /* 0xa0: the VGA hole */
	struct xsim_domain_info info;
	int err[3] = { 1, 1, 1 };
	char *p, buf[4];

	p = xenforeignmemory_map(fm, dom, PROT_READ | PROT_WRITE, 3, g, err);
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(err[0], 0);
	ck_assert_int_eq(err[1], -EINVAL);
	ck_assert_int_eq(err[2], 0);
	memcpy(p + 2 * 4096, "abc", 4);
	ck_assert_int_eq(xsim_mem_read(s, dom, 0x101000, buf, 4), 0);
	ck_assert_str_eq(buf, "abc");
	ck_assert_int_eq(xsim_domain_info(s, dom, &info), 0);
	ck_assert_uint_eq(info.foreign_mappings, 2);
	ck_assert_int_eq(xenforeignmemory_unmap(fm, p, 3), 0);
	ck_assert_int_eq(xsim_domain_info(s, dom, &info), 0);
	ck_assert_uint_eq(info.foreign_mappings, 0);
	errno = 0;
	ck_assert_ptr_null(
		xenforeignmemory_map(fm, dom, PROT_READ, 3, g, NULL));
	ck_assert_int_eq(errno, EINVAL);
}
END_TEST

START_TEST(evtchn)
{
	xenforeignmemory_resource_handle *fr;
	struct xsim_vcpu *v;
	struct ioreq *slot;
	void *addr = NULL;
	ioservid_t id;
	int p, q;
	struct pollfd pf;

	ck_assert_int_eq(xendevicemodel_create_ioreq_server(dm, dom, 0, &id), 0);
	fr = xenforeignmemory_map_resource(fm, dom,
					   XENMEM_resource_ioreq_server, id, 1,
					   1, &addr, PROT_READ | PROT_WRITE, 0);
	ck_assert_ptr_nonnull(fr);
	slot = addr;
	ck_assert_int_eq(xendevicemodel_set_ioreq_server_state(dm, dom, id, 1),
			 0);
	ck_assert_int_eq(xendevicemodel_map_io_range_to_ioreq_server(
				 dm, dom, id, 0, 0x100, 0x103),
			 0);
	p = xenevtchn_bind_interdomain(xce, dom, slot[0].vp_eport);
	ck_assert_int_gt(p, 0);
	FAILS(xenevtchn_bind_interdomain(xce, dom, slot[0].vp_eport), EINVAL);
	/* binding always sets the new port pending */
	ck_assert_int_eq(xenevtchn_pending(xce), p);
	FAILS(xenevtchn_notify(xce, p + 100), ENOTCONN);
	FAILS(xenevtchn_bind_virq(xce, 3), EOPNOTSUPP);
	/* a port stays masked until unmasked */
	v = tu_vcpu(s, dom, 0);
	{
		struct xsim_ioreq in = { .type = IOREQ_TYPE_PIO, .addr = 0x100,
					 .size = 1, .count = 1,
					 .state = STATE_IOREQ_READY, .dir = 1 },
				  out;

		ck_assert_int_eq(xsim_raw_ioreq(v, id, &in, 50, &out),
				 -ETIMEDOUT);
		pf.fd = xenevtchn_fd(xce);
		pf.events = POLLIN;
		ck_assert_int_eq(poll(&pf, 1, 0), 0); /* masked since bind */
		ck_assert_int_eq(xenevtchn_unmask(xce, p), 0);
		ck_assert_int_eq(poll(&pf, 1, 1000), 1); /* redelivered */
		ck_assert_int_eq(xenevtchn_pending(xce), p);
		ck_assert_int_eq(xenevtchn_unmask(xce, p), 0);
	}
	q = xenevtchn_bind_unbound_port(xce, dom);
	ck_assert_int_gt(q, 0);
	ck_assert_int_eq(xenevtchn_unbind(xce, q), 0);
	FAILS(xenevtchn_unbind(xce, q), ENOTCONN);
	xsim_vcpu_close(v);
	xenforeignmemory_unmap_resource(fm, fr);
}
END_TEST

START_TEST(interrupts_and_dirty)
{
	struct xsim_irq_state st;
	struct xsim_log_msi msi[2];
	struct xsim_log_dirty dl[2];
	struct xen_dm_op_modified_memory_extent ext[2] = {
		{ .nr = 2, .first_pfn = 0x100 }, { .nr = 1, .first_pfn = 0x300 },
	};
	size_t total = 0;

	FAILS(xendevicemodel_set_pci_intx_level(dm, dom, 1, 0, 2, 0, 1), EINVAL);
	FAILS(xendevicemodel_set_pci_intx_level(dm, dom, 0, 1, 2, 0, 1), EINVAL);
	FAILS(xendevicemodel_set_pci_intx_level(dm, dom, 0, 0, 32, 0, 1),
	      EINVAL);
	FAILS(xendevicemodel_set_pci_intx_level(dm, dom, 0, 0, 2, 4, 1), EINVAL);
	ck_assert_int_eq(xendevicemodel_set_pci_intx_level(dm, dom, 0, 0, 2, 1,
							   1),
			 0);
	ck_assert_int_eq(xendevicemodel_set_isa_irq_level(dm, dom, 5, 1), 0);
	ck_assert_int_eq(xendevicemodel_set_pci_link_route(dm, dom, 1, 10), 0);
	ck_assert_int_eq(xsim_irq_state(s, dom, &st), 0);
	ck_assert_uint_eq(st.intx[2], 2);
	ck_assert_uint_eq(st.isa_irq, 1u << 5);
	ck_assert_uint_eq(st.link_route[1], 10);
	ck_assert_int_eq(xendevicemodel_inject_msi(dm, dom, 0xfee00000, 0x4041),
			 0);
	ck_assert_int_eq(xsim_log_msis(s, dom, 0, msi, 2, &total), 1);
	ck_assert_uint_eq(msi[0].data, 0x4041);
	ck_assert_int_eq(xendevicemodel_modified_memory_bulk(dm, dom, ext, 2),
			 0);
	ck_assert_int_eq(xsim_log_dirty(s, dom, 0, dl, 2, &total), 2);
	ck_assert_uint_eq(dl[1].first_pfn, 0x300);
	FAILS(xendevicemodel_modified_memory(dm, dom, 1ull << 40, 1), EINVAL);
	FAILS(xendevicemodel_inject_msi(dm, 99, 0, 0), ESRCH);
}
END_TEST

START_TEST(mem_type)
{
	ioservid_t a, b;

	ck_assert_int_eq(xendevicemodel_create_ioreq_server(dm, dom, 0, &a), 0);
	ck_assert_int_eq(xendevicemodel_create_ioreq_server(dm, dom, 0, &b), 0);
	FAILS(xendevicemodel_set_mem_type(dm, dom, HVMMEM_ioreq_server, 0x100,
					  1),
	      EINVAL);
	FAILS(xendevicemodel_map_mem_type_to_ioreq_server(
		      dm, dom, a, HVMMEM_ioreq_server,
		      XEN_DMOP_IOREQ_MEM_ACCESS_READ),
	      EINVAL);
	FAILS(xendevicemodel_map_mem_type_to_ioreq_server(
		      dm, dom, a, HVMMEM_ram_rw, XEN_DMOP_IOREQ_MEM_ACCESS_WRITE),
	      EINVAL);
	ck_assert_int_eq(xendevicemodel_map_mem_type_to_ioreq_server(
				 dm, dom, a, HVMMEM_ioreq_server,
				 XEN_DMOP_IOREQ_MEM_ACCESS_WRITE),
			 0);
	FAILS(xendevicemodel_map_mem_type_to_ioreq_server(
		      dm, dom, b, HVMMEM_ioreq_server,
		      XEN_DMOP_IOREQ_MEM_ACCESS_WRITE),
	      EBUSY);
	ck_assert_int_eq(xendevicemodel_set_mem_type(dm, dom,
						     HVMMEM_ioreq_server, 0x100,
						     1),
			 0);
	FAILS(xendevicemodel_set_mem_type(dm, dom, HVMMEM_ioreq_server, 0xa0,
					  1),
	      EINVAL);
	ck_assert_int_eq(xendevicemodel_set_mem_type(dm, dom, HVMMEM_ram_rw,
						     0x100, 1),
			 0);
}
END_TEST

START_TEST(xenctrl)
{
	xc_interface *xch = xc_interface_open(NULL, NULL, 0);
	uint32_t d2 = tu_domain(s, 4, true);
	xc_dominfo_t info[4];
	xen_pfn_t g[2] = { 0xf1000, 0xf1001 };
	int n;

	ck_assert_ptr_nonnull(xch);
	n = xc_domain_getinfo(xch, dom, 4, info);
	ck_assert_int_eq(n, 2);
	ck_assert_uint_eq(info[0].domid, dom);
	ck_assert_uint_eq(info[0].running, 1);
	ck_assert_uint_eq(info[0].hvm, 1);
	ck_assert_uint_eq(info[1].domid, d2);
	ck_assert_uint_eq(info[1].paused, 1);
	ck_assert_uint_eq(info[1].max_vcpu_id, 3);
	ck_assert_int_eq(xc_domain_unpause(xch, d2), 0);
	ck_assert_int_eq(xc_domain_getinfo(xch, d2, 1, info), 1);
	ck_assert_uint_eq(info[0].paused, 0);
	/* RAM into the MMIO hole, bounded by maxmem */
	FAILS(xc_domain_populate_physmap_exact(xch, dom, 2, 0, 0, g), ENOMEM);
	ck_assert_int_eq(xc_domain_setmaxmem(xch, dom,
					     info[0].max_memkb + 64 * 1024),
			 0);
	ck_assert_int_eq(xc_domain_populate_physmap_exact(xch, dom, 2, 0, 0, g),
			 0);
	{
		int err[2];
		void *p = xenforeignmemory_map(fm, dom, PROT_READ, 2, g, err);

		ck_assert_ptr_nonnull(p);
		ck_assert_int_eq(err[0] | err[1], 0);
		xenforeignmemory_unmap(fm, p, 2);
	}
	ck_assert_int_eq(xentoolcore_restrict_all(dom), 0);
	FAILS(xc_domain_getinfo(xch, dom, 1, info), EBADF);
	xc_interface_close(xch);
}
END_TEST

static Suite *suite(void)
{
	Suite *su = suite_create("xensim-lib");
	TCase *tc = tcase_create("lib");

	tcase_add_checked_fixture(tc, up, down);
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, servers);
	tcase_add_test(tc, ranges);
	tcase_add_test(tc, restricted);
	tcase_add_test(tc, resources);
	tcase_add_test(tc, foreign);
	tcase_add_test(tc, evtchn);
	tcase_add_test(tc, interrupts_and_dirty);
	tcase_add_test(tc, mem_type);
	tcase_add_test(tc, xenctrl);
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
