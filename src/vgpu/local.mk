# SPDX-License-Identifier: MIT
# The device: PCI function, register file, BAR0/BAR4, legacy VGA.
noinst_LIBRARIES += src/vgpu/libvgpu.a
src_vgpu_libvgpu_a_SOURCES = \
	src/vgpu/io.h src/vgpu/block.h src/vgpu/layout.h \
	src/vgpu/vgpu.h src/vgpu/vgpu.c \
	src/vgpu/pci.h src/vgpu/pci.c \
	src/vgpu/mmio.h src/vgpu/mmio.c \
	src/vgpu/memregion.h src/vgpu/memregion.c \
	src/vgpu/types.h src/vgpu/types.c \
	src/vgpu/cfg.h src/vgpu/cfg_gen9.c \
	src/vgpu/pvinfo.h src/vgpu/pvinfo.c \
	src/vgpu/fence.h src/vgpu/fence.c \
	src/vgpu/irq.h src/vgpu/irq.c \
	src/vgpu/engine.h src/vgpu/engine.c \
	src/vgpu/execlist.h src/vgpu/execlist.c \
	src/vgpu/cmd.h src/vgpu/cmd.c \
	src/vgpu/gm.h src/vgpu/gm.c \
	src/vgpu/display.h src/vgpu/display.c \
	src/vgpu/ggtt.h src/vgpu/ggtt.c \
	src/vgpu/aperture.h src/vgpu/aperture.c \
	src/vgpu/opregion.h src/vgpu/opregion.c \
	src/vgpu/bar0.h src/vgpu/bar0.c \
	src/vgpu/vga.h src/vgpu/vga.c \
	src/vgpu/fixed.h src/vgpu/fixed.c \
	src/vgpu/gt.h src/vgpu/gt.c \
	src/vgpu/mchbar.h src/vgpu/mchbar.c \
	src/vgpu/pcode.h src/vgpu/pcode.c \
	src/vgpu/power.h src/vgpu/power.c \
	src/vgpu/ports.h src/vgpu/ports.c

VGPU_TEST_COMMON = src/vgpu/tests/fake_host.c src/vgpu/tests/fake_host.h \
	src/vgpu/tests/test_util.h
VGPU_TEST_LDADD = src/vgpu/libvgpu.a src/util/libutil.a $(CHECK_LIBS)

check_PROGRAMS += src/vgpu/tests/test_pci src/vgpu/tests/test_vgpu \
	src/vgpu/tests/test_mmio
TESTS += src/vgpu/tests/test_pci src/vgpu/tests/test_vgpu \
	src/vgpu/tests/test_mmio

src_vgpu_tests_test_pci_SOURCES = src/vgpu/tests/test_pci.c $(VGPU_TEST_COMMON)
src_vgpu_tests_test_pci_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
src_vgpu_tests_test_pci_LDADD = $(VGPU_TEST_LDADD)

src_vgpu_tests_test_vgpu_SOURCES = src/vgpu/tests/test_vgpu.c $(VGPU_TEST_COMMON)
src_vgpu_tests_test_vgpu_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
src_vgpu_tests_test_vgpu_LDADD = $(VGPU_TEST_LDADD)

src_vgpu_tests_test_mmio_SOURCES = src/vgpu/tests/test_mmio.c $(VGPU_TEST_COMMON)
src_vgpu_tests_test_mmio_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
src_vgpu_tests_test_mmio_LDADD = $(VGPU_TEST_LDADD)

check_PROGRAMS += src/vgpu/tests/test_irq
TESTS += src/vgpu/tests/test_irq
src_vgpu_tests_test_irq_SOURCES = src/vgpu/tests/test_irq.c $(VGPU_TEST_COMMON)
src_vgpu_tests_test_irq_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
src_vgpu_tests_test_irq_LDADD = $(VGPU_TEST_LDADD)

# The virtual DP monitor on an AUX channel (display/dpsink).
src_vgpu_libvgpu_a_SOURCES += src/vgpu/display/dpsink.h \
	src/vgpu/display/dpsink.c

check_PROGRAMS += src/vgpu/display/tests/test_dpsink
TESTS += src/vgpu/display/tests/test_dpsink
src_vgpu_display_tests_test_dpsink_SOURCES = \
	src/vgpu/display/tests/test_dpsink.c src/vgpu/tests/test_util.h \
	src/vgpu/tests/fake_host.h
src_vgpu_display_tests_test_dpsink_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
src_vgpu_display_tests_test_dpsink_LDADD = $(VGPU_TEST_LDADD)

check_PROGRAMS += src/vgpu/tests/test_state
TESTS += src/vgpu/tests/test_state
src_vgpu_tests_test_state_SOURCES = src/vgpu/tests/test_state.c $(VGPU_TEST_COMMON)
src_vgpu_tests_test_state_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
src_vgpu_tests_test_state_LDADD = $(VGPU_TEST_LDADD)

check_PROGRAMS += src/vgpu/tests/test_pvinfo
TESTS += src/vgpu/tests/test_pvinfo
src_vgpu_tests_test_pvinfo_SOURCES = src/vgpu/tests/test_pvinfo.c $(VGPU_TEST_COMMON)
src_vgpu_tests_test_pvinfo_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
src_vgpu_tests_test_pvinfo_LDADD = $(VGPU_TEST_LDADD)

check_PROGRAMS += src/vgpu/tests/test_ggtt
TESTS += src/vgpu/tests/test_ggtt
src_vgpu_tests_test_ggtt_SOURCES = src/vgpu/tests/test_ggtt.c $(VGPU_TEST_COMMON)
src_vgpu_tests_test_ggtt_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
src_vgpu_tests_test_ggtt_LDADD = $(VGPU_TEST_LDADD)

