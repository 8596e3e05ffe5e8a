// SPDX-License-Identifier: MIT
/*
 * sim-ops.c - the simulator's answers to the libraries (dm_op, foreign and
 * resource mappings, event channel binds, the few domctls) and to the
 * guest/toolstack control connection.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "sim.h"
#include <xen/hvm/dm_op.h>
#include <xen/hvm/hvm_op.h>
#include <xen/memory.h>


/*
 * What an operation needs of its domain while the domain is dying.  Xen's
 * dm_op never looks at is_dying: server ops work until the servers are
 * destroyed at the end of relinquishing (then ENOENT), domain-wide ones
 * until the domain is gone.  Mapping its memory or building on it is
 * refused as soon as it is dying (its p2m is torn down first).
 */
enum dom_need {
	NEED_LIVE,   /* ESRCH once dying */
	NEED_SERVER, /* the server lookup decides */
	NEED_EXISTS, /* works while dying */
};

/* Permission, then existence: EPERM, ESRCH. */
static struct domain *dom_for(struct conn *c, uint32_t domid,
			      enum dom_need need, int *err)
{
	struct domain *d;

	if (c->restrict_domid >= 0 && (uint32_t)c->restrict_domid != domid) {
		*err = -EPERM;
		return NULL;
	}
	d = dom_find(domid);
	if (!d) {
		*err = -ESRCH;
		return NULL;
	}
	if (d->dying && need == NEED_LIVE) {
		*err = -ESRCH;
		return NULL;
	}
	return d;
}

static struct mapping *mapping_get(struct conn *c, uint64_t cookie,
				   uint32_t domid, bool resource)
{
	struct mapping *m;

	for (size_t i = 0; i < c->nr_maps; i++)
		if (c->maps[i].cookie == cookie)
			return &c->maps[i];
	if (c->nr_maps == c->cap_maps) {
		size_t n = c->cap_maps ? c->cap_maps * 2 : 16;

		m = realloc(c->maps, n * sizeof(*m));
		if (!m)
			return NULL;
		c->maps = m;
		c->cap_maps = n;
	}
	m = &c->maps[c->nr_maps++];
	memset(m, 0, sizeof(*m));
	m->cookie = cookie;
	m->domid = domid;
	m->resource = resource;
	return m;
}

static int op_memtype(struct domain *d, struct server *s, unsigned type,
		      unsigned flags)
{
	if (type != HVMMEM_ioreq_server ||
	    (flags & ~XEN_DMOP_IOREQ_MEM_ACCESS_WRITE))
		return -EINVAL;
	if (!flags) {
		if (d->memtype_owner != (int)s->id)
			return -EINVAL;
		memset(d->wp, 0, (d->nr_gfns + 7) / 8);
		d->wp_count = 0;
		d->memtype_owner = -1;
		return 0;
	}
	if (d->memtype_owner >= 0 || d->wp_count)
		return -EBUSY;
	d->memtype_owner = s->id;
	return 0;
}

static int op_modified(struct domain *d, const void *tail, size_t tlen,
		       uint64_t nr, uint64_t *bad)
{
	const struct xen_dm_op_modified_memory_extent *e = tail;

	if (nr * sizeof(*e) > tlen)
		return -EINVAL;
	for (uint64_t i = 0; i < nr; i++) {
		if (e[i].pad || e[i].first_pfn + e[i].nr < e[i].first_pfn ||
		    e[i].first_pfn + e[i].nr > d->nr_gfns) {
			*bad = i + 1;
			return -EINVAL;
		}
	}
	for (uint64_t i = 0; i < nr; i++)
		if (e[i].nr)
			log_dirty(d, e[i].first_pfn, e[i].nr);
	return 0;
}

