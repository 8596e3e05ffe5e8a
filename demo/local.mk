# SPDX-License-Identifier: MIT
# make demo: xengt-dm serving a guest on the simulated hypervisor.
EXTRA_PROGRAMS += demo/xengt-demo
demo_xengt_demo_SOURCES = demo/xengt-demo.c
demo_xengt_demo_CPPFLAGS = $(AM_CPPFLAGS) -I$(srcdir)/tests/xensim -I$(srcdir)/tests/sim \
	-DABS_BUILDDIR=\"$(abs_builddir)\" -DGVNCCAPTURE=\"$(GVNCCAPTURE)\" \
	$(PNG_CFLAGS)
demo_xengt_demo_LDADD = tests/sim/libharness.a tests/xensim/libxsimguest.a \
	$(PNG_LIBS) -lpthread
CLEANFILES += demo/xengt-demo xengt-demo.png xengt-demo-vnc.png

.PHONY: demo
demo: demo/xengt-demo$(EXEEXT) xengt-dm$(EXEEXT) xengtctl$(EXEEXT)
	@./demo/xengt-demo

# make demo-xen: the same story on the real Xen 4.17, booted in QEMU by the
# system test (root; about four minutes).
EXTRA_DIST += demo/xengt-demo-xen.sh
.PHONY: demo-xen
demo-xen: all
	@$(srcdir)/demo/xengt-demo-xen.sh $(abs_builddir)
