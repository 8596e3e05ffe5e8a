/* SPDX-License-Identifier: MIT */
/*
 * test_gmbus.c - the PCH GMBUS controller as i915 6.1 drives it: the
 * monitor's EDID read on pin D the way do_gmbus_xfer runs drm's I2C
 * messages (the index read of block 0, the E-DDC segment for blocks 2
 * and 3), NAKs where nothing answers and the driver's recovery, the
 * status bits step by step, byte counts at their limits, the interrupt,
 * garbage, reset and save/load in the middle of a read.
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>

#include "vgpu/tests/test_util.h"
#include "util/blob.h"
#include "vgpu/block.h"
#include "vgpu/display/edid.h"
#include "vgpu/display/gmbus.h"
#include "vgpu/display/monitor.h"

#define GMBUS0 0xc5100u
#define GMBUS1 0xc5104u
#define GMBUS2 0xc5108u
#define GMBUS3 0xc510cu
#define GMBUS4 0xc5110u
#define GMBUS5 0xc5120u
#define SW_CLR_INT (1u << 31)
#define SW_RDY (1u << 30)
#define CYCLE_WAIT (1u << 25)
#define CYCLE_INDEX (2u << 25)
#define CYCLE_STOP (4u << 25)
#define READ 1u
#define INUSE (1u << 15)
#define HW_WAIT (1u << 14)
#define INT (1u << 12)
#define HW_RDY (1u << 11)
#define SATOER (1u << 10)
#define ACTIVE (1u << 9)
#define COUNT 0x1ffu
#define HW_RDY_EN (1u << 0)
#define HW_WAIT_EN (1u << 1)
#define IDLE_EN (1u << 2)
#define NAK_EN (1u << 3)
#define INDEX_2BYTE (1u << 31)
#define SDEIMR 0xc4004u
#define SDEIIR 0xc4008u
#define SDEIER 0xc400cu
#define SDE_GMBUS (1u << 17) /* SDE_GMBUS_CPT */
#define PIN_D VGPU_GMBUS_PIN_DPD

static struct fake_host fh;
static struct vgpu *v;

static uint32_t rd(uint32_t off)
{
	return (uint32_t)mmio_read(vgpu_regs(v), off, 4);
}

static void wr(uint32_t off, uint32_t val)
{
	mmio_write(vgpu_regs(v), off, 4, val);
}

/*
 * GMBUS2 without the semaphore (every read takes it) and INT (latched
 * until SW_CLR_INT; the interrupt test looks at it).
 */
static uint32_t status(void)
{
	return rd(GMBUS2) & ~(INUSE | INT);
}

static struct vgpu_monitor *monitor(void)
{
	return vgpu_block_state(v, &vgpu_monitor_block);
}

static const uint8_t *edid(size_t *len)
{
	return vgpu_monitor_edid(monitor(), len);
}

static void setup(void)
{
	struct vgpu_config cfg;

	fake_host_init(&fh);
	vgpu_config_default(&cfg);
	ck_assert_int_eq(vgpu_create(&cfg, &fh.host, &v), 0);
}

static void teardown(void)
{
	vgpu_destroy(v);
	v = NULL;
}

/* ---- the driver's side, in intel_gmbus.c's order ------------------------ */

/*
 * gmbus_wait: GMBUS4 holds the one enable while GMBUS2 is polled.  The
 * vGPU never makes the driver wait, so one read decides: -ENXIO on a NAK,
 * 0 once `bit` is set, -ETIMEDOUT (the bit-banging fallback) otherwise.
 */
static int gwait(uint32_t bit, uint32_t en)
{
	uint32_t st;

	wr(GMBUS4, en);
	st = rd(GMBUS2);
	wr(GMBUS4, 0);
	if (st & SATOER)
		return -ENXIO;
	return (st & bit) ? 0 : -ETIMEDOUT;
}

static int gwait_idle(void)
{
	uint32_t st;

	wr(GMBUS4, IDLE_EN);
	st = rd(GMBUS2);
	wr(GMBUS4, 0);
	return (st & ACTIVE) ? -ETIMEDOUT : 0;
}

/* gmbus_xfer_read: chunks of at most 511 bytes (no burst read on SKL). */
static int xread(uint8_t addr, uint8_t *buf, unsigned len, uint32_t index)
{
	do {
		unsigned n = len < 511 ? len : 511, left = n, k;

		wr(GMBUS1, index | CYCLE_WAIT | (n << 16) |
			       ((uint32_t)addr << 1) | READ | SW_RDY);
		while (left) {
			int rc = gwait(HW_RDY, HW_RDY_EN);
			uint32_t val;

			if (rc)
				return rc;
			val = rd(GMBUS3);
			for (k = 0; k < 4 && left; k++, left--) {
				*buf++ = (uint8_t)val;
				val >>= 8;
			}
		}
		len -= n;
	} while (len);
	return 0;
}

static uint32_t pack(const uint8_t **buf, unsigned *left)
{
	uint32_t val = 0;
	unsigned k;

	for (k = 0; k < 4 && *left; k++, (*left)--)
		val |= (uint32_t) * (*buf)++ << (8 * k);
	return val;
}

