/* SPDX-License-Identifier: MIT */
/*
 * host.c - claims, releases and interrupts for the device, against Xen.
 */
#include "ioreq/host.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "util/log.h"

static const char *const space_name[] = {"port", "mmio", "pci"};

/* The inclusive span a region claims, or -EINVAL. */
static int region_span(const struct io_region *r, uint64_t *start,
		       uint64_t *end)
{
	switch (r->space) {
	case IO_SPACE_PORT:
	case IO_SPACE_MMIO:
		if (r->size == 0 || r->base + (r->size - 1) < r->base)
			return -EINVAL;
		*start = r->base;
		*end = r->base + (r->size - 1);
		if (r->space == IO_SPACE_PORT && *end > 0xffff)
			return -EINVAL;
		return 0;
	case IO_SPACE_PCI:
		if (r->base > 0xffffffffu)
			return -EINVAL;
		*start = *end = r->base;
		return 0;
	}
	return -EINVAL;
}

/* Claim (map = 1) or release (map = 0) a span at Xen; -errno. */
static int xen_claim(struct ioreq_server *s, enum io_space space,
		     uint64_t start, uint64_t end, bool map)
{
	int rc;

	if (space == IO_SPACE_PCI) {
		uint32_t sbdf = (uint32_t)start;
		uint16_t seg = sbdf >> 16;
		uint8_t bus = (sbdf >> 8) & 0xff, dev = (sbdf >> 3) & 0x1f,
			fn = sbdf & 7;

		rc = map ? xendevicemodel_map_pcidev_to_ioreq_server(
				   s->dmod, s->domid, s->id, seg, bus, dev, fn)
			 : xendevicemodel_unmap_pcidev_from_ioreq_server(
				   s->dmod, s->domid, s->id, seg, bus, dev, fn);
	} else {
		int is_mmio = space == IO_SPACE_MMIO;

		rc = map ? xendevicemodel_map_io_range_to_ioreq_server(
				   s->dmod, s->domid, s->id, is_mmio, start,
				   end)
			 : xendevicemodel_unmap_io_range_from_ioreq_server(
				   s->dmod, s->domid, s->id, is_mmio, start,
				   end);
	}
	return rc < 0 ? -errno : 0;
}

static int host_map(void *ctx, struct io_region *r)
{
	struct ioreq_host *h = ctx;
	uint64_t start, end;
	int rc;

	if (r->mapped)
		return -EEXIST;
	rc = region_span(r, &start, &end);
	if (rc < 0)
		return rc;
	rc = ranges_add(&h->d->sets[r->space], start, end, r);
	if (rc < 0) {
		log_warn("cannot claim %s %s [0x%" PRIx64 ", 0x%" PRIx64
			 "]: %s",
			 space_name[r->space], r->name ? r->name : "?", start,
			 end, strerror(-rc));
		return rc;
	}
	if (h->srv->gone)
		rc = -ESRCH;
	else
		rc = xen_claim(h->srv, r->space, start, end, true);
	if (rc < 0) {
		ranges_del(&h->d->sets[r->space], r);
		log_warn("%s(domain %u, %s [0x%" PRIx64 ", 0x%" PRIx64
			 "]) failed: %s",
			 r->space == IO_SPACE_PCI
				 ? "xendevicemodel_map_pcidev_to_ioreq_server"
				 : "xendevicemodel_map_io_range_to_ioreq_server",
			 h->srv->domid, space_name[r->space], start, end,
			 strerror(-rc));
		return rc;
	}
	r->mapped = true;
	log_debug("claimed %s %s [0x%" PRIx64 ", 0x%" PRIx64 "]",
		  space_name[r->space], r->name ? r->name : "?", start, end);
	return 0;
}

static int host_unmap(void *ctx, struct io_region *r)
{
	struct ioreq_host *h = ctx;
	uint64_t start, end;
	int rc;

	if (!r->mapped || region_span(r, &start, &end) < 0 ||
	    ranges_del(&h->d->sets[r->space], r) < 0)
		return -ENOENT;
	r->mapped = false;
	if (h->srv->gone)
		return 0;
	rc = xen_claim(h->srv, r->space, start, end, false);
	if (rc < 0 && ioreq_errno_gone(-rc)) {
		ioreq_server_mark_gone(h->srv, -rc, "unmap range");
		return 0;
	}
	if (rc < 0)
		log_warn("releasing %s %s [0x%" PRIx64 ", 0x%" PRIx64
			 "] failed: %s",
			 space_name[r->space], r->name ? r->name : "?", start,
			 end, strerror(-rc));
	else
		log_debug("released %s %s [0x%" PRIx64 ", 0x%" PRIx64 "]",
			  space_name[r->space], r->name ? r->name : "?", start,
			  end);
	return rc;
}

static int host_msi(void *ctx, uint64_t addr, uint32_t data)
{
	struct ioreq_host *h = ctx;

	if (h->srv->gone)
		return -ESRCH;
	h->msis++;
	if (xendevicemodel_inject_msi(h->srv->dmod, h->srv->domid, addr,
				      data) < 0) {
		int err = errno;

		log_guest(LOG_WARN,
			  "xendevicemodel_inject_msi(0x%" PRIx64 ", 0x%x) "
			  "failed: %s",
			  addr, data, strerror(err));
		return -err;
	}
	return 0;
}

static int host_intx(void *ctx, unsigned pin, bool asserted)
{
	struct ioreq_host *h = ctx;
	uint8_t bus = (h->sbdf >> 8) & 0xff, dev = (h->sbdf >> 3) & 0x1f;

	if (pin > 3)
		return -EINVAL;
	if (h->srv->gone)
		return -ESRCH;
	h->intx_changes++;
	if (xendevicemodel_set_pci_intx_level(h->srv->dmod, h->srv->domid, 0,
					      bus, dev, (uint8_t)pin,
					      asserted) < 0) {
		int err = errno;

		log_guest(LOG_WARN,
			  "xendevicemodel_set_pci_intx_level(%02x:%02x INT%c, "
			  "%d) failed: %s",
			  bus, dev, 'A' + pin, asserted, strerror(err));
		return -err;
	}
	return 0;
}

static void on_timer(void *opaque, uint64_t expirations)
{
	struct io_timer *t = opaque;

	t->fire(t->opaque, expirations);
}

static int host_timer(void *ctx, struct io_timer *t, uint64_t period_ns)
{
	struct ioreq_host *h = ctx;
	int fd, rc;

	if (!h->loop || !t->fire)
		return -EINVAL;
	if (t->handle >= 0) {
		rc = loop_timer_set(h->loop, t->handle, period_ns);
		if (rc < 0)
			log_warn("timer %s: %s", t->name ? t->name : "?",
				 strerror(-rc));
		return rc;
	}
	if (period_ns == 0)
		return 0; /* never started */
	if (h->ntimers == IOREQ_HOST_MAX_TIMERS)
		return -ENOSPC;
	fd = loop_add_timer_ns(h->loop, period_ns, on_timer, t);
	if (fd < 0) {
		log_warn("timer %s: %s", t->name ? t->name : "?",
			 strerror(-fd));
		return fd;
	}
	t->handle = fd;
	h->timer_fds[h->ntimers++] = fd;
	return 0;
}

static const struct io_host_ops ioreq_host_ops = {
	.map = host_map,
	.unmap = host_unmap,
	.msi = host_msi,
	.intx = host_intx,
	.timer = host_timer,
};

void ioreq_host_init(struct ioreq_host *h, struct ioreq_server *srv,
		     struct dispatcher *d, struct loop *loop, uint32_t sbdf)
{
	memset(h, 0, sizeof(*h));
	h->host.ops = &ioreq_host_ops;
	h->host.ctx = h;
	h->srv = srv;
	h->d = d;
	h->loop = loop;
	h->sbdf = sbdf;
}

void ioreq_host_release_all(struct ioreq_host *h)
{
	unsigned sp;

	while (h->ntimers)
		loop_del_fd(h->loop, h->timer_fds[--h->ntimers]);
	for (sp = 0; sp < 3; sp++) {
		struct range_set *set = &h->d->sets[sp];

		while (set->n) {
			struct io_region *r = set->v[set->n - 1].region;

			if (host_unmap(h, r) == -ENOENT)
				ranges_del(set, r); /* not marked mapped */
		}
	}
}
