/* SPDX-License-Identifier: MIT */
/*
 * domwatch DOMID PID [SERVER]: runs in the test dom0 beside a guest's
 * xengt-dm and prints, with millisecond wall-clock stamps, when the domain
 * is first seen shut down, dying or gone, when Xen no longer knows ioreq
 * server SERVER (it destroys a domain's servers only after relinquishing
 * all its memory), and when PID exits.  Cheap enough to poll every 20 ms
 * under TCG (two hypercalls), unlike `xl list`.
 *   shutdown T / dying T / server-gone T / gone T / exit T
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <xenctrl.h>
#include <xendevicemodel.h>

static unsigned long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (unsigned long long)ts.tv_sec * 1000u + ts.tv_nsec / 1000000u;
}

/* Has PID exited (zombies included)?  Its pidfd turns readable then. */
static int exited(int pidfd)
{
	struct pollfd p = {.fd = pidfd, .events = POLLIN};

	return poll(&p, 1, 0) == 1 && (p.revents & POLLIN);
}

int main(int argc, char **argv)
{
	int shut = 0, dying = 0, gone = 0, srv_gone = 0, pidfd;
	xendevicemodel_handle *dmod = NULL;
	xc_interface *xch;
	ioservid_t srv = 0;
	uint32_t domid;
	pid_t pid;

	if (argc != 3 && argc != 4) {
		fprintf(stderr, "usage: domwatch DOMID PID [SERVER]\n");
		return 2;
	}
	domid = (uint32_t)strtoul(argv[1], NULL, 0);
	pid = (pid_t)strtol(argv[2], NULL, 0);
	/* not /proc/PID/stat: reading it under load was once taken for an exit */
	pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pidfd < 0) {
		perror("pidfd_open");
		return 1;
	}
	xch = xc_interface_open(NULL, NULL, 0);
	if (!xch) {
		perror("xc_interface_open");
		return 1;
	}
	if (argc == 4) {
		srv = (ioservid_t)strtoul(argv[3], NULL, 0);
		dmod = xendevicemodel_open(NULL, 0);
		if (!dmod) {
			perror("xendevicemodel_open");
			return 1;
		}
	} else {
		srv_gone = 1; /* not watched */
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	/*
	 * The process is looked at first and the domain after, so that when
	 * domwatch itself was kept off the CPU while everything happened
	 * (one emulated CPU, busy with xl's destroy), the stamps still come
	 * out in an order that tells whether the daemon outlived the server.
	 */
	for (;;) {
		int alive = !exited(pidfd);
		xc_dominfo_t info;
		int n = xc_domain_getinfo(xch, domid, 1, &info);

		if (!gone && (n != 1 || info.domid != domid)) {
			gone = 1;
			printf("gone %llu\n", now_ms());
		} else if (!gone) {
			if (info.shutdown && !shut) {
				shut = 1;
				printf("shutdown %llu\n", now_ms());
			}
			if (info.dying && !dying) {
				dying = 1;
				printf("dying %llu\n", now_ms());
			}
		}
		/* ENOENT: destroyed with the domain; ESRCH: domain gone */
		if (!srv_gone &&
		    xendevicemodel_get_ioreq_server_info(dmod, (domid_t)domid,
							 srv, NULL, NULL,
							 NULL) < 0 &&
		    (errno == ENOENT || errno == ESRCH)) {
			srv_gone = 1;
			printf("server-gone %llu\n", now_ms());
		}
		if (!alive) {
			printf("exit %llu\n", now_ms());
			break;
		}
		usleep(20000);
	}
	if (dmod)
		xendevicemodel_close(dmod);
	xc_interface_close(xch);
	return 0;
}
