/* SPDX-License-Identifier: MIT */
/*
 * le.h - little-endian byte order for values of 1 to 8 bytes: the one
 * helper every layer uses to move register values in and out of buffers
 * (guest memory, ioreq data, byte-array regions).
 */
#ifndef XENGT_UTIL_LE_H
#define XENGT_UTIL_LE_H

#include <stdint.h>

/* Store the low `size` bytes of v at p, least significant first. */
static inline void le_put(uint8_t *p, uint64_t v, unsigned size)
{
	for (unsigned i = 0; i < size && i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* Load `size` bytes at p as a little-endian value. */
static inline uint64_t le_get(const uint8_t *p, unsigned size)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < size && i < 8; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

#endif
