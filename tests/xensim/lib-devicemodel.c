// SPDX-License-Identifier: MIT
/*
 * lib-devicemodel.c - libxendevicemodel.so.1 for xensim: each dm_op is one
 * request to the simulator; errors come back as -errno and leave here as
 * -1 with errno set, like the real library.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <xendevicemodel.h>

#include "lib-conn.h"
#include "lib-toolcore.h"

struct xendevicemodel_handle {
	struct xsc c;
	Xentoolcore__Active_Handle ah;
};

static int dm_restrict_cb(Xentoolcore__Active_Handle *ah, domid_t domid)
{
	xendevicemodel_handle *h =
		XSIM_CONTAINER_OF(ah, xendevicemodel_handle, ah);

	return xendevicemodel_restrict(h, domid);
}

xendevicemodel_handle *xendevicemodel_open(struct xentoollog_logger *logger,
					   unsigned int open_flags)
{
	xendevicemodel_handle *h = calloc(1, sizeof(*h));
	int r;

	if (!h)
		return NULL;
	r = xsc_open(&h->c, NULL, "xendevicemodel", 1);
	if (r < 0) {
		free(h);
		errno = -r;
		return NULL;
	}
	h->ah.restrict_callback = dm_restrict_cb;
	xentoolcore__register_active_handle(&h->ah);
	return h;
}

int xendevicemodel_close(xendevicemodel_handle *h)
{
	if (!h)
		return 0;
	xentoolcore__deregister_active_handle(&h->ah);
	xsc_close(&h->c);
	free(h);
	return 0;
}

static int call(xendevicemodel_handle *h, uint32_t op, domid_t domid,
		uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
		struct xsp_rep *rep)
{
	struct xsp_req rq = {
		.op = op,
		.domid = domid,
		.a = { a0, a1, a2, a3, a4 },
	};

	return xsc_call(&h->c, &rq, NULL, 0, -1, rep, NULL, 0, NULL, NULL);
}

int xendevicemodel_create_ioreq_server(xendevicemodel_handle *h, domid_t domid,
				       int handle_bufioreq, ioservid_t *id)
{
	struct xsp_rep rep;
	int r = call(h, XSP_DM_CREATE, domid, (uint64_t)(int64_t)handle_bufioreq,
		     0, 0, 0, 0, &rep);

	if (r >= 0)
		*id = rep.v[0];
	return xsc_ret(r);
}

int xendevicemodel_get_ioreq_server_info(xendevicemodel_handle *h,
					 domid_t domid, ioservid_t id,
					 xen_pfn_t *ioreq_gfn,
					 xen_pfn_t *bufioreq_gfn,
					 evtchn_port_t *bufioreq_port)
{
	struct xsp_rep rep;
	int r = call(h, XSP_DM_INFO, domid, id,
		     ioreq_gfn || bufioreq_gfn, 0, 0, 0, &rep);

	if (r < 0)
		return xsc_ret(r);
	if (ioreq_gfn)
		*ioreq_gfn = rep.v[0];
	if (bufioreq_gfn)
		*bufioreq_gfn = rep.v[1];
	if (bufioreq_port)
		*bufioreq_port = rep.v[2];
	return 0;
}

int xendevicemodel_map_io_range_to_ioreq_server(xendevicemodel_handle *h,
						domid_t domid, ioservid_t id,
						int is_mmio, uint64_t start,
						uint64_t end)
{
	return xsc_ret(call(h, XSP_DM_MAP_RANGE, domid, id,
			    is_mmio ? XEN_DMOP_IO_RANGE_MEMORY
				    : XEN_DMOP_IO_RANGE_PORT,
			    start, end, 0, NULL));
}

int xendevicemodel_unmap_io_range_from_ioreq_server(xendevicemodel_handle *h,
						    domid_t domid,
						    ioservid_t id, int is_mmio,
						    uint64_t start,
						    uint64_t end)
{
	return xsc_ret(call(h, XSP_DM_UNMAP_RANGE, domid, id,
			    is_mmio ? XEN_DMOP_IO_RANGE_MEMORY
				    : XEN_DMOP_IO_RANGE_PORT,
			    start, end, 0, NULL));
}

int xendevicemodel_map_mem_type_to_ioreq_server(xendevicemodel_handle *h,
						domid_t domid, ioservid_t id,
						uint16_t type, uint32_t flags)
{
	return xsc_ret(call(h, XSP_DM_MAP_MEMTYPE, domid, id, type, flags, 0,
			    0, NULL));
}

int xendevicemodel_map_pcidev_to_ioreq_server(xendevicemodel_handle *h,
					      domid_t domid, ioservid_t id,
					      uint16_t segment, uint8_t bus,
					      uint8_t device, uint8_t function)
{
	uint64_t sbdf;

	if (device > 0x1f || function > 0x7) {
		errno = EINVAL;
		return -1;
	}
	sbdf = XEN_DMOP_PCI_SBDF(segment, bus, device, function);
	return xsc_ret(call(h, XSP_DM_MAP_RANGE, domid, id,
			    XEN_DMOP_IO_RANGE_PCI, sbdf, sbdf, 0, NULL));
}

int xendevicemodel_unmap_pcidev_from_ioreq_server(xendevicemodel_handle *h,
						  domid_t domid, ioservid_t id,
						  uint16_t segment, uint8_t bus,
						  uint8_t device,
						  uint8_t function)
{
	uint64_t sbdf;

	if (device > 0x1f || function > 0x7) {
		errno = EINVAL;
		return -1;
	}
	sbdf = XEN_DMOP_PCI_SBDF(segment, bus, device, function);
	return xsc_ret(call(h, XSP_DM_UNMAP_RANGE, domid, id,
			    XEN_DMOP_IO_RANGE_PCI, sbdf, sbdf, 0, NULL));
}

int xendevicemodel_destroy_ioreq_server(xendevicemodel_handle *h,
					domid_t domid, ioservid_t id)
{
	return xsc_ret(call(h, XSP_DM_DESTROY, domid, id, 0, 0, 0, 0, NULL));
}

int xendevicemodel_set_ioreq_server_state(xendevicemodel_handle *h,
					  domid_t domid, ioservid_t id,
					  int enabled)
{
	return xsc_ret(call(h, XSP_DM_SET_STATE, domid, id, !!enabled, 0, 0, 0,
			    NULL));
}

int xendevicemodel_set_pci_intx_level(xendevicemodel_handle *h,
				      domid_t domid, uint16_t segment,
				      uint8_t bus, uint8_t device,
				      uint8_t intx, unsigned int level)
{
	return xsc_ret(call(h, XSP_DM_INTX, domid, segment, bus, device, intx,
			    level, NULL));
}

int xendevicemodel_set_isa_irq_level(xendevicemodel_handle *h, domid_t domid,
				     uint8_t irq, unsigned int level)
{
	return xsc_ret(call(h, XSP_DM_ISA_IRQ, domid, irq, level, 0, 0, 0,
			    NULL));
}

int xendevicemodel_set_irq_level(xendevicemodel_handle *h, domid_t domid,
				 unsigned int irq, unsigned int level)
{
	/* XEN_DMOP_set_irq_level is Arm-only: x86 Xen refuses it. */
	errno = EOPNOTSUPP;
	return -1;
}

