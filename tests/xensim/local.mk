# SPDX-License-Identifier: MIT
# xensim: the simulated Xen 4.17 hypervisor, its ABI-compatible libraries,
# the guest/toolstack library, the null responder and their tests.

XSIM_DIR = $(abs_top_builddir)/tests/xensim
XSIM_CPPFLAGS = $(AM_CPPFLAGS) -I$(srcdir)/tests/xensim \
	$(XENDEVICEMODEL_CFLAGS) $(XENFOREIGNMEMORY_CFLAGS) \
	$(XENEVTCHN_CFLAGS) $(XENTOOLCORE_CFLAGS) $(XENCTRL_CFLAGS)

# ---- the simulator ----
noinst_PROGRAMS += tests/xensim/xensim
tests_xensim_xensim_SOURCES = tests/xensim/sim-main.c \
	tests/xensim/sim-domain.c tests/xensim/sim-server.c \
	tests/xensim/sim-evtchn.c tests/xensim/sim-vcpu.c \
	tests/xensim/sim-burst.c tests/xensim/sim-ops.c tests/xensim/sim.h \
	tests/xensim/proto.h tests/xensim/xensim-guest.h
tests_xensim_xensim_CPPFLAGS = $(XSIM_CPPFLAGS)

# ---- the ABI-compatible libraries (same SONAMEs and version nodes) ----
XSIM_LIB_CFLAGS = $(AM_CFLAGS) -fPIC
XSIM_SOLINK = $(AM_LDFLAGS) -shared '-Wl,-rpath,$$ORIGIN'
XSIM_CONN = tests/xensim/lib-conn.c tests/xensim/lib-conn.h \
	tests/xensim/proto.h tests/xensim/lib-toolcore.h
XSIM_TOOLCORE = tests/xensim/lib/libxentoolcore.so.1

noinst_PROGRAMS += tests/xensim/lib/libxentoolcore.so.1 \
	tests/xensim/lib/libxendevicemodel.so.1 \
	tests/xensim/lib/libxenforeignmemory.so.1 \
	tests/xensim/lib/libxenevtchn.so.1 \
	tests/xensim/lib/libxenctrl.so.4.17

tests_xensim_lib_libxentoolcore_so_1_SOURCES = tests/xensim/lib-toolcore.c \
	tests/xensim/lib-toolcore.h
tests_xensim_lib_libxentoolcore_so_1_CPPFLAGS = $(XSIM_CPPFLAGS)
tests_xensim_lib_libxentoolcore_so_1_CFLAGS = $(XSIM_LIB_CFLAGS)
tests_xensim_lib_libxentoolcore_so_1_LDFLAGS = $(XSIM_SOLINK) \
	-Wl,-soname,libxentoolcore.so.1 \
	-Wl,--version-script=$(srcdir)/tests/xensim/xentoolcore.map
tests_xensim_lib_libxentoolcore_so_1_LDADD = -lpthread
EXTRA_tests_xensim_lib_libxentoolcore_so_1_DEPENDENCIES = \
	tests/xensim/xentoolcore.map

tests_xensim_lib_libxendevicemodel_so_1_SOURCES = \
	tests/xensim/lib-devicemodel.c $(XSIM_CONN)
tests_xensim_lib_libxendevicemodel_so_1_CPPFLAGS = $(XSIM_CPPFLAGS)
tests_xensim_lib_libxendevicemodel_so_1_CFLAGS = $(XSIM_LIB_CFLAGS)
tests_xensim_lib_libxendevicemodel_so_1_LDFLAGS = $(XSIM_SOLINK) \
	-Wl,-soname,libxendevicemodel.so.1 \
	-Wl,--version-script=$(srcdir)/tests/xensim/xendevicemodel.map
tests_xensim_lib_libxendevicemodel_so_1_LDADD = $(XSIM_TOOLCORE) -lpthread
EXTRA_tests_xensim_lib_libxendevicemodel_so_1_DEPENDENCIES = \
	tests/xensim/xendevicemodel.map

tests_xensim_lib_libxenforeignmemory_so_1_SOURCES = \
	tests/xensim/lib-foreignmemory.c $(XSIM_CONN)
