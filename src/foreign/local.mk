# SPDX-License-Identifier: MIT
# Guest memory: the map cache over xenforeignmemory (struct gmem).
noinst_LIBRARIES += src/foreign/libforeign.a
src_foreign_libforeign_a_SOURCES = src/foreign/gmem.h \
	src/foreign/mapcache.c src/foreign/mapcache.h \
	src/foreign/ram.c src/foreign/ram.h
src_foreign_libforeign_a_CFLAGS = $(AM_CFLAGS) \
	$(XENFOREIGNMEMORY_CFLAGS) $(XENDEVICEMODEL_CFLAGS) $(XENCTRL_CFLAGS)

check_PROGRAMS += src/foreign/tests/test_mapcache
TESTS += src/foreign/tests/test_mapcache
src_foreign_tests_test_mapcache_SOURCES = src/foreign/tests/test_mapcache.c
src_foreign_tests_test_mapcache_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
src_foreign_tests_test_mapcache_LDADD = src/foreign/libforeign.a \
	src/util/libutil.a $(CHECK_LIBS) \
	$(XENFOREIGNMEMORY_LIBS) $(XENDEVICEMODEL_LIBS)
