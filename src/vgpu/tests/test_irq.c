/* SPDX-License-Identifier: MIT */
/*
 * test_irq.c - interrupts as the guest's driver sees them: the Gen8/9
 * register banks, the master register, pipes and their vblanks, and when
 * an MSI leaves the device (and with which address/data).
 */
#include <check.h>
#include <stdlib.h>

#include "test_util.h"
#include "util/log.h"
#include "vgpu/block.h"
#include "vgpu/irq.h"
#include "vgpu/layout.h"

#define SBDF 0x10 /* 00:02.0 */

#define MASTER 0x44200
#define MASTER_CONTROL 0x80000000u
#define PIPE_IMR(p) (0x44404 + 0x10 * (p))
#define PIPE_IIR(p) (0x44408 + 0x10 * (p))
#define PIPE_IER(p) (0x4440c + 0x10 * (p))
#define PIPECONF(p) (0x70008 + 0x1000 * (p))
#define FRMCOUNT(p) (0x70040 + 0x1000 * (p))
#define GT_IIR(n) (0x44308 + 0x10 * (n))
#define GT_IER(n) (0x4430c + 0x10 * (n))
#define GT_IMR(n) (0x44304 + 0x10 * (n))

#define MSI_ADDR 0xfee01000u
#define MSI_DATA 0x4031u

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

static void cw(unsigned reg, unsigned size, uint32_t val)
{
	fake_cfg_write(&fh, SBDF, reg, size, val);
}

/* What Linux does for one MSI vector, then bus mastering (pci_set_master). */
static void enable_msi(void)
{
	cw(0xac + 4, 4, MSI_ADDR);
	cw(0xac + 8, 2, MSI_DATA);
	cw(0xac + 2, 2, 1);
	cw(0x04, 2, 0x0006); /* MEM | MASTER */
}

/* Pipe A on, its vblank unmasked and enabled, the master on. */
static void vblank_interrupts_on(void)
{
	wr(PIPECONF(0), 0x80000000u);
	wr(PIPE_IMR(0), ~1u);
	wr(PIPE_IER(0), 1);
	wr(MASTER, MASTER_CONTROL);
}

/* i915's gen8 handler: master off, read, ack, master on. */
static uint32_t i915_handler(void)
{
	uint32_t master, iir;

	wr(MASTER, 0);
	master = rd(MASTER);
	iir = rd(PIPE_IIR(0));
	wr(PIPE_IIR(0), iir);
	wr(MASTER, MASTER_CONTROL);
	return master;
}

static void setup(void)
{
	struct vgpu_config cfg;

	fake_host_init(&fh);
	vgpu_config_default(&cfg);
	ck_assert_int_eq(vgpu_create(&cfg, &fh.host, &v), 0);
}

static void teardown(void)
{
	vgpu_destroy(v);
	v = NULL;
	/* the vblank timer does not outlive the device */
	ck_assert_uint_eq(fh.timer_period_ns, 0);
}

START_TEST(reset_state)
{
	unsigned p, n;

	ck_assert_uint_eq(rd(MASTER), 0);
	for (p = 0; p < 3; p++) {
		ck_assert_uint_eq(rd(PIPE_IMR(p)), 0xffffffffu);
		ck_assert_uint_eq(rd(PIPE_IIR(p)), 0);
		ck_assert_uint_eq(rd(PIPE_IER(p)), 0);
		ck_assert_uint_eq(rd(PIPECONF(p)), 0);
		ck_assert_uint_eq(rd(FRMCOUNT(p)), 0);
	}
	for (n = 0; n < 4; n++)
		ck_assert_uint_eq(rd(GT_IMR(n)), 0xffffffffu);
	ck_assert_uint_eq(rd(0xc4004), 0xffffffffu); /* SDEIMR */
	ck_assert_uint_eq(fh.timer_sets, 0);
}
END_TEST

START_TEST(pipeconf_state_and_timer)
{
	wr(PIPECONF(1), 0x40000000u); /* state is read-only */
	ck_assert_uint_eq(rd(PIPECONF(1)), 0);
	ck_assert_uint_eq(fh.timer_period_ns, 0);
	wr(PIPECONF(1), 0x80000000u);
	ck_assert_uint_eq(rd(PIPECONF(1)), 0xc0000000u);
	ck_assert_uint_eq(fh.timer_period_ns, 16666667); /* 60 Hz */
	wr(PIPECONF(2), 0x80000000u); /* a second pipe: the same timer */
	ck_assert_uint_eq(fh.timer_sets, 1);
	wr(PIPECONF(1), 0);
	ck_assert_uint_eq(fh.timer_period_ns, 16666667);
	wr(PIPECONF(2), 0);
	ck_assert_uint_eq(rd(PIPECONF(2)), 0);
	ck_assert_uint_eq(fh.timer_period_ns, 0);
}
END_TEST

