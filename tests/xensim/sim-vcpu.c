// SPDX-License-Identifier: MIT
/*
 * sim-vcpu.c - what a vCPU does in Xen's emulator: an instruction's access
 * is cut into ioreqs (page split, power-of-two chunks capped at 8, rep
 * bounding to one page on both sides and 4096 items), each routed with
 * srv_select and either answered by the null handler (reads all-ones,
 * writes dropped) or sent synchronously on the vCPU's slot, waiting for
 * IORESP_READY with Xen's state checks.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include "sim.h"
#include <xen/hvm/ioreq.h>


static unsigned nr_raw_waiting;

static uint8_t *slot_flags(struct ioreq *slot)
{
	return (uint8_t *)slot + 30;
}

static unsigned slot_state(struct ioreq *slot)
{
	return __atomic_load_n(slot_flags(slot), __ATOMIC_ACQUIRE) & 0x0f;
}

static void slot_set_state(struct ioreq *slot, unsigned state)
{
	uint8_t f = __atomic_load_n(slot_flags(slot), __ATOMIC_RELAXED);

	__atomic_store_n(slot_flags(slot), (f & 0xf0) | state,
			 __ATOMIC_RELEASE);
}

static void reply(struct vcpu *v, int ret, const uint64_t *vals, unsigned nv,
		  const void *tail, size_t tlen)
{
	struct conn *c = v->conn;

	if (v->op == OP_RAW && v->raw_deadline) {
		nr_raw_waiting--;
		v->raw_deadline = 0;
	}
	v->op = OP_NONE;
	v->wait = VW_IDLE;
	v->pend_mask = 0;
	if (c)
		conn_reply(c, ret, vals, nv, tail, tlen, -1);
}

void vcpu_fail(struct vcpu *v, int err)
{
	if (v->op == OP_NONE)
		return;
	reply(v, err, NULL, 0, NULL, 0);
}

/* ioreq_send: copy in, READY (release), notify the vCPU's port. */
static void send_sync(struct vcpu *v, struct server *s, const struct ioreq *p)
{
	struct domain *d = v->d;
	struct ioreq *slot = &s->slots[v->id];
	uint32_t port = s->vcpu_port[v->id];
	uint8_t f;

	if (slot_state(slot) != STATE_IOREQ_NONE || slot->vp_eport != port) {
		char why[96];

		snprintf(why, sizeof(why),
			 "device model set bad IO state %u (vp_eport %u/%u)",
			 slot_state(slot), slot->vp_eport, port);
		dom_crash(d, why);
		return;
	}
	slot->addr = p->addr;
	slot->data = p->data;
	slot->count = p->count;
	slot->size = p->size;
	slot->type = p->type;
	f = STATE_IOREQ_READY | (p->data_is_ptr << 4) | (p->dir << 5) |
	    (p->df << 6);
	__atomic_store_n(slot_flags(slot), f, __ATOMIC_RELEASE);
	{
		struct ioreq lp = *p;

		lp.state = STATE_IOREQ_READY;
		lp.vp_eport = port;
		log_ioreq(d, s->id, v->id, port, &lp, &v->log_idx[s->id]);
	}
	v->pend_mask |= 1u << s->id;
	v->prev_state[s->id] = STATE_IOREQ_READY;
	v->wait = VW_IOREQ;
	gport_notify(d, port);
}

static unsigned pow2_floor8(uint64_t n)
{
	return n >= 8 ? 8 : n >= 4 ? 4 : n >= 2 ? 2 : 1;
}

/* Items of `size` at `a` (descending with df) that stay within a page. */
static uint32_t page_fit(uint64_t a, unsigned size, bool df)
{
	uint64_t off = a & (PAGE_4K - 1);

	if (off + size > PAGE_4K)
		return 1;
	return df ? off / size + 1 : (PAGE_4K - off) / size;
}

static void init_req(struct ioreq *p, uint8_t type, uint64_t addr,
		     unsigned size, uint32_t count, bool read)
{
	memset(p, 0, sizeof(*p));
	p->type = type;
	p->addr = addr;
	p->size = size;
	p->count = count;
	p->dir = read ? IOREQ_READ : IOREQ_WRITE;
}

