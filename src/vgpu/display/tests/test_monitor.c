/* SPDX-License-Identifier: MIT */
/*
 * test_monitor.c - the virtual monitor on DDI D as i915 6.1 finds it:
 * the port's strap, the live hotplug line, the DPCD and the EDID over
 * the AUX D registers; plugging and unplugging it at run time; an EDID
 * an admin supplies; and its state across save and load.
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>

#include "vgpu/tests/test_util.h"
#include "util/blob.h"
#include "vgpu/block.h"
#include "vgpu/display/edid.h"
#include "vgpu/display/monitor.h"

#define SFUSE_STRAP 0xc2014u
#define SDEISR 0xc4000u
#define SDEIMR 0xc4004u
#define SDEIIR 0xc4008u
#define SDEIER 0xc400cu
#define PCH_PORT_HOTPLUG 0xc4030u
#define PORTD_HOTPLUG 0x00800000u /* SDE_PORTD_HOTPLUG_CPT */
#define AUX_CTL_D 0x64310u
#define AUX_DATA_D 0x64314u
#define BUSY 0x80000000u
#define DONE 0x40000000u
#define TIMEOUT 0x10000000u
#define RXERR 0x02000000u

static struct fake_host fh;
static struct vgpu *v;

static uint32_t rd(uint32_t off)
{
	return (uint32_t)mmio_read(vgpu_regs(v), off, 4);
}

static void wr(uint32_t off, uint32_t val)
{
	mmio_write(vgpu_regs(v), off, 4, val);
}

static int make(const char *mode, const uint8_t *edid, size_t len,
		bool unplugged)
{
	struct vgpu_config cfg;

	fake_host_init(&fh);
	vgpu_config_default(&cfg);
	cfg.monitor = mode;
	cfg.edid = edid;
	cfg.edid_len = len;
	cfg.monitor_unplugged = unplugged;
	return vgpu_create(&cfg, &fh.host, &v);
}

static void teardown(void)
{
	vgpu_destroy(v);
	v = NULL;
}

/*
 * One AUX transaction on channel D as intel_dp_aux_xfer sends it: the
 * message packed big-endian into the data registers, then BUSY with the
 * status bits to clear and the size.  Returns the control register
 * after it; the reply (up to 20 bytes) is unpacked into `reply`.
 */
static uint32_t aux(const uint8_t *msg, unsigned len, uint8_t *reply)
{
	uint32_t ctl;
	unsigned i;

	for (i = 0; i < 20; i += 4) {
		uint32_t w = 0;
		unsigned j;

		for (j = 0; j < 4; j++)
			if (i + j < len)
				w |= (uint32_t)msg[i + j] << (24 - 8 * j);
		wr(AUX_DATA_D + i, w);
	}
	wr(AUX_CTL_D, BUSY | DONE | TIMEOUT | RXERR | (len << 20) |
			  (3u << 26) | 0x3f);
	ctl = rd(AUX_CTL_D);
	for (i = 0; reply && i < 20; i++)
		reply[i] = (uint8_t)(rd(AUX_DATA_D + 4 * (i / 4)) >>
				     (24 - 8 * (i % 4)));
	return ctl;
}

/* A native DPCD read of n bytes at addr: the reply's size. */
static unsigned dpcd_read(uint32_t addr, unsigned n, uint8_t *reply)
{
	uint8_t msg[4] = {(uint8_t)(0x90 | (addr >> 16)), (uint8_t)(addr >> 8),
			  (uint8_t)addr, (uint8_t)(n - 1)};
	uint32_t ctl = aux(msg, 4, reply);

	ck_assert_uint_eq(ctl & (BUSY | DONE | TIMEOUT | RXERR), DONE);
	return (ctl >> 20) & 0x1f;
}

/* The EDID as drm_do_get_edid reads it over I2C-over-AUX: offset, then
 * 16-byte reads, MOT set until the stop. */