START_TEST(frame_counter)
{
	wr(PIPECONF(0), 0x80000000u);
	fake_host_tick(&fh, 1);
	fake_host_tick(&fh, 3); /* the host was late: 3 frames passed */
	ck_assert_uint_eq(rd(FRMCOUNT(0)), 4);
	ck_assert_uint_eq(rd(FRMCOUNT(1)), 0); /* pipe B is off */
	wr(FRMCOUNT(0), 0);		       /* read-only */
	ck_assert_uint_eq(rd(FRMCOUNT(0)), 4);
	/* masked (the reset IMR): nothing latched, no interrupt */
	ck_assert_uint_eq(rd(PIPE_IIR(0)), 0);
	ck_assert_uint_eq(fh.msi_count, 0);
}
END_TEST

START_TEST(vblank_msi_and_i915_handler)
{
	enable_msi();
	vblank_interrupts_on();
	ck_assert_uint_eq(fh.msi_count, 0); /* nothing has happened yet */
	fake_host_tick(&fh, 1);
	ck_assert_uint_eq(fh.msi_count, 1);
	ck_assert_uint_eq(fh.msi_addr, MSI_ADDR);
	ck_assert_uint_eq(fh.msi_data, MSI_DATA);
	ck_assert_uint_eq(rd(MASTER), MASTER_CONTROL | 1u << 16);
	ck_assert_uint_eq(rd(PIPE_IIR(0)), 1);
	/* the handler sees pipe A with the master off, acks, re-enables */
	ck_assert_uint_eq(i915_handler(), 1u << 16);
	ck_assert_uint_eq(rd(PIPE_IIR(0)), 0);
	ck_assert_uint_eq(rd(MASTER), MASTER_CONTROL);
	ck_assert_uint_eq(fh.msi_count, 1); /* nothing pending: no new MSI */
	fake_host_tick(&fh, 1);
	ck_assert_uint_eq(fh.msi_count, 2);
	i915_handler();
	/* pipe off: no more vblanks */
	wr(PIPECONF(0), 0);
	fake_host_tick(&fh, 1);
	ck_assert_uint_eq(fh.msi_count, 2);
}
END_TEST

START_TEST(master_gates_and_reinjects)
{
	enable_msi();
	vblank_interrupts_on();
	wr(MASTER, 0);
	fake_host_tick(&fh, 1);
	/* latched and visible in the master's status bits, but no MSI */
	ck_assert_uint_eq(rd(PIPE_IIR(0)), 1);
	ck_assert_uint_eq(rd(MASTER), 1u << 16);
	ck_assert_uint_eq(fh.msi_count, 0);
	/* enabling the master with an event pending interrupts */
	wr(MASTER, MASTER_CONTROL | 0xffff); /* only bit 31 is writable */
	ck_assert_uint_eq(fh.msi_count, 1);
	ck_assert_uint_eq(rd(MASTER), MASTER_CONTROL | 1u << 16);
	/* unacknowledged: every further event interrupts again (GVT) */
	fake_host_tick(&fh, 1);
	ck_assert_uint_eq(fh.msi_count, 2);
	/* an IIR write (ack) never sends one */
	wr(PIPE_IIR(0), 1);
	ck_assert_uint_eq(fh.msi_count, 2);
	ck_assert_uint_eq(rd(MASTER), MASTER_CONTROL);
}
END_TEST

START_TEST(ier_and_imr)
{
	enable_msi();
	wr(PIPECONF(0), 0x80000000u);
	wr(MASTER, MASTER_CONTROL);
	wr(PIPE_IMR(0), ~1u);
	fake_host_tick(&fh, 1);
	/* latched (IMR open) but not enabled (IER 0): no master bit, no MSI */
	ck_assert_uint_eq(rd(PIPE_IIR(0)), 1);
	ck_assert_uint_eq(rd(MASTER), MASTER_CONTROL);
	ck_assert_uint_eq(fh.msi_count, 0);
	/* enabling an already latched event interrupts at once */
	wr(PIPE_IER(0), 1);
	ck_assert_uint_eq(fh.msi_count, 1);
	wr(PIPE_IIR(0), 1);
	/* masked again: the event is dropped, not latched for later */
	wr(PIPE_IMR(0), ~0u);
	fake_host_tick(&fh, 1);
	ck_assert_uint_eq(rd(PIPE_IIR(0)), 0);
	wr(PIPE_IMR(0), ~1u);
	ck_assert_uint_eq(rd(PIPE_IIR(0)), 0);
	ck_assert_uint_eq(fh.msi_count, 1);
}
END_TEST

