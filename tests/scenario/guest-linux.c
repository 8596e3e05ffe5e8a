/* SPDX-License-Identifier: MIT */
/*
 * guest-linux.c - xengt-guest-check, the scenario executor that runs inside
 * a Linux HVM guest (static, from a busybox initramfs, as root).
 *
 *   xengt-guest-check [-d 0000:00:02.0] [--dry-run] FILE.scn...
 *
 * Config space through the sysfs `config` file (Linux uses CF8/CFC, so each
 * access reaches the device model as one PCI_CONFIG ioreq), BAR placement
 * from sysfs `resource`, MMIO through an mmap of `resourceN` with single
 * mov instructions of the exact size, ports and string instructions with
 * inline assembly on buffers in this process's (locked) memory.
 * Interrupts through the xengt_irqtest driver (tests/xen/irqtest), bound
 * with driver_override and counted in /proc/interrupts.
 */
#include "scenario.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#if defined(__x86_64__)
#include <sys/io.h>
#define HAVE_X86_64 1
#else
#define HAVE_X86_64 0
#endif

/* include/linux/ioport.h */
#define IORESOURCE_IO 0x00000100ull
#define IORESOURCE_MEM 0x00000200ull
#define IORESOURCE_PREFETCH 0x00002000ull
#define IORESOURCE_MEM_64 0x00100000ull

#define NR_BARS 6

#define IRQ_DRIVER "xengt_irqtest"

struct guest {
	char dir[160];
	char bdf[40];
	bool irq_attached;
	uint64_t irq_base; /* /proc/interrupts count at attach */
	int cfg_fd;
	volatile uint8_t *map[NR_BARS];
	uint64_t maplen[NR_BARS];
	int io_state; /* 0 untried, 1 iopl(3), -1 ioperm per access */
	uint8_t *buf; /* two locked pages for string instructions */
	size_t page;
	char err[256];
};

__attribute__((format(printf, 3, 4))) static int gerr(struct guest *g, int e,
						      const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(g->err, sizeof(g->err), fmt, ap);
	va_end(ap);
	return e > 0 ? -e : e ? e : -EIO;
}

static const char *g_errmsg(void *ctx)
{
	return ((struct guest *)ctx)->err;
}

/* ---- sysfs ------------------------------------------------------------ */

struct res {
	uint64_t start, end, flags;
};

static int read_resource(struct guest *g, unsigned bar, struct res *r)
{
	char path[192], line[160];
	FILE *f;
	unsigned i = 0;
	int rc = -ENOENT;

	snprintf(path, sizeof(path), "%s/resource", g->dir);
	f = fopen(path, "re");
	if (!f)
		return gerr(g, errno, "%s: %s", path, strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		if (i++ != bar)
			continue;
		if (sscanf(line, "%" SCNx64 " %" SCNx64 " %" SCNx64, &r->start,
			   &r->end, &r->flags) == 3)
			rc = 0;
		break;
	}
	fclose(f);
	if (rc)
		return gerr(g, rc, "%s: no line for BAR %u", path, bar);
	return 0;
}

static uint64_t res_size(const struct res *r)
{
	return r->start || r->end ? r->end - r->start + 1 : 0;
}

static int g_bar_info(void *ctx, unsigned bar, uint64_t *size,
		      enum scn_bar_kind *kind)
{
	struct guest *g = ctx;
	struct res r;
	int rc = read_resource(g, bar, &r);

	if (rc)
		return rc;
	*size = res_size(&r);
	if (!*size)
		*kind = SCN_BAR_NONE;
	else if (r.flags & IORESOURCE_IO)
		*kind = SCN_BAR_IO;
	else if (r.flags & IORESOURCE_MEM)
		*kind =
		    (r.flags & IORESOURCE_MEM_64
			 ? (r.flags & IORESOURCE_PREFETCH ? SCN_BAR_MEM64_PREF
							  : SCN_BAR_MEM64)
			 : (r.flags & IORESOURCE_PREFETCH ? SCN_BAR_MEM32_PREF
							  : SCN_BAR_MEM32));
	else
		*kind = SCN_BAR_NONE;
	return 0;
}

