/* SPDX-License-Identifier: MIT */
#include "util/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static enum log_level cur_level = LOG_INFO;
static char prefix[64] = "xengt-dm";

static const char *const level_name[] = {"error", "warning", "info", "debug"};

void log_set_level(enum log_level level)
{
	cur_level = level;
}

enum log_level log_get_level(void)
{
	return cur_level;
}

void log_set_prefix(const char *p)
{
	snprintf(prefix, sizeof(prefix), "%s", p);
}

static void vlog(enum log_level level, const char *fmt, va_list ap,
		 unsigned suppressed)
{
	char line[512];
	int n;

	if (level > cur_level)
		return;
	n = snprintf(line, sizeof(line), "%s: %s: ", prefix, level_name[level]);
	if (n < 0 || (size_t)n >= sizeof(line))
		n = 0;
	vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	if (suppressed)
		fprintf(stderr, "%s (%u similar lines suppressed)\n", line,
			suppressed);
	else
		fprintf(stderr, "%s\n", line);
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(level, fmt, ap, 0);
	va_end(ap);
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

void log_limited(struct log_ratelimit *rl, enum log_level level,
		 const char *fmt, ...)
{
	uint64_t now = now_ms();
	unsigned suppressed;
	va_list ap;

	if (level > cur_level)
		return;
	if (now - rl->window_start_ms >= rl->interval_ms) {
		rl->window_start_ms = now;
		rl->printed = 0;
	}
	if (rl->printed >= rl->burst) {
		rl->suppressed++;
		return;
	}
	rl->printed++;
	suppressed = rl->suppressed;
	rl->suppressed = 0;
	va_start(ap, fmt);
	vlog(level, fmt, ap, suppressed);
	va_end(ap);
}
