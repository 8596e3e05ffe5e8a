/* SPDX-License-Identifier: MIT */
/*
 * Eight vCPUs at once, 100 000 accesses between them: each vCPU writes a
 * running sequence to its own scratch register and reads it back.  No
 * access may be lost, duplicated or answered on another vCPU's slot.
 */
#include <pthread.h>

#include "simtest.h"

#define NR_VCPUS 8
#define PER_VCPU 6250 /* x 2 accesses x 8 vCPUs = 100 000 */

static struct harness h;

struct worker {
	unsigned idx;
	int errors;
};

static void *run(void *arg)
{
	struct worker *w = arg;
	struct xsim_vcpu *v;
	uint64_t gpa = BAR0_GPA + SCRATCH(w->idx);

	if (xsim_vcpu_open(h.sim, h.domid, w->idx, &v) < 0) {
		w->errors = -1;
		return NULL;
	}
	for (uint32_t i = 0; i < PER_VCPU; i++) {
		uint64_t val[2] = {(uint64_t)w->idx << 24 | i, 0};

		if (xsim_mmio_write(v, gpa, 4, val) < 0)
			w->errors++;
		val[0] = 0;
		if (xsim_mmio_read(v, gpa, 4, val) < 0 ||
		    val[0] != ((uint64_t)w->idx << 24 | i))
			w->errors++;
	}
	xsim_vcpu_close(v);
	return NULL;
}

START_TEST(eight_vcpus_100k_accesses)
{
	pthread_t t[NR_VCPUS];
	struct worker w[NR_VCPUS];
	static struct xsim_log_ioreq e[4096];
	unsigned per_slot[NR_VCPUS] = {0};
	size_t total = 0, from = 0;
	struct xsim_vcpu *v0;

	simtest_start(&h, NR_VCPUS, NULL);
	ck_assert_int_eq(xsim_vcpu_open(h.sim, h.domid, 0, &v0), 0);
	simtest_program_bars(v0);
	xsim_vcpu_close(v0);
	ck_assert_int_ge(xsim_log_ioreqs(h.sim, h.domid, 0, e, 0, &from), 0);

	for (unsigned i = 0; i < NR_VCPUS; i++) {
		w[i] = (struct worker){.idx = i};
		ck_assert_int_eq(pthread_create(&t[i], NULL, run, &w[i]), 0);
	}
	for (unsigned i = 0; i < NR_VCPUS; i++) {
		pthread_join(t[i], NULL);
		ck_assert_int_eq(w[i].errors, 0);
	}

	/* What the daemon was asked: every access once, on its own slot. */
	do {
		ck_assert_int_ge(xsim_log_ioreqs(h.sim, h.domid, from, e, 4096,
						 &total), 0);
		for (size_t i = 0; i < 4096 && from + i < total; i++) {
			unsigned slot = e[i].vcpu;
			uint64_t reg = e[i].req.addr - BAR0_GPA;

			if (slot == XSIM_BUFFERED || e[i].req.type != 1)
				continue;
			ck_assert_uint_lt(slot, NR_VCPUS);
			ck_assert_uint_eq(reg, SCRATCH(slot));
			per_slot[slot]++;
		}
		from += 4096;
	} while (from < total);
	for (unsigned i = 0; i < NR_VCPUS; i++)
		ck_assert_uint_eq(per_slot[i], 2 * PER_VCPU);
	harness_end(&h);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("vcpus");
	TCase *tc = tcase_create("vcpus");

	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, eight_vcpus_100k_accesses);
	suite_add_tcase(s, tc);
	return simtest_run(s);
}
