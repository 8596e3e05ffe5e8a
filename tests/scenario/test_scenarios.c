/* SPDX-License-Identifier: MIT */
/*
 * The scenario files (tests/scenario/NAME.scn) against xengt-dm under xensim:
 * one Check test per file, each in a fresh domain with the BARs where
 * hvmloader puts them.  The same files run inside a real Xen guest through
 * xengt-guest-check.  Also unit tests of the scenario parser.
 */
#include "simtest.h"

#include <dirent.h>

#include "scenario.h"

#ifndef SCN_SRCDIR
#error "SCN_SRCDIR must name tests/scenario in the source tree"
#endif

/* Guest RAM for the RAM side of string instructions (page aligned). */
#define RAM_BUF 0x200000ull

#define BAR0_SIZE 0x1000000ull
#define BAR2_SIZE 0x10000000ull
#define BAR4_SIZE 0x40ull

static struct harness h;
static struct xsim_vcpu *v;

static char *files[64];
static unsigned nfiles;

/* ---- the xensim backend ------------------------------------------------ */

struct xctx {
	struct xsim_vcpu *v;
	char err[160];
	bool attached;	   /* irq-attach: "the driver" owns the device */
	size_t msi_seen;   /* entries of xensim's MSI log already handled */
	uint64_t handled;  /* interrupts handled since attach */
};

/* The MSI the xensim backend's "driver" programs (a Linux-like vector). */
#define X_MSI_ADDR 0xfee00000u
#define X_MSI_DATA 0x0041u

static int xerr(struct xctx *x, int rc, const char *what)
{
	snprintf(x->err, sizeof(x->err), "%s: %s", what, strerror(-rc));
	return rc;
}

static const char *x_errmsg(void *ctx)
{
	return ((struct xctx *)ctx)->err;
}

static int x_cfg_read(void *ctx, unsigned reg, unsigned size, uint32_t *val)
{
	struct xctx *x = ctx;
	int rc = xsim_cfg_read(x->v, HARNESS_VGPU_SBDF, reg, size, val);

	return rc ? xerr(x, rc, "xsim_cfg_read") : 0;
}

static int x_cfg_write(void *ctx, unsigned reg, unsigned size, uint32_t val)
{
	struct xctx *x = ctx;
	int rc = xsim_cfg_write(x->v, HARNESS_VGPU_SBDF, reg, size, val);

	return rc ? xerr(x, rc, "xsim_cfg_write") : 0;
}

/* The PCI sizing protocol, as Linux does it: decode off, ~0, read, restore. */
static int x_bar_info(void *ctx, unsigned bar, uint64_t *size,
		      enum scn_bar_kind *kind)
{
	unsigned reg = PCI_BAR0 + 4 * bar;
	uint32_t cmd, lo, lo_mask, hi = 0, hi_mask = 0xffffffffu;
	uint64_t mask;
	int rc;

	if ((rc = x_cfg_read(ctx, PCI_COMMAND, 2, &cmd)) ||
	    (rc = x_cfg_write(ctx, PCI_COMMAND, 2, cmd & ~3u)) ||
	    (rc = x_cfg_read(ctx, reg, 4, &lo)) ||
	    (rc = x_cfg_write(ctx, reg, 4, 0xffffffffu)) ||
	    (rc = x_cfg_read(ctx, reg, 4, &lo_mask)) ||
	    (rc = x_cfg_write(ctx, reg, 4, lo)))
		return rc;
	if (!(lo & 1) && (lo & 6) == 4 && bar < 5) {
		if ((rc = x_cfg_read(ctx, reg + 4, 4, &hi)) ||
		    (rc = x_cfg_write(ctx, reg + 4, 4, 0xffffffffu)) ||
		    (rc = x_cfg_read(ctx, reg + 4, 4, &hi_mask)) ||
		    (rc = x_cfg_write(ctx, reg + 4, 4, hi)))
			return rc;
	}
	if ((rc = x_cfg_write(ctx, PCI_COMMAND, 2, cmd)))
		return rc;

