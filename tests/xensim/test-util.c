// SPDX-License-Identifier: MIT
/*
 * test-util.c - helpers for xensim's own tests.
 */
#include <check.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test-util.h"

struct xsim *tu_sim(void)
{
	struct xsim *s = NULL;

	ck_assert_int_eq(xsim_spawn(NULL, &s), 0);
	setenv("XENSIM_SOCKET", xsim_socket_path(s), 1);
	return s;
}

uint32_t tu_domain(struct xsim *s, unsigned vcpus, bool paused)
{
	struct xsim_domain_config cfg = {
		.vcpus = vcpus,
		.ram_bytes = TU_RAM,
		.paused = paused,
	};
	uint32_t domid = 0;

	ck_assert_int_eq(xsim_domain_create(s, &cfg, &domid), 0);
	return domid;
}

pid_t tu_responder(struct xsim *s, uint32_t domid, const char *arg, ...)
{
	const char *argv[32];
	char dom[16], rfd[16], buf[16] = "";
	int pfd[2], n = 0;
	va_list ap;
	pid_t pid;

	snprintf(dom, sizeof(dom), "%u", domid);
	ck_assert_int_eq(pipe(pfd), 0);
	snprintf(rfd, sizeof(rfd), "%d", pfd[1]);
	argv[n++] = XSIM_NULL_RESPONDER;
	argv[n++] = "--domid";
	argv[n++] = dom;
	argv[n++] = "--ready-fd";
	argv[n++] = rfd;
	va_start(ap, arg);
	for (const char *a = arg; a && n < 30; a = va_arg(ap, const char *))
		argv[n++] = a;
	va_end(ap);
	argv[n] = NULL;
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		close(pfd[0]);
		setenv("LD_LIBRARY_PATH", xsim_lib_dir(), 1);
		setenv("XENSIM_SOCKET", xsim_socket_path(s), 1);
		execv(argv[0], (char **)argv);
		_exit(127);
	}
	close(pfd[1]);
	ck_assert_int_eq(read(pfd[0], buf, sizeof(buf) - 1), 6);
	ck_assert_str_eq(buf, "READY\n");
	close(pfd[0]);
	return pid;
}

int tu_stop(pid_t pid)
{
	int st = -1;

	kill(pid, SIGTERM);
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

size_t tu_log(struct xsim *s, uint32_t domid, size_t from,
	      struct xsim_log_ioreq *out, size_t max)
{
	size_t total = 0;
	int n = xsim_log_ioreqs(s, domid, from, out, max, &total);

	ck_assert_int_ge(n, 0);
	return n;
}

struct xsim_vcpu *tu_vcpu(struct xsim *s, uint32_t domid, unsigned vcpu)
{
	struct xsim_vcpu *v = NULL;

	ck_assert_int_eq(xsim_vcpu_open(s, domid, vcpu, &v), 0);
	return v;
}
