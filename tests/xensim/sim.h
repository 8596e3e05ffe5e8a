/* SPDX-License-Identifier: MIT */
/*
 * sim.h - the simulated hypervisor's state: connections, domains, ioreq
 * servers, event channels and vCPUs in flight.  One thread owns all of it.
 */
#ifndef XENSIM_SIM_H
#define XENSIM_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xen/xen.h>
#include <xen/hvm/ioreq.h>

#include "proto.h"
#include "xensim-guest.h"

#define PAGE_SHIFT_4K 12
#define PAGE_4K 4096ull
#define MAX_SERVERS 8
#define MAX_RANGES 256
#define MAX_VCPUS 128
#define MAX_REPS 4096
#define BUF_SLOTS 511u
/* gfns an EPT p2m can hold (4 levels, 48-bit GPAs; p2m-ept.c ept_set_entry) */
#define P2M_GFN_LIMIT (1ull << 36)
/* File page where pages populated after a move start (above any gfn) */
#define SPARE_BASE (1ull << 40)
#define NO_PAGE UINT64_MAX
#define REMAP_SHIFT 15
#define REMAP_CHUNK (1ull << REMAP_SHIFT)
/* Xen's paddr_bits: QEMU TCG's 40 (the project's real-Xen runs) */
#define HOST_PADDR_BITS 40
#define MAX_PINS 64

enum conn_kind {
	CONN_LIB = 0, /* library handle (devicemodel, foreignmemory, ctrl) */
	CONN_EVRPC,   /* the RPC side of an evtchn handle */
	CONN_EV,      /* the event socket of an evtchn handle */
	CONN_VCPU,    /* a guest vCPU */
};

struct mapping {
	uint64_t cookie;
	uint32_t domid;
	uint64_t pages;
	bool resource;
};

struct outmsg {
	struct outmsg *next;
	int fd;
	size_t len;
	unsigned char buf[];
};

struct conn {
	int fd;
	enum conn_kind kind;
	int restrict_domid; /* -1: unrestricted */
	struct conn *peer;  /* EVRPC <-> EV */
	struct mapping *maps;
	size_t nr_maps, cap_maps;
	struct vcpu *vcpu; /* CONN_VCPU */
	struct outmsg *outq, **outq_tail;
	bool closing;
};

/* ---- event channels ---- */

enum gport_state { GP_FREE = 0, GP_UNBOUND, GP_INTERDOMAIN };

struct gport { /* a port in a guest's port space */
	uint8_t state;
	int16_t server; /* owning ioreq server id, -1 none */
	int32_t vcpu;   /* vcpu index, -1 = buffered port */
	uint32_t d0port;
};

struct d0port { /* a port in dom0's port space */
	bool inuse, masked, pending, interdomain;
	struct conn *ev; /* owning event socket */
	uint32_t domid, rport;
};

/* ---- ioreq servers ---- */

struct range {
	uint64_t s, e; /* inclusive */
};

struct server {
	unsigned id;
	struct domain *d;
	int bufmode;
	bool enabled;
	bool gfn_mode, res_mode;
	int memfd;
	unsigned nframes;
	uint8_t *pages;
	struct buffered_iopage *buf; /* frame 0 (NULL if OFF) */
	struct ioreq *slots;         /* frames 1.. */
	uint32_t vcpu_port[MAX_VCPUS];
	uint32_t buf_port;
	struct range *r[3];
	unsigned nr[3];
	uint64_t buf_dropped;
};

/* ---- vCPUs and what they are doing ---- */

enum op_kind {
	OP_NONE = 0,
	OP_PIO,
	OP_MMIO,
	OP_REP,
	OP_RAW,
	OP_BUFW,
	OP_BURST,
	OP_INVALIDATE,
};

enum vcpu_wait {
	VW_IDLE = 0,
	VW_RUN,     /* has work, waiting for the domain to run */
	VW_IOREQ,   /* waiting for servers in pend_mask */
	VW_BURST,   /* producer loop active */
};

struct burst {
	struct server *s;
	uint64_t addr, span, n, base, published, off;
	unsigned size;
	uint64_t t_start, t_progress, t_notify;
	uint32_t last_rp;
	bool started;
};