	if (!lo_mask) {
		*size = 0;
		*kind = SCN_BAR_NONE;
		return 0;
	}
	if (lo & 1) {
		mask = (lo_mask & ~3u) | 0xffff0000u;
		*size = (uint32_t)~mask + 1;
		*kind = SCN_BAR_IO;
		return 0;
	}
	if ((lo & 6) == 4) {
		mask = ((uint64_t)hi_mask << 32) | (lo_mask & ~0xfu);
		*kind = lo & 8 ? SCN_BAR_MEM64_PREF : SCN_BAR_MEM64;
	} else {
		mask = 0xffffffff00000000ull | (lo_mask & ~0xfu);
		*kind = lo & 8 ? SCN_BAR_MEM32_PREF : SCN_BAR_MEM32;
	}
	*size = ~mask + 1;
	return 0;
}

static int x_mmio_gpa(struct xctx *x, unsigned bar, uint64_t off, uint64_t len,
		      uint64_t *gpa)
{
	uint64_t base = bar == 0 ? BAR0_GPA : BAR2_GPA;
	uint64_t size = bar == 0 ? BAR0_SIZE : BAR2_SIZE;

	if (bar != 0 && bar != 2) {
		snprintf(x->err, sizeof(x->err), "BAR %u is not memory", bar);
		return -EINVAL;
	}
	if (off > size || len > size - off) {
		snprintf(x->err, sizeof(x->err),
			 "offset 0x%llx + %llu is beyond BAR %u",
			 (unsigned long long)off, (unsigned long long)len, bar);
		return -ERANGE;
	}
	*gpa = base + off;
	return 0;
}

static int x_port(struct xctx *x, unsigned bar, uint64_t off, unsigned len,
		  uint16_t *port)
{
	if (bar == SCN_NO_BAR) {
		*port = (uint16_t)off;
		return 0;
	}
	if (bar != 4 || off > BAR4_SIZE || len > BAR4_SIZE - off) {
		snprintf(x->err, sizeof(x->err),
			 "BAR %u offset 0x%llx is not in the I/O BAR", bar,
			 (unsigned long long)off);
		return -ERANGE;
	}
	*port = (uint16_t)(BAR4_PORT + off);
	return 0;
}

static int x_mmio_read(void *ctx, unsigned bar, uint64_t off, unsigned size,
		       uint64_t *val)
{
	struct xctx *x = ctx;
	uint64_t gpa, buf[2] = {0, 0};
	int rc = x_mmio_gpa(x, bar, off, size, &gpa);

	if (rc)
		return rc;
	rc = xsim_mmio_read(x->v, gpa, size, buf);
	if (rc)
		return xerr(x, rc, "xsim_mmio_read");
	*val = buf[0];
	return 0;
}

static int x_mmio_write(void *ctx, unsigned bar, uint64_t off, unsigned size,
			uint64_t val)
{
	struct xctx *x = ctx;
	uint64_t gpa, buf[2] = {val, 0};
	int rc = x_mmio_gpa(x, bar, off, size, &gpa);

	if (rc)
		return rc;
	rc = xsim_mmio_write(x->v, gpa, size, buf);
	return rc ? xerr(x, rc, "xsim_mmio_write") : 0;
}

static int x_pio_read(void *ctx, unsigned bar, uint64_t off, unsigned size,
		      uint32_t *val)
{
	struct xctx *x = ctx;
	uint16_t port;
	int rc = x_port(x, bar, off, size, &port);

	if (rc)
		return rc;
	rc = xsim_pio_read(x->v, port, size, val);
	return rc ? xerr(x, rc, "xsim_pio_read") : 0;
}

static int x_pio_write(void *ctx, unsigned bar, uint64_t off, unsigned size,
		       uint32_t val)
{
	struct xctx *x = ctx;
	uint16_t port;
	int rc = x_port(x, bar, off, size, &port);

	if (rc)
		return rc;
	rc = xsim_pio_write(x->v, port, size, val);
	return rc ? xerr(x, rc, "xsim_pio_write") : 0;
}

/*
 * The RAM buffer starts at RAM_BUF, or `size` bytes before the end of that
 * page with `cross`; with DF=1 both sides name the highest item.
 */
