/* SPDX-License-Identifier: MIT */
/*
 * simtest.h - shared fixture for the tests that run xengt-dm under xensim:
 * one domain, the daemon serving it, its log in a temporary file, and the
 * guest-side steps every test needs (program the vGPU's BARs like
 * hvmloader does).
 */
#ifndef XENGT_TESTS_SIMTEST_H
#define XENGT_TESTS_SIMTEST_H

#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"

/* Where hvmloader put the BARs in real-xen-observed.md. */
#define BAR0_GPA 0xf0000000ull
#define BAR2_GPA 0xe0000000ull
#define BAR4_PORT 0xc000u
#define VGA_GPA 0xa0000ull
#define VGA_SIZE 0x20000ull
/* GuC SOFT_SCRATCH(0..15): plain storage registers in BAR0. */
#define SCRATCH(n) (0xc180u + 4u * (n))

#define PCI_COMMAND 0x04
#define PCI_BAR0 0x10
#define PCI_BAR1 0x14
#define PCI_BAR2 0x18
#define PCI_BAR3 0x1c
#define PCI_BAR4 0x20

/* Starts with o as given, the daemon's log in a scratch file. */
static inline void simtest_start_opts(struct harness *h, struct harness_opts o)
{
	static unsigned seq;
	char path[128];

	snprintf(path, sizeof(path), "%s/xengt-test-%d-%u.log",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", getpid(), seq++);
	unlink(path);
	o.log_path = path;
	o.remove_log = true;
	ck_assert_int_eq(harness_start(h, &o), 0);
}

static inline void simtest_start_on(struct harness *h, struct xsim *sim,
				    unsigned vcpus, const char *const *args)
{
	simtest_start_opts(
	    h, (struct harness_opts){.vcpus = vcpus, .args = args, .sim = sim});
}

static inline void simtest_start(struct harness *h, unsigned vcpus,
				 const char *const *args)
{
	simtest_start_on(h, NULL, vcpus, args);
}

static inline uint32_t cfg_rd(struct xsim_vcpu *v, unsigned reg, unsigned size)
{
	uint32_t val = 0;

	ck_assert_int_eq(xsim_cfg_read(v, HARNESS_VGPU_SBDF, reg, size, &val),
			 0);
	return val;
}

static inline void cfg_wr(struct xsim_vcpu *v, unsigned reg, unsigned size,
			  uint32_t val)
{
	ck_assert_int_eq(xsim_cfg_write(v, HARNESS_VGPU_SBDF, reg, size, val),
			 0);
}

/* Where hvmloader put the OpRegion (ASLS) in real-xen-observed.md. */
#define OPREGION_GPA 0xfdffc000ull
#define PCI_ASLS 0xfc

/*
 * hvmloader's assignment: the OpRegion address first (it writes ASLS
 * before clearing COMMAND), then BAR0, BAR2, BAR4, then decode on.
 */
static inline void simtest_program_bars(struct xsim_vcpu *v)
{
	cfg_wr(v, PCI_ASLS, 4, (uint32_t)OPREGION_GPA);
	cfg_wr(v, PCI_COMMAND, 2, 0);
	cfg_wr(v, PCI_BAR0, 4, (uint32_t)BAR0_GPA);
	cfg_wr(v, PCI_BAR1, 4, 0);
	cfg_wr(v, PCI_BAR2, 4, (uint32_t)BAR2_GPA);
	cfg_wr(v, PCI_BAR3, 4, 0);
	cfg_wr(v, PCI_BAR4, 4, BAR4_PORT);
	cfg_wr(v, PCI_COMMAND, 2, 0x0007);
}

static inline uint64_t mmio_rd(struct xsim_vcpu *v, uint64_t gpa, unsigned size)
{
	uint64_t val[2] = {0, 0};

	ck_assert_int_eq(xsim_mmio_read(v, gpa, size, val), 0);
	return val[0];
}

static inline void mmio_wr(struct xsim_vcpu *v, uint64_t gpa, unsigned size,
			   uint64_t value)
{
	uint64_t val[2] = {value, 0};

	ck_assert_int_eq(xsim_mmio_write(v, gpa, size, val), 0);
}

/* The vCPU is still served: a scratch register keeps what it is given. */
static inline void simtest_guest_alive(struct xsim_vcpu *v, uint32_t val)
{
	mmio_wr(v, BAR0_GPA + SCRATCH(3), 4, val);
	ck_assert_uint_eq(mmio_rd(v, BAR0_GPA + SCRATCH(3), 4), val);
}

/* Run a shell command: its exit status, its stdout and stderr in out. */
static inline int simtest_cmd(char *out, size_t len, const char *cmd)
{
	char full[1024];
	size_t n;
	FILE *f;
	int st;

	snprintf(full, sizeof(full), "%s 2>&1", cmd);
	f = popen(full, "r");
	ck_assert_ptr_nonnull(f);
	n = fread(out, 1, len - 1, f);
	out[n] = '\0';
	st = pclose(f);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Does the simulated Xen hold a claim of [start, end] of this type? */
static inline bool simtest_has_range(struct harness *h, unsigned type,
				     uint64_t start, uint64_t end)
{
	struct xsim_range r[64];
	size_t total = 0;

	ck_assert_int_ge(xsim_ranges(h->sim, h->domid, r, 64, &total), 0);
	for (size_t i = 0; i < total && i < 64; i++)
		if (r[i].type == type && r[i].start == start && r[i].end == end)
			return true;
	return false;
}

/*
 * BAR0 is claimed as registers [0, 2 MiB) and reserved [2, 8 MiB), which
 * Xen's rangeset merges into one range; the GGTT [8 MiB, 16 MiB) is guest
 * RAM, moved there while BAR0 decodes, and never claimed.
 */
static inline bool simtest_bar0_claimed(struct harness *h, uint64_t base)
{
	return simtest_has_range(h, 1, base, base + 0x7fffff) &&
	       !simtest_has_range(h, 1, base, base + 0xffffff);
}

/* Run a suite with Check's default runner; exit status for automake. */
static inline int simtest_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif
