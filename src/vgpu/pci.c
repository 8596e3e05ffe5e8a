/* SPDX-License-Identifier: MIT */
/*
 * pci.c - the generic PCI type-0 function: config space by table, BARs,
 * sizing, and decode gating of the regions behind the BARs.
 */
#include "vgpu/pci.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "util/log.h"

#define NO_REG 0xff

static bool is_pow2(uint64_t x)
{
	return x && !(x & (x - 1));
}

uint32_t pci_cfg_get(const struct pci_func *f, unsigned offset, unsigned size)
{
	uint32_t v = 0;
	unsigned i;

	for (i = 0; i < size && i < 4 && offset + i < PCI_CFG_SIZE; i++)
		v |= (uint32_t)f->cfg[offset + i] << (8 * i);
	return v;
}

void pci_cfg_set(struct pci_func *f, unsigned offset, unsigned size,
		 uint32_t value)
{
	unsigned i;

	for (i = 0; i < size && i < 4 && offset + i < PCI_CFG_SIZE; i++)
		f->cfg[offset + i] = (uint8_t)(value >> (8 * i));
}

static void set_bytes(uint8_t *a, unsigned offset, unsigned size, uint32_t v)
{
	unsigned i;

	for (i = 0; i < size; i++)
		a[offset + i] = (uint8_t)(v >> (8 * i));
}

static uint32_t get_bytes(const uint8_t *a, unsigned offset, unsigned size)
{
	uint32_t v = 0;
	unsigned i;

	for (i = 0; i < size; i++)
		v |= (uint32_t)a[offset + i] << (8 * i);
	return v;
}

void pci_status_update(struct pci_func *f, uint16_t set, uint16_t clear)
{
	uint16_t st = (uint16_t)pci_cfg_get(f, PCI_STATUS, 2);

	pci_cfg_set(f, PCI_STATUS, 2, (uint16_t)((st | set) & ~clear));
}

/* ---- layout ---------------------------------------------------------- */

static uint64_t cfg_io_read_cb(void *opaque, uint64_t offset, unsigned size);
static void cfg_io_write_cb(void *opaque, uint64_t offset, unsigned size,
			    uint64_t value);

static int layout_bars(struct pci_func *f, const struct pci_func_def *def,
		       uint8_t *used)
{
	unsigned i;

	for (i = 0; i < PCI_NUM_BARS; i++) {
		const struct pci_bar_def *d = &def->bars[i];
		struct pci_bar *b = &f->bar[i];
		unsigned off = PCI_BASE_ADDRESS_0 + 4 * i;
		uint64_t mask;
		uint32_t flags;

		memset(used + off, 1, 4);
		if (b->def.kind == PCI_BAR_MEM64_HI) {
			if (d->kind != PCI_BAR_NONE)
				return -EINVAL;
			continue;
		}
		b->def = *d;
		switch (d->kind) {
		case PCI_BAR_NONE:
			continue;
		case PCI_BAR_IO:
			/* I/O BARs are at most 256 bytes (PCI 3.0, 6.2.5.1). */
			if (!is_pow2(d->size) || d->size < 4 || d->size > 256 ||
			    d->prefetch)
				return -EINVAL;
			set_bytes(f->wmask, off, 4,
				  (uint32_t) ~(d->size - 1) & 0xfffcu);
			set_bytes(f->reset_cfg, off, 4, PCI_BAR_SPACE_IO);
			continue;
		case PCI_BAR_MEM32:
			if (!is_pow2(d->size) || d->size < 16 ||
			    d->size > (1ull << 31))
				return -EINVAL;
			flags = 0;
			break;
		case PCI_BAR_MEM64:
			if (i + 1 >= PCI_NUM_BARS || !is_pow2(d->size) ||
			    d->size < 16 || d->size > (1ull << 62))
				return -EINVAL;
			flags = PCI_BAR_MEM_TYPE_64;
			f->bar[i + 1].def.kind = PCI_BAR_MEM64_HI;
			break;
		default:
			return -EINVAL;
		}
		if (d->prefetch)
			flags |= PCI_BAR_MEM_PREFETCH;
		mask = ~(d->size - 1);
		set_bytes(f->wmask, off, 4, (uint32_t)mask & ~0xfu);
		if (d->kind == PCI_BAR_MEM64)
			set_bytes(f->wmask, off + 4, 4, (uint32_t)(mask >> 32));
		set_bytes(f->reset_cfg, off, 4, flags);
	}
	return 0;
}

