/* SPDX-License-Identifier: MIT */
/*
 * dpsink.c - a virtual DisplayPort monitor on the DP AUX channel.
 *
 * Native AUX requests reach the DPCD, a 20-bit address space of which the
 * sink implements these ranges (every other address reads 0 and refuses
 * writes):
 *
 *   0x00000-0x000FF  receiver capabilities    RO; 0x000-0x00F nonzero
 *   0x00100-0x00108  link configuration       RW, per-byte masks
 *   0x00200-0x00207  sink and link status     RO (0x201 write-1-to-clear)
 *   0x00300-0x0030B  source OUI and ID        RW
 *   0x00400-0x0040B  sink OUI and ID          RO: OUI 0, "xengt"
 *   0x00600          SET_POWER                RW
 *
 * I2C-over-AUX requests reach a DDC bus with the EDID at 0x50 and the
 * E-DDC segment pointer at 0x30; other I2C addresses do not answer.
 *
 *   request                                   reply
 *   native read, n bytes                      ACK + n bytes
 *   native write inside the ranges above      ACK (RO bytes ignored)
 *   native write reaching any other address   NACK, M = 0; nothing kept
 *   I2C to 0x50/0x30 (address-only, write)    I2C ACK
 *   I2C read of n bytes from 0x50             I2C ACK + n EDID bytes
 *   I2C read from 0x30, other I2C addresses   I2C NACK
 *   malformed or unknown I2C request          I2C NACK
 *   malformed or unknown native request       NACK
 *   anything while disconnected               nothing (AUX timeout)
 *
 * Link training follows TRAINING_PATTERN_SET: TPS1 with a link the sink
 * can lock (LINK_BW_SET 0x06 or 0x0a, 1, 2 or 4 lanes, SET_POWER D0)
 * reports CR_DONE on the lanes in use; TPS2/TPS3 adds CHANNEL_EQ_DONE,
 * SYMBOL_LOCKED and INTERLANE_ALIGN_DONE; with the pattern off the status
 * stays until the rate, lane count or power state changes.  ADJUST_REQUEST
 * echoes TRAINING_LANEx_SET, i.e. asks for no change.
 *
 * Every byte and the reasons: docs/vgpu-dpsink.md.  Sources (facts only):
 * VESA DisplayPort 1.2 as reflected in Linux 6.1
 * include/drm/display/drm_dp.h (commands, reply codes, DPCD addresses and
 * bits); i915/display/intel_dp_aux.c (intel_dp_aux_transfer: the header,
 * the reply sizes it takes); display/drm_dp_helper.c (drm_dp_dpcd_access:
 * a short native reply fails; drm_dp_i2c_xfer: the I2C-over-AUX sequence;
 * drm_dp_read_dpcd_caps, drm_dp_read_desc, drm_dp_lttpr_count);
 * i915/display/intel_dp_link_training.c (the clock-recovery and channel-
 * equalisation loops, intel_dp_training_pattern); drm_edid.c
 * (drm_do_probe_ddc_edid: segment and offset writes);
 * display/drm_dp_dual_mode_helper.c (the adaptor probe at 0x40);
 * i915/gvt/handlers.c (dp_aux_ch_ctl_mmio_write, quoting the DPCD rules
 * for unsupported addresses) and i915/gvt/display.c, gvt/edid.c.
 */
#include "vgpu/display/dpsink.h"

#include <errno.h>
#include <string.h>

#include "util/blob.h"
#include "util/log.h"
#include "vgpu/ports.h"

_Static_assert(__builtin_types_compatible_p(__typeof__(dp_sink_aux),
					    vgpu_aux_sink_fn),
	       "dp_sink_aux is an AUX channel sink");
_Static_assert(DP_AUX_MSG_BYTES == VGPU_AUX_MSG_MAX,
	       "one message fills the data registers");
_Static_assert(1 + DP_AUX_PAYLOAD_MAX <= DP_AUX_MSG_BYTES, "a read reply fits");

#define AUX_ADDR_MASK 0xfffffu
#define AUX_BARE_LEN 3 /* address-only: no length byte */
#define AUX_HDR_LEN 4

/* ---- DPCD layout -------------------------------------------------------- */

#define DPCD_LINK_BW_SET 0x100u
#define DPCD_LANE_COUNT_SET 0x101u
#define DPCD_TRAINING_PATTERN_SET 0x102u
#define DPCD_TRAINING_LANE0_SET 0x103u
#define DPCD_LINK_LAST 0x108u
#define DPCD_SINK_COUNT 0x200u
#define DPCD_DEVICE_SERVICE_IRQ 0x201u
#define DPCD_LANE0_1_STATUS 0x202u
#define DPCD_LANE2_3_STATUS 0x203u
#define DPCD_LANE_ALIGN_STATUS 0x204u
#define DPCD_SINK_STATUS 0x205u
#define DPCD_ADJUST_REQUEST_0_1 0x206u
#define DPCD_ADJUST_REQUEST_2_3 0x207u
#define DPCD_SOURCE_OUI 0x300u
#define DPCD_SINK_OUI 0x400u
#define DPCD_SET_POWER 0x600u

/* LINK_BW_SET codes the sink locks to: 1.62 and 2.7 Gbps per lane. */
#define LINK_BW_1_62 0x06u
#define LINK_BW_2_7 0x0au
#define LANE_COUNT_MASK 0x0fu
#define TRAINING_PATTERN_MASK 0x03u /* DPCD 1.2: TPS1..TPS3 */
#define SET_POWER_MASK 0x07u
#define SET_POWER_D0 0x01u

/* LANEx_STATUS nibble, LANE_ALIGN_STATUS_UPDATED, SINK_STATUS bits. */
#define LANE_CR_DONE 0x1u
#define LANE_CHANNEL_EQ_DONE 0x2u
#define LANE_SYMBOL_LOCKED 0x4u
#define INTERLANE_ALIGN_DONE 0x01u
#define RECEIVE_PORT_0_STATUS 0x01u

/*
 * Receiver capabilities 0x000-0x00F; the rest of 0x000-0x0FF (MSTM_CAP
 * 0x021, DSC 0x060, PSR 0x070, FEC 0x090, ...) reads 0.
 */
static const uint8_t rx_caps[16] = {
    [0x0] = 0x12, /* DPCD_REV 1.2 */
    [0x1] = 0x0a, /* MAX_LINK_RATE: HBR, 2.7 Gbps */
    [0x2] = 0x84, /* MAX_LANE_COUNT 4, ENHANCED_FRAME_CAP; no TPS3 */
    [0x3] = 0x01, /* MAX_DOWNSPREAD: 0.5% */
    [0x4] = 0x00, /* NORP: one receiver port */
    [0x5] = 0x00, /* DOWNSTREAMPORT_PRESENT: not a branch device */
    [0x6] = 0x01, /* MAIN_LINK_CHANNEL_CODING: ANSI 8b/10b */
    [0x7] = 0x80, /* DOWN_STREAM_PORT_COUNT: OUI_SUPPORT, no ports */
    [0x8] = 0x02, /* RECEIVE_PORT_0_CAP_0: LOCAL_EDID_PRESENT */
    [0x9] = 0x00, /* RECEIVE_PORT_0_BUFFER_SIZE: 32 bytes per lane */
    [0xe] = 0x00, /* TRAINING_AUX_RD_INTERVAL: 100/400 us, no ext. caps */
};

/* 0x400-0x40B: IEEE OUI, device ID string, HW rev, SW rev major/minor. */
/* clang-format off */
static const uint8_t sink_id[12] = {
	0x00, 0x00, 0x00,		/* OUI 00-00-00 */
	'x', 'e', 'n', 'g', 't', 0,	/* device ID "xengt" */
	0x00,				/* hardware revision 0.0 */
	0x00, 0x00,			/* firmware revision 0.0 */
};
/* clang-format on */

/* What each link configuration byte keeps of a write. */
static const uint8_t link_mask[DP_SINK_LINK_BYTES] = {
    0xff, /* 0x100 LINK_BW_SET: any code (only 0x06, 0x0a lock) */
    0x8f, /* 0x101 LANE_COUNT_SET: count 3:0, ENHANCED_FRAME_EN 7 */
    0xf3, /* 0x102 TRAINING_PATTERN_SET: pattern 1:0, 4, 5, 7:6 */
    0x3f, /* 0x103 TRAINING_LANE0_SET: swing 1:0, its max 2, */
    0x3f, /* 0x104 TRAINING_LANE1_SET  pre-emphasis 4:3, its max 5 */
    0x3f, /* 0x105 TRAINING_LANE2_SET  (the same) */
    0x3f, /* 0x106 TRAINING_LANE3_SET  (the same) */
    0x90, /* 0x107 DOWNSPREAD_CTRL: SPREAD_AMP_0_5 4, MSA_IGNORE 7 */
    0x01, /* 0x108 MAIN_LINK_CHANNEL_CODING_SET: ANSI 8b/10b */
};