START_TEST(msi_needs_enable_and_bus_master)
{
	vblank_interrupts_on();
	fake_host_tick(&fh, 1); /* MSI off */
	ck_assert_uint_eq(fh.msi_count, 0);
	cw(0xac + 4, 4, MSI_ADDR);
	cw(0xac + 8, 2, MSI_DATA);
	cw(0xac + 2, 2, 1);
	cw(0x04, 2, 0x0002); /* MEM, no MASTER */
	fake_host_tick(&fh, 1);
	ck_assert_uint_eq(fh.msi_count, 0);
	ck_assert_uint_ge(vgpu_irq_stats(vgpu_block_state(v, &vgpu_irq_block))
			      ->msi_suppressed,
			  2);
	cw(0x04, 2, 0x0006);
	wr(MASTER, MASTER_CONTROL); /* still pending: now it goes out */
	ck_assert_uint_eq(fh.msi_count, 1);
	ck_assert_uint_eq(fh.msi_data, MSI_DATA);
}
END_TEST

/* Every bank reaches its master bit (i915_reg.h GEN8_*_IRQ). */
START_TEST(bank_master_bits)
{
	static const struct {
		enum vgpu_irq_bank bank;
		uint32_t bits, ier_off, master;
	} t[] = {
	    {VGPU_IRQ_GT0, 1u << 0, GT_IER(0), 1u << 0},  /* RCS */
	    {VGPU_IRQ_GT0, 1u << 16, GT_IER(0), 1u << 1}, /* BCS */
	    {VGPU_IRQ_GT1, 1u << 0, GT_IER(1), 1u << 2},  /* VCS1 */
	    {VGPU_IRQ_GT1, 1u << 16, GT_IER(1), 1u << 3}, /* VCS2 */
	    {VGPU_IRQ_GT2, 1u << 4, GT_IER(2), 1u << 4},  /* PM */
	    {VGPU_IRQ_GT3, 1u << 8, GT_IER(3), 1u << 6},  /* VECS */
	    {VGPU_IRQ_PIPE_B, 1u << 0, PIPE_IER(1), 1u << 17},
	    {VGPU_IRQ_PIPE_C, 1u << 0, PIPE_IER(2), 1u << 18},
	    {VGPU_IRQ_DE_PORT, 1u << 0, 0x4444c, 1u << 20},
	    {VGPU_IRQ_DE_MISC, 1u << 0, 0x4446c, 1u << 22},
	    {VGPU_IRQ_PCH, 1u << 17, 0xc400c, 1u << 23}, /* GMBUS */
	    {VGPU_IRQ_PCU, 1u << 24, 0x444ec, 1u << 30},
	};
	unsigned i;

	enable_msi();
	wr(MASTER, MASTER_CONTROL);
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		uint32_t imr = t[i].ier_off - 8, iir = t[i].ier_off - 4;

		wr(imr, ~t[i].bits);
		wr(t[i].ier_off, t[i].bits);
		vgpu_irq_raise(vgpu_block_state(v, &vgpu_irq_block), t[i].bank,
			       t[i].bits);
		ck_assert_uint_eq(rd(iir), t[i].bits);
		ck_assert_uint_eq(rd(MASTER), MASTER_CONTROL | t[i].master);
		ck_assert_uint_eq(fh.msi_count, i + 1);
		wr(iir, t[i].bits);
		ck_assert_uint_eq(rd(MASTER), MASTER_CONTROL);
	}
	/* ISR is read-only */
	wr(0x44300, 0xffffffffu);
	ck_assert_uint_eq(rd(0x44300), 0);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("vgpu-irq");
	TCase *tc = tcase_create("irq");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, reset_state);
	tcase_add_test(tc, pipeconf_state_and_timer);
	tcase_add_test(tc, frame_counter);
	tcase_add_test(tc, vblank_msi_and_i915_handler);
	tcase_add_test(tc, master_gates_and_reinjects);
	tcase_add_test(tc, ier_and_imr);
	tcase_add_test(tc, msi_needs_enable_and_bus_master);
	tcase_add_test(tc, bank_master_bits);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return vgpu_test_run(suite());
}