static void step_mmio(struct vcpu *v)
{
	struct domain *d = v->d;

	while (v->done < v->size) {
		uint64_t a = v->addr + v->done;
		uint64_t piece = ((a | (PAGE_4K - 1)) + 1) - a;
		uint64_t gfn = a >> PAGE_SHIFT_4K;
		unsigned chunk;
		struct server *s;
		struct ioreq p;

		if (piece > v->size - v->done)
			piece = v->size - v->done;
		chunk = pow2_floor8(piece);
		if (gfn_is_ram(d, gfn) &&
		    (v->is_read || !gfn_is_wp(d, gfn))) {
			if (v->is_read)
				ram_read(d, a, v->val + v->done, piece);
			else
				ram_write(d, a, v->val + v->done, piece);
			v->done += piece;
			continue;
		}
		init_req(&p, IOREQ_TYPE_COPY, a, chunk, 1, v->is_read);
		if (!v->is_read)
			memcpy(&p.data, v->val + v->done, chunk);
		if (gfn_is_ram(d, gfn)) {
			/* a write to a p2m_ioreq_server page: its owner */
			s = d->memtype_owner >= 0 ? d->srv[d->memtype_owner]
						  : NULL;
			if (s && !s->enabled)
				s = NULL;
		} else {
			s = srv_select(d, &p);
		}
		if (!s) {
			if (v->is_read)
				memset(v->val + v->done, 0xff, chunk);
			v->done += chunk;
			continue;
		}
		v->chunk_off = v->done;
		v->chunk_size = chunk;
		send_sync(v, s, &p);
		return;
	}
	{
		uint64_t out[2];

		memcpy(out, v->val, 16);
		reply(v, 0, out, 2, NULL, 0);
	}
}

static void step_pio(struct vcpu *v)
{
	struct domain *d = v->d;
	struct server *s;
	struct ioreq p;
	uint64_t val = 0;

	if (v->done) {
		memcpy(&val, v->val, 8);
		reply(v, 0, &val, 1, NULL, 0);
		return;
	}
	memcpy(&val, v->val, 8);
	/* hvm_access_cf8: latch 4-byte writes, then fall through */
	if (v->addr == 0xcf8 && v->size == 4 && !v->is_read)
		d->cf8 = (uint32_t)val;
	init_req(&p, IOREQ_TYPE_PIO, v->addr, v->size, 1, v->is_read);
	if (!v->is_read)
		p.data = val & (0xffffffffull >> (32 - 8 * v->size));
	s = srv_select(d, &p);
	if (!s) {
		if (!v->is_read)
			val = 0;
		else if (v->addr == 0xcf8 && v->size == 4)
			val = d->cf8; /* the i440fx stand-in */
		else
			val = 0xffffffffull >> (32 - 8 * v->size);
		reply(v, 0, &val, 1, NULL, 0);
		return;
	}
	v->chunk_off = 0;
	v->chunk_size = v->size;
	send_sync(v, s, &p);
}

static void null_rep_fill(struct vcpu *v, uint64_t mem, uint32_t n)
{
	struct domain *d = v->d;
	unsigned sz = v->rep.size;

	for (uint32_t i = 0; i < n; i++) {
		uint64_t a = v->rep.df ? mem - (uint64_t)i * sz
				       : mem + (uint64_t)i * sz;

		for (unsigned b = 0; b < sz; b++) {
			uint8_t *p = gfn_ptr(d, (a + b) >> PAGE_SHIFT_4K);

			if (p)
				p[(a + b) & (PAGE_4K - 1)] = 0xff;
		}
	}
}

static void ram_rep_copy(struct vcpu *v, uint64_t dev, uint64_t mem,
			 uint32_t n)
{
	struct domain *d = v->d;
	unsigned sz = v->rep.size;

	for (uint32_t i = 0; i < n; i++) {
		uint64_t step = (uint64_t)i * sz;
		uint64_t da = v->rep.df ? dev - step : dev + step;
		uint64_t ma = v->rep.df ? mem - step : mem + step;
		uint8_t item[8];

		if (!gfn_is_ram(d, ma >> PAGE_SHIFT_4K))
			continue;
		if (v->rep.is_stos) {
			ram_write(d, da, &v->rep.value, sz);
		} else if (v->rep.is_read) {
			ram_read(d, da, item, sz);
			ram_write(d, ma, item, sz);
		} else {
			ram_read(d, ma, item, sz);
			ram_write(d, da, item, sz);
		}
	}
}