enum dpcd_access { DPCD_RO, DPCD_RW };

/* The implemented ranges (table in the header comment). */
/* clang-format off */
static const struct dpcd_range {
	uint32_t first, last;
	enum dpcd_access access;
} dpcd_ranges[] = {
	{0x00000, 0x000ff, DPCD_RO},	/* receiver capabilities */
	{0x00100, 0x00108, DPCD_RW},	/* link configuration */
	{0x00200, 0x00200, DPCD_RO},	/* SINK_COUNT */
	{0x00201, 0x00201, DPCD_RW},	/* DEVICE_SERVICE_IRQ_VECTOR, W1C */
	{0x00202, 0x00207, DPCD_RO},	/* link status, adjust requests */
	{0x00300, 0x0030b, DPCD_RW},	/* source OUI, device ID, revisions */
	{0x00400, 0x0040b, DPCD_RO},	/* sink OUI, device ID, revisions */
	{0x00600, 0x00600, DPCD_RW},	/* SET_POWER */
};
/* clang-format on */

static const struct dpcd_range *dpcd_range(uint32_t a)
{
	unsigned i;

	for (i = 0; i < sizeof(dpcd_ranges) / sizeof(dpcd_ranges[0]); i++)
		if (a >= dpcd_ranges[i].first && a <= dpcd_ranges[i].last)
			return &dpcd_ranges[i];
	return NULL;
}

/* ---- link training ------------------------------------------------------ */

static unsigned lane_count(const struct dp_sink *s)
{
	return s->link[DPCD_LANE_COUNT_SET - DPCD_LINK_BW_SET] &
	       LANE_COUNT_MASK;
}

static unsigned pattern(const struct dp_sink *s)
{
	return s->link[DPCD_TRAINING_PATTERN_SET - DPCD_LINK_BW_SET] &
	       TRAINING_PATTERN_MASK;
}

/* A configuration the receiver can lock to, within its capabilities. */
static bool link_lockable(const struct dp_sink *s)
{
	uint8_t bw = s->link[0];
	unsigned n = lane_count(s);

	return (bw == LINK_BW_1_62 || bw == LINK_BW_2_7) && bw <= rx_caps[1] &&
	       (n == 1 || n == 2 || n == 4) && n <= (rx_caps[2] & 0x1fu) &&
	       (s->power & SET_POWER_MASK) == SET_POWER_D0;
}

/*
 * What the receiver achieves after the link configuration or power
 * changed: while a pattern is on, what that pattern trains; with it off,
 * the last result, lost when the rate, lane count or power changed.
 */
static void link_update(struct dp_sink *s, bool reconfigured)
{
	unsigned p = pattern(s);

	if (p != 0)
		s->train = !link_lockable(s) ? DP_SINK_TRAIN_NONE
			   : p == 1	     ? DP_SINK_TRAIN_CR
					     : DP_SINK_TRAIN_EQ;
	else if (reconfigured || !link_lockable(s))
		s->train = DP_SINK_TRAIN_NONE;
}

static uint8_t lane_status(const struct dp_sink *s, unsigned lane)
{
	if (lane >= lane_count(s))
		return 0;
	switch (s->train) {
	case DP_SINK_TRAIN_CR:
		return LANE_CR_DONE;
	case DP_SINK_TRAIN_EQ:
		return LANE_CR_DONE | LANE_CHANNEL_EQ_DONE | LANE_SYMBOL_LOCKED;
	default:
		return 0;
	}
}

/*
 * ADJUST_REQUEST nibble for one lane: the swing (bits 1:0) and
 * pre-emphasis (bits 3:2) the lane already uses, from TRAINING_LANEx_SET
 * (swing 1:0, pre-emphasis 4:3): no change requested.
 */
static uint8_t adjust_request(const struct dp_sink *s, unsigned lane)
{
	uint8_t t = s->link[DPCD_TRAINING_LANE0_SET - DPCD_LINK_BW_SET + lane];

	return (uint8_t)((t & 0x3u) | (((t >> 3) & 0x3u) << 2));
}

