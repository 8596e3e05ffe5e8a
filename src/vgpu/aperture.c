/* SPDX-License-Identifier: MIT */
/*
 * aperture.c - BAR2 (GMADR), the aperture: a CPU store at BAR2 + G lands
 * in the guest page the GGTT entry for graphics-memory address G names.
 * The vGPU owns only its mappable slice of the aperture (types.h:
 * [mappable_base, + mappable_size), as GVT-g's address audit says), so
 * BAR2 has three parts:
 *
 *   part                           region        accesses   behaviour
 *   [0, mappable_base)             gmadr-host    1/2/4/8    reads all-ones,
 *                                                           writes dropped
 *                                                           (logged, rate-
 *                                                           limited)
 *   [mappable_base, + size)        gmadr-ram     any: RAM   the RAM copy
 *     (or, without RAM:)           gmadr-trap    1/2/4/8    each access
 *                                                           through the GGTT
 *   [mappable end, BAR2 end)       gmadr-high    1/2/4/8    as gmadr-host
 *
 * The RAM copy (the fast path: the guest's stores are memory stores, no
 * ioreq) holds, for slot s (GM page mappable_base / 4 KiB + s), the bytes
 * of the guest page the GGTT entry of s named when it was last bound.  A
 * sync, in this order:
 *   (a) asks the host which aperture pages the guest wrote (io_ram_dirty)
 *       and copies each one whose slot is bound to its source page
 *       (guest memory: the write is reported with modified_memory);
 *   (b) reads the slice's GGTT entries in bulk and, for each slot whose
 *       translation changed, records the new source and copies its bytes
 *       into the aperture page (io_ram_write); an entry that does not
 *       translate (not present, no guest RAM behind it) unbinds the slot:
 *       its page keeps its bytes, writes to it go nowhere.
 * So a write through the aperture is always written back before its slot
 * is rebound.  The host tracks writes only in the span of bound slots
 * (each look walks it).  Sync points:
 *
 *   GFX_FLSH_CNTL 0x101008  write: sync (i915 writes GFX_FLSH_CNTL_EN
 *                           after every batch of GGTT updates:
 *                           gt/intel_ggtt.c gen8_ggtt_invalidate, called by
 *                           gen8_ggtt_insert_page/_entries); reads 0
 *   tick                    every 250 ms while a slot is bound: what
 *                           the guest drew through the aperture reaches
 *                           its pages within that time
 *   vgpu_aperture_sync()    device-side readers of the mappable slice
 *
 * i915's other flush, a posting read of RING_HEAD(RENDER_RING_BASE) in
 * intel_gt_flush_ggtt_writes (gt/intel_gt.c), returns early where the
 * platform has_coherent_ggtt (i915_pci.c; Gen6 sets it, Gen11 clears it),
 * so it is no sync point here (docs/vgpu-aperture.md).
 *
 * Where the host has no RAM to give, or dirty tracking, or the config says
 * aperture_trapped, the slice is a trapped region whose handlers translate
 * every access (gm.c): correct, coherent at once, and slow.
 *
 * Sources (facts only): Linux drivers/gpu/drm/i915 (above; i915_reg.h
 * GFX_FLSH_CNTL_GEN6); the partition from types.c; Xen 4.17's
 * track_dirty_vram behind io_ram_dirty (docs/vgpu-aperture.md).
 */
#include "vgpu/aperture.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "util/log.h"
#include "vgpu/ggtt.h"
#include "vgpu/gm.h"
#include "vgpu/layout.h"

#define PAGE 4096u
#define GFX_FLSH_CNTL 0x101008u
#define SCAN_CHUNK 4096u     /* GGTT entries read at once (32 KiB) */
#define TICK_NS 250000000ull /* the write-back tick while a slot is bound */
#define SCRATCH_MIN 64u	     /* slots sharing one page: the scratch page */

