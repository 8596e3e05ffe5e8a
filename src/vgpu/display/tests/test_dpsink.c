/* SPDX-License-Identifier: MIT */
/*
 * test_dpsink.c - the virtual DP monitor over AUX: request decoding, the
 * DPCD capability block and unimplemented addresses, link configuration,
 * link training as i915 6.1 runs it (intel_dp_link_training.c), the EDID
 * read as drm_do_probe_ddc_edid and drm_dp_i2c_xfer send it, other I2C
 * addresses, unplugging, hostile requests, and save/load.
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/blob.h"
#include "vgpu/display/dpsink.h"
#include "vgpu/ports.h"
#include "vgpu/tests/test_util.h"

#define ACK DP_AUX_REPLY_ACK
#define NACK DP_AUX_REPLY_NACK
#define I2C_NACK DP_AUX_REPLY_I2C_NACK
#define NWRITE DP_AUX_CMD_NATIVE_WRITE
#define NREAD DP_AUX_CMD_NATIVE_READ
#define IWRITE DP_AUX_CMD_I2C_WRITE
#define IREAD DP_AUX_CMD_I2C_READ
#define MOT DP_AUX_CMD_I2C_MOT

static struct dp_sink sink;
static uint8_t edid[DP_SINK_EDID_MAX];
static uint8_t rep[DP_AUX_MSG_BYTES];

/* A recognisable EDID: every byte differs from its neighbours' blocks. */
static void make(size_t edid_len)
{
	size_t i;

	for (i = 0; i < sizeof(edid); i++)
		edid[i] = (uint8_t)((i & 0xff) ^ ((i >> 7) * 0x5a));
	dp_sink_init(&sink, edid, edid_len);
}

/* One request of `len` bytes, in a buffer exactly that long. */
static unsigned xfer(const uint8_t *req, unsigned len)
{
	uint8_t *copy = malloc(len ? len : 1);
	unsigned n;

	ck_assert_ptr_nonnull(copy);
	if (len)
		memcpy(copy, req, len);
	memset(rep, 0xcc, sizeof(rep));
	n = dp_sink_aux(&sink, 1, copy, len, rep);
	free(copy);
	ck_assert_uint_le(n, DP_AUX_MSG_BYTES);
	return n;
}

static void hdr(uint8_t *m, unsigned cmd, uint32_t addr)
{
	m[0] = (uint8_t)(cmd << 4 | ((addr >> 16) & 0xf));
	m[1] = (uint8_t)(addr >> 8);
	m[2] = (uint8_t)addr;
}

/* A native read of n bytes: the reply length, data at rep + 1. */
static unsigned dpcd_read(uint32_t addr, unsigned n)
{
	uint8_t m[4];

	hdr(m, NREAD, addr);
	m[3] = (uint8_t)(n - 1);
	return xfer(m, 4);
}

static uint8_t dpcd_readb(uint32_t addr)
{
	ck_assert_uint_eq(dpcd_read(addr, 1), 2);
	ck_assert_uint_eq(rep[0], ACK);
	return rep[1];
}

/* A native write: the reply's first byte (the reply length must fit). */
static uint8_t dpcd_write(uint32_t addr, const uint8_t *d, unsigned n)
{
	uint8_t m[DP_AUX_MSG_BYTES];
	unsigned r;

	hdr(m, NWRITE, addr);
	m[3] = (uint8_t)(n - 1);
	memcpy(m + 4, d, n);
	r = xfer(m, 4 + n);
	ck_assert_uint_ge(r, 1);
	ck_assert_uint_le(r, 2);
	return rep[0];
}

static void dpcd_writeb(uint32_t addr, uint8_t v)
{
	ck_assert_uint_eq(dpcd_write(addr, &v, 1), ACK);
}

/* DP_LANE0_1_STATUS .. DP_ADJUST_REQUEST_LANE2_3, as i915 reads them. */
static void link_status(uint8_t st[6])
{
	ck_assert_uint_eq(dpcd_read(0x202, 6), 7);
	ck_assert_uint_eq(rep[0], ACK);
	memcpy(st, rep + 1, 6);
}

/* ---- I2C, as drm_dp_i2c_xfer sends an i2c_transfer ------------------- */

struct i2c_msg_t {
	uint8_t addr;
	bool rd;
	uint8_t *buf;
	unsigned len;
};

static uint8_t i2c_bare(unsigned cmd, unsigned addr)
{
	uint8_t m[3];

	hdr(m, cmd, addr);
	ck_assert_uint_eq(xfer(m, 3), 1);
	return rep[0];
}

/*
 * Per message a bare address request with MOT, its data in 16-byte
 * requests with MOT, and after the last message a bare stop (MOT clear).
 * 0, or -1 at the first reply that is not an I2C ACK.
 */