/* gmbus_xfer_write: the first word in GMBUS3 before the cycle starts. */
static int xwrite(uint8_t addr, const uint8_t *buf, unsigned len,
		  uint32_t index)
{
	do {
		unsigned n = len < 511 ? len : 511, left = n;

		wr(GMBUS3, pack(&buf, &left));
		wr(GMBUS1, index | CYCLE_WAIT | (n << 16) |
			       ((uint32_t)addr << 1) | SW_RDY);
		while (left) {
			int rc;

			wr(GMBUS3, pack(&buf, &left));
			rc = gwait(HW_RDY, HW_RDY_EN);
			if (rc)
				return rc;
		}
		len -= n;
	} while (len);
	return 0;
}

struct msg {
	uint8_t addr;
	bool read;
	unsigned len;
	uint8_t *buf;
};

/*
 * do_gmbus_xfer (without its one retry after a NAK on the first
 * message): a 1-2 byte write followed by a message to the same address
 * becomes one INDEX cycle; each message ends in the WAIT phase; a STOP
 * cycle and the wait for idle end the transfer; after a NAK, the wait
 * for idle and the SW_CLR_INT toggle.  The number of messages, -ENXIO,
 * or -ETIMEDOUT / -EAGAIN (which i915 would turn into bit banging).
 */
static int xfer(unsigned pin, struct msg *m, int num)
{
	int i, inc, rc = 0;

	wr(GMBUS0, pin); /* GMBUS_RATE_100KHZ */
	for (i = 0; i < num; i += inc) {
		inc = 1;
		if (i + 1 < num && m[i].addr == m[i + 1].addr && !m[i].read &&
		    (m[i].len == 1 || m[i].len == 2) && m[i + 1].len > 0) {
			uint32_t index = 0, g5 = 0;

			if (m[i].len == 2)
				g5 = INDEX_2BYTE | m[i].buf[1] |
				     ((uint32_t)m[i].buf[0] << 8);
			else
				index =
				    CYCLE_INDEX | ((uint32_t)m[i].buf[0] << 8);
			if (g5)
				wr(GMBUS5, g5);
			rc = m[i + 1].read ? xread(m[i + 1].addr, m[i + 1].buf,
						   m[i + 1].len, index)
					   : xwrite(m[i + 1].addr, m[i + 1].buf,
						    m[i + 1].len, index);
			if (g5)
				wr(GMBUS5, 0);
			inc = 2;
		} else if (m[i].read) {
			rc = xread(m[i].addr, m[i].buf, m[i].len, 0);
		} else {
			rc = xwrite(m[i].addr, m[i].buf, m[i].len, 0);
		}
		if (!rc)
			rc = gwait(HW_WAIT, HW_WAIT_EN);
		if (rc)
			break;
	}
	if (!rc) {
		wr(GMBUS1, CYCLE_STOP | SW_RDY);
		rc = gwait_idle() ? -ETIMEDOUT : num;
		wr(GMBUS0, 0);
		return rc;
	}
	if (rc == -ETIMEDOUT) {
		wr(GMBUS0, 0);
		return -EAGAIN;
	}
	rc = gwait_idle() ? -ETIMEDOUT : -ENXIO;
	wr(GMBUS1, SW_CLR_INT);
	wr(GMBUS1, 0);
	wr(GMBUS0, 0);
	return rc;
}

/* drm_do_probe_ddc_edid: the segment pointer only for blocks 2 and up. */
static int probe_ddc_edid(unsigned pin, unsigned block, uint8_t *buf,
			  unsigned len)
{
	uint8_t start = (uint8_t)(block * EDID_BLOCK);
	uint8_t segment = (uint8_t)(block >> 1);
	struct msg m[3] = {
	    {0x30, false, 1, &segment},
	    {0x50, false, 1, &start},
	    {0x50, true, len, buf},
	};
	int n = segment ? 3 : 2;

	return xfer(pin, &m[3 - n], n) == n ? 0 : -1;
}

/* drm_do_get_edid: block 0, then each extension block it announces. */
static size_t get_edid(uint8_t *out)
{
	unsigned i, n;

	if (probe_ddc_edid(PIN_D, 0, out, EDID_BLOCK) < 0)
		return 0;
	n = out[126];
	for (i = 1; i <= n && i < EDID_MAX_BLOCKS; i++)
		if (probe_ddc_edid(PIN_D, i, out + i * EDID_BLOCK, EDID_BLOCK) <
		    0)
			return 0;
	return (size_t)i * EDID_BLOCK;
}

/* An index read of n (<= 4) bytes at offset off; the word it loads. */
static void start_read(unsigned n, unsigned off, uint32_t cycle)
{
	wr(GMBUS1,
	   SW_RDY | cycle | (n << 16) | (off << 8) | (0x50u << 1) | READ);
}

static uint32_t word(const uint8_t *e, unsigned off)
{
	return (uint32_t)e[off] | (uint32_t)e[off + 1] << 8 |
	       (uint32_t)e[off + 2] << 16 | (uint32_t)e[off + 3] << 24;
}

