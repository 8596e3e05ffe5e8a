/* SPDX-License-Identifier: MIT */
/*
 * The daemon's life as an administrator sees it: it claims the vGPU's PCI
 * function before the guest runs, and it leaves nothing behind (ranges,
 * server, mappings) when it is told to stop or when the domain dies.
 */
#include <signal.h>
#include <sys/wait.h>

#include "simtest.h"

static void assert_clean_exit(struct harness *h, int status, unsigned waited,
			      unsigned limit_ms)
{
	struct xsim_domain_info info;

	ck_assert_msg(WIFEXITED(status), "daemon did not exit normally (0x%x)",
		      status);
	ck_assert_int_eq(WEXITSTATUS(status), 0);
	ck_assert_uint_le(waited, limit_ms);
	ck_assert_int_eq(xsim_domain_info(h->sim, h->domid, &info), 0);
	ck_assert_uint_eq(info.foreign_mappings, 0);
	ck_assert_uint_eq(info.resource_mappings, 0);
}

START_TEST(claims_bdf_before_unpause)
{
	struct harness h;
	struct harness_opts o = {.vcpus = 2, .no_unpause = true};
	struct xsim_domain_info info;

	ck_assert_int_eq(harness_start(&h, &o), 0);
	ck_assert_int_eq(xsim_domain_info(h.sim, h.domid, &info), 0);
	ck_assert_int_eq(info.state, XSIM_DOM_PAUSED);
	ck_assert_uint_eq(info.nr_servers, 1);
	ck_assert_uint_eq(info.nr_enabled, 1);
	ck_assert_uint_eq(info.resource_mappings, 2); /* buffered + sync page */
	ck_assert(simtest_has_range(&h, 2, HARNESS_VGPU_SBDF,
				    HARNESS_VGPU_SBDF));
	harness_end(&h);
}
END_TEST

START_TEST(sigterm_tears_down)
{
	struct harness h;
	struct xsim_domain_info info;
	struct xsim_vcpu *v;
	unsigned waited;
	int status;

	simtest_start(&h, 2, NULL);
	ck_assert_int_eq(xsim_vcpu_open(h.sim, h.domid, 0, &v), 0);
	simtest_program_bars(v);
	ck_assert(simtest_bar0_claimed(&h, BAR0_GPA));
	ck_assert_int_eq(harness_stop_dm(&h, SIGTERM, 5000, &status, &waited), 0);
	assert_clean_exit(&h, status, waited, 1000);
	ck_assert_int_eq(xsim_domain_info(h.sim, h.domid, &info), 0);
	ck_assert_uint_eq(info.nr_servers, 0);
	ck_assert(!simtest_has_range(&h, 2, HARNESS_VGPU_SBDF,
				     HARNESS_VGPU_SBDF));
	/* With the server gone the guest sees an empty slot. */
	ck_assert_uint_eq(cfg_rd(v, 0, 4), 0xffffffffu);
	ck_assert(harness_log_contains(&h, "SIGTERM"));
	xsim_vcpu_close(v);
	harness_end(&h);
}
END_TEST

START_TEST(sigint_tears_down)
{
	struct harness h;
	unsigned waited;
	int status;

	simtest_start(&h, 1, NULL);
	ck_assert_int_eq(harness_stop_dm(&h, SIGINT, 5000, &status, &waited), 0);
	assert_clean_exit(&h, status, waited, 1000);
	harness_end(&h);
}
END_TEST

START_TEST(domain_destroy_detected_within_1s)
{
	struct harness h;
	struct xsim_domain_info info;
	unsigned waited;
	int status;

	simtest_start(&h, 2, NULL);
	ck_assert_int_eq(xsim_domain_destroy(h.sim, h.domid), 0);
	ck_assert_int_eq(harness_wait_dm(&h, 5000, &status, &waited), 0);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 0);
	ck_assert_uint_le(waited, 1000);
	/* Our mappings were the last thing holding the zombie. */
	ck_assert_int_eq(xsim_domain_info(h.sim, h.domid, &info), 0);
	ck_assert_int_eq(info.state, XSIM_DOM_GONE);
	harness_end(&h);
}
END_TEST

START_TEST(domain_shutdown_detected_within_1s)
{
	struct harness h;
	unsigned waited;
	int status;

	simtest_start(&h, 1, NULL);
	ck_assert_int_eq(xsim_domain_shutdown(h.sim, h.domid, 0), 0);
	ck_assert_int_eq(harness_wait_dm(&h, 5000, &status, &waited), 0);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 0);
	ck_assert_uint_le(waited, 1000);
	harness_end(&h);
}
END_TEST

/*
 * On Xen the ioreq server outlives the start of `xl destroy` by as long as
 * relinquishing the guest's memory takes (95 s seen under TCG): a
 * restricted daemon learns of the death only then, and must leave within
 * its 1 s from there, releasing what holds the zombie.
 */
START_TEST(destroy_detected_when_servers_go)
{
	struct xsim_domain_info info;
	struct harness h;
	unsigned waited;
	int status;

	simtest_start_opts(&h, (struct harness_opts){.vcpus = 2,
						     .relinquish_ms = 1500});
	ck_assert_int_eq(xsim_domain_destroy(h.sim, h.domid), 0);
	ck_assert_int_eq(harness_wait_dm(&h, 10000, &status, &waited), 0);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 0);
	ck_assert_uint_ge(waited, 1400);
	ck_assert_uint_le(waited, 1500 + 1000);
	ck_assert_int_eq(xsim_domain_info(h.sim, h.domid, &info), 0);
	ck_assert_int_eq(info.state, XSIM_DOM_GONE);
	harness_end(&h);
}
END_TEST

