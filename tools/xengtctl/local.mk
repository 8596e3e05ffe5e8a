# SPDX-License-Identifier: MIT
# xengtctl: the admin's client for the daemon's control socket.
bin_PROGRAMS += xengtctl
xengtctl_SOURCES = tools/xengtctl/xengtctl.c tools/xengtctl/client.c \
	tools/xengtctl/client.h
xengtctl_CFLAGS = $(AM_CFLAGS) $(JSONC_CFLAGS)
xengtctl_LDADD = $(JSONC_LIBS)
