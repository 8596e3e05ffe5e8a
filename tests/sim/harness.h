/* SPDX-License-Identifier: MIT */
/*
 * harness.h - one guest under xensim with a device model serving it, the
 * way `xl create -p` + xengt-dm + `xl unpause` would: used by the
 * simulator tests, the demo and the benchmarks.
 */
#ifndef XENGT_TESTS_HARNESS_H
#define XENGT_TESTS_HARNESS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "xensim-guest.h"

struct harness_opts {
	unsigned vcpus;          /* default 2 */
	uint64_t ram_bytes;      /* default 256 MiB */
	bool null_responder;     /* serve with the null responder, not xengt-dm */
	const char *const *args; /* extra device-model arguments, NULL-ended */
	const char *log_path;    /* device model's stderr; NULL: inherit */
	bool remove_log;         /* log_path is a scratch file: delete at end */
	bool no_unpause;         /* leave the domain paused after ready */
	unsigned relinquish_ms;  /* xl destroy: servers go this much later */
	struct xsim *sim;        /* share this simulator (another guest) */
};

struct harness {
	struct xsim *sim;
	bool own_sim;
	bool remove_log;
	uint32_t domid;
	pid_t dm_pid;
	char log_path[256];
};

/* Path of the device model binaries under test ($XENGT_DM overrides). */
const char *harness_dm_path(void);
const char *harness_null_path(void);

/*
 * Start a simulator, create the domain paused, start the device model with
 * `--domid N --ready-fd FD` and the extra args, wait (10 s at most) for it to
 * say READY, then unpause.  0 or a negative errno (the device model's exit
 * is reported on stderr).
 */
int harness_start(struct harness *h, const struct harness_opts *o);

/* Start another device model for an existing domain (same options). */
int harness_start_dm(struct harness *h, const struct harness_opts *o);

/*
 * Wait up to timeout_ms for the device model to exit.  Returns 0 and its
 * wait status in *status and the time waited in *waited_ms, or -ETIMEDOUT.
 */
int harness_wait_dm(struct harness *h, unsigned timeout_ms, int *status,
		    unsigned *waited_ms);

/* Signal the device model and wait for it as harness_wait_dm does. */
int harness_stop_dm(struct harness *h, int sig, unsigned timeout_ms,
		    int *status, unsigned *waited_ms);

/* Does the device model's log contain `needle`? */
bool harness_log_contains(const struct harness *h, const char *needle);

/*
 * A VNC display number (20..99) whose port, 5900 + N on 127.0.0.1,
 * nobody listens on now (for --vnc 127.0.0.1:N and a stock viewer, which
 * count in displays): N, or a negative errno.
 */
int harness_free_vnc_display(void);

/* Kill anything left, stop the simulator, remove the log. */
void harness_end(struct harness *h);

/* Guest-side helpers: PCI config of the vGPU through CF8/CFC on a vCPU. */
#define HARNESS_VGPU_SBDF 0x10u /* 00:02.0 */

#endif
