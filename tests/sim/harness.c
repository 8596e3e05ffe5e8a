/* SPDX-License-Identifier: MIT */
#include "harness.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef ABS_BUILDDIR
#error "ABS_BUILDDIR must name the build tree"
#endif

const char *harness_dm_path(void)
{
	const char *p = getenv("XENGT_DM");

	return p && *p ? p : ABS_BUILDDIR "/xengt-dm";
}

const char *harness_null_path(void)
{
	return ABS_BUILDDIR "/tests/xensim/null-responder";
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* Read "READY\n" from fd within timeout_ms; -EPIPE if it closed first. */
static int wait_ready(int fd, unsigned timeout_ms)
{
	uint64_t deadline = now_ms() + timeout_ms;
	char buf[16];
	size_t got = 0;

	while (got < 6) {
		uint64_t now = now_ms();
		struct pollfd pfd = {.fd = fd, .events = POLLIN};
		ssize_t n;
		int rc;

		if (now >= deadline)
			return -ETIMEDOUT;
		rc = poll(&pfd, 1, (int)(deadline - now));
		if (rc < 0 && errno == EINTR)
			continue;
		if (rc <= 0)
			return rc < 0 ? -errno : -ETIMEDOUT;
		n = read(fd, buf + got, sizeof(buf) - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -EPIPE;
		got += (size_t)n;
	}
	return memcmp(buf, "READY\n", 6) == 0 ? 0 : -EPROTO;
}

int harness_start_dm(struct harness *h, const struct harness_opts *o)
{
	const char *argv[64];
	char domid[16], readyfd[16];
	unsigned n = 0;
	int pfd[2];
	pid_t pid;
	int rc;

	if (pipe2(pfd, O_CLOEXEC) < 0)
		return -errno;
	snprintf(domid, sizeof(domid), "%u", h->domid);
	argv[n++] = o->null_responder ? harness_null_path() : harness_dm_path();
	argv[n++] = "--domid";
	argv[n++] = domid;
	argv[n++] = "--ready-fd";
	argv[n++] = readyfd;
	bool control = false;

	for (unsigned i = 0; o->args && o->args[i] && n < 61; i++) {
		control |= strncmp(o->args[i], "--control", 9) == 0 ||
			   strcmp(o->args[i], "--no-control") == 0;
		argv[n++] = o->args[i];
	}
	/* no test shares the host's /run/xengt unless it asks for it */
	if (!o->null_responder && !control)
		argv[n++] = "--no-control";
	argv[n] = NULL;

	pid = fork();
	if (pid < 0) {
		rc = -errno;
		close(pfd[0]);
		close(pfd[1]);
		return rc;
	}
	if (pid == 0) {
		int wfd = dup(pfd[1]); /* without O_CLOEXEC */

		snprintf(readyfd, sizeof(readyfd), "%d", wfd);
		setenv("XENSIM_SOCKET", xsim_socket_path(h->sim), 1);
		setenv("LD_LIBRARY_PATH", xsim_lib_dir(), 1);
		if (o->log_path) {
			int lfd = open(o->log_path,
				       O_WRONLY | O_CREAT | O_APPEND, 0644);
			if (lfd >= 0)
				dup2(lfd, STDERR_FILENO);
		}
		execv(argv[0], (char *const *)argv);
		fprintf(stderr, "harness: exec %s: %s\n", argv[0],
			strerror(errno));
		_exit(127);
	}
	close(pfd[1]);
	h->dm_pid = pid;
	rc = wait_ready(pfd[0], 10000);
	close(pfd[0]);
	if (rc < 0) {
		int status = 0;

		if (waitpid(pid, &status, WNOHANG) == pid) {
			fprintf(stderr, "harness: %s exited (status 0x%x) before ready\n",
				argv[0], status);
			h->dm_pid = 0;
		} else {
			fprintf(stderr, "harness: %s not ready: %s\n", argv[0],
				strerror(-rc));
		}
		return rc;
	}
	return 0;
}

int harness_start(struct harness *h, const struct harness_opts *o)
{
	struct xsim_domain_config cfg = {0};
	int rc;

	memset(h, 0, sizeof(*h));
	if (o->sim) {
		h->sim = o->sim;
	} else {
		rc = xsim_spawn(NULL, &h->sim);
		if (rc < 0) {
			fprintf(stderr, "harness: cannot start xensim: %s\n",
				strerror(-rc));
			return rc;
		}
		h->own_sim = true;
	}
	cfg.vcpus = o->vcpus ? o->vcpus : 2;
	cfg.ram_bytes = o->ram_bytes ? o->ram_bytes : 256ull << 20;
	cfg.paused = true;
	cfg.relinquish_ms = o->relinquish_ms;
	rc = xsim_domain_create(h->sim, &cfg, &h->domid);
	if (rc < 0)
		return rc;
	if (o->log_path)
		snprintf(h->log_path, sizeof(h->log_path), "%s", o->log_path);
	h->remove_log = o->remove_log;
	rc = harness_start_dm(h, o);
	if (rc < 0)
		return rc;
	if (!o->no_unpause)
		rc = xsim_domain_unpause(h->sim, h->domid);
	return rc;
}

int harness_wait_dm(struct harness *h, unsigned timeout_ms, int *status,
		    unsigned *waited_ms)
{
	uint64_t start = now_ms();

	if (h->dm_pid <= 0)
		return -ECHILD;
	for (;;) {
		pid_t r = waitpid(h->dm_pid, status, WNOHANG);
		uint64_t el = now_ms() - start;

		if (r == h->dm_pid) {
			h->dm_pid = 0;
			if (waited_ms)
				*waited_ms = (unsigned)el;
			return 0;
		}
		if (r < 0)
			return -errno;
		if (el >= timeout_ms)
			return -ETIMEDOUT;
		usleep(2000);
	}
}

int harness_stop_dm(struct harness *h, int sig, unsigned timeout_ms,
		    int *status, unsigned *waited_ms)
{
	if (h->dm_pid <= 0)
		return -ECHILD;
	if (kill(h->dm_pid, sig) < 0)
		return -errno;
	return harness_wait_dm(h, timeout_ms, status, waited_ms);
}

bool harness_log_contains(const struct harness *h, const char *needle)
{
	char line[1024];
	bool found = false;
	FILE *f;

	if (!h->log_path[0])
		return false;
	f = fopen(h->log_path, "r");
	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f))
		found = strstr(line, needle) != NULL;
	fclose(f);
	return found;
}

void harness_end(struct harness *h)
{
	if (h->dm_pid > 0) {
		int status;

		kill(h->dm_pid, SIGKILL);
		waitpid(h->dm_pid, &status, 0);
		h->dm_pid = 0;
	}
	if (h->sim && h->own_sim)
		xsim_close(h->sim);
	h->sim = NULL;
	if (h->log_path[0] && h->remove_log)
		unlink(h->log_path);
}

int harness_free_vnc_display(void)
{
	struct sockaddr_in sa = {.sin_family = AF_INET};
	int start = (int)(getpid() % 80);

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	for (int i = 0; i < 80; i++) {
		int d = 20 + (start + i) % 80, fd, rc;

		fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd < 0)
			return -errno;
		sa.sin_port = htons((uint16_t)(5900 + d));
		rc = bind(fd, (struct sockaddr *)&sa, sizeof(sa));
		close(fd);
		if (rc == 0)
			return d;
	}
	return -EADDRINUSE;
}
