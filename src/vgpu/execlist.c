/* SPDX-License-Identifier: MIT */
/*
 * execlist.c - execlist submission on one engine, as a Gen9 part and
 * GVT-g show it to i915 6.1 (facts: docs/vgpu-execlists-facts.md,
 * sections 1, 2 and 4; the model: docs/vgpu-execlists.md).
 *
 * The port takes four dwords: element 1 high, element 1 low, element 0
 * high, element 0 low; the fourth submits.  A descriptor is valid in bit
 * 0, privileged in bit 8 (required, as GVT requires it), names its
 * addressing mode in bits 4:3 (1: 3-level, 3: 4-level PPGTT) and its
 * context image's GGTT page in bits 31:12; the high dword is the context
 * ID.  Page 1 of the image holds the ring's head (dword 5), tail (7),
 * start (9) and control (11), and the PDPs (dwords 37..51).
 *
 * The engine runs a submission to its end inside the port write that
 * submits it, so the guest always finds it idle: the CSB shows
 * idle-to-active (0x1), then element switch (0x14) between two elements,
 * then active-to-idle with complete (0x18), each entry written to the MMIO
 * CSB and to the engine's status page (HWS_PGA + 0x40, write index at
 * + 0x7c), followed by one context-switch interrupt, as GVT emits them.
 * The image's head becomes the tail.  A run that stops (cmd.h) leaves the
 * context active and the engine hung, with no completion: the guest's
 * hang detection resets it, as it would a real engine.
 */
#include "vgpu/execlist.h"

#include <endian.h>
#include <errno.h>
#include <time.h>

#include "util/log.h"
#include "vgpu/ggtt.h"

#define DESC_VALID (1u << 0)
#define DESC_PRIVILEGE (1u << 8)
#define DESC_MODE(lo) (((lo) >> 3) & 3)
#define DESC_LRCA 0xfffff000u

#define CSB_IDLE_TO_ACTIVE 0x0001u
#define CSB_ELEMENT_SWITCH 0x0004u
#define CSB_ACTIVE_TO_IDLE 0x0008u
#define CSB_COMPLETE 0x0010u

#define EXECLIST0_ACTIVE (1u << 18)
#define EXECLIST1_ACTIVE (1u << 17)
#define EXECLIST0_VALID (1u << 4)
#define EXECLIST1_VALID (1u << 3)

#define HWSP_CSB 0x40
#define HWSP_CSB_WRITE 0x7c

/* Context image, page 1 (register state), dword indices. */
#define CTX_RING_HEAD 5
#define CTX_RING_TAIL 7
#define CTX_RING_START 9
#define CTX_RING_CTL 11
#define CTX_PDP3_UDW 37 /* then LDW, PDP2 UDW ... PDP0 LDW at 51 */
#define CTX_DWORDS 52

#define RING_VALID 1u
#define RING_NR_PAGES(ctl) ((((ctl) >> 12) & 0x1ff) + 1)
#define HEAD_ADDR 0x001ffffcu
#define TAIL_ADDR 0x001ffff8u

static uint32_t reg(const struct execlist *el, uint32_t off)
{
	return mmio_vreg_get(el->m, el->base + off);
}

static void set_reg(struct execlist *el, uint32_t off, uint32_t v)
{
	mmio_vreg_set(el->m, el->base + off, v);
}

/* The next CSB entry, in the registers and the status page. */
static void csb_event(struct execlist *el, uint32_t status, uint32_t ccid)
{
	uint32_t ptr = reg(el, RING_CSB_PTR), wp = ptr & 7;
	struct gm_space g = {.ggtt = el->ggtt, .mem = el->mem};
	uint32_t hwsp = reg(el, RING_HWS_PGA) & ~0xfffu;
	uint32_t entry[2] = {htole32(status), htole32(ccid)}, w;

	wp = wp >= CSB_ENTRIES - 1 ? 0 : wp + 1;
	set_reg(el, RING_CSB + 8 * wp, status);
	set_reg(el, RING_CSB + 8 * wp + 4, ccid);
	set_reg(el, RING_CSB_PTR, (ptr & ~7u) | wp);
	w = htole32(wp);
	if (gm_write(&g, false, hwsp + HWSP_CSB + 8 * wp, entry, 8) < 0 ||
	    gm_write(&g, false, hwsp + HWSP_CSB_WRITE, &w, 4) < 0)
		log_guest(LOG_WARN,
			  "%s: status page 0x%x does not translate; the CSB "
			  "entry is in the registers only",
			  el->name, hwsp);
}

void execlist_sync_regs(struct execlist *el)
{
	uint32_t lo = 0;

	/* The status names the element whose context stopped; bit 1 is
	 * set while a context is loaded (the current element pointer). */
	if (el->hung == EL_HUNG_ELEMENT0)
		lo = EXECLIST0_VALID | EXECLIST0_ACTIVE | (1u << 1);
	else if (el->hung == EL_HUNG_ELEMENT1)
		lo = EXECLIST1_VALID | EXECLIST1_ACTIVE | (1u << 1);
	set_reg(el, RING_EXECLIST_STATUS_LO, lo);
	set_reg(el, RING_EXECLIST_STATUS_HI, el->hung ? el->hung_ccid : 0);
}

void execlist_reset(struct execlist *el)
{
	el->nport = 0;
	el->hung = EL_HUNG_NONE;
	el->hung_ccid = 0;
	set_reg(el, RING_CSB_PTR, CSB_PTR_RESET);
	execlist_sync_regs(el);
}

