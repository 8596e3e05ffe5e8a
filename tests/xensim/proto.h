/* SPDX-License-Identifier: MIT */
/*
 * proto.h - the wire protocol between the simulated hypervisor (xensim)
 * and its clients: the ABI-compatible Xen libraries, the guest/toolstack
 * library (libxsimguest.a) and, through them, tests.
 *
 * Transport: one AF_UNIX SOCK_SEQPACKET connection per library handle or
 * guest object.  Every request is a struct xsp_req optionally followed by a
 * variable tail; every reply is a struct xsp_rep optionally followed by a
 * tail.  File descriptors (guest RAM memfd, ioreq page memfd, the event
 * socket of an evtchn handle) travel with SCM_RIGHTS.
 *
 * Event channels: xenevtchn_open passes one end of a SOCK_SEQPACKET
 * socketpair to the simulator.  On that socket the simulator sends a
 * uint32_t port for each delivered event, and the library sends a
 * struct xsp_ev (notify/unmask) that is never answered.
 */
#ifndef XENSIM_PROTO_H
#define XENSIM_PROTO_H

#include <stdint.h>

/* Largest message (request or reply including its tail). */
#define XSP_MAX_MSG (96 * 1024)
/* Largest gfn batch in one XSP_FM_MAP request. */
#define XSP_MAP_BATCH 4096

enum xsp_op {
	/* ---- library RPCs (one connection per handle) ---- */
	XSP_RESTRICT = 1,	/* domid: restrict this handle */
	XSP_DM_CREATE,		/* domid, a0 bufioreq -> v0 id */
	XSP_DM_INFO,		/* domid, a0 id, a1 want_gfns -> v0..2 */
	XSP_DM_MAP_RANGE,	/* domid, a0 id, a1 type, a2 start, a3 end */
	XSP_DM_UNMAP_RANGE,	/* same */
	XSP_DM_SET_STATE,	/* domid, a0 id, a1 enabled */
	XSP_DM_DESTROY,		/* domid, a0 id */
	XSP_DM_MAP_MEMTYPE,	/* domid, a0 id, a1 type, a2 flags */
	XSP_DM_INTX,		/* domid, a0 seg, a1 bus, a2 dev, a3 intx, a4 lv */
	XSP_DM_ISA_IRQ,		/* domid, a0 irq, a1 level */
	XSP_DM_LINK_ROUTE,	/* domid, a0 link, a1 irq */
	XSP_DM_MSI,		/* domid, a0 addr, a1 data */
	XSP_DM_MODIFIED,	/* domid, a0 nr; tail: extents -> v0 bad idx */
	XSP_DM_SET_MEM_TYPE,	/* domid, a0 type, a1 first_pfn, a2 nr */
	XSP_DM_NR_VCPUS,	/* domid -> v0 */
	XSP_DM_SHUTDOWN,	/* domid, a0 reason */
	XSP_DM_CHECK,		/* domid: permission/existence only */
	XSP_FM_MAP,		/* domid, a0 cookie, a1 nr; tail gfns ->
				   tail uint64 file page[nr], int32 err[nr],
				   fd = guest RAM */
	XSP_FM_UNMAP,		/* a0 cookie */
	XSP_FM_RES_MAP,		/* domid, a0 type, a1 id, a2 frame, a3 nr,
				   a4 cookie -> fd, v0 file offset */
	XSP_FM_RES_SIZE,	/* domid, a0 type, a1 id -> v0 frames */
	XSP_EV_OPEN,		/* fd: the event socket */
	XSP_EV_BIND_INTER,	/* domid, a0 remote port -> v0 local port */
	XSP_EV_BIND_UNBOUND,	/* domid -> v0 local port */
	XSP_EV_BIND_VIRQ,	/* a0 virq */
	XSP_EV_UNBIND,		/* a0 local port */
	XSP_XC_GETINFO,		/* domid = first, a0 max -> tail xsp_dominfo[] */
	XSP_XC_SETMAXMEM,	/* domid, a0 max_kb */
	XSP_XC_POPULATE,	/* domid, a0 nr; tail gfns */
	XSP_XC_PAUSE,		/* domid */
	XSP_XC_UNPAUSE,		/* domid */
	XSP_DM_RELOCATE,	/* domid, a0 size, a1 src_gfn, a2 dst_gfn */
	XSP_DM_PIN_CACHEATTR,	/* domid, a0 start, a1 end, a2 type */
	XSP_DM_TRACK_VRAM,	/* domid, a0 first_pfn, a1 nr -> tail bitmap */

	/* ---- guest / toolstack control connection ---- */
	XSP_G_DOM_CREATE = 100, /* tail struct xsim_domain_config -> v0 domid */
	XSP_G_PAUSE,
	XSP_G_UNPAUSE,
	XSP_G_DESTROY,
	XSP_G_SHUTDOWN,		/* a0 reason */
	XSP_G_INFO,		/* -> tail struct xsim_domain_info */
	XSP_G_MEM_READ,		/* a0 gpa, a1 len -> tail */
	XSP_G_MEM_WRITE,	/* a0 gpa; tail */
	XSP_G_LOG_IOREQ,	/* a0 from, a1 max -> v0 total, tail */
	XSP_G_LOG_MSI,
	XSP_G_LOG_DIRTY,
	XSP_G_LOG_ENABLE,	/* a0 on */
	XSP_G_RANGES,		/* a0 from, a1 max -> v0 total, tail */
	XSP_G_TIMEOFFSET,	/* a0 offset */
	XSP_G_IRQ_STATE,	/* -> tail struct xsim_irq_state */

	/* ---- vCPU connection ---- */
	XSP_V_OPEN = 200,	/* domid, a0 vcpu */
	XSP_V_PIO,		/* a0 port, a1 size, a2 is_read, a3 value */
	XSP_V_MMIO,		/* a0 gpa, a1 size, a2 is_read, a3/a4 value */
	XSP_V_REP,		/* tail struct xsim_rep */
	XSP_V_RAW,		/* a0 server, a1 timeout_ms; tail xsim_ioreq */
	XSP_V_BUFWRITE,		/* a0 is_pio, a1 addr, a2 size, a3 value */
	XSP_V_BURST,		/* a0 addr, a1 span, a2 size, a3 n, a4 base */
	XSP_V_INVALIDATE,

	/* ---- event socket, library -> simulator, never answered ---- */
	XSP_E_NOTIFY = 300,
	XSP_E_UNMASK,
};

struct xsp_req {
	uint32_t op;
	uint32_t domid;
	uint64_t a[6];
};

struct xsp_rep {
	int32_t ret; /* 0/positive or -errno */
	uint32_t tail_len;
	uint64_t v[6];
};

struct xsp_ev {
	uint32_t op;
	uint32_t port;
};

/* One domain as xc_domain_getinfo needs it. */
struct xsp_dominfo {
	uint32_t domid;
	uint32_t flags; /* XSP_DI_* */
	uint32_t shutdown_reason;
	uint32_t max_vcpu_id;
	uint32_t nr_online_vcpus;
	uint32_t pad;
	uint64_t tot_pages;
	uint64_t max_pages;
};

#define XSP_DI_DYING (1u << 0)
#define XSP_DI_CRASHED (1u << 1)
#define XSP_DI_SHUTDOWN (1u << 2)
#define XSP_DI_PAUSED (1u << 3)
#define XSP_DI_RUNNING (1u << 4)
#define XSP_DI_HVM (1u << 5)

#endif
