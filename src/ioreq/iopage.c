/* SPDX-License-Identifier: MIT */
/*
 * iopage.c - the synchronous slot state machine and the buffered ring.
 */
#include "ioreq/iopage.h"

#include <stddef.h>
#include <string.h>

_Static_assert(sizeof(ioreq_t) == 32, "ioreq_t layout");
_Static_assert(offsetof(ioreq_t, type) == IOREQ_FLAGS_OFFSET + 1,
	       "state byte sits just before type");
_Static_assert(sizeof(buf_ioreq_t) == 8, "buf_ioreq_t layout");
_Static_assert(sizeof(buffered_iopage_t) <= 4096, "buffered page");
_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
	       "the pointer pair is read as one little-endian qword");

static inline uint8_t *flags_byte(ioreq_t *r)
{
	return (uint8_t *)r + IOREQ_FLAGS_OFFSET;
}

unsigned iopage_state(const ioreq_t *slot)
{
	return __atomic_load_n(flags_byte((ioreq_t *)slot), __ATOMIC_ACQUIRE) &
	       IOREQ_STATE_MASK;
}

bool iopage_take(ioreq_t *slot, ioreq_t *req, unsigned *state)
{
	uint8_t b = __atomic_load_n(flags_byte(slot), __ATOMIC_ACQUIRE);

	*state = b & IOREQ_STATE_MASK;
	if (*state != STATE_IOREQ_READY)
		return false;
	memcpy(req, slot, sizeof(*req));
	/* the copy's flag bits are those of the byte we checked */
	*flags_byte(req) = b;
	__atomic_store_n(flags_byte(slot),
			 (uint8_t)((b & ~IOREQ_STATE_MASK) |
				   STATE_IOREQ_INPROCESS),
			 __ATOMIC_RELAXED);
	return true;
}

void iopage_answer(ioreq_t *slot, const ioreq_t *req)
{
	uint8_t b = *flags_byte((ioreq_t *)req);

	__atomic_store_n(&slot->data, req->data, __ATOMIC_RELAXED);
	__atomic_store_n(flags_byte(slot),
			 (uint8_t)((b & ~IOREQ_STATE_MASK) |
				   STATE_IORESP_READY),
			 __ATOMIC_RELEASE);
}

void bufring_decode(const buf_ioreq_t *lo, const buf_ioreq_t *hi,
		    ioreq_t *req)
{
	memset(req, 0, sizeof(*req));
	req->type = lo->type;
	req->dir = lo->dir;
	req->size = 1u << lo->size;
	req->addr = lo->addr;
	req->data = lo->data;
	if (hi)
		req->data |= (uint64_t)hi->data << 32;
	req->count = 1;
	req->state = STATE_IOREQ_READY;
}

static uint64_t load_pointers(buffered_iopage_t *page)
{
	return __atomic_load_n((uint64_t *)(void *)page, __ATOMIC_ACQUIRE);
}

enum bufring_result bufring_drain(buffered_iopage_t *page, bufring_fn *fn,
				  void *opaque, unsigned budget,
				  unsigned *drained)
{
	unsigned done = 0;

	*drained = 0;
	for (;;) {
		uint64_t ptrs = load_pointers(page);
		uint32_t rp = (uint32_t)ptrs, wp = (uint32_t)(ptrs >> 32);
		uint32_t avail = wp - rp, i = 0;
		enum bufring_result res = BUFRING_EMPTY;

		if (avail == 0)
			return BUFRING_EMPTY;
		if (avail > IOREQ_BUFFER_SLOT_NUM) {
			__atomic_fetch_add(&page->read_pointer, avail,
					   __ATOMIC_SEQ_CST);
			return BUFRING_CORRUPT;
		}
		while (i < avail) {
			const buf_ioreq_t *lo, *hi = NULL;
			buf_ioreq_t l, h;
			ioreq_t req;

			if (done == budget) {
				res = BUFRING_MORE;
				break;
			}
			lo = &page->buf_ioreq[(rp + i) % IOREQ_BUFFER_SLOT_NUM];
			memcpy(&l, lo, sizeof(l));
			if (l.size == 3) {
				if (i + 1 == avail) {
					res = BUFRING_STALLED;
					break;
				}
				hi = &page->buf_ioreq[(rp + i + 1) %
						      IOREQ_BUFFER_SLOT_NUM];
				memcpy(&h, hi, sizeof(h));
			}
			bufring_decode(&l, hi ? &h : NULL, &req);
			fn(opaque, &req);
			done++;
			i += hi ? 2 : 1;
		}
		if (i)
			__atomic_fetch_add(&page->read_pointer, i,
					   __ATOMIC_SEQ_CST);
		*drained = done;
		if (res != BUFRING_EMPTY)
			return res;
	}
}