static int g_cfg_read(void *ctx, unsigned reg, unsigned size, uint32_t *val)
{
	struct guest *g = ctx;
	uint8_t b[4];
	ssize_t n = pread(g->cfg_fd, b, size, reg);

	if (n != (ssize_t)size)
		return gerr(g, n < 0 ? errno : EIO,
			    "config read 0x%x size %u: %s", reg, size,
			    n < 0 ? strerror(errno) : "short read");
	*val = 0;
	for (unsigned i = 0; i < size; i++)
		*val |= (uint32_t)b[i] << (8 * i);
	return 0;
}

static int g_cfg_write(void *ctx, unsigned reg, unsigned size, uint32_t val)
{
	struct guest *g = ctx;
	uint8_t b[4];
	ssize_t n;

	for (unsigned i = 0; i < size; i++)
		b[i] = (uint8_t)(val >> (8 * i));
	n = pwrite(g->cfg_fd, b, size, reg);
	if (n != (ssize_t)size)
		return gerr(g, n < 0 ? errno : EIO,
			    "config write 0x%x size %u: %s", reg, size,
			    n < 0 ? strerror(errno) : "short write");
	return 0;
}

/* Map BAR `bar` (whole) and check [off, off + len) lies inside it. */
static int bar_ptr(struct guest *g, unsigned bar, uint64_t off, uint64_t len,
		   volatile uint8_t **p)
{
	char path[192];
	struct res r;
	void *m;
	int fd, rc;

	if (bar >= NR_BARS)
		return gerr(g, EINVAL, "no BAR %u", bar);
	if (!g->map[bar]) {
		rc = read_resource(g, bar, &r);
		if (rc)
			return rc;
		if (!res_size(&r) || !(r.flags & IORESOURCE_MEM))
			return gerr(g, ENODEV, "BAR %u is not a memory BAR",
				    bar);
		snprintf(path, sizeof(path), "%s/resource%u", g->dir, bar);
		fd = open(path, O_RDWR | O_SYNC | O_CLOEXEC);
		if (fd < 0)
			return gerr(g, errno, "%s: %s", path, strerror(errno));
		m = mmap(NULL, res_size(&r), PROT_READ | PROT_WRITE, MAP_SHARED,
			 fd, 0);
		rc = errno;
		close(fd);
		if (m == MAP_FAILED)
			return gerr(g, rc, "mmap %s: %s", path, strerror(rc));
		g->map[bar] = m;
		g->maplen[bar] = res_size(&r);
	}
	if (off > g->maplen[bar] || len > g->maplen[bar] - off)
		return gerr(g, ERANGE,
			    "offset 0x%" PRIx64 " + %" PRIu64
			    " is beyond BAR %u (0x%" PRIx64 " bytes)",
			    off, len, bar, g->maplen[bar]);
	*p = g->map[bar] + off;
	return 0;
}

static int port_of(struct guest *g, unsigned bar, uint64_t off, uint64_t len,
		   uint16_t *port)
{
	struct res r;
	int rc;

	if (bar == SCN_NO_BAR) {
		*port = (uint16_t)off;
		return 0;
	}
	rc = read_resource(g, bar, &r);
	if (rc)
		return rc;
	if (!res_size(&r) || !(r.flags & IORESOURCE_IO))
		return gerr(g, ENODEV, "BAR %u is not an I/O BAR", bar);
	if (off > res_size(&r) || len > res_size(&r) - off)
		return gerr(g, ERANGE, "offset 0x%" PRIx64 " is beyond BAR %u",
			    off, bar);
	*port = (uint16_t)(r.start + off);
	return 0;
}

#if HAVE_X86_64

static int io_allow(struct guest *g, uint16_t port, unsigned len)
{
	if (!g->io_state)
		g->io_state = iopl(3) == 0 ? 1 : -1;
	if (g->io_state > 0)
		return 0;
	if (ioperm(port, len, 1) < 0)
		return gerr(g, errno, "iopl(3) and ioperm(0x%x, %u): %s", port,
			    len, strerror(errno));
	return 0;
}

/* ---- faults: a bad access fails its step, not the whole run ----------- */

static sigjmp_buf fault_jmp;
static volatile sig_atomic_t fault_armed, fault_sig;

static void on_fault(int sig)
{
	if (!fault_armed) {
		signal(sig, SIG_DFL);
		raise(sig);
		return;
	}
	fault_sig = sig;
	fault_armed = 0;
	siglongjmp(fault_jmp, 1);
}