static int x_rep(void *ctx, const struct scn_rep *r, void *items)
{
	struct xctx *x = ctx;
	bool pio = r->op == SCN_REP_OUTS || r->op == SCN_REP_INS;
	bool to_ram = r->op == SCN_REP_INS || r->op == SCN_REP_MOVS_FROM;
	size_t bytes = (size_t)r->count * r->size;
	uint64_t last = (uint64_t)(r->count - 1) * r->size;
	uint64_t start = r->cross ? RAM_BUF + 0x1000 - r->size : RAM_BUF;
	struct xsim_rep rep = {.is_pio = pio,
			       .is_read = to_ram,
			       .df = r->down,
			       .is_stos = r->op == SCN_REP_STOS,
			       .size = r->size,
			       .count = r->count,
			       .value = r->value};
	uint16_t port;
	int rc;

	if (pio) {
		rc = x_port(x, r->bar, r->off, r->size, &port);
		rep.addr = port;
	} else {
		rc = x_mmio_gpa(x, r->bar, r->off, bytes, &rep.addr);
		if (r->down)
			rep.addr += last;
	}
	if (rc)
		return rc;
	rep.mem_gpa = r->down ? start + last : start;
	if (r->op != SCN_REP_STOS) {
		static uint8_t poison[SCN_REP_MAX_BYTES];

		memset(poison, 0xa5, sizeof(poison));
		rc = xsim_mem_write(h.sim, h.domid, start,
				    to_ram ? poison : items, bytes);
		if (rc)
			return xerr(x, rc, "xsim_mem_write");
	}
	rc = xsim_rep(x->v, &rep);
	if (rc)
		return xerr(x, rc, "xsim_rep");
	if (to_ram) {
		rc = xsim_mem_read(h.sim, h.domid, start, items, bytes);
		if (rc)
			return xerr(x, rc, "xsim_mem_read");
	}
	return 0;
}

/*
 * Interrupts: what Linux and tests/xen/irqtest do, played through xensim.
 * attach programs MSI address/data, enables MSI and bus mastering; each
 * MSI in xensim's log is then handled as i915's Gen8 handler does.
 */
static int x_irq_attach(void *ctx)
{
	struct xctx *x = ctx;
	uint32_t cmd;
	size_t total;
	int rc;

	if (x->attached)
		return xerr(x, -EBUSY, "irq-attach");
	if ((rc = x_cfg_write(x, 0xac + 4, 4, X_MSI_ADDR)) ||
	    (rc = x_cfg_write(x, 0xac + 8, 2, X_MSI_DATA)) ||
	    (rc = x_cfg_write(x, 0xac + 2, 2, 1)) ||
	    (rc = x_cfg_read(x, 0x04, 2, &cmd)) ||
	    (rc = x_cfg_write(x, 0x04, 2, cmd | 0x6)))
		return rc;
	rc = xsim_log_msis(h.sim, h.domid, 0, NULL, 0, &total);
	if (rc < 0)
		return xerr(x, rc, "xsim_log_msis");
	x->msi_seen = total;
	x->handled = 0;
	x->attached = true;
	return 0;
}

static int x_irq_handler(struct xctx *x)
{
	static const struct {
		uint32_t iir, bits;
	} banks[] = {
	    {0x44308, 0x3},	{0x44318, 0xc},	     {0x44328, 1u << 4},
	    {0x44338, 1u << 6}, {0x44408, 1u << 16}, {0x44418, 1u << 17},
	    {0x44428, 1u << 18}, {0x44448, 1u << 20}, {0x44468, 1u << 22},
	    {0xc4008, 1u << 23}, {0x444e8, 1u << 30},
	};
	uint64_t master, iir;
	unsigned i;
	int rc;

	if ((rc = x_mmio_write(x, 0, 0x44200, 4, 0)) ||
	    (rc = x_mmio_read(x, 0, 0x44200, 4, &master)))
		return rc;
	for (i = 0; i < sizeof(banks) / sizeof(banks[0]); i++) {
		if (!(master & banks[i].bits))
			continue;
		if ((rc = x_mmio_read(x, 0, banks[i].iir, 4, &iir)))
			return rc;
		if (iir && (rc = x_mmio_write(x, 0, banks[i].iir, 4, iir)))
			return rc;
	}
	return x_mmio_write(x, 0, 0x44200, 4, 0x80000000u);
}

