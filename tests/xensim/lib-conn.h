/* SPDX-License-Identifier: MIT */
/*
 * lib-conn.h - the client end of the xensim protocol, shared by the
 * ABI-compatible libraries and libxsimguest.a.
 */
#ifndef XENSIM_LIB_CONN_H
#define XENSIM_LIB_CONN_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "proto.h"

struct xsc {
	int fd;
	pthread_mutex_t lock;
};

/*
 * Connect to the simulator at `path`, or at $XENSIM_SOCKET when path is
 * NULL (`who` names the caller in the error printed when it is unset).
 * Returns 0 or a negative errno.
 */
int xsc_open(struct xsc *c, const char *path, const char *who, int cloexec);
void xsc_close(struct xsc *c);

/*
 * One request and its reply.  Returns the reply's ret (>= 0 or -errno) or
 * a negative transport error.  *rtlen gets the reply tail length and
 * *recv_fd a passed descriptor (or -1); both may be NULL.
 */
int xsc_call(struct xsc *c, const struct xsp_req *rq, const void *tail,
	     size_t tlen, int send_fd, struct xsp_rep *rep, void *rtail,
	     size_t rtmax, size_t *rtlen, int *recv_fd);

/* Send one message with an optional descriptor; 0 or -errno. */
int xsc_sendmsg(int sock, const void *a, size_t alen, const void *b,
		size_t blen, int fd);

/* -errno -> -1 with errno set; otherwise r. */
int xsc_ret(int r);

/* A process-unique cookie naming one mapping. */
uint64_t xsc_cookie(void);

#endif
