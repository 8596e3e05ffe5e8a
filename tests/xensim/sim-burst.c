// SPDX-License-Identifier: MIT
/*
 * sim-burst.c - xsim_buffered_burst's producer: the simulator publishes
 * buffered writes into the server's ring as fast as space allows, so the
 * device model's drain rate is what gets measured.  It runs in slices of
 * at most 200 us from the event loop (which then polls without sleeping),
 * so unmask/notify messages keep flowing while a burst runs.
 *
 * Wake-ups: the buffered port is notified when a publish finds the ring
 * empty (the consumer may be about to sleep) and, as a safety net, when
 * the ring has been non-empty without progress for 50 us.
 */
#include <errno.h>
#include <string.h>

#include "sim.h"

#define SLICE_NS 200000ull
#define STALL_NS 50000ull
#define BATCH 511u

static void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#endif
}

static void publish(struct burst *b, uint32_t wp, uint32_t k)
{
	struct buffered_iopage *pg = b->s->buf;
	uint64_t *ring = (uint64_t *)pg->buf_ioreq;
	unsigned qw = b->size == 8;
	uint64_t span = b->span - b->span % b->size;
	unsigned lg = b->size == 1 ? 0 : b->size == 2 ? 1 : b->size == 4 ? 2 : 3;
	uint32_t slot_i = wp % BUF_SLOTS;
	uint64_t val = b->base + b->published;
	union {
		struct buf_ioreq r;
		uint64_t w;
	} proto = { .w = 0 };
	uint64_t hdr;

	proto.r.type = IOREQ_TYPE_COPY;
	proto.r.size = lg;
	hdr = proto.w;
	/* no divisions per item: offsets advance incrementally */
	for (uint32_t i = 0; i < k; i++, val++) {
		uint64_t addr = (b->addr + b->off) & 0xfffff;
		uint64_t w = hdr | (addr << 12);

		__atomic_store_n(&ring[slot_i], w | (val << 32),
				 __ATOMIC_RELAXED);
		if (++slot_i == BUF_SLOTS)
			slot_i = 0;
		if (qw) {
			__atomic_store_n(&ring[slot_i],
					 w | ((val >> 32) << 32),
					 __ATOMIC_RELAXED);
			if (++slot_i == BUF_SLOTS)
				slot_i = 0;
		}
		b->off += b->size;
		if (b->off >= span)
			b->off = 0;
	}
	__atomic_store_n(&pg->write_pointer, wp + k * (1 + qw),
			 __ATOMIC_RELEASE);
	b->published += k;
}

static void finish(struct vcpu *v, int ret, uint64_t ns)
{
	struct conn *c = v->conn;

	v->op = OP_NONE;
	v->wait = VW_IDLE;
	if (c)
		conn_reply(c, ret, &ns, 1, NULL, 0, -1);
}

/* One slice; true when the burst is over (or abandoned). */
bool burst_step(struct vcpu *v)
{
	struct burst *b = &v->burst;
	struct server *s = b->s;
	struct domain *d = v->d;
	struct buffered_iopage *pg;
	unsigned per = b->size == 8 ? 2 : 1;
	uint64_t t0 = now_ns(), t = t0;

	if (v->op != OP_BURST || v->wait != VW_BURST)
		return true;
	if (!s || d->srv[s->id] != s) {
		finish(v, -ENOENT, 0);
		return true;
	}
	if (d->paused)
		return false;
	pg = s->buf;
	if (!b->started) {
		b->started = true;
		b->t_start = t0;
		b->t_progress = t0;
		b->last_rp = __atomic_load_n(&pg->read_pointer,
					     __ATOMIC_ACQUIRE);
	}
	for (unsigned spin = 0;; spin++) {
		uint32_t rp = __atomic_load_n(&pg->read_pointer,
					      __ATOMIC_ACQUIRE);
		uint32_t wp = __atomic_load_n(&pg->write_pointer,
					      __ATOMIC_RELAXED);
		uint32_t used = wp - rp;

		if (rp != b->last_rp) {
			b->last_rp = rp;
			b->t_progress = t;
		}
		if (b->published == b->n && used == 0) {
			finish(v, 0, now_ns() - b->t_start);
			return true;
		}
		if (used > BUF_SLOTS) {
			/* the device model broke the pointers */
			finish(v, -EIO, 0);
			return true;
		}
		if (b->published < b->n && BUF_SLOTS - used >= per) {
			uint64_t k = (BUF_SLOTS - used) / per;

			if (k > b->n - b->published)
				k = b->n - b->published;
			if (k > BATCH)
				k = BATCH;
			publish(b, wp, k);
			srv_buf_renormalise(s);
			if (used == 0)
				gport_notify(d, s->buf_port);
		} else {
			/*
			 * Nothing to publish: take the consumer's unmask and
			 * notify messages now, not at the end of the slice,
			 * so a masked port is redelivered at once.
			 */
			cpu_relax();
			if ((spin & 15) == 0) {
				conn_poll(gport_conn(d, s->buf_port));
				if (v->op != OP_BURST || b->s != s)
					return v->op != OP_BURST;
			}
		}
		if ((spin & 63) == 0) {
			t = now_ns();
			if (used && t - b->t_progress > STALL_NS &&
			    t - b->t_notify > STALL_NS) {
				gport_notify(d, s->buf_port);
				b->t_notify = t;
			}
			if (t - t0 > SLICE_NS)
				return false;
		}
	}
}