static int x_irq_count(void *ctx, uint64_t *count)
{
	struct xctx *x = ctx;
	struct xsim_log_msi m[16];
	size_t total;
	int n, i, rc;

	while (x->attached) {
		n = xsim_log_msis(h.sim, h.domid, x->msi_seen, m, 16, &total);
		if (n < 0)
			return xerr(x, n, "xsim_log_msis");
		if (n == 0)
			break;
		for (i = 0; i < n; i++) {
			x->msi_seen++;
			if (m[i].addr != X_MSI_ADDR || m[i].data != X_MSI_DATA) {
				snprintf(x->err, sizeof(x->err),
					 "MSI to 0x%llx data 0x%x, programmed "
					 "0x%x data 0x%x",
					 (unsigned long long)m[i].addr,
					 m[i].data, X_MSI_ADDR, X_MSI_DATA);
				return -EPROTO;
			}
			x->handled++;
			if ((rc = x_irq_handler(x)))
				return rc;
		}
	}
	*count = x->handled;
	return 0;
}

static int x_irq_detach(void *ctx)
{
	struct xctx *x = ctx;
	uint32_t cmd;
	int rc;

	if (!x->attached)
		return xerr(x, -ENOENT, "irq-detach");
	x->attached = false;
	if ((rc = x_cfg_write(x, 0xac + 2, 2, 0)) ||
	    (rc = x_cfg_read(x, 0x04, 2, &cmd)))
		return rc;
	return x_cfg_write(x, 0x04, 2, cmd & ~0x4u);
}

static const struct scn_ops xsim_ops = {
    .cfg_read = x_cfg_read,
    .cfg_write = x_cfg_write,
    .bar_info = x_bar_info,
    .mmio_read = x_mmio_read,
    .mmio_write = x_mmio_write,
    .pio_read = x_pio_read,
    .pio_write = x_pio_write,
    .rep = x_rep,
    .irq_attach = x_irq_attach,
    .irq_count = x_irq_count,
    .irq_detach = x_irq_detach,
    .errmsg = x_errmsg,
};

/* ---- one test per scenario file --------------------------------------- */

static void setup(void)
{
	simtest_start(&h, 1, NULL);
	ck_assert_int_eq(xsim_vcpu_open(h.sim, h.domid, 0, &v), 0);
	simtest_program_bars(v);
}

static void teardown(void)
{
	xsim_vcpu_close(v);
	harness_end(&h);
}

START_TEST(scenario_file)
{
	struct scn_counts counts = {0, 0};
	struct xctx x = {.v = v};
	struct scn_script *s;
	char path[512], err[512];
	char *out = NULL;
	size_t outlen = 0;
	FILE *mem;

	ck_assert_uint_lt((unsigned)_i, nfiles);
	snprintf(path, sizeof(path), "%s/%s", SCN_SRCDIR, files[_i]);
	ck_assert_msg(scn_parse_file(path, &s, err, sizeof(err)) == 0, "%s",
		      err);
	mem = open_memstream(&out, &outlen);
	ck_assert_ptr_nonnull(mem);
	scn_run(s, &xsim_ops, &x, mem, &counts);
	fclose(mem);
	printf("# %s\n%s%u passed, %u failed\n", files[_i], out, counts.passed,
	       counts.failed);
	fflush(stdout);
	ck_assert_msg(counts.failed == 0 && counts.passed == s->nchecks,
		      "%s: %u of %zu checks failed:\n%s", files[_i],
		      counts.failed, s->nchecks, out);
	free(out);
	scn_free(s);
}
END_TEST

/*
 * The placement the language promises, seen from the device model's side:
 * the ioreqs match what real Xen sent for the same guest instructions
 * (docs: real-xen-observed.md).
 */
static int parse_str(const char *text, struct scn_script **s, char *err,
		     size_t len);