int xendevicemodel_set_pci_link_route(xendevicemodel_handle *h,
				      domid_t domid, uint8_t link, uint8_t irq)
{
	return xsc_ret(call(h, XSP_DM_LINK_ROUTE, domid, link, irq, 0, 0, 0,
			    NULL));
}

int xendevicemodel_inject_msi(xendevicemodel_handle *h, domid_t domid,
			      uint64_t msi_addr, uint32_t msi_data)
{
	return xsc_ret(call(h, XSP_DM_MSI, domid, msi_addr, msi_data, 0, 0, 0,
			    NULL));
}

/* The bitmap comes back as the (nr + 7) / 8 bytes Xen copies out. */
int xendevicemodel_track_dirty_vram(xendevicemodel_handle *h, domid_t domid,
				    uint64_t first_pfn, uint32_t nr,
				    unsigned long *dirty_bitmap)
{
	struct xsp_req rq = {
		.op = XSP_DM_TRACK_VRAM,
		.domid = domid,
		.a = { first_pfn, nr },
	};
	struct xsp_rep rep;
	size_t got = 0;
	int r;

	r = xsc_call(&h->c, &rq, NULL, 0, -1, &rep, nr ? dirty_bitmap : NULL,
		     nr ? (nr + 7) / 8 : 0, &got, NULL);
	return xsc_ret(r);
}

