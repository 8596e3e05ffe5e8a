# SPDX-License-Identifier: MIT
noinst_LIBRARIES += src/util/libutil.a
src_util_libutil_a_SOURCES = src/util/log.c src/util/log.h \
	src/util/le.h src/util/blob.c src/util/blob.h
