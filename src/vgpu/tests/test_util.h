/* SPDX-License-Identifier: MIT */
/* test_util.h - helpers shared by the vGPU unit tests. */
#ifndef XENGT_VGPU_TESTS_TEST_UTIL_H
#define XENGT_VGPU_TESTS_TEST_UTIL_H

#include <check.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_host.h"
#include "util/log.h"

/* Run a suite quietly (errors only); the exit status automake expects. */
static inline int vgpu_test_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	log_set_level(LOG_ERR);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

/*
 * The claims and releases since the last clear, as one line:
 * "U gttmmadr-regs f0000000, M gttmmadr-regs e0000000"; a refused
 * claim shows as "M! name base".
 */
static inline const char *events_str(struct fake_host *fh)
{
	static char buf[8192];
	size_t n = 0;
	unsigned i;

	buf[0] = 0;
	for (i = 0; i < fh->nev && n < sizeof(buf) - 80; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n,
				      "%s%c%s %s %" PRIx64, i ? ", " : "",
				      fh->ev[i].op, fh->ev[i].rc ? "!" : "",
				      fh->ev[i].name, fh->ev[i].base);
	fake_host_clear_events(fh);
	return buf;
}

#endif
