// SPDX-License-Identifier: MIT
/*
 * sim-evtchn.c - event channels.  Each guest has its own port space (the
 * ioreq servers' unbound ports live there); dom0 has one port space shared
 * by every evtchn handle, like the real dom0.  Delivery follows the Linux
 * evtchn driver: a port is masked when delivered; a notify while masked
 * only marks it pending, and unmasking a pending port delivers it again.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "sim.h"
#include <xen/event_channel.h>


static struct d0port *d0;
static uint32_t nr_d0;

int gport_alloc(struct domain *d, int server, int vcpu)
{
	uint32_t p;

	for (p = 1; p < d->nr_ports; p++)
		if (d->ports[p].state == GP_FREE)
			break;
	if (p >= d->nr_ports) {
		uint32_t n = d->nr_ports ? d->nr_ports * 2 : 64;
		struct gport *np = realloc(d->ports, n * sizeof(*np));

		if (!np)
			return -ENOMEM;
		memset(np + d->nr_ports, 0, (n - d->nr_ports) * sizeof(*np));
		d->ports = np;
		if (p == 0)
			p = 1;
		d->nr_ports = n;
	}
	d->ports[p].state = GP_UNBOUND;
	d->ports[p].server = server;
	d->ports[p].vcpu = vcpu;
	d->ports[p].d0port = 0;
	return p;
}

/* Close a guest port; an interdomain peer in dom0 reverts to unbound. */
void gport_free(struct domain *d, uint32_t port)
{
	struct gport *g;

	if (port == 0 || port >= d->nr_ports)
		return;
	g = &d->ports[port];
	if (g->state == GP_INTERDOMAIN && g->d0port < nr_d0) {
		struct d0port *dp = &d0[g->d0port];

		dp->interdomain = false;
		dp->rport = 0;
	}
	memset(g, 0, sizeof(*g));
}

static void d0_deliver(uint32_t port)
{
	struct d0port *dp = &d0[port];

	if (!dp->inuse)
		return;
	if (dp->masked) {
		dp->pending = true;
		return;
	}
	dp->masked = true;
	dp->pending = false;
	conn_send(dp->ev, &port, sizeof(port), -1);
}

/* Xen notifies a guest-side port: reach the bound dom0 port, if any. */
void gport_notify(struct domain *d, uint32_t port)
{
	struct gport *g;

	if (port == 0 || port >= d->nr_ports)
		return;
	g = &d->ports[port];
	if (g->state == GP_INTERDOMAIN)
		d0_deliver(g->d0port);
}

static int d0_alloc(struct conn *ev)
{
	uint32_t p;

	for (p = 1; p < nr_d0; p++)
		if (!d0[p].inuse)
			break;
	if (p >= nr_d0) {
		uint32_t n = nr_d0 ? nr_d0 * 2 : 256;
		struct d0port *np = realloc(d0, n * sizeof(*np));

		if (!np)
			return -ENOMEM;
		memset(np + nr_d0, 0, (n - nr_d0) * sizeof(*np));
		d0 = np;
		if (p == 0)
			p = 1;
		nr_d0 = n;
	}
	memset(&d0[p], 0, sizeof(d0[p]));
	d0[p].inuse = true;
	d0[p].ev = ev;
	return p;
}

int ev_bind_interdomain(struct conn *ev, uint32_t domid, uint32_t rport,
			int restrict_domid)
{
	struct domain *d;
	struct gport *g;
	int err = 0, p;

	if (restrict_domid >= 0 && (uint32_t)restrict_domid != domid)
		return -EPERM;
	d = dom_live(domid, &err);
	if (!d)
		return err;
	if (rport == 0 || rport >= d->nr_ports)
		return -EINVAL;
	g = &d->ports[rport];
	if (g->state != GP_UNBOUND)
		return -EINVAL;
	p = d0_alloc(ev);
	if (p < 0)
		return p;
	d0[p].interdomain = true;
	d0[p].domid = domid;
	d0[p].rport = rport;
	g->state = GP_INTERDOMAIN;
	g->d0port = p;
	/*
	 * evtchn_bind_interdomain: notifications may have been lost on the
	 * unbound remote port, so the new local port is always set pending.
	 */
	d0_deliver(p);
	return p;
}

int ev_bind_unbound(struct conn *ev, uint32_t domid)
{
	int err = 0;

	if (!dom_live(domid, &err) && domid != 0)
		return err;
	return d0_alloc(ev);
}

static void d0_close(uint32_t p)
{
	struct d0port *dp = &d0[p];

	if (dp->interdomain) {
		struct domain *d = dom_find(dp->domid);

		if (d && dp->rport < d->nr_ports &&
		    d->ports[dp->rport].state == GP_INTERDOMAIN &&
		    d->ports[dp->rport].d0port == p) {
			d->ports[dp->rport].state = GP_UNBOUND;
			d->ports[dp->rport].d0port = 0;
		}
	}
	memset(dp, 0, sizeof(*dp));
}

int ev_unbind(struct conn *ev, uint32_t port)
{
	if (port == 0 || port >= nr_d0 || !d0[port].inuse ||
	    d0[port].ev != ev)
		return -EINVAL;
	d0_close(port);
	return 0;
}

void ev_close_all(struct conn *ev)
{
	for (uint32_t p = 1; p < nr_d0; p++)
		if (d0[p].inuse && d0[p].ev == ev)
			d0_close(p);
}

static void ev_notify(struct conn *ev, uint32_t port)
{
	struct d0port *dp;
	struct domain *d;
	struct gport *g;

	if (port == 0 || port >= nr_d0 || !d0[port].inuse ||
	    d0[port].ev != ev)
		return;
	dp = &d0[port];
	if (!dp->interdomain)
		return;
	d = dom_find(dp->domid);
	if (!d || dp->rport >= d->nr_ports)
		return;
	g = &d->ports[dp->rport];
	if (g->state != GP_INTERDOMAIN || g->server < 0 || g->vcpu < 0)
		return;
	if (d->srv[g->server])
		vcpu_on_notify(d, d->srv[g->server], g->vcpu);
}

void ev_message(struct conn *ev, const struct xsp_ev *m)
{
	if (m->op == XSP_E_NOTIFY) {
		ev_notify(ev, m->port);
	} else if (m->op == XSP_E_UNMASK) {
		struct d0port *dp;

		if (m->port == 0 || m->port >= nr_d0)
			return;
		dp = &d0[m->port];
		if (!dp->inuse || dp->ev != ev)
			return;
		dp->masked = false;
		if (dp->pending)
			d0_deliver(m->port);
	}
}

/* The event socket a guest port's dom0 peer delivers to (or NULL). */
struct conn *gport_conn(struct domain *d, uint32_t port)
{
	struct gport *g;

	if (port == 0 || port >= d->nr_ports)
		return NULL;
	g = &d->ports[port];
	if (g->state != GP_INTERDOMAIN || g->d0port >= nr_d0 ||
	    !d0[g->d0port].inuse)
		return NULL;
	return d0[g->d0port].ev;
}
