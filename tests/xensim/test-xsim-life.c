// SPDX-License-Identifier: MIT
/*
 * test-xsim-life.c - domain lifecycle in xensim: destroy with accesses in
 * flight, dying while mapped then gone, paused domains, Xen's crash checks,
 * raw ioreqs, a device model exiting.
 */
#include <check.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <xen/hvm/ioreq.h>
#include <xen/memory.h>
#include <xenctrl.h>
#include <xendevicemodel.h>
#include <xenevtchn.h>
#include <xenforeignmemory.h>

#include "test-util.h"

#define BAR 0xf0000000ull

/* The test process as a device model that answers only when told to. */
struct dm {
	xendevicemodel_handle *dm;
	xenforeignmemory_handle *fm;
	xenevtchn_handle *xce;
	xenforeignmemory_resource_handle *fr;
	struct ioreq *slots;
	ioservid_t id;
	int port0;
};

static struct xsim *s;
static uint32_t dom;

static void dm_start(struct dm *d)
{
	void *addr = NULL;

	memset(d, 0, sizeof(*d));
	d->dm = xendevicemodel_open(NULL, 0);
	d->fm = xenforeignmemory_open(NULL, 0);
	d->xce = xenevtchn_open(NULL, 0);
	ck_assert_int_eq(xendevicemodel_create_ioreq_server(d->dm, dom, 0,
							    &d->id),
			 0);
	d->fr = xenforeignmemory_map_resource(d->fm, dom,
					      XENMEM_resource_ioreq_server,
					      d->id, 1, 1, &addr,
					      PROT_READ | PROT_WRITE, 0);
	ck_assert_ptr_nonnull(d->fr);
	d->slots = addr;
	ck_assert_int_eq(xendevicemodel_set_ioreq_server_state(d->dm, dom,
							       d->id, 1),
			 0);
	d->port0 = xenevtchn_bind_interdomain(d->xce, dom,
					      d->slots[0].vp_eport);
	ck_assert_int_gt(d->port0, 0);
	ck_assert_int_eq(xenevtchn_pending(d->xce), d->port0); /* bind */
	ck_assert_int_eq(xenevtchn_unmask(d->xce, d->port0), 0);
	ck_assert_int_eq(xendevicemodel_map_io_range_to_ioreq_server(
				 d->dm, dom, d->id, 1, BAR, BAR + 0xfff),
			 0);
}

static void dm_stop(struct dm *d)
{
	if (d->fr)
		xenforeignmemory_unmap_resource(d->fm, d->fr);
	xenevtchn_close(d->xce);
	xenforeignmemory_close(d->fm);
	xendevicemodel_close(d->dm);
}

struct access {
	struct xsim_vcpu *v;
	int ret;
	uint64_t val[2];
	volatile int done;
};

static void *do_read(void *arg)
{
	struct access *a = arg;

	a->ret = xsim_mmio_read(a->v, BAR + 0x10, 4, a->val);
	a->done = 1;
	return NULL;
}

static void up(void)
{
	s = tu_sim();
	dom = tu_domain(s, 1, false);
}

static void down(void)
{
	xsim_close(s);
}

static enum xsim_domain_state state(void)
{
	struct xsim_domain_info info;

	ck_assert_int_eq(xsim_domain_info(s, dom, &info), 0);
	return info.state;
}