static void op_fm_map(struct conn *c, const struct xsp_req *rq,
		      const void *tail, size_t tlen)
{
	/* the reply tail: uint64_t page[nr], then int32_t err[nr] */
	static uint64_t out[XSP_MAP_BATCH * 3 / 2];
	const uint64_t *gfn = tail;
	uint64_t nr = rq->a[1], ok = 0, *page = out;
	int32_t *err;
	struct mapping *m;
	struct domain *d;
	int rc = 0;

	if (nr > XSP_MAP_BATCH || nr * 8 > tlen) {
		conn_reply(c, -EINVAL, NULL, 0, NULL, 0, -1);
		return;
	}
	err = (int32_t *)(out + nr);
	d = dom_for(c, rq->domid, NEED_LIVE, &rc);
	if (!d) {
		conn_reply(c, rc, NULL, 0, NULL, 0, -1);
		return;
	}
	for (uint64_t i = 0; i < nr; i++) {
		err[i] = gfn_is_ram(d, gfn[i]) ? 0 : -EINVAL;
		page[i] = err[i] ? 0 : gfn_file_page(d, gfn[i]);
		ok += !err[i];
	}
	m = mapping_get(c, rq->a[0], d->domid, false);
	if (!m) {
		conn_reply(c, -ENOMEM, NULL, 0, NULL, 0, -1);
		return;
	}
	m->pages += ok;
	d->foreign_pages += ok;
	conn_reply(c, 0, NULL, 0, out, nr * (sizeof(*page) + sizeof(*err)),
		   d->memfd);
}

static void op_fm_unmap(struct conn *c, uint64_t cookie)
{
	for (size_t i = 0; i < c->nr_maps;) {
		if (c->maps[i].cookie == cookie)
			mapping_release(c, i);
		else
			i++;
	}
	conn_reply(c, 0, NULL, 0, NULL, 0, -1);
}

static void op_res_map(struct conn *c, const struct xsp_req *rq)
{
	uint64_t frame = rq->a[2], nr = rq->a[3], off;
	struct mapping *m;
	struct domain *d;
	struct server *s = NULL;
	int rc = 0;

	d = dom_for(c, rq->domid, NEED_SERVER, &rc);
	if (d && rq->a[0] != XENMEM_resource_ioreq_server)
		rc = -EOPNOTSUPP;
	else if (d)
		s = srv_get(d, rq->a[1], &rc);
	if (s) {
		if (s->gfn_mode)
			rc = -EPERM;
		else if (!nr || frame >= s->nframes ||
			 nr > s->nframes - frame)
			rc = -EINVAL;
		else if (frame == 0 && !s->buf)
			rc = -ENOENT;
	}
	if (!s || rc) {
		conn_reply(c, rc ? rc : -ENOENT, NULL, 0, NULL, 0, -1);
		return;
	}
	m = mapping_get(c, rq->a[4], d->domid, true);
	if (!m) {
		conn_reply(c, -ENOMEM, NULL, 0, NULL, 0, -1);
		return;
	}
	s->res_mode = true;
	m->pages += nr;
	d->resource_pages += nr;
	off = frame * PAGE_4K;
	conn_reply(c, 0, &off, 1, NULL, 0, s->memfd);
}

static int op_getinfo(uint32_t first, uint64_t max, struct xsp_dominfo *out,
		      size_t cap)
{
	size_t n = 0;
	uint32_t cur = first;

	if (max > cap)
		max = cap;
	if (first == 0 && max) {
		memset(&out[0], 0, sizeof(out[0]));
		out[0].flags = XSP_DI_RUNNING;
		out[0].nr_online_vcpus = 1;
		n = 1;
		cur = 1;
	}
	while (n < max) {
		struct domain *best = NULL;

		for (struct domain *d = domains; d; d = d->next)
			if (!d->gone && d->domid >= cur &&
			    (!best || d->domid < best->domid))
				best = d;
		if (!best)
			break;
		memset(&out[n], 0, sizeof(out[n]));
		out[n].domid = best->domid;
		out[n].flags = XSP_DI_HVM | (best->dying ? XSP_DI_DYING : 0) |
			       (best->crashed ? XSP_DI_CRASHED : 0) |
			       (best->shutdown ? XSP_DI_SHUTDOWN : 0) |
			       (best->paused ? XSP_DI_PAUSED : 0) |
			       (!best->paused && !best->shutdown &&
						!best->dying
					? XSP_DI_RUNNING
					: 0);
		out[n].shutdown_reason = best->shutdown_reason;
		out[n].max_vcpu_id = best->nr_vcpus - 1;
		out[n].nr_online_vcpus = best->nr_vcpus;
		out[n].tot_pages = best->tot_pages;
		out[n].max_pages = best->max_pages;
		n++;
		cur = best->domid + 1;
	}
	return n;
}

static void handle_lib(struct conn *c, const struct xsp_req *rq,
		       const void *tail, size_t tlen)
{
	static struct xsp_dominfo di[512];
	uint64_t v[4] = { 0 };
	struct server *s = NULL;
	struct domain *d = NULL;
	unsigned nv = 0;
	int rc = 0;

	switch (rq->op) {
	case XSP_RESTRICT:
		if (c->restrict_domid >= 0 &&
		    (uint32_t)c->restrict_domid != rq->domid)
			rc = -EINVAL;
		else
			c->restrict_domid = rq->domid;
		break;
	case XSP_DM_CREATE:
		if ((d = dom_for(c, rq->domid, NEED_LIVE, &rc))) {
			unsigned id;

			rc = srv_create(d, (int)rq->a[0], &id);
			v[0] = id;
			nv = 1;
		}
		break;
	case XSP_DM_INFO:
	case XSP_DM_MAP_RANGE:
	case XSP_DM_UNMAP_RANGE:
	case XSP_DM_SET_STATE:
	case XSP_DM_DESTROY:
	case XSP_DM_MAP_MEMTYPE:
		d = dom_for(c, rq->domid, NEED_SERVER, &rc);
		if (d)
			s = srv_get(d, rq->a[0], &rc);
		if (!s)
			break;
		if (rq->op == XSP_DM_INFO) {
			if (rq->a[1]) {
				if (s->res_mode) {
					rc = -EPERM;
					break;
				}
				s->gfn_mode = true;
			}
			v[0] = 0xfeff0 - 2 * (s->id + 1) + 1;
			v[1] = 0xfeff0 - 2 * (s->id + 1);
			v[2] = s->buf_port;
			v[3] = s->buf != NULL;
			nv = 4;
		} else if (rq->op == XSP_DM_MAP_RANGE) {
			rc = srv_map_range(s, rq->a[1], rq->a[2], rq->a[3]);
		} else if (rq->op == XSP_DM_UNMAP_RANGE) {
			rc = srv_unmap_range(s, rq->a[1], rq->a[2], rq->a[3]);
		} else if (rq->op == XSP_DM_SET_STATE) {
			rc = srv_set_state(s, rq->a[1]);
		} else if (rq->op == XSP_DM_DESTROY) {
			srv_destroy(s);
		} else {
			rc = op_memtype(d, s, rq->a[1], rq->a[2]);
		}
		break;
	case XSP_DM_INTX:
		if (!(d = dom_for(c, rq->domid, NEED_EXISTS, &rc)))
			break;
		if (rq->a[0] || rq->a[1] || rq->a[2] > 31 || rq->a[3] > 3 ||
		    rq->a[4] > 1) {
			rc = -EINVAL;
		} else if (rq->a[4]) {
			d->irq.intx[rq->a[2]] |= 1u << rq->a[3];
		} else {
			d->irq.intx[rq->a[2]] &= ~(1u << rq->a[3]);
		}
		break;
	case XSP_DM_ISA_IRQ:
		if (!(d = dom_for(c, rq->domid, NEED_EXISTS, &rc)))
			break;
		if (rq->a[0] > 15 || rq->a[1] > 1)
			rc = -EINVAL;
		else if (rq->a[1])
			d->irq.isa_irq |= 1u << rq->a[0];
		else
			d->irq.isa_irq &= ~(1u << rq->a[0]);
		break;
	case XSP_DM_LINK_ROUTE:
		if (!(d = dom_for(c, rq->domid, NEED_EXISTS, &rc)))
			break;
		if (rq->a[0] > 3 || rq->a[1] > 15)
			rc = -EINVAL;
		else
			d->irq.link_route[rq->a[0]] = rq->a[1];
		break;
	case XSP_DM_MSI:
		if ((d = dom_for(c, rq->domid, NEED_EXISTS, &rc)))
			log_msi(d, rq->a[0], rq->a[1]);
		break;
	case XSP_DM_MODIFIED:
		if ((d = dom_for(c, rq->domid, NEED_EXISTS, &rc)))
			rc = op_modified(d, tail, tlen, rq->a[0], &v[0]);
		nv = 1;
		break;
	case XSP_DM_SET_MEM_TYPE:
		if ((d = dom_for(c, rq->domid, NEED_LIVE, &rc)))
			rc = dom_set_mem_type(d, rq->a[0], rq->a[1], rq->a[2]);
		break;
	case XSP_DM_RELOCATE:
		/* a dying domain's p2m is empty: the first page fails */
		if ((d = dom_for(c, rq->domid, NEED_EXISTS, &rc)))
			rc = dom_relocate(d, rq->a[0], rq->a[1], rq->a[2]);
		break;
	case XSP_DM_PIN_CACHEATTR:
		if ((d = dom_for(c, rq->domid, NEED_EXISTS, &rc)))
			rc = dom_pin_cacheattr(d, rq->a[0], rq->a[1], rq->a[2]);
		break;
	case XSP_DM_TRACK_VRAM: {
		static uint8_t bm[(1u << 18) / 8];

		if (!(d = dom_for(c, rq->domid, NEED_EXISTS, &rc)))
			break;
		rc = dom_track_vram(d, rq->a[0], rq->a[1], bm);
		if (rc == 0 && rq->a[1]) {
			conn_reply(c, 0, NULL, 0, bm,
				   (size_t)((rq->a[1] + 7) / 8), -1);
			return;
		}
		break;
	}
	case XSP_DM_NR_VCPUS:
		if ((d = dom_for(c, rq->domid, NEED_EXISTS, &rc)))
			v[0] = d->nr_vcpus;
		nv = 1;
		break;
	case XSP_DM_SHUTDOWN:
		if ((d = dom_for(c, rq->domid, NEED_LIVE, &rc)))
			dom_shutdown(d, rq->a[0]);
		break;
	case XSP_DM_CHECK:
		dom_for(c, rq->domid, NEED_EXISTS, &rc);
		break;
	case XSP_FM_MAP:
		op_fm_map(c, rq, tail, tlen);
		return;
	case XSP_FM_UNMAP:
		op_fm_unmap(c, rq->a[0]);
		return;
	case XSP_FM_RES_MAP:
		op_res_map(c, rq);
		return;
	case XSP_FM_RES_SIZE:
		d = dom_for(c, rq->domid, NEED_SERVER, &rc);
		if (d && rq->a[0] != XENMEM_resource_ioreq_server)
			rc = -EOPNOTSUPP;
		else if (d && (s = srv_get(d, rq->a[1], &rc)))
			v[0] = s->nframes;
		nv = 1;
		break;
	case XSP_EV_BIND_INTER:
	case XSP_EV_BIND_UNBOUND:
	case XSP_EV_BIND_VIRQ:
	case XSP_EV_UNBIND:
		if (c->kind != CONN_EVRPC || !c->peer) {
			rc = -EBADF;
		} else if (rq->op == XSP_EV_BIND_INTER) {
			rc = ev_bind_interdomain(c->peer, rq->domid, rq->a[0],
						 c->restrict_domid);
		} else if (rq->op == XSP_EV_BIND_UNBOUND) {
			rc = c->restrict_domid >= 0 &&
					     (uint32_t)c->restrict_domid !=
						     rq->domid
				     ? -EPERM
				     : ev_bind_unbound(c->peer, rq->domid);
		} else if (rq->op == XSP_EV_BIND_VIRQ) {
			rc = c->restrict_domid >= 0 ? -EPERM : -EOPNOTSUPP;
		} else {
			rc = ev_unbind(c->peer, rq->a[0]);
		}
		break;
	case XSP_XC_GETINFO:
		rc = op_getinfo(rq->domid, rq->a[0], di,
				sizeof(di) / sizeof(di[0]));
		conn_reply(c, rc, NULL, 0, di, rc * sizeof(di[0]), -1);
		return;
	case XSP_XC_SETMAXMEM:
		if ((d = dom_for(c, rq->domid, NEED_LIVE, &rc)))
			d->max_pages = rq->a[0] / 4;
		break;
	case XSP_XC_POPULATE:
		if ((d = dom_for(c, rq->domid, NEED_LIVE, &rc))) {
			if (rq->a[0] * 8 > tlen)
				rc = -EINVAL;
			else
				rc = dom_populate(d, tail, rq->a[0]);
		}
		break;
	case XSP_XC_PAUSE:
	case XSP_XC_UNPAUSE:
		if ((d = dom_for(c, rq->domid, NEED_LIVE, &rc))) {
			if (rq->op == XSP_XC_PAUSE)
				dom_pause(d);
			else
				dom_unpause(d);
		}
		break;
	default:
		rc = -ENOSYS;
		break;
	}
	conn_reply(c, rc, v, nv, NULL, 0, -1);
}

static struct domain *dom_any(uint32_t domid)
{
	for (struct domain *d = domains; d; d = d->next)
		if (d->domid == domid)
			return d;
	return NULL;
}

static void reply_slice(struct conn *c, const void *arr, size_t elem,
			size_t total, uint64_t from, uint64_t max)
{
	size_t cap = (XSP_MAX_MSG - sizeof(struct xsp_rep)) / elem, n = 0;
	uint64_t t = total;

	if (from < total) {
		n = total - from;
		if (n > max)
			n = max;
		if (n > cap)
			n = cap;
	}
	conn_reply(c, n, &t, 1, (const char *)arr + from * elem, n * elem,
		   -1);
}

static void handle_guest(struct conn *c, const struct xsp_req *rq,
			 const void *tail, size_t tlen)
{
	static unsigned char buf[XSP_MAX_MSG];
	struct domain *d = dom_find(rq->domid);
	uint64_t v = 0;
	int rc = 0;

	if (rq->op == XSP_G_DOM_CREATE) {
		struct xsim_domain_config cfg;
		uint32_t id = 0;

		if (tlen < sizeof(cfg)) {
			rc = -EINVAL;
		} else {
			memcpy(&cfg, tail, sizeof(cfg));
			rc = dom_create(&cfg, &id);
		}
		v = id;
		conn_reply(c, rc, &v, 1, NULL, 0, -1);
		return;
	}
	if (rq->op == XSP_G_INFO) {
		struct xsim_domain_info info;

		dom_info(dom_any(rq->domid), &info);
		conn_reply(c, 0, NULL, 0, &info, sizeof(info), -1);
		return;
	}
	if (!d) {
		conn_reply(c, -ESRCH, NULL, 0, NULL, 0, -1);
		return;
	}
	switch (rq->op) {
	case XSP_G_PAUSE:
		dom_pause(d);
		break;
	case XSP_G_UNPAUSE:
		dom_unpause(d);
		break;
	case XSP_G_DESTROY:
		dom_destroy(d);
		break;
	case XSP_G_SHUTDOWN:
		dom_shutdown(d, rq->a[0]);
		dom_destroy(d);
		break;
	case XSP_G_MEM_READ:
	case XSP_G_MEM_WRITE: {
		uint64_t gpa = rq->a[0];
		uint64_t len = rq->op == XSP_G_MEM_READ ? rq->a[1] : tlen;

		if (d->dying || len > sizeof(buf) || gpa + len < gpa) {
			rc = d->dying ? -ESRCH : -EINVAL;
			break;
		}
		for (uint64_t g = gpa >> 12; len && g <= (gpa + len - 1) >> 12;
		     g++)
			if (!gfn_is_ram(d, g))
				rc = -EFAULT;
		if (rc)
			break;
		if (rq->op == XSP_G_MEM_WRITE) {
			ram_write(d, gpa, tail, len);
			break;
		}
		ram_read(d, gpa, buf, len);
		conn_reply(c, 0, NULL, 0, buf, len, -1);
		return;
	}
	case XSP_G_LOG_IOREQ:
		reply_slice(c, d->log, sizeof(*d->log), d->nr_log, rq->a[0],
			    rq->a[1]);
		return;
	case XSP_G_LOG_MSI:
		reply_slice(c, d->msi, sizeof(*d->msi), d->nr_msi, rq->a[0],
			    rq->a[1]);
		return;
	case XSP_G_LOG_DIRTY:
		reply_slice(c, d->dirty, sizeof(*d->dirty), d->nr_dirty,
			    rq->a[0], rq->a[1]);
		return;
	case XSP_G_LOG_ENABLE:
		d->log_on = rq->a[0];
		break;
	case XSP_G_RANGES: {
		struct xsim_range *r = (struct xsim_range *)buf;
		size_t n = 0, cap = sizeof(buf) / sizeof(*r);

		for (unsigned i = 0; i < MAX_SERVERS; i++) {
			struct server *s = d->srv[i];

			for (unsigned t = 0; s && t < 3; t++)
				for (unsigned k = 0; k < s->nr[t] && n < cap;
				     k++) {
					r[n].server_id = i;
					r[n].type = t;
					r[n].start = s->r[t][k].s;
					r[n++].end = s->r[t][k].e;
				}
		}
		reply_slice(c, r, sizeof(*r), n, rq->a[0], rq->a[1]);
		return;
	}
	case XSP_G_TIMEOFFSET:
		rc = d->dying ? -ESRCH : timeoffset_broadcast(d, rq->a[0]);
		break;
	case XSP_G_IRQ_STATE:
		conn_reply(c, 0, NULL, 0, &d->irq, sizeof(d->irq), -1);
		return;
	default:
		rc = -ENOSYS;
		break;
	}
	conn_reply(c, rc, NULL, 0, NULL, 0, -1);
}

