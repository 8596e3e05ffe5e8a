/* SPDX-License-Identifier: MIT */
/*
 * blob.c - the byte stream of saved device state.
 */
#include "util/blob.h"

#include <stdlib.h>
#include <string.h>

#include "util/le.h"

void blob_w_init(struct blob_w *w)
{
	memset(w, 0, sizeof(*w));
}

void blob_w_free(struct blob_w *w)
{
	free(w->buf);
	memset(w, 0, sizeof(*w));
}

static uint8_t *grow(struct blob_w *w, size_t n)
{
	uint8_t *p;
	size_t cap;

	if (w->failed)
		return NULL;
	if (n > SIZE_MAX - w->len) {
		w->failed = true;
		return NULL;
	}
	if (w->len + n > w->cap) {
		cap = w->cap ? w->cap : 4096;
		while (cap < w->len + n)
			cap = cap > SIZE_MAX / 2 ? w->len + n : cap * 2;
		p = realloc(w->buf, cap);
		if (!p) {
			w->failed = true;
			return NULL;
		}
		w->buf = p;
		w->cap = cap;
	}
	p = w->buf + w->len;
	w->len += n;
	return p;
}

void blob_put_bytes(struct blob_w *w, const void *src, size_t n)
{
	uint8_t *p = grow(w, n);

	if (p && n)
		memcpy(p, src, n);
}

static void put_le_n(struct blob_w *w, uint64_t v, unsigned n)
{
	uint8_t *p = grow(w, n);

	if (p)
		le_put(p, v, n);
}

void blob_put_u8(struct blob_w *w, uint8_t v)
{
	put_le_n(w, v, 1);
}

void blob_put_u32(struct blob_w *w, uint32_t v)
{
	put_le_n(w, v, 4);
}

void blob_put_u64(struct blob_w *w, uint64_t v)
{
	put_le_n(w, v, 8);
}

void blob_r_init(struct blob_r *r, const void *buf, size_t len)
{
	r->buf = buf;
	r->len = buf ? len : 0;
	r->pos = 0;
	r->failed = false;
}

const uint8_t *blob_get_view(struct blob_r *r, size_t n)
{
	const uint8_t *p;

	if (r->failed || n > r->len - r->pos) {
		r->failed = true;
		return NULL;
	}
	p = r->buf + r->pos;
	r->pos += n;
	return p;
}

bool blob_get_bytes(struct blob_r *r, void *dst, size_t n)
{
	const uint8_t *p = blob_get_view(r, n);

	if (!p)
		return false;
	if (n)
		memcpy(dst, p, n);
	return true;
}

static uint64_t get_le_n(struct blob_r *r, unsigned n)
{
	const uint8_t *p = blob_get_view(r, n);

	return p ? le_get(p, n) : 0;
}

uint8_t blob_get_u8(struct blob_r *r)
{
	return (uint8_t)get_le_n(r, 1);
}

uint32_t blob_get_u32(struct blob_r *r)
{
	return (uint32_t)get_le_n(r, 4);
}

uint64_t blob_get_u64(struct blob_r *r)
{
	return get_le_n(r, 8);
}
