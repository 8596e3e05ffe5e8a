/* SPDX-License-Identifier: MIT */
/*
 * test_state.c - the vGPU's lifecycle as a whole: a device reset, and a
 * save/load round trip that must give a second vGPU everything a guest
 * can observe of the first (config space, decode, registers, GGTT, the
 * IOBAR index, VGA memory, a running vblank, interrupt state), and
 * corrupt or foreign saved state refused without harm.
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>

#include "test_util.h"
#include "util/le.h"
#include "util/log.h"
#include "vgpu/block.h"
#include "vgpu/irq.h"
#include "vgpu/layout.h"
#include "vgpu/pcode.h"

#define SBDF 0x10 /* 00:02.0 */
#define BAR0 0xf0000000u
#define IOBAR 0xc000u
#define MASTER 0x44200u
#define PIPE_A_IER 0x4440cu
#define PIPE_A_IMR 0x44404u
#define PIPECONF_A 0x70008u
/* magic, version, device id, aperture, type name "GVTg_V5_4" */
#define HDR (4 + 4 + 4 + 8 + 4 + 9)

struct dev {
	struct fake_host fh;
	struct vgpu *v;
};

static struct dev a, b;

static void make(struct dev *d)
{
	struct vgpu_config cfg;

	fake_host_init(&d->fh);
	vgpu_config_default(&cfg);
	cfg.legacy_vga = true;
	ck_assert_int_eq(vgpu_create(&cfg, &d->fh.host, &d->v), 0);
}

static void cw(struct dev *d, unsigned reg, unsigned size, uint32_t val)
{
	fake_cfg_write(&d->fh, SBDF, reg, size, val);
}

static uint32_t cr(struct dev *d, unsigned reg, unsigned size)
{
	return fake_cfg_read(&d->fh, SBDF, reg, size);
}

static uint64_t rd(struct dev *d, uint64_t addr, unsigned size)
{
	return fake_read(&d->fh, IO_SPACE_MMIO, addr, size);
}

static void wr(struct dev *d, uint64_t addr, unsigned size, uint64_t val)
{
	fake_write(&d->fh, IO_SPACE_MMIO, addr, size, val);
}

/* What a guest leaves behind after a while: every block touched. */
static void use(struct dev *d)
{
	cw(d, 0x10, 4, BAR0);
	cw(d, 0x14, 4, 0);
	cw(d, 0x18, 4, 0xe0000000u);
	cw(d, 0x20, 4, IOBAR | 1);
	cw(d, 0xac + 4, 4, 0xfee00000u); /* MSI */
	cw(d, 0xac + 8, 2, 0x4041);
	cw(d, 0xac + 2, 2, 1);
	cw(d, 0xfc, 4, 0x7ffe0000u); /* ASLS */
	cw(d, 0x04, 2, 0x0007);
	wr(d, BAR0 + 0x4000, 4, 0x12345678); /* an unmodelled register */
	wr(d, BAR0 + 0x209c, 4, 0x00010001); /* RCS MI_MODE, masked */
	wr(d, BAR0 + PIPE_A_IMR, 4, ~1u);
	wr(d, BAR0 + PIPE_A_IER, 4, 1);
	wr(d, BAR0 + MASTER, 4, 1u << 31);
	wr(d, BAR0 + PIPECONF_A, 4, 1u << 31);
	wr(d, BAR0 + VGPU_GGTT_OFFSET + 8 * 77, 8, 0x1234567003ull);
	fake_write(&d->fh, IO_SPACE_PORT, IOBAR, 4, 0x2240);
	wr(d, 0xb8000, 4, 0x07410741);
	wr(d, BAR0 + 0x138128, 4, 1);		/* PCODE DATA: set 1 */
	wr(d, BAR0 + 0x138124, 4, 0x80000006u); /* memory latency */
	wr(d, BAR0 + 0x45404, 4, 0xa0000000u);	/* PW_1, PW_2 */
	wr(d, BAR0 + 0x46010, 4, 0x80000000u);	/* DPLL0 */
	wr(d, BAR0 + 0xc5100, 4, 5);		/* GMBUS pin B ... */
	wr(d, BAR0 + 0xc5104, 4, 0x42800000u);	/* ... a NAKed write */
	wr(d, 0x7ffe0000u + 0x204, 4, 0xfeed0001); /* OpRegion mailbox 2 */
}