/* A valid 4-block EDID: the built base block and 3 patterned ones. */
static void build_edid4(uint8_t *e)
{
	struct edid_mode m;
	unsigned b, i, sum;

	ck_assert_int_eq(edid_parse_mode("1280x1024", &m), 0);
	ck_assert_int_eq(edid_build(e, &m, 7), 0);
	e[126] = 3;
	for (b = 1; b < 4; b++)
		for (i = 0; i < EDID_BLOCK; i++)
			e[b * EDID_BLOCK + i] = (uint8_t)(b * 37 + i * 3);
	for (b = 0; b < 4; b++) {
		for (sum = 0, i = 0; i < EDID_BLOCK - 1; i++)
			sum += e[b * EDID_BLOCK + i];
		e[b * EDID_BLOCK + 127] = (uint8_t)(0x100 - (sum & 0xff));
	}
}

/* ---- tests -------------------------------------------------------------- */

/* i2c_transfer [write 0 to 0x50, read 128 from 0x50]: one index read. */
START_TEST(edid_as_i915_reads_it)
{
	uint8_t got[EDID_BLOCK];
	size_t len;
	const uint8_t *e = edid(&len);

	ck_assert_uint_eq(status(), HW_RDY);
	ck_assert_int_eq(probe_ddc_edid(PIN_D, 0, got, sizeof(got)), 0);
	ck_assert_uint_eq(len, EDID_BLOCK);
	ck_assert_mem_eq(got, e, EDID_BLOCK);
	/* after the STOP: idle, no NAK; SW_RDY never reads back; INT
	 * stays from the waits' interrupts */
	ck_assert_uint_eq(status() & ~COUNT, HW_RDY);
	ck_assert_uint_eq(rd(GMBUS2) & INT, INT);
	ck_assert_uint_eq(rd(GMBUS1) & SW_RDY, 0);
	/* again, with the rate at 400 kHz: the same bytes */
	memset(got, 0, sizeof(got));
	ck_assert_int_eq(probe_ddc_edid(PIN_D | (2u << 8), 0, got, 128), 0);
	ck_assert_mem_eq(got, e, EDID_BLOCK);
	/* drm_do_get_edid: no extension announced, one block */
	ck_assert_uint_eq(get_edid(got), EDID_BLOCK);
}
END_TEST

/* Blocks 2 and 3 sit in E-DDC segment 1: the pointer at 0x30 first. */
START_TEST(edid_extensions_through_the_segment)
{
	uint8_t e[512], got[512], b0[EDID_BLOCK];

	build_edid4(e);
	ck_assert_int_eq(vgpu_monitor_plug(monitor(), e, sizeof(e)), 0);
	ck_assert_uint_eq(get_edid(got), 512);
	ck_assert_mem_eq(got, e, 512);
	/* the STOP reset the segment: a plain read at 0 is block 0 again */
	ck_assert_int_eq(probe_ddc_edid(PIN_D, 0, b0, sizeof(b0)), 0);
	ck_assert_mem_eq(b0, e, EDID_BLOCK);
	/* segment 2 holds nothing: 0xff */
	ck_assert_int_eq(probe_ddc_edid(PIN_D, 4, b0, sizeof(b0)), 0);
	for (unsigned i = 0; i < EDID_BLOCK; i++)
		ck_assert_uint_eq(b0[i], 0xff);
	/* a 2-byte index (GMBUS5): the first byte is the EEPROM's offset */
	{
		uint8_t idx[2] = {0x80, 0x00}, out[16];
		struct msg m[2] = {{0x50, false, 2, idx},
				   {0x50, true, 16, out}};

		ck_assert_int_eq(xfer(PIN_D, m, 2), 2);
		ck_assert_mem_eq(out, e + 0x80, 16);
		ck_assert_uint_eq(rd(GMBUS5), 0);
	}
	/* a write of several bytes: only the first sets the offset */
	{
		uint8_t w[6] = {0x10, 1, 2, 3, 4, 5}, out[8];
		struct msg m[2] = {{0x50, false, 6, w}, {0x50, true, 8, out}};

		ck_assert_int_eq(xfer(PIN_D, m, 2), 2);
		ck_assert_mem_eq(out, e + 0x10, 8);
	}
}
END_TEST

/* Everywhere nothing answers, each message is a clean NAK: -ENXIO. */
START_TEST(nak_where_nothing_answers)
{
	static const uint8_t addrs[] = {0x00, 0x37, 0x3a, 0x40, 0x51, 0x7f};
	uint8_t buf[EDID_BLOCK], b = 0;
	unsigned pin, i;

	for (pin = 0; pin < 8; pin++) {
		struct msg m = {0x50, true, 1, buf};

		if (pin == PIN_D)
			continue;
		ck_assert_int_eq(xfer(pin, &m, 1), -ENXIO);
		ck_assert_int_eq(probe_ddc_edid(pin, 0, buf, 128), -1);
		ck_assert_uint_eq(status(), HW_RDY);
	}
	for (i = 0; i < sizeof(addrs); i++) {
		struct msg r = {addrs[i], true, 1, buf};
		struct msg w = {addrs[i], false, 1, &b};

		ck_assert_int_eq(xfer(PIN_D, &r, 1), -ENXIO);
		ck_assert_int_eq(xfer(PIN_D, &w, 1), -ENXIO);
	}
	/* the segment pointer takes writes only */
	{
		struct msg r = {0x30, true, 1, buf}, w = {0x30, false, 1, &b};

		ck_assert_int_eq(xfer(PIN_D, &r, 1), -ENXIO);
		ck_assert_int_eq(xfer(PIN_D, &w, 1), 1);
	}
	/* unplugged, pin D is as empty as the others; plugged back, not */
	vgpu_monitor_unplug(monitor());
	ck_assert_int_eq(probe_ddc_edid(PIN_D, 0, buf, 128), -1);
	ck_assert_uint_eq(status(), HW_RDY);
	ck_assert_int_eq(vgpu_monitor_plug(monitor(), NULL, 0), 0);
	ck_assert_int_eq(probe_ddc_edid(PIN_D, 0, buf, 128), 0);
}
END_TEST