static void read_edid(uint8_t *out, unsigned n)
{
	uint8_t reply[20];
	unsigned off;

	for (off = 0; off < n; off += 16) {
		uint8_t start[5] = {0x40, 0x00, 0x50, 0x00, (uint8_t)off};
		uint8_t rd16[4] = {0x50, 0x00, 0x50, 15};

		ck_assert_uint_eq(aux(start, 5, reply) & (DONE | TIMEOUT),
				  DONE);
		ck_assert_uint_eq(reply[0], 0x00);
		ck_assert_uint_eq((aux(rd16, 4, reply) >> 20) & 0x1f, 17);
		ck_assert_uint_eq(reply[0], 0x00);
		memcpy(out + off, reply + 1, 16);
	}
}

START_TEST(plugged_at_start)
{
	uint8_t reply[20], got[128], want[128];
	struct edid_mode m;
	size_t len;
	const uint8_t *e;

	ck_assert_int_eq(make(NULL, NULL, 0, false), 0);
	ck_assert_uint_eq(rd(SFUSE_STRAP) & 1, 1);
	ck_assert_uint_eq(rd(SDEISR) & PORTD_HOTPLUG, PORTD_HOTPLUG);
	/* no event: the monitor was there at power-on */
	ck_assert_uint_eq(rd(SDEIIR), 0);
	/* DPCD receiver capabilities: DP 1.2 */
	ck_assert_uint_eq(dpcd_read(0x000, 3, reply), 4);
	ck_assert_uint_eq(reply[0], 0x00);
	ck_assert_uint_eq(reply[1], 0x12);
	/* the EDID is the default one: preferred 1024x768 */
	read_edid(got, 128);
	ck_assert_int_eq(edid_parse_mode("1024x768", &m), 0);
	ck_assert_int_eq(edid_build(want, &m, 1), 0);
	ck_assert_mem_eq(got, want, 128);
	e = vgpu_monitor_edid(vgpu_block_state(v, &vgpu_monitor_block), &len);
	ck_assert_uint_eq(len, 128);
	ck_assert_mem_eq(e, want, 128);
	/* the strap is the part's, not the guest's */
	wr(SFUSE_STRAP, 0);
	ck_assert_uint_eq(rd(SFUSE_STRAP) & 1, 1);
}
END_TEST

START_TEST(preferred_mode_from_config)
{
	struct vgpu_monitor *mon;
	struct edid_timing t;
	size_t len;

	ck_assert_int_eq(make("1920x1080", NULL, 0, false), 0);
	mon = vgpu_block_state(v, &vgpu_monitor_block);
	ck_assert_int_eq(edid_preferred_mode(vgpu_monitor_edid(mon, &len), &t),
			 0);
	ck_assert_uint_eq(t.hactive, 1920);
	ck_assert_uint_eq(t.vactive, 1080);
	teardown();
	ck_assert_int_eq(make("800x600", NULL, 0, false), -EINVAL);
	v = NULL;
}
END_TEST

/* A monitor larger than the type's largest mode is refused at start. */
START_TEST(mode_bounded_by_type)
{
	struct vgpu_config cfg;
	uint8_t edid[EDID_BLOCK];
	struct edid_mode big = {1280, 1024, 60};

	fake_host_init(&fh);
	vgpu_config_default(&cfg);
	cfg.type = "GVTg_V5_8"; /* 1024x768 at most */
	cfg.monitor = "1280x1024";
	ck_assert_int_eq(vgpu_create(&cfg, &fh.host, &v), -EINVAL);
	v = NULL;
	fake_host_fini(&fh);
	ck_assert_int_eq(edid_build(edid, &big, 1), 0); /* nor as an EDID */
	fake_host_init(&fh);
	cfg.monitor = NULL;
	cfg.edid = edid;
	cfg.edid_len = sizeof(edid);
	ck_assert_int_eq(vgpu_create(&cfg, &fh.host, &v), -EINVAL);
	v = NULL;
	fake_host_fini(&fh);
	fake_host_init(&fh);
	cfg.edid = NULL;
	cfg.edid_len = 0;
	cfg.monitor = "1024x768"; /* its largest is fine */
	ck_assert_int_eq(vgpu_create(&cfg, &fh.host, &v), 0);
	{
		struct vgpu_monitor *mon =
		    vgpu_block_state(v, &vgpu_monitor_block);
		struct edid_timing t;
		const uint8_t *e;
		size_t len;

		/* its EDID offers nothing larger */
		e = vgpu_monitor_edid(mon, &len);
		ck_assert_int_eq(edid_preferred_mode(e + 18, &t), -EINVAL);
		/* and at run time a larger EDID is refused, the old kept */
		ck_assert_int_eq(vgpu_monitor_plug(mon, edid, sizeof(edid)),
				 -E2BIG);
		e = vgpu_monitor_edid(mon, &len);
		ck_assert_int_eq(edid_preferred_mode(e, &t), 0);
		ck_assert_uint_eq(t.hactive, 1024);
	}
	teardown();
}
END_TEST

