/* SPDX-License-Identifier: MIT */
/*
 * gmbus.c - the PCH GMBUS controller: an I2C master that runs whole bus
 * cycles (START, address, optional index, data, then WAIT or STOP) for
 * the driver, four data bytes at a time through GMBUS3.
 *
 *   register  offset   behaviour
 *   GMBUS0    0xc5100  pin pair 2:0 (read at each cycle's start); rate
 *                      9:8, hold time 7, byte count override 6, AKSV
 *                      select 11 stored, no effect; changing the pin
 *                      while a transaction is open ends it
 *   GMBUS1    0xc5104  a write with SW_RDY (30) starts the cycle in 27:25
 *                      on the slave in 7:1, direction 0 (1 = read), data
 *                      bytes 24:16 (0..511), index 15:8; SW_RDY reads 0;
 *                      SW_CLR_INT (31) resets the controller and holds it
 *                      while set; ENT (29) stored, no effect
 *   GMBUS2    0xc5108  status (below); read-only but for INUSE (15),
 *                      which a read that finds clear sets and a write of
 *                      1 clears (the driver's semaphore)
 *   GMBUS3    0xc510c  data, byte 0 in bits 7:0: a read takes the word a
 *                      read cycle loaded; a write gives a write cycle
 *                      its next word
 *   GMBUS4    0xc5110  interrupt enables: HW_RDY 0, HW_WAIT 1, IDLE 2,
 *                      NAK 3 (slave timeout 4 never happens)
 *   GMBUS5    0xc5120  bit 31 set: an INDEX cycle sends bits 15:8 then
 *                      7:0 instead of GMBUS1's index; stored
 *
 *   GMBUS1 27:25  cycle
 *   0             none: SW_RDY starts nothing
 *   1 / 3         data (3: after the index), then the WAIT phase
 *   5 / 7         data (7: after the index), then a STOP
 *   4             a STOP if a transaction is open, else nothing
 *   2 / 6         reserved: nothing starts (logged)
 *
 *   GMBUS2 bit          set while
 *   15 INUSE            taken (see GMBUS2 above)
 *   14 HW_WAIT_PHASE    the data is done and the bus waits (cycle 1/3)
 *   12 INT              an enabled GMBUS4 condition became true, happened
 *                       again, or was enabled while true (each also
 *                       raises SDEIIR bit 17); until SW_CLR_INT
 *   11 HW_RDY           except in the WAIT phase after a read: in a read
 *                       GMBUS3 holds the next word, in a write it takes
 *                       the next one; idle
 *   10 SATOER           the slave NAKed; until SW_CLR_INT (no cycle
 *                       starts before it)
 *    9 ACTIVE           from a cycle's START to its STOP or NAK
 *    8:0                data bytes the current or last cycle moved; 0
 *                       after a NAK or SW_CLR_INT
 *
 * Nothing takes time: a cycle's address and each word complete inside the
 * register access that asks for them.  What answers, per pin and address:
 *
 *   pin 6 (port D), monitor plugged in:
 *     0x50  the DDC EEPROM: a write's first byte (or the index) sets the
 *           offset, later bytes are ignored; a read returns the EDID from
 *           segment * 256 + offset, 0xff past its end, the offset
 *           advancing and wrapping at 256
 *     0x30  the E-DDC segment pointer: a write's first byte (or the index)
 *           sets it; a read is NAKed; a STOP or NAK resets it to 0
 *     other NAK
 *   pin 6 unplugged, pins 0-5 and 7: every cycle is NAKed
 *
 * These are the semantics dpsink.c gives the same EDID over I2C-over-AUX.
 * The monitor is a DP monitor; answering DDC on its port's GMBUS pin is
 * what a dual-mode (DP++) port does for an HDMI/DVI probe.  Nothing
 * answers at 0x40, so the port reads as having no DP++ adaptor ID.
 *
 * Sources (facts only): Linux 6.1 display/intel_gmbus_regs.h (offsets and
 * bits), display/intel_gmbus.h (pin numbers), display/intel_gmbus.c
 * (gmbus_pins_skl, gmbus_wait, gmbus_wait_idle, gmbus_xfer_read_chunk,
 * gmbus_xfer_write_chunk, gmbus_index_xfer, do_gmbus_xfer: the order the
 * driver writes and polls, the byte order of GMBUS3, the 511-byte count
 * of Gen9); i915_reg.h and i915_irq.c (SDE_GMBUS_CPT, spt_irq_handler,
 * ibx_irq_postinstall); gvt/edid.c and gvt/edid.h (the cycle encodings,
 * the pin to port map, the SW_CLR_INT and INUSE semantics, the idle
 * value); drm_edid.c (drm_do_probe_ddc_edid: segment and offset writes).
 */