struct vgpu_aperture {
	struct io_host *host;
	struct vgpu_ggtt *ggtt;
	const char *name;
	bool ready;		/* init done */
	uint64_t gm_base, size; /* the mappable slice */
	uint32_t slots;
	bool in_ram;
	struct io_region ram;  /* in_ram */
	struct io_region trap; /* otherwise */
	struct io_region host_part, high_part;
	/*
	 * Per slot: the translation last seen (source page | 1, 0 for none)
	 * and whether a guest page is bound (bound bitmap).
	 */
	uint64_t *key;
	uint64_t *bound;
	uint64_t *dirty;   /* scratch: the host's answer */
	uint64_t *entries; /* scratch: SCAN_CHUNK GGTT entries */
	uint8_t page[PAGE];
	struct io_timer tick; /* runs while a slot is bound */
	bool tick_on;
	uint32_t span_lo, span_hi; /* slots the host tracks (64-aligned) */
	uint64_t scratch; /* the key SCRATCH_MIN or more slots share, or 0 */
	struct vgpu_aperture_stats st;
};

static size_t words(uint32_t bits)
{
	return ((size_t)bits + 63) / 64;
}

static bool bit(const uint64_t *m, uint32_t i)
{
	return m[i / 64] >> (i % 64) & 1;
}

static void bit_set(uint64_t *m, uint32_t i, bool on)
{
	if (on)
		m[i / 64] |= 1ull << (i % 64);
	else
		m[i / 64] &= ~(1ull << (i % 64));
}

/* ---- the parts of BAR2 the vGPU does not own ------------------------ */

static uint64_t unowned_read(void *opaque, uint64_t off, unsigned size)
{
	struct vgpu_aperture *a = opaque;

	(void)size;
	log_guest(LOG_WARN,
		  "%s: aperture read outside the vGPU's slice (+%#" PRIx64
		  "): all-ones",
		  a->name, off);
	return ~0ull;
}

static void unowned_write(void *opaque, uint64_t off, unsigned size,
			  uint64_t val)
{
	struct vgpu_aperture *a = opaque;

	(void)size;
	(void)val;
	log_guest(LOG_WARN,
		  "%s: aperture write outside the vGPU's slice (+%#" PRIx64
		  ") dropped",
		  a->name, off);
}

/* ---- the trapped slice: every access through the GGTT -------------- */

static struct gm_space gm_of(struct vgpu_aperture *a)
{
	return (struct gm_space){.ggtt = a->ggtt, .mem = a->host->mem};
}

static uint64_t trap_read(void *opaque, uint64_t off, unsigned size)
{
	struct vgpu_aperture *a = opaque;
	struct gm_space g = gm_of(a);
	uint8_t b[8];
	uint64_t v = 0;

	/* a refused translation reads all-ones (gm_read fills them) */
	gm_read(&g, false, a->gm_base + off, b, size);
	memcpy(&v, b, size);
	return v;
}

static void trap_write(void *opaque, uint64_t off, unsigned size, uint64_t val)
{
	struct vgpu_aperture *a = opaque;
	struct gm_space g = gm_of(a);
	uint8_t b[8];

	memcpy(b, &val, size);
	if (gm_write(&g, false, a->gm_base + off, b, size) < 0)
		log_guest(LOG_WARN,
			  "%s: aperture write at GM %#" PRIx64
			  " has no guest page behind it; dropped",
			  a->name, a->gm_base + off);
}

/* ---- the RAM copy ----------------------------------------------------- */

/* Copy aperture page s to its source. */
static void write_back(struct vgpu_aperture *a, uint32_t s)
{
	uint64_t src = a->key[s] & ~1ull;

	if (io_ram_read(a->host, &a->ram, (uint64_t)s * PAGE, a->page, PAGE) <
	    0)
		return;
	if (gmem_write(a->host->mem, src, a->page, PAGE) < 0) {
		/* the page went away under the slot: unbind it */
		bit_set(a->bound, s, false);
		a->st.bound--;
		return;
	}
	a->st.writebacks++;
}

/* Slot s now translates to `key`: bind it to that page, or unbind. */
static void rebind(struct vgpu_aperture *a, uint32_t s, uint64_t key, bool load)
{
	bool was = bit(a->bound, s), now = false;

	a->key[s] = key;
	/* the page every unused entry names: nothing to keep coherent */
	if (key && key == a->scratch)
		key = 0;
	/* the aperture's own RAM is no source: its page would be itself */
	if (a->ram.mapped && (key & ~1ull) >= a->ram.base &&
	    (key & ~1ull) - a->ram.base < a->ram.size)
		key = 0;
	if (key && a->host->mem) {
		if (load)
			now = gmem_read(a->host->mem, key & ~1ull, a->page,
					PAGE) == 0 &&
			      io_ram_write(a->host, &a->ram, (uint64_t)s * PAGE,
					   a->page, PAGE) == 0;
		else /* adopt: is there RAM behind it? */
			now = gmem_read(a->host->mem, key & ~1ull, a->page,
					1) == 0;
		if (now && load)
			a->st.loads++;
	}
	bit_set(a->bound, s, now);
	if (was != now)
		a->st.bound += now ? 1 : (uint32_t)-1;
}

