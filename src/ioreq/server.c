/* SPDX-License-Identifier: MIT */
/*
 * server.c - the ioreq server's life against Xen 4.17, step by step.
 */
#include "ioreq/server.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <xen/memory.h>

#include "util/log.h"

#define PAGE_SIZE_4K 4096u
#define SLOTS_PER_PAGE (PAGE_SIZE_4K / sizeof(ioreq_t))

static int fail(const char *call, domid_t domid)
{
	int err = errno ? errno : EIO;

	log_err("%s(domain %u) failed: %s (errno %d)", call, domid,
		strerror(err), err);
	return -err;
}

void ioreq_server_mark_gone(struct ioreq_server *s, int err,
			    const char *what)
{
	if (s->gone)
		return;
	s->gone = true;
	log_info("domain %u is gone (%s: %s); skipping the hypervisor side of "
		 "teardown",
		 s->domid, what, strerror(err));
}

static int port_map_set(struct ioreq_server *s, evtchn_port_t port, int what)
{
	if (port >= s->port_map_len) {
		unsigned len = port + 64, i;
		int *m = realloc(s->port_map, len * sizeof(*m));

		if (!m)
			return -ENOMEM;
		for (i = s->port_map_len; i < len; i++)
			m[i] = IOREQ_PORT_NONE;
		s->port_map = m;
		s->port_map_len = len;
	}
	s->port_map[port] = what;
	return 0;
}

static int bind_ports(struct ioreq_server *s, evtchn_port_t remote_buf)
{
	xenevtchn_port_or_error_t p;
	unsigned i;
	int rc;

	s->vcpu_port = calloc(s->nr_vcpus, sizeof(*s->vcpu_port));
	if (!s->vcpu_port)
		return -ENOMEM;
	for (i = 0; i < s->nr_vcpus; i++) {
		uint32_t remote = __atomic_load_n(&s->slots[i].vp_eport,
						  __ATOMIC_ACQUIRE);

		p = xenevtchn_bind_interdomain(s->xce, s->domid, remote);
		if (p < 0) {
			rc = -errno;
			log_err("xenevtchn_bind_interdomain(domain %u, vCPU %u "
				"port %u) failed: %s",
				s->domid, i, remote, strerror(-rc));
			return rc;
		}
		s->vcpu_port[i] = (evtchn_port_t)p;
		s->nr_bound++;
		rc = port_map_set(s, (evtchn_port_t)p, (int)i);
		if (rc < 0)
			return rc;
	}
	p = xenevtchn_bind_interdomain(s->xce, s->domid, remote_buf);
	if (p < 0) {
		rc = -errno;
		log_err("xenevtchn_bind_interdomain(domain %u, buffered port "
			"%u) failed: %s",
			s->domid, remote_buf, strerror(-rc));
		return rc;
	}
	s->buf_port = (evtchn_port_t)p;
	s->buf_bound = true;
	return port_map_set(s, s->buf_port, IOREQ_PORT_BUFFERED);
}

