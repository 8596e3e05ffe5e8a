/* SPDX-License-Identifier: MIT */
/*
 * ggtt.c - the global GTT as BAR0 [8 MiB, 16 MiB) shows it: 1 Mi 8-byte
 * page-table entries, stored exactly as the guest writes them.
 *
 * i915 writes every entry of the GGTT at init (more than 131,072 64-bit
 * stores), so the table is guest RAM whenever the host can provide it
 * (io_ram_add): the guest's stores land at memory speed, with no ioreq,
 * and the device reads entries back through the host when it needs one.
 * Where the host cannot (a unit test's host without RAM, or a vGPU created
 * with ggtt_trapped), the table is a trapped region of 4- or 8-byte
 * accesses at 4-byte aligned offsets (gvt/mmio.c allows the same; the
 * host refuses anything else), stored in dom0.
 *
 * vgpu_ggtt_translate() is the one place a graphics-memory address
 * becomes a guest-physical one: the address must lie in the vGPU's
 * partition (its mappable or hidden slice; the rest of the 4 GiB belongs
 * to the host and other vGPUs, as GVT's address audit says) and its entry
 * must be present.  Whether the guest-physical page is RAM is the guest
 * memory's check (gmem.h), made on every access.
 */
#include "vgpu/ggtt.h"

#include <errno.h>
#include <string.h>

#include "util/le.h"
#include "util/log.h"
#include "vgpu/layout.h"
#include "vgpu/memregion.h"

struct vgpu_ggtt {
	struct io_host *host;
	const char *name;
	struct vgpu_partition part;
	bool in_ram;
	struct io_region ram;	 /* in_ram */
	struct mem_region table; /* otherwise */
};

static int ggtt_init(struct vgpu *v, void *state)
{
	struct vgpu_ggtt *g = state;
	struct io_region *r;
	int rc = -EOPNOTSUPP;

	g->host = vgpu_host(v);
	g->name = vgpu_name(v);
	g->part = *vgpu_partition(v);
	g->ram = (struct io_region){
	    .name = "gttmmadr-ggtt",
	    .space = IO_SPACE_MMIO,
	    .size = VGPU_GGTT_SIZE,
	    .min_access = 4,
	    .max_access = 8,
	    .align = 4,
	};
	if (!vgpu_config(v)->ggtt_trapped)
		rc = io_ram_add(g->host, &g->ram);
	if (rc == 0) {
		g->in_ram = true;
		r = &g->ram;
	} else {
		if (rc != -EOPNOTSUPP)
			log_warn("%s: no guest RAM for the GGTT (%s); it is "
				 "trapped, and slow",
				 g->name, strerror(-rc));
		rc = mem_region_init(&g->table, "gttmmadr-ggtt", IO_SPACE_MMIO,
				     0, VGPU_GGTT_SIZE, 4, 8, 4);
		if (rc)
			return rc;
		r = &g->table.io;
	}
	log_info("%s: GGTT %s", g->name,
		 g->in_ram ? "in guest RAM" : "trapped");
	return pci_func_add_bar_region(vgpu_pci(v), VGPU_BAR_GTTMMADR, r,
				       VGPU_GGTT_OFFSET);
}

static void ggtt_fini(void *state)
{
	struct vgpu_ggtt *g = state;

	mem_region_fini(&g->table);
}

/* Copy [off, off + len) of the table out or in. */
static int table_io(struct vgpu_ggtt *g, uint64_t off, void *buf, size_t len,
		    bool write)
{
	if (off > VGPU_GGTT_SIZE || len > VGPU_GGTT_SIZE - off)
		return -EINVAL;
	if (g->in_ram)
		return write ? io_ram_write(g->host, &g->ram, off, buf, len)
			     : io_ram_read(g->host, &g->ram, off, buf, len);
	if (write)
		memcpy(g->table.bytes + off, buf, len);
	else
		memcpy(buf, g->table.bytes + off, len);
	return 0;
}