/* (a): the guest's writes through the aperture reach their sources. */
static int flush_dirty(struct vgpu_aperture *a)
{
	size_t w, n = words(a->slots);
	int rc = io_ram_dirty(a->host, &a->ram, a->dirty, a->slots);

	if (rc == -ESRCH) /* the domain is gone: nobody to write back to */
		return rc;
	if (rc < 0) {
		/* cannot know: every bound page may be written */
		log_guest(LOG_WARN,
			  "%s: which aperture pages the guest wrote is "
			  "unknown (%s): writing back all of them",
			  a->name, strerror(-rc));
		memset(a->dirty, 0xff, n * sizeof(uint64_t));
	}
	for (w = 0; w < n; w++) {
		uint64_t d = a->dirty[w];

		if (d & ~a->bound[w]) /* written while unbound: nowhere */
			a->st.dropped +=
			    (uint64_t)__builtin_popcountll(d & ~a->bound[w]);
		d &= a->bound[w];
		while (d) {
			uint32_t s =
			    (uint32_t)(w * 64) + (uint32_t)__builtin_ctzll(d);

			d &= d - 1;
			if (s < a->slots)
				write_back(a, s);
		}
	}
	return rc;
}

static uint64_t key_of(uint64_t pte)
{
	return pte & VGPU_GGTT_PTE_PRESENT ? (pte & VGPU_GGTT_PTE_ADDR) | 1 : 0;
}

/*
 * The page at least SCRATCH_MIN slots name, or 0: i915 points every
 * unused entry at its scratch page (at probe, and at each unbind).  Such
 * slots are left unbound: their stores would all land in one page nobody
 * reads, and tracking them would make the tracked span the whole slice.
 * One majority vote over the present entries, then a count of the
 * winner: found when it is most of them, as i915's scratch page is.
 */
static int find_scratch(struct vgpu_aperture *a, uint64_t *scratch)
{
	uint32_t first = (uint32_t)(a->gm_base / PAGE), s, i, n, votes = 0;
	uint64_t cand = 0;
	int pass, rc;

	for (pass = 0; pass < 2; pass++) {
		uint32_t count = 0;

		for (s = 0; s < a->slots; s += n) {
			n = a->slots - s < SCAN_CHUNK ? a->slots - s
						      : SCAN_CHUNK;
			rc = vgpu_ggtt_read_entries(a->ggtt, first + s, n,
						    a->entries);
			if (rc < 0)
				return rc;
			for (i = 0; i < n; i++) {
				uint64_t k = key_of(a->entries[i]);

				if (!k)
					continue;
				if (pass == 1) {
					count += k == cand;
				} else if (!votes) {
					cand = k;
					votes = 1;
				} else {
					votes += k == cand ? 1 : (uint32_t)-1;
				}
			}
		}
		if (pass == 1)
			*scratch = count >= SCRATCH_MIN ? cand : 0;
	}
	return 0;
}

/* (b): slots whose GGTT entry changed show their new source. */
static int scan(struct vgpu_aperture *a, bool load)
{
	uint32_t first = (uint32_t)(a->gm_base / PAGE), s, i, n;
	uint64_t scratch, old;
	int rc;

	rc = find_scratch(a, &scratch);
	if (rc < 0)
		return rc;
	if (scratch != a->scratch) {
		/* slots on the old or new scratch page change their status */
		old = a->scratch;
		a->scratch = scratch;
		for (s = 0; s < a->slots; s++)
			if (a->key[s] &&
			    (a->key[s] == old || a->key[s] == scratch))
				rebind(a, s, a->key[s], load);
	}
	for (s = 0; s < a->slots; s += n) {
		n = a->slots - s < SCAN_CHUNK ? a->slots - s : SCAN_CHUNK;
		rc = vgpu_ggtt_read_entries(a->ggtt, first + s, n, a->entries);
		if (rc < 0)
			return rc;
		for (i = 0; i < n; i++) {
			uint64_t key = key_of(a->entries[i]);

			if (key != a->key[s + i])
				rebind(a, s + i, key, load);
		}
	}
	return 0;
}