/* ADJUST_REQUEST_LANEn_n+1: lane n in bits 3:0, lane n + 1 in 7:4. */
static uint8_t adjust_pair(const struct dp_sink *s, unsigned lane)
{
	unsigned lo = adjust_request(s, lane), hi = adjust_request(s, lane + 1);

	return (uint8_t)(lo | hi << 4);
}

/* ---- DPCD access -------------------------------------------------------- */

static uint8_t dpcd_byte(const struct dp_sink *s, uint32_t a)
{
	if (a < sizeof(rx_caps))
		return rx_caps[a];
	if (a >= DPCD_LINK_BW_SET && a <= DPCD_LINK_LAST)
		return s->link[a - DPCD_LINK_BW_SET];
	if (a >= DPCD_SOURCE_OUI && a < DPCD_SOURCE_OUI + sizeof(s->source_id))
		return s->source_id[a - DPCD_SOURCE_OUI];
	if (a >= DPCD_SINK_OUI && a < DPCD_SINK_OUI + sizeof(sink_id))
		return sink_id[a - DPCD_SINK_OUI];
	switch (a) {
	case DPCD_SINK_COUNT:
		return 1; /* CP_READY clear: no HDCP */
	case DPCD_DEVICE_SERVICE_IRQ:
		return 0; /* the sink never raises a service request */
	case DPCD_LANE0_1_STATUS:
		return (uint8_t)(lane_status(s, 0) | lane_status(s, 1) << 4);
	case DPCD_LANE2_3_STATUS:
		return (uint8_t)(lane_status(s, 2) | lane_status(s, 3) << 4);
	case DPCD_LANE_ALIGN_STATUS:
		return s->train == DP_SINK_TRAIN_EQ ? INTERLANE_ALIGN_DONE : 0;
	case DPCD_SINK_STATUS:
		return s->train == DP_SINK_TRAIN_EQ && pattern(s) == 0
			   ? RECEIVE_PORT_0_STATUS
			   : 0;
	case DPCD_ADJUST_REQUEST_0_1:
		return adjust_pair(s, 0);
	case DPCD_ADJUST_REQUEST_2_3:
		return adjust_pair(s, 2);
	case DPCD_SET_POWER:
		return s->power;
	default:
		return 0;
	}
}

/* One byte of a write to an implemented address; RO bytes ignore it. */
static void dpcd_store(struct dp_sink *s, uint32_t a, uint8_t v)
{
	if (a >= DPCD_LINK_BW_SET && a <= DPCD_LINK_LAST)
		s->link[a - DPCD_LINK_BW_SET] =
		    v & link_mask[a - DPCD_LINK_BW_SET];
	else if (a >= DPCD_SOURCE_OUI &&
		 a < DPCD_SOURCE_OUI + sizeof(s->source_id))
		s->source_id[a - DPCD_SOURCE_OUI] = v;
	else if (a == DPCD_SET_POWER)
		s->power = v & SET_POWER_MASK;
	/* DEVICE_SERVICE_IRQ_VECTOR: nothing is latched to clear. */
}

static unsigned native_read(const struct dp_sink *s, const struct dp_aux_req *r,
			    uint8_t *reply)
{
	unsigned i;

	reply[0] = DP_AUX_REPLY_ACK;
	for (i = 0; i < r->size; i++)
		reply[1 + i] = dpcd_byte(s, (r->addr + i) & AUX_ADDR_MASK);
	return 1 + r->size;
}

/*
 * All or nothing: a write reaching an address the sink does not
 * implement is NACKed with M (bytes written) = 0, as the DPCD rules
 * quoted in gvt/handlers.c require.
 */
static unsigned native_write(struct dp_sink *s, unsigned ch,
			     const struct dp_aux_req *r, uint8_t *reply)
{
	uint8_t bw = s->link[0], lanes = s->link[1];
	bool link = false;
	unsigned i;

	for (i = 0; i < r->size; i++) {
		uint32_t a = (r->addr + i) & AUX_ADDR_MASK;

		if (!dpcd_range(a)) {
			log_guest(LOG_INFO,
				  "dpsink: AUX %c: write of %u bytes at 0x%05x "
				  "reaches unimplemented DPCD 0x%05x",
				  ch < 26 ? 'A' + ch : '?', r->size, r->addr,
				  a);
			reply[0] = DP_AUX_REPLY_NACK;
			reply[1] = 0;
			return 2;
		}
	}
	for (i = 0; i < r->size; i++) {
		uint32_t a = (r->addr + i) & AUX_ADDR_MASK;

		if (dpcd_range(a)->access != DPCD_RW)
			continue;
		dpcd_store(s, a, r->data[i]);
		if ((a >= DPCD_LINK_BW_SET && a <= DPCD_LINK_LAST) ||
		    a == DPCD_SET_POWER)
			link = true;
	}
	if (link)
		link_update(s, s->link[0] != bw || s->link[1] != lanes);
	reply[0] = DP_AUX_REPLY_ACK;
	return 1;
}

