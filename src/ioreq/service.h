/* SPDX-License-Identifier: MIT */
/*
 * service.h - serving ioreqs: event channel -> slot -> dispatch -> answer.
 *
 * On each event: pending(), unmask, then either drain the buffered ring
 * (its own port) or drain the ring first (so earlier buffered writes are
 * ordered before a synchronous access) and handle that vCPU's slot.
 * Every slot taken is answered and its vCPU's port notified.
 *
 * A timer checks every 250 ms that the server (so the domain) still
 * exists, stopping the loop with exit code 0 when Xen has destroyed it;
 * the same tick answers a slot that has stayed READY for a whole tick
 * with nothing answered on that vCPU (an event lost, or never sent).
 */
#ifndef XENGT_IOREQ_SERVICE_H
#define XENGT_IOREQ_SERVICE_H

#include <stdbool.h>

#include "ioreq/dispatch.h"
#include "ioreq/loop.h"
#include "ioreq/server.h"

#define IOREQ_LIVENESS_MS 250
/* Buffered requests handled per pass before other events get a turn. */
#define IOREQ_BUF_BUDGET 65536u

/* Consecutive event channel read failures (domain alive) before giving up. */
#define IOREQ_EVTCHN_MAX_ERRORS 1000

struct ioreq_vcpu_watch {
	uint32_t answered; /* requests answered on this vCPU */
	uint32_t mark;     /* `answered` at the last tick */
	bool was_ready;    /* slot READY at the last tick */
};

struct ioreq_service {
	struct ioreq_server *srv;
	struct dispatcher *d;
	struct loop *loop;
	struct ioreq_vcpu_watch *watch; /* per vCPU */
	unsigned evtchn_errors;
	bool stopped_by_death;
};

int ioreq_service_start(struct ioreq_service *svc, struct loop *l,
			struct ioreq_server *srv, struct dispatcher *d);
/* Answer whatever is waiting now (buffered ring, READY slots). */
void ioreq_service_flush(struct ioreq_service *svc);
/* Stop watching the event channel (the loop keeps running). */
void ioreq_service_stop(struct ioreq_service *svc);

#endif