static int layout_caps(struct pci_func *f, const struct pci_func_def *def,
		       uint8_t *used)
{
	unsigned i;

	if (def->ncaps > PCI_MAX_CAPS)
		return -EINVAL;
	used[PCI_CAPABILITY_LIST] = 1;
	for (i = 0; i < def->ncaps; i++) {
		const struct pci_cap_def *c = &def->caps[i];
		uint8_t next = i + 1 < def->ncaps ? def->caps[i + 1].offset : 0;

		if (c->offset < PCI_HEADER_END || (c->offset & 3) ||
		    used[c->offset] || used[c->offset + 1])
			return -EINVAL;
		used[c->offset] = used[c->offset + 1] = 1;
		f->reset_cfg[c->offset] = c->id;
		f->reset_cfg[c->offset + 1] = next;
		if (i == 0)
			f->reset_cfg[PCI_CAPABILITY_LIST] = c->offset;
	}
	return 0;
}

static int layout_regs(struct pci_func *f, const struct pci_func_def *def,
		       uint8_t *used)
{
	unsigned i, j;

	if (def->nregs >= NO_REG)
		return -EINVAL;
	for (i = 0; i < def->nregs; i++) {
		const struct pci_cfg_reg *r = &def->regs[i];
		unsigned sz = r->size;

		if ((sz != 1 && sz != 2 && sz != 4) ||
		    r->offset + sz > PCI_CFG_SIZE || (r->offset & 3) + sz > 4 ||
		    (r->wmask & r->w1cmask))
			return -EINVAL;
		for (j = 0; j < sz; j++) {
			if (used[r->offset + j])
				return -EINVAL;
			used[r->offset + j] = 1;
			f->regidx[r->offset + j] = (uint8_t)i;
		}
		set_bytes(f->reset_cfg, r->offset, sz, r->reset);
		set_bytes(f->wmask, r->offset, sz, r->wmask);
		set_bytes(f->w1cmask, r->offset, sz, r->w1cmask);
	}
	return 0;
}

int pci_func_init(struct pci_func *f, const struct pci_func_def *def,
		  struct io_host *host, void *owner)
{
	uint8_t used[PCI_CFG_SIZE] = {0};
	int rc;

	memset(f, 0, sizeof(*f));
	memset(f->regidx, NO_REG, sizeof(f->regidx));
	f->name = def->name ? def->name : "pci";
	f->host = host;
	f->owner = owner;
	f->regs = def->regs;
	f->nregs = def->nregs;

	rc = layout_bars(f, def, used);
	if (!rc)
		rc = layout_caps(f, def, used);
	if (!rc)
		rc = layout_regs(f, def, used);
	if (rc)
		return rc;
	if (def->ncaps)
		f->reset_cfg[PCI_STATUS] |= PCI_STATUS_CAP_LIST;
	memcpy(f->cfg, f->reset_cfg, sizeof(f->cfg));

	f->cfg_region.name = f->name;
	f->cfg_region.space = IO_SPACE_PCI;
	f->cfg_region.base = def->sbdf;
	f->cfg_region.size = PCI_CFG_SIZE;
	f->cfg_region.max_access = 4;
	f->cfg_region.read = cfg_io_read_cb;
	f->cfg_region.write = cfg_io_write_cb;
	f->cfg_region.opaque = f;
	return 0;
}

int pci_func_add_bar_region(struct pci_func *f, unsigned bar,
			    struct io_region *r, uint64_t offset)
{
	struct pci_bar *b;

	if (bar >= PCI_NUM_BARS)
		return -EINVAL;
	b = &f->bar[bar];
	if (b->def.kind == PCI_BAR_NONE || b->def.kind == PCI_BAR_MEM64_HI ||
	    b->nregions >= PCI_BAR_MAX_REGIONS || !r->size ||
	    offset >= b->def.size || r->size > b->def.size - offset)
		return -EINVAL;
	r->space = b->def.kind == PCI_BAR_IO ? IO_SPACE_PORT : IO_SPACE_MMIO;
	b->sub[b->nregions].region = r;
	b->sub[b->nregions].offset = offset;
	b->sub[b->nregions].claimed = false;
	b->nregions++;
	return 0;
}