START_TEST(destroy_in_flight)
{
	struct access a = { .v = tu_vcpu(s, dom, 0) };
	struct xsim_domain_info info;
	pthread_t t;
	struct dm d;

	dm_start(&d);
	pthread_create(&t, NULL, do_read, &a);
	ck_assert_int_eq(xenevtchn_pending(d.xce), d.port0);
	ck_assert_uint_eq(d.slots[0].state, STATE_IOREQ_READY);
	ck_assert_int_eq(a.done, 0);
	ck_assert_int_eq(xsim_domain_destroy(s, dom), 0);
	pthread_join(t, NULL);
	ck_assert_int_eq(a.ret, -ESRCH);
	/* our resource mapping keeps it a zombie */
	ck_assert_int_eq(xsim_domain_info(s, dom, &info), 0);
	ck_assert_int_eq(info.state, XSIM_DOM_DYING);
	ck_assert_uint_eq(info.nr_servers, 0);
	ck_assert_uint_eq(info.resource_mappings, 1);
	errno = 0;
	ck_assert_int_eq(xendevicemodel_set_ioreq_server_state(d.dm, dom, d.id,
							       0),
			 -1);
	ck_assert_int_eq(errno, ENOENT);
	{
		xc_interface *xch = xc_interface_open(NULL, NULL, 0);
		xc_dominfo_t di;

		ck_assert_int_eq(xc_domain_getinfo(xch, dom, 1, &di), 1);
		ck_assert_uint_eq(di.domid, dom);
		ck_assert_uint_eq(di.dying, 1);
		xc_interface_close(xch);
	}
	ck_assert_int_eq(xenforeignmemory_unmap_resource(d.fm, d.fr), 0);
	d.fr = NULL;
	ck_assert_int_eq(state(), XSIM_DOM_GONE);
	errno = 0;
	ck_assert_int_eq(xendevicemodel_set_ioreq_server_state(d.dm, dom, d.id,
							       0),
			 -1);
	ck_assert_int_eq(errno, ESRCH);
	ck_assert_int_eq(xsim_mmio_read(a.v, BAR, 4, a.val), -ESRCH);
	xsim_vcpu_close(a.v);
	dm_stop(&d);
}
END_TEST

/*
 * Xen's order at `xl destroy`: the domain is dying at once, its vCPUs and
 * event channels are gone, but its ioreq servers live on until its memory
 * is relinquished; server and domain-wide dm_ops keep working until then
 * (dm_op never looks at is_dying), mapping its memory does not.
 */
START_TEST(servers_outlive_relinquish)
{
	struct xsim_domain_config cfg = {
		.vcpus = 1, .ram_bytes = TU_RAM, .relinquish_ms = 400};
	struct xsim_domain_info info;
	struct xsim_vcpu *v;
	unsigned int nr = 0;
	uint64_t gfn = 0x100;
	int err = 0;
	struct dm d;
	void *p;

	ck_assert_int_eq(xsim_domain_create(s, &cfg, &dom), 0);
	dm_start(&d);
	v = tu_vcpu(s, dom, 0);
	ck_assert_int_eq(xsim_domain_destroy(s, dom), 0);
	ck_assert_int_eq(xsim_domain_info(s, dom, &info), 0);
	ck_assert_int_eq(info.state, XSIM_DOM_DYING);
	ck_assert_uint_eq(info.nr_servers, 1);
	ck_assert_int_eq(xsim_mmio_read(v, BAR, 4, (uint64_t[2]){0}), -ESRCH);
	ck_assert_int_eq(xendevicemodel_get_ioreq_server_info(d.dm, dom, d.id,
							      NULL, NULL,
							      NULL),
			 0);
	ck_assert_int_eq(xendevicemodel_nr_vcpus(d.dm, dom, &nr), 0);
	ck_assert_uint_eq(nr, 1);
	ck_assert_int_eq(xendevicemodel_inject_msi(d.dm, dom, 0xfee00000, 0x41),
			 0);
	p = xenforeignmemory_map(d.fm, dom, PROT_READ, 1, &gfn, &err);
	ck_assert_ptr_null(p);
	ck_assert_int_eq(errno, ESRCH);
	/* the servers go once the memory is relinquished */
	usleep(600 * 1000);
	errno = 0;
	ck_assert_int_eq(xendevicemodel_get_ioreq_server_info(d.dm, dom, d.id,
							      NULL, NULL,
							      NULL),
			 -1);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_int_eq(xsim_domain_info(s, dom, &info), 0);
	ck_assert_uint_eq(info.nr_servers, 0);
	ck_assert_int_eq(info.state, XSIM_DOM_DYING); /* our mapping holds it */
	ck_assert_int_eq(xenforeignmemory_unmap_resource(d.fm, d.fr), 0);
	d.fr = NULL;
	ck_assert_int_eq(state(), XSIM_DOM_GONE);
	xsim_vcpu_close(v);
	dm_stop(&d);
}
END_TEST

