# SPDX-License-Identifier: MIT
# Tests that run the real xengt-dm binary under the simulated hypervisor.

noinst_LIBRARIES += tests/sim/libharness.a
tests_sim_libharness_a_SOURCES = tests/sim/harness.c tests/sim/harness.h \
	tests/sim/simtest.h tests/sim/i915probe.c tests/sim/i915probe.h
tests_sim_libharness_a_CPPFLAGS = $(AM_CPPFLAGS) -I$(srcdir)/tests/xensim \
	-DABS_BUILDDIR=\"$(abs_builddir)\"

SIMTEST_CPPFLAGS = $(AM_CPPFLAGS) -I$(srcdir)/tests/xensim -I$(srcdir)/tests/sim
SIMTEST_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
SIMTEST_LDADD = tests/sim/libharness.a tests/xensim/libxsimguest.a \
	$(CHECK_LIBS) -lpthread

SIMTESTS = tests/sim/test_lifecycle tests/sim/test_config \
	tests/sim/test_access tests/sim/test_bufioreq tests/sim/test_vcpus \
	tests/sim/test_malformed tests/sim/test_replay tests/sim/test_probe \
	tests/sim/test_opregion tests/sim/test_aperture
check_PROGRAMS += $(SIMTESTS)
TESTS += $(SIMTESTS) tests/sim/abi.sh tests/sim/monitor-options.sh
EXTRA_DIST += tests/sim/abi.sh tests/sim/monitor-options.sh

tests_sim_test_lifecycle_SOURCES = tests/sim/test_lifecycle.c
tests_sim_test_lifecycle_CPPFLAGS = $(SIMTEST_CPPFLAGS)
tests_sim_test_lifecycle_CFLAGS = $(SIMTEST_CFLAGS)
tests_sim_test_lifecycle_LDADD = $(SIMTEST_LDADD)
tests_sim_test_config_SOURCES = tests/sim/test_config.c
tests_sim_test_config_CPPFLAGS = $(SIMTEST_CPPFLAGS)
tests_sim_test_config_CFLAGS = $(SIMTEST_CFLAGS)
tests_sim_test_config_LDADD = $(SIMTEST_LDADD)
tests_sim_test_access_SOURCES = tests/sim/test_access.c
tests_sim_test_access_CPPFLAGS = $(SIMTEST_CPPFLAGS)
tests_sim_test_access_CFLAGS = $(SIMTEST_CFLAGS)
tests_sim_test_access_LDADD = $(SIMTEST_LDADD)
tests_sim_test_bufioreq_SOURCES = tests/sim/test_bufioreq.c
tests_sim_test_bufioreq_CPPFLAGS = $(SIMTEST_CPPFLAGS)
tests_sim_test_bufioreq_CFLAGS = $(SIMTEST_CFLAGS)
tests_sim_test_bufioreq_LDADD = $(SIMTEST_LDADD)
tests_sim_test_vcpus_SOURCES = tests/sim/test_vcpus.c
tests_sim_test_vcpus_CPPFLAGS = $(SIMTEST_CPPFLAGS)
tests_sim_test_vcpus_CFLAGS = $(SIMTEST_CFLAGS)
tests_sim_test_vcpus_LDADD = $(SIMTEST_LDADD)
tests_sim_test_malformed_SOURCES = tests/sim/test_malformed.c
tests_sim_test_malformed_CPPFLAGS = $(SIMTEST_CPPFLAGS)
tests_sim_test_malformed_CFLAGS = $(SIMTEST_CFLAGS)
tests_sim_test_malformed_LDADD = $(SIMTEST_LDADD)
tests_sim_test_replay_SOURCES = tests/sim/test_replay.c
tests_sim_test_replay_CPPFLAGS = $(SIMTEST_CPPFLAGS)
tests_sim_test_replay_CFLAGS = $(SIMTEST_CFLAGS)
tests_sim_test_replay_LDADD = $(SIMTEST_LDADD)
tests_sim_test_probe_SOURCES = tests/sim/test_probe.c
tests_sim_test_probe_CPPFLAGS = $(SIMTEST_CPPFLAGS)
tests_sim_test_probe_CFLAGS = $(SIMTEST_CFLAGS)
tests_sim_test_probe_LDADD = $(SIMTEST_LDADD)
tests_sim_test_opregion_SOURCES = tests/sim/test_opregion.c
tests_sim_test_opregion_CPPFLAGS = $(SIMTEST_CPPFLAGS)
tests_sim_test_opregion_CFLAGS = $(SIMTEST_CFLAGS)
tests_sim_test_opregion_LDADD = $(SIMTEST_LDADD)
tests_sim_test_aperture_SOURCES = tests/sim/test_aperture.c
tests_sim_test_aperture_CPPFLAGS = $(SIMTEST_CPPFLAGS)
tests_sim_test_aperture_CFLAGS = $(SIMTEST_CFLAGS)
tests_sim_test_aperture_LDADD = $(SIMTEST_LDADD)

# The control socket and xengtctl against the real daemon.
check_PROGRAMS += tests/sim/test_control
TESTS += tests/sim/test_control
tests_sim_test_control_SOURCES = tests/sim/test_control.c tests/sim/guestpic.c \
	tests/sim/guestpic.h
tests_sim_test_control_CPPFLAGS = $(SIMTEST_CPPFLAGS) $(PNG_CFLAGS) \
	-DABS_BUILDDIR=\"$(abs_builddir)\"
tests_sim_test_control_CFLAGS = $(SIMTEST_CFLAGS)
tests_sim_test_control_LDADD = $(SIMTEST_LDADD) src/vgpu/libvgpu.a \
	src/util/libutil.a $(PNG_LIBS)

# The VNC server against a stock viewer (gtk-vnc's gvnccapture) and the
# daemon's own screenshot.
check_PROGRAMS += tests/sim/test_vnc
TESTS += tests/sim/test_vnc
tests_sim_test_vnc_SOURCES = tests/sim/test_vnc.c tests/sim/guestpic.c \
	tests/sim/guestpic.h
tests_sim_test_vnc_CPPFLAGS = $(SIMTEST_CPPFLAGS) $(PNG_CFLAGS) \
	-DABS_BUILDDIR=\"$(abs_builddir)\" -DGVNCCAPTURE=\"$(GVNCCAPTURE)\"
tests_sim_test_vnc_CFLAGS = $(SIMTEST_CFLAGS)
tests_sim_test_vnc_LDADD = $(SIMTEST_LDADD) $(PNG_LIBS)
