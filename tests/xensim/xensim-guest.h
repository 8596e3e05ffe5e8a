/* SPDX-License-Identifier: MIT */
/*
 * xensim-guest.h - the guest's and the toolstack's side of the simulated
 * hypervisor, for tests, the demo and the benchmarks.
 *
 * A test starts the simulator (xsim_spawn), creates a domain, starts a device
 * model for it (which finds the simulator through XENSIM_SOCKET and the
 * ABI-compatible libraries on LD_LIBRARY_PATH), and then plays the guest:
 * each vCPU is a connection whose accesses block until the device model
 * answered, exactly like a vCPU waiting in Xen.
 *
 * All functions return 0 (or a count) on success and a negative errno on
 * failure.  The simulator routes an access the way Xen 4.17 does
 * (docs/xensim.md): PCI config through CF8/CFC only for claimed SBDFs,
 * ports and MMIO by full containment in a server's range (highest server id
 * wins), page and 8-byte splitting, rep bounding, and unclaimed accesses
 * answered all-ones / dropped without reaching any server.
 */
#ifndef XENSIM_GUEST_H
#define XENSIM_GUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* ---- the simulator process ---------------------------------------------- */

struct xsim;

/*
 * Start a simulator listening on `sock_path` (the path is created; pass
 * NULL for a fresh one under $TMPDIR).  Finds the xensim binary next to the
 * calling executable's build tree via $XENSIM_BIN or the default build path.
 */
int xsim_spawn(const char *sock_path, struct xsim **out);
/* Connect to an already running simulator. */
int xsim_connect(const char *sock_path, struct xsim **out);
const char *xsim_socket_path(const struct xsim *s);
/* Directory holding the ABI-compatible libraries (for LD_LIBRARY_PATH). */
const char *xsim_lib_dir(void);
/* Stop the simulator (if spawned) and free. */
void xsim_close(struct xsim *s);

/* ---- domains ------------------------------------------------------------ */

struct xsim_domain_config {
	unsigned vcpus;      /* 1..128 */
	uint64_t ram_bytes;  /* guest RAM, laid out like hvmloader does */
	/* Extra holes punched into the RAM layout (GPA ranges, page aligned). */
	struct {
		uint64_t start, end; /* [start, end) */
	} holes[8];
	unsigned nr_holes;
	bool paused;         /* create paused, like `xl create -p` */
	/*
	 * How long `xl destroy` spends relinquishing the guest's memory
	 * before Xen destroys its ioreq servers (hvm_domain_relinquish_
	 * resources comes last).  Real runs: under 250 ms mostly, up to 95 s
	 * under TCG.  Meanwhile the domain is dying, its vCPUs and event
	 * channels are gone, and server and domain-wide dm_ops still work.
	 */
	unsigned relinquish_ms;
};

/*
 * Default layout for ram_bytes R (as hvmloader/libxl build it):
 * RAM [0, 0xA0000), hole [0xA0000, 0xC0000) (legacy VGA), RAM
 * [0xC0000, min(R, 0xF0000000)), hole [0xF0000000, 4 GiB) (MMIO hole), the
 * rest of R from 4 GiB up.
 */
int xsim_domain_create(struct xsim *s, const struct xsim_domain_config *cfg,
		       uint32_t *domid);
int xsim_domain_unpause(struct xsim *s, uint32_t domid);
int xsim_domain_pause(struct xsim *s, uint32_t domid);
/*
 * Like `xl destroy`: in-flight accesses fail, the domain is dying; its
 * servers are torn down relinquish_ms later.
 */
int xsim_domain_destroy(struct xsim *s, uint32_t domid);
/* Like `xl shutdown` then the toolstack's destroy. */
int xsim_domain_shutdown(struct xsim *s, uint32_t domid, unsigned reason);

enum xsim_domain_state {
	XSIM_DOM_RUNNING = 0,
	XSIM_DOM_PAUSED = 1,
	XSIM_DOM_DYING = 2,   /* destroyed, held as a zombie by foreign mappings */
	XSIM_DOM_GONE = 3,    /* no such domain (any more) */
	XSIM_DOM_CRASHED = 4, /* the simulated Xen crashed it (see crash_reason) */
	XSIM_DOM_SHUTDOWN = 5, /* shut down (xendevicemodel_shutdown), not yet
				* destroyed */
};