START_TEST(closing_releases)
{
	pid_t nr = tu_responder(s, dom, "--mmio", "0xf0000000-0xf0000fff",
				NULL);
	struct xsim_domain_info info;
	int st;

	ck_assert_int_eq(xsim_domain_destroy(s, dom), 0);
	ck_assert_int_eq(xsim_domain_info(s, dom, &info), 0);
	ck_assert_int_eq(info.state, XSIM_DOM_DYING);
	ck_assert_uint_eq(info.resource_mappings, 2);
	/* a device model killed outright: its connections close */
	kill(nr, SIGKILL);
	waitpid(nr, &st, 0);
	for (int i = 0; i < 100 && state() != XSIM_DOM_GONE; i++)
		usleep(1000);
	ck_assert_int_eq(state(), XSIM_DOM_GONE);
}
END_TEST

START_TEST(paused)
{
	struct access a = { .v = NULL };
	uint32_t pd = tu_domain(s, 1, true);
	pthread_t t;
	pid_t nr;

	dom = pd;
	nr = tu_responder(s, dom, "--mmio", "0xf0000000-0xf0000fff", NULL);
	a.v = tu_vcpu(s, dom, 0);
	ck_assert_int_eq(state(), XSIM_DOM_PAUSED);
	pthread_create(&t, NULL, do_read, &a);
	usleep(100000);
	ck_assert_int_eq(a.done, 0);
	ck_assert_int_eq(xsim_domain_unpause(s, dom), 0);
	pthread_join(t, NULL);
	ck_assert_int_eq(a.ret, 0);
	ck_assert_uint_eq(a.val[0], 0);
	ck_assert_int_eq(state(), XSIM_DOM_RUNNING);
	xsim_vcpu_close(a.v);
	ck_assert_int_eq(tu_stop(nr), 0);
	{
		struct xsim_domain_info info;

		ck_assert_int_eq(xsim_domain_info(s, dom, &info), 0);
		ck_assert_uint_eq(info.nr_servers, 0);
		ck_assert_uint_eq(info.resource_mappings, 0);
	}
}
END_TEST

static void crash_by(void (*corrupt)(struct dm *), const char *why)
{
	struct access a = { .v = tu_vcpu(s, dom, 0) };
	struct xsim_domain_info info;
	pthread_t t;
	struct dm d;

	dm_start(&d);
	pthread_create(&t, NULL, do_read, &a);
	ck_assert_int_eq(xenevtchn_pending(d.xce), d.port0);
	corrupt(&d);
	pthread_join(t, NULL);
	ck_assert_int_eq(a.ret, -ESRCH);
	ck_assert_int_eq(xsim_domain_info(s, dom, &info), 0);
	ck_assert_int_eq(info.state, XSIM_DOM_CRASHED);
	ck_assert_ptr_nonnull(strstr(info.crash_reason, why));
	xsim_vcpu_close(a.v);
	dm_stop(&d);
}

static void set_none(struct dm *d)
{
	d->slots[0].state = STATE_IOREQ_NONE;
	xenevtchn_unmask(d->xce, d->port0);
	xenevtchn_notify(d->xce, d->port0);
}

static void set_weird(struct dm *d)
{
	d->slots[0].state = 7;
	xenevtchn_unmask(d->xce, d->port0);
	xenevtchn_notify(d->xce, d->port0);
}

static void answer_then_break_eport(struct dm *d)
{
	d->slots[0].data = 1;
	d->slots[0].state = STATE_IORESP_READY;
	d->slots[0].vp_eport = 999; /* the next send finds it */
	xenevtchn_unmask(d->xce, d->port0);
	xenevtchn_notify(d->xce, d->port0);
}

START_TEST(crash_backwards)
{
	crash_by(set_none, "Weird HVM ioreq state transition");
}
END_TEST

START_TEST(crash_unknown)
{
	crash_by(set_weird, "Weird HVM ioreq state");
}
END_TEST