int xendevicemodel_modified_memory_bulk(
	xendevicemodel_handle *h, domid_t domid,
	struct xen_dm_op_modified_memory_extent extents[], uint32_t nr)
{
	struct xsp_req rq = { .op = XSP_DM_MODIFIED, .domid = domid };
	size_t max = (XSP_MAX_MSG - sizeof(rq)) / sizeof(extents[0]);

	for (uint32_t i = 0; i < nr || i == 0;) {
		uint32_t n = nr - i > max ? max : nr - i;
		struct xsp_rep rep;
		int r;

		rq.a[0] = n;
		r = xsc_call(&h->c, &rq, extents + i, n * sizeof(extents[0]),
			     -1, &rep, NULL, 0, NULL, NULL);
		if (r < 0)
			return xsc_ret(r);
		i += n;
		if (!n)
			break;
	}
	return 0;
}

int xendevicemodel_modified_memory(xendevicemodel_handle *h, domid_t domid,
				   uint64_t first_pfn, uint32_t nr)
{
	struct xen_dm_op_modified_memory_extent e = {
		.first_pfn = first_pfn,
		.nr = nr,
	};

	return xendevicemodel_modified_memory_bulk(h, domid, &e, 1);
}

int xendevicemodel_set_mem_type(xendevicemodel_handle *h, domid_t domid,
				hvmmem_type_t mem_type, uint64_t first_pfn,
				uint32_t nr)
{
	return xsc_ret(call(h, XSP_DM_SET_MEM_TYPE, domid, mem_type, first_pfn,
			    nr, 0, 0, NULL));
}

int xendevicemodel_inject_event(xendevicemodel_handle *h, domid_t domid,
				int vcpu, uint8_t vector, uint8_t type,
				uint32_t error_code, uint8_t insn_len,
				uint64_t extra)
{
	errno = EOPNOTSUPP; /* not simulated */
	return -1;
}

int xendevicemodel_shutdown(xendevicemodel_handle *h, domid_t domid,
			    unsigned int reason)
{
	return xsc_ret(call(h, XSP_DM_SHUTDOWN, domid, reason, 0, 0, 0, 0,
			    NULL));
}

int xendevicemodel_relocate_memory(xendevicemodel_handle *h, domid_t domid,
				   uint32_t size, uint64_t src_gfn,
				   uint64_t dst_gfn)
{
	/* One request: Xen's continuations are invisible to the caller. */
	return xsc_ret(call(h, XSP_DM_RELOCATE, domid, size, src_gfn, dst_gfn,
			    0, 0, NULL));
}

int xendevicemodel_pin_memory_cacheattr(xendevicemodel_handle *h,
					domid_t domid, uint64_t start,
					uint64_t end, uint32_t type)
{
	return xsc_ret(
	    call(h, XSP_DM_PIN_CACHEATTR, domid, start, end, type, 0, 0, NULL));
}

int xendevicemodel_nr_vcpus(xendevicemodel_handle *h, domid_t domid,
			    unsigned int *vcpus)
{
	struct xsp_rep rep;
	int r = call(h, XSP_DM_NR_VCPUS, domid, 0, 0, 0, 0, 0, &rep);

	if (r >= 0)
		*vcpus = rep.v[0];
	return xsc_ret(r);
}

int xendevicemodel_restrict(xendevicemodel_handle *h, domid_t domid)
{
	return xsc_ret(call(h, XSP_RESTRICT, domid, 0, 0, 0, 0, 0, NULL));
}
