/* SPDX-License-Identifier: MIT */
/*
 * pci.h - a generic PCI type-0 function, driven by a table.
 *
 * A device describes its configuration header as a table of registers
 * ({offset, size, reset, writable mask, write-1-to-clear mask, handlers}),
 * its BARs (kind, size, and the io_regions that live inside each), its
 * capability list, and any fixed legacy ranges it decodes.  This file does
 * the rest the way the PCI spec says a function behaves:
 *
 *  - config reads of 1/2/4 bytes at any offset inside the 256-byte space
 *    (bytes no register claims read 0); writes are masked per byte, STATUS
 *    style bits are write-1-to-clear;
 *  - BARs: memory 32/64-bit (prefetch bit), I/O; sizing by writing ~0 and
 *    reading back the size mask (the upper half of a 64-bit BAR returns the
 *    upper mask); an unimplemented BAR or ROM BAR reads 0 and sizes to 0;
 *  - decode gating: a BAR's regions are claimed from the host only while
 *    COMMAND.MEM (or .IO) is set and the BAR holds a real address: not 0,
 *    not mid-sizing (a half whose last write was ~0 and which has not been
 *    rewritten since), not wrapping past the end of its address space.
 *    Every change first releases what is claimed and no longer wanted,
 *    then claims what is wanted; a refused claim is logged (rate-limited)
 *    and leaves that BAR unclaimed until the guest changes something.
 *
 * Everything a guest sends is checked: a config access outside the
 * 256 bytes or of another size reads all-ones and writes nothing.
 */
#ifndef XENGT_VGPU_PCI_H
#define XENGT_VGPU_PCI_H

#include <stdbool.h>
#include <stdint.h>

#include "util/blob.h"
#include "vgpu/io.h"

#define PCI_CFG_SIZE 256

/* Type-0 header offsets (PCI Local Bus spec 3.0, section 6.1). */
#define PCI_VENDOR_ID 0x00
#define PCI_DEVICE_ID 0x02
#define PCI_COMMAND 0x04
#define PCI_STATUS 0x06
#define PCI_REVISION_ID 0x08
#define PCI_CLASS_PROG 0x09
#define PCI_CLASS_DEVICE 0x0a
#define PCI_CACHE_LINE_SIZE 0x0c
#define PCI_LATENCY_TIMER 0x0d
#define PCI_HEADER_TYPE 0x0e
#define PCI_BIST 0x0f
#define PCI_BASE_ADDRESS_0 0x10
#define PCI_CARDBUS_CIS 0x28
#define PCI_SUBSYSTEM_VENDOR_ID 0x2c
#define PCI_SUBSYSTEM_ID 0x2e
#define PCI_ROM_ADDRESS 0x30
#define PCI_CAPABILITY_LIST 0x34
#define PCI_INTERRUPT_LINE 0x3c
#define PCI_INTERRUPT_PIN 0x3d
#define PCI_MIN_GNT 0x3e
#define PCI_MAX_LAT 0x3f
#define PCI_HEADER_END 0x40 /* capabilities may start here */

#define PCI_COMMAND_IO 0x0001
#define PCI_COMMAND_MEMORY 0x0002
#define PCI_COMMAND_MASTER 0x0004
#define PCI_COMMAND_SERR 0x0100
#define PCI_COMMAND_INTX_DISABLE 0x0400

#define PCI_STATUS_INTERRUPT 0x0008
#define PCI_STATUS_CAP_LIST 0x0010

#define PCI_BAR_SPACE_IO 0x01
#define PCI_BAR_MEM_TYPE_64 0x04
#define PCI_BAR_MEM_PREFETCH 0x08

#define PCI_CAP_ID_PM 0x01
#define PCI_CAP_ID_MSI 0x05

#define PCI_NUM_BARS 6
#define PCI_BAR_MAX_REGIONS 4
#define PCI_MAX_FIXED 4
#define PCI_MAX_CAPS 16

struct pci_func;
struct pci_cfg_reg;

/*
 * A read handler returns the register's whole value (its `size` bytes);
 * the bytes of it an access asks for are picked out by the caller.
 */
typedef uint32_t pci_cfg_read_fn(struct pci_func *f,
				 const struct pci_cfg_reg *r);
/*
 * A write handler runs after the masked write has been applied to the
 * stored bytes; `old` is the register's value before.  It may change the
 * stored value (pci_cfg_set) to undo or complete the write.
 */
typedef void pci_cfg_write_fn(struct pci_func *f, const struct pci_cfg_reg *r,
			      uint32_t old);

struct pci_cfg_reg {
	const char *name;
	uint16_t offset;
	uint8_t size;		 /* 1, 2 or 4; must not cross a dword */
	uint32_t reset;		 /* value at creation and function reset */
	uint32_t wmask;		 /* bits the guest may write */
	uint32_t w1cmask;	 /* bits a guest write of 1 clears (RW1C) */
	pci_cfg_read_fn *read;	 /* NULL: the stored value */
	pci_cfg_write_fn *write; /* NULL: the masked store is all */
};