static void vcpu_open(struct conn *c, const struct xsp_req *rq)
{
	struct domain *d;
	int rc = 0;

	d = dom_live(rq->domid, &rc);
	if (d && (d->shutdown))
		rc = -ESRCH;
	else if (d && rq->a[0] >= d->nr_vcpus)
		rc = -EINVAL;
	else if (d && d->vcpu[rq->a[0]].conn)
		rc = -EBUSY;
	if (!rc && d) {
		c->kind = CONN_VCPU;
		c->vcpu = &d->vcpu[rq->a[0]];
		c->vcpu->conn = c;
	}
	conn_reply(c, rc, NULL, 0, NULL, 0, -1);
}

void handle_request(struct conn *c, const struct xsp_req *rq,
		    const void *tail, size_t tlen, int fd)
{
	(void)fd;
	if (c->kind == CONN_VCPU) {
		if (!c->vcpu)
			conn_reply(c, -ESRCH, NULL, 0, NULL, 0, -1);
		else
			vcpu_start(c->vcpu, rq, tail, tlen);
		return;
	}
	if (rq->op == XSP_V_OPEN) {
		vcpu_open(c, rq);
		return;
	}
	if (rq->op >= XSP_G_DOM_CREATE && rq->op < XSP_V_OPEN) {
		handle_guest(c, rq, tail, tlen);
		return;
	}
	handle_lib(c, rq, tail, tlen);
}
