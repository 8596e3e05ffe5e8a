# SPDX-License-Identifier: MIT
# The daemon: src/main.c on top of the three layers.
bin_PROGRAMS += xengt-dm
xengt_dm_SOURCES = src/main.c
xengt_dm_CFLAGS = $(AM_CFLAGS) $(XENDEVICEMODEL_CFLAGS) \
	$(XENFOREIGNMEMORY_CFLAGS) $(XENEVTCHN_CFLAGS) $(XENTOOLCORE_CFLAGS) \
	$(XENCTRL_CFLAGS) $(JSONC_CFLAGS) $(VNCSERVER_CFLAGS)
xengt_dm_LDADD = src/control/libcontrol.a src/vnc/libvnc.a src/ioreq/libioreq.a src/vgpu/libvgpu.a \
	src/foreign/libforeign.a src/util/libutil.a \
	$(XENDEVICEMODEL_LIBS) $(XENFOREIGNMEMORY_LIBS) $(XENEVTCHN_LIBS) \
	$(XENTOOLCORE_LIBS) $(XENCTRL_LIBS) $(JSONC_LIBS) $(VNCSERVER_LIBS) $(PNG_LIBS) -lpthread