static int i2c_transfer(const struct i2c_msg_t *msgs, unsigned num)
{
	unsigned i, j, cmd = IWRITE, last = 0;
	int ret = 0;

	for (i = 0; i < num && !ret; i++) {
		last = i;
		cmd = (msgs[i].rd ? IREAD : IWRITE) | MOT;
		if (i2c_bare(cmd, msgs[i].addr) != ACK) {
			ret = -1;
			break;
		}
		for (j = 0; j < msgs[i].len;) {
			unsigned n =
			    msgs[i].len - j < 16 ? msgs[i].len - j : 16;
			uint8_t m[DP_AUX_MSG_BYTES];
			unsigned r;

			hdr(m, cmd, msgs[i].addr);
			m[3] = (uint8_t)(n - 1);
			if (msgs[i].rd) {
				r = xfer(m, 4);
			} else {
				memcpy(m + 4, msgs[i].buf + j, n);
				r = xfer(m, 4 + n);
			}
			if (rep[0] != ACK) {
				ret = -1;
				break;
			}
			if (msgs[i].rd) {
				ck_assert_uint_eq(r, 1 + n);
				memcpy(msgs[i].buf + j, rep + 1, n);
			} else {
				ck_assert_uint_eq(r, 1); /* the whole write */
			}
			j += n;
		}
	}
	i2c_bare(cmd & ~MOT, msgs[last].addr);
	return ret;
}

/* drm_do_probe_ddc_edid: segment (blocks 2+), offset, then the read. */
static int read_block(unsigned block, uint8_t *buf, unsigned len)
{
	uint8_t start = (uint8_t)(block * 128), segment = (uint8_t)(block >> 1);
	struct i2c_msg_t msgs[3] = {
	    {0x30, false, &segment, 1},
	    {0x50, false, &start, 1},
	    {0x50, true, buf, len},
	};

	return segment ? i2c_transfer(msgs, 3) : i2c_transfer(msgs + 1, 2);
}

/* ---- tests ------------------------------------------------------------ */

START_TEST(decode)
{
	static const uint8_t rd[4] = {0x9f, 0x12, 0x34, 0x0f};
	static const uint8_t wr[6] = {0x80, 0x01, 0x00, 0x01, 0x0a, 0x84};
	static const uint8_t bare[3] = {0x40, 0x00, 0x50};
	struct dp_aux_req r;

	ck_assert_int_eq(dp_aux_decode(rd, 4, &r), 0);
	ck_assert_uint_eq(r.cmd, NREAD);
	ck_assert_uint_eq(r.addr, 0xf1234);
	ck_assert_uint_eq(r.size, 16);
	ck_assert_ptr_null(r.data);
	ck_assert_int_eq(dp_aux_decode(wr, 6, &r), 0);
	ck_assert_uint_eq(r.cmd, NWRITE);
	ck_assert_uint_eq(r.addr, 0x100);
	ck_assert_uint_eq(r.size, 2);
	ck_assert_ptr_eq(r.data, wr + 4);
	/* Address-only I2C start to the DDC address. */
	ck_assert_int_eq(dp_aux_decode(bare, 3, &r), 0);
	ck_assert_uint_eq(r.cmd, IWRITE | MOT);
	ck_assert_uint_eq(r.addr, 0x50);
	ck_assert_uint_eq(r.size, 0);
	/* Refused: too short, native address-only, sizes that disagree. */
	ck_assert_int_eq(dp_aux_decode(rd, 2, &r), -EINVAL);
	ck_assert_int_eq(dp_aux_decode(rd, 3, &r), -EINVAL);
	ck_assert_uint_eq(r.addr, 0xf1234); /* still decoded */
	ck_assert_int_eq(dp_aux_decode(rd, 5, &r), -EINVAL);
	ck_assert_int_eq(dp_aux_decode(wr, 5, &r), -EINVAL);
	ck_assert_int_eq(dp_aux_decode(wr, 21, &r), -EINVAL);
	ck_assert_int_eq(dp_aux_decode(NULL, 4, &r), -EINVAL);
}
END_TEST

/* drm_dp_read_dpcd_caps: 15 bytes from 0 (after a 1-byte probe of 0). */
START_TEST(capabilities)
{
	static const uint8_t caps[16] = {0x12, 0x0a, 0x84, 0x01, 0x00, 0x00,
					 0x01, 0x80, 0x02, 0x00, 0x00, 0x00,
					 0x00, 0x00, 0x00, 0x00};
	unsigned i;

	make(128);
	ck_assert_uint_eq(dpcd_readb(0x000), 0x12);
	ck_assert_uint_eq(dpcd_read(0x000, 16), 17);
	ck_assert_uint_eq(rep[0], ACK);
	ck_assert_mem_eq(rep + 1, caps, 16);
	/* Byte by byte, the same (no state in the capability block). */
	for (i = 0; i < 16; i++)
		ck_assert_uint_eq(dpcd_readb(i), caps[i]);
	/* EXTENDED_RECEIVER_CAP_FIELD_PRESENT clear: 0x2200 is not read. */
	ck_assert_uint_eq(caps[0x0e] & 0x80, 0);
	/* MSTM_CAP, DSC, PSR, FEC, sink count, the sink's ID. */
	ck_assert_uint_eq(dpcd_readb(0x021), 0);
	ck_assert_uint_eq(dpcd_readb(0x060), 0);
	ck_assert_uint_eq(dpcd_readb(0x070), 0);
	ck_assert_uint_eq(dpcd_readb(0x090), 0);
	ck_assert_uint_eq(dpcd_readb(0x200), 1);
	ck_assert_uint_eq(dpcd_read(0x400, 12), 13);
	ck_assert_mem_eq(rep + 1, "\0\0\0xengt\0\0\0\0", 12);
	ck_assert_uint_eq(dpcd_readb(0x600), 0x01); /* D0 at power-on */
}
END_TEST

