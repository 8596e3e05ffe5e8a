// SPDX-License-Identifier: MIT
/*
 * null-responder.c - the smallest correct ioreq server, written against
 * the public Xen library API only (the same headers and libraries as the
 * daemon; under LD_LIBRARY_PATH it runs on xensim).  Reads answer 0 (rep
 * ins/movs into RAM write zeros there and report them with
 * modified_memory), writes are dropped, the buffered ring is drained.
 * It is the baseline of `make bench`, so the loop is kept lean.
 *
 *   null-responder --domid N [--mmio START-END] [--port START-END]
 *                  [--pci BB:DD.F] [--ready-fd FD]
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/signalfd.h>
#include <unistd.h>
#include <xendevicemodel.h>
#include <xenevtchn.h>
#include <xenforeignmemory.h>
#include <xen/hvm/ioreq.h>
#include <xen/memory.h>

#define MAX_CLAIMS 16

struct claim {
	int kind; /* 0 port, 1 mmio, 2 pci */
	uint64_t start, end;
	unsigned bus, dev, fn;
};

struct nr {
	domid_t domid;
	xendevicemodel_handle *dm;
	xenforeignmemory_handle *fm;
	xenevtchn_handle *xce;
	ioservid_t id;
	unsigned vcpus;
	struct buffered_iopage *buf;
	struct ioreq *slots;
	evtchn_port_t *local;   /* per vCPU */
	int *port_vcpu;         /* local port -> vCPU, -1 */
	unsigned max_port;
	evtchn_port_t buf_local;
	xenforeignmemory_resource_handle *fres;
};

