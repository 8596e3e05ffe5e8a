/* SPDX-License-Identifier: MIT */
/*
 * guest-uevents: the kernel's uevents, as a udev daemon would receive
 * them (the NETLINK_KOBJECT_UEVENT socket, group 1), run inside the HVM
 * guest, whose busybox has no udevadm and whose kernel no uevent helper.
 * Prints one line per event until SIGTERM or SECONDS pass:
 *   ACTION SUBSYSTEM DEVPATH HOTPLUG=value
 * Usage: guest-uevents SECONDS
 */
#include <linux/netlink.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* The value of KEY= in the event's NUL-separated fields, or "". */
static const char *field(const char *buf, size_t len, const char *key)
{
	size_t k = strlen(key), i = 0;

	while (i < len) {
		const char *f = buf + i;
		size_t n = strnlen(f, len - i);

		if (n > k && !memcmp(f, key, k) && f[k] == '=')
			return f + k + 1;
		i += n + 1;
	}
	return "";
}

int main(int argc, char **argv)
{
	struct sockaddr_nl sa = {.nl_family = AF_NETLINK, .nl_groups = 1};
	static char buf[8192];
	time_t end;
	int fd;

	if (argc != 2) {
		fprintf(stderr, "usage: guest-uevents SECONDS\n");
		return 2;
	}
	end = time(NULL) + atoi(argv[1]);
	fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC,
		    NETLINK_KOBJECT_UEVENT);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		perror("guest-uevents: netlink");
		return 1;
	}
	printf("listening\n");
	fflush(stdout);
	while (time(NULL) < end) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		ssize_t n;

		if (poll(&p, 1, 500) <= 0)
			continue;
		n = recv(fd, buf, sizeof(buf) - 1, 0);
		if (n <= 0)
			continue;
		buf[n] = 0;
		printf("%s %s %s HOTPLUG=%s\n", field(buf, (size_t)n, "ACTION"),
		       field(buf, (size_t)n, "SUBSYSTEM"),
		       field(buf, (size_t)n, "DEVPATH"),
		       field(buf, (size_t)n, "HOTPLUG"));
		fflush(stdout);
	}
	return 0;
}