START_TEST(unimplemented_reads)
{
	unsigned i;

	make(128);
	/* 0x00a..0x019: the end of the capability bytes, then zeros. */
	ck_assert_uint_eq(dpcd_read(0x00a, 16), 17);
	ck_assert_uint_eq(rep[0], ACK);
	for (i = 0; i < 16; i++)
		ck_assert_uint_eq(rep[1 + i], 0);
	/* 0x1f8..0x207: nothing, then the status block from SINK_COUNT. */
	ck_assert_uint_eq(dpcd_read(0x1f8, 16), 17);
	for (i = 0; i < 8; i++)
		ck_assert_uint_eq(rep[1 + i], 0);
	ck_assert_uint_eq(rep[9], 1);
	/* LTTPR common caps: zeros, so drm_dp_lttpr_count() finds none. */
	ck_assert_uint_eq(dpcd_read(0xf0000, 8), 9);
	ck_assert_uint_eq(rep[0], ACK);
	for (i = 0; i < 8; i++)
		ck_assert_uint_eq(rep[1 + i], 0);
	/* Extended caps, branch ID, CEC tunnelling, HDCP BCAPS, DPRX list. */
	ck_assert_uint_eq(dpcd_readb(0x2200), 0);
	ck_assert_uint_eq(dpcd_readb(0x500), 0);
	ck_assert_uint_eq(dpcd_readb(0x3000), 0);
	ck_assert_uint_eq(dpcd_readb(0x68028), 0);
	ck_assert_uint_eq(dpcd_readb(0x2210), 0);
}
END_TEST

START_TEST(link_config)
{
	static const uint8_t bw[2] = {0x0a, 0x84};
	static const uint8_t oui[3] = {0x00, 0xaa, 0x01};
	static const uint8_t cross[4] = {1, 2, 3, 4};
	uint8_t all[9];

	make(128);
	ck_assert_uint_eq(dpcd_write(0x100, bw, 2), ACK);
	ck_assert_uint_eq(dpcd_read(0x100, 2), 3);
	ck_assert_mem_eq(rep + 1, bw, 2);
	/* Each byte keeps its own fields only. */
	memset(all, 0xff, sizeof(all));
	ck_assert_uint_eq(dpcd_write(0x100, all, 9), ACK);
	ck_assert_uint_eq(dpcd_read(0x100, 9), 10);
	ck_assert_mem_eq(rep + 1, "\xff\x8f\xf3\x3f\x3f\x3f\x3f\x90\x01", 9);
	dpcd_writeb(0x107, 0x00);
	dpcd_writeb(0x108, 0x01);
	ck_assert_uint_eq(dpcd_readb(0x107), 0x00);
	ck_assert_uint_eq(dpcd_readb(0x108), 0x01);
	/* Read-only bytes: ACKed, unchanged. */
	dpcd_writeb(0x000, 0x14);
	dpcd_writeb(0x202, 0xff);
	dpcd_writeb(0x403, 'X');
	dpcd_writeb(0x201, 0xff); /* write-1-to-clear, nothing latched */
	ck_assert_uint_eq(dpcd_readb(0x000), 0x12);
	ck_assert_uint_eq(dpcd_readb(0x403), 'x');
	ck_assert_uint_eq(dpcd_readb(0x201), 0);
	/* The source's OUI (intel_edp_init_source_oui writes 3 bytes). */
	ck_assert_uint_eq(dpcd_write(0x300, oui, 3), ACK);
	ck_assert_uint_eq(dpcd_read(0x300, 3), 4);
	ck_assert_mem_eq(rep + 1, oui, 3);
	/* Unimplemented: NACK with M = 0, nothing written, even in part. */
	ck_assert_uint_eq(dpcd_write(0x10a, cross, 1), NACK);
	ck_assert_uint_eq(rep[1], 0);
	ck_assert_uint_eq(dpcd_write(0x107, cross, 4), NACK);
	ck_assert_uint_eq(dpcd_readb(0x107), 0x00);
	ck_assert_uint_eq(dpcd_write(0x30a, cross, 4), NACK);
	ck_assert_uint_eq(dpcd_readb(0x30a), 0x00);
	ck_assert_uint_eq(dpcd_write(0xf0003, cross, 1), NACK);
	ck_assert_uint_eq(dpcd_write(0x500, cross, 1), NACK);
	/* SET_POWER: D3 and back. */
	dpcd_writeb(0x600, 0x02);
	ck_assert_uint_eq(dpcd_readb(0x600), 0x02);
	dpcd_writeb(0x600, 0xf9);
	ck_assert_uint_eq(dpcd_readb(0x600), 0x01);
}
END_TEST