tests_xensim_lib_libxenforeignmemory_so_1_CPPFLAGS = $(XSIM_CPPFLAGS)
tests_xensim_lib_libxenforeignmemory_so_1_CFLAGS = $(XSIM_LIB_CFLAGS)
tests_xensim_lib_libxenforeignmemory_so_1_LDFLAGS = $(XSIM_SOLINK) \
	-Wl,-soname,libxenforeignmemory.so.1 \
	-Wl,--version-script=$(srcdir)/tests/xensim/xenforeignmemory.map
tests_xensim_lib_libxenforeignmemory_so_1_LDADD = $(XSIM_TOOLCORE) -lpthread
EXTRA_tests_xensim_lib_libxenforeignmemory_so_1_DEPENDENCIES = \
	tests/xensim/xenforeignmemory.map

tests_xensim_lib_libxenevtchn_so_1_SOURCES = tests/xensim/lib-evtchn.c \
	$(XSIM_CONN)
tests_xensim_lib_libxenevtchn_so_1_CPPFLAGS = $(XSIM_CPPFLAGS)
tests_xensim_lib_libxenevtchn_so_1_CFLAGS = $(XSIM_LIB_CFLAGS)
tests_xensim_lib_libxenevtchn_so_1_LDFLAGS = $(XSIM_SOLINK) \
	-Wl,-soname,libxenevtchn.so.1 \
	-Wl,--version-script=$(srcdir)/tests/xensim/xenevtchn.map
tests_xensim_lib_libxenevtchn_so_1_LDADD = $(XSIM_TOOLCORE) -lpthread
EXTRA_tests_xensim_lib_libxenevtchn_so_1_DEPENDENCIES = \
	tests/xensim/xenevtchn.map

tests_xensim_lib_libxenctrl_so_4_17_SOURCES = tests/xensim/lib-xenctrl.c \
	tests/xensim/lib-xenctrl-stubs.c $(XSIM_CONN)
tests_xensim_lib_libxenctrl_so_4_17_CPPFLAGS = $(XSIM_CPPFLAGS)
tests_xensim_lib_libxenctrl_so_4_17_CFLAGS = $(XSIM_LIB_CFLAGS)
tests_xensim_lib_libxenctrl_so_4_17_LDFLAGS = $(XSIM_SOLINK) \
	-Wl,-soname,libxenctrl.so.4.17 \
	-Wl,--version-script=$(srcdir)/tests/xensim/xenctrl.map
tests_xensim_lib_libxenctrl_so_4_17_LDADD = $(XSIM_TOOLCORE) -lpthread
EXTRA_tests_xensim_lib_libxenctrl_so_4_17_DEPENDENCIES = \
	tests/xensim/xenctrl.map

# ---- the guest/toolstack library ----
noinst_LIBRARIES += tests/xensim/libxsimguest.a
tests_xensim_libxsimguest_a_SOURCES = tests/xensim/guest.c \
	tests/xensim/xensim-guest.h $(XSIM_CONN)
tests_xensim_libxsimguest_a_CPPFLAGS = $(XSIM_CPPFLAGS) \
	-DXSIM_DEFAULT_BIN=\"$(XSIM_DIR)/xensim$(EXEEXT)\" \
	-DXSIM_DEFAULT_LIB_DIR=\"$(XSIM_DIR)/lib\"

# ---- the null responder: public Xen API only (real libs at link time) ----
noinst_PROGRAMS += tests/xensim/null-responder
tests_xensim_null_responder_SOURCES = tests/xensim/null-responder.c
tests_xensim_null_responder_CPPFLAGS = $(XSIM_CPPFLAGS)
tests_xensim_null_responder_LDADD = $(XENDEVICEMODEL_LIBS) \
	$(XENFOREIGNMEMORY_LIBS) $(XENEVTCHN_LIBS) $(XENTOOLCORE_LIBS)

# ---- tests ----
XSIM_TEST_CPPFLAGS = $(XSIM_CPPFLAGS) \
	-DXSIM_NULL_RESPONDER=\"$(XSIM_DIR)/null-responder$(EXEEXT)\"