static size_t log_total(void)
{
	struct xsim_log_ioreq e;
	size_t total = 0;

	ck_assert_int_ge(xsim_log_ioreqs(h.sim, h.domid, 0, &e, 1, &total), 0);
	return total;
}

START_TEST(string_ops_reach_the_device_as_on_xen)
{
	static const struct {
		const char *step;
		unsigned n;	   /* ioreqs */
		uint32_t count[2]; /* their counts */
		uint8_t type, df, ptr;
		uint64_t data0; /* first ioreq's data (GPA or value) */
	} cases[] = {
	    {"rep-ins 4 4 4 4 up *", 1, {4}, 0, 0, 1, RAM_BUF},
	    {"rep-outs 4 4 4 4 down 1", 1, {4}, 0, 1, 1, RAM_BUF + 12},
	    {"rep-ins 4 4 4 4 up * cross", 2, {1, 3}, 0, 0, 1, RAM_BUF + 0xffc},
	    {"rep-ins 4 4 4 4 down * cross",
	     2,
	     {3, 1},
	     0,
	     1,
	     1,
	     RAM_BUF + 0x1008},
	    {"rep-movs-to 0 0xc180 4 16 0", 1, {16}, 1, 0, 1, RAM_BUF},
	    {"rep-movs-from 0 0xc180 4 16 down",
	     1,
	     {16},
	     1,
	     1,
	     1,
	     RAM_BUF + 60},
	    {"rep-stos 0 0xc180 4 16 0x5a", 1, {16}, 1, 0, 0, 0x5a},
	};
	struct xctx x = {.v = v};
	struct xsim_log_ioreq e[8];
	char text[128], err[256];

	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct scn_counts counts = {0, 0};
		struct scn_script *s;
		size_t before = log_total(), total = 0;
		int got;
		FILE *null = fopen("/dev/null", "w");

		snprintf(text, sizeof(text), "check c\n%s\n", cases[i].step);
		ck_assert_msg(parse_str(text, &s, err, sizeof(err)) == 0, "%s",
			      err);
		ck_assert_ptr_nonnull(null);
		/* Only the instruction: the read-back is not logged here. */
		ck_assert_int_eq(xsim_ops.rep(&x,
					      &(struct scn_rep){
						  .op = s->steps[0].op,
						  .bar = s->steps[0].bar,
						  .off = s->steps[0].off,
						  .size = s->steps[0].size,
						  .count = s->steps[0].count,
						  .down = s->steps[0].down,
						  .cross = s->steps[0].cross,
						  .value = s->steps[0].value,
					      },
					      (uint8_t[SCN_REP_MAX_BYTES]){0}),
				 0);
		got = xsim_log_ioreqs(h.sim, h.domid, before, e, 8, &total);
		ck_assert_int_ge(got, 0);
		ck_assert_msg((unsigned)got == cases[i].n,
			      "%s: %d ioreqs, expected %u", cases[i].step, got,
			      cases[i].n);
		for (int k = 0; k < got; k++) {
			const struct xsim_ioreq *r = &e[k].req;

			ck_assert_uint_eq(r->type, cases[i].type);
			ck_assert_uint_eq(r->count, cases[i].count[k]);
			ck_assert_uint_eq(r->df, cases[i].df);
			ck_assert_uint_eq(r->data_is_ptr, cases[i].ptr);
		}
		ck_assert_msg(e[0].req.data == cases[i].data0,
			      "%s: data 0x%llx, expected 0x%llx", cases[i].step,
			      (unsigned long long)e[0].req.data,
			      (unsigned long long)cases[i].data0);
		/* ... and the whole step passes. */
		scn_run(s, &xsim_ops, &x, null, &counts);
		fclose(null);
		ck_assert_uint_eq(counts.failed, 0);
		scn_free(s);
	}
}
END_TEST

/* ---- the parser ------------------------------------------------------- */

static int parse_str(const char *text, struct scn_script **s, char *err,
		     size_t len)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	int rc;

	ck_assert_ptr_nonnull(f);
	rc = scn_parse(f, "t.scn", s, err, len);
	fclose(f);
	return rc;
}

