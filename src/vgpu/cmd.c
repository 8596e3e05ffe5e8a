/* SPDX-License-Identifier: MIT */
/*
 * cmd.c - the command streamer (cmd.h).
 *
 * Encodings (i915 gt/intel_gpu_commands.h, gvt/cmd_parser.c; facts only;
 * docs/vgpu-execlists-facts.md section 5): bits 31:29 of a header are the
 * client: 0 MI, 2 2D (blitter), 3 GFX (3D, media, video).  An MI header
 * has its opcode in bits 28:23 and, for opcodes from 0x10 up, a length
 * field of total dwords - 2.  A GFX header has subtype 28:27, opcode 26:24
 * and sub-opcode 23:16, and an 8-bit length field (16 bits for media on
 * the render engine, 12 on the video engines); a 2D header has 8 bits.
 *
 * The streamer executes what moves data or signals (stores, register
 * loads and stores, flushes' post-sync writes, batch starts and ends, the
 * user interrupt), takes the arbitration and synchronisation hints as
 * no-ops (it runs one context at a time, to the end), and steps over 3D,
 * media and 2D commands by their length without drawing: this engine
 * renders nothing yet.  Anything else stops the run.
 */
#include "vgpu/cmd.h"

#include <endian.h>
#include <errno.h>
#include <string.h>

#include "util/log.h"

#define CMD_MAX_FETCH 1026 /* MI_STORE_DATA_IMM's longest form */

struct stream {
	bool ring;  /* offsets wrap at size and the run ends at tail */
	bool ppgtt; /* batch addresses are per-process */
	uint64_t base;
	uint32_t size, tail;
	uint64_t pos; /* ring: byte offset; batch: address */
};

struct exec {
	struct cmd_run *r;
	struct stream st[CMD_MAX_DEPTH + 1];
	unsigned depth;
	uint32_t dw[CMD_MAX_FETCH];
	uint32_t len; /* dwords of the command in dw */
};

typedef int cmd_fn(struct exec *e);

static int fail(struct exec *e, int rc, const char *why)
{
	e->r->error = why;
	return rc;
}

/* ---- fetching -------------------------------------------------------- */

static uint64_t addr_at(const struct stream *s, uint64_t byte)
{
	return s->ring ? s->base + (s->pos + byte) % s->size : s->pos + byte;
}

static int fetch(struct exec *e, uint32_t n)
{
	const struct stream *s = &e->st[e->depth];
	uint32_t i = 0, chunk;

	while (i < n) {
		chunk = n - i;
		if (s->ring) {
			uint32_t off =
			    (uint32_t)((s->pos + 4ull * i) % s->size);

			if (chunk > (s->size - off) / 4)
				chunk = (s->size - off) / 4;
		} else if (chunk > 1024) {
			chunk = 1024;
		}
		if (gm_read(e->r->gm, s->ppgtt, addr_at(s, 4ull * i), &e->dw[i],
			    4ull * chunk) < 0)
			return fail(e, -EFAULT,
				    "command fetch from an address "
				    "that does not translate");
		i += chunk;
	}
	for (i = 0; i < n; i++)
		e->dw[i] = le32toh(e->dw[i]);
	return 0;
}

/* Dwords between a ring's position and its tail. */
static uint32_t ring_room(const struct stream *s)
{
	return (uint32_t)(((uint64_t)s->tail + s->size - s->pos) % s->size) / 4;
}

static void advance(struct stream *s, uint32_t n)
{
	if (s->ring)
		s->pos = (s->pos + 4ull * n) % s->size;
	else
		s->pos += 4ull * n;
}

/* ---- operands -------------------------------------------------------- */

static uint64_t addr48(uint32_t lo, uint32_t hi, uint32_t align_mask)
{
	return ((uint64_t)(hi & 0xffff) << 32) | (lo & ~align_mask);
}

static int store(struct exec *e, bool ppgtt, uint64_t addr, const void *buf,
		 size_t len)
{
	if (gm_write(e->r->gm, ppgtt, addr, buf, len) < 0)
		return fail(e, -EFAULT,
			    "store to an address that does not translate");
	return 0;
}

/* A store-index offset: into the context's status page, inside it. */
static int store_index(struct exec *e, uint32_t off, const void *buf,
		       size_t len)
{
	off &= 0xffc;
	if (off + len > 4096)
		return fail(e, -EINVAL, "store index past the status page");
	return store(e, false, e->r->pphwsp + off, buf, len);
}

static int reg_read(struct exec *e, uint32_t reg, uint32_t *val)
{
	if (e->r->regs.read(e->r->regs.opaque, reg & 0x7ffffc, val) < 0)
		return fail(e, -EPERM, "register a command may not read");
	return 0;
}