struct xsim_domain_info {
	enum xsim_domain_state state;
	unsigned nr_servers;        /* ioreq servers that exist now */
	unsigned nr_enabled;        /* ... of which enabled */
	unsigned foreign_mappings;  /* pages mapped by any dom0 process now */
	unsigned resource_mappings; /* ioreq pages mapped (map_resource) now */
	char crash_reason[128];
	/* Added: */
	unsigned shutdown_reason;   /* valid in SHUTDOWN/CRASHED/DYING/GONE */
	unsigned vcpus;
	uint64_t tot_pages;         /* populated RAM pages */
	uint64_t max_pages;         /* xc_domain_setmaxmem / 4 */
	uint32_t cf8;               /* the latched 0xCF8 value */
};

int xsim_domain_info(struct xsim *s, uint32_t domid,
		     struct xsim_domain_info *info);

/* ---- the guest's memory --------------------------------------------------- */

/* Direct access to guest RAM (what the guest's CPU sees, no trapping). */
int xsim_mem_read(struct xsim *s, uint32_t domid, uint64_t gpa, void *buf,
		  size_t len);
int xsim_mem_write(struct xsim *s, uint32_t domid, uint64_t gpa,
		   const void *buf, size_t len);

/* ---- vCPUs --------------------------------------------------------------- */

struct xsim_vcpu;

/* One connection per vCPU; use it from one thread at a time. */
int xsim_vcpu_open(struct xsim *s, uint32_t domid, unsigned vcpu,
		   struct xsim_vcpu **out);
void xsim_vcpu_close(struct xsim_vcpu *v);

/*
 * One guest instruction's access.  Port I/O: size 1, 2 or 4.  MMIO: size 1,
 * 2, 4, 8 or 16 (an SSE move; Xen splits it), any alignment.  Values are
 * little-endian in `val` (16-byte accesses use val[0] low, val[1] high).
 * The simulator splits the access into ioreqs exactly as Xen does and
 * issues them one after the other, each waiting for its answer.
 */
int xsim_pio_read(struct xsim_vcpu *v, uint16_t port, unsigned size,
		  uint32_t *val);
int xsim_pio_write(struct xsim_vcpu *v, uint16_t port, unsigned size,
		   uint32_t val);
int xsim_mmio_read(struct xsim_vcpu *v, uint64_t gpa, unsigned size,
		   uint64_t val[2]);
int xsim_mmio_write(struct xsim_vcpu *v, uint64_t gpa, unsigned size,
		    const uint64_t val[2]);

/*
 * A rep string instruction: rep ins/outs (port, memory side at mem_gpa),
 * rep movs between RAM at mem_gpa and MMIO at `addr`, or rep stos of
 * `value` to MMIO (mem_gpa unused, is_stos true).  With df the memory side
 * (and the MMIO side) descend from the given addresses, which name the
 * first item handled (the highest address), like rsi/rdi with DF=1.
 * The simulator cuts the instruction into ioreqs at page boundaries of both
 * sides as Xen does (see docs/xensim.md).
 */
struct xsim_rep {
	bool is_pio;
	bool is_read;   /* device -> RAM (ins, movs from MMIO) */
	bool df;
	bool is_stos;   /* MMIO only, write only: data_is_ptr 0 */
	uint64_t addr;  /* port or MMIO GPA */
	unsigned size;  /* 1, 2, 4 (8 for MMIO) */
	uint32_t count; /* 1..4096 */
	uint64_t mem_gpa;
	uint64_t value; /* for stos */
};

int xsim_rep(struct xsim_vcpu *v, const struct xsim_rep *rep);

/* PCI config through CF8/CFC (two port accesses, the second routed). */
int xsim_cfg_read(struct xsim_vcpu *v, uint32_t sbdf, unsigned reg,
		  unsigned size, uint32_t *val);
int xsim_cfg_write(struct xsim_vcpu *v, uint32_t sbdf, unsigned reg,
		   unsigned size, uint32_t val);

/*
 * A raw ioreq written into this vCPU's slot of server `server_id` exactly as
 * given (state included) and notified on its port; for malformed-request
 * tests.  Waits up to timeout_ms for the slot to reach IORESP_READY and then
 * returns the answered ioreq in *out and 0, or -ETIMEDOUT with *out = the
 * slot as the device model left it (the simulator then resets it to NONE).
 * No Xen state checks are applied to raw requests.
 */