int pci_func_add_fixed(struct pci_func *f, struct io_region *r, uint16_t decode)
{
	if (f->nfixed >= PCI_MAX_FIXED ||
	    (decode != PCI_COMMAND_MEMORY && decode != PCI_COMMAND_IO))
		return -EINVAL;
	f->fixed[f->nfixed].region = r;
	f->fixed[f->nfixed].decode = decode;
	f->fixed[f->nfixed].claimed = false;
	f->nfixed++;
	return 0;
}

/* ---- decode gating ----------------------------------------------------- */

bool pci_bar_decoding(const struct pci_func *f, unsigned bar, uint64_t *base)
{
	const struct pci_bar *b;
	uint16_t cmd = (uint16_t)pci_cfg_get(f, PCI_COMMAND, 2);
	unsigned off = PCI_BASE_ADDRESS_0 + 4 * bar;
	uint64_t addr, size, limit;

	if (bar >= PCI_NUM_BARS)
		return false;
	b = &f->bar[bar];
	size = b->def.size;
	switch (b->def.kind) {
	case PCI_BAR_IO:
		if (!(cmd & PCI_COMMAND_IO))
			return false;
		addr = pci_cfg_get(f, off, 4) & ~3u;
		limit = 1ull << 16;
		break;
	case PCI_BAR_MEM32:
		if (!(cmd & PCI_COMMAND_MEMORY))
			return false;
		addr = pci_cfg_get(f, off, 4) & ~0xfu;
		limit = 1ull << 32;
		break;
	case PCI_BAR_MEM64:
		if (!(cmd & PCI_COMMAND_MEMORY) || b->sizing[1])
			return false;
		addr = (pci_cfg_get(f, off, 4) & ~0xfu) |
		       (uint64_t)pci_cfg_get(f, off + 4, 4) << 32;
		limit = 0; /* the whole 64-bit space */
		break;
	default:
		return false;
	}
	if (b->sizing[0] || addr == 0)
		return false;
	if (limit ? addr > limit - size : addr + (size - 1) < addr)
		return false;
	if (base)
		*base = addr;
	return true;
}

static void bar_release(struct pci_func *f, unsigned i)
{
	struct pci_bar *b = &f->bar[i];
	unsigned k;
	int rc;

	for (k = 0; k < b->nregions; k++) {
		if (!b->sub[k].claimed)
			continue;
		rc = io_unmap(f->host, b->sub[k].region);
		if (rc)
			log_warn("%s: BAR%u: release of %s at %#" PRIx64
				 " failed (%d)",
				 f->name, i, b->sub[k].region->name,
				 b->sub[k].region->base, rc);
		b->sub[k].claimed = false;
	}
	b->live = false;
}

static void bar_claim(struct pci_func *f, unsigned i, uint64_t base)
{
	struct pci_bar *b = &f->bar[i];
	unsigned k;
	int rc;

	for (k = 0; k < b->nregions; k++) {
		struct io_region *r = b->sub[k].region;

		r->base = base + b->sub[k].offset;
		rc = io_map(f->host, r);
		if (rc) {
			log_guest(LOG_WARN,
				  "%s: BAR%u at %#" PRIx64 ": claim of %s "
				  "[%#" PRIx64 ", +%#" PRIx64 ") refused (%d); "
				  "BAR left undecoded",
				  f->name, i, base, r->name, r->base, r->size,
				  rc);
			bar_release(f, i);
			return;
		}
		b->sub[k].claimed = true;
	}
	b->live = true;
	b->base = base;
}

/*
 * Bring the claims in line with COMMAND and the BARs: release everything
 * that moved or stopped decoding first, then claim what should decode.
 */