/* The table is part of the device's state, as the register file is. */
static void ggtt_save(const void *state, struct blob_w *w)
{
	struct vgpu_ggtt *g = (struct vgpu_ggtt *)state;
	uint8_t chunk[4096];
	uint64_t off;

	for (off = 0; off < VGPU_GGTT_SIZE; off += sizeof(chunk)) {
		if (table_io(g, off, chunk, sizeof(chunk), false) < 0) {
			w->failed = true;
			return;
		}
		blob_put_bytes(w, chunk, sizeof(chunk));
	}
}

static int ggtt_load(void *state, struct blob_r *r)
{
	struct vgpu_ggtt *g = state;
	const uint8_t *p = blob_get_view(r, VGPU_GGTT_SIZE);

	if (!p)
		return -EINVAL;
	return table_io(g, 0, (void *)p, VGPU_GGTT_SIZE, true) < 0 ? -EIO : 0;
}

static void ggtt_reset(void *state)
{
	struct vgpu_ggtt *g = state;
	static const uint8_t zero[4096];
	uint64_t off;

	for (off = 0; off < VGPU_GGTT_SIZE; off += sizeof(zero))
		if (table_io(g, off, (void *)zero, sizeof(zero), true) < 0)
			log_warn("%s: cannot clear the GGTT", g->name);
}

const struct vgpu_block vgpu_ggtt_block = {
    .name = "ggtt",
    .state_size = sizeof(struct vgpu_ggtt),
    .init = ggtt_init,
    .reset = ggtt_reset,
    .fini = ggtt_fini,
    .save = ggtt_save,
    .load = ggtt_load,
};

struct io_region *vgpu_ggtt_region(struct vgpu_ggtt *g)
{
	return g->in_ram ? &g->ram : &g->table.io;
}

bool vgpu_ggtt_in_ram(const struct vgpu_ggtt *g)
{
	return g->in_ram;
}

bool vgpu_ggtt_access(struct vgpu_ggtt *g, uint64_t off, unsigned size,
		      uint64_t *val, bool write)
{
	uint8_t b[8];

	if (!io_access_ok(vgpu_ggtt_region(g), off, size))
		return false;
	if (write) {
		le_put(b, *val, size);
		return table_io(g, off, b, size, true) == 0;
	}
	if (table_io(g, off, b, size, false) < 0)
		return false;
	*val = le_get(b, size);
	return true;
}

uint64_t vgpu_ggtt_entry(struct vgpu_ggtt *g, uint32_t index)
{
	uint8_t b[8];

	if (index >= VGPU_GGTT_ENTRIES ||
	    table_io(g, (uint64_t)index * 8, b, 8, false) < 0)
		return 0;
	return le_get(b, 8);
}

int vgpu_ggtt_read_entries(struct vgpu_ggtt *g, uint32_t first, uint32_t n,
			   uint64_t *out)
{
	uint32_t i;
	int rc;

	if (first > VGPU_GGTT_ENTRIES || n > VGPU_GGTT_ENTRIES - first)
		return -EINVAL;
	rc = table_io(g, (uint64_t)first * 8, out, (size_t)n * 8, false);
	if (rc < 0)
		return rc;
	for (i = 0; i < n; i++) /* stored little-endian, as the guest wrote */
		out[i] = le_get((const uint8_t *)&out[i], 8);
	return 0;
}

#define GGTT_PTE_PRESENT VGPU_GGTT_PTE_PRESENT
#define GGTT_PTE_ADDR VGPU_GGTT_PTE_ADDR

static bool in_slice(uint64_t gm, uint64_t base, uint64_t size)
{
	return gm >= base && gm - base < size;
}

int vgpu_ggtt_translate(struct vgpu_ggtt *g, uint64_t gm, uint64_t *gpa)
{
	uint64_t pte;

	if (!in_slice(gm, g->part.mappable_base, g->part.mappable_size) &&
	    !in_slice(gm, g->part.hidden_base, g->part.hidden_size))
		return -ERANGE;
	pte = vgpu_ggtt_entry(g, (uint32_t)(gm >> 12));
	if (!(pte & GGTT_PTE_PRESENT))
		return -ENOENT;
	*gpa = (pte & GGTT_PTE_ADDR) | (gm & 0xfff);
	return 0;
}