/* One transaction register by register. */
START_TEST(status_step_by_step)
{
	size_t len;
	const uint8_t *e = edid(&len);

	/* INUSE: a read takes it, writing 1 gives it back */
	ck_assert_uint_eq(rd(GMBUS2), HW_RDY);
	ck_assert_uint_eq(rd(GMBUS2), HW_RDY | INUSE);
	wr(GMBUS2, INUSE | SATOER | ACTIVE); /* status bits are RO */
	ck_assert_uint_eq(rd(GMBUS2), HW_RDY);
	wr(GMBUS2, INUSE);

	wr(GMBUS0, PIN_D);
	/* 8 bytes from offset 8, ending in the WAIT phase */
	start_read(8, 8, CYCLE_INDEX | CYCLE_WAIT);
	ck_assert_uint_eq(status(), ACTIVE | HW_RDY | 4);
	ck_assert_uint_eq(rd(GMBUS3), word(e, 8));
	ck_assert_uint_eq(status(), ACTIVE | HW_RDY | 8);
	ck_assert_uint_eq(rd(GMBUS3), word(e, 12));
	ck_assert_uint_eq(status(), ACTIVE | HW_WAIT | 8);
	/* nothing more: GMBUS3 keeps its word, nothing changes */
	ck_assert_uint_eq(rd(GMBUS3), word(e, 12));
	ck_assert_uint_eq(status(), ACTIVE | HW_WAIT | 8);
	/* a repeated START without index: the offset went on to 16 */
	wr(GMBUS1, SW_RDY | CYCLE_WAIT | (4u << 16) | (0x50u << 1) | READ);
	ck_assert_uint_eq(status(), ACTIVE | HW_RDY | 4);
	ck_assert_uint_eq(rd(GMBUS3), word(e, 16));
	ck_assert_uint_eq(status(), ACTIVE | HW_WAIT | 4);
	/* STOP: idle; a STOP while idle does nothing */
	wr(GMBUS1, SW_RDY | CYCLE_STOP);
	ck_assert_uint_eq(status(), HW_RDY | 4);
	wr(GMBUS1, SW_RDY | CYCLE_STOP);
	ck_assert_uint_eq(status(), HW_RDY | 4);

	/* a 6-byte write: the first word is in GMBUS3 beforehand */
	wr(GMBUS3, 0x44332211u);
	wr(GMBUS1, SW_RDY | CYCLE_WAIT | (6u << 16) | (0x50u << 1));
	ck_assert_uint_eq(status(), ACTIVE | HW_RDY | 4);
	wr(GMBUS3, 0x6655u);
	ck_assert_uint_eq(status(), ACTIVE | HW_WAIT | HW_RDY | 6);
	/* the write set the offset to 0x11; read 1 byte, then a STOP */
	wr(GMBUS1,
	   SW_RDY | CYCLE_STOP | CYCLE_WAIT | (1u << 16) | (0x50u << 1) | READ);
	ck_assert_uint_eq(status(), ACTIVE | HW_RDY | 1);
	ck_assert_uint_eq(rd(GMBUS3), e[0x11]);
	ck_assert_uint_eq(status(), HW_RDY | 1);
	/* the EEPROM's offset survives the STOP: the next byte is 0x12 */
	start_read(1, 0, CYCLE_WAIT | CYCLE_STOP);
	ck_assert_uint_eq(rd(GMBUS3), e[0x12]);
	ck_assert_uint_eq(status(), HW_RDY | 1);
	/* an index write cycle: the index sets the offset, data ignored */
	wr(GMBUS3, 0xaabbccddu);
	wr(GMBUS1, SW_RDY | CYCLE_INDEX | CYCLE_WAIT | CYCLE_STOP | (4u << 16) |
		       (0x20u << 8) | (0x50u << 1));
	ck_assert_uint_eq(status(), HW_RDY | 4);
	start_read(4, 0, CYCLE_WAIT | CYCLE_STOP);
	ck_assert_uint_eq(rd(GMBUS3), word(e, 0x20));
	/* changing the pin mid-transaction ends it */
	start_read(4, 0, CYCLE_INDEX | CYCLE_WAIT);
	ck_assert_uint_eq(status() & ACTIVE, ACTIVE);
	wr(GMBUS0, PIN_D | (1u << 8)); /* the rate: no effect */
	ck_assert_uint_eq(status() & ACTIVE, ACTIVE);
	wr(GMBUS0, 5);
	ck_assert_uint_eq(status() & (ACTIVE | HW_WAIT | SATOER), 0);
}
END_TEST