#include "vgpu/display/gmbus.h"

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>

#include "util/blob.h"
#include "util/log.h"
#include "vgpu/display/monitor.h"
#include "vgpu/irq.h"

#define GMBUS0 0xc5100u
#define GMBUS1 0xc5104u
#define GMBUS2 0xc5108u
#define GMBUS3 0xc510cu
#define GMBUS4 0xc5110u
#define GMBUS5 0xc5120u

#define GMBUS_PIN_MASK 0x7u /* GVT's _GMBUS_PIN_SEL_MASK */

#define GMBUS_SW_CLR_INT (1u << 31)
#define GMBUS_SW_RDY (1u << 30)
#define GMBUS_CYCLE_SHIFT 25
#define GMBUS_CYCLE_WAIT 0x1u
#define GMBUS_CYCLE_INDEX 0x2u
#define GMBUS_CYCLE_STOP 0x4u
#define GMBUS_BYTE_COUNT_SHIFT 16
#define GMBUS_SLAVE_INDEX_SHIFT 8
#define GMBUS_SLAVE_ADDR_SHIFT 1
#define GMBUS_SLAVE_READ (1u << 0)

#define GMBUS_INUSE (1u << 15)
#define GMBUS_HW_WAIT_PHASE (1u << 14)
#define GMBUS_INT (1u << 12)
#define GMBUS_HW_RDY (1u << 11)
#define GMBUS_SATOER (1u << 10)
#define GMBUS_ACTIVE (1u << 9)
#define GMBUS_COUNT_MASK 0x1ffu
/* The bits GMBUS2 latches; the others follow the transaction. */
#define GMBUS2_LATCHED (GMBUS_INUSE | GMBUS_INT | GMBUS_SATOER)

#define GMBUS_HW_RDY_EN (1u << 0)
#define GMBUS_HW_WAIT_EN (1u << 1)
#define GMBUS_IDLE_EN (1u << 2)
#define GMBUS_NAK_EN (1u << 3)

#define GMBUS_2BYTE_INDEX_EN (1u << 31)

#define SDE_GMBUS_CPT (1u << 17)

#define DDC_ADDR 0x50u
#define DDC_SEGMENT_ADDR 0x30u
#define EDDC_SEGMENT_SIZE 256u

_Static_assert(VGPU_GMBUS_BYTE_COUNT_MAX == GMBUS_COUNT_MASK,
	       "GMBUS1 bits 24:16 and GMBUS2 bits 8:0 hold the same count");

enum gmbus_phase {
	PHASE_IDLE, /* no transaction: the bus is free */
	PHASE_DATA, /* a cycle is moving its data bytes */
	PHASE_WAIT, /* the data is done; the bus is held until the next cycle */
};

enum gmbus_slave {
	SLAVE_NONE,
	SLAVE_DDC,     /* 0x50, the EDID EEPROM */
	SLAVE_SEGMENT, /* 0x30, the E-DDC segment pointer */
};

struct vgpu_gmbus {
	struct mmio_space *m;
	struct vgpu_irq *irq;
	struct vgpu_monitor *mon;
	/* The transaction (saved) */
	uint8_t phase;	 /* enum gmbus_phase */
	uint8_t slave;	 /* enum gmbus_slave the current cycle addressed */
	bool read;	 /* the current cycle reads */
	bool stop;	 /* its data ends with a STOP, not the WAIT phase */
	bool loaded;	 /* a read: GMBUS3 holds a word not read yet */
	uint16_t left;	 /* data bytes still to move */
	uint16_t done;	 /* data bytes moved (GMBUS2 8:0) */
	uint8_t offset;	 /* the DDC EEPROM's address pointer */
	uint8_t segment; /* the E-DDC segment pointer */
	/* During one register access (0 between accesses, not saved) */
	uint32_t events; /* GMBUS4 conditions that occurred (again) */
};

static uint32_t reg(const struct vgpu_gmbus *g, uint32_t off)
{
	return mmio_vreg_get(g->m, off);
}

/* ---- status and interrupt ------------------------------------------------ */