START_TEST(save_load_round_trip)
{
	struct blob_w w;

	make(&a);
	use(&a);
	fake_host_tick(&a.fh, 3); /* three vblanks: IIR latched, MSI sent */
	ck_assert_uint_eq(a.fh.msi_count, 1);

	blob_w_init(&w);
	ck_assert_int_eq(vgpu_save(a.v, &w), 0);
	make(&b);
	fake_host_clear_events(&b.fh);
	ck_assert_int_eq(vgpu_load(b.v, w.buf, w.len), 0);
	blob_w_free(&w);

	/* Config space and decode: the same claims at the same places. */
	ck_assert_str_eq(events_str(&b.fh),
			 "M opregion 7ffe0000, "
			 "M gttmmadr-regs f0000000, M gttmmadr-rsvd f0200000, "
			 "M gttmmadr-ggtt f0800000, M gmadr-trap e8000000, "
			 "M gmadr-host e0000000, M iobar c000, "
			 "M vga-mem a0000");
	for (unsigned o = 0; o < 256; o += 4)
		ck_assert_uint_eq(cr(&b, o, 4), cr(&a, o, 4));
	/* Registers, GGTT, IOBAR index, VGA memory. */
	ck_assert_uint_eq(rd(&b, BAR0 + 0x4000, 4), 0x12345678);
	ck_assert_uint_eq(rd(&b, BAR0 + 0x209c, 4), 0x201); /* +MODE_IDLE */
	ck_assert_uint_eq(rd(&b, BAR0 + 0x44408, 4), 1); /* pipe A IIR */
	ck_assert_uint_eq(rd(&b, BAR0 + MASTER, 4), (1u << 31) | (1u << 16));
	ck_assert_uint_eq(rd(&b, BAR0 + 0x70040, 4), 3); /* frame count */
	ck_assert_uint_eq(rd(&b, BAR0 + VGPU_GGTT_OFFSET + 8 * 77, 8),
			  0x1234567003ull);
	ck_assert_uint_eq(fake_read(&b.fh, IO_SPACE_PORT, IOBAR, 4), 0x2240);
	ck_assert_uint_eq(rd(&b, 0xb8000, 4), 0x07410741);
	/* The hardware blocks' registers and the PCODE counters. */
	ck_assert_uint_eq(rd(&b, BAR0 + 0x138128, 4), 0x61514b3du);
	ck_assert_uint_eq(rd(&b, BAR0 + 0x45404, 4), 0xf0000000u);
	ck_assert_uint_eq(rd(&b, BAR0 + 0x6c060, 4), 1);
	ck_assert_uint_eq(rd(&b, BAR0 + 0xc5108, 4) & 0x0e00, 0x0c00);
	ck_assert_uint_eq(
	    vgpu_pcode_count(vgpu_block_state(b.v, &vgpu_pcode_block), 6), 1);
	/* The OpRegion, at the same place with what the guest wrote. */
	ck_assert_uint_eq(rd(&b, 0x7ffe0000u, 4), 0x65746e49u); /* "Inte" */
	ck_assert_uint_eq(rd(&b, 0x7ffe0000u + 0x204, 4), 0xfeed0001);
	/* The vblank timer runs again, and the interrupt path works. */
	ck_assert_uint_ne(b.fh.timer_period_ns, 0);
	wr(&b, BAR0 + 0x44408, 4, 1); /* ack */
	fake_host_tick(&b.fh, 1);
	ck_assert_uint_eq(b.fh.msi_count, 1);
	ck_assert_uint_eq(b.fh.msi_addr, 0xfee00000u);
	ck_assert_uint_eq(b.fh.msi_data, 0x4041);
	/* Counters came along. */
	ck_assert_uint_eq(
	    vgpu_irq_stats(vgpu_block_state(b.v, &vgpu_irq_block))->msi_sent,
	    2);
	vgpu_destroy(a.v);
	vgpu_destroy(b.v);
	ck_assert_uint_eq(a.fh.nmapped, 0);
	ck_assert_uint_eq(b.fh.nmapped, 0);
}
END_TEST