static void pci_update_decode(struct pci_func *f)
{
	uint16_t cmd = (uint16_t)pci_cfg_get(f, PCI_COMMAND, 2);
	uint64_t want[PCI_NUM_BARS];
	bool on[PCI_NUM_BARS];
	unsigned i;
	int rc;

	for (i = 0; i < PCI_NUM_BARS; i++)
		on[i] = pci_bar_decoding(f, i, &want[i]);

	for (i = 0; i < PCI_NUM_BARS; i++) {
		struct pci_bar *b = &f->bar[i];

		if (b->live && (!on[i] || want[i] != b->base))
			bar_release(f, i);
	}
	for (i = 0; i < f->nfixed; i++) {
		struct pci_fixed *x = &f->fixed[i];

		if (x->claimed && !(cmd & x->decode)) {
			rc = io_unmap(f->host, x->region);
			if (rc)
				log_warn("%s: release of %s failed (%d)",
					 f->name, x->region->name, rc);
			x->claimed = false;
		}
	}

	for (i = 0; i < PCI_NUM_BARS; i++) {
		struct pci_bar *b = &f->bar[i];

		if (on[i] && !b->live && b->nregions)
			bar_claim(f, i, want[i]);
	}
	for (i = 0; i < f->nfixed; i++) {
		struct pci_fixed *x = &f->fixed[i];

		if (!x->claimed && (cmd & x->decode)) {
			rc = io_map(f->host, x->region);
			if (rc)
				log_guest(LOG_WARN,
					  "%s: claim of %s [%#" PRIx64
					  ", +%#" PRIx64 ") refused (%d)",
					  f->name, x->region->name,
					  x->region->base, x->region->size, rc);
			else
				x->claimed = true;
		}
	}
}

static void release_all(struct pci_func *f)
{
	unsigned i;

	for (i = 0; i < PCI_NUM_BARS; i++)
		if (f->bar[i].live)
			bar_release(f, i);
	for (i = 0; i < f->nfixed; i++) {
		if (f->fixed[i].claimed) {
			io_unmap(f->host, f->fixed[i].region);
			f->fixed[i].claimed = false;
		}
	}
}

int pci_func_start(struct pci_func *f)
{
	int rc;

	if (f->cfg_claimed)
		return 0;
	rc = io_map(f->host, &f->cfg_region);
	if (rc)
		return rc;
	f->cfg_claimed = true;
	pci_update_decode(f);
	return 0;
}

void pci_func_stop(struct pci_func *f)
{
	release_all(f);
	if (f->cfg_claimed) {
		io_unmap(f->host, &f->cfg_region);
		f->cfg_claimed = false;
	}
}

void pci_func_reset(struct pci_func *f)
{
	unsigned i;

	release_all(f);
	memcpy(f->cfg, f->reset_cfg, sizeof(f->cfg));
	for (i = 0; i < PCI_NUM_BARS; i++)
		f->bar[i].sizing[0] = f->bar[i].sizing[1] = false;
	pci_update_decode(f);
}

/* ---- guest accesses ---------------------------------------------------- */

static bool access_ok(unsigned offset, unsigned size)
{
	return (size == 1 || size == 2 || size == 4) && offset < PCI_CFG_SIZE &&
	       size <= PCI_CFG_SIZE - offset;
}

uint32_t pci_cfg_read(struct pci_func *f, unsigned offset, unsigned size)
{
	unsigned i, cur = NO_REG;
	uint32_t v = 0, regval = 0;

	if (!access_ok(offset, size)) {
		log_guest(LOG_WARN,
			  "%s: config read of %u bytes at %#x refused", f->name,
			  size, offset);
		return 0xffffffffu; /* the caller keeps `size` bytes */
	}
	for (i = 0; i < size; i++) {
		unsigned o = offset + i, idx = f->regidx[o];
		const struct pci_cfg_reg *r;
		uint8_t byte = f->cfg[o];

		if (idx != NO_REG && f->regs[idx].read) {
			r = &f->regs[idx];
			if (idx != cur) { /* one handler call per register */
				regval = r->read(f, r);
				cur = idx;
			}
			byte = (uint8_t)(regval >> (8 * (o - r->offset)));
		}
		v |= (uint32_t)byte << (8 * i);
	}
	return v;
}

/* Which BAR dword (0..5) a config byte belongs to, or -1. */
static int bar_dword(unsigned o)
{
	if (o < PCI_BASE_ADDRESS_0 || o >= PCI_CARDBUS_CIS)
		return -1;
	return (int)(o - PCI_BASE_ADDRESS_0) / 4;
}

