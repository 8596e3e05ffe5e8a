/* SPDX-License-Identifier: MIT */
/*
 * log.h - logging for the daemon: one line per event to stderr (journald
 * picks it up), with a level, and rate limiting for anything a guest can
 * trigger so a hostile guest cannot flood dom0's log.
 */
#ifndef XENGT_UTIL_LOG_H
#define XENGT_UTIL_LOG_H

#include <stdint.h>

enum log_level { LOG_ERR = 0, LOG_WARN = 1, LOG_INFO = 2, LOG_DEBUG = 3 };

void log_set_level(enum log_level level);
void log_set_prefix(const char *prefix);
enum log_level log_get_level(void);
void log_msg(enum log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * A rate limit: at most `burst` lines per `interval_ms`; lines dropped in
 * between are counted and reported with the next line that gets through.
 */
struct log_ratelimit {
	unsigned interval_ms;
	unsigned burst;
	uint64_t window_start_ms;
	unsigned printed;
	unsigned suppressed;
};

#define LOG_RATELIMIT_INIT {.interval_ms = 5000, .burst = 10}

void log_limited(struct log_ratelimit *rl, enum log_level level,
		 const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* One static limiter per call site. */
#define log_guest(level, ...)                                              \
	do {                                                               \
		static struct log_ratelimit rl_ = LOG_RATELIMIT_INIT;      \
		log_limited(&rl_, level, __VA_ARGS__);                     \
	} while (0)

#define log_err(...) log_msg(LOG_ERR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...)                                                     \
	do {                                                               \
		if (log_get_level() >= LOG_DEBUG)                          \
			log_msg(LOG_DEBUG, __VA_ARGS__);                   \
	} while (0)

#endif