/*
 * intel_dp_prepare_link_train: DOWNSPREAD_CTRL and CODING_SET, then
 * LINK_BW_SET and LANE_COUNT_SET; the clock-recovery phase writes TPS1
 * with scrambling off and the lanes' levels, reads the status; the EQ
 * phase the same with TPS2 (no TPS3 advertised); then the pattern off.
 */
static void train(uint8_t bw, uint8_t lanes)
{
	const uint8_t spread[2] = {0x00, 0x01};
	const uint8_t cfg[2] = {bw, (uint8_t)(lanes | 0x80)};
	const uint8_t tps[5] = {0x21, 0, 0, 0, 0};

	dpcd_writeb(0x600, 0x01);
	ck_assert_uint_eq(dpcd_write(0x107, spread, 2), ACK);
	ck_assert_uint_eq(dpcd_write(0x100, cfg, 2), ACK);
	ck_assert_uint_eq(dpcd_write(0x102, tps, 1 + (lanes < 4 ? lanes : 4)),
			  ACK);
}

START_TEST(link_training)
{
	static const struct {
		uint8_t lanes, s01, s23;
	} t[] = {{4, 0x11, 0x11}, {2, 0x11, 0x00}, {1, 0x01, 0x00}};
	uint8_t st[6], tps2[5] = {0x22, 0, 0, 0, 0}, off = 0x00;
	unsigned i;

	make(128);
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		uint8_t eq01 = (uint8_t)(t[i].s01 * 7),
			eq23 = (uint8_t)(t[i].s23 * 7);

		train(0x0a, t[i].lanes);
		/* CR done on the lanes in use at the first read. */
		link_status(st);
		ck_assert_uint_eq(st[0], t[i].s01);
		ck_assert_uint_eq(st[1], t[i].s23);
		ck_assert_uint_eq(st[2], 0);
		ck_assert_uint_eq(st[4], 0); /* no adjustment */
		ck_assert_uint_eq(st[5], 0);
		/* EQ: CR + EQ + symbol lock on those lanes, aligned. */
		ck_assert_uint_eq(dpcd_write(0x102, tps2, 1 + t[i].lanes), ACK);
		link_status(st);
		ck_assert_uint_eq(st[0], eq01);
		ck_assert_uint_eq(st[1], eq23);
		ck_assert_uint_eq(st[2], 0x01);
		ck_assert_uint_eq(st[3], 0x00); /* still training */
		/* intel_dp_stop_link_train: the status stays, in sync. */
		ck_assert_uint_eq(dpcd_write(0x102, &off, 1), ACK);
		link_status(st);
		ck_assert_uint_eq(st[0], eq01);
		ck_assert_uint_eq(st[1], eq23);
		ck_assert_uint_eq(st[2], 0x01);
		ck_assert_uint_eq(st[3], 0x01);
		/* New levels with the pattern off keep the lock. */
		dpcd_writeb(0x103, 0x09);
		link_status(st);
		ck_assert_uint_eq(st[0], eq01);
	}
	/* Retrain at the same rate: TPS1 is back to CR only. */
	train(0x0a, 4);
	link_status(st);
	ck_assert_uint_eq(st[0], 0x11);
	ck_assert_uint_eq(st[2], 0x00);
	/* TPS3 also equalises (never sent: TPS3_SUPPORTED is clear). */
	dpcd_writeb(0x102, 0x23);
	link_status(st);
	ck_assert_uint_eq(st[0], 0x77);
	dpcd_writeb(0x102, 0x00);
	/* ADJUST_REQUEST echoes each lane's swing and pre-emphasis. */
	{
		const uint8_t levels[4] = {0x01, 0x08 | 0x04, 0x13, 0x3f};

		ck_assert_uint_eq(dpcd_write(0x103, levels, 4), ACK);
		link_status(st);
		ck_assert_uint_eq(st[4], 0x01 | 0x04 << 4);
		ck_assert_uint_eq(st[5], 0x0b | 0x0f << 4);
		ck_assert_uint_eq(st[0], 0x77); /* still trained */
	}
	/* A new rate, lane count or framing drops the trained status. */
	dpcd_writeb(0x100, 0x06);
	link_status(st);
	ck_assert_uint_eq(st[0] | st[1] | st[2] | st[3], 0);
	train(0x06, 4);
	dpcd_writeb(0x102, 0x22);
	dpcd_writeb(0x102, 0x00);
	dpcd_writeb(0x101, 0x82);
	link_status(st);
	ck_assert_uint_eq(st[0] | st[1] | st[2] | st[3], 0);
	/* ... and so does leaving D0. */
	train(0x0a, 2);
	dpcd_writeb(0x102, 0x22);
	dpcd_writeb(0x102, 0x00);
	dpcd_writeb(0x600, 0x02);
	link_status(st);
	ck_assert_uint_eq(st[0] | st[2] | st[3], 0);
	dpcd_writeb(0x600, 0x01);
	link_status(st);
	ck_assert_uint_eq(st[0], 0);
}
END_TEST

