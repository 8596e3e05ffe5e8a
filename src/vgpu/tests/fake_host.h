/* SPDX-License-Identifier: MIT */
/*
 * fake_host.h - an in-memory io_host for the device's unit tests: it
 * records every claim and release, refuses overlaps (-EEXIST) and claims
 * past a budget (-ENOSPC) as Xen does, can be told to refuse a region, and
 * routes accesses to whichever region claims the address (unclaimed reads
 * give all-ones, as Xen answers them).
 */
#ifndef XENGT_VGPU_TESTS_FAKE_HOST_H
#define XENGT_VGPU_TESTS_FAKE_HOST_H

#include <stdbool.h>
#include <stdint.h>

#include "vgpu/io.h"

#define FAKE_MAX_MAPPED 64
#define FAKE_RAM_SIZE (8u << 20) /* one RAM-backed region of up to 8 MiB */
#define FAKE_RAM2_SIZE (64u << 10)
#define FAKE_RAM3_SIZE (512u << 20) /* the largest aperture slice */
#define FAKE_MAX_EVENTS 512

struct fake_event {
	char op; /* 'M' claim, 'U' release */
	enum io_space space;
	uint64_t base, size;
	char name[32]; /* copied: the region may be gone */
	int rc;
};

struct fake_host {
	struct io_host host;
	struct io_region *mapped[FAKE_MAX_MAPPED];
	unsigned nmapped;
	struct fake_event ev[FAKE_MAX_EVENTS];
	unsigned nev;
	unsigned max_ranges;   /* per space; 256 like Xen */
	const char *fail_name; /* refuse claims of this region ... */
	int fail_rc;	       /* ... with this error */
	unsigned msi_count, intx_count;
	uint64_t msi_addr; /* the last MSI */
	uint32_t msi_data;
	struct io_timer *timer;	  /* the last timer set (one is all we have) */
	uint64_t timer_period_ns; /* 0: stopped */
	unsigned timer_sets;
	/* RAM-backed regions (io_ram_add), when ram_ok is set. */
	bool ram_ok;
	struct io_region *ram_region;
	uint8_t ram[FAKE_RAM_SIZE];
	unsigned ram_moves; /* claims and releases of the RAM region */
	/* A second, small RAM-backed region (the OpRegion). */
	struct io_region *ram2_region;
	uint8_t ram2[FAKE_RAM2_SIZE];
	unsigned ram2_moves;
	/* A third, large one (the aperture), allocated when added, whose
	 * guest writes (fake_write) are tracked when it asks (track_dirty). */
	struct io_region *ram3_region;
	uint8_t *ram3;
	uint64_t *ram3_dirty; /* bit per page, cleared when read */
	unsigned ram3_moves;
	bool no_dirty; /* ram_dirty answers -EOPNOTSUPP */
	/* The span ram_dirty_span asked for (pages; writes outside it are
	 * not tracked), as host.c keeps it; set_spans counts the calls. */
	uint64_t span_first, span_n;
	unsigned span_sets;
	unsigned dirty_calls;
	/* Guest RAM for host.mem (fake_host_guest_ram): [0, guest_ram_end). */
	struct gmem gm;
	uint64_t guest_ram_end;
	uint8_t *guest_buf; /* the RAM's bytes, or NULL: reads zero */
};

/* Give the host a guest memory whose RAM is [0, end) (reads zero). */
void fake_host_guest_ram(struct fake_host *fh, uint64_t end);
/* The same, with RAM that keeps what is written: buf holds `end` bytes. */
void fake_host_guest_buf(struct fake_host *fh, uint8_t *buf, uint64_t end);

/* Fire the running timer as if `periods` periods had passed. */
void fake_host_tick(struct fake_host *fh, uint64_t periods);

void fake_host_init(struct fake_host *fh);
/* Free what fake_host_init's host allocated (the third RAM region). */
void fake_host_fini(struct fake_host *fh);
/* A guest write straight into the RAM of a claimed RAM region. */
void fake_ram_guest_write(struct fake_host *fh, uint64_t gpa, const void *buf,
			  size_t len);
void fake_host_clear_events(struct fake_host *fh);
struct io_region *fake_host_find(struct fake_host *fh, enum io_space space,
				 uint64_t addr);
bool fake_host_is_mapped(struct fake_host *fh, const char *name, uint64_t base);
uint64_t fake_read(struct fake_host *fh, enum io_space space, uint64_t addr,
		   unsigned size);
void fake_write(struct fake_host *fh, enum io_space space, uint64_t addr,
		unsigned size, uint64_t val);

/* Config space of the function at `sbdf`. */
static inline uint32_t fake_cfg_read(struct fake_host *fh, uint32_t sbdf,
				     unsigned reg, unsigned size)
{
	struct io_region *r = fake_host_find(fh, IO_SPACE_PCI, sbdf);

	if (!r || !io_access_ok(r, reg, size))
		return 0xffffffffu;
	return (uint32_t)r->read(r->opaque, reg, size);
}

static inline void fake_cfg_write(struct fake_host *fh, uint32_t sbdf,
				  unsigned reg, unsigned size, uint32_t val)
{
	struct io_region *r = fake_host_find(fh, IO_SPACE_PCI, sbdf);

	if (r && io_access_ok(r, reg, size))
		r->write(r->opaque, reg, size, val);
}

#endif