static int reg_write(struct exec *e, uint32_t reg, uint32_t val)
{
	if (e->r->regs.write(e->r->regs.opaque, reg & 0x7ffffc, val) < 0)
		return fail(e, -EPERM, "register a command may not write");
	return 0;
}

/* ---- MI commands ------------------------------------------------------ */

#define MI_USE_GGTT (1u << 22)
#define MI_STORE_QWORD (1u << 21)

static int mi_user_interrupt(struct exec *e)
{
	e->r->events |= CMD_EV_USER;
	return 0;
}

static int mi_bb_end(struct exec *e)
{
	if (e->depth > 0)
		e->depth--;
	/* In the ring itself it ends nothing: the ring runs to its tail. */
	return 0;
}

#define BB_PPGTT (1u << 8)
#define BB_2ND_LEVEL (1u << 22)

static int mi_bb_start(struct exec *e)
{
	struct stream b = {
	    .ppgtt = !!(e->dw[0] & BB_PPGTT),
	    .pos = addr48(e->dw[1], e->len > 2 ? e->dw[2] : 0, 3),
	};
	bool second = !!(e->dw[0] & BB_2ND_LEVEL);

	if (e->depth > 0 && !second) {
		e->st[e->depth] = b; /* chained: the batch continues there */
		return 0;
	}
	if (e->depth >= CMD_MAX_DEPTH)
		return fail(e, -ELOOP, "batch buffers nested too deep");
	e->st[++e->depth] = b;
	return 0;
}

static int mi_store_data_imm(struct exec *e)
{
	uint32_t n = e->len - 3;

	if (e->len < 4 || ((e->dw[0] & MI_STORE_QWORD) && n % 2))
		return fail(e, -EINVAL, "MI_STORE_DATA_IMM without its data");
	return store(e, !(e->dw[0] & MI_USE_GGTT),
		     addr48(e->dw[1], e->dw[2], 3), &e->dw[3], 4ull * n);
}

static int mi_store_data_index(struct exec *e)
{
	if (e->len < 3)
		return fail(e, -EINVAL, "MI_STORE_DATA_INDEX without data");
	return store_index(e, e->dw[1], &e->dw[2], 4ull * (e->len - 2));
}