/* What intel_gmbus.c does after SATOER, and what it must not need. */
START_TEST(nak_and_recovery)
{
	size_t len;
	const uint8_t *e = edid(&len);

	wr(GMBUS0, 5); /* DPB: nothing there */
	start_read(4, 0, CYCLE_INDEX | CYCLE_WAIT);
	ck_assert_uint_eq(status(), SATOER | HW_RDY);
	/* no cycle starts before the NAK is cleared, on any pin */
	wr(GMBUS0, PIN_D);
	start_read(4, 0, CYCLE_INDEX | CYCLE_WAIT);
	ck_assert_uint_eq(status(), SATOER | HW_RDY);
	wr(GMBUS1, SW_RDY); /* no cycle at all: nothing either */
	ck_assert_uint_eq(status(), SATOER | HW_RDY);
	/* clear_err: idle already; SW_CLR_INT holds the controller reset */
	ck_assert_int_eq(gwait_idle(), 0);
	wr(GMBUS1, SW_CLR_INT);
	ck_assert_uint_eq(status(), HW_RDY);
	ck_assert_uint_eq(rd(GMBUS1), SW_CLR_INT);
	wr(GMBUS1,
	   SW_CLR_INT | SW_RDY | CYCLE_WAIT | (4u << 16) | (0x50u << 1) | READ);
	ck_assert_uint_eq(status(), HW_RDY);
	wr(GMBUS1, 0);
	ck_assert_uint_eq(status(), HW_RDY);
	/* and the bus works again */
	start_read(4, 4, CYCLE_INDEX | CYCLE_WAIT | CYCLE_STOP);
	ck_assert_uint_eq(rd(GMBUS3), word(e, 4));
	ck_assert_uint_eq(status(), HW_RDY | 4);
	/* SW_CLR_INT in the middle of a read (of segment 1, past this
	 * 128-byte EDID: 0xff) drops the rest */
	wr(GMBUS3, 1);
	wr(GMBUS1, SW_RDY | CYCLE_WAIT | (1u << 16) | (0x30u << 1));
	start_read(128, 0, CYCLE_INDEX | CYCLE_WAIT);
	ck_assert_uint_eq(rd(GMBUS3), 0xffffffffu);
	wr(GMBUS1, SW_CLR_INT);
	wr(GMBUS1, 0);
	ck_assert_uint_eq(status(), HW_RDY);
	ck_assert_uint_eq(rd(GMBUS3), 0xffffffffu); /* the word loaded */
	ck_assert_uint_eq(status(), HW_RDY);	    /* ... and no more */
	/* the segment pointer went back to 0 with the reset */
	{
		uint8_t b0[EDID_BLOCK];

		ck_assert_int_eq(probe_ddc_edid(PIN_D, 0, b0, sizeof(b0)), 0);
		ck_assert_mem_eq(b0, e, EDID_BLOCK);
	}
}
END_TEST

static uint8_t expect_at(const uint8_t *e, unsigned k)
{
	/* a 128-byte EDID: the offset wraps at 256, 0xff past the end */
	return (k % 256) < EDID_BLOCK ? e[k % 256] : 0xff;
}

START_TEST(byte_counts_at_their_limits)
{
	static uint8_t buf[600];
	size_t len;
	const uint8_t *e = edid(&len);
	unsigned k;

	wr(GMBUS0, PIN_D);
	/* 0 bytes: the address alone, then the WAIT phase; GMBUS3 kept */
	wr(GMBUS3, 0xdeadbeefu);
	start_read(0, 0x40, CYCLE_INDEX | CYCLE_WAIT);
	ck_assert_uint_eq(status(), ACTIVE | HW_WAIT);
	ck_assert_uint_eq(rd(GMBUS3), 0xdeadbeefu);
	wr(GMBUS1, SW_RDY | CYCLE_WAIT | (0u << 16) | (0x50u << 1));
	ck_assert_uint_eq(status(), ACTIVE | HW_WAIT | HW_RDY);
	wr(GMBUS1, SW_RDY | CYCLE_STOP);
	ck_assert_uint_eq(status(), HW_RDY);
	/* the index of the 0-byte read set the offset */
	start_read(1, 0, CYCLE_WAIT | CYCLE_STOP);
	ck_assert_uint_eq(rd(GMBUS3), e[0x40]);

	/* the largest count, 511: EDID, 0xff, the EDID again (wrapped) */
	ck_assert_int_eq(xread(0x50, buf, 0, CYCLE_INDEX), 0);
	ck_assert_uint_eq(status(), ACTIVE | HW_WAIT);
	ck_assert_int_eq(xread(0x50, buf, 511, CYCLE_INDEX), 0);
	ck_assert_uint_eq(status(), ACTIVE | HW_WAIT | 511);
	for (k = 0; k < 511; k++)
		ck_assert_uint_eq(buf[k], expect_at(e, k));
	wr(GMBUS1, SW_RDY | CYCLE_STOP);
	/*
	 * More than 511: i915 splits it in chunks and gives each the same
	 * index, so the second chunk starts over at the index.
	 */
	{
		struct msg m[2] = {{0x50, false, 1, (uint8_t[]){0}},
				   {0x50, true, 600, buf}};

		memset(buf, 0, sizeof(buf));
		ck_assert_int_eq(xfer(PIN_D, m, 2), 2);
		for (k = 0; k < 600; k++)
			ck_assert_uint_eq(buf[k],
					  expect_at(e, k < 511 ? k : k - 511));
		/* without an index the second chunk carries on */
		memset(buf, 0, sizeof(buf));
		wr(GMBUS0, PIN_D);
		start_read(0, 0, CYCLE_INDEX | CYCLE_WAIT);
		ck_assert_int_eq(xread(0x50, buf, 600, 0), 0);
		wr(GMBUS1, SW_RDY | CYCLE_STOP);
		for (k = 0; k < 600; k++)
			ck_assert_uint_eq(buf[k], expect_at(e, k));
	}
	/* a read past the EDID: 0xff */
	{
		struct msg m[2] = {{0x50, false, 1, (uint8_t[]){0x7e}},
				   {0x50, true, 8, buf}};

		ck_assert_int_eq(xfer(PIN_D, m, 2), 2);
		ck_assert_uint_eq(buf[0], e[0x7e]);
		ck_assert_uint_eq(buf[1], e[0x7f]);
		for (k = 2; k < 8; k++)
			ck_assert_uint_eq(buf[k], 0xff);
	}
}
END_TEST