/* GMBUS2 as the transaction makes it, with its latched bits. */
static uint32_t status(const struct vgpu_gmbus *g)
{
	uint32_t st = reg(g, GMBUS2) & GMBUS2_LATCHED;

	if (g->phase != PHASE_IDLE)
		st |= GMBUS_ACTIVE;
	if (g->phase == PHASE_WAIT)
		st |= GMBUS_HW_WAIT_PHASE;
	if (!(g->phase == PHASE_WAIT && g->read))
		st |= GMBUS_HW_RDY;
	return st | (g->done & GMBUS_COUNT_MASK);
}

/* The GMBUS4 bits whose condition holds in status `st`. */
static uint32_t conditions(uint32_t st)
{
	uint32_t c = 0;

	if (st & GMBUS_HW_RDY)
		c |= GMBUS_HW_RDY_EN;
	if (st & GMBUS_HW_WAIT_PHASE)
		c |= GMBUS_HW_WAIT_EN;
	if (!(st & GMBUS_ACTIVE))
		c |= GMBUS_IDLE_EN;
	if (st & GMBUS_SATOER)
		c |= GMBUS_NAK_EN;
	return c;
}

/*
 * GMBUS2 once an access has changed the transaction.  An enabled GMBUS4
 * condition sets INT and raises the PCH's GMBUS interrupt when it becomes
 * true, when it happens again (a word loaded or taken: HW_RDY; the WAIT
 * phase entered; the bus released: IDLE; a NAK), or when its enable bit
 * is set while it holds (`enabled`: the bits a GMBUS4 write just set).
 * `before` is conditions() of GMBUS2 as the access found it.
 */
static void settle(struct vgpu_gmbus *g, uint32_t before, uint32_t enabled)
{
	uint32_t st = status(g), now = conditions(st);
	uint32_t fire = (~before | g->events | enabled) & now & reg(g, GMBUS4);

	g->events = 0;
	if (fire)
		st |= GMBUS_INT;
	mmio_vreg_set(g->m, GMBUS2, st);
	if (fire)
		vgpu_irq_raise(g->irq, VGPU_IRQ_PCH, SDE_GMBUS_CPT);
}

/* conditions() as an access finds them. */
static uint32_t found(const struct vgpu_gmbus *g)
{
	return conditions(reg(g, GMBUS2));
}

/* ---- the bus and its slaves ---------------------------------------------- */

/* Who answers `addr` on the pin GMBUS0 selects. */
static enum gmbus_slave slave_at(const struct vgpu_gmbus *g, unsigned addr)
{
	if ((reg(g, GMBUS0) & GMBUS_PIN_MASK) != VGPU_GMBUS_PIN_DPD ||
	    !vgpu_monitor_connected(g->mon))
		return SLAVE_NONE;
	if (addr == DDC_ADDR)
		return SLAVE_DDC;
	if (addr == DDC_SEGMENT_ADDR)
		return SLAVE_SEGMENT;
	return SLAVE_NONE;
}

/* The first byte written after a START sets the slave's pointer. */
static void slave_write(struct vgpu_gmbus *g, uint8_t b, bool first)
{
	if (!first)
		return;
	if (g->slave == SLAVE_DDC)
		g->offset = b;
	else if (g->slave == SLAVE_SEGMENT)
		g->segment = b;
}

/* The EEPROM's next byte: 0xff past the EDID or with the monitor gone. */
static uint8_t slave_read(struct vgpu_gmbus *g)
{
	size_t len, i = (size_t)g->segment * EDDC_SEGMENT_SIZE + g->offset;
	const uint8_t *edid = vgpu_monitor_edid(g->mon, &len);
	uint8_t b = 0xff;

	if (vgpu_monitor_connected(g->mon) && edid && i < len)
		b = edid[i];
	g->offset++;
	return b;
}

/* A STOP: the bus is free, the segment pointer back to 0. */
static void end_transaction(struct vgpu_gmbus *g)
{
	if (g->phase != PHASE_IDLE)
		g->events |= GMBUS_IDLE_EN;
	g->phase = PHASE_IDLE;
	g->slave = SLAVE_NONE;
	g->read = false;
	g->stop = false;
	g->loaded = false;
	g->left = 0;
	g->segment = 0;
}

static void data_done(struct vgpu_gmbus *g)
{
	g->loaded = false;
	if (g->stop) {
		end_transaction(g);
	} else {
		g->phase = PHASE_WAIT;
		g->events |= GMBUS_HW_WAIT_EN;
	}
}