static void step_rep(struct vcpu *v)
{
	struct domain *d = v->d;
	const struct xsim_rep *r = &v->rep;

	while (v->done < r->count) {
		uint64_t step = v->done * r->size;
		uint64_t dev = r->is_pio ? r->addr
			       : r->df	 ? r->addr - step
					 : r->addr + step;
		uint64_t mem = r->df ? r->mem_gpa - step : r->mem_gpa + step;
		uint64_t n = r->count - v->done;
		struct server *s;
		struct ioreq p;

		if (n > MAX_REPS)
			n = MAX_REPS;
		if (!r->is_stos && page_fit(mem, r->size, r->df) < n)
			n = page_fit(mem, r->size, r->df);
		if (!r->is_pio && page_fit(dev, r->size, r->df) < n)
			n = page_fit(dev, r->size, r->df);
		if (!r->is_pio && gfn_is_ram(d, dev >> PAGE_SHIFT_4K)) {
			ram_rep_copy(v, dev, mem, n);
			v->done += n;
			continue;
		}
		init_req(&p, r->is_pio ? IOREQ_TYPE_PIO : IOREQ_TYPE_COPY,
			 dev, r->size, n, r->is_read);
		p.df = r->df;
		p.data_is_ptr = !r->is_stos;
		p.data = r->is_stos ? r->value : mem;
		s = srv_select(d, &p);
		if (!s) {
			if (r->is_read && !r->is_stos)
				null_rep_fill(v, mem, n);
			v->done += n;
			continue;
		}
		v->chunk_count = n;
		send_sync(v, s, &p);
		return;
	}
	{
		uint64_t done = v->done;

		reply(v, 0, &done, 1, NULL, 0);
	}
}

static void ioreq_to_xsim(const struct ioreq *p, struct xsim_ioreq *o)
{
	memset(o, 0, sizeof(*o));
	o->addr = p->addr;
	o->data = p->data;
	o->count = p->count;
	o->size = p->size;
	o->state = p->state;
	o->data_is_ptr = p->data_is_ptr;
	o->dir = p->dir;
	o->df = p->df;
	o->type = p->type;
	o->vp_eport = p->vp_eport;
}

static void step_raw(struct vcpu *v)
{
	struct domain *d = v->d;
	struct server *s = v->raw_server < MAX_SERVERS ? d->srv[v->raw_server]
						       : NULL;
	const struct xsim_ioreq *in = &v->raw_in;
	struct ioreq *slot, lp;
	uint32_t port;
	size_t idx;

	if (v->wait == VW_IOREQ)
		return;
	if (!s) {
		reply(v, -ENOENT, NULL, 0, NULL, 0);
		return;
	}
	slot = &s->slots[v->id];
	port = s->vcpu_port[v->id];
	slot->addr = in->addr;
	slot->data = in->data;
	slot->count = in->count;
	slot->size = in->size;
	slot->vp_eport = in->vp_eport ? in->vp_eport : port;
	slot->type = in->type;
	__atomic_store_n(slot_flags(slot),
			 (uint8_t)((in->state & 0xf) | ((in->data_is_ptr & 1) << 4) |
				   ((in->dir & 1) << 5) | ((in->df & 1) << 6)),
			 __ATOMIC_RELEASE);
	lp = *slot;
	log_ioreq(d, s->id, v->id, port, &lp, &idx);
	v->log_idx[s->id] = idx;
	v->pend_mask = 1u << s->id;
	v->wait = VW_IOREQ;
	v->raw_deadline = now_ns() + (uint64_t)v->addr * 1000000ull;
	if (!v->raw_deadline)
		v->raw_deadline = 1;
	nr_raw_waiting++;
	gport_notify(d, port);
}

static void finish_raw(struct vcpu *v, int ret)
{
	struct server *s = v->d->srv[v->raw_server];
	struct xsim_ioreq out;
	struct ioreq cp;

	if (!s) {
		reply(v, -ENOENT, NULL, 0, NULL, 0);
		return;
	}
	cp = s->slots[v->id];
	ioreq_to_xsim(&cp, &out);
	if (ret == 0 && v->log_idx[s->id] < v->d->nr_log)
		v->d->log[v->log_idx[s->id]].answer = cp.data;
	slot_set_state(&s->slots[v->id], STATE_IOREQ_NONE);
	reply(v, ret, NULL, 0, &out, sizeof(out));
}