static uint64_t timestamp(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	/* CTC_MODE says 12 MHz. */
	return (uint64_t)ts.tv_sec * 12000000u + (uint64_t)ts.tv_nsec / 84;
}

/* Run one element's context to its tail; 0, or <0 if it hung. */
static int run_context(struct execlist *el, uint32_t lo, uint32_t *irq)
{
	struct gm_space g = {.ggtt = el->ggtt, .mem = el->mem};
	uint32_t lrca = lo & DESC_LRCA, img[CTX_DWORDS];
	uint32_t head, tail, start, ctl, i;
	struct cmd_run r = {.cls = el->cls,
			    .gm = &g,
			    .pphwsp = lrca,
			    .timestamp = timestamp(),
			    .regs = el->regs};
	int rc;

	if (gm_read(&g, false, lrca + 4096, img, sizeof(img)) < 0) {
		log_guest(LOG_WARN,
			  "%s: context image at 0x%x does not "
			  "translate",
			  el->name, lrca);
		return -EFAULT;
	}
	for (i = 0; i < CTX_DWORDS; i++)
		img[i] = le32toh(img[i]);
	g.mode = DESC_MODE(lo);
	for (i = 0; i < 4; i++) /* PDP3 first in the image */
		g.pdp[3 - i] = (uint64_t)img[CTX_PDP3_UDW + 4 * i] << 32 |
			       img[CTX_PDP3_UDW + 4 * i + 2];
	head = img[CTX_RING_HEAD] & HEAD_ADDR;
	tail = img[CTX_RING_TAIL] & TAIL_ADDR;
	start = img[CTX_RING_START] & ~0xfffu;
	ctl = img[CTX_RING_CTL];
	if (!(ctl & RING_VALID)) {
		log_guest(LOG_WARN, "%s: context 0x%x: ring not valid",
			  el->name, lrca);
		return -EINVAL;
	}
	rc = cmd_run_ring(&r, start, RING_NR_PAGES(ctl) * 4096, head, tail);
	el->st.commands += r.commands;
	if (r.events & CMD_EV_USER)
		*irq |= EL_IRQ_USER;
	if (r.events & CMD_EV_NOTIFY)
		*irq |= EL_IRQ_NOTIFY;
	if (rc < 0) {
		log_guest(LOG_WARN,
			  "%s: context 0x%x hung: %s (command 0x%08x at "
			  "0x%llx)",
			  el->name, lrca, r.error, r.error_header,
			  (unsigned long long)r.error_addr);
		return rc;
	}
	set_reg(el, RING_HEAD, tail);
	set_reg(el, RING_TAIL, tail);
	set_reg(el, RING_START, start);
	set_reg(el, RING_CTL, ctl);
	tail = htole32(tail);
	if (gm_write(&g, false, lrca + 4096 + 4 * CTX_RING_HEAD, &tail, 4) < 0)
		return -EFAULT;
	el->st.contexts++;
	return 0;
}

static bool desc_ok(const struct execlist *el, uint32_t lo, unsigned n)
{
	const char *why = NULL;

	if (!(lo & DESC_PRIVILEGE))
		why = "not privileged";
	else if (DESC_MODE(lo) != 1 && DESC_MODE(lo) != 3)
		why = "advanced (SVM) addressing";
	if (why)
		log_guest(LOG_WARN, "%s: element %u refused: %s (0x%08x)",
			  el->name, n, why, lo);
	return !why;
}

static uint32_t submit(struct execlist *el)
{
	uint32_t lo0 = el->port[0], id0 = el->port[1];
	uint32_t lo1 = el->port[2], id1 = el->port[3];
	bool two = lo1 & DESC_VALID;
	uint32_t irq = EL_IRQ_CTX_SWITCH;

	if (el->hung || !(lo0 & DESC_VALID) || !desc_ok(el, lo0, 0) ||
	    (two && !desc_ok(el, lo1, 1))) {
		if (el->hung)
			log_guest(LOG_WARN,
				  "%s: submission to a hung engine "
				  "dropped",
				  el->name);
		else if (!(lo0 & DESC_VALID))
			log_guest(LOG_WARN, "%s: element 0 not valid",
				  el->name);
		el->st.refused++;
		return 0;
	}
	el->st.submissions++;
	csb_event(el, CSB_IDLE_TO_ACTIVE, 0);
	if (run_context(el, lo0, &irq) < 0)
		goto hang0;
	if (two) {
		csb_event(el, CSB_ELEMENT_SWITCH | CSB_COMPLETE, id0);
		if (run_context(el, lo1, &irq) < 0) {
			el->hung = EL_HUNG_ELEMENT1;
			el->hung_ccid = id1;
			goto hang;
		}
		csb_event(el, CSB_ACTIVE_TO_IDLE | CSB_COMPLETE, id1);
	} else {
		csb_event(el, CSB_ACTIVE_TO_IDLE | CSB_COMPLETE, id0);
	}
	return irq;
hang0:
	el->hung = EL_HUNG_ELEMENT0;
	el->hung_ccid = id0;
hang:
	el->st.hangs++;
	execlist_sync_regs(el);
	return irq;
}

uint32_t execlist_elsp_write(struct execlist *el, uint32_t val)
{
	el->port[3 - el->nport] = val;
	if (++el->nport < 4)
		return 0;
	el->nport = 0;
	return submit(el);
}
