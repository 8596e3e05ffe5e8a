/* SPDX-License-Identifier: MIT */
#include "fake_host.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

static void record(struct fake_host *fh, char op, struct io_region *r, int rc)
{
	struct fake_event *e;

	if (fh->nev >= FAKE_MAX_EVENTS)
		return;
	e = &fh->ev[fh->nev++];
	e->op = op;
	e->space = r->space;
	e->base = r->base;
	e->size = r->size;
	snprintf(e->name, sizeof(e->name), "%s", r->name ? r->name : "?");
	e->rc = rc;
}

static bool overlaps(const struct io_region *a, const struct io_region *b)
{
	if (a->space == IO_SPACE_PCI || b->space == IO_SPACE_PCI)
		return a->space == b->space && a->base == b->base;
	return a->space == b->space && a->base < b->base + b->size &&
	       b->base < a->base + a->size;
}

static int fake_map(void *ctx, struct io_region *r)
{
	struct fake_host *fh = ctx;
	unsigned i, same = 0;
	int rc = 0;

	if (fh->fail_name && r->name && !strcmp(fh->fail_name, r->name))
		rc = fh->fail_rc;
	for (i = 0; !rc && i < fh->nmapped; i++) {
		if (fh->mapped[i] == r || overlaps(fh->mapped[i], r))
			rc = -EEXIST;
		if (fh->mapped[i]->space == r->space)
			same++;
	}
	if (!rc && (same >= fh->max_ranges || fh->nmapped >= FAKE_MAX_MAPPED))
		rc = -ENOSPC;
	if (!rc) {
		fh->mapped[fh->nmapped++] = r;
		r->mapped = true;
		if (r == fh->ram_region)
			fh->ram_moves++;
		if (r == fh->ram2_region)
			fh->ram2_moves++;
		if (r == fh->ram3_region)
			fh->ram3_moves++;
	}
	record(fh, 'M', r, rc);
	return rc;
}

static int fake_unmap(void *ctx, struct io_region *r)
{
	struct fake_host *fh = ctx;
	unsigned i;

	for (i = 0; i < fh->nmapped; i++) {
		if (fh->mapped[i] == r) {
			fh->mapped[i] = fh->mapped[--fh->nmapped];
			r->mapped = false;
			if (r == fh->ram_region)
				fh->ram_moves++;
			if (r == fh->ram2_region)
				fh->ram2_moves++;
			if (r == fh->ram3_region)
				fh->ram3_moves++;
			record(fh, 'U', r, 0);
			return 0;
		}
	}
	record(fh, 'U', r, -ENOENT);
	return -ENOENT;
}

static int fake_msi(void *ctx, uint64_t addr, uint32_t data)
{
	struct fake_host *fh = ctx;

	fh->msi_count++;
	fh->msi_addr = addr;
	fh->msi_data = data;
	return 0;
}

static int fake_intx(void *ctx, unsigned pin, bool asserted)
{
	struct fake_host *fh = ctx;

	fh->intx_count++;
	return 0;
}

static int fake_timer(void *ctx, struct io_timer *t, uint64_t period_ns)
{
	struct fake_host *fh = ctx;

	fh->timer = t;
	fh->timer_period_ns = period_ns;
	fh->timer_sets++;
	if (t->handle < 0)
		t->handle = 0;
	return 0;
}

/* The bytes behind a RAM-backed region, or NULL. */
static uint8_t *ram_of(struct fake_host *fh, const struct io_region *r)
{
	if (r && r == fh->ram_region)
		return fh->ram;
	if (r && r == fh->ram2_region)
		return fh->ram2;
	if (r && r == fh->ram3_region)
		return fh->ram3;
	return NULL;
}

/*
 * The third region's bytes are mmap'ed (up to 512 MiB, untouched pages
 * cost nothing); a host re-initialised without fake_host_fini gives its
 * mapping back here.
 */
#define MAX_BIG 8
static struct {
	struct fake_host *fh;
	void *p;
	size_t len;
	uint64_t *dirty;
} big[MAX_BIG];

static void big_free(struct fake_host *fh)
{
	unsigned i;

	for (i = 0; i < MAX_BIG; i++) {
		if (big[i].fh != fh)
			continue;
		munmap(big[i].p, big[i].len);
		free(big[i].dirty);
		big[i].fh = NULL;
	}
}

