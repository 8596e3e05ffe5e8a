/* SPDX-License-Identifier: MIT */
/*
 * service.c - the hot path from an event channel notification to the
 * answered ioreq, the buffered ring, and the domain liveness check.
 */
#include "ioreq/service.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>

#include "util/log.h"

static void on_ring_item(void *opaque, ioreq_t *req)
{
	dispatch_buffered(opaque, req);
}

static void drain_deferred(void *opaque);

static void drain_buffered(struct ioreq_service *svc)
{
	struct ioreq_server *srv = svc->srv;
	enum bufring_result res;
	unsigned n;

	if (!srv->buf)
		return;
	res = bufring_drain(srv->buf, on_ring_item, svc->d, IOREQ_BUF_BUDGET,
			    &n);
	switch (res) {
	case BUFRING_EMPTY:
	case BUFRING_STALLED: /* the next event brings the second half */
		break;
	case BUFRING_MORE:
		loop_defer(svc->loop, drain_deferred, svc);
		break;
	case BUFRING_CORRUPT:
		svc->d->st.ring_errors++;
		log_guest(LOG_WARN, "buffered ring pointers inconsistent; "
				    "entries skipped");
		break;
	}
}

static void drain_deferred(void *opaque)
{
	drain_buffered(opaque);
}

static void handle_slot(struct ioreq_service *svc, unsigned vcpu,
			bool from_event)
{
	struct ioreq_server *srv = svc->srv;
	ioreq_t *slot = &srv->slots[vcpu];
	unsigned state;
	ioreq_t req;

	if (!iopage_take(slot, &req, &state)) {
		if (!from_event)
			return;
		svc->d->st.spurious++;
		/* Xen marks a port pending when it is bound: NONE is normal */
		if (state == STATE_IOREQ_NONE)
			log_debug("event for vCPU %u with an empty slot", vcpu);
		else
			log_guest(LOG_WARN,
				  "event for vCPU %u whose slot is in state %u, "
				  "not READY: left alone",
				  vcpu, state);
		return;
	}
	dispatch_ioreq(svc->d, &req);
	iopage_answer(slot, &req);
	svc->d->st.answered++;
	svc->watch[vcpu].answered++;
	xenevtchn_notify(srv->xce, srv->vcpu_port[vcpu]);
}

static void check_alive(struct ioreq_service *svc)
{
	struct ioreq_server *srv = svc->srv;
	int rc = ioreq_server_check(srv);

	if (rc < 0 && ioreq_errno_gone(-rc)) {
		log_info("domain %u is gone (%s): stopping", srv->domid,
			 strerror(-rc));
		ioreq_server_mark_gone(srv, -rc, "liveness check");
		svc->stopped_by_death = true;
		loop_stop(svc->loop, 0);
	} else if (rc < 0) {
		log_guest(LOG_WARN, "liveness check of domain %u failed: %s",
			  srv->domid, strerror(-rc));
	}
}

static void evtchn_failed(struct ioreq_service *svc, int err)
{
	log_guest(LOG_WARN, "xenevtchn_pending failed: %s", strerror(err));
	check_alive(svc);
	if (svc->stopped_by_death)
		return;
	if (++svc->evtchn_errors >= IOREQ_EVTCHN_MAX_ERRORS) {
		log_err("the event channel keeps failing (%s): giving up",
			strerror(err));
		loop_stop(svc->loop, 1);
	}
}

static void on_evtchn(void *opaque, uint32_t events)
{
	struct ioreq_service *svc = opaque;
	struct ioreq_server *srv = svc->srv;
	xenevtchn_port_or_error_t port;
	int who;

	port = xenevtchn_pending(srv->xce);
	if (port < 0) {
		if (errno != EAGAIN && errno != EINTR)
			evtchn_failed(svc, errno);
		return;
	}
	svc->evtchn_errors = 0;
	xenevtchn_unmask(srv->xce, (evtchn_port_t)port);
	who = ioreq_server_port(srv, (unsigned)port);
	if (who == IOREQ_PORT_BUFFERED) {
		drain_buffered(svc);
		return;
	}
	if (who < 0) {
		svc->d->st.unknown_port++;
		log_guest(LOG_WARN, "event on port %d, which is not ours",
			  (int)port);
		return;
	}
	drain_buffered(svc); /* buffered writes come before this access */
	handle_slot(svc, (unsigned)who, true);
}

static void on_liveness(void *opaque, uint64_t expirations)
{
	struct ioreq_service *svc = opaque;
	struct ioreq_server *srv = svc->srv;
	unsigned v;

	(void)expirations;

	check_alive(svc);
	if (svc->stopped_by_death)
		return;
	drain_buffered(svc);
	/* a slot READY for a whole tick with nothing answered: no event came */
	for (v = 0; v < srv->nr_vcpus; v++) {
		struct ioreq_vcpu_watch *w = &svc->watch[v];
		bool ready = iopage_state(&srv->slots[v]) == STATE_IOREQ_READY;

		if (ready && w->was_ready && w->mark == w->answered) {
			log_guest(LOG_WARN,
				  "vCPU %u's request waited a whole tick "
				  "without an event: answering it",
				  v);
			handle_slot(svc, v, false);
			ready = false;
		}
		w->was_ready = ready;
		w->mark = w->answered;
	}
}

void ioreq_service_flush(struct ioreq_service *svc)
{
	struct ioreq_server *srv = svc->srv;
	unsigned v;

	if (!srv || srv->gone || !srv->slots)
		return;
	drain_buffered(svc);
	for (v = 0; v < srv->nr_vcpus; v++)
		if (iopage_state(&srv->slots[v]) == STATE_IOREQ_READY)
			handle_slot(svc, v, false);
}

int ioreq_service_start(struct ioreq_service *svc, struct loop *l,
			struct ioreq_server *srv, struct dispatcher *d)
{
	int rc;

	memset(svc, 0, sizeof(*svc));
	svc->srv = srv;
	svc->d = d;
	svc->loop = l;
	svc->watch = calloc(srv->nr_vcpus, sizeof(*svc->watch));
	if (!svc->watch)
		return -ENOMEM;
	rc = loop_add_fd(l, xenevtchn_fd(srv->xce), EPOLLIN, on_evtchn, svc);
	if (rc < 0) {
		log_err("cannot watch the event channel fd: %s", strerror(-rc));
		free(svc->watch);
		svc->watch = NULL;
		return rc;
	}
	rc = loop_add_timer(l, IOREQ_LIVENESS_MS, on_liveness, svc);
	if (rc < 0) {
		log_err("cannot create the liveness timer: %s", strerror(-rc));
		loop_del_fd(l, xenevtchn_fd(srv->xce));
		free(svc->watch);
		svc->watch = NULL;
		return rc;
	}
	/* anything Xen queued before we were watching */
	drain_buffered(svc);
	return 0;
}

void ioreq_service_stop(struct ioreq_service *svc)
{
	if (svc->loop)
		loop_del_fd(svc->loop, xenevtchn_fd(svc->srv->xce));
	free(svc->watch);
	svc->watch = NULL;
}