struct vcpu {
	struct domain *d;
	unsigned id;
	struct conn *conn;
	enum vcpu_wait wait;
	enum op_kind op;
	/* the instruction */
	bool is_read, is_pio;
	uint64_t addr;
	unsigned size;
	uint8_t val[16];
	struct xsim_rep rep;
	uint64_t done; /* bytes (single) or items (rep) */
	/* the ioreq in flight */
	uint8_t pend_mask;
	uint8_t prev_state[MAX_SERVERS];
	unsigned chunk_off, chunk_size;
	uint32_t chunk_count;
	size_t log_idx[MAX_SERVERS];
	/* raw ioreqs */
	unsigned raw_server;
	struct xsim_ioreq raw_in;
	uint64_t raw_deadline;
	/* buffered burst */
	struct burst burst;
	struct vcpu *next_run; /* list of vCPUs with work to resume */
};

/* ---- domains ---- */

struct pin { /* XEN_DMOP_pin_memory_cacheattr, inclusive gfns */
	uint64_t s, e;
	uint32_t type;
};

struct domain {
	uint32_t domid;
	bool paused, shutdown, dying, crashed, gone;
	/* dying: memory relinquished and servers destroyed (at relinquish_at) */
	bool relinquished;
	unsigned relinquish_ms;
	uint64_t relinquish_at; /* ns */
	unsigned shutdown_reason;
	char crash_reason[128];
	unsigned nr_vcpus;
	struct vcpu vcpu[MAX_VCPUS];
	/*
	 * Guest RAM: a memfd.  Until a page moves (relocate_memory) the file
	 * offset is the GPA and remap is NULL.  After that remap (chunks of
	 * REMAP_CHUNK gfns, allocated when touched) holds the file page of
	 * each gfn (NO_PAGE once its page left or was freed): a page keeps
	 * its file page when it moves, so mappings of it follow it as in
	 * Xen, and pages populated later come from the spare area at file
	 * page SPARE_BASE.
	 */
	int memfd;
	uint8_t *mem; /* file pages [0, nr_gfns) */
	uint64_t mem_size;
	uint64_t **remap;
	uint8_t *spare; /* file pages [SPARE_BASE, SPARE_BASE + cap_spare) */
	uint64_t nr_spare, cap_spare;
	struct pin pins[MAX_PINS];
	unsigned nr_pins;
	uint8_t *p2m; /* bit per gfn: RAM */
	uint8_t *wp;  /* bit per gfn: HVMMEM_ioreq_server */
	/*
	 * XEN_DMOP_track_dirty_vram's one range (hap.c d->arch.hvm.dirty_vram):
	 * [vram_first, + vram_nr), nr 0 none; a bit per page the guest wrote
	 * (p2m_ram_logdirty -> ram_rw) since the last look.
	 */
	uint64_t vram_first, vram_nr;
	uint8_t *vram_dirty;
	uint64_t nr_gfns;
	uint64_t tot_pages, max_pages;
	struct server *srv[MAX_SERVERS];
	int memtype_owner; /* server id owning HVMMEM_ioreq_server, -1 */
	uint64_t wp_count;
	struct gport *ports;
	uint32_t nr_ports;
	uint32_t cf8;
	/* logs */
	bool log_on;
	struct xsim_log_ioreq *log;
	size_t nr_log, cap_log;
	struct xsim_log_msi *msi;
	size_t nr_msi, cap_msi;
	struct xsim_log_dirty *dirty;
	size_t nr_dirty, cap_dirty;
	struct xsim_irq_state irq;
	uint64_t foreign_pages, resource_pages;
	struct domain *next;
};

/* sim-main.c */
extern struct domain *domains;
extern uint32_t next_domid;
uint64_t now_ns(void);
int conn_send(struct conn *c, const void *buf, size_t len, int fd);
int conn_reply(struct conn *c, int ret, const uint64_t *v, unsigned nv,
	       const void *tail, size_t tlen, int fd);