/* GMBUS4's conditions: INT and SDEIIR bit 17, as ibx_irq_postinstall
 * unmasks it on SPT. */
START_TEST(interrupt_when_enabled)
{
	uint8_t buf[EDID_BLOCK];

	wr(SDEIMR, ~SDE_GMBUS);
	wr(SDEIER, SDE_GMBUS);
	wr(GMBUS0, PIN_D);
	/* nothing enabled: a whole read raises nothing */
	start_read(8, 0, CYCLE_INDEX | CYCLE_WAIT | CYCLE_STOP);
	rd(GMBUS3);
	rd(GMBUS3);
	ck_assert_uint_eq(rd(GMBUS2) & (ACTIVE | INT), 0);
	ck_assert_uint_eq(rd(SDEIIR), 0);
	/* enabling HW_RDY while it holds (gmbus_wait's order) */
	wr(GMBUS4, HW_RDY_EN);
	ck_assert_uint_eq(rd(GMBUS2) & INT, INT);
	ck_assert_uint_eq(rd(SDEIIR), SDE_GMBUS);
	wr(SDEIIR, SDE_GMBUS);
	/* enabled before the cycle: every word loaded is an event */
	start_read(8, 0, CYCLE_INDEX | CYCLE_WAIT);
	ck_assert_uint_eq(rd(SDEIIR), SDE_GMBUS);
	wr(SDEIIR, SDE_GMBUS);
	rd(GMBUS3);
	ck_assert_uint_eq(rd(SDEIIR), SDE_GMBUS);
	wr(SDEIIR, SDE_GMBUS);
	/* the last word read: WAIT phase, HW_RDY low, no HW_RDY event */
	rd(GMBUS3);
	ck_assert_uint_eq(rd(SDEIIR), 0);
	/* HW_WAIT enabled while in the WAIT phase; then IDLE at the STOP */
	wr(GMBUS4, HW_WAIT_EN);
	ck_assert_uint_eq(rd(SDEIIR), SDE_GMBUS);
	wr(SDEIIR, SDE_GMBUS);
	wr(GMBUS4, IDLE_EN);
	ck_assert_uint_eq(rd(SDEIIR), 0); /* not idle yet */
	wr(GMBUS1, SW_RDY | CYCLE_STOP);
	ck_assert_uint_eq(rd(SDEIIR), SDE_GMBUS);
	wr(SDEIIR, SDE_GMBUS);
	/* a NAK */
	wr(GMBUS4, NAK_EN);
	wr(GMBUS0, 4);
	start_read(1, 0, CYCLE_WAIT);
	ck_assert_uint_eq(rd(SDEIIR), SDE_GMBUS);
	wr(SDEIIR, SDE_GMBUS);
	/* SW_CLR_INT clears INT (and the NAK) */
	wr(GMBUS4, 0);
	ck_assert_uint_eq(rd(GMBUS2) & (INT | SATOER), INT | SATOER);
	wr(GMBUS1, SW_CLR_INT);
	wr(GMBUS1, 0);
	ck_assert_uint_eq(rd(GMBUS2) & (INT | SATOER), 0);
	/* i915's whole EDID read: one interrupt per wait at least */
	ck_assert_int_eq(probe_ddc_edid(PIN_D, 0, buf, sizeof(buf)), 0);
	ck_assert_uint_eq(rd(SDEIIR), SDE_GMBUS);
	/* masked in SDEIMR: nothing latched */
	wr(SDEIIR, SDE_GMBUS);
	wr(SDEIMR, ~0u);
	ck_assert_int_eq(probe_ddc_edid(PIN_D, 0, buf, sizeof(buf)), 0);
	ck_assert_uint_eq(rd(SDEIIR), 0);
}
END_TEST

static uint32_t lcg(uint32_t *s)
{
	*s = *s * 1103515245u + 12345u;
	return *s >> 8 ^ *s << 13;
}

/* Whatever a guest writes, the controller stays in a state it can be
 * in, and i915's recovery brings the EDID back. */