START_TEST(beyond_caps_never_trains)
{
	static const struct {
		uint8_t bw, lanes;
	} bad[] = {{0x14, 4}, {0x1e, 4}, {0x00, 4}, {0x0a, 3},
		   {0x0a, 0}, {0x0a, 8}, {0x08, 2}};
	uint8_t st[6];
	unsigned i, tries;

	make(128);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		train(bad[i].bw, bad[i].lanes);
		/* i915's CR loop: 5 reads at the same levels, then gives up. */
		for (tries = 0; tries < 5; tries++) {
			link_status(st);
			ck_assert_uint_eq(st[0] | st[1], 0);
		}
		dpcd_writeb(0x102, 0x22);
		link_status(st);
		ck_assert_uint_eq(st[0] | st[1] | st[2], 0);
		dpcd_writeb(0x102, 0x00);
		link_status(st);
		ck_assert_uint_eq(st[0] | st[1] | st[2] | st[3], 0);
	}
	/* In D3 nothing locks either. */
	train(0x0a, 4);
	dpcd_writeb(0x600, 0x02);
	dpcd_writeb(0x102, 0x21);
	link_status(st);
	ck_assert_uint_eq(st[0], 0);
	/* Fixing the rate while TPS1 is on locks at once. */
	dpcd_writeb(0x600, 0x01);
	dpcd_writeb(0x100, 0x14);
	link_status(st);
	ck_assert_uint_eq(st[0], 0);
	dpcd_writeb(0x100, 0x0a);
	link_status(st);
	ck_assert_uint_eq(st[0], 0x11);
}
END_TEST

START_TEST(edid_read)
{
	uint8_t buf[128];
	unsigned b, i;

	/* 128 bytes: block 0; block 1 does not exist (0xff). */
	make(128);
	ck_assert_int_eq(read_block(0, buf, 128), 0);
	ck_assert_mem_eq(buf, edid, 128);
	ck_assert_int_eq(read_block(1, buf, 128), 0);
	for (i = 0; i < 128; i++)
		ck_assert_uint_eq(buf[i], 0xff);
	/* drm_probe_ddc: one byte at offset 0. */
	ck_assert_int_eq(read_block(0, buf, 1), 0);
	ck_assert_uint_eq(buf[0], edid[0]);

	/* 256 and 512 bytes: every block, segments for blocks 2 and 3. */
	make(256);
	for (b = 0; b < 2; b++) {
		ck_assert_int_eq(read_block(b, buf, 128), 0);
		ck_assert_mem_eq(buf, edid + 128 * b, 128);
	}
	make(512);
	for (b = 0; b < 4; b++) {
		ck_assert_int_eq(read_block(b, buf, 128), 0);
		ck_assert_mem_eq(buf, edid + 128 * b, 128);
	}
	/* The stop reset the segment: block 0 again without one. */
	ck_assert_int_eq(read_block(0, buf, 128), 0);
	ck_assert_mem_eq(buf, edid, 128);
	/* Segment 2 is past the EDID. */
	{
		uint8_t seg = 2, zero = 0;
		struct i2c_msg_t m[3] = {{0x30, false, &seg, 1},
					 {0x50, false, &zero, 1},
					 {0x50, true, buf, 16}};

		ck_assert_int_eq(i2c_transfer(m, 3), 0);
		for (i = 0; i < 16; i++)
			ck_assert_uint_eq(buf[i], 0xff);
	}
	/* Reads continue from the offset and wrap at 256 in the segment. */
	{
		uint8_t off = 0xf8;
		struct i2c_msg_t m[2] = {{0x50, false, &off, 1},
					 {0x50, true, buf, 16}};

		ck_assert_int_eq(i2c_transfer(m, 2), 0);
		ck_assert_mem_eq(buf, edid + 0xf8, 8);
		ck_assert_mem_eq(buf + 8, edid, 8);
		m[1].len = 4;
		ck_assert_int_eq(i2c_transfer(m + 1, 1), 0);
		ck_assert_mem_eq(buf, edid + 8, 4);
	}
	/* A write status update (drm's reply to a short write) is ACKed. */
	ck_assert_uint_eq(i2c_bare(DP_AUX_CMD_I2C_WRITE_STATUS | MOT, 0x50),
			  ACK);
	ck_assert_uint_eq(i2c_bare(DP_AUX_CMD_I2C_WRITE_STATUS, 0x50), ACK);
}
END_TEST

