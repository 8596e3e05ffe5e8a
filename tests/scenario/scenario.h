/* SPDX-License-Identifier: MIT */
/*
 * scenario.h - the vGPU scenario language (tests/scenario/README.md): a
 * parser and an interpreter that drives a backend through an ops table.
 *
 * The same .scn files run inside a Linux HVM guest on real Xen
 * (guest-linux.c) and against the daemon under xensim (test_scenarios.c).
 * Nothing in here knows which one it talks to.
 */
#ifndef XENGT_SCENARIO_H
#define XENGT_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum scn_op {
	SCN_CFG_READ,
	SCN_CFG_WRITE,
	SCN_BAR_SIZE,
	SCN_BAR_FLAGS,
	SCN_MMIO_READ,
	SCN_MMIO_WRITE,
	SCN_PIO_READ,
	SCN_PIO_WRITE,
	SCN_PORT_READ,
	SCN_REP_OUTS,
	SCN_REP_INS,
	SCN_REP_MOVS_TO,
	SCN_REP_MOVS_FROM,
	SCN_REP_STOS,
	SCN_MMIO_CHANGES,
	SCN_MMIO_STEADY,
	SCN_WAIT,
	SCN_IRQ_ATTACH,
	SCN_IRQ_DETACH,
	SCN_IRQ_WAIT,
	SCN_IRQ_NONE,
};

/* What a BAR decodes, as bar-flags names it. */
enum scn_bar_kind {
	SCN_BAR_NONE,
	SCN_BAR_MEM32,
	SCN_BAR_MEM32_PREF,
	SCN_BAR_MEM64,
	SCN_BAR_MEM64_PREF,
	SCN_BAR_IO,
};

/* An expectation: (got & mask) == (value & mask); mask 0 is `*`. */
struct scn_expect {
	uint64_t value;
	uint64_t mask;
};

/* bar for an absolute port (port-read). */
#define SCN_NO_BAR (~0u)

/* Largest string operation buffer (COUNT * SIZE). */
#define SCN_REP_MAX_BYTES 4096u

struct scn_step {
	enum scn_op op;
	unsigned line;
	unsigned bar;	/* 0, 2, 4; SCN_NO_BAR for port-read */
	uint64_t off;	/* config register, BAR offset or absolute port */
	unsigned size;	/* bytes per access / per item */
	uint32_t count; /* rep: items; irq-wait: interrupts */
	bool down;	/* rep: DF=1 */
	bool cross;	/* rep: RAM buffer crosses a page boundary */
	bool has_value; /* rep-movs-from: FIRST given */
	uint64_t value; /* write value, FIRST, stos value, bar-size bytes,
			   milliseconds (waits) */
	enum scn_bar_kind kind;	  /* bar-flags */
	struct scn_expect expect; /* reads, rep-ins */
};

struct scn_check {
	char *name;
	unsigned line;
	size_t first; /* index of its first step */
	size_t nsteps;
};

struct scn_script {
	char *file;
	struct scn_step *steps;
	size_t nsteps;
	size_t nsetup; /* steps[0 .. nsetup) come before the first check */
	struct scn_check *checks;
	size_t nchecks;
};

/* One string instruction as the backend must execute it. */
struct scn_rep {
	enum scn_op op; /* SCN_REP_OUTS, _INS, _MOVS_TO, _MOVS_FROM, _STOS */
	unsigned bar;	/* 4 for ins/outs, 0 or 2 otherwise */
	uint64_t off;	/* port offset in BAR 4, or the lowest MMIO item */
	unsigned size;
	uint32_t count;
	bool down;	/* DF=1: start at the highest item (both sides) */
	bool cross;	/* RAM buffer starts `size` bytes before a page end */
	uint64_t value; /* rep stos */
};

/*
 * The backend.  Every function returns 0 or a negative errno; after an
 * error, errmsg (if set) may describe it.  MMIO and port offsets are
 * relative to the BAR; the backend checks them against the BAR's size.
 */
struct scn_ops {
	int (*cfg_read)(void *ctx, unsigned reg, unsigned size, uint32_t *val);
	int (*cfg_write)(void *ctx, unsigned reg, unsigned size, uint32_t val);
	/* Size and kind of a BAR (0 bytes / SCN_BAR_NONE: not implemented). */
	int (*bar_info)(void *ctx, unsigned bar, uint64_t *size,
			enum scn_bar_kind *kind);
	int (*mmio_read)(void *ctx, unsigned bar, uint64_t off, unsigned size,
			 uint64_t *val);
	int (*mmio_write)(void *ctx, unsigned bar, uint64_t off, unsigned size,
			  uint64_t val);
	/* bar == SCN_NO_BAR: off is an absolute port. */
	int (*pio_read)(void *ctx, unsigned bar, uint64_t off, unsigned size,
			uint32_t *val);
	int (*pio_write)(void *ctx, unsigned bar, uint64_t off, unsigned size,
			 uint32_t val);
	/*
	 * Execute one string instruction.  `items` holds count * size bytes,
	 * item 0 at the lowest address: the backend copies it into its RAM
	 * buffer before outs / movs-to, and copies the buffer back into it
	 * after ins / movs-from (whose buffer it first fills with 0xa5).
	 */
	int (*rep)(void *ctx, const struct scn_rep *r, void *items);
	/*
	 * Interrupts.  attach: a driver takes the device, enables one MSI
	 * vector and bus mastering, and from then on handles each interrupt
	 * as i915's Gen8+ handler does (master off, clear the pending banks'
	 * IIR, master on).  count: the interrupts it has handled since attach
	 * (the backend may do pending handler work in this call).  detach:
	 * the driver lets go; MSI and bus mastering are off again.
	 */
	int (*irq_attach)(void *ctx);
	int (*irq_count)(void *ctx, uint64_t *count);
	int (*irq_detach)(void *ctx);
	const char *(*errmsg)(void *ctx);
};

struct scn_counts {
	unsigned passed;
	unsigned failed;
};

/*
 * Parse a scenario from `in`; `file` names it in messages.  On error returns
 * a negative errno and puts "FILE:LINE: what" into err.
 */
int scn_parse(FILE *in, const char *file, struct scn_script **out, char *err,
	      size_t errlen);
int scn_parse_file(const char *path, struct scn_script **out, char *err,
		   size_t errlen);
void scn_free(struct scn_script *s);

/* Print the parsed steps, one per line, in the language itself. */
void scn_print(const struct scn_script *s, FILE *out);
/* Format one step in the language (what the FAIL lines quote). */
void scn_format_step(const struct scn_step *st, char *buf, size_t len);

/*
 * Run the setup steps and every check; write one "PASS: name" or
 * "FAIL: name: what" line per check (and "FAIL: setup: what" when a setup
 * step fails) to out, and add the results to *counts.
 */
void scn_run(const struct scn_script *s, const struct scn_ops *ops, void *ctx,
	     FILE *out, struct scn_counts *counts);

const char *scn_op_name(enum scn_op op);
const char *scn_kind_name(enum scn_bar_kind kind);

#endif