/* The access itself, one machine instruction (or one rep string one). */
struct access {
	int kind;
	volatile void *p; /* MMIO side */
	void *mem;	  /* RAM side of string instructions */
	uint16_t port;
	unsigned size;
	unsigned long count;
	bool down;
	uint64_t val;
};

enum {
	A_MMIO_RD,
	A_MMIO_WR,
	A_IN,
	A_OUT,
	A_INS,
	A_OUTS,
	A_MOVS_TO,
	A_MOVS_FROM,
	A_STOS,
};

static void mmio_read(struct access *a)
{
	switch (a->size) {
	case 1: {
		uint8_t v;

		asm volatile("movb %1, %0"
			     : "=q"(v)
			     : "m"(*(volatile uint8_t *)a->p));
		a->val = v;
		break;
	}
	case 2: {
		uint16_t v;

		asm volatile("movw %1, %0"
			     : "=r"(v)
			     : "m"(*(volatile uint16_t *)a->p));
		a->val = v;
		break;
	}
	case 4: {
		uint32_t v;

		asm volatile("movl %1, %0"
			     : "=r"(v)
			     : "m"(*(volatile uint32_t *)a->p));
		a->val = v;
		break;
	}
	case 8: {
		uint64_t v;

		asm volatile("movq %1, %0"
			     : "=r"(v)
			     : "m"(*(volatile uint64_t *)a->p));
		a->val = v;
		break;
	}
	}
}

static void mmio_write(struct access *a)
{
	switch (a->size) {
	case 1:
		asm volatile("movb %1, %0"
			     : "=m"(*(volatile uint8_t *)a->p)
			     : "q"((uint8_t)a->val)
			     : "memory");
		break;
	case 2:
		asm volatile("movw %1, %0"
			     : "=m"(*(volatile uint16_t *)a->p)
			     : "r"((uint16_t)a->val)
			     : "memory");
		break;
	case 4:
		asm volatile("movl %1, %0"
			     : "=m"(*(volatile uint32_t *)a->p)
			     : "r"((uint32_t)a->val)
			     : "memory");
		break;
	case 8:
		asm volatile("movq %1, %0"
			     : "=m"(*(volatile uint64_t *)a->p)
			     : "r"(a->val)
			     : "memory");
		break;
	}
}

static void port_in(struct access *a)
{
	switch (a->size) {
	case 1: {
		uint8_t v;

		asm volatile("inb %w1, %b0" : "=a"(v) : "Nd"(a->port));
		a->val = v;
		break;
	}
	case 2: {
		uint16_t v;

		asm volatile("inw %w1, %w0" : "=a"(v) : "Nd"(a->port));
		a->val = v;
		break;
	}
	case 4: {
		uint32_t v;

		asm volatile("inl %w1, %0" : "=a"(v) : "Nd"(a->port));
		a->val = v;
		break;
	}
	}
}

static void port_out(struct access *a)
{
	switch (a->size) {
	case 1:
		asm volatile("outb %b0, %w1"
			     :
			     : "a"((uint8_t)a->val), "Nd"(a->port));
		break;
	case 2:
		asm volatile("outw %w0, %w1"
			     :
			     : "a"((uint16_t)a->val), "Nd"(a->port));
		break;
	case 4:
		asm volatile("outl %0, %w1"
			     :
			     : "a"((uint32_t)a->val), "Nd"(a->port));
		break;
	}
}

/*
 * String instructions.  DF is set and cleared inside the same asm
 * statement, so compiled code never runs with DF=1.
 */
/* clang-format off */
#define STRING_OP(insn, outputs, inputs)				\
	do {								\
		if (a->down)						\
			asm volatile("std\n\trep " insn "\n\tcld"		\
				     : outputs : inputs : "memory", "cc");	\
		else							\
			asm volatile("rep " insn			\
				     : outputs : inputs : "memory", "cc");	\
	} while (0)

#define SIZED_IO(macro)							\
	do {								\
		switch (a->size) {					\
		case 1: macro("b"); break;				\
		case 2: macro("w"); break;				\
		case 4: macro("l"); break;				\
		}							\
	} while (0)

