/* SPDX-License-Identifier: MIT */
/*
 * xengt-demo: what xengt-dm does, shown on the simulated hypervisor.
 *
 * A guest is created paused, xengt-dm claims the vGPU for it, the guest's
 * firmware finds and programs the GPU's PCI function, two vCPUs touch its
 * registers, text goes into its VGA memory through Xen's buffered ring, the
 * OS moves a BAR, the guest's driver sets a 1024x768 mode and draws
 * colour bars and a box, xengtctl takes a screenshot of it through the
 * daemon's control socket, a stock VNC viewer takes a frame of it through
 * the daemon's VNC server, and the domain is destroyed.  Every value
 * printed was read back through the daemon, and the tally at the end
 * comes from what the simulated hypervisor delivered.
 */
#include <png.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "i915probe.h"

#define BAR0 0xf0000000ull
#define BAR2 0xe0000000ull
#define IOBAR 0xc000u
#define SCRATCH(n) (0xc180u + 4u * (n))
#define TEXT 0xb8000ull

static struct harness h;
static char ctl_dir[64], ctl_sock[128], vnc_addr[32];

static void fail(const char *what, int rc)
{
	fprintf(stderr, "demo: %s failed: %s\n", what, strerror(-rc));
	harness_end(&h);
	exit(1);
}