XSIM_TEST_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
XSIM_TEST_LINK = $(AM_LDFLAGS) -Wl,-rpath,$(XSIM_DIR)/lib
XSIM_TEST_LDADD = tests/xensim/libxsimguest.a \
	tests/xensim/lib/libxendevicemodel.so.1 \
	tests/xensim/lib/libxenforeignmemory.so.1 \
	tests/xensim/lib/libxenevtchn.so.1 \
	tests/xensim/lib/libxenctrl.so.4.17 $(XSIM_TOOLCORE) \
	$(CHECK_LIBS) -lpthread
XSIM_TESTS = tests/xensim/test-xsim-lib tests/xensim/test-xsim-route \
	tests/xensim/test-xsim-life tests/xensim/test-xsim-mem
check_PROGRAMS += $(XSIM_TESTS)
TESTS += $(XSIM_TESTS) tests/xensim/test-xsim-abi.sh
EXTRA_DIST += tests/xensim/test-xsim-abi.sh tests/xensim/xentoolcore.map \
	tests/xensim/xendevicemodel.map tests/xensim/xenforeignmemory.map \
	tests/xensim/xenevtchn.map tests/xensim/xenctrl.map \
	tests/xensim/gen-xenctrl-stubs.py
XSIM_TEST_NEEDS = tests/xensim/xensim$(EXEEXT) \
	tests/xensim/null-responder$(EXEEXT) \
	tests/xensim/lib/libxendevicemodel.so.1$(EXEEXT)
tests/xensim/test-xsim-lib.log tests/xensim/test-xsim-route.log \
	tests/xensim/test-xsim-life.log tests/xensim/test-xsim-mem.log: \
	$(XSIM_TEST_NEEDS)

XSIM_TEST_COMMON = tests/xensim/test-util.c tests/xensim/test-util.h
tests_xensim_test_xsim_lib_SOURCES = tests/xensim/test-xsim-lib.c \
	$(XSIM_TEST_COMMON)
tests_xensim_test_xsim_lib_CPPFLAGS = $(XSIM_TEST_CPPFLAGS)
tests_xensim_test_xsim_lib_CFLAGS = $(XSIM_TEST_CFLAGS)
tests_xensim_test_xsim_lib_LDFLAGS = $(XSIM_TEST_LINK)
tests_xensim_test_xsim_lib_LDADD = $(XSIM_TEST_LDADD)
tests_xensim_test_xsim_route_SOURCES = tests/xensim/test-xsim-route.c \
	$(XSIM_TEST_COMMON)
tests_xensim_test_xsim_route_CPPFLAGS = $(XSIM_TEST_CPPFLAGS)
tests_xensim_test_xsim_route_CFLAGS = $(XSIM_TEST_CFLAGS)
tests_xensim_test_xsim_route_LDFLAGS = $(XSIM_TEST_LINK)
tests_xensim_test_xsim_route_LDADD = $(XSIM_TEST_LDADD)
tests_xensim_test_xsim_life_SOURCES = tests/xensim/test-xsim-life.c \
	$(XSIM_TEST_COMMON)
tests_xensim_test_xsim_life_CPPFLAGS = $(XSIM_TEST_CPPFLAGS)
tests_xensim_test_xsim_life_CFLAGS = $(XSIM_TEST_CFLAGS)
tests_xensim_test_xsim_life_LDFLAGS = $(XSIM_TEST_LINK)
tests_xensim_test_xsim_life_LDADD = $(XSIM_TEST_LDADD)
tests_xensim_test_xsim_mem_SOURCES = tests/xensim/test-xsim-mem.c \
	$(XSIM_TEST_COMMON)
tests_xensim_test_xsim_mem_CPPFLAGS = $(XSIM_TEST_CPPFLAGS)
tests_xensim_test_xsim_mem_CFLAGS = $(XSIM_TEST_CFLAGS)
tests_xensim_test_xsim_mem_LDFLAGS = $(XSIM_TEST_LINK)
tests_xensim_test_xsim_mem_LDADD = $(XSIM_TEST_LDADD)