/*
 * Track only the bound slots' span: each look costs the host a walk of
 * the span (Xen: 26 ms for 32768 pages under TCG, measured), and the
 * slots outside it are unbound, so what the guest writes there goes
 * nowhere anyway.  Rounded out to 64 slots (one bitmap word).
 */
static void update_span(struct vgpu_aperture *a)
{
	uint32_t w, n = (uint32_t)words(a->slots), lo = n, hi = 0;

	for (w = 0; w < n; w++)
		if (a->bound[w]) {
			if (lo == n)
				lo = w;
			hi = w + 1;
		}
	if (lo == n)
		lo = hi = 0;
	lo *= 64;
	hi = hi * 64 < a->slots ? hi * 64 : a->slots;
	if (lo == a->span_lo && hi == a->span_hi)
		return;
	if (io_ram_dirty_span(a->host, &a->ram, lo, hi - lo) == -EOPNOTSUPP)
		lo = 0, hi = a->slots; /* the host tracks all of it */
	a->span_lo = lo;
	a->span_hi = hi;
	a->st.span = hi - lo;
}

/* The tick runs exactly while a slot is bound. */
static void update_tick(struct vgpu_aperture *a)
{
	bool want = a->st.bound > 0;

	if (want == a->tick_on)
		return;
	if (io_timer_set(a->host, &a->tick, want ? TICK_NS : 0) == 0)
		a->tick_on = want;
}

int vgpu_aperture_sync(struct vgpu_aperture *a)
{
	int rc, rc2;

	if (!a || !a->ready || !a->in_ram)
		return 0;
	uint32_t bound0 = a->st.bound;
	uint64_t wb0 = a->st.writebacks;

	a->st.syncs++;
	rc = flush_dirty(a);
	rc2 = scan(a, true);
	update_span(a);
	update_tick(a);
	if (a->st.bound != bound0)
		log_debug("%s: aperture: %u slots bound (were %u), span %u, "
			  "%" PRIu64 " written back",
			  a->name, a->st.bound, bound0, a->st.span,
			  a->st.writebacks - wb0);
	return rc < 0 ? rc : rc2;
}

static void tick(void *opaque, uint64_t periods)
{
	(void)periods;
	vgpu_aperture_sync(opaque);
}

static void flsh_write(const struct mmio_ctx *c, uint32_t val, uint32_t be)
{
	(void)val;
	(void)be;
	vgpu_aperture_sync(c->state);
}

/* clang-format off */
static const struct mmio_reg aperture_regs[] = {
	{.offset = GFX_FLSH_CNTL, .size = 4, .ro_mask = ~0u,
	 .write = flsh_write, .name = "GFX_FLSH_CNTL"},
};
/* clang-format on */

/* ---- lifecycle ---------------------------------------------------------- */

static int add_unowned(struct vgpu *v, struct vgpu_aperture *a,
		       struct io_region *r, const char *name, uint64_t off,
		       uint64_t size)
{
	if (!size)
		return 0;
	*r = (struct io_region){
	    .name = name,
	    .size = size,
	    .read = unowned_read,
	    .write = unowned_write,
	    .opaque = a,
	};
	return pci_func_add_bar_region(vgpu_pci(v), VGPU_BAR_GMADR, r, off);
}