int ioreq_server_open(struct ioreq_server *s, xendevicemodel_handle *dmod,
		      xenforeignmemory_handle *fmem, xenevtchn_handle *xce,
		      domid_t domid)
{
	evtchn_port_t remote_buf = 0;
	unsigned long nr_frames;
	int rc;

	memset(s, 0, sizeof(*s));
	s->dmod = dmod;
	s->fmem = fmem;
	s->xce = xce;
	s->domid = domid;

	errno = 0;
	if (xendevicemodel_nr_vcpus(dmod, domid, &s->nr_vcpus) < 0)
		return fail("xendevicemodel_nr_vcpus", domid);
	if (s->nr_vcpus == 0 || s->nr_vcpus > 4096) {
		log_err("xendevicemodel_nr_vcpus(domain %u) returned %u vCPUs",
			domid, s->nr_vcpus);
		return -EINVAL;
	}

	errno = 0;
	if (xendevicemodel_create_ioreq_server(dmod, domid,
					       HVM_IOREQSRV_BUFIOREQ_ATOMIC,
					       &s->id) < 0)
		return fail("xendevicemodel_create_ioreq_server", domid);
	s->created = true;

	nr_frames = 1 + (s->nr_vcpus + SLOTS_PER_PAGE - 1) / SLOTS_PER_PAGE;
	errno = 0;
	s->res = xenforeignmemory_map_resource(
		fmem, domid, XENMEM_resource_ioreq_server, s->id, 0, nr_frames,
		&s->res_addr, PROT_READ | PROT_WRITE, 0);
	if (!s->res) {
		rc = fail("xenforeignmemory_map_resource", domid);
		goto undo;
	}
	s->buf = s->res_addr;
	s->slots = (ioreq_t *)((uint8_t *)s->res_addr + PAGE_SIZE_4K);

	errno = 0;
	if (xendevicemodel_get_ioreq_server_info(dmod, domid, s->id, NULL, NULL,
						 &remote_buf) < 0) {
		rc = fail("xendevicemodel_get_ioreq_server_info", domid);
		goto undo;
	}

	errno = 0;
	if (xendevicemodel_set_ioreq_server_state(dmod, domid, s->id, 1) < 0) {
		rc = fail("xendevicemodel_set_ioreq_server_state", domid);
		goto undo;
	}
	s->enabled = true;

	rc = bind_ports(s, remote_buf);
	if (rc < 0)
		goto undo;
	log_info("ioreq server %u for domain %u: %u vCPU%s, buffered port %u",
		 s->id, domid, s->nr_vcpus, s->nr_vcpus == 1 ? "" : "s",
		 remote_buf);
	return 0;
undo:
	ioreq_server_disable(s);
	ioreq_server_close(s);
	return rc;
}

int ioreq_server_disable(struct ioreq_server *s)
{
	if (!s->enabled)
		return 0;
	s->enabled = false;
	if (s->gone)
		return 0;
	if (xendevicemodel_set_ioreq_server_state(s->dmod, s->domid, s->id,
						  0) < 0) {
		int err = errno;

		if (ioreq_errno_gone(err)) {
			ioreq_server_mark_gone(s, err,
					       "set_ioreq_server_state");
			return 0;
		}
		log_warn("xendevicemodel_set_ioreq_server_state(domain %u, 0) "
			 "failed: %s",
			 s->domid, strerror(err));
		return -err;
	}
	return 0;
}

void ioreq_server_close(struct ioreq_server *s)
{
	unsigned i;

	if (s->res) {
		xenforeignmemory_unmap_resource(s->fmem, s->res);
		s->res = NULL;
		s->buf = NULL;
		s->slots = NULL;
	}
	if (s->created && !s->gone &&
	    xendevicemodel_destroy_ioreq_server(s->dmod, s->domid, s->id) < 0) {
		int err = errno;

		if (ioreq_errno_gone(err))
			ioreq_server_mark_gone(s, err, "destroy_ioreq_server");
		else
			log_warn("xendevicemodel_destroy_ioreq_server(domain "
				 "%u, %u) failed: %s",
				 s->domid, s->id, strerror(err));
	}
	s->created = false;
	/* unbinding a port whose remote end is dead still just closes ours */
	for (i = 0; i < s->nr_bound; i++)
		xenevtchn_unbind(s->xce, s->vcpu_port[i]);
	s->nr_bound = 0;
	if (s->buf_bound)
		xenevtchn_unbind(s->xce, s->buf_port);
	s->buf_bound = false;
	free(s->vcpu_port);
	s->vcpu_port = NULL;
	free(s->port_map);
	s->port_map = NULL;
	s->port_map_len = 0;
}

int ioreq_server_check(struct ioreq_server *s)
{
	evtchn_port_t port;

	if (s->gone)
		return -ESRCH;
	if (xendevicemodel_get_ioreq_server_info(s->dmod, s->domid, s->id, NULL,
						 NULL, &port) < 0)
		return -errno;
	return 0;
}
