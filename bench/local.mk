# SPDX-License-Identifier: MIT
# make bench: ratios against baselines measured in the same run.
EXTRA_PROGRAMS += bench/bench
bench_bench_SOURCES = bench/bench.c
bench_bench_CPPFLAGS = $(AM_CPPFLAGS) -I$(srcdir)/tests/xensim -I$(srcdir)/tests/sim
bench_bench_LDADD = tests/sim/libharness.a tests/xensim/libxsimguest.a -lpthread
CLEANFILES += bench/bench

.PHONY: bench
bench: bench/bench$(EXEEXT) xengt-dm$(EXEEXT)
	@./bench/bench
