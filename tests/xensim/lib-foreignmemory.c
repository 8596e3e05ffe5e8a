// SPDX-License-Identifier: MIT
/*
 * lib-foreignmemory.c - libxenforeignmemory.so.1 for xensim.  Guest RAM is
 * a memfd; the simulator answers each gfn with its file page (the GPA until
 * pages move): a foreign map reserves the whole range PROT_NONE and maps
 * each run of consecutive file pages over it with MAP_FIXED, so pages with
 * err[i] != 0 stay PROT_NONE, and a mapping keeps the page it got when the
 * page later moves (relocate_memory), as in Xen.  The simulator counts the
 * pages each mapping holds (a destroyed domain stays dying until they are
 * released); unmap, unmap_resource, close and process exit release them.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <xenforeignmemory.h>

#include "lib-conn.h"
#include "lib-toolcore.h"

#define PG 4096ul
#define REP_WORDS (XSP_MAP_BATCH * 3 / 2) /* page[] and err[] of a batch */

struct fm_map {
	void *addr;
	size_t pages;
	uint64_t cookie;
};

struct xenforeignmemory_handle {
	struct xsc c;
	Xentoolcore__Active_Handle ah;
	pthread_mutex_t lock;
	struct fm_map *maps;
	size_t nr, cap;
};

struct xenforeignmemory_resource_handle {
	void *addr;
	size_t nr_frames;
	uint64_t cookie;
};

static int fm_restrict_cb(Xentoolcore__Active_Handle *ah, domid_t domid)
{
	xenforeignmemory_handle *h =
		XSIM_CONTAINER_OF(ah, xenforeignmemory_handle, ah);

	return xenforeignmemory_restrict(h, domid);
}

xenforeignmemory_handle *xenforeignmemory_open(struct xentoollog_logger *logger,
					       unsigned open_flags)
{
	xenforeignmemory_handle *h = calloc(1, sizeof(*h));
	int r;

	if (!h)
		return NULL;
	r = xsc_open(&h->c, NULL, "xenforeignmemory", 1);
	if (r < 0) {
		free(h);
		errno = -r;
		return NULL;
	}
	pthread_mutex_init(&h->lock, NULL);
	h->ah.restrict_callback = fm_restrict_cb;
	xentoolcore__register_active_handle(&h->ah);
	return h;
}

int xenforeignmemory_close(xenforeignmemory_handle *h)
{
	if (!h)
		return 0;
	xentoolcore__deregister_active_handle(&h->ah);
	xsc_close(&h->c);
	pthread_mutex_destroy(&h->lock);
	free(h->maps);
	free(h);
	return 0;
}

static void release_cookie(xenforeignmemory_handle *h, uint64_t cookie)
{
	struct xsp_req rq = { .op = XSP_FM_UNMAP, .a = { cookie } };

	xsc_call(&h->c, &rq, NULL, 0, -1, NULL, NULL, 0, NULL, NULL);
}

static int track(xenforeignmemory_handle *h, void *addr, size_t pages,
		 uint64_t cookie)
{
	int r = 0;

	pthread_mutex_lock(&h->lock);
	if (h->nr == h->cap) {
		size_t n = h->cap ? h->cap * 2 : 16;
		struct fm_map *m = realloc(h->maps, n * sizeof(*m));

		if (!m) {
			r = -ENOMEM;
			goto out;
		}
		h->maps = m;
		h->cap = n;
	}
	h->maps[h->nr].addr = addr;
	h->maps[h->nr].pages = pages;
	h->maps[h->nr++].cookie = cookie;
out:
	pthread_mutex_unlock(&h->lock);
	return r;
}

/* Forget tracked mappings overlapping [a, a+len); returns their cookies. */
static size_t untrack(xenforeignmemory_handle *h, char *a, size_t len,
		      bool exact, uint64_t *cookies, size_t max)
{
	size_t n = 0;

	pthread_mutex_lock(&h->lock);
	for (size_t i = 0; i < h->nr && n < max;) {
		char *b = h->maps[i].addr;
		size_t blen = h->maps[i].pages * PG;
		bool hit = exact ? b == a : (b < a + len && a < b + blen);

		if (hit) {
			cookies[n++] = h->maps[i].cookie;
			h->maps[i] = h->maps[--h->nr];
			continue;
		}
		i++;
	}
	pthread_mutex_unlock(&h->lock);
	return n;
}

/* Map the file pages whose err is 0, in runs of consecutive pages. */
static int map_runs(char *base, int prot, int fd, const uint64_t *page,
		    const int *err, size_t n)
{
	for (size_t i = 0; i < n;) {
		size_t j = i + 1;

		if (err[i]) {
			i++;
			continue;
		}
		while (j < n && !err[j] && page[j] == page[j - 1] + 1)
			j++;
		if (mmap(base + i * PG, (j - i) * PG, prot,
			 MAP_SHARED | MAP_FIXED, fd,
			 (off_t)(page[i] * PG)) == MAP_FAILED)
			return -errno;
		i = j;
	}
	return 0;
}