#define SIZED(macro)							\
	do {								\
		if (a->size == 8)					\
			macro("q");					\
		else							\
			SIZED_IO(macro);				\
	} while (0)

#define COMMA ,
#define INS(s)		STRING_OP("ins" s, "+D"(mem) COMMA "+c"(n), "d"(port))
#define OUTS(s)		STRING_OP("outs" s, "+S"(mem) COMMA "+c"(n), "d"(port))
#define MOVS_TO(s)	STRING_OP("movs" s, "+S"(mem) COMMA "+D"(dev) COMMA "+c"(n), )
#define MOVS_FROM(s)	STRING_OP("movs" s, "+S"(dev) COMMA "+D"(mem) COMMA "+c"(n), )
#define STOS(s)		STRING_OP("stos" s, "+D"(dev) COMMA "+c"(n), "a"(val))
/* clang-format on */

static void string_op(struct access *a)
{
	unsigned long n = a->count;
	void *mem = a->mem;
	void *dev = (void *)a->p;
	uint16_t port = a->port;
	uint64_t val = a->val;

	switch (a->kind) {
	case A_INS:
		SIZED_IO(INS);
		break;
	case A_OUTS:
		SIZED_IO(OUTS);
		break;
	case A_MOVS_TO:
		SIZED(MOVS_TO);
		break;
	case A_MOVS_FROM:
		SIZED(MOVS_FROM);
		break;
	case A_STOS:
		SIZED(STOS);
		break;
	}
}

static void do_access(struct access *a)
{
	switch (a->kind) {
	case A_MMIO_RD:
		mmio_read(a);
		break;
	case A_MMIO_WR:
		mmio_write(a);
		break;
	case A_IN:
		port_in(a);
		break;
	case A_OUT:
		port_out(a);
		break;
	default:
		string_op(a);
		break;
	}
}

static int guarded(struct guest *g, struct access *a)
{
	if (sigsetjmp(fault_jmp, 1)) {
		asm volatile("cld");
		return gerr(g, EFAULT, "%s during the access%s",
			    strsignal(fault_sig),
			    a->kind == A_IN || a->kind == A_OUT ||
				    a->kind == A_INS || a->kind == A_OUTS
				? " (no I/O permission?)"
				: "");
	}
	fault_armed = 1;
	do_access(a);
	fault_armed = 0;
	return 0;
}

static void install_fault_handlers(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_fault;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
}

static int g_mmio_read(void *ctx, unsigned bar, uint64_t off, unsigned size,
		       uint64_t *val)
{
	struct guest *g = ctx;
	struct access a = {.kind = A_MMIO_RD, .size = size};
	volatile uint8_t *p;
	int rc = bar_ptr(g, bar, off, size, &p);

	if (rc)
		return rc;
	a.p = p;
	rc = guarded(g, &a);
	*val = a.val;
	return rc;
}

static int g_mmio_write(void *ctx, unsigned bar, uint64_t off, unsigned size,
			uint64_t val)
{
	struct guest *g = ctx;
	struct access a = {.kind = A_MMIO_WR, .size = size, .val = val};
	volatile uint8_t *p;
	int rc = bar_ptr(g, bar, off, size, &p);

	if (rc)
		return rc;
	a.p = p;
	return guarded(g, &a);
}

static int g_pio_read(void *ctx, unsigned bar, uint64_t off, unsigned size,
		      uint32_t *val)
{
	struct guest *g = ctx;
	struct access a = {.kind = A_IN, .size = size};
	int rc = port_of(g, bar, off, size, &a.port);

	if (rc || (rc = io_allow(g, a.port, size)))
		return rc;
	rc = guarded(g, &a);
	*val = (uint32_t)a.val;
	return rc;
}

static int g_pio_write(void *ctx, unsigned bar, uint64_t off, unsigned size,
		       uint32_t val)
{
	struct guest *g = ctx;
	struct access a = {.kind = A_OUT, .size = size, .val = val};
	int rc = port_of(g, bar, off, size, &a.port);

	if (rc || (rc = io_allow(g, a.port, size)))
		return rc;
	return guarded(g, &a);
}