void vcpu_check_timeouts(uint64_t now, int *timeout_ms)
{
	if (!nr_raw_waiting)
		return;
	for (struct domain *d = domains; d; d = d->next) {
		for (unsigned i = 0; i < d->nr_vcpus; i++) {
			struct vcpu *v = &d->vcpu[i];
			int ms;

			if (v->op != OP_RAW || !v->raw_deadline)
				continue;
			if (now >= v->raw_deadline) {
				finish_raw(v, -ETIMEDOUT);
				continue;
			}
			ms = (v->raw_deadline - now + 999999) / 1000000;
			if (*timeout_ms < 0 || ms < *timeout_ms)
				*timeout_ms = ms;
		}
	}
}

static void step_bufw(struct vcpu *v)
{
	struct domain *d = v->d;
	struct server *s;
	struct ioreq p;
	uint64_t val;

	if (v->done) {
		reply(v, 0, NULL, 0, NULL, 0);
		return;
	}
	memcpy(&val, v->val, 8);
	init_req(&p, v->is_pio ? IOREQ_TYPE_PIO : IOREQ_TYPE_COPY, v->addr,
		 v->size, 1, false);
	p.data = v->size == 8 ? val : val & ((1ull << (8 * v->size)) - 1);
	s = srv_select(d, &p);
	if (!s) {
		reply(v, 0, NULL, 0, NULL, 0);
		return;
	}
	if (srv_buf_push(s, &p) == 0) {
		size_t idx;

		log_ioreq(d, s->id, XSIM_BUFFERED, s->buf_port, &p, &idx);
		reply(v, 0, NULL, 0, NULL, 0);
		return;
	}
	v->chunk_size = v->size;
	send_sync(v, s, &p);
}

static void step_invalidate(struct vcpu *v)
{
	struct domain *d = v->d;
	struct ioreq p;

	if (v->done) {
		reply(v, 0, NULL, 0, NULL, 0);
		return;
	}
	v->done = 1;
	init_req(&p, IOREQ_TYPE_INVALIDATE, 0, 4, 0, false);
	p.data = ~0ull;
	for (int i = MAX_SERVERS - 1; i >= 0; i--)
		if (d->srv[i] && d->srv[i]->enabled && !d->crashed)
			send_sync(v, d->srv[i], &p);
	if (!v->pend_mask && v->op == OP_INVALIDATE)
		reply(v, 0, NULL, 0, NULL, 0);
}

static void step_burst(struct vcpu *v)
{
	struct domain *d = v->d;
	struct burst *b = &v->burst;
	struct ioreq p;
	struct server *s;

	init_req(&p, IOREQ_TYPE_COPY, b->addr, b->size, 1, false);
	s = srv_select(d, &p);
	if (!s) {
		reply(v, -ENXIO, NULL, 0, NULL, 0);
		return;
	}
	if (!s->buf) {
		reply(v, -EOPNOTSUPP, NULL, 0, NULL, 0);
		return;
	}
	b->s = s;
	v->wait = VW_BURST;
	burst_activate(v);
}

void vcpu_run(struct vcpu *v)
{
	struct domain *d = v->d;

	if (v->op == OP_NONE || v->wait == VW_IOREQ || v->wait == VW_BURST)
		return;
	if (d->dying || d->shutdown) {
		vcpu_fail(v, -ESRCH);
		return;
	}
	if (d->paused) {
		v->wait = VW_RUN;
		return;
	}
	v->wait = VW_IDLE;
	switch (v->op) {
	case OP_PIO:
		step_pio(v);
		break;
	case OP_MMIO:
		step_mmio(v);
		break;
	case OP_REP:
		step_rep(v);
		break;
	case OP_RAW:
		step_raw(v);
		break;
	case OP_BUFW:
		step_bufw(v);
		break;
	case OP_INVALIDATE:
		step_invalidate(v);
		break;
	case OP_BURST:
		step_burst(v);
		break;
	default:
		break;
	}
}

