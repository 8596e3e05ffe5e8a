/* SPDX-License-Identifier: MIT */
/*
 * cmd.h - the command streamer: runs a ring's commands from head to tail,
 * and the batch buffers they start, against graphics memory (gm.h).
 *
 * What it executes, what it skips and what stops it is the table in
 * cmd.c and docs/vgpu-execlists.md.  Everything in the ring is the
 * guest's: every address is translated and checked, every length bounded,
 * and a run ends after CMD_MAX_COMMANDS commands whatever they are, so a
 * looping batch costs a bounded time.  A command the streamer cannot
 * execute stops the run with an error, as a hang stops a real engine.
 */
#ifndef XENGT_VGPU_CMD_H
#define XENGT_VGPU_CMD_H

#include <stdbool.h>
#include <stdint.h>

#include "vgpu/gm.h"

#define CMD_MAX_COMMANDS (1u << 18)
#define CMD_MAX_DEPTH 2 /* batch levels below the ring */

/* Events a run raises, for the engine's interrupt bits. */
#define CMD_EV_USER (1u << 0)	/* MI_USER_INTERRUPT */
#define CMD_EV_NOTIFY (1u << 4) /* PIPE_CONTROL / MI_FLUSH_DW notify */

enum cmd_engine_class { CMD_RCS, CMD_BCS, CMD_VCS, CMD_VECS };

/* What commands act on besides memory: the engine's registers. */
struct cmd_regs {
	/* 0, or -EPERM for a register a command buffer may not touch. */
	int (*read)(void *opaque, uint32_t reg, uint32_t *val);
	int (*write)(void *opaque, uint32_t reg, uint32_t val);
	void *opaque;
};

struct cmd_run {
	/* in */
	enum cmd_engine_class cls;
	const struct gm_space *gm;
	uint64_t pphwsp; /* GGTT address of the context's status page */
	uint64_t timestamp;
	struct cmd_regs regs;
	/* out */
	uint32_t events;   /* CMD_EV_* */
	uint32_t commands; /* commands executed or skipped */
	uint32_t skipped;  /* of which not executed (3D, media, 2D) */
	const char *error; /* why the run stopped, or NULL */
	uint64_t error_addr;
	uint32_t error_header;
};

/*
 * Run ring [start, start + size) from byte `head` to byte `tail`
 * (GGTT).  0 when the tail was reached; otherwise a negative errno and
 * r->error says why, with the address and header of the command.
 */
int cmd_run_ring(struct cmd_run *r, uint64_t start, uint32_t size,
		 uint32_t head, uint32_t tail);

#endif