static int mi_lri(struct exec *e)
{
	uint32_t i;
	int rc;

	if (e->len % 2 == 0)
		return fail(e, -EINVAL,
			    "MI_LOAD_REGISTER_IMM with half a pair");
	for (i = 1; i + 1 < e->len; i += 2) {
		rc = reg_write(e, e->dw[i], e->dw[i + 1]);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int mi_srm(struct exec *e)
{
	uint32_t val;
	int rc = reg_read(e, e->dw[1], &val);

	if (rc < 0)
		return rc;
	val = htole32(val);
	return store(e, !(e->dw[0] & MI_USE_GGTT),
		     addr48(e->dw[2], e->dw[3], 3), &val, 4);
}

static int mi_lrm(struct exec *e)
{
	uint32_t val;

	if (gm_read(e->r->gm, !(e->dw[0] & MI_USE_GGTT),
		    addr48(e->dw[2], e->dw[3], 3), &val, 4) < 0)
		return fail(e, -EFAULT,
			    "load from an address that does not translate");
	return reg_write(e, e->dw[1], le32toh(val));
}

static int mi_lrr(struct exec *e)
{
	uint32_t val;
	int rc = reg_read(e, e->dw[1], &val);

	return rc < 0 ? rc : reg_write(e, e->dw[2], val);
}

/* Post-sync operations of MI_FLUSH_DW and PIPE_CONTROL, bits 15:14. */
#define POST_SYNC(dw) (((dw) >> 14) & 3)
#define POST_SYNC_IMM 1
#define POST_SYNC_TIMESTAMP 3
#define STORE_INDEX (1u << 21)
#define NOTIFY (1u << 8)

static int post_sync(struct exec *e, uint32_t flags, bool ggtt, uint64_t addr,
		     const uint32_t *data, unsigned ndata)
{
	uint32_t buf[2] = {0, 0};
	unsigned n = 2;

	switch (POST_SYNC(flags)) {
	case 0:
		return 0;
	case POST_SYNC_IMM:
		buf[0] = htole32(data[0]);
		buf[1] = htole32(ndata > 1 ? data[1] : 0);
		n = ndata > 1 ? 2 : 1;
		break;
	case POST_SYNC_TIMESTAMP:
		buf[0] = htole32((uint32_t)e->r->timestamp);
		buf[1] = htole32((uint32_t)(e->r->timestamp >> 32));
		break;
	default: /* depth count: nothing was drawn */
		break;
	}
	if (flags & STORE_INDEX)
		return store_index(e, (uint32_t)addr, buf, 4ull * n);
	return store(e, !ggtt, addr, buf, 4ull * n);
}

#define FLUSH_DW_USE_GTT (1u << 2)

static int mi_flush_dw(struct exec *e)
{
	if (e->dw[0] & NOTIFY)
		e->r->events |= CMD_EV_NOTIFY;
	if (!POST_SYNC(e->dw[0]))
		return 0;
	if (e->len < 4)
		return fail(e, -EINVAL, "MI_FLUSH_DW post-sync without data");
	return post_sync(e, e->dw[0], !!(e->dw[1] & FLUSH_DW_USE_GTT),
			 addr48(e->dw[1], e->dw[2], 7), &e->dw[3], e->len - 3);
}

/* ---- GFX commands ------------------------------------------------------ */

#define PC_GLOBAL_GTT (1u << 24)

static int pipe_control(struct exec *e)
{
	uint32_t flags = e->dw[1];

	if (flags & NOTIFY)
		e->r->events |= CMD_EV_NOTIFY;
	if (!POST_SYNC(flags))
		return 0;
	if (e->len < 6)
		return fail(e, -EINVAL, "PIPE_CONTROL post-sync without data");
	return post_sync(e, flags, !!(flags & PC_GLOBAL_GTT),
			 addr48(e->dw[2], e->dw[3], 3), &e->dw[4], 2);
}

/* ---- the MI table ---------------------------------------------------- */

/*
 * One line per MI opcode, like the bspec's command list: its name, fixed
 * length (0: from the length field, `lenbits` wide), what it does, and
 * which engines accept it.  No handler: a hint this streamer obeys by
 * construction (arbitration, waits on events that have all happened,
 * predication it does not need: it never skips a command; semaphores,
 * which i915 does not use on a vGPU); `skip`
 * commands are accepted and counted as not modelled.
 */
struct mi_cmd {
	const char *name;
	uint8_t len;
	uint8_t lenbits;
	bool skip;
	bool fetch; /* the handler reads the whole command */
	cmd_fn *fn;
};

/* clang-format off */
#define MI1(op, nm, ...) [op] = {.name = nm, .len = 1, __VA_ARGS__}
#define MIV(op, nm, bits, ...) [op] = {.name = nm, .lenbits = bits, __VA_ARGS__}

static const struct mi_cmd mi_cmds[64] = {
	MI1(0x00, "MI_NOOP"),
	MI1(0x01, "MI_SET_PREDICATE"),
	MI1(0x02, "MI_USER_INTERRUPT", .fn = mi_user_interrupt),
	MI1(0x03, "MI_WAIT_FOR_EVENT"),
	MI1(0x04, "MI_FLUSH"),
	MI1(0x05, "MI_ARB_CHECK"),
	MI1(0x06, "MI_RS_CONTROL"),
	MI1(0x07, "MI_REPORT_HEAD"),
	MI1(0x08, "MI_ARB_ON_OFF"),
	MI1(0x09, "MI_URB_ATOMIC_ALLOC", .skip = true),
	MI1(0x0a, "MI_BATCH_BUFFER_END", .fn = mi_bb_end),
	MI1(0x0b, "MI_SUSPEND_FLUSH"),
	MI1(0x0c, "MI_PREDICATE"),
	MI1(0x0d, "MI_TOPOLOGY_FILTER"),
	MI1(0x0e, "MI_SET_APPID"),
	MI1(0x0f, "MI_RS_CONTEXT"),
	[0x12] = {.name = "MI_LOAD_SCAN_LINES_INCL", .len = 2, .skip = true},
	MIV(0x13, "MI_LOAD_SCAN_LINES_EXCL", 6, .skip = true),
	MIV(0x14, "MI_DISPLAY_FLIP", 8, .skip = true),
	MIV(0x1a, "MI_MATH", 8, .skip = true),
	MIV(0x1c, "MI_SEMAPHORE_WAIT", 8),
	MIV(0x20, "MI_STORE_DATA_IMM", 10, .fetch = true, .fn = mi_store_data_imm),
	MIV(0x21, "MI_STORE_DATA_INDEX", 8, .fetch = true,
	    .fn = mi_store_data_index),
	MIV(0x22, "MI_LOAD_REGISTER_IMM", 8, .fetch = true, .fn = mi_lri),
	MIV(0x24, "MI_STORE_REGISTER_MEM", 8, .fetch = true, .fn = mi_srm),
	MIV(0x26, "MI_FLUSH_DW", 6, .fetch = true, .fn = mi_flush_dw),
	MIV(0x27, "MI_CLFLUSH", 10),
	MIV(0x28, "MI_REPORT_PERF_COUNT", 6, .skip = true),
	MIV(0x29, "MI_LOAD_REGISTER_MEM", 8, .fetch = true, .fn = mi_lrm),
	MIV(0x2a, "MI_LOAD_REGISTER_REG", 8, .fetch = true, .fn = mi_lrr),
	MIV(0x31, "MI_BATCH_BUFFER_START", 8, .fetch = true, .fn = mi_bb_start),
};
/* clang-format on */

/* Commands a handler needs in full, and the fixed minimum it reads
 * (MI_LOAD_REGISTER_IMM checks its pairs itself). */
static const uint8_t mi_min_len[64] = {
    [0x20] = 4, [0x21] = 3, [0x24] = 4,
    [0x26] = 2, [0x29] = 4, [0x2a] = 3, [0x31] = 2,
};

struct decoded {
	const char *name;
	uint32_t len;
	bool skip, fetch;
	cmd_fn *fn;
};

static int decode_gfx(struct exec *e, uint32_t h, struct decoded *d)
{
	enum cmd_engine_class cls = e->r->cls;
	unsigned sub = (h >> 27) & 3, op = (h >> 24) & 7,
		 subop = (h >> 16) & 0xff;
	unsigned bits = 8;

	if (cls == CMD_BCS)
		return fail(e, -EINVAL, "3D/media command on the blitter");
	if (sub == 3 && op == 2 && subop == 0) {
		if (cls != CMD_RCS)
			return fail(e, -EINVAL,
				    "PIPE_CONTROL off the render engine");
		*d = (struct decoded){"PIPE_CONTROL", (h & 0xff) + 2, false,
				      true, pipe_control};
		if (d->len < 2)
			d->len = 2;
		return 0;
	}
	if (sub == 1 &&
	    ((op == 1 && subop == 4) || (op == 0 && subop == 0x0b))) {
		*d = (struct decoded){op ? "PIPELINE_SELECT"
					 : "3DSTATE_VF_STATISTICS",
				      1, true, false, NULL};
		return 0;
	}
	if (sub == 2)
		bits = cls == CMD_RCS ? 16 : 12;
	*d = (struct decoded){"3D/media", (h & ((1u << bits) - 1)) + 2, true,
			      false, NULL};
	return 0;
}

static int decode(struct exec *e, uint32_t h, struct decoded *d)
{
	const struct mi_cmd *m;

	switch (h >> 29) {
	case 0:
		m = &mi_cmds[(h >> 23) & 0x3f];
		if (!m->name)
			return fail(e, -EINVAL, "unknown MI command");
		*d = (struct decoded){
		    m->name,
		    m->len ? m->len : (h & ((1u << m->lenbits) - 1)) + 2,
		    m->skip, m->fetch, m->fn};
		if (d->len < mi_min_len[(h >> 23) & 0x3f])
			return fail(e, -EINVAL,
				    "command shorter than its form");
		return 0;
	case 2:
		if (e->r->cls != CMD_BCS)
			return fail(e, -EINVAL, "2D command off the blitter");
		*d = (struct decoded){"2D", (h & 0xff) + 2, true, false, NULL};
		return 0;
	case 3:
		return decode_gfx(e, h, d);
	default:
		return fail(e, -EINVAL, "unknown command client");
	}
}

/* ---- the run --------------------------------------------------------- */

static int step(struct exec *e)
{
	struct stream *s = &e->st[e->depth];
	struct decoded d;
	int rc;

	e->r->error_addr = addr_at(s, 0);
	rc = fetch(e, 1);
	if (rc < 0)
		return rc;
	e->r->error_header = e->dw[0];
	rc = decode(e, e->dw[0], &d);
	if (rc < 0)
		return rc;
	if (s->ring && d.len > ring_room(s))
		return fail(e, -EINVAL, "command runs past the ring's tail");
	if (d.fetch) {
		if (d.len > CMD_MAX_FETCH)
			return fail(e, -EINVAL, "command too long");
		rc = fetch(e, d.len);
		if (rc < 0)
			return rc;
	}
	e->len = d.len;
	advance(s, d.len);
	e->r->commands++;
	if (d.skip) {
		e->r->skipped++;
		log_guest(LOG_DEBUG, "engine: %s (0x%08x) not executed", d.name,
			  e->dw[0]);
	}
	return d.fn ? d.fn(e) : 0;
}

int cmd_run_ring(struct cmd_run *r, uint64_t start, uint32_t size,
		 uint32_t head, uint32_t tail)
{
	struct exec e = {.r = r};
	int rc;

	r->error = NULL;
	if (!size || size % 4096 || head >= size || tail >= size ||
	    (head | tail) & 3)
		return fail(&e, -EINVAL,
			    "ring head, tail or size out of range");
	e.st[0] = (struct stream){.ring = true,
				  .base = start,
				  .size = size,
				  .tail = tail,
				  .pos = head};
	while (e.depth > 0 || e.st[0].pos != tail) {
		if (r->commands >= CMD_MAX_COMMANDS)
			return fail(&e, -ELOOP, "too many commands in one run");
		rc = step(&e);
		if (rc < 0)
			return rc;
	}
	return 0;
}