static int g_rep(void *ctx, const struct scn_rep *r, void *items)
{
	struct guest *g = ctx;
	struct access a = {.size = r->size,
			   .count = r->count,
			   .down = r->down,
			   .val = r->value};
	size_t bytes = (size_t)r->count * r->size;
	uint64_t last = (uint64_t)(r->count - 1) * r->size;
	uint8_t *start = r->cross ? g->buf + g->page - r->size : g->buf;
	volatile uint8_t *p = NULL;
	int rc;

	switch (r->op) {
	case SCN_REP_INS:
		a.kind = A_INS;
		break;
	case SCN_REP_OUTS:
		a.kind = A_OUTS;
		break;
	case SCN_REP_MOVS_TO:
		a.kind = A_MOVS_TO;
		break;
	case SCN_REP_MOVS_FROM:
		a.kind = A_MOVS_FROM;
		break;
	default:
		a.kind = A_STOS;
		break;
	}
	if (a.kind == A_INS || a.kind == A_OUTS) {
		rc = port_of(g, r->bar, r->off, r->size, &a.port);
		if (rc || (rc = io_allow(g, a.port, r->size)))
			return rc;
	} else {
		rc = bar_ptr(g, r->bar, r->off, bytes, &p);
		if (rc)
			return rc;
		a.p = r->down ? p + last : p;
	}
	if (a.kind == A_OUTS || a.kind == A_MOVS_TO)
		memcpy(start, items, bytes);
	else
		memset(start, 0xa5, bytes);
	a.mem = r->down ? start + last : start;
	rc = guarded(g, &a);
	if (rc)
		return rc;
	if (a.kind == A_INS || a.kind == A_MOVS_FROM)
		memcpy(items, start, bytes);
	return 0;
}

/* ---- interrupts --------------------------------------------------------- */

static const char *env_or(const char *name, const char *def)
{
	const char *v = getenv(name);

	return v && *v ? v : def;
}

static int write_file(struct guest *g, const char *path, const char *text)
{
	/* O_TRUNC as a shell's ">" (sysfs ignores it; stand-in files need it) */
	int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return gerr(g, errno, "%s: %s", path, strerror(errno));
	n = write(fd, text, strlen(text));
	if (n != (ssize_t)strlen(text)) {
		int e = n < 0 ? errno : EIO;

		close(fd);
		return gerr(g, e, "writing '%s' to %s: %s", text, path,
			    strerror(e));
	}
	close(fd);
	return 0;
}

/*
 * The driver's line in /proc/interrupts ("  NN:  c0  c1 ... chip ...
 * xengt_irqtest"): the sum of its per-CPU counts.  -ENOENT: no such line.
 */
static int irq_total(struct guest *g, uint64_t *total)
{
	const char *path = env_or("XENGT_GUEST_INTERRUPTS", "/proc/interrupts");
	char line[1024];
	FILE *f = fopen(path, "re");
	int rc = -ENOENT;

	if (!f)
		return gerr(g, errno, "%s: %s", path, strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		char *save = NULL, *tok;
		uint64_t sum = 0;
		bool counting = true;
		size_t n = strlen(line);

		while (n && (line[n - 1] == '\n' || line[n - 1] == ' '))
			line[--n] = 0;
		tok = strrchr(line, ' ');
		if (!tok || strcmp(tok + 1, IRQ_DRIVER) != 0)
			continue;
		tok = strtok_r(line, " ", &save); /* "NN:" */
		while ((tok = strtok_r(NULL, " ", &save))) {
			char *end;
			unsigned long long c;

			if (!counting)
				continue;
			c = strtoull(tok, &end, 10);
			if (*end || end == tok)
				counting = false;
			else
				sum += c;
		}
		*total = sum;
		rc = 0;
		break;
	}
	fclose(f);
	if (rc)
		gerr(g, rc, "no %s line in %s", IRQ_DRIVER, path);
	return rc;
}