#define CHECK(call)                                                        \
	do {                                                               \
		int rc_ = (call);                                          \
		if (rc_ < 0)                                               \
			fail(#call, rc_);                                  \
	} while (0)

static uint32_t cfg_rd(struct xsim_vcpu *v, unsigned dev, unsigned reg,
		       unsigned size)
{
	uint32_t val = 0;

	CHECK(xsim_cfg_read(v, dev << 3, reg, size, &val));
	return val;
}

static void cfg_wr(struct xsim_vcpu *v, unsigned reg, unsigned size,
		   uint32_t val)
{
	CHECK(xsim_cfg_write(v, HARNESS_VGPU_SBDF, reg, size, val));
}

static void show_ranges(const char *when)
{
	static const char *const type[] = {"port", "mmio", "pci "};
	struct xsim_range r[32];
	size_t n = 0;

	CHECK(xsim_ranges(h.sim, h.domid, r, 32, &n));
	printf("  Xen now routes to server %u (%s):\n", n ? r[0].server_id : 0,
	       when);
	for (size_t i = 0; i < n && i < 32; i++) {
		if (r[i].type == 2)
			printf("    %s 00:%02x.%x\n", type[2],
			       (unsigned)(r[i].start >> 3) & 0x1f,
			       (unsigned)r[i].start & 7);
		else
			printf("    %s 0x%llx-0x%llx\n", type[r[i].type],
			       (unsigned long long)r[i].start,
			       (unsigned long long)r[i].end);
	}
}

static uint32_t size_bar(struct xsim_vcpu *v, unsigned reg)
{
	uint32_t old = cfg_rd(v, 2, reg, 4), mask;

	cfg_wr(v, reg, 4, 0xffffffffu);
	mask = cfg_rd(v, 2, reg, 4);
	cfg_wr(v, reg, 4, old);
	return mask;
}

/* vCPU 1 runs beside vCPU 0: a counter in a scratch register. */
static void *vcpu1_work(void *arg)
{
	struct xsim_vcpu *v1 = arg;
	uint64_t val[2];

	for (uint64_t i = 0; i < 1000; i++) {
		val[0] = i;
		if (xsim_mmio_write(v1, BAR0 + SCRATCH(1), 4, val) < 0 ||
		    xsim_mmio_read(v1, BAR0 + SCRATCH(1), 4, val) < 0 ||
		    val[0] != i)
			return (void *)1;
	}
	return NULL;
}

static void mw(struct xsim_vcpu *v, uint64_t gpa, uint32_t val)
{
	const uint64_t w[2] = {val, 0};

	CHECK(xsim_mmio_write(v, gpa, 4, w));
}

static uint32_t mr(struct xsim_vcpu *v, uint64_t gpa)
{
	uint64_t r[2] = {0, 0};

	CHECK(xsim_mmio_read(v, gpa, 4, r));
	return (uint32_t)r[0];
}

/* The guest's driver turns on pipe A and its vblank interrupt, takes MSIs
 * for half a second as i915 would, then turns them off again. */
static void vblank_irqs(struct xsim_vcpu *v, uint64_t bar0)
{
	static struct xsim_log_msi m[256];
	uint32_t f0, f1;
	size_t base, total, seen;
	unsigned handled = 0;
	int n;

	printf("\nThe guest's driver enables MSI (address 0xfee00000, data 0x41),\n"
	       "turns on pipe A and unmasks its vblank interrupt:\n");
	cfg_wr(v, 0xac + 4, 4, 0xfee00000u);
	cfg_wr(v, 0xac + 8, 2, 0x41);
	cfg_wr(v, 0xac + 2, 2, 1);
	CHECK(xsim_log_msis(h.sim, h.domid, 0, NULL, 0, &base));
	mw(v, bar0 + 0x70008, 0x80000000u); /* PIPECONF_A */
	printf("  PIPECONF_A reads 0x%08x (enabled, state on)\n",
	       mr(v, bar0 + 0x70008));
	mw(v, bar0 + 0x44404, ~1u); /* IMR */
	mw(v, bar0 + 0x4440c, 1);   /* IER */
	f0 = mr(v, bar0 + 0x70040);
	mw(v, bar0 + 0x44200, 0x80000000u); /* master */
	seen = base;
	for (unsigned ms = 0; ms < 500; ms++) {
		n = xsim_log_msis(h.sim, h.domid, seen, m, 256, &total);
		if (n < 0)
			fail("xsim_log_msis", n);
		for (int i = 0; i < n; i++, seen++) {
			/* i915: master off, read, ack, master on */
			mw(v, bar0 + 0x44200, 0);
			mw(v, bar0 + 0x44408, mr(v, bar0 + 0x44408));
			mw(v, bar0 + 0x44200, 0x80000000u);
			handled++;
			if (handled == 1)
				printf("  first MSI: address 0x%llx data 0x%x\n",
				       (unsigned long long)m[i].addr, m[i].data);
		}
		usleep(1000);
	}
	f1 = mr(v, bar0 + 0x70040);
	printf("  in about 0.5 s: %u vblank MSIs handled, PIPE_FRMCOUNT_A %u -> %u (60 Hz)\n",
	       handled, f0, f1);
	mw(v, bar0 + 0x70008, 0);
	mw(v, bar0 + 0x44200, 0);
	printf("  pipe A off, master off: the vblank timer stops\n");
}

/* What the driver would print (or learn) after each step of its probe. */
static void probe_step(const struct i915probe *p, const char *step)
{
	if (!strcmp(step, "bars"))
		printf("  BARs placed; aperture %llu MiB\n",
		       (unsigned long long)(p->aperture >> 20));
	else if (!strcmp(step, "detect"))
		printf("  PVINFO magic 0x%llx, version %u.%u, vgt_id %u, caps 0x%x:\n"
		       "    \"Virtual GPU for Intel GVT-g detected.\"\n",
		       (unsigned long long)p->magic, p->version_major,
		       p->version_minor, p->vgt_id, p->caps);
	else if (!strcmp(step, "opregion"))
		printf("  OpRegion at ASLS 0x%08x: \"IntelGraphicsMem\", "
		       "mailboxes 0x%x, VBT found in mailbox 4\n",
		       p->asls, p->opregion_mboxes);
	else if (!strcmp(step, "fuses"))
		printf("  fuses: slice mask 0x%x, subslices 0x%x, %u EUs; CS "
		       "timestamps at %u kHz\n",
		       p->slice_mask, p->subslice_mask, p->eu_total,
		       p->cs_freq_khz);
	else if (!strcmp(step, "dram"))
		printf("  DRAM: %u channels (%u + %u GB), eDRAM %s\n",
		       p->dram_channels, p->dimm_gb[0], p->dimm_gb[1],
		       p->edram ? "yes" : "none");
	else if (!strcmp(step, "display-core"))
		printf("  display core: PW1, MISC_IO, PW2 and DDI IO wells up "
		       "(PWR_WELL_CTL2 0x%08x), CDCLK prepared via PCODE, DPLL0 "
		       "locked, DBUF on\n",
		       p->pwr_well_ctl2);
	else if (!strcmp(step, "pcode"))
		printf("  PCODE: SAGV disabled (%d), memory latencies 0x%08x "
		       "0x%08x\n",
		       p->sagv_status, p->wm_latency[0], p->wm_latency[1]);
	else if (!strcmp(step, "outputs"))
		printf("  outputs: AUX A ends 0x%08x (done, timed out: no "
		       "sink), GMBUS2 0x%08x (NAK), PSR IIR 0, TLB invalidated\n",
		       p->aux_ctl, p->gmbus2);
	else if (!strcmp(step, "monitor"))
		printf("  monitor: DDI D present and connected; DPCD %u.%u, "
		       "%s x%u lanes; EDID \"%s\", preferred %ux%u\n",
		       p->dpcd[0] >> 4, p->dpcd[0] & 0xf,
		       p->dpcd[1] == 0x0a ? "HBR 2.7 Gb/s" : "RBR 1.62 Gb/s",
		       p->dpcd[2] & 0x1f, p->monitor_name, p->mode_w,
		       p->mode_h);
	else if (!strcmp(step, "gt-init"))
		printf("  GT init: GuC WOPCM unlocked, RPS off (RP_STATE_CAP "
		       "0x%x)\n",
		       p->rp_state_cap);
	else if (!strcmp(step, "balloon"))
		printf("  partition: mappable 0x%08x +%u MiB, hidden 0x%08x +%u MiB, %u fences:\n"
		       "    \"VGT balloon successfully\"\n",
		       p->map_base, p->map_size >> 20, p->hidden_base,
		       p->hidden_size >> 20, p->fence_num);
	else if (!strcmp(step, "fences"))
		printf("  fences: %u of %u keep what was written; the next one "
		       "%s\n",
		       p->fences_stored, p->fence_num,
		       p->fence_beyond_dropped ? "drops writes" : "KEPT A WRITE");
	else if (!strcmp(step, "irq-reset"))
		printf("  interrupt reset: every IIR reads 0\n");
	else if (!strcmp(step, "ggtt"))
		printf("  %u GGTT entries written in guest RAM at %zu ioreqs; the "
		       "device reads them back\n",
		       p->ptes_written, p->pte_ioreqs);
	else if (!strcmp(step, "interrupt"))
		printf("  MSI on, one event end to end: %zu MSI(s), IIR explains it\n",
		       p->msis);
	else if (!strcmp(step, "engines"))
		printf("  GT init: a request on each of %u engines ran through "
		       "its ring; seqno, CSB and context-switch interrupt as "
		       "i915 waits for them: not wedged\n",
		       p->engines_idle);
}

static void i915_probe(struct xsim_vcpu *v)
{
	struct i915probe p = {.sim = h.sim, .domid = h.domid, .v = v,
			      .bar0 = BAR0, .bar2 = BAR2, .bar4 = IOBAR,
			      .asls = 0xfdffc000u, /* hvmloader's */
			      .step_done = probe_step};

	printf("\nThe guest's i915 (Linux 6.1) probes the vGPU, replayed step by step:\n");
	if (i915probe_run(&p) < 0)
		printf("  the driver stops at %s: %s\n", p.failed_step, p.why);
}

/* ---- the picture --------------------------------------------------------- */

#define FB_W 1024u
#define FB_H 768u
#define FB_GM 0x08000000ull  /* the start of the vGPU's mappable slice */
#define FB_GPA 0x08000000ull /* the guest pages behind it */

static uint32_t bar_colour(unsigned x, unsigned y)
{
	static const uint32_t bars[8] = {0xffffff, 0xffff00, 0x00ffff,
					 0x00ff00, 0xff00ff, 0xff0000,
					 0x0000ff, 0x000000};
	unsigned g;

	if (y < FB_H * 2 / 3)
		return bars[x * 8 / FB_W];
	g = x * 255 / (FB_W - 1); /* a grey ramp below the bars */
	return g << 16 | g << 8 | g;
}

/*
 * The guest's driver: the bars in the framebuffer's pages, the GGTT
 * entries that put them at FB_GM, then a box drawn through the aperture,
 * and the mode: pipe A 1024x768, primary plane XRGB8888 linear.
 */
static void guest_draws(struct xsim_vcpu *v, uint64_t bar0, uint64_t bar2)
{
	static uint32_t row[FB_W];
	const unsigned bx = 312, by = 234, bw = 400, bh = 300, t = 8;
	uint64_t w[2] = {0, 0};

	for (unsigned y = 0; y < FB_H; y++) {
		for (unsigned x = 0; x < FB_W; x++)
			row[x] = bar_colour(x, y);
		CHECK(xsim_mem_write(h.sim, h.domid, FB_GPA + 4ull * FB_W * y,
				     row, sizeof(row)));
	}
	for (unsigned i = 0; i < FB_W * FB_H * 4 / 4096; i++) {
		w[0] = (FB_GPA + 4096ull * i) | 1;
		CHECK(xsim_mmio_write(v, bar0 + 0x800000 + 8 * (FB_GM / 4096 + i),
				      8, w));
	}
	mw(v, bar0 + 0x101008, 1); /* GFX_FLSH_CNTL: the GGTT is in use */
	/* a dark box with an orange frame, pixel by pixel through BAR2 */
	for (unsigned y = by; y < by + bh; y++)
		for (unsigned x = bx; x < bx + bw; x++) {
			bool frame = x < bx + t || x >= bx + bw - t ||
				     y < by + t || y >= by + bh - t;

			if (!frame && (x - bx) % 4) /* the inside: stripes */
				continue;
			mw(v, bar2 + FB_GM + 4ull * (FB_W * y + x),
			   frame ? 0xff8000u : 0x202020u);
		}
	mw(v, bar0 + 0x6001c, (FB_W - 1) << 16 | (FB_H - 1)); /* PIPESRC_A */
	mw(v, bar0 + 0x70008, 0x80000000u);		      /* PIPECONF_A */
	mw(v, bar0 + 0x70188, FB_W * 4 / 64);	      /* PLANE_STRIDE */
	mw(v, bar0 + 0x70190, (FB_H - 1) << 16 | (FB_W - 1)); /* PLANE_SIZE */
	mw(v, bar0 + 0x701a4, 0);			      /* PLANE_OFFSET */
	mw(v, bar0 + 0x70180, 0x84000000u); /* PLANE_CTL: on, XRGB8888 */
	mw(v, bar0 + 0x7019c, (uint32_t)FB_GM); /* PLANE_SURF: armed */
}

static int xengtctl(const char *args)
{
	char cmd[1024];

	snprintf(cmd, sizeof(cmd), "%s/xengtctl --socket '%s' %s",
		 ABS_BUILDDIR, ctl_sock, args);
	return system(cmd);
}

static void screenshot(struct xsim_vcpu *v)
{
	uint64_t bar0 = cfg_rd(v, 2, 0x10, 4) & ~0xfull;
	uint64_t bar2 = cfg_rd(v, 2, 0x18, 4) & ~0xfull;
	char png[300], args[400], cwd[256];
	int rc = -1;

	printf("\nThe guest's driver sets 1024x768 on pipe A, fills its framebuffer\n"
	       "with colour bars and draws a box through the aperture:\n");
	guest_draws(v, bar0, bar2);
	printf("  PIPECONF_A 0x%08x, PLANE_CTL_A 0x%08x, PLANE_SURF_A 0x%08x\n",
	       mr(v, bar0 + 0x70008), mr(v, bar0 + 0x70180),
	       mr(v, bar0 + 0x7019c));
	if (!getcwd(cwd, sizeof(cwd)))
		snprintf(cwd, sizeof(cwd), "/tmp");
	snprintf(png, sizeof(png), "%s/xengt-demo.png", cwd);
	snprintf(args, sizeof(args), "screenshot %u '%s'", h.domid, png);
	printf("\nxengtctl info %u, then xengtctl screenshot %u:\n", h.domid,
	       h.domid);
	/* the plane goes live at pipe A's next vblank */
	for (int i = 0; i < 250; i++) {
		usleep(20000);
		snprintf(args, sizeof(args), "info %u | grep display:",
			 h.domid);
		if (xengtctl(args) == 0)
			break;
	}
	snprintf(args, sizeof(args), "info %u | grep aperture:", h.domid);
	xengtctl(args);
	snprintf(args, sizeof(args), "screenshot %u '%s'", h.domid, png);
	rc = xengtctl(args);
	if (rc == 0)
		printf("  the screenshot is %s\n", png);
	else
		printf("  the screenshot FAILED (status %d)\n", rc);
}

/*
 * Do two PNGs hold the same R, G, B?  Alpha is not compared: gvnccapture
 * saves alpha 0 wherever ZRLE sent 3-byte pixels.  "" or what differs.
 */
static const char *same_rgb(const char *a, const char *b)
{
	static char why[160];
	png_image img[2];
	uint8_t *px[2] = {NULL, NULL};
	const char *path[2] = {a, b};

	*why = 0;
	for (int i = 0; i < 2 && !*why; i++) {
		memset(&img[i], 0, sizeof(img[i]));
		img[i].version = PNG_IMAGE_VERSION;
		if (!png_image_begin_read_from_file(&img[i], path[i])) {
			snprintf(why, sizeof(why), "%s: %s", path[i],
				 img[i].message);
			break;
		}
		img[i].format = PNG_FORMAT_RGBA;
		px[i] = malloc(PNG_IMAGE_SIZE(img[i]));
		if (!px[i] ||
		    !png_image_finish_read(&img[i], NULL, px[i], 0, NULL))
			snprintf(why, sizeof(why), "%s: cannot read it",
				 path[i]);
	}
	if (!*why && (img[0].width != img[1].width ||
		      img[0].height != img[1].height))
		snprintf(why, sizeof(why), "%ux%u against %ux%u", img[0].width,
			 img[0].height, img[1].width, img[1].height);
	for (size_t i = 0; !*why && i < (size_t)img[0].width * img[0].height;
	     i++)
		if (memcmp(px[0] + 4 * i, px[1] + 4 * i, 3))
			snprintf(why, sizeof(why), "pixel %zu,%zu differs",
				 i % img[0].width, i / img[0].width);
	free(px[0]);
	free(px[1]);
	return why;
}

/* The same picture through the daemon's VNC server, as a viewer sees it. */
static void vnc_view(void)
{
	char png[300], shot[300], cmd[800], cwd[256];
	const char *d;
	int rc;

	if (!getcwd(cwd, sizeof(cwd)))
		snprintf(cwd, sizeof(cwd), "/tmp");
	snprintf(png, sizeof(png), "%s/xengt-demo-vnc.png", cwd);
	snprintf(shot, sizeof(shot), "%s/xengt-demo.png", cwd);
	printf("\nThe daemon also serves the screen over VNC at %s\n"
	       "(gvncviewer %s, while it runs); a stock viewer, gvnccapture,\n"
	       "takes one frame:\n",
	       vnc_addr, vnc_addr);
	snprintf(cmd, sizeof(cmd), "timeout 30 %s %s '%s' >/dev/null 2>&1",
		 GVNCCAPTURE, vnc_addr, png);
	rc = system(cmd);
	if (rc == 0) {
		d = same_rgb(png, shot);
		printf("  the viewer's frame is %s:\n  %s%s\n", png,
		       *d ? "NOT the screenshot's pixels: " :
			    "pixel for pixel the screenshot's colours",
		       d);
	} else
		printf("  gvnccapture failed (status %d; apt-get install "
		       "gvncviewer)\n",
		       rc);
	snprintf(cmd, sizeof(cmd), "info %u | grep vnc:", h.domid);
	xengtctl(cmd);
}

static void tally(void)
{
	static const char *const names[16] = {[0] = "port I/O", [1] = "MMIO",
					      [2] = "PCI config",
					      [7] = "time offset",
					      [8] = "invalidate"};
	unsigned long count[16] = {0}, buffered = 0;
	static struct xsim_log_ioreq e[1024];
	size_t total = 0, from = 0;

	do {
		CHECK(xsim_log_ioreqs(h.sim, h.domid, from, e, 1024, &total));
		for (size_t i = 0; i < 1024 && from + i < total; i++) {
			count[e[i].req.type & 15]++;
			buffered += e[i].vcpu == XSIM_BUFFERED;
		}
		from += 1024;
	} while (from < total);
	printf("\nThe simulated Xen delivered %zu ioreqs to xengt-dm, each answered:\n",
	       total);
	for (unsigned t = 0; t < 16; t++)
		if (count[t])
			printf("  %-12s %6lu\n", names[t] ? names[t] : "other",
			       count[t]);
	printf("  (%lu of them through the buffered ring)\n", buffered);
}

int main(void)
{
	const char *args[] = {"--control", ctl_sock, "--vnc", vnc_addr, NULL};
	struct harness_opts o = {.vcpus = 2, .no_unpause = true, .args = args};
	struct xsim_vcpu *v0, *v1;
	struct xsim_rep rep;
	pthread_t t;
	void *res;
	unsigned waited;
	int status;
	static const char msg[] = "Hello from the guest, through xengt-dm's VGA memory";
	char line[sizeof(msg)];
	uint32_t words[8];
	int rc;

	setvbuf(stdout, NULL, _IOLBF, 0);
	snprintf(ctl_dir, sizeof(ctl_dir), "/tmp/xengt-demo-XXXXXX");
	if (!mkdtemp(ctl_dir))
		fail("mkdtemp", -1);
	snprintf(ctl_sock, sizeof(ctl_sock), "%s/ctl.sock", ctl_dir);
	rc = harness_free_vnc_display();
	if (rc < 0)
		fail("finding a free VNC display", rc);
	snprintf(vnc_addr, sizeof(vnc_addr), "127.0.0.1:%d", rc);
	printf("== xengt-dm demo on xensim, the simulated Xen 4.17 ==\n\n");
	printf("Creating HVM guest: 2 vCPUs, 256 MiB, paused (xl create -p),\n"
	       "then starting xengt-dm for it and waiting until it is ready.\n");
	CHECK(harness_start(&h, &o));
	printf("  domain %u, xengt-dm pid %d\n", h.domid, (int)h.dm_pid);
	show_ranges("before the guest runs");
	CHECK(xsim_domain_unpause(h.sim, h.domid));
	printf("\nGuest unpaused.  vCPU 0 plays the firmware: scan bus 0 via CF8/CFC.\n");
	CHECK(xsim_vcpu_open(h.sim, h.domid, 0, &v0));
	CHECK(xsim_vcpu_open(h.sim, h.domid, 1, &v1));
	for (unsigned dev = 0; dev < 32; dev++) {
		uint32_t id = cfg_rd(v0, dev, 0, 4);

		if (id == 0xffffffffu)
			continue;
		printf("  00:%02x.0  %04x:%04x  class %06x  rev %02x\n", dev,
		       id & 0xffff, id >> 16, cfg_rd(v0, dev, 8, 4) >> 8,
		       cfg_rd(v0, dev, 8, 1));
	}
	printf("  (every other slot read 0xffffffff: nobody claims it)\n");

	printf("\nSizing the BARs (write ~0, read the mask back):\n");
	cfg_wr(v0, 0x04, 2, 0);
	printf("  BAR0 0x%08x -> %u MiB, 64-bit memory (GTTMMADR)\n",
	       size_bar(v0, 0x10), (~(size_bar(v0, 0x10) & ~0xfu) + 1) >> 20);
	printf("  BAR2 0x%08x -> %u MiB, 64-bit prefetchable (aperture)\n",
	       size_bar(v0, 0x18), (~(size_bar(v0, 0x18) & ~0xfu) + 1) >> 20);
	printf("  BAR4 0x%08x -> %u bytes of I/O (MMIO index/data)\n",
	       size_bar(v0, 0x20), (~(size_bar(v0, 0x20) & ~0x3u) + 1) & 0xffff);
	printf("Assigning BAR0=0x%llx BAR2=0x%llx BAR4=0x%x, COMMAND=IO|MEM|MASTER:\n",
	       (unsigned long long)BAR0, (unsigned long long)BAR2, IOBAR);
	cfg_wr(v0, 0x10, 4, (uint32_t)BAR0);
	cfg_wr(v0, 0x14, 4, 0);
	cfg_wr(v0, 0x18, 4, (uint32_t)BAR2);
	cfg_wr(v0, 0x1c, 4, 0);
	cfg_wr(v0, 0x20, 4, IOBAR);
	cfg_wr(v0, 0x04, 2, 7);
	show_ranges("decode on");

	printf("\nvCPU 1 counts to 1000 in a BAR0 register while vCPU 0 writes the\n"
	       "I/O BAR with rep outsl and then VGA text through the buffered ring.\n");
	if (pthread_create(&t, NULL, vcpu1_work, v1))
		fail("pthread_create", -1);
	for (unsigned i = 0; i < 8; i++)
		words[i] = 0x1000 * (i + 1);
	CHECK(xsim_mem_write(h.sim, h.domid, 0x100000, words, sizeof(words)));
	CHECK(xsim_pio_write(v0, IOBAR, 4, SCRATCH(2)));
	rep = (struct xsim_rep){.is_pio = true, .size = 4, .count = 8,
				.addr = IOBAR + 4, .mem_gpa = 0x100000};
	CHECK(xsim_rep(v0, &rep));
	for (unsigned i = 0; i < sizeof(msg) - 1; i++)
		CHECK(xsim_buffered_write(v0, false, TEXT + 2 * i, 2,
					  0x1f00u | (uint8_t)msg[i]));
	pthread_join(t, &res);
	{
		uint64_t val[2];

		CHECK(xsim_mmio_read(v0, BAR0 + SCRATCH(1), 4, val));
		printf("  vCPU 1: %s, register reads %llu\n",
		       res ? "FAILED" : "1000 write/read pairs matched",
		       (unsigned long long)val[0]);
		CHECK(xsim_mmio_read(v0, BAR0 + SCRATCH(2), 4, val));
		printf("  vCPU 0: rep outsl x8 through MMIO_DATA left 0x%llx in the register\n",
		       (unsigned long long)val[0]);
		for (unsigned i = 0; i < sizeof(msg) - 1; i++) {
			CHECK(xsim_mmio_read(v0, TEXT + 2 * i, 2, val));
			line[i] = (char)(val[0] & 0xff);
		}
		line[sizeof(msg) - 1] = 0;
		printf("  VGA text row 0 read back: \"%s\"\n", line);
	}

	printf("\nThe guest OS moves BAR0 to 0xf1000000 (decode stays on):\n");
	cfg_wr(v0, 0x10, 4, 0xf1000000u);
	show_ranges("after the move");
	vblank_irqs(v0, 0xf1000000u);
	i915_probe(v0);
	screenshot(v0);
	vnc_view();

	xsim_vcpu_close(v0);
	xsim_vcpu_close(v1);
	tally();
	printf("\nxl destroy %u:\n", h.domid);
	CHECK(xsim_domain_destroy(h.sim, h.domid));
	CHECK(harness_wait_dm(&h, 5000, &status, &waited));
	printf("  xengt-dm noticed and exited with status %d after %u ms\n",
	       WIFEXITED(status) ? WEXITSTATUS(status) : -1, waited);
	harness_end(&h);
	rmdir(ctl_dir);
	printf("\n== demo done ==\n");
	return 0;
}
