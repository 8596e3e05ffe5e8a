# SPDX-License-Identifier: MIT
noinst_LIBRARIES += src/util/libutil.a
src_util_libutil_a_SOURCES = src/util/log.c src/util/log.h \
	src/util/le.h src/util/blob.c src/util/blob.h \
	src/util/png.c src/util/png.h \
	src/util/unixsock.c src/util/unixsock.h
src_util_libutil_a_CPPFLAGS = $(AM_CPPFLAGS) $(PNG_CFLAGS)

# A program that uses util/png.h also links $(PNG_LIBS).
check_PROGRAMS += src/util/tests/test_png
TESTS += src/util/tests/test_png
src_util_tests_test_png_SOURCES = src/util/tests/test_png.c
src_util_tests_test_png_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(PNG_CFLAGS)
src_util_tests_test_png_LDADD = src/util/libutil.a $(PNG_LIBS) $(CHECK_LIBS)