void *xenforeignmemory_map2(xenforeignmemory_handle *h, uint32_t dom,
			    void *addr, int prot, int flags, size_t pages,
			    const xen_pfn_t arr[], int err[])
{
	uint64_t cookie = xsc_cookie(), old[64], *rep;
	int *errs = err, r = 0, first_err = 0;
	char *base;
	size_t n;

	if (!pages || (flags & ~(MAP_FIXED | MAP_SHARED))) {
		errno = EINVAL;
		return NULL;
	}
	rep = malloc(REP_WORDS * sizeof(*rep));
	if (!rep)
		return NULL;
	if (!errs)
		errs = calloc(pages, sizeof(int));
	if (!errs) {
		free(rep);
		return NULL;
	}
	base = mmap(addr, pages * PG, PROT_NONE,
		    MAP_PRIVATE | MAP_ANONYMOUS | (flags & MAP_FIXED), -1, 0);
	if (base == MAP_FAILED) {
		r = -errno;
		goto fail_free;
	}
	if (flags & MAP_FIXED) {
		/* MAP_FIXED replaced whatever was mapped there. */
		while ((n = untrack(h, base, pages * PG, false, old, 64)))
			for (size_t i = 0; i < n; i++)
				release_cookie(h, old[i]);
	}
	for (size_t i = 0; i < pages && !r; i += XSP_MAP_BATCH) {
		size_t k = pages - i > XSP_MAP_BATCH ? XSP_MAP_BATCH : pages - i;
		struct xsp_req rq = {
			.op = XSP_FM_MAP,
			.domid = dom,
			.a = { cookie, k },
		};
		/* the reply: uint64_t page[k], then int32_t err[k] */
		const int32_t *e32 = (const int32_t *)(rep + k);
		uint64_t g64[XSP_MAP_BATCH];
		size_t rlen = 0;
		int fd = -1;

		for (size_t j = 0; j < k; j++)
			g64[j] = arr[i + j];
		r = xsc_call(&h->c, &rq, g64, k * 8, -1, NULL, rep,
			     REP_WORDS * sizeof(*rep), &rlen, &fd);
		if (r >= 0 && rlen != k * 12)
			r = -EIO;
		if (r < 0) {
			if (fd >= 0)
				close(fd);
			break;
		}
		for (size_t j = 0; j < k; j++) {
			errs[i + j] = e32[j];
			if (e32[j] && !first_err)
				first_err = e32[j];
		}
		if (fd < 0) {
			r = -EIO;
			break;
		}
		r = map_runs(base + i * PG, prot, fd, rep, errs + i, k);
		close(fd);
	}
	if (!r && !err && first_err)
		r = first_err;
	if (!r)
		r = track(h, base, pages, cookie);
	if (r < 0) {
		munmap(base, pages * PG);
		release_cookie(h, cookie);
		goto fail_free;
	}
	if (!err)
		free(errs);
	free(rep);
	return base;
fail_free:
	if (!err)
		free(errs);
	free(rep);
	errno = -r;
	return NULL;
}

void *xenforeignmemory_map(xenforeignmemory_handle *h, uint32_t dom, int prot,
			   size_t pages, const xen_pfn_t arr[], int err[])
{
	return xenforeignmemory_map2(h, dom, NULL, prot, 0, pages, arr, err);
}

int xenforeignmemory_unmap(xenforeignmemory_handle *h, void *addr,
			   size_t pages)
{
	uint64_t c;

	if (untrack(h, addr, pages * PG, true, &c, 1))
		release_cookie(h, c);
	return munmap(addr, pages * PG);
}

int xenforeignmemory_restrict(xenforeignmemory_handle *h, domid_t domid)
{
	struct xsp_req rq = { .op = XSP_RESTRICT, .domid = domid };

	return xsc_ret(
		xsc_call(&h->c, &rq, NULL, 0, -1, NULL, NULL, 0, NULL, NULL));
}

xenforeignmemory_resource_handle *xenforeignmemory_map_resource(
	xenforeignmemory_handle *h, domid_t domid, unsigned int type,
	unsigned int id, unsigned long frame, unsigned long nr_frames,
	void **paddr, int prot, int flags)
{
	xenforeignmemory_resource_handle *fres;
	struct xsp_req rq = {
		.op = XSP_FM_RES_MAP,
		.domid = domid,
		.a = { type, id, frame, nr_frames, xsc_cookie() },
	};
	struct xsp_rep rep;
	void *a;
	int fd = -1, r;

	if (flags & ~(MAP_SHARED | MAP_PRIVATE)) {
		errno = EINVAL;
		return NULL;
	}
	fres = calloc(1, sizeof(*fres));
	if (!fres)
		return NULL;
	r = xsc_call(&h->c, &rq, NULL, 0, -1, &rep, NULL, 0, NULL, &fd);
	if (r >= 0 && fd < 0)
		r = -EIO;
	if (r < 0) {
		free(fres);
		errno = -r;
		return NULL;
	}
	a = mmap(*paddr, nr_frames * PG, prot, MAP_SHARED, fd,
		 (off_t)rep.v[0]);
	r = errno;
	close(fd);
	if (a == MAP_FAILED) {
		release_cookie(h, rq.a[4]);
		free(fres);
		errno = r;
		return NULL;
	}
	fres->addr = a;
	fres->nr_frames = nr_frames;
	fres->cookie = rq.a[4];
	*paddr = a;
	return fres;
}

int xenforeignmemory_unmap_resource(xenforeignmemory_handle *h,
				    xenforeignmemory_resource_handle *fres)
{
	int r = 0;

	if (!fres)
		return 0;
	if (fres->addr)
		r = munmap(fres->addr, fres->nr_frames * PG);
	release_cookie(h, fres->cookie);
	free(fres);
	return r;
}

int xenforeignmemory_resource_size(xenforeignmemory_handle *h, domid_t domid,
				   unsigned int type, unsigned int id,
				   size_t *size)
{
	struct xsp_req rq = {
		.op = XSP_FM_RES_SIZE,
		.domid = domid,
		.a = { type, id },
	};
	struct xsp_rep rep;
	int r = xsc_call(&h->c, &rq, NULL, 0, -1, &rep, NULL, 0, NULL, NULL);

	if (r >= 0)
		*size = rep.v[0] * PG;
	return xsc_ret(r);
}