struct xsim_ioreq {
	uint64_t addr;
	uint64_t data;
	uint32_t count;
	uint32_t size;
	uint8_t state;
	uint8_t data_is_ptr;
	uint8_t dir; /* 1 = read */
	uint8_t df;
	uint8_t type;
	uint32_t vp_eport; /* 0: the correct port */
};

int xsim_raw_ioreq(struct xsim_vcpu *v, unsigned server_id,
		   const struct xsim_ioreq *in, unsigned timeout_ms,
		   struct xsim_ioreq *out);

/* ---- buffered ioreqs ------------------------------------------------------ */

/*
 * A single write sent buffered, as Xen's stdvga path does (addr < 1 MiB,
 * size 1, 2, 4 or 8: 8 takes two slots).  Goes to the server that claims
 * the address (MMIO or port by is_pio) if it has a buffered ring; otherwise
 * falls back to a synchronous write like Xen.  Returns once published.
 */
int xsim_buffered_write(struct xsim_vcpu *v, bool is_pio, uint64_t addr,
			unsigned size, uint64_t value);

/*
 * Publish `n` buffered writes as fast as the ring allows (waiting for the
 * consumer when full, never falling back), value of write i = base_value +
 * i, addresses cycling through [addr, addr + span) in steps of size.
 * Returns when the consumer has drained all of them; *ns gets the time
 * from the first publish to the last consumption.  For benchmarks.
 */
int xsim_buffered_burst(struct xsim_vcpu *v, uint64_t addr, uint64_t span,
			unsigned size, uint64_t n, uint64_t base_value,
			uint64_t *ns);

/* Broadcast a TIMEOFFSET (buffered, 8 bytes) to every server with a ring. */
int xsim_timeoffset(struct xsim *s, uint32_t domid, int64_t offset);
/* Broadcast an INVALIDATE on vCPU `vcpu`'s slot to every enabled server. */
int xsim_invalidate(struct xsim_vcpu *v);

/* ---- what the hypervisor saw ---------------------------------------------- */

/* Every ioreq delivered to a server, in order. */
struct xsim_log_ioreq {
	unsigned server_id;
	unsigned vcpu;   /* slot; XSIM_BUFFERED for the buffered ring */
	uint32_t port;   /* event channel port notified (guest side) */
	struct xsim_ioreq req;    /* as delivered */
	uint64_t answer;          /* data after IORESP_READY (sync only) */
};
#define XSIM_BUFFERED 0xffffu

struct xsim_log_msi {
	uint64_t addr;
	uint32_t data;
};

struct xsim_log_dirty {
	uint64_t first_pfn;
	uint64_t nr;
};

/* Reading a log copies up to `max` entries from index `from` (entries are
 * never removed; counts keep growing), returns the number copied (>= 0) and
 * the total in *total.  xsim_ranges likewise returns the number copied. */
int xsim_log_ioreqs(struct xsim *s, uint32_t domid, size_t from,
		    struct xsim_log_ioreq *out, size_t max, size_t *total);
int xsim_log_msis(struct xsim *s, uint32_t domid, size_t from,
		  struct xsim_log_msi *out, size_t max, size_t *total);
int xsim_log_dirty(struct xsim *s, uint32_t domid, size_t from,
		   struct xsim_log_dirty *out, size_t max, size_t *total);
/* Set the ioreq log on or off (off for benchmarks); on by default. */
int xsim_log_enable(struct xsim *s, uint32_t domid, bool on);

/* A server's claims as Xen holds them (for BAR-move tests). */
struct xsim_range {
	unsigned server_id;
	unsigned type; /* 0 port, 1 mmio, 2 pci (start = end = SBDF) */
	uint64_t start, end; /* inclusive */
};
int xsim_ranges(struct xsim *s, uint32_t domid, struct xsim_range *out,
		size_t max, size_t *total);

/* Interrupt lines as the device model set them (added). */
struct xsim_irq_state {
	uint8_t intx[32];      /* bus 0: bit n = INTx pin n (A..D) asserted */
	uint16_t isa_irq;      /* bit n = ISA IRQ n asserted */
	uint8_t link_route[4]; /* set_pci_link_route: ISA IRQ per link, 0 off */
};
int xsim_irq_state(struct xsim *s, uint32_t domid, struct xsim_irq_state *st);

#endif
