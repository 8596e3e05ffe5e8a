/* SPDX-License-Identifier: MIT */
/*
 * blob.h - a byte stream for saved device state.
 *
 * A writer appends little-endian integers and byte strings to a growing
 * buffer; a reader takes them back in the same order and fails (sticky:
 * every later read also fails and yields 0) on a short or corrupt stream,
 * so a loader checks once at the end.  Saved state comes from files an
 * admin hands us; it is validated by the loader like any guest input.
 */
#ifndef XENGT_UTIL_BLOB_H
#define XENGT_UTIL_BLOB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct blob_w {
	uint8_t *buf;
	size_t len, cap;
	bool failed; /* out of memory */
};

struct blob_r {
	const uint8_t *buf;
	size_t len, pos;
	bool failed;
};

void blob_w_init(struct blob_w *w);
void blob_w_free(struct blob_w *w);
void blob_put_u8(struct blob_w *w, uint8_t v);
void blob_put_u32(struct blob_w *w, uint32_t v);
void blob_put_u64(struct blob_w *w, uint64_t v);
void blob_put_bytes(struct blob_w *w, const void *p, size_t n);

void blob_r_init(struct blob_r *r, const void *buf, size_t len);
uint8_t blob_get_u8(struct blob_r *r);
uint32_t blob_get_u32(struct blob_r *r);
uint64_t blob_get_u64(struct blob_r *r);
/* Copy n bytes out; false (and the reader failed) if fewer remain. */
bool blob_get_bytes(struct blob_r *r, void *p, size_t n);
/* Point at the next n bytes without copying; NULL if fewer remain. */
const uint8_t *blob_get_view(struct blob_r *r, size_t n);
/* Mark the stream bad (a loader found a value out of range). */
static inline void blob_r_fail(struct blob_r *r)
{
	r->failed = true;
}

#endif