static void note_bar_write(struct pci_func *f, unsigned offset, unsigned size,
			   uint32_t value)
{
	int first = bar_dword(offset), last = bar_dword(offset + size - 1);
	int d;

	if (first < 0 && last < 0)
		return;
	if (first < 0)
		first = 0;
	if (last < 0)
		last = PCI_NUM_BARS - 1;
	for (d = first; d <= last; d++) {
		/* The sizing protocol: one dword write of all-ones. */
		bool sizing = size == 4 &&
			      offset == PCI_BASE_ADDRESS_0 + 4u * d &&
			      value == 0xffffffffu;

		if (f->bar[d].def.kind == PCI_BAR_MEM64_HI)
			f->bar[d - 1].sizing[1] = sizing;
		else
			f->bar[d].sizing[0] = sizing;
	}
}

void pci_cfg_write(struct pci_func *f, unsigned offset, unsigned size,
		   uint32_t value)
{
	uint8_t old[PCI_CFG_SIZE];
	unsigned i, last = NO_REG;
	bool decode_changed = false;

	if (!access_ok(offset, size)) {
		log_guest(LOG_WARN,
			  "%s: config write of %u bytes at %#x (%#x) dropped",
			  f->name, size, offset, value);
		return;
	}
	memcpy(old, f->cfg, sizeof(old));
	for (i = 0; i < size; i++) {
		unsigned o = offset + i;
		uint8_t b = (uint8_t)(value >> (8 * i));
		uint8_t nv =
		    (uint8_t)((f->cfg[o] & ~f->wmask[o]) | (b & f->wmask[o]));

		f->cfg[o] = (uint8_t)(nv & ~(b & f->w1cmask[o]));
		if ((o >= PCI_COMMAND && o < PCI_COMMAND + 2) ||
		    bar_dword(o) >= 0)
			decode_changed = true;
	}
	note_bar_write(f, offset, size, value);

	/* Handlers, once per register touched, in address order. */
	for (i = 0; i < size; i++) {
		unsigned idx = f->regidx[offset + i];
		const struct pci_cfg_reg *r;

		if (idx == NO_REG || idx == last)
			continue;
		last = idx;
		r = &f->regs[idx];
		if (r->write)
			r->write(f, r, get_bytes(old, r->offset, r->size));
	}
	if (decode_changed)
		pci_update_decode(f);
}

/* The host has checked the access against cfg_region's rules. */
static uint64_t cfg_io_read_cb(void *opaque, uint64_t offset, unsigned size)
{
	return pci_cfg_read(opaque, (unsigned)offset, size);
}

static void cfg_io_write_cb(void *opaque, uint64_t offset, unsigned size,
			    uint64_t value)
{
	pci_cfg_write(opaque, (unsigned)offset, size, (uint32_t)value);
}

/* ---- save / load ------------------------------------------------------- */

void pci_func_save(const struct pci_func *f, struct blob_w *w)
{
	unsigned i;

	blob_put_bytes(w, f->cfg, PCI_CFG_SIZE);
	for (i = 0; i < PCI_NUM_BARS; i++)
		blob_put_u8(w, (uint8_t)(f->bar[i].sizing[0] |
					 f->bar[i].sizing[1] << 1));
}

int pci_func_load(struct pci_func *f, struct blob_r *r)
{
	uint8_t saved[PCI_CFG_SIZE], sizing[PCI_NUM_BARS];
	unsigned i;

	if (!blob_get_bytes(r, saved, sizeof(saved)) ||
	    !blob_get_bytes(r, sizing, sizeof(sizing)))
		return -EINVAL;
	release_all(f);
	/*
	 * Only what the guest (or the device) could have changed is taken:
	 * writable bits, write-1-to-clear status bits and INTx status; the
	 * rest is this function's own.  Handlers then see each register as
	 * written, which undoes values no guest write could leave.
	 */
	for (i = 0; i < PCI_CFG_SIZE; i++) {
		uint8_t keep = f->wmask[i] | f->w1cmask[i];

		if (i == PCI_STATUS)
			keep |= PCI_STATUS_INTERRUPT;
		f->cfg[i] =
		    (uint8_t)((f->reset_cfg[i] & ~keep) | (saved[i] & keep));
	}
	for (i = 0; i < f->nregs; i++)
		if (f->regs[i].write)
			f->regs[i].write(f, &f->regs[i], f->regs[i].reset);
	for (i = 0; i < PCI_NUM_BARS; i++) {
		f->bar[i].sizing[0] = sizing[i] & 1;
		f->bar[i].sizing[1] = (sizing[i] >> 1) & 1;
	}
	if (f->cfg_claimed)
		pci_update_decode(f);
	return 0;
}