START_TEST(corrupt_state_refused)
{
	struct blob_w w;
	size_t cut[] = {0, 3, 8, 300, 400000, 0};
	unsigned i;

	make(&a);
	use(&a);
	blob_w_init(&w);
	ck_assert_int_eq(vgpu_save(a.v, &w), 0);
	cut[5] = w.len - 1;
	make(&b);
	/* Truncated anywhere: refused; the vGPU is left as at reset. */
	for (i = 0; i < sizeof(cut) / sizeof(cut[0]); i++) {
		use(&b);
		ck_assert_int_eq(vgpu_load(b.v, w.buf, cut[i]), -EINVAL);
		if (cut[i] > 20) {
			ck_assert_uint_eq(cr(&b, 0x04, 2), 0);
			ck_assert_uint_eq(b.fh.timer_period_ns, 0);
			ck_assert_uint_eq(b.fh.nmapped, 1); /* config only */
		}
	}
	/* Trailing garbage, a wrong magic, a block renamed. */
	{
		uint8_t *big = malloc(w.len + 1);

		memcpy(big, w.buf, w.len);
		big[w.len] = 0;
		ck_assert_int_eq(vgpu_load(b.v, big, w.len + 1), -EINVAL);
		big[0] ^= 1;
		ck_assert_int_eq(vgpu_load(b.v, big, w.len), -EINVAL);
		big[0] ^= 1;
		/* the first block name follows config space and registers */
		big[HDR + 256 + 6 + MMIO_SIZE + 4] ^= 0x20;
		ck_assert_int_eq(vgpu_load(b.v, big, w.len), -EINVAL);
		big[HDR + 256 + 6 + MMIO_SIZE + 4] ^= 0x20;
		ck_assert_int_eq(vgpu_load(b.v, big, w.len), 0);
		free(big);
	}
	/* Read-only config bits cannot be smuggled in. */
	{
		uint8_t *p = w.buf + HDR;

		p[0] = 0x34; /* vendor id */
		p[8] = 0x01; /* revision */
		ck_assert_int_eq(vgpu_load(b.v, w.buf, w.len), 0);
		ck_assert_uint_eq(cr(&b, 0x00, 2), 0x8086);
		ck_assert_uint_eq(cr(&b, 0x08, 1), 0x06);
	}
	blob_w_free(&w);
	vgpu_destroy(a.v);
	vgpu_destroy(b.v);
}
END_TEST

START_TEST(state_of_another_type_refused)
{
	struct vgpu_config cfg;
	struct blob_w w;

	make(&a);
	blob_w_init(&w);
	ck_assert_int_eq(vgpu_save(a.v, &w), 0);
	fake_host_init(&b.fh);
	vgpu_config_default(&cfg);
	cfg.legacy_vga = true;
	cfg.aperture_size = 512ull << 20;
	ck_assert_int_eq(vgpu_create(&cfg, &b.fh.host, &b.v), 0);
	ck_assert_int_eq(vgpu_load(b.v, w.buf, w.len), -EINVAL);
	vgpu_destroy(b.v);
	/* Same aperture, another partition: refused too. */
	cfg.aperture_size = 0;
	cfg.type = "GVTg_V5_8";
	ck_assert_int_eq(vgpu_create(&cfg, &b.fh.host, &b.v), 0);
	ck_assert_int_eq(vgpu_load(b.v, w.buf, w.len), -EINVAL);
	blob_w_free(&w);
	vgpu_destroy(a.v);
	vgpu_destroy(b.v);
}
END_TEST

