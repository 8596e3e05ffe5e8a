// SPDX-License-Identifier: MIT
/*
 * xengt_irqtest.ko - a test driver for the system test's guest: it binds
 * to the vGPU only when asked (driver_override), enables one MSI vector
 * and bus mastering, and handles each interrupt the way i915's Gen8+
 * handler does: master off, read which banks are pending, clear their
 * IIR (write the bits back), master on.  The guest counts interrupts in
 * /proc/interrupts ("xengt_irqtest").  The scenarios program the vGPU's
 * registers themselves through sysfs resource0, so the driver maps BAR0
 * without claiming it (claiming it would revoke those user mappings).
 */
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/module.h>
#include <linux/pci.h>

#define DRV_NAME "xengt_irqtest"

#define GEN8_MASTER_IRQ 0x44200
#define GEN8_MASTER_IRQ_CONTROL (1u << 31)

/* The banks' IIR and the master bits that say they are pending. */
static const struct {
	u32 iir;
	u32 master_bits;
} banks[] = {
	{0x44308, 0x3},	      /* GT0: RCS, BCS */
	{0x44318, 0xc},	      /* GT1: VCS1, VCS2 */
	{0x44328, 1u << 4},   /* GT2: PM */
	{0x44338, 1u << 6},   /* GT3: VECS */
	{0x44408, 1u << 16},  /* DE pipe A */
	{0x44418, 1u << 17},  /* DE pipe B */
	{0x44428, 1u << 18},  /* DE pipe C */
	{0x44448, 1u << 20},  /* DE port */
	{0x44468, 1u << 22},  /* DE misc */
	{0xc4008, 1u << 23},  /* PCH */
	{0x444e8, 1u << 30},  /* PCU */
};

struct irqtest {
	void __iomem *regs;
	int irq;
};

static irqreturn_t irqtest_handler(int irq, void *data)
{
	struct irqtest *t = data;
	u32 master, iir;
	unsigned int i;

	writel(0, t->regs + GEN8_MASTER_IRQ);
	master = readl(t->regs + GEN8_MASTER_IRQ);
	if (!(master & ~GEN8_MASTER_IRQ_CONTROL)) {
		writel(GEN8_MASTER_IRQ_CONTROL, t->regs + GEN8_MASTER_IRQ);
		return IRQ_NONE;
	}
	for (i = 0; i < ARRAY_SIZE(banks); i++) {
		if (!(master & banks[i].master_bits))
			continue;
		iir = readl(t->regs + banks[i].iir);
		if (iir)
			writel(iir, t->regs + banks[i].iir);
	}
	writel(GEN8_MASTER_IRQ_CONTROL, t->regs + GEN8_MASTER_IRQ);
	return IRQ_HANDLED;
}

static int irqtest_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct irqtest *t;
	int rc;

	t = devm_kzalloc(&pdev->dev, sizeof(*t), GFP_KERNEL);
	if (!t)
		return -ENOMEM;
	rc = pcim_enable_device(pdev);
	if (rc)
		return rc;
	pci_set_master(pdev);
	t->regs = pci_iomap(pdev, 0, 0x200000);
	if (!t->regs)
		return -ENOMEM;
	rc = pci_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_MSI);
	if (rc < 0) {
		dev_err(&pdev->dev, "no MSI vector: %d\n", rc);
		goto unmap;
	}
	t->irq = pci_irq_vector(pdev, 0);
	rc = request_irq(t->irq, irqtest_handler, 0, DRV_NAME, t);
	if (rc) {
		pci_free_irq_vectors(pdev);
		goto unmap;
	}
	pci_set_drvdata(pdev, t);
	dev_info(&pdev->dev, "MSI on irq %d\n", t->irq);
	return 0;
unmap:
	pci_iounmap(pdev, t->regs);
	return rc;
}

static void irqtest_remove(struct pci_dev *pdev)
{
	struct irqtest *t = pci_get_drvdata(pdev);

	free_irq(t->irq, t);
	pci_free_irq_vectors(pdev);
	pci_iounmap(pdev, t->regs);
	pci_clear_master(pdev);
}

static struct pci_driver irqtest_driver = {
	.name = DRV_NAME,
	.id_table = NULL, /* driver_override only */
	.probe = irqtest_probe,
	.remove = irqtest_remove,
};
module_pci_driver(irqtest_driver);

MODULE_DESCRIPTION("xengt-dm system test: count the vGPU's MSIs");
MODULE_LICENSE("Dual MIT/GPL");