START_TEST(other_i2c_addresses)
{
	uint8_t buf[16], zero = 0;
	struct i2c_msg_t dual[2] = {{0x40, false, &zero, 1},
				    {0x40, true, buf, 16}};
	struct i2c_msg_t ddcci[1] = {{0x37, true, buf, 4}};
	uint8_t m[5];

	make(128);
	/* drm_dp_dual_mode_read: the first request is NACKed, so the
	 * transfer fails and drm_dp_dual_mode_detect says UNKNOWN. */
	ck_assert_int_eq(i2c_transfer(dual, 2), -1);
	ck_assert_uint_eq(rep[0], I2C_NACK);
	ck_assert_uint_eq(i2c_bare(IWRITE | MOT, 0x40), I2C_NACK);
	ck_assert_int_eq(i2c_transfer(ddcci, 1), -1);
	ck_assert_uint_eq(i2c_bare(IREAD | MOT, 0x37), I2C_NACK);
	/* Data requests to them, and to addresses past 7 bits. */
	hdr(m, IREAD | MOT, 0x37);
	m[3] = 3;
	ck_assert_uint_eq(xfer(m, 4), 1);
	ck_assert_uint_eq(rep[0], I2C_NACK);
	hdr(m, IWRITE, 0x40);
	m[3] = 0;
	m[4] = 0x10;
	ck_assert_uint_eq(xfer(m, 5), 1);
	ck_assert_uint_eq(rep[0], I2C_NACK);
	ck_assert_uint_eq(i2c_bare(IWRITE | MOT, 0xd0), I2C_NACK);
	ck_assert_uint_eq(i2c_bare(IWRITE | MOT, 0x10050), I2C_NACK);
	/* The segment pointer is write-only. */
	hdr(m, IREAD, 0x30);
	m[3] = 0;
	ck_assert_uint_eq(xfer(m, 4), 1);
	ck_assert_uint_eq(rep[0], I2C_NACK);
	/* The DDC still answers after all that. */
	ck_assert_int_eq(read_block(0, buf, 16), 0);
	ck_assert_mem_eq(buf, edid, 16);
	/* A monitor without EDID does not answer at 0x50 either. */
	dp_sink_init(&sink, NULL, 0);
	ck_assert_int_eq(read_block(0, buf, 16), -1);
	ck_assert_uint_eq(rep[0], I2C_NACK);
	ck_assert_uint_eq(dpcd_readb(0x000), 0x12);
}
END_TEST

START_TEST(disconnected)
{
	uint8_t m[4], st[6];

	make(128);
	train(0x0a, 4);
	dpcd_writeb(0x102, 0x22);
	dpcd_writeb(0x102, 0x00);
	dp_sink_set_connected(&sink, false);
	ck_assert_uint_eq(dpcd_read(0x000, 16), 0);
	hdr(m, IWRITE | MOT, 0x50);
	ck_assert_uint_eq(xfer(m, 3), 0);
	m[0] = 0x80;
	m[3] = 0x00;
	ck_assert_uint_eq(xfer(m, 4), 0); /* even garbage: no reply */
	ck_assert_uint_eq(xfer(m, 0), 0);
	ck_assert_uint_eq(dp_sink_aux(NULL, 0, m, 4, rep), 0);
	/* Plugged in again: a monitor fresh from power-on. */
	dp_sink_set_connected(&sink, true);
	link_status(st);
	ck_assert_uint_eq(st[0], 0);
	ck_assert_uint_eq(dpcd_readb(0x100), 0);
	ck_assert_uint_eq(dpcd_readb(0x000), 0x12);
	/* Already connected: nothing is reset. */
	dpcd_writeb(0x100, 0x0a);
	dp_sink_set_connected(&sink, true);
	ck_assert_uint_eq(dpcd_readb(0x100), 0x0a);
}
END_TEST

START_TEST(hostile)
{
	uint8_t m[24] = {0};
	unsigned cmd, i, n, seed = 12345;

	make(512);
	/* Too short to be a request. */
	for (n = 0; n < 3; n++) {
		m[0] = 0x90;
		ck_assert_uint_eq(xfer(m, n), 1);
		ck_assert_uint_eq(rep[0], NACK);
	}
	/* Native address-only; a read with data after it. */
	hdr(m, NREAD, 0);
	ck_assert_uint_eq(xfer(m, 3), 1);
	ck_assert_uint_eq(rep[0], NACK);
	m[3] = 0;
	ck_assert_uint_eq(xfer(m, 5), 1);
	ck_assert_uint_eq(rep[0], NACK);
	/* A read of 17 (length field 16) and of 256. */
	m[3] = 16;
	ck_assert_uint_eq(xfer(m, 4), 1);
	ck_assert_uint_eq(rep[0], NACK);
	m[3] = 255;
	ck_assert_uint_eq(xfer(m, 4), 1);
	ck_assert_uint_eq(rep[0], NACK);
	/* A write saying 16 bytes with none; 17 bytes in 20; 16 in 21. */
	hdr(m, NWRITE, 0x100);
	m[3] = 15;
	ck_assert_uint_eq(xfer(m, 4), 1);
	ck_assert_uint_eq(rep[0], NACK);
	m[3] = 16;
	ck_assert_uint_eq(xfer(m, 20), 1);
	ck_assert_uint_eq(rep[0], NACK);
	m[3] = 15;
	ck_assert_uint_eq(xfer(m, 21), 1);
	ck_assert_uint_eq(rep[0], NACK);
	ck_assert_uint_eq(dpcd_readb(0x100), 0); /* nothing was written */
	/* 0xfffff + 16: the address wraps within 20 bits. */
	ck_assert_uint_eq(dpcd_read(0xfffff, 16), 17);
	ck_assert_uint_eq(rep[0], ACK);
	ck_assert_uint_eq(rep[1], 0);
	ck_assert_uint_eq(rep[2], 0x12);
	ck_assert_uint_eq(rep[3], 0x0a);
	memset(m + 4, 0x55, 16);
	ck_assert_uint_eq(dpcd_write(0xfffff, m + 4, 16), NACK);
	ck_assert_uint_eq(dpcd_write(0xffff8, m + 4, 16), NACK);
	/* Unknown commands, with every message size. */
	for (cmd = 0; cmd < 16; cmd++) {
		if (cmd == NREAD || cmd == NWRITE ||
		    (!(cmd & 8) && (cmd & 3) != 3))
			continue;
		for (n = 3; n <= 20; n++) {
			hdr(m, cmd, 0x50);
			m[3] = (uint8_t)(n > 4 ? n - 5 : 0);
			ck_assert_uint_eq(xfer(m, n), 1);
			ck_assert_uint_eq(rep[0], NACK);
		}
	}
	/* Malformed I2C: I2C NACK. */
	hdr(m, IWRITE | MOT, 0x50);
	m[3] = 3;
	ck_assert_uint_eq(xfer(m, 5), 1);
	ck_assert_uint_eq(rep[0], I2C_NACK);
	hdr(m, IREAD, 0x50);
	m[3] = 16;
	ck_assert_uint_eq(xfer(m, 4), 1);
	ck_assert_uint_eq(rep[0], I2C_NACK);
	ck_assert_uint_eq(xfer(m, 4 + 17), 1);
	ck_assert_uint_eq(rep[0], NACK); /* over 20 bytes: not a message */
	/* Random messages: a reply of 1..17 bytes, never more. */
	for (i = 0; i < 20000; i++) {
		unsigned j, r;

		for (j = 0; j < 21; j++) {
			seed = seed * 1103515245u + 12345u;
			m[j] = (uint8_t)(seed >> 16);
		}
		n = m[20] % 21;
		if (i & 1)
			m[3] = (uint8_t)(m[3] & 0x0f);
		r = xfer(m, n);
		ck_assert_uint_ge(r, 1);
		ck_assert_uint_le(r, 1 + DP_AUX_PAYLOAD_MAX);
	}
	/* The sink still works. */
	ck_assert_uint_eq(dpcd_readb(0x000), 0x12);
}
END_TEST

START_TEST(save_load)
{
	static struct dp_sink other;
	const uint8_t oui[3] = {0x00, 0xaa, 0x01};
	uint8_t st[6], st2[6], off = 0x42, seg = 1, buf[4];
	struct blob_w w;
	struct blob_r r;

	make(512);
	train(0x0a, 2);
	dpcd_writeb(0x102, 0x22);
	dpcd_writeb(0x102, 0x00);
	dpcd_write(0x300, oui, 3);
	link_status(st);
	/* A transfer left after the offset write, the segment set. */
	{
		uint8_t m[5];

		hdr(m, IWRITE | MOT, 0x30);
		m[3] = 0;
		m[4] = seg;
		ck_assert_uint_eq(xfer(m, 5), 1);
		hdr(m, IWRITE | MOT, 0x50);
		m[4] = off;
		ck_assert_uint_eq(xfer(m, 5), 1);
	}
	blob_w_init(&w);
	dp_sink_save(&sink, &w);
	ck_assert(!w.failed);

	dp_sink_init(&other, edid, 512);
	blob_r_init(&r, w.buf, w.len);
	ck_assert_int_eq(dp_sink_load(&other, &r), 0);
	ck_assert_uint_eq(r.pos, r.len);
	sink = other;
	link_status(st2);
	ck_assert_mem_eq(st, st2, 6);
	ck_assert_uint_eq(st2[0], 0x77);
	ck_assert_uint_eq(dpcd_readb(0x101), 0x82);
	ck_assert_uint_eq(dpcd_readb(0x302), 0x01);
	/* The read continues where the saved transfer was. */
	{
		uint8_t m[4];

		hdr(m, IREAD, 0x50);
		m[3] = 3;
		ck_assert_uint_eq(xfer(m, 4), 5);
		memcpy(buf, rep + 1, 4);
		ck_assert_mem_eq(buf, edid + 256 + off, 4);
	}
	/* A disconnected sink stays so. */
	dp_sink_set_connected(&sink, false);
	blob_w_free(&w);
	blob_w_init(&w);
	dp_sink_save(&sink, &w);
	dp_sink_init(&other, edid, 512);
	blob_r_init(&r, w.buf, w.len);
	ck_assert_int_eq(dp_sink_load(&other, &r), 0);
	ck_assert(!other.connected);
	blob_w_free(&w);
}
END_TEST