START_TEST(garbage_never_hurts)
{
	static const uint32_t regs[] = {GMBUS0, GMBUS1, GMBUS2,
					GMBUS3, GMBUS4, GMBUS5};
	uint8_t got[EDID_BLOCK];
	size_t len;
	const uint8_t *e = edid(&len);
	uint32_t s = 0x1234u, st;
	unsigned i;

	/* GMBUS3 with no transaction: what it holds, no side effect */
	wr(GMBUS3, 0x12345678u);
	ck_assert_uint_eq(rd(GMBUS3), 0x12345678u);
	ck_assert_uint_eq(rd(GMBUS3), 0x12345678u);
	ck_assert_uint_eq(status(), HW_RDY);
	/* reserved cycles 2 and 6 start nothing */
	wr(GMBUS0, PIN_D);
	start_read(4, 0, CYCLE_INDEX);
	ck_assert_uint_eq(status(), HW_RDY);
	start_read(4, 0, CYCLE_INDEX | CYCLE_STOP);
	ck_assert_uint_eq(status(), HW_RDY);

	for (i = 0; i < 50000; i++) {
		uint32_t r = lcg(&s), val = lcg(&s);
		uint32_t off = regs[r % 6];

		switch ((r >> 4) % 8) {
		case 0: /* mostly pin D, to get past the address */
			wr(GMBUS0, (val & 1) ? PIN_D : val);
			break;
		case 1:
		case 2:
			wr(GMBUS1, val | ((r & 0x100) ? SW_RDY : 0));
			break;
		case 3:
			rd(off);
			break;
		case 4:
			wr(off, val);
			break;
		case 5: /* narrow, unaligned, across two registers */
			mmio_write(vgpu_regs(v), off + (val & 3), 1 << (r & 3),
				   (uint64_t)val << 32 | lcg(&s));
			break;
		case 6:
			mmio_read(vgpu_regs(v), off + (val & 3), 1 << (r & 3));
			break;
		default:
			if (val % 64 == 0)
				vgpu_monitor_unplug(monitor());
			else if (val % 64 == 1)
				vgpu_monitor_plug(monitor(), NULL, 0);
			else
				rd(GMBUS3);
			break;
		}
		st = rd(GMBUS2);
		ck_assert(!((st & ACTIVE) && (st & SATOER)));
		ck_assert(!(st & HW_WAIT) || (st & ACTIVE));
		ck_assert_uint_eq(rd(GMBUS1) & SW_RDY, 0);
	}
	/* i915 after a timeout or a NAK: reset, release, plain registers */
	wr(GMBUS1, SW_CLR_INT);
	wr(GMBUS1, 0);
	wr(GMBUS4, 0);
	wr(GMBUS5, 0);
	ck_assert_int_eq(vgpu_monitor_plug(monitor(), NULL, 0), 0);
	ck_assert_uint_eq(status(), HW_RDY);
	ck_assert_int_eq(probe_ddc_edid(PIN_D, 0, got, sizeof(got)), 0);
	ck_assert_mem_eq(got, e, EDID_BLOCK);
}
END_TEST

/* A device reset in the middle of a read: idle, offset and segment 0. */
START_TEST(reset_ends_the_transaction)
{
	size_t len;
	const uint8_t *e = edid(&len);

	wr(GMBUS0, PIN_D);
	start_read(64, 0x30, CYCLE_INDEX | CYCLE_WAIT);
	rd(GMBUS3);
	wr(GMBUS4, IDLE_EN);
	vgpu_reset(v);
	ck_assert_uint_eq(rd(GMBUS2), HW_RDY);
	ck_assert_uint_eq(rd(GMBUS0) | rd(GMBUS3) | rd(GMBUS4), 0);
	wr(GMBUS0, PIN_D);
	start_read(4, 0, CYCLE_WAIT | CYCLE_STOP); /* no index */
	ck_assert_uint_eq(rd(GMBUS3), word(e, 0));
}
END_TEST

