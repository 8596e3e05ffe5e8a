/* SPDX-License-Identifier: MIT */
/*
 * test-util.h - helpers for xensim's own tests: a simulator per test, a
 * domain, null responders started under the simulated libraries.
 */
#ifndef XENSIM_TEST_UTIL_H
#define XENSIM_TEST_UTIL_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "xensim-guest.h"

#define TU_RAM (64ull << 20)

/* Spawn a simulator and point this process's Xen libraries at it. */
struct xsim *tu_sim(void);
uint32_t tu_domain(struct xsim *s, unsigned vcpus, bool paused);
/* Start null-responder with the given extra args (NULL-terminated). */
pid_t tu_responder(struct xsim *s, uint32_t domid, const char *arg, ...);
/* SIGTERM it; returns its exit status (0 expected). */
int tu_stop(pid_t pid);
/* The ioreq log from index `from`; returns the count read. */
size_t tu_log(struct xsim *s, uint32_t domid, size_t from,
	      struct xsim_log_ioreq *out, size_t max);
struct xsim_vcpu *tu_vcpu(struct xsim *s, uint32_t domid, unsigned vcpu);

#endif