/* ---- I2C over AUX: the DDC bus ------------------------------------------ */

#define DDC_ADDR 0x50u
#define DDC_SEGMENT_ADDR 0x30u
#define EDDC_SEGMENT_SIZE 256u

/* The byte at the current segment and offset; 0xff past the EDID. */
static uint8_t edid_byte(const struct dp_sink *s)
{
	size_t i = (size_t)s->i2c_segment * EDDC_SEGMENT_SIZE + s->i2c_offset;

	return i < s->edid_len ? s->edid[i] : 0xff;
}

/*
 *   address  write (first byte; the rest ignored)  read
 *   0x50     sets the offset                       EDID bytes from the
 *                                                  offset, which advances
 *                                                  and wraps at 256
 *   0x30     sets the segment                      I2C NACK (write-only)
 *   other    I2C NACK                              I2C NACK
 *
 * Address-only requests (start, repeated start, stop) and write status
 * updates (every write completes at once) are ACKed at 0x50 and 0x30.  A
 * request without MOT ends with a stop, which resets the segment pointer.
 */
static unsigned i2c_xfer(struct dp_sink *s, const struct dp_aux_req *r,
			 uint8_t *reply)
{
	unsigned op = r->cmd & 0x3u, n = 0, i;
	bool ddc = r->addr == DDC_ADDR, seg = r->addr == DDC_SEGMENT_ADDR;

	reply[0] = DP_AUX_REPLY_ACK;
	if (s->edid_len == 0 || (!ddc && !seg)) {
		reply[0] = DP_AUX_REPLY_I2C_NACK;
	} else if (r->size == 0) {
		/* start, repeated start or stop */
	} else if (op == DP_AUX_CMD_I2C_WRITE) {
		if (ddc)
			s->i2c_offset = r->data[0];
		else
			s->i2c_segment = r->data[0];
	} else if (op == DP_AUX_CMD_I2C_READ) {
		if (seg) {
			reply[0] = DP_AUX_REPLY_I2C_NACK;
		} else {
			for (i = 0; i < r->size; i++) {
				reply[1 + i] = edid_byte(s);
				s->i2c_offset++;
			}
			n = r->size;
		}
	}
	if (!(r->cmd & DP_AUX_CMD_I2C_MOT))
		s->i2c_segment = 0;
	return 1 + n;
}

/* ---- requests ----------------------------------------------------------- */

static bool cmd_is_i2c(unsigned cmd)
{
	return !(cmd & 0x8u) && (cmd & 0x3u) != 0x3u;
}

static bool cmd_is_read(unsigned cmd)
{
	return cmd == DP_AUX_CMD_NATIVE_READ ||
	       (cmd_is_i2c(cmd) && (cmd & 0x3u) == DP_AUX_CMD_I2C_READ);
}

int dp_aux_decode(const uint8_t *req, unsigned len, struct dp_aux_req *out)
{
	unsigned cmd;

	*out = (struct dp_aux_req){0};
	if (!req || len < AUX_BARE_LEN || len > DP_AUX_MSG_BYTES)
		return -EINVAL;
	cmd = req[0] >> 4;
	out->cmd = cmd;
	out->addr =
	    (uint32_t)(req[0] & 0xfu) << 16 | (uint32_t)req[1] << 8 | req[2];
	if (!cmd_is_i2c(cmd) && cmd != DP_AUX_CMD_NATIVE_WRITE &&
	    cmd != DP_AUX_CMD_NATIVE_READ)
		return -EINVAL;
	if (len == AUX_BARE_LEN)
		return cmd_is_i2c(cmd) ? 0 : -EINVAL;
	out->size = req[3] + 1u;
	if (out->size > DP_AUX_PAYLOAD_MAX)
		return -EINVAL;
	if (cmd_is_read(cmd))
		return len == AUX_HDR_LEN ? 0 : -EINVAL;
	if (len != AUX_HDR_LEN + out->size)
		return -EINVAL;
	out->data = req + AUX_HDR_LEN;
	return 0;
}

