/* SPDX-License-Identifier: MIT */
/*
 * ranges.c - sorted, non-overlapping claimed spans with containment lookup.
 */
#include "ioreq/ranges.h"

#include <errno.h>
#include <string.h>

void ranges_init(struct range_set *s)
{
	s->n = 0;
	s->last = -1;
}

/* Index of the first span whose start is > key (0..n). */
static unsigned upper_bound(const struct range_set *s, uint64_t key)
{
	unsigned lo = 0, hi = s->n;

	while (lo < hi) {
		unsigned mid = lo + (hi - lo) / 2;

		if (s->v[mid].start <= key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int ranges_add(struct range_set *s, uint64_t start, uint64_t end,
	       struct io_region *r)
{
	unsigned i;

	if (start > end)
		return -EINVAL;
	i = upper_bound(s, start);
	/* the span before must end before start; the one after begin after end */
	if (i > 0 && s->v[i - 1].end >= start)
		return -EEXIST;
	if (i < s->n && s->v[i].start <= end)
		return -EEXIST;
	if (s->n == RANGES_MAX)
		return -ENOSPC;
	memmove(&s->v[i + 1], &s->v[i], (s->n - i) * sizeof(s->v[0]));
	s->v[i].start = start;
	s->v[i].end = end;
	s->v[i].region = r;
	s->n++;
	s->last = -1;
	return 0;
}

int ranges_del(struct range_set *s, const struct io_region *r)
{
	unsigned i;

	for (i = 0; i < s->n; i++) {
		if (s->v[i].region != r)
			continue;
		memmove(&s->v[i], &s->v[i + 1],
			(s->n - i - 1) * sizeof(s->v[0]));
		s->n--;
		s->last = -1;
		return 0;
	}
	return -ENOENT;
}

const struct range *ranges_find(struct range_set *s, uint64_t first,
				uint64_t last)
{
	unsigned i;

	if (first > last)
		return NULL;
	if (s->last >= 0) {
		const struct range *c = &s->v[s->last];

		if (first >= c->start && last <= c->end)
			return c;
	}
	i = upper_bound(s, first);
	if (i == 0)
		return NULL;
	i--;
	if (last > s->v[i].end)
		return NULL;
	s->last = (int)i;
	return &s->v[i];
}