START_TEST(unplug_and_plug_raise_hotplug)
{
	struct vgpu_monitor *mon;
	uint8_t msg[4] = {0x90, 0, 0, 0};
	uint8_t e2[128];
	struct edid_mode m;

	ck_assert_int_eq(make(NULL, NULL, 0, false), 0);
	mon = vgpu_block_state(v, &vgpu_monitor_block);
	/* spt_hpd_irq_setup: port D's detection on; the SDE bank open */
	wr(PCH_PORT_HOTPLUG, 1u << 20);
	wr(SDEIMR, ~PORTD_HOTPLUG);
	wr(SDEIER, PORTD_HOTPLUG);
	vgpu_monitor_unplug(mon);
	ck_assert(!vgpu_monitor_connected(mon));
	ck_assert_uint_eq(rd(SDEISR) & PORTD_HOTPLUG, 0);
	ck_assert_uint_eq(rd(SDEIIR), PORTD_HOTPLUG);
	ck_assert_uint_eq(rd(PCH_PORT_HOTPLUG) & (3u << 16), 2u << 16);
	/* unplugged: the AUX channel times out */
	ck_assert_uint_eq(aux(msg, 4, NULL) & (DONE | TIMEOUT),
			  DONE | TIMEOUT);
	/* the guest acknowledges */
	wr(PCH_PORT_HOTPLUG, rd(PCH_PORT_HOTPLUG));
	wr(SDEIIR, PORTD_HOTPLUG);
	ck_assert_uint_eq(rd(PCH_PORT_HOTPLUG) & (3u << 16), 0);
	vgpu_monitor_unplug(mon); /* already out: nothing */
	ck_assert_uint_eq(rd(SDEIIR), 0);
	/* plugged back with a 1280x1024 monitor */
	ck_assert_int_eq(edid_parse_mode("1280x1024", &m), 0);
	ck_assert_int_eq(edid_build(e2, &m, 9), 0);
	ck_assert_int_eq(vgpu_monitor_plug(mon, e2, sizeof(e2)), 0);
	ck_assert_uint_eq(rd(SDEISR) & PORTD_HOTPLUG, PORTD_HOTPLUG);
	ck_assert_uint_eq(rd(SDEIIR), PORTD_HOTPLUG);
	ck_assert_uint_eq(vgpu_monitor_hotplugs(mon), 2);
	{
		uint8_t got[128];

		read_edid(got, 128);
		ck_assert_mem_eq(got, e2, 128);
	}
	/* a bad EDID changes nothing */
	e2[127] ^= 1;
	ck_assert_int_eq(vgpu_monitor_plug(mon, e2, sizeof(e2)), -EINVAL);
	ck_assert_int_eq(vgpu_monitor_plug(mon, e2, 5), -EINVAL);
	ck_assert_uint_eq(vgpu_monitor_hotplugs(mon), 2);
	/* plugging a plugged monitor with its own EDID: no event */
	ck_assert_int_eq(vgpu_monitor_plug(mon, NULL, 0), 0);
	e2[127] ^= 1;
	ck_assert_int_eq(vgpu_monitor_plug(mon, e2, sizeof(e2)), 0);
	ck_assert_uint_eq(vgpu_monitor_hotplugs(mon), 2);
	/* a different EDID while plugged: a new monitor, one event */
	ck_assert_int_eq(edid_build(e2, &m, 10), 0);
	ck_assert_int_eq(vgpu_monitor_plug(mon, e2, sizeof(e2)), 0);
	ck_assert_uint_eq(vgpu_monitor_hotplugs(mon), 3);
}
END_TEST