/* The answer (or the null handler's, when the server went away). */
static void chunk_done(struct vcpu *v, unsigned sid, uint64_t data)
{
	v->pend_mask &= ~(1u << sid);
	if (v->pend_mask)
		return;
	v->wait = VW_IDLE;
	switch (v->op) {
	case OP_MMIO:
		if (v->is_read)
			memcpy(v->val + v->chunk_off, &data, v->chunk_size);
		v->done += v->chunk_size;
		break;
	case OP_PIO:
		data &= 0xffffffffull >> (32 - 8 * v->size);
		memcpy(v->val, &data, 8);
		v->done = v->size;
		break;
	case OP_REP:
		v->done += v->chunk_count;
		break;
	case OP_BUFW:
	case OP_INVALIDATE:
		v->done = 1;
		break;
	default:
		break;
	}
	vcpu_run(v);
}

void vcpu_server_gone(struct vcpu *v, unsigned sid)
{
	if (v->op == OP_RAW) {
		reply(v, -ENOENT, NULL, 0, NULL, 0);
		return;
	}
	v->pend_mask &= ~(1u << sid);
	if (v->pend_mask)
		return;
	/* As if unclaimed: reads see all-ones.  Resumed from the loop. */
	if (v->op == OP_MMIO && v->is_read)
		memset(v->val + v->chunk_off, 0xff, v->chunk_size);
	if (v->op == OP_PIO)
		memset(v->val, 0xff, v->size);
	v->wait = VW_IDLE;
	switch (v->op) {
	case OP_MMIO:
		v->done += v->chunk_size;
		break;
	case OP_PIO:
		v->done = v->size;
		break;
	case OP_REP:
		v->done += v->chunk_count;
		break;
	default:
		v->done = 1;
		break;
	}
	vcpu_schedule(v);
}

/* The device model notified vCPU `vcpu`'s port of server s. */
void vcpu_on_notify(struct domain *d, struct server *s, unsigned vcpu)
{
	struct vcpu *v;
	struct ioreq *slot;
	unsigned st, prev;
	char why[96];

	if (vcpu >= d->nr_vcpus)
		return;
	v = &d->vcpu[vcpu];
	if (!(v->pend_mask & (1u << s->id)) || d->crashed)
		return;
	slot = &s->slots[vcpu];
	st = slot_state(slot);
	if (v->op == OP_RAW) {
		if (st == STATE_IORESP_READY)
			finish_raw(v, 0);
		return;
	}
	prev = v->prev_state[s->id];
	switch (st) {
	case STATE_IORESP_READY: {
		uint64_t data = slot->data;
		size_t li = v->log_idx[s->id];

		if (li < d->nr_log)
			d->log[li].answer = data;
		slot_set_state(slot, STATE_IOREQ_NONE);
		chunk_done(v, s->id, data);
		return;
	}
	case STATE_IOREQ_READY:
	case STATE_IOREQ_INPROCESS:
		if (st < prev) {
			snprintf(why, sizeof(why),
				 "Weird HVM ioreq state transition %u -> %u",
				 prev, st);
			dom_crash(d, why);
			return;
		}
		v->prev_state[s->id] = st;
		return;
	case STATE_IOREQ_NONE:
		snprintf(why, sizeof(why),
			 "Weird HVM ioreq state transition %u -> %u", prev, st);
		dom_crash(d, why);
		return;
	default:
		snprintf(why, sizeof(why), "Weird HVM ioreq state %u", st);
		dom_crash(d, why);
		return;
	}
}

int timeoffset_broadcast(struct domain *d, int64_t offset)
{
	struct ioreq p;
	int failed = 0;

	init_req(&p, IOREQ_TYPE_TIMEOFFSET, 0, 8, 1, false);
	p.data = (uint64_t)offset;
	for (int i = MAX_SERVERS - 1; i >= 0; i--) {
		struct server *s = d->srv[i];
		size_t idx;

		/* 4.17.7: servers without a ring are skipped */
		if (!s || !s->enabled || !s->buf)
			continue;
		if (srv_buf_push(s, &p) < 0)
			failed++;
		else
			log_ioreq(d, s->id, XSIM_BUFFERED, s->buf_port, &p,
				  &idx);
	}
	return failed ? -EAGAIN : 0;
}