/* The controller gives up the bus after a NAK: SATOER until cleared. */
static void nak(struct vgpu_gmbus *g)
{
	end_transaction(g);
	g->done = 0;
	g->events |= GMBUS_NAK_EN | GMBUS_IDLE_EN;
	mmio_vreg_set(g->m, GMBUS2, reg(g, GMBUS2) | GMBUS_SATOER);
}

static unsigned word_bytes(const struct vgpu_gmbus *g)
{
	return g->left < 4 ? g->left : 4;
}

/* A read: the next up to 4 bytes into GMBUS3 (left > 0). */
static void load_word(struct vgpu_gmbus *g)
{
	unsigned n = word_bytes(g), i;
	uint32_t w = 0;

	for (i = 0; i < n; i++)
		w |= (uint32_t)slave_read(g) << (8 * i);
	mmio_vreg_set(g->m, GMBUS3, w);
	g->left = (uint16_t)(g->left - n);
	g->done = (uint16_t)(g->done + n);
	g->loaded = true;
	g->events |= GMBUS_HW_RDY_EN;
}

/* A write: the next up to 4 bytes of `w` onto the bus (left > 0). */
static void send_word(struct vgpu_gmbus *g, uint32_t w, bool first)
{
	unsigned n = word_bytes(g), i;

	for (i = 0; i < n; i++)
		slave_write(g, (uint8_t)(w >> (8 * i)), first && i == 0);
	g->left = (uint16_t)(g->left - n);
	g->done = (uint16_t)(g->done + n);
	g->events |= GMBUS_HW_RDY_EN;
	if (g->left == 0)
		data_done(g);
}

/* GMBUS1 written with SW_RDY (and without SW_CLR_INT). */
static void start_cycle(struct vgpu_gmbus *g, uint32_t cmd)
{
	unsigned cycle = (cmd >> GMBUS_CYCLE_SHIFT) & 0x7u;
	unsigned addr = (cmd >> GMBUS_SLAVE_ADDR_SHIFT) & 0x7fu;
	bool rd = cmd & GMBUS_SLAVE_READ, first = true;
	uint32_t idx = reg(g, GMBUS5);

	if (cycle == 0)
		return;
	if (reg(g, GMBUS2) & GMBUS_SATOER) {
		log_guest(LOG_INFO,
			  "gmbus: cycle %u started before the NAK was "
			  "cleared: ignored",
			  cycle);
		return;
	}
	if (cycle == GMBUS_CYCLE_STOP) {
		if (g->phase != PHASE_IDLE)
			end_transaction(g);
		return;
	}
	if (!(cycle & GMBUS_CYCLE_WAIT)) {
		log_guest(LOG_INFO, "gmbus: reserved cycle %u: ignored", cycle);
		return;
	}
	/* START (or a repeated START) and the address. */
	g->slave = slave_at(g, addr);
	if (g->slave == SLAVE_NONE || (rd && g->slave == SLAVE_SEGMENT)) {
		nak(g);
		return;
	}
	g->phase = PHASE_DATA;
	g->read = rd;
	g->stop = cycle & GMBUS_CYCLE_STOP;
	g->loaded = false;
	g->left =
	    (uint16_t)((cmd >> GMBUS_BYTE_COUNT_SHIFT) & GMBUS_COUNT_MASK);
	g->done = 0;
	if (cycle & GMBUS_CYCLE_INDEX) {
		if (idx & GMBUS_2BYTE_INDEX_EN) {
			slave_write(g, (uint8_t)(idx >> 8), true);
			slave_write(g, (uint8_t)idx, false);
		} else {
			slave_write(
			    g, (uint8_t)(cmd >> GMBUS_SLAVE_INDEX_SHIFT), true);
		}
		first = false;
	}
	if (g->left == 0)
		data_done(g);
	else if (rd)
		load_word(g);
	else
		send_word(g, reg(g, GMBUS3), first);
}

/* ---- registers ----------------------------------------------------------- */

static void gmbus0_write(const struct mmio_ctx *c, uint32_t val, uint32_t be)
{
	struct vgpu_gmbus *g = c->state;
	uint32_t old = mmio_ctx_get(c), before = found(g);

	mmio_store(c, val, be);
	if (g->phase != PHASE_IDLE &&
	    ((old ^ mmio_ctx_get(c)) & GMBUS_PIN_MASK)) {
		log_guest(LOG_INFO, "gmbus: pin changed during a transaction");
		end_transaction(g);
		settle(g, before, 0);
	}
}