START_TEST(crash_bad_eport)
{
	struct access a = { .v = tu_vcpu(s, dom, 0) };
	struct xsim_domain_info info;
	pthread_t t;
	struct dm d;

	dm_start(&d);
	pthread_create(&t, NULL, do_read, &a);
	ck_assert_int_eq(xenevtchn_pending(d.xce), d.port0);
	answer_then_break_eport(&d);
	pthread_join(t, NULL);
	ck_assert_int_eq(a.ret, 0);
	ck_assert_uint_eq(a.val[0], 1);
	ck_assert_int_eq(xsim_mmio_read(a.v, BAR, 4, a.val), -ESRCH);
	ck_assert_int_eq(xsim_domain_info(s, dom, &info), 0);
	ck_assert_int_eq(info.state, XSIM_DOM_CRASHED);
	ck_assert_ptr_nonnull(strstr(info.crash_reason, "bad IO state"));
	xsim_vcpu_close(a.v);
	dm_stop(&d);
}
END_TEST

START_TEST(raw_and_log)
{
	pid_t nr = tu_responder(s, dom, "--mmio", "0xf0000000-0xf0000fff",
				NULL);
	struct xsim_vcpu *v = tu_vcpu(s, dom, 0);
	struct xsim_ioreq in = {
		.addr = BAR, .data = 5, .count = 1, .size = 4,
		.state = STATE_IOREQ_READY, .dir = 1, .type = IOREQ_TYPE_COPY,
	}, out;
	struct xsim_log_ioreq lg[4];
	size_t total = 0;

	ck_assert_int_eq(xsim_raw_ioreq(v, 0, &in, 1000, &out), 0);
	ck_assert_uint_eq(out.state, STATE_IORESP_READY);
	ck_assert_uint_eq(out.data, 0);
	/* a slot left NONE is never answered */
	in.state = STATE_IOREQ_NONE;
	ck_assert_int_eq(xsim_raw_ioreq(v, 0, &in, 50, &out), -ETIMEDOUT);
	ck_assert_int_eq(xsim_log_ioreqs(s, dom, 0, lg, 4, &total), 2);
	ck_assert_uint_eq(lg[0].req.data, 5);
	ck_assert_uint_eq(lg[0].answer, 0);
	ck_assert_int_eq(xsim_raw_ioreq(v, 5, &in, 50, &out), -ENOENT);
	xsim_vcpu_close(v);
	ck_assert_int_eq(tu_stop(nr), 0);
}
END_TEST

START_TEST(shutdown)
{
	xc_interface *xch = xc_interface_open(NULL, NULL, 0);
	xendevicemodel_handle *dm = xendevicemodel_open(NULL, 0);
	xc_dominfo_t di;
	uint32_t d2 = tu_domain(s, 1, false);

	ck_assert_int_eq(xendevicemodel_shutdown(dm, d2, 1), 0);
	ck_assert_int_eq(xc_domain_getinfo(xch, d2, 1, &di), 1);
	ck_assert_uint_eq(di.shutdown, 1);
	ck_assert_uint_eq(di.shutdown_reason, 1);
	ck_assert_int_eq(xsim_domain_shutdown(s, dom, 0), 0);
	ck_assert_int_eq(state(), XSIM_DOM_GONE);
	ck_assert_int_eq(xc_domain_getinfo(xch, dom, 1, &di), 1);
	ck_assert_uint_eq(di.domid, d2); /* the next domain up */
	xendevicemodel_close(dm);
	xc_interface_close(xch);
}
END_TEST

static Suite *suite(void)
{
	Suite *su = suite_create("xensim-life");
	TCase *tc = tcase_create("life");

	tcase_add_checked_fixture(tc, up, down);
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, destroy_in_flight);
	tcase_add_test(tc, servers_outlive_relinquish);
	tcase_add_test(tc, closing_releases);
	tcase_add_test(tc, paused);
	tcase_add_test(tc, crash_backwards);
	tcase_add_test(tc, crash_unknown);
	tcase_add_test(tc, crash_bad_eport);
	tcase_add_test(tc, raw_and_log);
	tcase_add_test(tc, shutdown);
	suite_add_tcase(su, tc);
	return su;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
