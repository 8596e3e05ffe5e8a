# SPDX-License-Identifier: MIT
# The VNC server: its own layer, on top of the device and the loop.
noinst_LIBRARIES += src/vnc/libvnc.a
src_vnc_libvnc_a_SOURCES = src/vnc/vnc.h src/vnc/server.c src/vnc/feed.c \
	src/vnc/damage.c src/vnc/damage.h src/vnc/listen.c src/vnc/listen.h
src_vnc_libvnc_a_CFLAGS = $(AM_CFLAGS) $(VNCSERVER_CFLAGS)

check_PROGRAMS += src/vnc/tests/test_damage src/vnc/tests/test_vnc
TESTS += src/vnc/tests/test_damage src/vnc/tests/test_vnc
src_vnc_tests_test_damage_SOURCES = src/vnc/tests/test_damage.c
src_vnc_tests_test_damage_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
src_vnc_tests_test_damage_LDADD = src/vnc/libvnc.a $(CHECK_LIBS)
# The server against libvncclient, in one process: no device, pictures
# made by the test.
src_vnc_tests_test_vnc_SOURCES = src/vnc/tests/test_vnc.c
src_vnc_tests_test_vnc_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) \
	$(VNCSERVER_CFLAGS) $(VNCCLIENT_CFLAGS)
src_vnc_tests_test_vnc_LDADD = src/vnc/libvnc.a src/vgpu/libvgpu.a \
	src/util/libutil.a $(VNCSERVER_LIBS) $(VNCCLIENT_LIBS) $(PNG_LIBS) \
	$(CHECK_LIBS) -lpthread
