# SPDX-License-Identifier: MIT
# The ioreq server: lifecycle, event loop, shared pages, dispatch, host.
noinst_LIBRARIES += src/ioreq/libioreq.a
src_ioreq_libioreq_a_SOURCES = \
	src/ioreq/dispatch.c src/ioreq/dispatch.h \
	src/ioreq/host.c src/ioreq/host.h \
	src/ioreq/iopage.c src/ioreq/iopage.h \
	src/ioreq/loop.c src/ioreq/loop.h \
	src/ioreq/ranges.c src/ioreq/ranges.h \
	src/ioreq/server.c src/ioreq/server.h \
	src/ioreq/service.c src/ioreq/service.h
src_ioreq_libioreq_a_CFLAGS = $(AM_CFLAGS) $(XENDEVICEMODEL_CFLAGS) \
	$(XENFOREIGNMEMORY_CFLAGS) $(XENEVTCHN_CFLAGS)

ioreq_test_ldadd = src/ioreq/libioreq.a src/foreign/libforeign.a \
	src/util/libutil.a $(CHECK_LIBS) $(XENDEVICEMODEL_LIBS) \
	$(XENFOREIGNMEMORY_LIBS) $(XENEVTCHN_LIBS) $(XENCTRL_LIBS)

check_PROGRAMS += src/ioreq/tests/test_ranges src/ioreq/tests/test_iopage \
	src/ioreq/tests/test_dispatch src/ioreq/tests/test_loop
TESTS += src/ioreq/tests/test_ranges src/ioreq/tests/test_iopage \
	src/ioreq/tests/test_dispatch src/ioreq/tests/test_loop
src_ioreq_tests_test_ranges_SOURCES = src/ioreq/tests/test_ranges.c
src_ioreq_tests_test_ranges_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
src_ioreq_tests_test_ranges_LDADD = $(ioreq_test_ldadd)
src_ioreq_tests_test_iopage_SOURCES = src/ioreq/tests/test_iopage.c
src_ioreq_tests_test_iopage_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
src_ioreq_tests_test_iopage_LDADD = $(ioreq_test_ldadd)
src_ioreq_tests_test_dispatch_SOURCES = src/ioreq/tests/test_dispatch.c
src_ioreq_tests_test_dispatch_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
src_ioreq_tests_test_dispatch_LDADD = $(ioreq_test_ldadd)
src_ioreq_tests_test_loop_SOURCES = src/ioreq/tests/test_loop.c
src_ioreq_tests_test_loop_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
src_ioreq_tests_test_loop_LDADD = $(ioreq_test_ldadd)