static int big_alloc(struct fake_host *fh, struct io_region *r)
{
	unsigned i;
	void *p;

	for (i = 0; i < MAX_BIG && big[i].fh; i++)
		;
	if (i == MAX_BIG)
		return -ENOMEM;
	p = mmap(NULL, r->size, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return -ENOMEM;
	big[i].dirty = calloc((r->size / 4096 + 63) / 64, sizeof(uint64_t));
	if (!big[i].dirty) {
		munmap(p, r->size);
		return -ENOMEM;
	}
	big[i].fh = fh;
	big[i].p = p;
	big[i].len = r->size;
	fh->ram3 = p;
	fh->ram3_dirty = big[i].dirty;
	fh->ram3_region = r;
	fh->span_first = 0;
	fh->span_n = r->size / 4096;
	return 0;
}

/* Like Xen: fresh zeroed RAM, only if the test allows it: one region of up
 * to FAKE_RAM_SIZE, then one of up to FAKE_RAM2_SIZE. */
static int fake_ram_add(void *ctx, struct io_region *r)
{
	struct fake_host *fh = ctx;

	if (!fh->ram_ok)
		return -EOPNOTSUPP;
	if (!r->size || (r->size & 4095))
		return -EINVAL;
	if (!fh->ram_region && r->size <= FAKE_RAM_SIZE) {
		fh->ram_region = r;
		memset(fh->ram, 0, r->size);
	} else if (!fh->ram2_region && r->size <= FAKE_RAM2_SIZE) {
		fh->ram2_region = r;
		memset(fh->ram2, 0, r->size);
	} else if (!fh->ram3_region && r->size <= FAKE_RAM3_SIZE) {
		if (big_alloc(fh, r) < 0)
			return -ENOMEM;
	} else {
		return -ENOMEM;
	}
	r->ram = true;
	return 0;
}

static int fake_ram_io(struct fake_host *fh, struct io_region *r, uint64_t off,
		       size_t len)
{
	if (!ram_of(fh, r) || off > r->size || len > r->size - off)
		return -EFAULT;
	return 0;
}

static int fake_ram_read(void *ctx, struct io_region *r, uint64_t off,
			 void *buf, size_t len)
{
	struct fake_host *fh = ctx;
	int rc = fake_ram_io(fh, r, off, len);

	if (rc)
		memset(buf, 0xff, len);
	else
		memcpy(buf, ram_of(fh, r) + off, len);
	return rc;
}

static int fake_ram_write(void *ctx, struct io_region *r, uint64_t off,
			  const void *buf, size_t len)
{
	struct fake_host *fh = ctx;
	int rc = fake_ram_io(fh, r, off, len);

	if (!rc)
		memcpy(ram_of(fh, r) + off, buf, len);
	return rc;
}

/* Like Xen's track_dirty_vram seen through host.c: the guest's writes
 * since the last call, never the device's own (fake_ram_write). */
static int fake_ram_dirty(void *ctx, struct io_region *r, uint64_t *bitmap,
			  size_t npages)
{
	struct fake_host *fh = ctx;
	size_t w = (npages + 63) / 64;

	fh->dirty_calls++;
	if (fh->no_dirty)
		return -EOPNOTSUPP;
	if (!r || r != fh->ram3_region || !r->track_dirty ||
	    npages != r->size / 4096)
		return -EINVAL;
	memcpy(bitmap, fh->ram3_dirty, w * sizeof(uint64_t));
	memset(fh->ram3_dirty, 0, w * sizeof(uint64_t));
	return 0;
}

/* Writes outside the span are not tracked (fake_write asks). */
static int fake_ram_dirty_span(void *ctx, struct io_region *r, uint64_t first,
			       uint64_t n)
{
	struct fake_host *fh = ctx;

	if (!r || r != fh->ram3_region || first % 64 ||
	    first + n > r->size / 4096)
		return -EINVAL;
	fh->span_first = n ? first : 0;
	fh->span_n = n;
	fh->span_sets++;
	return 0;
}

static const struct io_host_ops fake_ops = {
    .map = fake_map,
    .unmap = fake_unmap,
    .msi = fake_msi,
    .intx = fake_intx,
    .timer = fake_timer,
    .ram_add = fake_ram_add,
    .ram_read = fake_ram_read,
    .ram_write = fake_ram_write,
    .ram_dirty = fake_ram_dirty,
    .ram_dirty_span = fake_ram_dirty_span,
};

void fake_host_tick(struct fake_host *fh, uint64_t periods)
{
	if (fh->timer && fh->timer_period_ns)
		fh->timer->fire(fh->timer->opaque, periods);
}

void fake_host_fini(struct fake_host *fh)
{
	big_free(fh);
	fh->ram3 = NULL;
	fh->ram3_dirty = NULL;
	fh->ram3_region = NULL;
}

void fake_host_init(struct fake_host *fh)
{
	big_free(fh);
	memset(fh, 0, sizeof(*fh));
	fh->host.ops = &fake_ops;
	fh->host.ctx = fh;
	fh->max_ranges = 256;
}

void fake_host_clear_events(struct fake_host *fh)
{
	fh->nev = 0;
}

struct io_region *fake_host_find(struct fake_host *fh, enum io_space space,
				 uint64_t addr)
{
	unsigned i;

	for (i = 0; i < fh->nmapped; i++) {
		struct io_region *r = fh->mapped[i];

		if (r->space != space)
			continue;
		if (space == IO_SPACE_PCI
			? addr == r->base
			: addr >= r->base && addr - r->base < r->size)
			return r;
	}
	return NULL;
}

bool fake_host_is_mapped(struct fake_host *fh, const char *name, uint64_t base)
{
	unsigned i;

	for (i = 0; i < fh->nmapped; i++)
		if (!strcmp(fh->mapped[i]->name, name) &&
		    fh->mapped[i]->base == base)
			return true;
	return false;
}

static uint64_t size_mask(unsigned size)
{
	return size >= 8 ? ~0ull : (1ull << (8 * size)) - 1;
}

uint64_t fake_read(struct fake_host *fh, enum io_space space, uint64_t addr,
		   unsigned size)
{
	struct io_region *r = fake_host_find(fh, space, addr);

	/* Claimed RAM is memory: any access, no handler. */
	if (r && r->ram && size <= r->size - (addr - r->base)) {
		uint64_t v = 0;

		memcpy(&v, ram_of(fh, r) + (addr - r->base), size);
		return v;
	}
	/* Like Xen: unclaimed reads all-ones; so do accesses the region's
	 * rules refuse (dispatch.c checks them the same way). */
	if (!r || !io_access_ok(r, addr - r->base, size) || !r->read)
		return size_mask(size);
	return r->read(r->opaque, addr - r->base, size) & size_mask(size);
}

void fake_write(struct fake_host *fh, enum io_space space, uint64_t addr,
		unsigned size, uint64_t val)
{
	struct io_region *r = fake_host_find(fh, space, addr);

	if (r && r->ram && size <= r->size - (addr - r->base)) {
		fake_ram_guest_write(fh, addr, &val, size);
		return;
	}
	if (!r || !io_access_ok(r, addr - r->base, size) || !r->write)
		return;
	r->write(r->opaque, addr - r->base, size, val & size_mask(size));
}

void fake_ram_guest_write(struct fake_host *fh, uint64_t gpa, const void *buf,
			  size_t len)
{
	struct io_region *r = fake_host_find(fh, IO_SPACE_MMIO, gpa);
	uint64_t off, p;

	if (!r || !r->ram || len > r->size - (gpa - r->base))
		return;
	off = gpa - r->base;
	memcpy(ram_of(fh, r) + off, buf, len);
	if (r != fh->ram3_region || !len)
		return;
	for (p = off / 4096; p <= (off + len - 1) / 4096; p++)
		if (p - fh->span_first < fh->span_n)
			fh->ram3_dirty[p / 64] |= 1ull << (p % 64);
}

/* Guest RAM [0, guest_ram_end): reads give zeros, writes are dropped; a
 * range touching anything else is refused whole, as gmem.h says. */
static int fake_gm_check(struct gmem *gm, uint64_t gpa, size_t len)
{
	struct fake_host *fh =
	    (struct fake_host *)((char *)gm - offsetof(struct fake_host, gm));

	return gpa < fh->guest_ram_end && len <= fh->guest_ram_end - gpa
		   ? 0
		   : -EFAULT;
}

static int fake_gm_read(struct gmem *gm, uint64_t gpa, void *buf, size_t len)
{
	struct fake_host *fh =
	    (struct fake_host *)((char *)gm - offsetof(struct fake_host, gm));
	int rc = fake_gm_check(gm, gpa, len);

	if (!rc && fh->guest_buf)
		memcpy(buf, fh->guest_buf + gpa, len);
	else
		memset(buf, rc ? 0xff : 0, len);
	return rc;
}

static int fake_gm_write(struct gmem *gm, uint64_t gpa, const void *buf,
			 size_t len)
{
	struct fake_host *fh =
	    (struct fake_host *)((char *)gm - offsetof(struct fake_host, gm));
	int rc = fake_gm_check(gm, gpa, len);

	if (!rc && fh->guest_buf)
		memcpy(fh->guest_buf + gpa, buf, len);
	return rc;
}

static void fake_gm_invalidate(struct gmem *gm)
{
	(void)gm;
}

static const struct gmem_ops fake_gm_ops = {
    .read = fake_gm_read,
    .write = fake_gm_write,
    .invalidate = fake_gm_invalidate,
};

void fake_host_guest_ram(struct fake_host *fh, uint64_t end)
{
	fh->gm.ops = &fake_gm_ops;
	fh->guest_ram_end = end;
	fh->host.mem = &fh->gm;
}

void fake_host_guest_buf(struct fake_host *fh, uint8_t *buf, uint64_t end)
{
	fake_host_guest_ram(fh, end);
	fh->guest_buf = buf;
}