static int check_sizes(const struct xsp_req *rq, enum op_kind op)
{
	unsigned size = rq->a[1];

	switch (op) {
	case OP_PIO:
		return (size == 1 || size == 2 || size == 4) ? 0 : -EINVAL;
	case OP_MMIO:
		return (size == 1 || size == 2 || size == 4 || size == 8 ||
			size == 16)
			       ? 0
			       : -EINVAL;
	default:
		return 0;
	}
}

/* A request on a vCPU connection. */
void vcpu_start(struct vcpu *v, const struct xsp_req *rq, const void *tail,
		size_t tlen)
{
	static const enum op_kind map[] = {
		[XSP_V_PIO - XSP_V_PIO] = OP_PIO,
		[XSP_V_MMIO - XSP_V_PIO] = OP_MMIO,
		[XSP_V_REP - XSP_V_PIO] = OP_REP,
		[XSP_V_RAW - XSP_V_PIO] = OP_RAW,
		[XSP_V_BUFWRITE - XSP_V_PIO] = OP_BUFW,
		[XSP_V_BURST - XSP_V_PIO] = OP_BURST,
		[XSP_V_INVALIDATE - XSP_V_PIO] = OP_INVALIDATE,
	};
	enum op_kind op;
	int rc;

	if (rq->op < XSP_V_PIO || rq->op > XSP_V_INVALIDATE) {
		conn_reply(v->conn, -EINVAL, NULL, 0, NULL, 0, -1);
		return;
	}
	if (v->op != OP_NONE) {
		conn_reply(v->conn, -EBUSY, NULL, 0, NULL, 0, -1);
		return;
	}
	op = map[rq->op - XSP_V_PIO];
	rc = check_sizes(rq, op);
	memset(v->val, 0, sizeof(v->val));
	v->done = 0;
	v->pend_mask = 0;
	switch (op) {
	case OP_PIO:
	case OP_MMIO:
		v->addr = rq->a[0];
		v->size = rq->a[1];
		v->is_read = rq->a[2];
		memcpy(v->val, &rq->a[3], 16);
		break;
	case OP_REP:
		if (tlen < sizeof(v->rep)) {
			rc = -EINVAL;
			break;
		}
		memcpy(&v->rep, tail, sizeof(v->rep));
		if (v->rep.count > MAX_REPS ||
		    (v->rep.size != 1 && v->rep.size != 2 &&
		     v->rep.size != 4 && v->rep.size != 8) ||
		    (v->rep.is_pio && (v->rep.size > 4 || v->rep.is_stos)) ||
		    (v->rep.is_stos && v->rep.is_read))
			rc = -EINVAL;
		break;
	case OP_RAW:
		if (tlen < sizeof(struct xsim_ioreq)) {
			rc = -EINVAL;
			break;
		}
		v->raw_server = rq->a[0];
		v->addr = rq->a[1]; /* timeout in ms */
		v->raw_deadline = 0;
		memcpy(&v->raw_in, tail, sizeof(v->raw_in));
		break;
	case OP_BUFW:
		v->is_pio = rq->a[0];
		v->addr = rq->a[1];
		v->size = rq->a[2];
		memcpy(v->val, &rq->a[3], 8);
		if ((v->size != 1 && v->size != 2 && v->size != 4 &&
		     v->size != 8) ||
		    (v->is_pio && v->size > 4))
			rc = -EINVAL;
		break;
	case OP_BURST:
		memset(&v->burst, 0, sizeof(v->burst));
		v->burst.addr = rq->a[0];
		v->burst.span = rq->a[1];
		v->burst.size = rq->a[2];
		v->burst.n = rq->a[3];
		v->burst.base = rq->a[4];
		if ((v->burst.size != 1 && v->burst.size != 2 &&
		     v->burst.size != 4 && v->burst.size != 8) ||
		    v->burst.span < v->burst.size ||
		    v->burst.addr + v->burst.span > 0x100000)
			rc = -EINVAL;
		break;
	default:
		break;
	}
	if (rc < 0) {
		conn_reply(v->conn, rc, NULL, 0, NULL, 0, -1);
		return;
	}
	v->op = op;
	v->wait = VW_IDLE;
	vcpu_run(v);
}