static void die(const char *what)
{
	fprintf(stderr, "null-responder: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void drain_buffered(struct nr *n)
{
	uint64_t *pair = (uint64_t *)&n->buf->read_pointer;

	for (;;) {
		/* one 64-bit load: a consistent (rp, wp) pair */
		uint64_t p = __atomic_load_n(pair, __ATOMIC_ACQUIRE);
		uint32_t rp = (uint32_t)p, wp = (uint32_t)(p >> 32);

		if (rp == wp)
			return;
		/* Writes are dropped; Xen publishes qword pairs together. */
		__atomic_fetch_add(&n->buf->read_pointer, wp - rp,
				   __ATOMIC_RELEASE);
	}
}

/* rep ins / movs into RAM: the items at data +/- i*size become zeros. */
static void zero_guest(struct nr *n, const struct ioreq *r)
{
	uint64_t span = (uint64_t)r->count * r->size;
	uint64_t lo = r->df ? r->data - span + r->size : r->data;
	uint64_t first = lo >> 12, last = (lo + span - 1) >> 12;
	size_t pages = last - first + 1;
	xen_pfn_t gfn[3];
	int err[3];
	char *p;

	if (pages > 3 || !span)
		return;
	for (size_t i = 0; i < pages; i++)
		gfn[i] = first + i;
	p = xenforeignmemory_map(n->fm, n->domid, PROT_READ | PROT_WRITE, pages,
				 gfn, err);
	if (!p)
		return;
	for (size_t i = 0; i < pages; i++) {
		uint64_t a = (first + i) << 12, e = a + 4096;
		uint64_t s = a > lo ? a : lo;
		uint64_t t = e < lo + span ? e : lo + span;

		if (!err[i] && s < t)
			memset(p + (s - (first << 12)), 0, t - s);
	}
	xenforeignmemory_unmap(n->fm, p, pages);
	xendevicemodel_modified_memory(n->dm, n->domid, first, pages);
}

static void answer(struct nr *n, unsigned v)
{
	struct ioreq *s = &n->slots[v];
	uint8_t *flags = (uint8_t *)s + 30;
	uint8_t f = __atomic_load_n(flags, __ATOMIC_ACQUIRE);

	if ((f & 0x0f) != STATE_IOREQ_READY)
		return; /* spurious */
	__atomic_store_n(flags, (f & 0xf0) | STATE_IOREQ_INPROCESS,
			 __ATOMIC_RELAXED);
	if (s->dir == IOREQ_READ) {
		if (s->data_is_ptr)
			zero_guest(n, s);
		else
			s->data = 0;
	}
	__atomic_store_n(flags, (f & 0xf0) | STATE_IORESP_READY,
			 __ATOMIC_RELEASE);
	xenevtchn_notify(n->xce, n->local[v]);
}

static int parse_range(const char *s, uint64_t *a, uint64_t *b)
{
	char *e;

	*a = strtoull(s, &e, 0);
	if (*e != '-')
		return -1;
	*b = strtoull(e + 1, &e, 0);
	return *e || *a > *b ? -1 : 0;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: null-responder --domid N [--mmio START-END] "
		"[--port START-END] [--pci BB:DD.F] [--ready-fd FD]\n");
	exit(2);
}

static void setup(struct nr *n, const struct claim *c, unsigned nc)
{
	unsigned frames;
	void *addr = NULL;

	n->dm = xendevicemodel_open(NULL, 0);
	n->fm = xenforeignmemory_open(NULL, 0);
	n->xce = xenevtchn_open(NULL, 0);
	if (!n->dm || !n->fm || !n->xce)
		die("open");
	if (xendevicemodel_nr_vcpus(n->dm, n->domid, &n->vcpus))
		die("nr_vcpus");
	if (xendevicemodel_create_ioreq_server(
		    n->dm, n->domid, HVM_IOREQSRV_BUFIOREQ_ATOMIC, &n->id))
		die("create_ioreq_server");
	frames = 1 + (n->vcpus * sizeof(struct ioreq) + 4095) / 4096;
	n->fres = xenforeignmemory_map_resource(
		n->fm, n->domid, XENMEM_resource_ioreq_server, n->id, 0, frames,
		&addr, PROT_READ | PROT_WRITE, 0);
	if (!n->fres)
		die("map_resource");
	n->buf = addr;
	n->slots = (struct ioreq *)((char *)addr + 4096);
	{
		evtchn_port_t bufport;

		if (xendevicemodel_get_ioreq_server_info(n->dm, n->domid, n->id,
							 NULL, NULL, &bufport))
			die("get_ioreq_server_info");
		if (xendevicemodel_set_ioreq_server_state(n->dm, n->domid,
							  n->id, 1))
			die("set_ioreq_server_state");
		n->local = calloc(n->vcpus, sizeof(*n->local));
		if (!n->local)
			die("calloc");
		for (unsigned v = 0; v < n->vcpus; v++) {
			int p = xenevtchn_bind_interdomain(
				n->xce, n->domid, n->slots[v].vp_eport);

			if (p < 0)
				die("bind_interdomain");
			n->local[v] = p;
			if ((unsigned)p > n->max_port)
				n->max_port = p;
		}
		n->buf_local = xenevtchn_bind_interdomain(n->xce, n->domid,
							  bufport);
		if ((int)n->buf_local < 0)
			die("bind_interdomain (buffered)");
	}
	n->port_vcpu = malloc((n->max_port + 1) * sizeof(int));
	if (!n->port_vcpu)
		die("malloc");
	memset(n->port_vcpu, 0xff, (n->max_port + 1) * sizeof(int));
	for (unsigned v = 0; v < n->vcpus; v++)
		n->port_vcpu[n->local[v]] = v;
	for (unsigned i = 0; i < nc; i++) {
		int r = c[i].kind == 2
				? xendevicemodel_map_pcidev_to_ioreq_server(
					  n->dm, n->domid, n->id, 0, c[i].bus,
					  c[i].dev, c[i].fn)
				: xendevicemodel_map_io_range_to_ioreq_server(
					  n->dm, n->domid, n->id, c[i].kind,
					  c[i].start, c[i].end);

		if (r)
			die("claim");
	}
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "domid", required_argument, NULL, 'd' },
		{ "mmio", required_argument, NULL, 'm' },
		{ "port", required_argument, NULL, 'p' },
		{ "pci", required_argument, NULL, 'c' },
		{ "ready-fd", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	struct claim claims[MAX_CLAIMS];
	struct nr n = { 0 };
	unsigned nc = 0;
	int ready = -1, o, have_dom = 0, sfd;
	sigset_t ss;

	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		struct claim *c = &claims[nc];

		if ((o == 'm' || o == 'p' || o == 'c') && nc == MAX_CLAIMS)
			usage();
		switch (o) {
		case 'd':
			n.domid = strtoul(optarg, NULL, 0);
			have_dom = 1;
			break;
		case 'm':
		case 'p':
			c->kind = o == 'm';
			if (parse_range(optarg, &c->start, &c->end))
				usage();
			nc++;
			break;
		case 'c':
			c->kind = 2;
			if (sscanf(optarg, "%x:%x.%x", &c->bus, &c->dev,
				   &c->fn) != 3)
				usage();
			nc++;
			break;
		case 'r':
			ready = atoi(optarg);
			break;
		default:
			usage();
		}
	}
	if (!have_dom)
		usage();
	sigemptyset(&ss);
	sigaddset(&ss, SIGTERM);
	sigaddset(&ss, SIGINT);
	sigprocmask(SIG_BLOCK, &ss, NULL);
	sfd = signalfd(-1, &ss, SFD_CLOEXEC);
	if (sfd < 0)
		die("signalfd");
	setup(&n, claims, nc);
	if (ready >= 0) {
		if (write(ready, "READY\n", 6) != 6)
			die("ready-fd");
		close(ready);
	}
	for (;;) {
		struct pollfd pf[2] = {
			{ .fd = xenevtchn_fd(n.xce), .events = POLLIN },
			{ .fd = sfd, .events = POLLIN },
		};
		int port;

		if (poll(pf, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			die("poll");
		}
		if (pf[1].revents)
			break;
		if (!pf[0].revents)
			continue;
		port = xenevtchn_pending(n.xce);
		if (port < 0)
			die("pending");
		xenevtchn_unmask(n.xce, port);
		drain_buffered(&n);
		if ((unsigned)port <= n.max_port && n.port_vcpu[port] >= 0)
			answer(&n, n.port_vcpu[port]);
	}
	xendevicemodel_set_ioreq_server_state(n.dm, n.domid, n.id, 0);
	xendevicemodel_destroy_ioreq_server(n.dm, n.domid, n.id);
	xenforeignmemory_unmap_resource(n.fm, n.fres);
	xenevtchn_close(n.xce);
	xenforeignmemory_close(n.fm);
	xendevicemodel_close(n.dm);
	free(n.local);
	free(n.port_vcpu);
	return 0;
}