/*
 * SW_CLR_INT resets the controller (the transaction dropped, SATOER and
 * INT cleared) and holds it there while it stays set; otherwise SW_RDY
 * starts a cycle.  SW_RDY is a strobe: it never reads back set.
 */
static void gmbus1_write(const struct mmio_ctx *c, uint32_t val, uint32_t be)
{
	struct vgpu_gmbus *g = c->state;
	uint32_t cmd, before = found(g);

	mmio_store(c, val, be);
	cmd = mmio_ctx_get(c);
	mmio_ctx_set(c, cmd & ~GMBUS_SW_RDY);
	if (cmd & GMBUS_SW_CLR_INT) {
		end_transaction(g);
		g->done = 0;
		g->events |= GMBUS_HW_RDY_EN;
		mmio_vreg_set(g->m, GMBUS2,
			      reg(g, GMBUS2) & ~(GMBUS_SATOER | GMBUS_INT));
	} else if (cmd & GMBUS_SW_RDY) {
		start_cycle(g, cmd);
	}
	settle(g, before, 0);
}

/* A read returns the status and takes the semaphore if it was free. */
static uint32_t gmbus2_read(const struct mmio_ctx *c)
{
	uint32_t v = mmio_ctx_get(c);

	mmio_ctx_set(c, v | GMBUS_INUSE);
	return v;
}

/* Writing INUSE releases the semaphore; every other bit is status. */
static void gmbus2_write(const struct mmio_ctx *c, uint32_t val, uint32_t be)
{
	if (val & be & GMBUS_INUSE)
		mmio_ctx_set(c, mmio_ctx_get(c) & ~GMBUS_INUSE);
}

/*
 * During a read the word loaded is returned and the next one loaded (or
 * the data phase ends); otherwise GMBUS3 reads what it holds, changing
 * nothing.
 */
static uint32_t gmbus3_read(const struct mmio_ctx *c)
{
	struct vgpu_gmbus *g = c->state;
	uint32_t v = mmio_ctx_get(c);

	if (g->phase == PHASE_DATA && g->read && g->loaded) {
		uint32_t before = found(g);

		g->loaded = false;
		if (g->left)
			load_word(g);
		else
			data_done(g);
		settle(g, before, 0);
	}
	return v;
}

/*
 * Stored (the first word of a write is there before its cycle starts);
 * during a write's data phase each write sends the next word.  A read's
 * data phase keeps the word it loaded.
 */
static void gmbus3_write(const struct mmio_ctx *c, uint32_t val, uint32_t be)
{
	struct vgpu_gmbus *g = c->state;

	if (g->phase == PHASE_DATA && g->read) {
		log_guest(LOG_INFO, "gmbus: GMBUS3 written during a read");
		return;
	}
	mmio_store(c, val, be);
	if (g->phase == PHASE_DATA) {
		uint32_t before = found(g);

		send_word(g, mmio_ctx_get(c), false);
		settle(g, before, 0);
	}
}

static void gmbus4_write(const struct mmio_ctx *c, uint32_t val, uint32_t be)
{
	struct vgpu_gmbus *g = c->state;
	uint32_t old = mmio_ctx_get(c), before = found(g);

	mmio_store(c, val, be);
	settle(g, before, mmio_ctx_get(c) & ~old);
}

/* clang-format off */
static const struct mmio_reg gmbus_regs[] = {
	{.offset = GMBUS0, .size = 4, .write = gmbus0_write, .name = "GMBUS0"},
	{.offset = GMBUS1, .size = 4, .write = gmbus1_write, .name = "GMBUS1"},
	{.offset = GMBUS2, .size = 4, .reset = GMBUS_HW_RDY, .ro_mask = ~0u,
	 .read = gmbus2_read, .write = gmbus2_write, .name = "GMBUS2"},
	{.offset = GMBUS3, .size = 4, .read = gmbus3_read,
	 .write = gmbus3_write, .name = "GMBUS3"},
	{.offset = GMBUS4, .size = 4, .write = gmbus4_write, .name = "GMBUS4"},
	{.offset = GMBUS5, .size = 4, .name = "GMBUS5"},
};
/* clang-format on */

/* ---- lifecycle ----------------------------------------------------------- */

