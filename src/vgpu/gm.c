/* SPDX-License-Identifier: MIT */
/*
 * gm.c - graphics-memory addresses to guest-physical ones (gm.h).
 *
 * PPGTT walk, Gen8 (i915 gt/gen8_ppgtt.c, facts only): a 48-bit address
 * indexes the PML4 with bits 47:39, the PDP with 38:30, the PD with 29:21
 * and the PT with 20:12; a 32-bit one starts at one of four PDPs chosen by
 * bits 31:30.
 */
#include "vgpu/gm.h"

#include <errno.h>
#include <string.h>

#include "util/le.h"
#include "vgpu/ggtt.h"

#define PTE_PRESENT (1ull << 0)
#define PTE_PS (1ull << 7)
#define PDE_IPS_64K (1ull << 11)
#define PTE_ADDR 0x0000fffffffff000ull
#define PAGE 4096u

/* Entry `index` of the table at guest-physical `table`. */
static int entry(const struct gm_space *s, uint64_t table, unsigned index,
		 uint64_t *e)
{
	uint8_t b[8];
	int rc = gmem_read(s->mem, (table & PTE_ADDR) + 8ull * index, b, 8);

	if (rc < 0)
		return rc;
	*e = le_get(b, 8);
	return *e & PTE_PRESENT ? 0 : -ENOENT;
}

static int ppgtt_walk(const struct gm_space *s, uint64_t addr, uint64_t *gpa)
{
	uint64_t e;
	int rc;

	switch (s->mode) {
	case GM_PPGTT_4LVL:
		if (addr >> 48)
			return -ERANGE;
		rc = entry(s, s->pdp[0], (addr >> 39) & 511, &e);
		break;
	case GM_PPGTT_3LVL:
		if (addr >> 32)
			return -ERANGE;
		e = s->pdp[(addr >> 30) & 3];
		rc = e & PTE_PRESENT ? 0 : -ENOENT;
		/* The PDP register holds the page directory itself. */
		if (rc == 0)
			goto pd;
		return rc;
	default:
		return -EOPNOTSUPP;
	}
	if (rc < 0)
		return rc;
	rc = entry(s, e, (addr >> 30) & 511, &e); /* PDP entry */
	if (rc < 0)
		return rc;
	if (e & PTE_PS)
		return -EOPNOTSUPP;
pd:
	rc = entry(s, e, (addr >> 21) & 511, &e); /* PD entry */
	if (rc < 0)
		return rc;
	if (e & (PTE_PS | PDE_IPS_64K))
		return -EOPNOTSUPP;
	rc = entry(s, e, (addr >> 12) & 511, &e); /* PT entry */
	if (rc < 0)
		return rc;
	*gpa = (e & PTE_ADDR) | (addr & (PAGE - 1));
	return 0;
}

int gm_translate(const struct gm_space *s, bool ppgtt, uint64_t addr,
		 uint64_t *gpa)
{
	if (!s->mem)
		return -EFAULT;
	if (ppgtt)
		return ppgtt_walk(s, addr, gpa);
	if (addr >> 32)
		return -ERANGE;
	return vgpu_ggtt_translate(s->ggtt, addr, gpa);
}

/* Each page of [addr, addr + len) translated first, then moved. */
#define GM_MAX_PAGES 16

static int gm_io(const struct gm_space *s, bool ppgtt, uint64_t addr, void *buf,
		 size_t len, bool write)
{
	uint64_t gpa[GM_MAX_PAGES];
	size_t n, done, chunk;
	unsigned i;
	int rc = 0;

	if (len > (GM_MAX_PAGES - 1) * PAGE || addr + len < addr) {
		rc = -EINVAL;
		goto fail;
	}
	for (i = 0, done = 0; done < len; i++, done += chunk) {
		chunk = PAGE - ((addr + done) & (PAGE - 1));
		if (chunk > len - done)
			chunk = len - done;
		rc = gm_translate(s, ppgtt, addr + done, &gpa[i]);
		if (rc < 0)
			goto fail;
	}
	/* A write over several pages moves nothing unless all are RAM. */
	for (n = i, i = 0; write && n > 1 && i < n; i++) {
		uint8_t probe;

		rc = gmem_read(s->mem, gpa[i], &probe, 1);
		if (rc < 0)
			return rc;
	}
	for (i = 0, done = 0; i < n; i++, done += chunk) {
		chunk = PAGE - ((addr + done) & (PAGE - 1));
		if (chunk > len - done)
			chunk = len - done;
		rc = write ? gmem_write(s->mem, gpa[i], (uint8_t *)buf + done,
					chunk)
			   : gmem_read(s->mem, gpa[i], (uint8_t *)buf + done,
				       chunk);
		if (rc < 0)
			goto fail;
	}
	return 0;
fail:
	if (!write)
		memset(buf, 0xff, len);
	return rc;
}

int gm_read(const struct gm_space *s, bool ppgtt, uint64_t addr, void *buf,
	    size_t len)
{
	return gm_io(s, ppgtt, addr, buf, len, false);
}

int gm_write(const struct gm_space *s, bool ppgtt, uint64_t addr,
	     const void *buf, size_t len)
{
	return gm_io(s, ppgtt, addr, (void *)buf, len, true);
}