/* A stream cannot change the part: fixed and derived registers settle. */
START_TEST(fixed_registers_not_smuggled)
{
	static const struct {
		uint32_t off, smuggled, loaded;
	} t[] = {
	    {0x9120, 0, 0x02800000u},	   /* GEN8_FUSE2 */
	    {0x9134, 0xff, 0},		   /* EU disable */
	    {0x14500c, 0, 8},		   /* MAD_DIMM_CH0 */
	    {0x42000, 0, 0x8e000000u},	   /* SKL_FUSE_STATUS */
	    {0x45404, 0x55555555u, 0},	   /* STATE without REQ */
	    {0x46010, 0x40000000u, 0},	   /* LOCK without ENABLE */
	    {0x138124, 0x80000006u, 0x06}, /* PCODE busy */
	    {0x64010, 0x80000000u, 0},	   /* AUX A busy */
	    {0x64000, 0, 0x80},		   /* DDI A not idle */
	    {0x64838, 0xffffffffu, 0},	   /* EDP_PSR_IIR */
	    {0xc7200, 0x80000008u, 0},	   /* PP_STATUS, panel off */
	    {0x0d84, 0x1, 0},		   /* ack without request */
	    {0x4260, 0x1, 0},		   /* TLB invalidation pending */
	    {0xc5108, 0x4200u, 0x800},	   /* GMBUS2 ACTIVE, no transaction */
	};
	struct blob_w w;
	unsigned i;

	make(&a);
	use(&a);
	blob_w_init(&w);
	ck_assert_int_eq(vgpu_save(a.v, &w), 0);
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		le_put(w.buf + HDR + 256 + 6 + t[i].off, t[i].smuggled, 4);
	make(&b);
	ck_assert_int_eq(vgpu_load(b.v, w.buf, w.len), 0);
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		ck_assert_msg(rd(&b, BAR0 + t[i].off, 4) == t[i].loaded,
			      "%#x: %#x", t[i].off,
			      (unsigned)rd(&b, BAR0 + t[i].off, 4));
	blob_w_free(&w);
	vgpu_destroy(a.v);
	vgpu_destroy(b.v);
}
END_TEST

START_TEST(device_reset)
{
	make(&a);
	use(&a);
	ck_assert_uint_ne(a.fh.timer_period_ns, 0);
	vgpu_reset(a.v);
	ck_assert_uint_eq(a.fh.timer_period_ns, 0);
	ck_assert_uint_eq(a.fh.nmapped, 1);
	ck_assert_uint_eq(cr(&a, 0x04, 2), 0);
	ck_assert_uint_eq(cr(&a, 0x10, 4), 0x4);
	/* Decode again: every block is back at its reset state. */
	cw(&a, 0x10, 4, BAR0);
	cw(&a, 0x20, 4, IOBAR | 1);
	cw(&a, 0x04, 2, 0x0003);
	ck_assert_uint_eq(rd(&a, BAR0 + 0x4000, 4), 0);
	ck_assert_uint_eq(rd(&a, BAR0 + PIPE_A_IMR, 4), 0xffffffff);
	ck_assert_uint_eq(rd(&a, BAR0 + VGPU_GGTT_OFFSET + 8 * 77, 8), 0);
	ck_assert_uint_eq(fake_read(&a.fh, IO_SPACE_PORT, IOBAR, 4), 0);
	ck_assert_uint_eq(rd(&a, BAR0 + 0x45404, 4), 0);     /* wells off */
	ck_assert_uint_eq(rd(&a, BAR0 + 0x6c060, 4), 0);     /* no lock */
	ck_assert_uint_eq(rd(&a, BAR0 + 0xc5108, 4), 0x800); /* GMBUS idle */
	ck_assert_uint_eq(rd(&a, BAR0 + 0x9120, 4), 0x02800000u);
	vgpu_destroy(a.v);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("state");
	TCase *tc = tcase_create("state");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, save_load_round_trip);
	tcase_add_test(tc, corrupt_state_refused);
	tcase_add_test(tc, state_of_another_type_refused);
	tcase_add_test(tc, device_reset);
	tcase_add_test(tc, fixed_registers_not_smuggled);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return vgpu_test_run(suite());
}
