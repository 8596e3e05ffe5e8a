# SPDX-License-Identifier: MIT
# Scenarios: in-guest checks written once (tests/scenario/*.scn), run by
# xengt-guest-check inside a Linux HVM guest on real Xen and by
# test_scenarios against the daemon under xensim.

SCN_FILES = tests/scenario/pci-header.scn tests/scenario/bars.scn \
	tests/scenario/bar0-registers.scn tests/scenario/ggtt.scn \
	tests/scenario/iobar.scn tests/scenario/string-pio.scn \
	tests/scenario/string-mmio.scn tests/scenario/unclaimed.scn \
	tests/scenario/interrupts.scn

noinst_LIBRARIES += tests/scenario/libscenario.a
tests_scenario_libscenario_a_SOURCES = tests/scenario/scenario.c \
	tests/scenario/scenario.h

# The in-guest program: fully static (it runs from a busybox initramfs), so
# no sanitizers (they cannot link statically); the per-target flags replace
# AM_CFLAGS and AM_LDFLAGS.
noinst_PROGRAMS += tests/scenario/xengt-guest-check
tests_scenario_xengt_guest_check_SOURCES = tests/scenario/guest-linux.c \
	tests/scenario/scenario.c tests/scenario/scenario.h
tests_scenario_xengt_guest_check_CFLAGS = -std=gnu11 $(WARN_CFLAGS) -O2
tests_scenario_xengt_guest_check_LDFLAGS = -static

check_PROGRAMS += tests/scenario/test_scenarios
TESTS += tests/scenario/test_scenarios tests/scenario/dry-run.sh \
	tests/scenario/fake-device.sh
EXTRA_DIST += $(SCN_FILES) tests/scenario/README.md \
	tests/scenario/dry-run.sh tests/scenario/fake-device.sh
tests_scenario_test_scenarios_SOURCES = tests/scenario/test_scenarios.c
tests_scenario_test_scenarios_CPPFLAGS = $(AM_CPPFLAGS) \
	-I$(srcdir)/tests/xensim -I$(srcdir)/tests/sim \
	-DSCN_SRCDIR=\"$(abs_top_srcdir)/tests/scenario\"
tests_scenario_test_scenarios_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_scenario_test_scenarios_LDADD = tests/scenario/libscenario.a \
	tests/sim/libharness.a tests/xensim/libxsimguest.a \
	$(CHECK_LIBS) -lpthread