/* Each line of `bad` (after a valid first check) must fail at line 3. */
START_TEST(parser_rejects_malformed_lines)
{
	static const struct {
		const char *line, *msg;
	} bad[] = {
	    {"frobnicate 1 2", "unknown step 'frobnicate'"},
	    {"cfg-read 0x00 2", "cfg-read takes 3 arguments, got 2"},
	    {"cfg-read 0x00 3 0x8086", "size 3: must be 1, 2 or 4"},
	    {"cfg-read 0x00 8 0x8086", "size 8: must be 1, 2 or 4"},
	    {"cfg-read 0xfe 4 0", "beyond the 256 bytes"},
	    {"cfg-read 0x03 2 0", "crosses a dword"},
	    {"cfg-read 0x00 2 0x18086", "does not fit in 2 bytes"},
	    {"cfg-read 0x00 2 0x8086/0", "mask 0 checks nothing"},
	    {"cfg-read 0x00 2 0x8086/0x1ffff", "mask 0x1ffff does not fit"},
	    {"cfg-write 0x0c 1 0x100", "value 0x100 does not fit in 1 byte"},
	    {"cfg-read zero 2 0", "register: 'zero' is not a number"},
	    {"cfg-read -1 2 0", "'-1' is not a number"},
	    {"cfg-read 0x1g 2 0", "'0x1g' is not a number"},
	    {"mmio-read 4 0 4 0", "must be a memory BAR (0 or 2)"},
	    {"mmio-read 1 0 4 0", "must be a memory BAR (0 or 2)"},
	    {"mmio-read 0 0 16 0", "size 16: must be 1, 2, 4 or 8"},
	    {"pio-read 0 0 4 0", "must be the I/O BAR (4)"},
	    {"pio-read 4 0 8 0", "size 8: must be 1, 2 or 4"},
	    {"port-read 0xffff 2 0", "beyond 0xffff"},
	    {"bar-size 3 0x100", "BAR 3: must be 0, 2 or 4"},
	    {"bar-flags 0 mem48", "BAR kind 'mem48'"},
	    {"rep-outs 4 4 4 4 sideways 1", "direction 'sideways'"},
	    {"rep-outs 4 4 4 0 up 1", "count 0: must be 1 to 1024"},
	    {"rep-ins 4 4 4 1025 up 0", "count 1025: must be 1 to 1024"},
	    {"rep-movs-from 0 0 4 4 cross cross", "'cross' given twice"},
	    {"rep-ins 4 4 4 4 up 0 cross x", "takes 6 to 7 arguments, got 8"},
	    {"rep-ins 4 4 4 1 up 0 cross", "needs a count of 2"},
	    {"rep-ins 4 4 4 4 up 0 down", "direction given twice"},
	    {"rep-ins 4 4 4 4 up 0 sideways", "unexpected word 'sideways'"},
	    {"rep-stos 0 0xc180 4 4 1 cross", "rep-stos has no RAM buffer"},
	    {"rep-movs-to 0 0xc180 4 4", "takes 5 to 7 arguments, got 4"},
	    {"rep-movs-from 0 0xc180 4 4 cross 7", "unexpected word '7'"},
	    {"rep-movs-to 4 0 4 4 1", "must be a memory BAR"},
	    {"check", "check needs a name"},
	    {"check a: b", "may not contain ':'"},
	    {"check first", "check 'first' already defined on line 1"},
	    {"mmio-read 0 0 4 0 0 0 0 0 0 0 0 0 0 0 0 0 0", "more than 16"},
	};
	char text[256], err[256];
	struct scn_script *s;

	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(text, sizeof(text),
			 "check first\ncfg-read 0 2 0x8086\n%s\n", bad[i].line);
		ck_assert_msg(parse_str(text, &s, err, sizeof(err)) == -EINVAL,
			      "accepted: %s", bad[i].line);
		ck_assert_ptr_null(s);
		ck_assert_msg(strncmp(err, "t.scn:3: ", 9) == 0,
			      "'%s': error '%s' does not name line 3",
			      bad[i].line, err);
		ck_assert_msg(strstr(err, bad[i].msg) != NULL,
			      "'%s': error '%s' lacks '%s'", bad[i].line, err,
			      bad[i].msg);
	}
}
END_TEST