static int g_irq_attach(void *ctx)
{
	struct guest *g = ctx;
	const char *drivers = env_or("XENGT_GUEST_DRIVERS",
				     "/sys/bus/pci/drivers");
	char path[256];
	int rc;

	if (g->irq_attached)
		return gerr(g, EBUSY, "already attached");
	snprintf(path, sizeof(path), "%s/%s", drivers, IRQ_DRIVER);
	if (access(path, F_OK) != 0)
		return gerr(g, ENOENT,
			    "%s: no %s driver in this guest (insmod "
			    "%s.ko, built by tests/xen)",
			    path, IRQ_DRIVER, IRQ_DRIVER);
	snprintf(path, sizeof(path), "%s/driver_override", g->dir);
	if ((rc = write_file(g, path, IRQ_DRIVER)))
		return rc;
	snprintf(path, sizeof(path), "%s/%s/bind", drivers, IRQ_DRIVER);
	if ((rc = write_file(g, path, g->bdf)))
		return rc;
	if ((rc = irq_total(g, &g->irq_base)))
		return rc;
	g->irq_attached = true;
	return 0;
}

static int g_irq_count(void *ctx, uint64_t *count)
{
	struct guest *g = ctx;
	uint64_t now;
	int rc;

	*count = 0;
	if (!g->irq_attached)
		return 0;
	if ((rc = irq_total(g, &now)))
		return rc;
	*count = now - g->irq_base;
	return 0;
}

static int g_irq_detach(void *ctx)
{
	struct guest *g = ctx;
	const char *drivers = env_or("XENGT_GUEST_DRIVERS",
				     "/sys/bus/pci/drivers");
	char path[256];
	uint64_t n = 0;
	int rc;

	if (!g->irq_attached)
		return gerr(g, ENOENT, "not attached");
	if (g_irq_count(g, &n) == 0)
		printf("INFO: interrupts: %s handled %" PRIu64
		       " MSIs from the vGPU (/proc/interrupts)\n",
		       IRQ_DRIVER, n);
	g->irq_attached = false;
	snprintf(path, sizeof(path), "%s/%s/unbind", drivers, IRQ_DRIVER);
	if ((rc = write_file(g, path, g->bdf)))
		return rc;
	snprintf(path, sizeof(path), "%s/driver_override", g->dir);
	return write_file(g, path, "\n");
}

static const struct scn_ops guest_ops = {
    .cfg_read = g_cfg_read,
    .cfg_write = g_cfg_write,
    .bar_info = g_bar_info,
    .mmio_read = g_mmio_read,
    .mmio_write = g_mmio_write,
    .pio_read = g_pio_read,
    .pio_write = g_pio_write,
    .rep = g_rep,
    .irq_attach = g_irq_attach,
    .irq_count = g_irq_count,
    .irq_detach = g_irq_detach,
    .errmsg = g_errmsg,
};

/* Open the device; a note on stdout ('#') for what a reader would want. */
static int guest_open(struct guest *g, const char *bdf)
{
	const char *sysfs = getenv("XENGT_GUEST_SYSFS");
	char path[192];
	uint32_t id = 0, cmd = 0;
	int fd;

	memset(g, 0, sizeof(*g));
	g->cfg_fd = -1;
	snprintf(g->bdf, sizeof(g->bdf), "%s", bdf);
	/* A stand-in tree for tests on machines without the device. */
	if (!sysfs || !*sysfs)
		sysfs = "/sys/bus/pci/devices";
	snprintf(g->dir, sizeof(g->dir), "%s/%s", sysfs, bdf);
	snprintf(path, sizeof(path), "%s/config", g->dir);
	g->cfg_fd = open(path, O_RDWR | O_CLOEXEC);
	if (g->cfg_fd < 0) {
		fprintf(stderr, "xengt-guest-check: %s: %s\n", path,
			strerror(errno));
		return -1;
	}
	if (g_cfg_read(g, 0, 4, &id) || g_cfg_read(g, 4, 2, &cmd)) {
		fprintf(stderr, "xengt-guest-check: %s\n", g->err);
		return -1;
	}
	printf("# device %s: %04x:%04x, COMMAND 0x%04x\n", bdf, id & 0xffff,
	       id >> 16, cmd);
	if ((cmd & 3) != 3) {
		/* Let the kernel turn decode on as a driver would. */
		snprintf(path, sizeof(path), "%s/enable", g->dir);
		fd = open(path, O_WRONLY | O_CLOEXEC);
		if (fd >= 0) {
			if (write(fd, "1", 1) != 1)
				printf("# writing 1 to %s: %s\n", path,
				       strerror(errno));
			close(fd);
		}
		g_cfg_read(g, 4, 2, &cmd);
		printf("# decode was off; COMMAND now 0x%04x\n", cmd);
	}
	for (unsigned bar = 0; bar < NR_BARS; bar++) {
		struct res r;

		if (read_resource(g, bar, &r) == 0 && res_size(&r))
			printf("# BAR%u at 0x%" PRIx64 ", 0x%" PRIx64
			       " bytes, flags 0x%" PRIx64 "\n",
			       bar, r.start, res_size(&r), r.flags);
	}
	g->page = (size_t)sysconf(_SC_PAGESIZE);
	if (posix_memalign((void **)&g->buf, g->page, 2 * g->page)) {
		fprintf(stderr, "xengt-guest-check: out of memory\n");
		return -1;
	}
	memset(g->buf, 0, 2 * g->page);
	if (mlock(g->buf, 2 * g->page) < 0)
		printf("# mlock: %s (continuing)\n", strerror(errno));
	if (geteuid() != 0)
		printf("# not root: config beyond 0x40, writes, mmap and port "
		       "I/O will fail\n");
	install_fault_handlers();
	return 0;
}