static int aperture_init(struct vgpu *v, void *state)
{
	struct vgpu_aperture *a = state;
	const struct vgpu_partition *p = vgpu_partition(v);
	struct io_region *r;
	int rc = -EOPNOTSUPP;

	a->host = vgpu_host(v);
	a->ggtt = vgpu_block_state(v, &vgpu_ggtt_block);
	a->name = vgpu_name(v);
	a->gm_base = p->mappable_base;
	a->size = p->mappable_size;
	a->slots = (uint32_t)(a->size / PAGE);
	if (!a->ggtt || !a->slots || a->size % PAGE ||
	    a->gm_base + a->size > p->aperture_size)
		return -EINVAL;
	a->key = calloc(a->slots, sizeof(*a->key));
	a->bound = calloc(words(a->slots), sizeof(uint64_t));
	a->dirty = calloc(words(a->slots), sizeof(uint64_t));
	a->entries = calloc(SCAN_CHUNK, sizeof(uint64_t));
	if (!a->key || !a->bound || !a->dirty || !a->entries)
		return -ENOMEM;
	a->tick = (struct io_timer){
	    .name = "aperture",
	    .fire = tick,
	    .opaque = a,
	    .handle = -1,
	};
	a->ram = (struct io_region){
	    .name = "gmadr-ram",
	    .space = IO_SPACE_MMIO,
	    .size = a->size,
	    .track_dirty = true,
	};
	if (!vgpu_config(v)->aperture_trapped && a->host->ops->ram_dirty)
		rc = io_ram_add(a->host, &a->ram);
	if (rc == 0) {
		/*
		 * Nothing is bound yet: nothing to track (and no log-dirty
		 * mode for the domain) until the guest binds a slot.  A host
		 * that cannot narrow tracks all of it.
		 */
		if (io_ram_dirty_span(a->host, &a->ram, 0, 0) < 0)
			a->span_hi = a->st.span = a->slots;
		a->in_ram = true;
		r = &a->ram;
	} else {
		if (rc != -EOPNOTSUPP)
			log_warn("%s: no guest RAM for the aperture (%s); it "
				 "is trapped, and slow",
				 a->name, strerror(-rc));
		a->trap = (struct io_region){
		    .name = "gmadr-trap",
		    .size = a->size,
		    .read = trap_read,
		    .write = trap_write,
		    .opaque = a,
		};
		r = &a->trap;
	}
	a->st.in_ram = a->in_ram;
	a->st.slots = a->slots;
	log_info("%s: aperture slice +%#llx, %llu MiB, %s", a->name,
		 (unsigned long long)a->gm_base,
		 (unsigned long long)(a->size >> 20),
		 a->in_ram ? "in guest RAM" : "trapped");
	rc =
	    pci_func_add_bar_region(vgpu_pci(v), VGPU_BAR_GMADR, r, a->gm_base);
	if (!rc)
		rc = add_unowned(v, a, &a->host_part, "gmadr-host", 0,
				 a->gm_base);
	if (!rc)
		rc = add_unowned(v, a, &a->high_part, "gmadr-high",
				 a->gm_base + a->size,
				 p->aperture_size - a->gm_base - a->size);
	a->ready = rc == 0;
	return rc;
}

static void aperture_fini(void *state)
{
	struct vgpu_aperture *a = state;

	if (a->tick_on)
		io_timer_set(a->host, &a->tick, 0);
	a->tick_on = false;
	a->ready = false;
	free(a->key);
	free(a->bound);
	free(a->dirty);
	free(a->entries);
}

/* Every slot unbound; what the guest wrote before reaches its source. */
static void aperture_reset(void *state)
{
	struct vgpu_aperture *a = state;

	if (!a->ready || !a->in_ram)
		return;
	flush_dirty(a);
	memset(a->key, 0, a->slots * sizeof(*a->key));
	a->scratch = 0;
	memset(a->bound, 0, words(a->slots) * sizeof(uint64_t));
	a->st.bound = 0;
	update_span(a);
	update_tick(a);
}

/*
 * Nothing of the shadow is saved: the aperture's RAM is guest RAM, saved
 * with the guest, and made equal to the bound sources here first.
 */
static void aperture_save(const void *state, struct blob_w *w)
{
	(void)w;
	vgpu_aperture_sync((struct vgpu_aperture *)state);
}

/*
 * The GGTT came back with the guest's RAM: adopt its bindings without
 * copying (the aperture's RAM already holds what it held at save time).
 */
static int aperture_load(void *state, struct blob_r *r)
{
	struct vgpu_aperture *a = state;

	(void)r;
	if (!a->ready || !a->in_ram)
		return 0;
	memset(a->key, 0, a->slots * sizeof(*a->key));
	a->scratch = 0;
	memset(a->bound, 0, words(a->slots) * sizeof(uint64_t));
	a->st.bound = 0;
	if (scan(a, false) < 0)
		return -EIO;
	update_span(a);
	update_tick(a);
	return 0;
}

const struct vgpu_block vgpu_aperture_block = {
    .name = "aperture",
    VGPU_REGS(aperture_regs),
    .state_size = sizeof(struct vgpu_aperture),
    .init = aperture_init,
    .reset = aperture_reset,
    .fini = aperture_fini,
    .save = aperture_save,
    .load = aperture_load,
};

void vgpu_aperture_get_stats(const struct vgpu_aperture *a,
			     struct vgpu_aperture_stats *st)
{
	*st = a->st;
}