enum pci_bar_kind {
	PCI_BAR_NONE = 0, /* unimplemented: reads 0, sizes to 0 */
	PCI_BAR_IO,	  /* I/O space, below 64 KiB */
	PCI_BAR_MEM32,
	PCI_BAR_MEM64,	  /* takes this BAR and the next as its upper half */
	PCI_BAR_MEM64_HI, /* internal: the upper half of the BAR before */
};

struct pci_bar_def {
	enum pci_bar_kind kind;
	bool prefetch;
	uint64_t size; /* power of two: >= 16 for memory, >= 4 for I/O */
};

/* Legacy ranges decoded at fixed addresses while COMMAND bits are set. */
struct pci_fixed {
	struct io_region *region;
	uint16_t decode; /* PCI_COMMAND_MEMORY or PCI_COMMAND_IO */
	bool claimed;
};

struct pci_bar {
	struct pci_bar_def def;
	unsigned nregions;
	struct {
		struct io_region *region; /* base set when claimed */
		uint64_t offset;	  /* from the BAR's address */
		bool claimed;
	} sub[PCI_BAR_MAX_REGIONS];
	bool sizing[2]; /* lower/upper dword's last write was ~0 */
	bool live;	/* every sub-region is claimed at `base` */
	uint64_t base;
};

struct pci_cap_def {
	uint8_t offset; /* dword aligned, >= 0x40 */
	uint8_t id;
};

struct pci_func_def {
	const char *name;
	uint32_t sbdf;
	const struct pci_cfg_reg *regs;
	unsigned nregs;
	struct pci_bar_def bars[PCI_NUM_BARS];
	const struct pci_cap_def *caps; /* in list order */
	unsigned ncaps;
};

struct pci_func {
	const char *name;
	struct io_host *host;
	void *owner; /* the device; for its handlers */

	const struct pci_cfg_reg *regs;
	unsigned nregs;
	uint8_t regidx[PCI_CFG_SIZE]; /* byte -> regs[] index, 0xff none */
	uint8_t cfg[PCI_CFG_SIZE];
	uint8_t reset_cfg[PCI_CFG_SIZE];
	uint8_t wmask[PCI_CFG_SIZE];
	uint8_t w1cmask[PCI_CFG_SIZE];

	struct pci_bar bar[PCI_NUM_BARS];
	struct pci_fixed fixed[PCI_MAX_FIXED];
	unsigned nfixed;

	struct io_region cfg_region;
	bool cfg_claimed;
};

/*
 * Lay out the function from `def` (checked: overlapping registers, bad BAR
 * sizes or a bad capability list give -EINVAL).  Nothing is claimed yet.
 */
int pci_func_init(struct pci_func *f, const struct pci_func_def *def,
		  struct io_host *host, void *owner);
/* Place `r` at `offset` inside BAR `bar` (claimed with the BAR). */
int pci_func_add_bar_region(struct pci_func *f, unsigned bar,
			    struct io_region *r, uint64_t offset);
/* Decode `r` at its own base while COMMAND has `decode` set. */
int pci_func_add_fixed(struct pci_func *f, struct io_region *r,
		       uint16_t decode);
/* Claim the config space at the function's SBDF. */
int pci_func_start(struct pci_func *f);
/* Release every claim (config space, BARs, fixed ranges). */
void pci_func_stop(struct pci_func *f);
/* Back to reset values: decode off, BARs 0, every claim but config gone. */
void pci_func_reset(struct pci_func *f);

/* Config space as the guest sees it (also the region handlers). */
uint32_t pci_cfg_read(struct pci_func *f, unsigned offset, unsigned size);
void pci_cfg_write(struct pci_func *f, unsigned offset, unsigned size,
		   uint32_t value);

/* For devices and their handlers: raw stored bytes, no masks, no effects. */
uint32_t pci_cfg_get(const struct pci_func *f, unsigned offset, unsigned size);
void pci_cfg_set(struct pci_func *f, unsigned offset, unsigned size,
		 uint32_t value);
/* Device-side status changes (e.g. PCI_STATUS_INTERRUPT). */
void pci_status_update(struct pci_func *f, uint16_t set, uint16_t clear);

/*
 * Save config space and the BARs' sizing state; load them back (validated:
 * read-only bits keep this function's values) and re-claim what now
 * decodes.  -EINVAL on a short stream.
 */
void pci_func_save(const struct pci_func *f, struct blob_w *w);
int pci_func_load(struct pci_func *f, struct blob_r *r);

/* The address a BAR decodes right now, if it does (false otherwise). */
bool pci_bar_decoding(const struct pci_func *f, unsigned bar, uint64_t *base);

#endif