START_TEST(parser_rejects_empty_checks_and_files)
{
	char err[256];
	struct scn_script *s;

	ck_assert_int_eq(parse_str("# nothing\n\n", &s, err, sizeof(err)),
			 -EINVAL);
	ck_assert_str_eq(err, "t.scn:2: no check in the file");
	ck_assert_int_eq(parse_str("check a\ncheck b\ncfg-read 0 2 *\n", &s,
				   err, sizeof(err)),
			 -EINVAL);
	ck_assert_str_eq(err, "t.scn:2: check 'a' (line 1) has no steps");
	ck_assert_int_eq(parse_str("check a\ncfg-read 0 2 *\n\ncheck  b c \n"
				   "# trailing\n",
				   &s, err, sizeof(err)),
			 -EINVAL);
	ck_assert_str_eq(err, "t.scn:4: check 'b c' has no steps");
}
END_TEST

START_TEST(parser_accepts_the_language)
{
	static const char text[] =
	    "# SPDX-License-Identifier: MIT\n"
	    "pio-write 4 0 4 0xc19c   # setup\n"
	    "check  two   words\n"
	    "\tcfg-read 0x00 2 0x8086\n"
	    "cfg-read 0x06 2 0x10/0x10\n"
	    "cfg-read 0x3c 1 *\n"
	    "bar-size 0 0x1000000\n"
	    "bar-flags 2 mem64-pref\n"
	    "check strings\n"
	    "rep-outs 4 4 4 4 down 0x30 cross\n"
	    "rep-ins 4 4 2 8 up 0xef01/0xff\n"
	    "rep-movs-to 0 0xc180 8 2 0xffffffffffffffff down cross\n"
	    "rep-movs-from 0 0xc180 4 16\n"
	    "rep-movs-from 0 0xc180 4 16 0x1000 cross\n"
	    "rep-stos 0 0xc180 1 8 0x5a down\n"
	    "port-read 0x2e0 4 0xffffffff\n";
	char err[256], *out = NULL;
	size_t outlen = 0;
	struct scn_script *s, *s2;
	FILE *f;

	ck_assert_msg(parse_str(text, &s, err, sizeof(err)) == 0, "%s", err);
	ck_assert_uint_eq(s->nsetup, 1);
	ck_assert_uint_eq(s->nchecks, 2);
	ck_assert_str_eq(s->checks[0].name, "two words");
	ck_assert_uint_eq(s->checks[0].line, 3);
	ck_assert_uint_eq(s->checks[0].nsteps, 5);
	ck_assert_uint_eq(s->checks[1].nsteps, 7);
	ck_assert_int_eq(s->steps[2].op, SCN_CFG_READ);
	ck_assert_uint_eq(s->steps[2].expect.value, 0x10);
	ck_assert_uint_eq(s->steps[2].expect.mask, 0x10);
	ck_assert_uint_eq(s->steps[3].expect.mask, 0);
	ck_assert_int_eq(s->steps[5].kind, SCN_BAR_MEM64_PREF);
	ck_assert(s->steps[6].down && s->steps[6].cross);
	ck_assert_uint_eq(s->steps[6].value, 0x30);
	ck_assert_uint_eq(s->steps[6].line, 10);
	ck_assert(!s->steps[7].down && !s->steps[7].cross);
	ck_assert_uint_eq(s->steps[8].value, ~0ull);
	ck_assert(s->steps[8].down && s->steps[8].cross);
	ck_assert(!s->steps[9].has_value);
	ck_assert(s->steps[10].has_value && s->steps[10].cross);
	ck_assert_uint_eq(s->steps[10].value, 0x1000);
	ck_assert(s->steps[11].down);
	ck_assert_uint_eq(s->steps[12].bar, SCN_NO_BAR);

	/* What --dry-run prints is itself a scenario that parses the same. */
	f = open_memstream(&out, &outlen);
	scn_print(s, f);
	fclose(f);
	ck_assert_msg(parse_str(out, &s2, err, sizeof(err)) == 0, "%s\n%s", err,
		      out);
	ck_assert_uint_eq(s2->nsteps, s->nsteps);
	ck_assert_uint_eq(s2->nchecks, s->nchecks);
	for (size_t i = 0; i < s->nsteps; i++) {
		struct scn_step a = s->steps[i], b = s2->steps[i];

		a.line = b.line = 0;
		ck_assert_msg(memcmp(&a, &b, sizeof(a)) == 0,
			      "step %zu differs after printing:\n%s", i, out);
	}
	free(out);
	scn_free(s2);
	scn_free(s);
}
END_TEST