static int load_bytes(const uint8_t *b, size_t n)
{
	struct blob_r r;

	blob_r_init(&r, b, n);
	return dp_sink_load(&sink, &r);
}

START_TEST(load_garbage)
{
	/* version, connected, link[9], train, power, source[12], off, seg */
	/* clang-format off */
	static const uint8_t good[27] = {
		1, 1, 0x0a, 0x84, 0x00, 0, 0, 0, 0, 0x00, 0x01,
		DP_SINK_TRAIN_EQ, 0x01,
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0x10, 0x00,
	};
	/* clang-format on */
	static const struct {
		unsigned at;
		uint8_t v;
	} bad[] = {
	    {0, 0},	{0, 2}, /* version */
	    {1, 2},		/* connected */
	    {3, 0x90},		/* LANE_COUNT_SET reserved bit */
	    {4, 0x0c},		/* TRAINING_PATTERN_SET bits 3:2 */
	    {5, 0x40},		/* TRAINING_LANE0_SET bit 6 */
	    {9, 0x01},		/* DOWNSPREAD_CTRL bit 0 */
	    {10, 0x02},		/* CODING_SET 128b/132b */
	    {11, 3},		/* training result */
	    {12, 0x08},		/* SET_POWER bit 3 */
	    {2, 0x14},		/* trained at a rate beyond caps */
	    {3, 0x83},		/* trained on 3 lanes */
	    {12, 0x02},		/* trained in D3 */
	    {4, 0x21},		/* TPS1 on, but EQ claimed */
	};
	uint8_t b[64];
	unsigned i;

	make(128);
	ck_assert_int_eq(load_bytes(good, sizeof(good)), 0);
	ck_assert_uint_eq(dpcd_readb(0x202), 0x77);
	ck_assert_uint_eq(sink.i2c_offset, 0x10);
	make(128);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memcpy(b, good, sizeof(good));
		b[bad[i].at] = bad[i].v;
		ck_assert_int_eq(load_bytes(b, sizeof(good)), -EINVAL);
		ck_assert_uint_eq(sink.train, DP_SINK_TRAIN_NONE);
		ck_assert_uint_eq(dpcd_readb(0x100), 0);
	}
	/* Short streams, an empty one, random bytes. */
	for (i = 0; i < sizeof(good); i++)
		ck_assert_int_eq(load_bytes(good, i), -EINVAL);
	memset(b, 0xa5, sizeof(b));
	ck_assert_int_eq(load_bytes(b, sizeof(b)), -EINVAL);
	ck_assert_uint_eq(dpcd_readb(0x100), 0);
	ck_assert(sink.connected);
	/* TPS1 with CR claimed is a state a guest can make: accepted. */
	memcpy(b, good, sizeof(good));
	b[4] = 0x21;
	b[11] = DP_SINK_TRAIN_CR;
	ck_assert_int_eq(load_bytes(b, sizeof(good)), 0);
	ck_assert_uint_eq(dpcd_readb(0x202), 0x11);
}
END_TEST

/* It plugs into ports.c's AUX channel as the sink callback. */
START_TEST(sink_fn_type)
{
	vgpu_aux_sink_fn *fn = dp_sink_aux;
	uint8_t m[4], out[VGPU_AUX_MSG_MAX];

	make(128);
	hdr(m, NREAD, 0);
	m[3] = 15;
	ck_assert_uint_eq(fn(&sink, 0, m, 4, out), 17);
	ck_assert_uint_eq(out[1], 0x12);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("dpsink");
	TCase *tc = tcase_create("dpsink");

	tcase_add_test(tc, decode);
	tcase_add_test(tc, capabilities);
	tcase_add_test(tc, unimplemented_reads);
	tcase_add_test(tc, link_config);
	tcase_add_test(tc, link_training);
	tcase_add_test(tc, beyond_caps_never_trains);
	tcase_add_test(tc, edid_read);
	tcase_add_test(tc, other_i2c_addresses);
	tcase_add_test(tc, disconnected);
	tcase_add_test(tc, hostile);
	tcase_add_test(tc, save_load);
	tcase_add_test(tc, load_garbage);
	tcase_add_test(tc, sink_fn_type);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return vgpu_test_run(suite());
}
