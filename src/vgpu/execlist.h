/* SPDX-License-Identifier: MIT */
/*
 * execlist.h - one engine's execlist submission (execlist.c): the submit
 * port, the context images it names, the context status buffer (CSB) and
 * the status register.  The engine block (engine.c) owns one per engine
 * and turns the events a submission returns into interrupts.
 */
#ifndef XENGT_VGPU_EXECLIST_H
#define XENGT_VGPU_EXECLIST_H

#include <stdbool.h>
#include <stdint.h>

#include "vgpu/cmd.h"
#include "vgpu/mmio.h"

struct vgpu_ggtt;

/* Engine-relative interrupt bits (shifted into a GT bank by the caller). */
#define EL_IRQ_USER (1u << 0)
#define EL_IRQ_NOTIFY (1u << 4)
#define EL_IRQ_CTX_SWITCH (1u << 8)

struct execlist_stats {
	uint64_t submissions; /* accepted ELSP writes */
	uint64_t contexts;    /* contexts run to their tail */
	uint64_t hangs;	      /* runs stopped by a bad command or address */
	uint64_t refused;     /* ELSP writes dropped: bad descriptors */
	uint64_t commands;
};

/* Which element's context stopped. */
enum { EL_HUNG_NONE, EL_HUNG_ELEMENT0, EL_HUNG_ELEMENT1 };

struct execlist {
	/* set by the engine block */
	const char *name; /* "rcs0" ... */
	uint32_t base;
	enum cmd_engine_class cls;
	struct mmio_space *m;
	struct vgpu_ggtt *ggtt;
	struct gmem *mem;
	struct cmd_regs regs;
	/* state */
	uint32_t port[4]; /* element 0 lo/hi, element 1 lo/hi */
	unsigned nport;	  /* dwords written since the last submission */
	uint8_t hung;	  /* EL_HUNG_*; only an engine reset clears it */
	uint32_t hung_ccid;
	struct execlist_stats st;
};

/* One dword written to the submit port; returns EL_IRQ_* to raise. */
uint32_t execlist_elsp_write(struct execlist *el, uint32_t val);
/* Engine reset (GDRST): the port, a hang and the status are cleared. */
void execlist_reset(struct execlist *el);
/* Status register and CSB pointer from the state, after a reset or load. */
void execlist_sync_regs(struct execlist *el);

/* Per-engine register offsets from the engine's base. */
#define RING_TAIL 0x30
#define RING_HEAD 0x34
#define RING_START 0x38
#define RING_CTL 0x3c
#define RING_HWS_PGA 0x80
#define RING_ELSP 0x230
#define RING_EXECLIST_STATUS_LO 0x234
#define RING_EXECLIST_STATUS_HI 0x238
#define RING_CSB 0x370 /* 6 entries of (status, context ID) */
#define RING_CSB_PTR 0x3a0
#define CSB_ENTRIES 6
#define CSB_PTR_RESET 0x7u /* write pointer 7: entry 0 is next */

#endif