/* A backend that fails every read shows up as FAIL lines, not a crash. */
static int fake_cfg_read(void *ctx, unsigned reg, unsigned size, uint32_t *val)
{
	*val = reg == 0 ? 0x8086 : 0;
	return reg == 0x40 ? -EIO : 0;
}

START_TEST(interpreter_reports_each_check)
{
	static const char text[] = "cfg-read 0 2 0x1234\n"
				   "check ok\ncfg-read 0 2 0x8086\n"
				   "check wrong\ncfg-read 2 2 0x1912\n"
				   "cfg-read 0 2 0x8086\n"
				   "check broken\ncfg-read 0x40 4 *\n"
				   "check masked\ncfg-read 0 2 0x0006/0x000f\n";
	static const struct scn_ops ops = {.cfg_read = fake_cfg_read};
	struct scn_counts counts = {0, 0};
	struct scn_script *s;
	char err[256], *out = NULL;
	size_t outlen = 0;
	FILE *f;

	ck_assert_msg(parse_str(text, &s, err, sizeof(err)) == 0, "%s", err);
	f = open_memstream(&out, &outlen);
	scn_run(s, &ops, NULL, f, &counts);
	fclose(f);
	ck_assert_uint_eq(counts.passed, 2);
	ck_assert_uint_eq(counts.failed, 3);
	ck_assert_str_eq(out,
			 "FAIL: setup: line 1: cfg-read 0x0 2 0x1234: read "
			 "0x8086, expected 0x1234\n"
			 "PASS: ok\n"
			 "FAIL: wrong: line 5: cfg-read 0x2 2 0x1912: read 0x0,"
			 " expected 0x1912\n"
			 "FAIL: broken: line 8: cfg-read 0x40 4 *: error: "
			 "Input/output error\n"
			 "PASS: masked\n");
	free(out);
	scn_free(s);
}
END_TEST

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void find_files(void)
{
	DIR *d = opendir(SCN_SRCDIR);
	struct dirent *e;

	if (!d) {
		perror(SCN_SRCDIR);
		exit(EXIT_FAILURE);
	}
	while ((e = readdir(d)) && nfiles < 64) {
		size_t n = strlen(e->d_name);

		if (n > 4 && strcmp(e->d_name + n - 4, ".scn") == 0)
			files[nfiles++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(files, nfiles, sizeof(files[0]), cmp_str);
}

int main(void)
{
	Suite *s = suite_create("scenarios");
	TCase *tp = tcase_create("parser");
	TCase *tc = tcase_create("xensim");

	find_files();
	if (!nfiles) {
		fprintf(stderr, "no .scn files in %s\n", SCN_SRCDIR);
		return EXIT_FAILURE;
	}
	for (unsigned i = 0; i < nfiles; i++)
		printf("# test %u: %s\n", i, files[i]);
	tcase_add_test(tp, parser_rejects_malformed_lines);
	tcase_add_test(tp, parser_rejects_empty_checks_and_files);
	tcase_add_test(tp, parser_accepts_the_language);
	tcase_add_test(tp, interpreter_reports_each_check);
	suite_add_tcase(s, tp);

	tcase_set_timeout(tc, 120);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, scenario_file, 0, (int)nfiles);
	tcase_add_test(tc, string_ops_reach_the_device_as_on_xen);
	suite_add_tcase(s, tc);
	return simtest_run(s);
}
