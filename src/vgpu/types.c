/* SPDX-License-Identifier: MIT */
/*
 * types.c - the GVTg_V5_* types.  Source (facts): Linux gvt/vgpu.c
 * (the vgpu_types table: low/high GM, fences, weight, resolution) and
 * gvt/gvt.h (HOST_LOW_GM_SIZE 128 MiB, HOST_HIGH_GM_SIZE 384 MiB).
 * docs/vgpu-types.md is the table an admin reads.
 */
#include "vgpu/types.h"

#include <string.h>

#define MiB (1ull << 20)
#define HOST_LOW_GM_SIZE (128 * MiB)
#define HOST_HIGH_GM_SIZE (384 * MiB)

/* clang-format off */
static const struct vgpu_type types[] = {
	/* name        low GM     high GM     fences weight  max mode */
	{"GVTg_V5_8",  64 * MiB,  384 * MiB,  4,     2,      1024, 768},
	{"GVTg_V5_4",  128 * MiB, 512 * MiB,  4,     4,      1920, 1200},
	{"GVTg_V5_2",  256 * MiB, 1024 * MiB, 4,     8,      1920, 1200},
	{"GVTg_V5_1",  512 * MiB, 2048 * MiB, 4,     16,     1920, 1200},
};
/* clang-format on */

#define NTYPES (sizeof(types) / sizeof(types[0]))

const struct vgpu_type *vgpu_type_find(const char *name)
{
	unsigned i;

	for (i = 0; name && i < NTYPES; i++)
		if (!strcmp(types[i].name, name))
			return &types[i];
	return NULL;
}

const struct vgpu_type *vgpu_type_at(unsigned i)
{
	return i < NTYPES ? &types[i] : NULL;
}

void vgpu_type_partition(const struct vgpu_type *t, struct vgpu_partition *p)
{
	uint64_t ap = 256 * MiB;

	while (ap < HOST_LOW_GM_SIZE + t->low_gm)
		ap *= 2;
	p->aperture_size = ap;
	p->mappable_base = HOST_LOW_GM_SIZE;
	p->mappable_size = t->low_gm;
	p->hidden_base = ap + HOST_HIGH_GM_SIZE;
	p->hidden_size = t->high_gm;
	p->fences = t->fences;
}
