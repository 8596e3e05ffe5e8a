// SPDX-License-Identifier: MIT
/*
 * lib-evtchn.c - libxenevtchn.so.1 for xensim.  A handle is two sockets:
 * the RPC connection (binds, unbind, restrict: answered) and the event
 * socket, whose descriptor xenevtchn_fd returns.  The simulator writes a
 * uint32_t port on it per delivered event (the port is then masked);
 * notify and unmask are one unanswered message each on the same socket.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <xenevtchn.h>

#include "lib-conn.h"
#include "lib-toolcore.h"

struct xenevtchn_handle {
	struct xsc c;
	int evfd;
	Xentoolcore__Active_Handle ah;
	pthread_mutex_t lock;
	uint8_t *bound; /* bit per local port bound through this handle */
	size_t nbound;  /* bits */
};

static int ev_restrict_cb(Xentoolcore__Active_Handle *ah, domid_t domid)
{
	xenevtchn_handle *h = XSIM_CONTAINER_OF(ah, xenevtchn_handle, ah);

	return xenevtchn_restrict(h, domid);
}

xenevtchn_handle *xenevtchn_open(struct xentoollog_logger *logger,
				 unsigned int flags)
{
	int cloexec = !(flags & XENEVTCHN_NO_CLOEXEC);
	xenevtchn_handle *h = calloc(1, sizeof(*h));
	struct xsp_req rq = { .op = XSP_EV_OPEN };
	int sv[2], r;

	if (!h)
		return NULL;
	r = xsc_open(&h->c, NULL, "xenevtchn", cloexec);
	if (r < 0)
		goto fail;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | (cloexec ? SOCK_CLOEXEC : 0),
		       0, sv) < 0) {
		r = -errno;
		xsc_close(&h->c);
		goto fail;
	}
	r = xsc_call(&h->c, &rq, NULL, 0, sv[1], NULL, NULL, 0, NULL, NULL);
	close(sv[1]);
	if (r < 0) {
		close(sv[0]);
		xsc_close(&h->c);
		goto fail;
	}
	h->evfd = sv[0];
	pthread_mutex_init(&h->lock, NULL);
	h->ah.restrict_callback = ev_restrict_cb;
	xentoolcore__register_active_handle(&h->ah);
	return h;
fail:
	free(h);
	errno = -r;
	return NULL;
}

/*
 * The simulator has no evtchn device to adopt: open a fresh handle and put
 * its event socket on `fd`, so xenevtchn_fd() returns the caller's fd.
 */
xenevtchn_handle *xenevtchn_fdopen(struct xentoollog_logger *logger, int fd,
				   unsigned open_flags)
{
	xenevtchn_handle *h = xenevtchn_open(logger, open_flags);

	if (!h)
		return NULL;
	if (dup2(h->evfd, fd) < 0) {
		int e = errno;

		xenevtchn_close(h);
		errno = e;
		return NULL;
	}
	close(h->evfd);
	h->evfd = fd;
	return h;
}

int xenevtchn_close(xenevtchn_handle *h)
{
	if (!h)
		return 0;
	xentoolcore__deregister_active_handle(&h->ah);
	close(h->evfd);
	xsc_close(&h->c);
	pthread_mutex_destroy(&h->lock);
	free(h->bound);
	free(h);
	return 0;
}

int xenevtchn_fd(xenevtchn_handle *h)
{
	return h->evfd;
}

static bool is_bound(xenevtchn_handle *h, evtchn_port_t p)
{
	bool r;

	pthread_mutex_lock(&h->lock);
	r = p < h->nbound && (h->bound[p / 8] & (1u << (p % 8)));
	pthread_mutex_unlock(&h->lock);
	return r;
}

static void set_bound(xenevtchn_handle *h, evtchn_port_t p, bool on)
{
	pthread_mutex_lock(&h->lock);
	if (p >= h->nbound) {
		size_t n = (p + 64) & ~63ul;
		uint8_t *b = realloc(h->bound, n / 8);

		if (!b) {
			pthread_mutex_unlock(&h->lock);
			return;
		}
		memset(b + h->nbound / 8, 0, (n - h->nbound) / 8);
		h->bound = b;
		h->nbound = n;
	}
	if (on)
		h->bound[p / 8] |= 1u << (p % 8);
	else
		h->bound[p / 8] &= ~(1u << (p % 8));
	pthread_mutex_unlock(&h->lock);
}

int xenevtchn_notify(xenevtchn_handle *h, evtchn_port_t port)
{
	struct xsp_ev m = { .op = XSP_E_NOTIFY, .port = port };

	if (!is_bound(h, port)) {
		errno = ENOTCONN;
		return -1;
	}
	return xsc_ret(xsc_sendmsg(h->evfd, &m, sizeof(m), NULL, 0, -1));
}

int xenevtchn_unmask(xenevtchn_handle *h, evtchn_port_t port)
{
	struct xsp_ev m = { .op = XSP_E_UNMASK, .port = port };

	/* like a write() to the evtchn device: unknown ports are ignored */
	if (!is_bound(h, port))
		return 0;
	return xsc_ret(xsc_sendmsg(h->evfd, &m, sizeof(m), NULL, 0, -1));
}

xenevtchn_port_or_error_t xenevtchn_pending(xenevtchn_handle *h)
{
	uint32_t port;
	ssize_t n;

	do {
		n = recv(h->evfd, &port, sizeof(port), 0);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return -1;
	if (n != sizeof(port)) {
		errno = EIO; /* the simulator went away */
		return -1;
	}
	return port;
}

static xenevtchn_port_or_error_t bind_call(xenevtchn_handle *h, uint32_t op,
					   uint32_t domid, uint64_t a0)
{
	struct xsp_req rq = { .op = op, .domid = domid, .a = { a0 } };
	int r = xsc_call(&h->c, &rq, NULL, 0, -1, NULL, NULL, 0, NULL, NULL);

	if (r > 0)
		set_bound(h, r, true);
	return xsc_ret(r);
}

xenevtchn_port_or_error_t xenevtchn_bind_unbound_port(xenevtchn_handle *h,
						      uint32_t domid)
{
	return bind_call(h, XSP_EV_BIND_UNBOUND, domid, 0);
}

xenevtchn_port_or_error_t xenevtchn_bind_interdomain(xenevtchn_handle *h,
						     uint32_t domid,
						     evtchn_port_t remote_port)
{
	return bind_call(h, XSP_EV_BIND_INTER, domid, remote_port);
}

xenevtchn_port_or_error_t xenevtchn_bind_virq(xenevtchn_handle *h,
					      unsigned int virq)
{
	return bind_call(h, XSP_EV_BIND_VIRQ, 0, virq);
}

int xenevtchn_unbind(xenevtchn_handle *h, evtchn_port_t port)
{
	struct xsp_req rq = { .op = XSP_EV_UNBIND, .a = { port } };
	int r;

	if (!is_bound(h, port)) {
		errno = ENOTCONN;
		return -1;
	}
	r = xsc_call(&h->c, &rq, NULL, 0, -1, NULL, NULL, 0, NULL, NULL);
	if (r >= 0)
		set_bound(h, port, false);
	return xsc_ret(r);
}

int xenevtchn_restrict(xenevtchn_handle *h, domid_t domid)
{
	struct xsp_req rq = { .op = XSP_RESTRICT, .domid = domid };

	return xsc_ret(
		xsc_call(&h->c, &rq, NULL, 0, -1, NULL, NULL, 0, NULL, NULL));
}
