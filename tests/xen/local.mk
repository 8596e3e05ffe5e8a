# SPDX-License-Identifier: MIT
# make check-xen: the system test on the real Xen 4.17, booted in QEMU.
noinst_PROGRAMS += tests/xen/guest-portbench
tests_xen_guest_portbench_SOURCES = tests/xen/guest-portbench.c
# A static program for the guest's busybox initramfs, never sanitized.
tests_xen_guest_portbench_CFLAGS = -std=gnu11 $(WARN_CFLAGS) -O2
tests_xen_guest_portbench_LDFLAGS = -static
# The guest's uevent listener for the hotplug check (static, as above).
noinst_PROGRAMS += tests/xen/guest-uevents
tests_xen_guest_uevents_SOURCES = tests/xen/guest-uevents.c
tests_xen_guest_uevents_CFLAGS = -std=gnu11 $(WARN_CFLAGS) -O2
tests_xen_guest_uevents_LDFLAGS = -static
# The guest's fb0 picture (static, as above), and dom0's check of the
# screenshot of it.
noinst_PROGRAMS += tests/xen/guest-fbpattern tests/xen/fbcheck
tests_xen_guest_fbpattern_SOURCES = tests/xen/guest-fbpattern.c \
	tests/xen/fbpattern.h
tests_xen_guest_fbpattern_CFLAGS = -std=gnu11 $(WARN_CFLAGS) -O2
tests_xen_guest_fbpattern_LDFLAGS = -static
# The guest's KMS client: libdrm, linked statically (Debian ships libdrm.a).
noinst_PROGRAMS += tests/xen/guest-drmflip
tests_xen_guest_drmflip_SOURCES = tests/xen/guest-drmflip.c \
	tests/xen/fbpattern.h
tests_xen_guest_drmflip_CFLAGS = -std=gnu11 $(WARN_CFLAGS) -O2 $(LIBDRM_CFLAGS)
tests_xen_guest_drmflip_LDADD = $(LIBDRM_LIBS)
tests_xen_guest_drmflip_LDFLAGS = -static
tests_xen_fbcheck_SOURCES = tests/xen/fbcheck.c tests/xen/fbpattern.h
tests_xen_fbcheck_CFLAGS = -std=gnu11 $(WARN_CFLAGS) $(PNG_CFLAGS)
tests_xen_fbcheck_LDADD = $(PNG_LIBS)
tests_xen_fbcheck_LDFLAGS =
# Runs in the test dom0, against Debian's real libxenctrl there.
noinst_PROGRAMS += tests/xen/domwatch
tests_xen_domwatch_SOURCES = tests/xen/domwatch.c
tests_xen_domwatch_CFLAGS = -std=gnu11 $(WARN_CFLAGS) $(XENCTRL_CFLAGS) \
	$(XENDEVICEMODEL_CFLAGS)
tests_xen_domwatch_LDADD = $(XENCTRL_LIBS) $(XENDEVICEMODEL_LIBS)
tests_xen_domwatch_LDFLAGS =
EXTRA_DIST += tests/xen/check-xen.sh tests/xen/dom0-init \
	tests/xen/dom0-run.sh tests/xen/guest-init \
	tests/xen/irqtest/xengt_irqtest.c

.PHONY: check-xen
check-xen: all
	$(srcdir)/tests/xen/check-xen.sh $(abs_builddir)

# The real-Xen demo's narration, from a saved real run (no Xen needed).
TESTS += tests/xen/demo-replay.sh
EXTRA_DIST += tests/xen/demo-replay.sh tests/xen/sample-check-xen.txt