check_PROGRAMS += src/vgpu/tests/test_hw
TESTS += src/vgpu/tests/test_hw
src_vgpu_tests_test_hw_SOURCES = src/vgpu/tests/test_hw.c $(VGPU_TEST_COMMON)
src_vgpu_tests_test_hw_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
src_vgpu_tests_test_hw_LDADD = $(VGPU_TEST_LDADD)
check_PROGRAMS += src/vgpu/tests/test_opregion
TESTS += src/vgpu/tests/test_opregion
src_vgpu_tests_test_opregion_SOURCES = src/vgpu/tests/test_opregion.c $(VGPU_TEST_COMMON)
src_vgpu_tests_test_opregion_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
src_vgpu_tests_test_opregion_LDADD = $(VGPU_TEST_LDADD)

check_PROGRAMS += src/vgpu/tests/test_engine
TESTS += src/vgpu/tests/test_engine
src_vgpu_tests_test_engine_SOURCES = src/vgpu/tests/test_engine.c $(VGPU_TEST_COMMON)
src_vgpu_tests_test_engine_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
src_vgpu_tests_test_engine_LDADD = $(VGPU_TEST_LDADD)

# The virtual monitor's EDID (display/).
src_vgpu_libvgpu_a_SOURCES += src/vgpu/display/edid.h src/vgpu/display/edid.c

check_PROGRAMS += src/vgpu/display/tests/test_edid
TESTS += src/vgpu/display/tests/test_edid
src_vgpu_display_tests_test_edid_SOURCES = \
	src/vgpu/display/tests/test_edid.c src/vgpu/tests/test_util.h \
	src/vgpu/tests/fake_host.h
src_vgpu_display_tests_test_edid_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
src_vgpu_display_tests_test_edid_LDADD = $(VGPU_TEST_LDADD)

# The virtual monitor on DDI D: strap, hotplug, its sink on AUX D.
src_vgpu_libvgpu_a_SOURCES += src/vgpu/display/monitor.h \
	src/vgpu/display/monitor.c

check_PROGRAMS += src/vgpu/display/tests/test_monitor
TESTS += src/vgpu/display/tests/test_monitor
src_vgpu_display_tests_test_monitor_SOURCES = \
	src/vgpu/display/tests/test_monitor.c $(VGPU_TEST_COMMON)
src_vgpu_display_tests_test_monitor_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
src_vgpu_display_tests_test_monitor_LDADD = $(VGPU_TEST_LDADD)

# The PCH GMBUS controller, with the monitor's EDID on port D's pins.
src_vgpu_libvgpu_a_SOURCES += src/vgpu/display/gmbus.h \
	src/vgpu/display/gmbus.c

check_PROGRAMS += src/vgpu/display/tests/test_gmbus
TESTS += src/vgpu/display/tests/test_gmbus
src_vgpu_display_tests_test_gmbus_SOURCES = \
	src/vgpu/display/tests/test_gmbus.c $(VGPU_TEST_COMMON)
src_vgpu_display_tests_test_gmbus_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
src_vgpu_display_tests_test_gmbus_LDADD = $(VGPU_TEST_LDADD)

check_PROGRAMS += src/vgpu/tests/test_aperture
TESTS += src/vgpu/tests/test_aperture
src_vgpu_tests_test_aperture_SOURCES = src/vgpu/tests/test_aperture.c $(VGPU_TEST_COMMON)
src_vgpu_tests_test_aperture_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
src_vgpu_tests_test_aperture_LDADD = $(VGPU_TEST_LDADD)

# The scanout surface and cursor to RGB (display/fbdecode).
src_vgpu_libvgpu_a_SOURCES += src/vgpu/display/fbdecode.h \
	src/vgpu/display/fbdecode.c

check_PROGRAMS += src/vgpu/display/tests/test_fbdecode
TESTS += src/vgpu/display/tests/test_fbdecode
src_vgpu_display_tests_test_fbdecode_SOURCES = \
	src/vgpu/display/tests/test_fbdecode.c src/vgpu/tests/test_util.h \
	src/vgpu/tests/fake_host.h
src_vgpu_display_tests_test_fbdecode_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
src_vgpu_display_tests_test_fbdecode_LDADD = $(VGPU_TEST_LDADD) -lm

# The display planes and their double buffering (display/plane).
src_vgpu_libvgpu_a_SOURCES += src/vgpu/display/plane.h \
	src/vgpu/display/plane.c

check_PROGRAMS += src/vgpu/display/tests/test_plane
TESTS += src/vgpu/display/tests/test_plane
src_vgpu_display_tests_test_plane_SOURCES = \
	src/vgpu/display/tests/test_plane.c $(VGPU_TEST_COMMON)
src_vgpu_display_tests_test_plane_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
src_vgpu_display_tests_test_plane_LDADD = $(VGPU_TEST_LDADD)

# The picture a guest scans out (display/capture).
src_vgpu_libvgpu_a_SOURCES += src/vgpu/display/capture.h \
	src/vgpu/display/capture.c

check_PROGRAMS += src/vgpu/display/tests/test_capture
TESTS += src/vgpu/display/tests/test_capture
src_vgpu_display_tests_test_capture_SOURCES = \
	src/vgpu/display/tests/test_capture.c $(VGPU_TEST_COMMON)
src_vgpu_display_tests_test_capture_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
src_vgpu_display_tests_test_capture_LDADD = $(VGPU_TEST_LDADD)
