/* SPDX-License-Identifier: MIT */
/*
 * server.h - one ioreq server for one domain, set up and torn down in the
 * order Xen 4.17 expects:
 *
 *   nr_vcpus, create_ioreq_server(BUFIOREQ_ATOMIC), map_resource (frame 0
 *   buffered page, frames 1.. synchronous slots), get_ioreq_server_info
 *   (no gfns: the buffered port), set_ioreq_server_state(1), then one
 *   interdomain event channel per vCPU (vp_eport, valid only after enable)
 *   and one for the buffered ring.
 *
 * Teardown: state 0, release the claimed ranges (the host does that),
 * unmap_resource, destroy_ioreq_server, unbind.  A domain that is already
 * gone (ENOENT/ESRCH) is tolerated and reported in one log line.
 *
 * Functions log what failed (naming the call and errno) and return 0 or a
 * negative errno.
 */
#ifndef XENGT_IOREQ_SERVER_H
#define XENGT_IOREQ_SERVER_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>

#include <xendevicemodel.h>
#include <xenevtchn.h>
#include <xenforeignmemory.h>

#include "ioreq/iopage.h"

#define IOREQ_PORT_NONE (-1)
#define IOREQ_PORT_BUFFERED (-2)

struct ioreq_server {
	xendevicemodel_handle *dmod;
	xenforeignmemory_handle *fmem;
	xenevtchn_handle *xce;
	domid_t domid;
	ioservid_t id;
	bool created, enabled, gone;
	unsigned nr_vcpus;

	xenforeignmemory_resource_handle *res;
	void *res_addr;
	buffered_iopage_t *buf; /* frame 0 */
	ioreq_t *slots;         /* frames 1..: vcpu_ioreq[] */

	evtchn_port_t *vcpu_port; /* local port per vCPU */
	unsigned nr_bound;        /* vCPU ports bound so far */
	evtchn_port_t buf_port;   /* local port of the buffered ring */
	bool buf_bound;
	int *port_map; /* local port -> vCPU, or IOREQ_PORT_* */
	unsigned port_map_len;
};

/* Create, map, enable and bind.  On failure everything done is undone. */
int ioreq_server_open(struct ioreq_server *s, xendevicemodel_handle *dmod,
		      xenforeignmemory_handle *fmem, xenevtchn_handle *xce,
		      domid_t domid);
/* set_ioreq_server_state(0); notes a domain that is gone. */
int ioreq_server_disable(struct ioreq_server *s);
/* unmap_resource, destroy_ioreq_server, unbind (after disable). */
void ioreq_server_close(struct ioreq_server *s);

/*
 * Does the server (and so the domain) still exist?  0 yes, -ENOENT/-ESRCH
 * when Xen has destroyed it, another negative errno if the check failed.
 */
int ioreq_server_check(struct ioreq_server *s);

/* Record that the domain is gone (logs once; later dm_ops are skipped). */
void ioreq_server_mark_gone(struct ioreq_server *s, int err,
			    const char *what);

static inline bool ioreq_errno_gone(int err)
{
	return err == ENOENT || err == ESRCH;
}

/* vCPU for a local port, or IOREQ_PORT_BUFFERED / IOREQ_PORT_NONE. */
static inline int ioreq_server_port(const struct ioreq_server *s,
				    unsigned port)
{
	return port < s->port_map_len ? s->port_map[port] : IOREQ_PORT_NONE;
}

#endif