static void guest_close(struct guest *g)
{
	for (unsigned bar = 0; bar < NR_BARS; bar++)
		if (g->map[bar])
			munmap((void *)g->map[bar], g->maplen[bar]);
	if (g->cfg_fd >= 0)
		close(g->cfg_fd);
	if (g->buf) {
		munlock(g->buf, 2 * g->page);
		free(g->buf);
	}
}

#endif /* HAVE_X86_64 */

static void usage(FILE *f)
{
	fprintf(f, "usage: xengt-guest-check [-d DOMAIN:BUS:DEV.FN] "
		   "[--dry-run] FILE.scn...\n"
		   "Runs vGPU scenarios (tests/scenario/README.md) against "
		   "the PCI device\n(default 0000:00:02.0); prints one "
		   "PASS/FAIL line per check and a summary.\n"
		   "  -d, --device BDF  the device in sysfs\n"
		   "  -n, --dry-run     parse the files and print their "
		   "steps; touch no device\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"device", required_argument, NULL, 'd'},
	    {"dry-run", no_argument, NULL, 'n'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *bdf = "0000:00:02.0";
	struct scn_counts counts = {0, 0};
	struct scn_script **scripts;
	bool dry = false;
	size_t nfiles, nchecks = 0;
	char err[512];
	int c, bad = 0;

	while ((c = getopt_long(argc, argv, "d:nh", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			bdf = optarg;
			break;
		case 'n':
			dry = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return 2;
	}
	if (strchr(bdf, '/') || strlen(bdf) > 32) {
		fprintf(stderr, "xengt-guest-check: bad device '%s'\n", bdf);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);

	/* Parse everything first: a typo fails before the device is touched. */
	nfiles = (size_t)(argc - optind);
	scripts = calloc(nfiles, sizeof(*scripts));
	if (!scripts)
		return 2;
	for (size_t i = 0; i < nfiles; i++) {
		if (scn_parse_file(argv[optind + (int)i], &scripts[i], err,
				   sizeof(err))) {
			fprintf(stderr, "xengt-guest-check: %s\n", err);
			bad = 1;
		} else {
			nchecks += scripts[i]->nchecks;
		}
	}
	if (bad)
		return 2;

	if (dry) {
		for (size_t i = 0; i < nfiles; i++)
			scn_print(scripts[i], stdout);
		printf("# dry run: %zu check%s in %zu file%s\n", nchecks,
		       nchecks == 1 ? "" : "s", nfiles, nfiles == 1 ? "" : "s");
	} else {
#if HAVE_X86_64
		struct guest g;

		if (guest_open(&g, bdf) < 0)
			return 2;
		for (size_t i = 0; i < nfiles; i++) {
			printf("# %s\n", scripts[i]->file);
			scn_run(scripts[i], &guest_ops, &g, stdout, &counts);
		}
		guest_close(&g);
		printf("%u passed, %u failed\n", counts.passed, counts.failed);
#else
		fprintf(stderr, "xengt-guest-check: device access needs "
				"x86-64 (only --dry-run works here)\n");
		return 2;
#endif
	}
	for (size_t i = 0; i < nfiles; i++)
		scn_free(scripts[i]);
	free(scripts);
	return counts.failed ? 1 : 0;
}
