# SPDX-License-Identifier: MIT
# The control socket: its own layer, on top of the device and the loop.
noinst_LIBRARIES += src/control/libcontrol.a
src_control_libcontrol_a_SOURCES = src/control/control.h \
	src/control/internal.h src/control/server.c src/control/commands.c \
	src/control/shot.c
src_control_libcontrol_a_CFLAGS = $(AM_CFLAGS) $(JSONC_CFLAGS)