/* The gmbus block's bytes inside a saved stream. */
static uint8_t *gmbus_body(struct blob_w *w, uint32_t *len)
{
	static const uint8_t name[] = {5, 0, 0, 0, 'g', 'm', 'b', 'u', 's'};
	size_t i;

	for (i = 0; i + sizeof(name) + 4 <= w->len; i++)
		if (!memcmp(w->buf + i, name, sizeof(name))) {
			uint8_t *p = w->buf + i + sizeof(name);

			*len = (uint32_t)p[0] | (uint32_t)p[1] << 8 |
			       (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
			return p + 4;
		}
	return NULL;
}

static void read_rest(uint8_t *out, unsigned n)
{
	unsigned k;

	for (k = 0; k < n; k += 4) {
		uint32_t val;
		unsigned i;

		ck_assert_int_eq(gwait(HW_RDY, HW_RDY_EN), 0);
		val = rd(GMBUS3);
		for (i = 0; i < 4; i++)
			out[k + i] = (uint8_t)(val >> (8 * i));
	}
}

START_TEST(save_load_mid_read)
{
	uint8_t e4[512], first[64], again[64];
	struct blob_w w;
	struct vgpu *other;
	static struct fake_host fh2; /* big: not on the stack */
	struct vgpu_config cfg;
	uint8_t *body, saved;
	uint32_t blen, st;

	/* a read of segment 1 (blocks 2-3), saved after 5 words */
	build_edid4(e4);
	ck_assert_int_eq(vgpu_monitor_plug(monitor(), e4, sizeof(e4)), 0);
	wr(GMBUS0, PIN_D);
	wr(GMBUS3, 1);
	wr(GMBUS1, SW_RDY | CYCLE_WAIT | (1u << 16) | (0x30u << 1));
	start_read(84, 0x10, CYCLE_INDEX | CYCLE_WAIT);
	read_rest(first, 20);
	st = rd(GMBUS2);
	blob_w_init(&w);
	ck_assert_int_eq(vgpu_save(v, &w), 0);
	read_rest(first, 64);
	ck_assert_mem_eq(first, e4 + 256 + 0x10 + 20, 64);
	ck_assert_uint_eq(status(), ACTIVE | HW_WAIT | 84);
	/* back to the saved point: the same remaining bytes */
	ck_assert_int_eq(vgpu_load(v, w.buf, w.len), 0);
	ck_assert_uint_eq(rd(GMBUS2), st);
	read_rest(again, 64);
	ck_assert_mem_eq(again, first, 64);
	ck_assert_uint_eq(status(), ACTIVE | HW_WAIT | 84);
	/* and in another vGPU (plugged with the same EDID by the stream) */
	fake_host_init(&fh2);
	vgpu_config_default(&cfg);
	ck_assert_int_eq(vgpu_create(&cfg, &fh2.host, &other), 0);
	ck_assert_int_eq(vgpu_load(other, w.buf, w.len), 0);
	{
		struct vgpu *mine = v;

		v = other;
		memset(again, 0, sizeof(again));
		read_rest(again, 64);
		ck_assert_mem_eq(again, first, 64);
		wr(GMBUS1, SW_RDY | CYCLE_STOP);
		ck_assert_uint_eq(status(), HW_RDY | 84);
		v = mine;
	}
	vgpu_destroy(other);

	/* a stream the controller could not have produced is refused */
	body = gmbus_body(&w, &blen);
	ck_assert_ptr_nonnull(body);
	ck_assert_uint_eq(blen, 16);
	ck_assert_uint_eq(body[0], 1); /* version */
	ck_assert_uint_eq(body[1], 1); /* data phase */
	{
		static const struct {
			unsigned at;
			uint8_t val;
		} bad[] = {
		    {0, 2},  /* version */
		    {1, 3},  /* phase */
		    {1, 0},  /* idle with a segment, bytes left, loaded */
		    {2, 0},  /* no slave in a data phase */
		    {2, 2},  /* reading the segment pointer */
		    {3, 2},  /* not a bool */
		    {5, 0},  /* a read's data phase with no word loaded */
		    {7, 2},  /* left: 0x200 + 64 > 511 */
		    {11, 2}, /* done: 0x214 > 511 */
		};
		unsigned i;

		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			saved = body[bad[i].at];
			body[bad[i].at] = bad[i].val;
			ck_assert_msg(vgpu_load(v, w.buf, w.len) == -EINVAL,
				      "byte %u = %u loaded", bad[i].at,
				      bad[i].val);
			body[bad[i].at] = saved;
		}
		ck_assert_int_eq(vgpu_load(v, w.buf, w.len), 0);
	}
	blob_w_free(&w);
	/* a NAK latched in GMBUS2 while a read is open: refused too */
	mmio_vreg_set(vgpu_regs(v), GMBUS2, rd(GMBUS2) | SATOER);
	blob_w_init(&w);
	ck_assert_int_eq(vgpu_save(v, &w), 0);
	ck_assert_int_eq(vgpu_load(v, w.buf, w.len), -EINVAL);
	blob_w_free(&w);
	/* the refused load left the vGPU reset */
	ck_assert_uint_eq(rd(GMBUS2), HW_RDY);
}
END_TEST

/* Derived GMBUS2 bits come from the transaction, not from the stream. */
START_TEST(loaded_status_follows_the_transaction)
{
	struct blob_w w;

	/* ACTIVE | HW_WAIT | a count in an idle controller held in reset,
	 * with a cycle strobed */
	mmio_vreg_set(vgpu_regs(v), GMBUS2, ACTIVE | HW_WAIT | 0x55);
	mmio_vreg_set(vgpu_regs(v), GMBUS1, SW_CLR_INT | SW_RDY);
	blob_w_init(&w);
	ck_assert_int_eq(vgpu_save(v, &w), 0);
	ck_assert_int_eq(vgpu_load(v, w.buf, w.len), 0);
	ck_assert_uint_eq(rd(GMBUS2), HW_RDY);
	ck_assert_uint_eq(rd(GMBUS1), SW_CLR_INT);
	blob_w_free(&w);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("gmbus");
	TCase *tc = tcase_create("gmbus");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, edid_as_i915_reads_it);
	tcase_add_test(tc, edid_extensions_through_the_segment);
	tcase_add_test(tc, nak_where_nothing_answers);
	tcase_add_test(tc, status_step_by_step);
	tcase_add_test(tc, nak_and_recovery);
	tcase_add_test(tc, byte_counts_at_their_limits);
	tcase_add_test(tc, interrupt_when_enabled);
	tcase_add_test(tc, garbage_never_hurts);
	tcase_add_test(tc, reset_ends_the_transaction);
	tcase_add_test(tc, save_load_mid_read);
	tcase_add_test(tc, loaded_status_follows_the_transaction);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return vgpu_test_run(suite());
}
