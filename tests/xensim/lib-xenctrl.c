// SPDX-License-Identifier: MIT
/*
 * lib-xenctrl.c - the part of libxenctrl.so.4.17 xensim simulates: open and
 * close, domain info, max memory, populate_physmap_exact, pause/unpause.
 * Like the real library (whose xencall fd xentoolcore_restrict_all dup2s
 * onto /dev/null), a handle is useless after restriction: calls fail with
 * EBADF.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <xenctrl.h>

#include "lib-conn.h"
#include "lib-toolcore.h"

struct xc_interface_core {
	struct xsc c;
	Xentoolcore__Active_Handle ah;
	int restricted;
};

static int xc_restrict_cb(Xentoolcore__Active_Handle *ah, domid_t domid)
{
	xc_interface *h = XSIM_CONTAINER_OF(ah, xc_interface, ah);

	h->restricted = 1;
	return xentoolcore__restrict_by_dup2_null(h->c.fd);
}

xc_interface *xc_interface_open(xentoollog_logger *logger,
				xentoollog_logger *dombuild_logger,
				unsigned open_flags)
{
	xc_interface *h = calloc(1, sizeof(*h));
	int r;

	if (!h)
		return NULL;
	r = xsc_open(&h->c, NULL, "xenctrl", 1);
	if (r < 0) {
		free(h);
		errno = -r;
		return NULL;
	}
	h->ah.restrict_callback = xc_restrict_cb;
	xentoolcore__register_active_handle(&h->ah);
	return h;
}

int xc_interface_close(xc_interface *h)
{
	if (!h)
		return 0;
	xentoolcore__deregister_active_handle(&h->ah);
	xsc_close(&h->c);
	free(h);
	return 0;
}

static int call(xc_interface *h, uint32_t op, uint32_t domid, uint64_t a0,
		const void *tail, size_t tlen, void *rtail, size_t rtmax,
		size_t *rtlen)
{
	struct xsp_req rq = { .op = op, .domid = domid, .a = { a0 } };

	if (h->restricted)
		return -EBADF;
	return xsc_call(&h->c, &rq, tail, tlen, -1, NULL, rtail, rtmax, rtlen,
			NULL);
}

/* Up to `max` domains with domid >= first, in domid order. */
static int getinfo(xc_interface *h, uint32_t first, unsigned max,
		   struct xsp_dominfo **out)
{
	size_t cap = (XSP_MAX_MSG - sizeof(struct xsp_rep)) /
		     sizeof(struct xsp_dominfo);
	struct xsp_dominfo *di;
	size_t got = 0;

	if (max > cap)
		max = cap;
	di = calloc(cap, sizeof(*di));
	if (!di)
		return -ENOMEM;
	{
		size_t len = 0;
		int r = call(h, XSP_XC_GETINFO, first, max, NULL, 0, di,
			     cap * sizeof(*di), &len);

		if (r < 0) {
			free(di);
			return r;
		}
		got = len / sizeof(*di);
	}
	*out = di;
	return got;
}

int xc_domain_getinfo(xc_interface *h, uint32_t first_domid,
		      unsigned int max_doms, xc_dominfo_t *info)
{
	struct xsp_dominfo *di;
	int n = getinfo(h, first_domid, max_doms, &di);

	if (n < 0)
		return xsc_ret(n);
	for (int i = 0; i < n; i++) {
		xc_dominfo_t *o = &info[i];
		uint32_t f = di[i].flags;

		memset(o, 0, sizeof(*o));
		o->domid = di[i].domid;
		o->dying = !!(f & XSP_DI_DYING);
		o->crashed = !!(f & XSP_DI_CRASHED);
		o->shutdown = !!(f & XSP_DI_SHUTDOWN);
		o->paused = !!(f & XSP_DI_PAUSED);
		o->running = !!(f & XSP_DI_RUNNING);
		o->hvm = !!(f & XSP_DI_HVM);
		o->hap = o->hvm;
		o->shutdown_reason = di[i].shutdown_reason;
		o->nr_pages = di[i].tot_pages;
		o->max_memkb = di[i].max_pages * 4;
		o->nr_online_vcpus = di[i].nr_online_vcpus;
		o->max_vcpu_id = di[i].max_vcpu_id;
		o->gpaddr_bits = 52;
	}
	free(di);
	return n;
}

int xc_domain_getinfolist(xc_interface *h, uint32_t first_domain,
			  unsigned int max_domains, xc_domaininfo_t *info)
{
	struct xsp_dominfo *di;
	int n = getinfo(h, first_domain, max_domains, &di);

	if (n < 0)
		return xsc_ret(n);
	for (int i = 0; i < n; i++) {
		xc_domaininfo_t *o = &info[i];
		uint32_t f = di[i].flags;

		memset(o, 0, sizeof(*o));
		o->domain = di[i].domid;
		o->flags = (f & XSP_DI_DYING ? XEN_DOMINF_dying : 0) |
			   (f & XSP_DI_HVM ? XEN_DOMINF_hvm_guest | XEN_DOMINF_hap
					   : 0) |
			   (f & XSP_DI_SHUTDOWN ? XEN_DOMINF_shutdown : 0) |
			   (f & XSP_DI_PAUSED ? XEN_DOMINF_paused : 0) |
			   (f & XSP_DI_RUNNING ? XEN_DOMINF_running : 0) |
			   ((di[i].shutdown_reason & XEN_DOMINF_shutdownmask)
			    << XEN_DOMINF_shutdownshift);
		o->tot_pages = di[i].tot_pages;
		o->max_pages = di[i].max_pages;
		o->max_vcpu_id = di[i].max_vcpu_id;
		o->nr_online_vcpus = di[i].nr_online_vcpus;
	}
	free(di);
	return n;
}

int xc_domain_setmaxmem(xc_interface *h, uint32_t domid, uint64_t max_memkb)
{
	return xsc_ret(call(h, XSP_XC_SETMAXMEM, domid, max_memkb, NULL, 0,
			    NULL, 0, NULL));
}

int xc_domain_populate_physmap_exact(xc_interface *h, uint32_t domid,
				     unsigned long nr_extents,
				     unsigned int extent_order,
				     unsigned int mem_flags,
				     xen_pfn_t *extent_start)
{
	uint64_t per = 1ull << extent_order, batch[XSP_MAP_BATCH];
	size_t n = 0;
	int r;

	if (extent_order > 18) {
		errno = EINVAL;
		return -1;
	}
	for (unsigned long e = 0; e < nr_extents; e++) {
		for (uint64_t k = 0; k < per; k++) {
			batch[n++] = extent_start[e] + k;
			if (n < XSP_MAP_BATCH)
				continue;
			r = call(h, XSP_XC_POPULATE, domid, n, batch, n * 8,
				 NULL, 0, NULL);
			if (r < 0)
				return xsc_ret(r);
			n = 0;
		}
	}
	if (!n)
		return 0;
	r = call(h, XSP_XC_POPULATE, domid, n, batch, n * 8, NULL, 0, NULL);
	return xsc_ret(r < 0 ? r : 0);
}

int xc_domain_pause(xc_interface *h, uint32_t domid)
{
	return xsc_ret(
		call(h, XSP_XC_PAUSE, domid, 0, NULL, 0, NULL, 0, NULL));
}

int xc_domain_unpause(xc_interface *h, uint32_t domid)
{
	return xsc_ret(
		call(h, XSP_XC_UNPAUSE, domid, 0, NULL, 0, NULL, 0, NULL));
}