static int gmbus_init(struct vgpu *v, void *state)
{
	struct vgpu_gmbus *g = state;

	g->m = vgpu_regs(v);
	g->irq = vgpu_block_state(v, &vgpu_irq_block);
	g->mon = vgpu_block_state(v, &vgpu_monitor_block);
	return g->irq && g->mon ? 0 : -EINVAL;
}

/* The registers are at reset already: idle, GMBUS4 0. */
static void gmbus_reset(void *state)
{
	struct vgpu_gmbus *g = state;

	end_transaction(g);
	g->done = 0;
	g->offset = 0;
	g->events = 0;
}

/*
 * Stream, version 1: u8 version, u8 phase, u8 slave, u8 read, u8 stop,
 * u8 loaded, u32 bytes left, u32 bytes done, u8 offset, u8 segment.
 */
#define GMBUS_SAVE_VERSION 1

static void gmbus_save(const void *state, struct blob_w *w)
{
	const struct vgpu_gmbus *g = state;

	blob_put_u8(w, GMBUS_SAVE_VERSION);
	blob_put_u8(w, g->phase);
	blob_put_u8(w, g->slave);
	blob_put_u8(w, g->read);
	blob_put_u8(w, g->stop);
	blob_put_u8(w, g->loaded);
	blob_put_u32(w, g->left);
	blob_put_u32(w, g->done);
	blob_put_u8(w, g->offset);
	blob_put_u8(w, g->segment);
}

/*
 * Only a state the controller can be in between two accesses loads: idle
 * with nothing pending and the segment at 0; a cycle's data phase with a
 * word loaded (read) or bytes still to send (write); the WAIT phase with
 * nothing left; and no NAK latched while a transaction is open.
 */
static bool loadable(const struct vgpu_gmbus *t, uint8_t read, uint8_t stop,
		     uint8_t loaded, uint32_t left, uint32_t done,
		     uint32_t gmbus2)
{
	if (t->phase > PHASE_WAIT || t->slave > SLAVE_SEGMENT || read > 1 ||
	    stop > 1 || loaded > 1 || left > VGPU_GMBUS_BYTE_COUNT_MAX ||
	    done > VGPU_GMBUS_BYTE_COUNT_MAX ||
	    left + done > VGPU_GMBUS_BYTE_COUNT_MAX)
		return false;
	switch (t->phase) {
	case PHASE_IDLE:
		return t->slave == SLAVE_NONE && !read && !stop && !loaded &&
		       left == 0 && t->segment == 0;
	case PHASE_DATA:
		if (t->slave == SLAVE_NONE || (gmbus2 & GMBUS_SATOER))
			return false;
		if (read)
			return t->slave == SLAVE_DDC && loaded && done > 0;
		return !loaded && left > 0;
	default: /* PHASE_WAIT */
		return t->slave != SLAVE_NONE && !(gmbus2 & GMBUS_SATOER) &&
		       (!read || t->slave == SLAVE_DDC) && !stop && !loaded &&
		       left == 0;
	}
}

static int gmbus_load(void *state, struct blob_r *r)
{
	struct vgpu_gmbus *g = state, t = *g;
	uint8_t version, read, stop, loaded;
	uint32_t left, done;

	version = blob_get_u8(r);
	t.phase = blob_get_u8(r);
	t.slave = blob_get_u8(r);
	read = blob_get_u8(r);
	stop = blob_get_u8(r);
	loaded = blob_get_u8(r);
	left = blob_get_u32(r);
	done = blob_get_u32(r);
	t.offset = blob_get_u8(r);
	t.segment = blob_get_u8(r);
	if (r->failed || version != GMBUS_SAVE_VERSION ||
	    !loadable(&t, read, stop, loaded, left, done, reg(g, GMBUS2))) {
		blob_r_fail(r);
		return -EINVAL;
	}
	t.read = read;
	t.stop = stop;
	t.loaded = loaded;
	t.left = (uint16_t)left;
	t.done = (uint16_t)done;
	*g = t;
	/* No cycle left in flight; the status follows the transaction. */
	mmio_vreg_set(g->m, GMBUS1, reg(g, GMBUS1) & ~GMBUS_SW_RDY);
	mmio_vreg_set(g->m, GMBUS2, status(g));
	return 0;
}

const struct vgpu_block vgpu_gmbus_block = {
    .name = "gmbus",
    VGPU_REGS(gmbus_regs),
    .state_size = sizeof(struct vgpu_gmbus),
    .init = gmbus_init,
    .reset = gmbus_reset,
    .save = gmbus_save,
    .load = gmbus_load,
};
