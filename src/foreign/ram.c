/* SPDX-License-Identifier: MIT */
/*
 * ram.c - fresh guest RAM through libxenctrl (see ram.h).
 */
#include "foreign/ram.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <xenctrl.h>

#include "util/log.h"

#define MAX_PAGES (1u << 18) /* 1 GiB at a time is plenty for a device */

int guest_ram_populate(uint32_t domid, uint64_t gfn, uint64_t n)
{
	xc_interface *xch;
	xc_dominfo_t info;
	xen_pfn_t *pfns;
	uint64_t i;
	int rc = 0;

	if (!n || n > MAX_PAGES || gfn + n < gfn)
		return -EINVAL;
	pfns = calloc(n, sizeof(*pfns));
	if (!pfns)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		pfns[i] = gfn + i;
	xch = xc_interface_open(NULL, NULL, 0);
	if (!xch) {
		rc = -errno;
		goto out;
	}
	memset(&info, 0, sizeof(info));
	if (xc_domain_getinfo(xch, domid, 1, &info) != 1 ||
	    info.domid != domid) {
		rc = errno ? -errno : -ESRCH;
		log_err("xc_domain_getinfo(%u) failed: %s", domid,
			strerror(-rc));
		goto close;
	}
	if (xc_domain_setmaxmem(xch, domid, info.max_memkb + n * 4) < 0) {
		rc = -errno;
		log_err("xc_domain_setmaxmem(%u, %lu KiB) failed: %s", domid,
			(unsigned long)(info.max_memkb + n * 4), strerror(-rc));
		goto close;
	}
	if (xc_domain_populate_physmap_exact(xch, domid, n, 0, 0, pfns) < 0) {
		rc = -errno;
		log_err("xc_domain_populate_physmap_exact(%u, %llu pages at "
			"gfn %#llx) failed: %s",
			domid, (unsigned long long)n, (unsigned long long)gfn,
			strerror(-rc));
		/* give the headroom back: nothing was added */
		xc_domain_setmaxmem(xch, domid, info.max_memkb);
	}
close:
	xc_interface_close(xch);
out:
	free(pfns);
	return rc;
}