void vcpu_schedule(struct vcpu *v);
void burst_activate(struct vcpu *v);
void conn_poll(struct conn *c);

/* sim-domain.c */
struct domain *dom_find(uint32_t domid);
struct domain *dom_live(uint32_t domid, int *err);
int dom_create(const struct xsim_domain_config *cfg, uint32_t *domid);
void dom_destroy(struct domain *d);
void dom_shutdown(struct domain *d, unsigned reason);
void dom_crash(struct domain *d, const char *why);
void dom_pause(struct domain *d);
void dom_unpause(struct domain *d);
void dom_maybe_reap(struct domain *d);
void dom_check_relinquish(uint64_t now, int *timeout_ms);
bool gfn_is_ram(const struct domain *d, uint64_t gfn);
bool gfn_is_wp(const struct domain *d, uint64_t gfn);
uint64_t gfn_file_page(const struct domain *d, uint64_t gfn);
uint8_t *gfn_ptr(const struct domain *d, uint64_t gfn);
void ram_read(const struct domain *d, uint64_t gpa, void *buf, size_t len);
void ram_write(struct domain *d, uint64_t gpa, const void *buf, size_t len);
int dom_populate(struct domain *d, const uint64_t *gfns, uint64_t nr);
int dom_relocate(struct domain *d, uint32_t size, uint64_t src, uint64_t dst);
int dom_pin_cacheattr(struct domain *d, uint64_t start, uint64_t end,
		      uint32_t type);
int dom_track_vram(struct domain *d, uint64_t first, uint64_t nr,
		   uint8_t *bitmap);
int dom_set_mem_type(struct domain *d, unsigned type, uint64_t pfn,
		     uint64_t nr);
void dom_info(struct domain *d, struct xsim_domain_info *info);
void log_ioreq(struct domain *d, unsigned sid, unsigned vcpu, uint32_t port,
	       const struct ioreq *p, size_t *idx);
void log_msi(struct domain *d, uint64_t addr, uint32_t data);
void log_dirty(struct domain *d, uint64_t pfn, uint64_t nr);
void mapping_release(struct conn *c, size_t i);

/* sim-server.c */
int srv_create(struct domain *d, int bufmode, unsigned *id);
struct server *srv_get(struct domain *d, unsigned id, int *err);
void srv_destroy(struct server *s);
int srv_set_state(struct server *s, bool enabled);
int srv_map_range(struct server *s, unsigned type, uint64_t start,
		  uint64_t end);
int srv_unmap_range(struct server *s, unsigned type, uint64_t start,
		    uint64_t end);
struct server *srv_select(struct domain *d, struct ioreq *p);
int srv_buf_push(struct server *s, const struct ioreq *p);
void srv_buf_renormalise(struct server *s);

/* sim-evtchn.c */
int gport_alloc(struct domain *d, int server, int vcpu);
void gport_free(struct domain *d, uint32_t port);
void gport_notify(struct domain *d, uint32_t port);
struct conn *gport_conn(struct domain *d, uint32_t port);
int ev_bind_interdomain(struct conn *ev, uint32_t domid, uint32_t rport,
			int restrict_domid);
int ev_bind_unbound(struct conn *ev, uint32_t domid);
int ev_unbind(struct conn *ev, uint32_t port);
void ev_close_all(struct conn *ev);
void ev_message(struct conn *ev, const struct xsp_ev *m);

/* sim-vcpu.c */
void vcpu_start(struct vcpu *v, const struct xsp_req *rq, const void *tail,
		size_t tlen);
void vcpu_run(struct vcpu *v);
void vcpu_on_notify(struct domain *d, struct server *s, unsigned vcpu);
void vcpu_fail(struct vcpu *v, int err);
void vcpu_server_gone(struct vcpu *v, unsigned sid);
void vcpu_check_timeouts(uint64_t now, int *timeout_ms);
int timeoffset_broadcast(struct domain *d, int64_t offset);

/* sim-burst.c */
bool burst_step(struct vcpu *v);

/* sim-ops.c */
void handle_request(struct conn *c, const struct xsp_req *rq,
		    const void *tail, size_t tlen, int fd);

#endif