unsigned dp_sink_aux(void *opaque, unsigned ch, const uint8_t *req,
		     unsigned len, uint8_t *reply)
{
	struct dp_sink *s = opaque;
	struct dp_aux_req r;

	if (!s || !reply || !s->connected)
		return 0;
	if (dp_aux_decode(req, len, &r) < 0) {
		bool i2c = len >= AUX_BARE_LEN && len <= DP_AUX_MSG_BYTES &&
			   req && cmd_is_i2c(req[0] >> 4);

		log_guest(LOG_INFO,
			  "dpsink: AUX %c: malformed request of %u bytes",
			  ch < 26 ? 'A' + ch : '?', len);
		reply[0] = i2c ? DP_AUX_REPLY_I2C_NACK : DP_AUX_REPLY_NACK;
		return 1;
	}
	if (r.cmd == DP_AUX_CMD_NATIVE_READ)
		return native_read(s, &r, reply);
	if (r.cmd == DP_AUX_CMD_NATIVE_WRITE)
		return native_write(s, ch, &r, reply);
	return i2c_xfer(s, &r, reply);
}

/* ---- lifecycle ---------------------------------------------------------- */

void dp_sink_reset(struct dp_sink *s)
{
	memset(s->link, 0, sizeof(s->link));
	memset(s->source_id, 0, sizeof(s->source_id));
	s->train = DP_SINK_TRAIN_NONE;
	s->power = SET_POWER_D0;
	s->i2c_offset = 0;
	s->i2c_segment = 0;
}

void dp_sink_init(struct dp_sink *s, const uint8_t *edid, size_t edid_len)
{
	memset(s, 0, sizeof(*s));
	if (edid) {
		s->edid_len =
		    edid_len < sizeof(s->edid) ? edid_len : sizeof(s->edid);
		memcpy(s->edid, edid, s->edid_len);
	}
	s->connected = true;
	dp_sink_reset(s);
}

void dp_sink_set_connected(struct dp_sink *s, bool connected)
{
	if (connected && !s->connected)
		dp_sink_reset(s);
	s->connected = connected;
}

/*
 * Stream, version 1: u8 version, u8 connected, link[9] (0x100-0x108),
 * u8 train, u8 power, source_id[12], u8 I2C offset, u8 I2C segment.
 */
#define DP_SINK_SAVE_VERSION 1

void dp_sink_save(const struct dp_sink *s, struct blob_w *w)
{
	blob_put_u8(w, DP_SINK_SAVE_VERSION);
	blob_put_u8(w, s->connected ? 1 : 0);
	blob_put_bytes(w, s->link, sizeof(s->link));
	blob_put_u8(w, s->train);
	blob_put_u8(w, s->power);
	blob_put_bytes(w, s->source_id, sizeof(s->source_id));
	blob_put_u8(w, s->i2c_offset);
	blob_put_u8(w, s->i2c_segment);
}

/*
 * Everything a guest could not have produced is refused: bits outside a
 * byte's mask, an unknown training result, a result the pattern being
 * sent contradicts, or a trained link the sink could not lock to.
 */
int dp_sink_load(struct dp_sink *s, struct blob_r *r)
{
	struct dp_sink t = *s;
	uint8_t version, connected;
	unsigned i;
	bool ok;

	version = blob_get_u8(r);
	connected = blob_get_u8(r);
	blob_get_bytes(r, t.link, sizeof(t.link));
	t.train = blob_get_u8(r);
	t.power = blob_get_u8(r);
	blob_get_bytes(r, t.source_id, sizeof(t.source_id));
	t.i2c_offset = blob_get_u8(r);
	t.i2c_segment = blob_get_u8(r);

	ok = !r->failed && version == DP_SINK_SAVE_VERSION && connected <= 1 &&
	     t.train <= DP_SINK_TRAIN_EQ && !(t.power & ~SET_POWER_MASK);
	for (i = 0; ok && i < sizeof(t.link); i++)
		ok = !(t.link[i] & ~link_mask[i]);
	if (ok && t.train != DP_SINK_TRAIN_NONE)
		ok = link_lockable(&t);
	if (ok && pattern(&t) != 0) {
		uint8_t saved = t.train;

		link_update(&t, false);
		ok = t.train == saved;
	}
	if (!ok) {
		blob_r_fail(r);
		return -EINVAL;
	}
	t.connected = connected;
	*s = t;
	return 0;
}
