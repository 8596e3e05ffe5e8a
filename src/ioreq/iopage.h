/* SPDX-License-Identifier: MIT */
/*
 * iopage.h - the two shared pages Xen puts requests in, read and answered
 * by the rules of xen/hvm/ioreq.h.
 *
 * Synchronous slots (one per vCPU): the state byte is loaded with acquire
 * semantics; only READY is taken; the slot goes INPROCESS, is emulated from
 * a local copy, gets its data, and is released IORESP_READY with a release
 * store.  The state shares its byte with data_is_ptr/dir/df, so the whole
 * byte is rewritten with those bits kept.
 *
 * Buffered ring (HVM_IOREQSRV_BUFIOREQ_ATOMIC): the pointer pair is read as
 * one 64-bit value, slot = pointer % 511, a qword takes two slots (the
 * second only once published), and read_pointer advances by an atomic add
 * because Xen renormalises both pointers behind our back.
 */
#ifndef XENGT_IOREQ_IOPAGE_H
#define XENGT_IOREQ_IOPAGE_H

#include <stdbool.h>
#include <stdint.h>

#include <xen/hvm/ioreq.h>

/* Offset of the byte holding state:4 data_is_ptr:1 dir:1 df:1 pad:1. */
#define IOREQ_FLAGS_OFFSET 30
#define IOREQ_STATE_MASK 0x0f
#define IOREQ_FLAG_PTR 0x10
#define IOREQ_FLAG_DIR 0x20
#define IOREQ_FLAG_DF 0x40

/*
 * Take slot if READY: copy it to *req, mark it INPROCESS and return true.
 * Otherwise leave it and return false with the state seen in *state.
 */
bool iopage_take(ioreq_t *slot, ioreq_t *req, unsigned *state);
/* Write req->data into the slot and release it as IORESP_READY. */
void iopage_answer(ioreq_t *slot, const ioreq_t *req);
/* The slot's state now (acquire). */
unsigned iopage_state(const ioreq_t *slot);

enum bufring_result {
	BUFRING_EMPTY = 0,   /* drained: nothing left */
	BUFRING_MORE = 1,    /* budget used up with entries left */
	BUFRING_STALLED = 2, /* a qword's second half is not published yet */
	BUFRING_CORRUPT = 3, /* pointers make no sense; the ring was skipped */
};

/* Called for each buffered request, decoded as a count-1 ioreq. */
typedef void bufring_fn(void *opaque, ioreq_t *req);

/*
 * Drain up to `budget` entries (a qword counts as one).  *drained gets the
 * number of requests handed to fn.
 */
enum bufring_result bufring_drain(buffered_iopage_t *page, bufring_fn *fn,
				  void *opaque, unsigned budget,
				  unsigned *drained);

/* Decode one slot (and, for size 8, its second half) into *req. */
void bufring_decode(const buf_ioreq_t *lo, const buf_ioreq_t *hi,
		    ioreq_t *req);

#endif
