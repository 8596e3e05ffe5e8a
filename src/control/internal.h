/* SPDX-License-Identifier: MIT */
/*
 * internal.h - what the control layer's files share: the server and its
 * clients (server.c), the commands (commands.c) and the screenshot worker
 * (shot.c).  Everything here runs in the loop thread except shot_work.
 */
#ifndef XENGT_CONTROL_INTERNAL_H
#define XENGT_CONTROL_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "control/control.h"
#include "util/unixsock.h"
#include "vgpu/display/capture.h"

#define CTL_PROTO_VERSION 1
#define CTL_MAX_LINE (64u * 1024) /* bytes, without the newline */
#define CTL_MAX_CLIENTS 64
#define CTL_MAX_OUT (256u * 1024) /* replies not yet read: then dropped */
#define CTL_MAX_FDS 4		  /* passed fds held per client */
#define CTL_MAX_SHOTS 4		  /* screenshots being written at once */
#define CTL_LINES_PER_WAKEUP 64	  /* requests of one client per batch */

struct ctl_client;

/* A screenshot handed to a worker thread: the picture is its own. */
struct ctl_shot {
	struct control *c;
	struct ctl_client *client; /* NULL once the client is gone */
	struct vgpu_picture pic;
	int fd;
	pthread_t thread;
	atomic_bool done;
	int rc; /* of pngfile_write_fd */
	char why[160];
};

struct ctl_fd {
	int fd;
	uint64_t pos; /* stream offset of the first byte it came with */
};

struct ctl_client {
	int kind; /* first: what an epoll event points at */
	struct control *c;
	int sock;
	uint32_t events; /* what epoll watches now */
	char in[CTL_MAX_LINE + 1];
	size_t in_len;
	uint64_t in_pos; /* stream offset of in[0] */
	char *out;
	size_t out_len, out_off;
	struct ctl_fd fds[CTL_MAX_FDS];
	unsigned nfds;
	struct ctl_shot *shot; /* a screenshot being written for it */
	bool closing;	       /* close once out is flushed */
	bool eof; /* the client shut down its side: answer, close */
};

struct control {
	struct loop *loop;
	struct control_target t;
	int epfd; /* the clients and the listener; in the loop as one fd */
	int listen_fd;
	int done_fd; /* eventfd: a worker finished */
	int kind_listen, kind_done;
	char path[108];
	struct unixsock_id sock_id; /* the socket inode we made */
	struct ctl_client *clients[CTL_MAX_CLIENTS];
	unsigned nclients;
	struct ctl_shot *shots[CTL_MAX_SHOTS];
	uint64_t requests, refused;
};

/* server.c: queue a reply object (taking it) for the client. */
void ctl_reply(struct ctl_client *cl, json_object *reply);
/* An error reply: code is one of the protocol's codes. */
void ctl_error(struct ctl_client *cl, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* A screenshot finished (shot.c) for a client still here: go on. */
void ctl_client_resume(struct ctl_client *cl);
/* {"v":1,"ok":true} to add fields to. */
json_object *ctl_ok(void);

/*
 * commands.c: handle one request line (len bytes, no newline) with the fd
 * passed with it (-1: none; taken either way).  Replies through ctl_reply,
 * or starts a screenshot whose completion replies.
 */
void ctl_command(struct ctl_client *cl, const char *line, size_t len, int fd);

/* shot.c: start writing pic to fd in a worker (both taken): 0 or -EBUSY. */
int shot_start(struct ctl_client *cl, struct vgpu_picture *pic, int fd);
/* Finished workers: reply to their clients, join, free. */
void shot_reap(struct control *c);
/* Wait for every worker (at close). */
void shot_join_all(struct control *c);

#endif
