# SPDX-License-Identifier: MIT
# make bench: ratios against baselines measured in the same run.
EXTRA_PROGRAMS += bench/bench bench/bench-device bench/bench-vnc
bench_bench_SOURCES = bench/bench.c bench/clock.h
bench_bench_CPPFLAGS = $(AM_CPPFLAGS) -I$(srcdir)/tests/xensim -I$(srcdir)/tests/sim
bench_bench_LDADD = tests/sim/libharness.a tests/xensim/libxsimguest.a -lpthread
bench_bench_device_SOURCES = bench/device.c bench/clock.h bench/capture.c \
	bench/capture.h src/vgpu/tests/fake_host.c
bench_bench_device_LDADD = src/vgpu/libvgpu.a src/util/libutil.a
bench_bench_vnc_SOURCES = bench/vnc.c
bench_bench_vnc_CFLAGS = $(AM_CFLAGS) $(VNCSERVER_CFLAGS) $(VNCCLIENT_CFLAGS)
bench_bench_vnc_LDADD = src/vnc/libvnc.a src/vgpu/libvgpu.a src/util/libutil.a \
	$(VNCSERVER_LIBS) $(VNCCLIENT_LIBS) $(PNG_LIBS) -lpthread
CLEANFILES += bench/bench bench/bench-device bench/bench-vnc
EXTRA_DIST += bench/ipa.sh

.PHONY: bench
bench: bench/bench$(EXEEXT) bench/bench-device$(EXEEXT) bench/bench-vnc$(EXEEXT) \
	xengt-dm$(EXEEXT)
	@./bench/bench
	@./bench/bench-device rate
	@$(SHELL) $(srcdir)/bench/ipa.sh ./bench/bench-device
	@./bench/bench-vnc
