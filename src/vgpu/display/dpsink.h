/* SPDX-License-Identifier: MIT */
/*
 * dpsink.h - a virtual DisplayPort monitor as a source sees it over the
 * DP AUX channel (dpsink.c): a DPCD 1.2 receiver (HBR, 4 lanes, SST, no
 * branch, no LTTPR) whose link trains as the source programs it, and an
 * EDID behind I2C-over-AUX at the DDC address.
 *
 * dp_sink_aux() has the type of ports.h's vgpu_aux_sink_fn and is meant to
 * be attached to an AUX channel with the sink as its opaque pointer.  The
 * bytes it returns and why: docs/vgpu-dpsink.md.
 */
#ifndef XENGT_VGPU_DISPLAY_DPSINK_H
#define XENGT_VGPU_DISPLAY_DPSINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct blob_r;
struct blob_w;

/*
 * The AUX request: byte 0 = command << 4 | address bits 19:16, bytes 1-2
 * = address bits 15:0, byte 3 = length - 1, then a write's data.  An
 * address-only I2C request is the first 3 bytes alone.
 */
#define DP_AUX_CMD_I2C_WRITE 0x0
#define DP_AUX_CMD_I2C_READ 0x1
#define DP_AUX_CMD_I2C_WRITE_STATUS 0x2 /* write status update */
#define DP_AUX_CMD_I2C_MOT 0x4		/* middle of transaction: no stop */
#define DP_AUX_CMD_NATIVE_WRITE 0x8
#define DP_AUX_CMD_NATIVE_READ 0x9

/* Reply byte 0: native reply in bits 5:4, I2C reply in bits 7:6. */
#define DP_AUX_REPLY_ACK 0x00
#define DP_AUX_REPLY_NACK 0x10
#define DP_AUX_REPLY_DEFER 0x20
#define DP_AUX_REPLY_I2C_NACK 0x40
#define DP_AUX_REPLY_I2C_DEFER 0x80

#define DP_AUX_PAYLOAD_MAX 16 /* data bytes per transaction */
#define DP_AUX_MSG_BYTES 20   /* header + payload: the 5 data registers */

/* One request, decoded. */
struct dp_aux_req {
	unsigned cmd;	     /* byte 0 bits 7:4 */
	uint32_t addr;	     /* 20 bits: DPCD address or I2C address */
	unsigned size;	     /* bytes read or written; 0: address-only */
	const uint8_t *data; /* a write's payload, inside the request */
};

/*
 * Decode `len` bytes of `req` (reads nothing past len): 0, or -EINVAL for
 * anything but one well-formed request:
 *
 *   len   command                          accepted when
 *   3     I2C (0x0-0x2, with or w/o MOT)   always (address-only)
 *   4     native read, I2C read            length field 0..15
 *   4+n   native write, I2C write, status  length field n-1, n <= 16
 *
 * Commands 0x3, 0x7 and 0xA-0xF, native address-only requests and
 * lengths over 20 are refused.  cmd and addr are filled whenever len >= 3.
 */
int dp_aux_decode(const uint8_t *req, unsigned len, struct dp_aux_req *out);

#define DP_SINK_EDID_MAX 512	   /* E-DDC segments 0 and 1 */
#define DP_SINK_LINK_BYTES 9	   /* DPCD 0x100-0x108 */
#define DP_SINK_SOURCE_ID_BYTES 12 /* DPCD 0x300-0x30B */

/* How far the link trained (what LANEx_STATUS reports). */
enum dp_sink_train {
	DP_SINK_TRAIN_NONE = 0,
	DP_SINK_TRAIN_CR = 1, /* clock recovery: CR_DONE */
	DP_SINK_TRAIN_EQ = 2, /* + CHANNEL_EQ_DONE, SYMBOL_LOCKED, aligned */
};

/*
 * One monitor.  The struct is public so a device can embed it; its
 * fields belong to dpsink.c (use the functions below).
 */
struct dp_sink {
	uint8_t edid[DP_SINK_EDID_MAX];
	size_t edid_len; /* 0: no EDID, the DDC address is NACKed */
	bool connected;
	uint8_t link[DP_SINK_LINK_BYTES]; /* 0x100-0x108 as kept */
	uint8_t train;			  /* enum dp_sink_train */
	uint8_t power;			  /* 0x600 SET_POWER */
	uint8_t source_id[DP_SINK_SOURCE_ID_BYTES];
	uint8_t i2c_offset;  /* the EDID byte the next DDC read returns */
	uint8_t i2c_segment; /* E-DDC segment pointer, 0 after a stop */
};

/*
 * A connected sink in its power-on state, with a copy of the EDID's first
 * DP_SINK_EDID_MAX bytes (edid may be NULL with edid_len 0).
 */
void dp_sink_init(struct dp_sink *s, const uint8_t *edid, size_t edid_len);

/* Power-on state again: link and I2C state cleared; EDID, plug kept. */
void dp_sink_reset(struct dp_sink *s);

/*
 * Plug or unplug.  A disconnected sink answers nothing (every request
 * times out); plugging one in again starts it from dp_sink_reset().
 */
void dp_sink_set_connected(struct dp_sink *s, bool connected);

/*
 * The AUX channel's sink (vgpu_aux_sink_fn, ports.h): answer the `len`
 * bytes of `req` sent on channel `ch` into `reply` (room for
 * DP_AUX_MSG_BYTES) and return the reply's length, or 0 for no reply.
 * `opaque` is the struct dp_sink.
 */
unsigned dp_sink_aux(void *opaque, unsigned ch, const uint8_t *req,
		     unsigned len, uint8_t *reply);

/* The sink's state (not the EDID, which belongs to whoever supplied it). */
void dp_sink_save(const struct dp_sink *s, struct blob_w *w);

/*
 * Load what dp_sink_save wrote: 0, or -EINVAL (the reader failed, the
 * sink unchanged) for a short stream or any value the sink cannot hold.
 */
int dp_sink_load(struct dp_sink *s, struct blob_r *r);

#endif