/*
 * A guest whose pipe A runs with its vblank unmasked: the daemon's timer
 * raises an MSI every 16.7 ms.  Returns once some have reached the guest.
 */
static void start_vblank_msis(struct harness *h, struct xsim_vcpu *v)
{
	size_t total = 0;
	int i;

	simtest_program_bars(v);
	cfg_wr(v, 0xac + 4, 4, 0xfee00000u); /* MSI address */
	cfg_wr(v, 0xac + 8, 2, 0x0041);	     /* MSI data */
	cfg_wr(v, 0xac + 2, 2, 1);	     /* MSI enable */
	mmio_wr(v, BAR0_GPA + 0x44404, 4, 0xfffffffe); /* unmask vblank A */
	mmio_wr(v, BAR0_GPA + 0x4440c, 4, 1);	       /* enable it */
	mmio_wr(v, BAR0_GPA + 0x44200, 4, 0x80000000); /* master on */
	mmio_wr(v, BAR0_GPA + 0x70008, 4, 0x80000000); /* pipe A on */
	for (i = 0; i < 200 && total < 3; i++) {
		usleep(10000);
		ck_assert_int_ge(xsim_log_msis(h->sim, h->domid, 0, NULL, 0,
					       &total),
				 0);
	}
	ck_assert_uint_ge(total, 3);
}

enum msi_end { END_DESTROY, END_SHUTDOWN, END_SIGTERM };

/*
 * The domain dies, or SIGTERM arrives, while interrupts flow: a clean exit
 * all the same, the timer stopped and everything released.
 */
static void end_while_msis_flow(enum msi_end how)
{
	struct harness h;
	struct xsim_vcpu *v;
	unsigned waited;
	int status;

	simtest_start(&h, 2, NULL);
	ck_assert_int_eq(xsim_vcpu_open(h.sim, h.domid, 0, &v), 0);
	start_vblank_msis(&h, v);
	switch (how) {
	case END_DESTROY:
		ck_assert_int_eq(xsim_domain_destroy(h.sim, h.domid), 0);
		break;
	case END_SHUTDOWN:
		ck_assert_int_eq(xsim_domain_shutdown(h.sim, h.domid, 0), 0);
		break;
	case END_SIGTERM:
		ck_assert_int_eq(
		    harness_stop_dm(&h, SIGTERM, 5000, &status, &waited), 0);
		break;
	}
	if (how != END_SIGTERM)
		ck_assert_int_eq(harness_wait_dm(&h, 5000, &status, &waited),
				 0);
	assert_clean_exit(&h, status, waited, 1000);
	xsim_vcpu_close(v);
	harness_end(&h);
}

START_TEST(destroy_while_vblank_msis_flow)
{
	end_while_msis_flow(END_DESTROY);
}
END_TEST

START_TEST(shutdown_while_vblank_msis_flow)
{
	end_while_msis_flow(END_SHUTDOWN);
}
END_TEST

START_TEST(sigterm_while_vblank_msis_flow)
{
	end_while_msis_flow(END_SIGTERM);
}
END_TEST

START_TEST(missing_domain_is_a_clear_error)
{
	struct harness h;
	struct harness_opts o = {.vcpus = 1};
	static const char *const bad[] = {"--domid", "77", NULL};
	char path[128];

	snprintf(path, sizeof(path), "/tmp/xengt-missing-%d.log", getpid());
	unlink(path);
	o.log_path = path;
	o.remove_log = true;
	o.args = bad; /* a later --domid wins */
	ck_assert_int_ne(harness_start(&h, &o), 0);
	ck_assert(harness_log_contains(&h, "domain 77 does not exist"));
	harness_end(&h);
}
END_TEST

START_TEST(second_guest_is_independent)
{
	struct harness a, b;
	struct xsim_vcpu *va, *vb;
	unsigned waited;
	int status;

	simtest_start(&a, 1, NULL);
	simtest_start_on(&b, a.sim, 1, NULL);
	ck_assert_uint_ne(a.domid, b.domid);
	ck_assert_int_eq(xsim_vcpu_open(a.sim, a.domid, 0, &va), 0);
	ck_assert_int_eq(xsim_vcpu_open(b.sim, b.domid, 0, &vb), 0);
	simtest_program_bars(va);
	simtest_program_bars(vb);
	mmio_wr(va, BAR0_GPA + SCRATCH(0), 4, 0xaaaa5555);
	mmio_wr(vb, BAR0_GPA + SCRATCH(0), 4, 0x12345678);
	ck_assert_int_eq(harness_stop_dm(&b, SIGTERM, 5000, &status, &waited), 0);
	ck_assert_uint_eq(mmio_rd(va, BAR0_GPA + SCRATCH(0), 4), 0xaaaa5555);
	xsim_vcpu_close(va);
	xsim_vcpu_close(vb);
	harness_end(&b);
	harness_end(&a);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("lifecycle");
	TCase *tc = tcase_create("lifecycle");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, claims_bdf_before_unpause);
	tcase_add_test(tc, sigterm_tears_down);
	tcase_add_test(tc, sigint_tears_down);
	tcase_add_test(tc, domain_destroy_detected_within_1s);
	tcase_add_test(tc, domain_shutdown_detected_within_1s);
	tcase_add_test(tc, destroy_detected_when_servers_go);
	tcase_add_test(tc, destroy_while_vblank_msis_flow);
	tcase_add_test(tc, shutdown_while_vblank_msis_flow);
	tcase_add_test(tc, sigterm_while_vblank_msis_flow);
	tcase_add_test(tc, missing_domain_is_a_clear_error);
	tcase_add_test(tc, second_guest_is_independent);
	suite_add_tcase(s, tc);
	return simtest_run(s);
}