START_TEST(edid_from_admin)
{
	uint8_t e[256];
	struct edid_mode m;

	ck_assert_int_eq(edid_parse_mode("1280x1024", &m), 0);
	ck_assert_int_eq(edid_build(e, &m, 3), 0);
	ck_assert_int_eq(make(NULL, e, 128, false), 0);
	teardown();
	/* one that does not validate: the vGPU is not created */
	memcpy(e + 128, e, 128); /* says 0 extensions, 256 bytes given */
	ck_assert_int_eq(make(NULL, e, 256, false), -EINVAL);
	v = NULL;
}
END_TEST

START_TEST(starts_unplugged)
{
	ck_assert_int_eq(make(NULL, NULL, 0, true), 0);
	ck_assert_uint_eq(rd(SDEISR) & PORTD_HOTPLUG, 0);
	ck_assert_uint_eq(rd(SFUSE_STRAP) & 1, 1); /* the port is there */
}
END_TEST

/* Unplugged, then saved: the load brings back the state, the line and the
 * EDID; a reset keeps the monitor as it is plugged. */
START_TEST(state_survives_save_load)
{
	struct vgpu_monitor *mon;
	struct blob_w w;
	uint8_t e2[128], reply[20];
	struct edid_mode m;
	size_t len;

	ck_assert_int_eq(make(NULL, NULL, 0, false), 0);
	mon = vgpu_block_state(v, &vgpu_monitor_block);
	ck_assert_int_eq(edid_parse_mode("1920x1080", &m), 0);
	ck_assert_int_eq(edid_build(e2, &m, 5), 0);
	ck_assert_int_eq(vgpu_monitor_plug(mon, e2, sizeof(e2)), 0);
	vgpu_monitor_unplug(mon);
	blob_w_init(&w);
	ck_assert_int_eq(vgpu_save(v, &w), 0);
	ck_assert_int_eq(vgpu_monitor_plug(mon, NULL, 0), 0);
	ck_assert_int_eq(vgpu_load(v, w.buf, w.len), 0);
	blob_w_free(&w);
	ck_assert(!vgpu_monitor_connected(mon));
	ck_assert_uint_eq(rd(SDEISR) & PORTD_HOTPLUG, 0);
	ck_assert_mem_eq(vgpu_monitor_edid(mon, &len), e2, 128);
	vgpu_reset(v);
	ck_assert(!vgpu_monitor_connected(mon));
	ck_assert_int_eq(vgpu_monitor_plug(mon, NULL, 0), 0);
	vgpu_reset(v);
	ck_assert_uint_eq(rd(SDEISR) & PORTD_HOTPLUG, PORTD_HOTPLUG);
	ck_assert_uint_eq(dpcd_read(0x000, 1, reply), 2);
	ck_assert_uint_eq(reply[1], 0x12);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("monitor");
	TCase *tc = tcase_create("monitor");

	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, plugged_at_start);
	tcase_add_test(tc, preferred_mode_from_config);
	tcase_add_test(tc, mode_bounded_by_type);
	tcase_add_test(tc, unplug_and_plug_raise_hotplug);
	tcase_add_test(tc, edid_from_admin);
	tcase_add_test(tc, starts_unplugged);
	tcase_add_test(tc, state_survives_save_load);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return vgpu_test_run(suite());
}
