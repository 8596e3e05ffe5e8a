/* SPDX-License-Identifier: MIT */
/*
 * guest-portbench: the P7 peer comparison, run inside the HVM guest.
 * Interleaved blocks of port reads: one port served by xengt-dm (the vGPU
 * I/O BAR's MMIO_INDEX register, located through sysfs) and one served by
 * qemu-xen (the emulated UART's line status register, 0x3fd).  Around
 * every block it prints a marker line on the serial console, and pauses
 * so that dom0 can sample each device model's CPU time at the markers:
 *   P7 begin dm|qemu I
 *   P7 end dm|qemu I READS NS
 *   P7 done
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/io.h>
#include <time.h>
#include <unistd.h>

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* The vGPU's I/O BAR: line 5 (BAR4) of sysfs "resource". */
static int iobar(const char *dev, unsigned *port)
{
	char path[256], line[128];
	unsigned long long start = 0, end = 0, flags = 0;
	FILE *f;
	int i;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/resource", dev);
	f = fopen(path, "r");
	if (!f)
		return -1;
	for (i = 0; i <= 4 && fgets(line, sizeof(line), f); i++)
		sscanf(line, "%llx %llx %llx", &start, &end, &flags);
	fclose(f);
	if (i != 5 || !(flags & 0x100) || !start || start > 0xffff)
		return -1;
	*port = (unsigned)start;
	return 0;
}

static void pause_ms(unsigned ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};

	nanosleep(&ts, NULL);
}

static void block(const char *kind, unsigned i, unsigned port, unsigned n,
		  int dword)
{
	volatile uint32_t sink = 0;
	uint64_t t0;

	printf("P7 begin %s %u\n", kind, i);
	fflush(stdout);
	pause_ms(400);
	t0 = now_ns();
	for (unsigned k = 0; k < n; k++)
		sink += dword ? inl((uint16_t)port) : inb((uint16_t)port);
	t0 = now_ns() - t0;
	printf("P7 end %s %u %u %llu\n", kind, i, n, (unsigned long long)t0);
	fflush(stdout);
	pause_ms(400);
	(void)sink;
}

int main(int argc, char **argv)
{
	const char *dev = argc > 1 ? argv[1] : "0000:00:02.0";
	unsigned blocks = argc > 2 ? (unsigned)atoi(argv[2]) : 5;
	unsigned n = argc > 3 ? (unsigned)atoi(argv[3]) : 10000;
	unsigned port;

	if (iobar(dev, &port) < 0) {
		printf("FAIL: P7: no I/O BAR found for %s\n", dev);
		return 1;
	}
	if (iopl(3) < 0) {
		perror("iopl");
		return 1;
	}
	for (unsigned i = 0; i < blocks; i++) {
		block("dm", i, port, n, 1);
		block("qemu", i, 0x3fd, n, 0);
	}
	printf("P7 done\n");
	fflush(stdout);
	return 0;
}
