/* SPDX-License-Identifier: MIT */
/*
 * scenario.c - parser and interpreter of the vGPU scenario language
 * (tests/scenario/README.md).  No OS- or simulator-specific code: every
 * access goes through struct scn_ops.
 */
#include "scenario.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_WORDS 16

static const char *const op_names[] = {
    [SCN_CFG_READ] = "cfg-read",
    [SCN_CFG_WRITE] = "cfg-write",
    [SCN_BAR_SIZE] = "bar-size",
    [SCN_BAR_FLAGS] = "bar-flags",
    [SCN_MMIO_READ] = "mmio-read",
    [SCN_MMIO_WRITE] = "mmio-write",
    [SCN_PIO_READ] = "pio-read",
    [SCN_PIO_WRITE] = "pio-write",
    [SCN_PORT_READ] = "port-read",
    [SCN_REP_OUTS] = "rep-outs",
    [SCN_REP_INS] = "rep-ins",
    [SCN_REP_MOVS_TO] = "rep-movs-to",
    [SCN_REP_MOVS_FROM] = "rep-movs-from",
    [SCN_REP_STOS] = "rep-stos",
    [SCN_MMIO_CHANGES] = "mmio-changes",
    [SCN_MMIO_STEADY] = "mmio-steady",
    [SCN_WAIT] = "wait",
    [SCN_IRQ_ATTACH] = "irq-attach",
    [SCN_IRQ_DETACH] = "irq-detach",
    [SCN_IRQ_WAIT] = "irq-wait",
    [SCN_IRQ_NONE] = "irq-none",
};

/* Longest wait a step may ask for. */
#define MAX_MS 60000u

static const char *const kind_names[] = {
    [SCN_BAR_NONE] = "none",
    [SCN_BAR_MEM32] = "mem32",
    [SCN_BAR_MEM32_PREF] = "mem32-pref",
    [SCN_BAR_MEM64] = "mem64",
    [SCN_BAR_MEM64_PREF] = "mem64-pref",
    [SCN_BAR_IO] = "io",
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

const char *scn_op_name(enum scn_op op)
{
	return (unsigned)op < ARRAY_SIZE(op_names) ? op_names[op] : "?";
}

const char *scn_kind_name(enum scn_bar_kind kind)
{
	return (unsigned)kind < ARRAY_SIZE(kind_names) ? kind_names[kind] : "?";
}

static uint64_t size_mask(unsigned size)
{
	return size >= 8 ? ~0ull : (1ull << (8 * size)) - 1;
}

static bool fits(uint64_t v, unsigned size)
{
	return (v & ~size_mask(size)) == 0;
}

/* ---- parser ---------------------------------------------------------- */

struct pctx {
	const char *file;
	unsigned line;
	char *err;
	size_t errlen;
};

__attribute__((format(printf, 2, 3))) static int perr(struct pctx *p,
						      const char *fmt, ...)
{
	size_t n;
	va_list ap;

	if (!p->err || !p->errlen)
		return -EINVAL;
	n = (size_t)snprintf(p->err, p->errlen, "%s:%u: ", p->file, p->line);
	if (n < p->errlen) {
		va_start(ap, fmt);
		vsnprintf(p->err + n, p->errlen - n, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

static bool parse_u64(const char *tok, uint64_t *v)
{
	char *end;

	if (!tok || !*tok || *tok == '-' || *tok == '+' ||
	    (*tok < '0' || *tok > '9'))
		return false;
	errno = 0;
	*v = strtoull(tok, &end, 0);
	return errno == 0 && *end == '\0';
}

static int num(struct pctx *p, const char *tok, const char *what, uint64_t *v)
{
	if (!parse_u64(tok, v))
		return perr(p, "%s: '%s' is not a number", what, tok);
	return 0;
}

static int value_of(struct pctx *p, const char *tok, const char *what,
		    unsigned size, uint64_t *v)
{
	int rc = num(p, tok, what, v);

	if (rc)
		return rc;
	if (!fits(*v, size))
		return perr(p, "%s %s does not fit in %u byte%s", what, tok,
			    size, size == 1 ? "" : "s");
	return 0;
}

static int expect_of(struct pctx *p, const char *tok, unsigned size,
		     struct scn_expect *e)
{
	char buf[64];
	char *slash;
	int rc;

	if (strcmp(tok, "*") == 0) {
		e->value = 0;
		e->mask = 0;
		return 0;
	}
	if (strlen(tok) >= sizeof(buf))
		return perr(p, "expected value '%s' is too long", tok);
	strcpy(buf, tok);
	slash = strchr(buf, '/');
	if (slash)
		*slash = '\0';
	rc = value_of(p, buf, "expected value", size, &e->value);
	if (rc)
		return rc;
	e->mask = size_mask(size);
	if (slash) {
		rc = value_of(p, slash + 1, "mask", size, &e->mask);
		if (rc)
			return rc;
		if (!e->mask)
			return perr(p, "mask 0 checks nothing: write '*'");
	}
	return 0;
}

static int size_of(struct pctx *p, const char *tok, unsigned allowed,
		   unsigned *size)
{
	uint64_t v = 0;
	int rc = num(p, tok, "size", &v);

	if (rc)
		return rc;
	if ((v != 1 && v != 2 && v != 4 && v != 8) || !(allowed & v))
		return perr(p, "size %s: must be %s", tok,
			    allowed & 8 ? "1, 2, 4 or 8" : "1, 2 or 4");
	*size = (unsigned)v;
	return 0;
}

#define MEM_BARS 0x5u /* 0, 2 */
#define IO_BARS 0x10u /* 4 */
#define ANY_BAR 0x15u

static int bar_of(struct pctx *p, const char *tok, unsigned allowed,
		  unsigned *bar)
{
	uint64_t v = 0;
	int rc = num(p, tok, "BAR", &v);

	if (rc)
		return rc;
	if (v > 5 || !(allowed & (1u << v))) {
		if (allowed == MEM_BARS)
			return perr(p, "BAR %s: must be a memory BAR (0 or 2)",
				    tok);
		if (allowed == IO_BARS)
			return perr(p, "BAR %s: must be the I/O BAR (4)", tok);
		return perr(p, "BAR %s: must be 0, 2 or 4", tok);
	}
	*bar = (unsigned)v;
	return 0;
}

static int nargs(struct pctx *p, const char *op, int have, int min, int max)
{
	if (have < min || have > max) {
		if (min == max)
			return perr(p, "%s takes %d argument%s, got %d", op,
				    min, min == 1 ? "" : "s", have);
		return perr(p, "%s takes %d to %d arguments, got %d", op, min,
			    max, have);
	}
	return 0;
}

static int ms_of(struct pctx *p, const char *tok, uint64_t *ms)
{
	int rc = num(p, tok, "milliseconds", ms);

	if (rc)
		return rc;
	if (*ms == 0 || *ms > MAX_MS)
		return perr(p, "milliseconds %s: must be 1 to %u", tok, MAX_MS);
	return 0;
}

static int dir_of(struct pctx *p, const char *tok, bool *down)
{
	if (strcmp(tok, "up") == 0)
		*down = false;
	else if (strcmp(tok, "down") == 0)
		*down = true;
	else
		return perr(p, "direction '%s': must be up or down", tok);
	return 0;
}

/* Parse one step: w[0] is the operation, w[1..n) its arguments. */
static int parse_step(struct pctx *p, char **w, int n, struct scn_step *st)
{
	const char *op = w[0];
	int a = n - 1; /* arguments */
	int rc, i;
	uint64_t v;

	memset(st, 0, sizeof(*st));
	st->line = p->line;
	for (i = 0; i < (int)ARRAY_SIZE(op_names); i++)
		if (strcmp(op, op_names[i]) == 0)
			break;
	if (i == (int)ARRAY_SIZE(op_names))
		return perr(p, "unknown step '%s'", op);
	st->op = (enum scn_op)i;

	switch (st->op) {
	case SCN_CFG_READ:
	case SCN_CFG_WRITE:
		if ((rc = nargs(p, op, a, 3, 3)) ||
		    (rc = num(p, w[1], "register", &st->off)) ||
		    (rc = size_of(p, w[2], 7, &st->size)))
			return rc;
		if (st->off + st->size > 0x100)
			return perr(p,
				    "register 0x%llx + %u is beyond the 256 "
				    "bytes of config space",
				    (unsigned long long)st->off, st->size);
		if ((st->off & 3) + st->size > 4)
			return perr(p,
				    "register 0x%llx size %u crosses a dword",
				    (unsigned long long)st->off, st->size);
		if (st->op == SCN_CFG_READ)
			return expect_of(p, w[3], st->size, &st->expect);
		return value_of(p, w[3], "value", st->size, &st->value);
	case SCN_BAR_SIZE:
		if ((rc = nargs(p, op, a, 2, 2)) ||
		    (rc = bar_of(p, w[1], ANY_BAR, &st->bar)))
			return rc;
		return num(p, w[2], "size in bytes", &st->value);
	case SCN_BAR_FLAGS:
		if ((rc = nargs(p, op, a, 2, 2)) ||
		    (rc = bar_of(p, w[1], ANY_BAR, &st->bar)))
			return rc;
		for (i = 0; i < (int)ARRAY_SIZE(kind_names); i++)
			if (strcmp(w[2], kind_names[i]) == 0)
				break;
		if (i == (int)ARRAY_SIZE(kind_names))
			return perr(p,
				    "BAR kind '%s': must be mem32, "
				    "mem32-pref, mem64, mem64-pref, io or none",
				    w[2]);
		st->kind = (enum scn_bar_kind)i;
		return 0;
	case SCN_MMIO_READ:
	case SCN_MMIO_WRITE:
	case SCN_PIO_READ:
	case SCN_PIO_WRITE: {
		bool mmio = st->op == SCN_MMIO_READ || st->op == SCN_MMIO_WRITE;
		bool rd = st->op == SCN_MMIO_READ || st->op == SCN_PIO_READ;

		if ((rc = nargs(p, op, a, 4, 4)) ||
		    (rc = bar_of(p, w[1], mmio ? MEM_BARS : IO_BARS,
				 &st->bar)) ||
		    (rc = num(p, w[2], "offset", &st->off)) ||
		    (rc = size_of(p, w[3], mmio ? 15 : 7, &st->size)))
			return rc;
		if (rd)
			return expect_of(p, w[4], st->size, &st->expect);
		return value_of(p, w[4], "value", st->size, &st->value);
	}
	case SCN_PORT_READ:
		st->bar = SCN_NO_BAR;
		if ((rc = nargs(p, op, a, 3, 3)) ||
		    (rc = num(p, w[1], "port", &st->off)) ||
		    (rc = size_of(p, w[2], 7, &st->size)))
			return rc;
		if (st->off + st->size > 0x10000)
			return perr(p, "port %s + %u is beyond 0xffff", w[1],
				    st->size);
		return expect_of(p, w[3], st->size, &st->expect);
	case SCN_MMIO_CHANGES:
	case SCN_MMIO_STEADY:
		if ((rc = nargs(p, op, a, 4, 4)) ||
		    (rc = bar_of(p, w[1], MEM_BARS, &st->bar)) ||
		    (rc = num(p, w[2], "offset", &st->off)) ||
		    (rc = size_of(p, w[3], 15, &st->size)))
			return rc;
		return ms_of(p, w[4], &st->value);
	case SCN_WAIT:
	case SCN_IRQ_NONE:
		if ((rc = nargs(p, op, a, 1, 1)))
			return rc;
		return ms_of(p, w[1], &st->value);
	case SCN_IRQ_ATTACH:
	case SCN_IRQ_DETACH:
		return nargs(p, op, a, 0, 0);
	case SCN_IRQ_WAIT:
		if ((rc = nargs(p, op, a, 2, 2)) ||
		    (rc = num(p, w[1], "count", &v)))
			return rc;
		if (v == 0 || v > 100000)
			return perr(p, "count %s: must be 1 to 100000", w[1]);
		st->count = (uint32_t)v;
		return ms_of(p, w[2], &st->value);
	case SCN_REP_OUTS:
	case SCN_REP_INS:
	case SCN_REP_MOVS_TO:
	case SCN_REP_MOVS_FROM:
	case SCN_REP_STOS:
		break;
	}

	/* String instructions: BAR OFF SIZE COUNT ... */
	{
		bool pio = st->op == SCN_REP_OUTS || st->op == SCN_REP_INS;
		int fixed = st->op == SCN_REP_MOVS_FROM ? 4 : pio ? 6 : 5;
		int max = st->op == SCN_REP_STOS ? 6 : 7;
		bool dir_seen = pio;

		if (st->op == SCN_REP_MOVS_FROM)
			max = 7;
		if ((rc = nargs(p, op, a, fixed, max)) ||
		    (rc =
			 bar_of(p, w[1], pio ? IO_BARS : MEM_BARS, &st->bar)) ||
		    (rc = num(p, w[2], "offset", &st->off)) ||
		    (rc = size_of(p, w[3], pio ? 7 : 15, &st->size)) ||
		    (rc = num(p, w[4], "count", &v)))
			return rc;
		if (v == 0 || v * st->size > SCN_REP_MAX_BYTES)
			return perr(p,
				    "count %s: must be 1 to %u (%u bytes at "
				    "most)",
				    w[4], SCN_REP_MAX_BYTES / st->size,
				    SCN_REP_MAX_BYTES);
		st->count = (uint32_t)v;
		if (pio) {
			if ((rc = dir_of(p, w[5], &st->down)))
				return rc;
			if (st->op == SCN_REP_INS)
				rc = expect_of(p, w[6], st->size, &st->expect);
			else
				rc = value_of(p, w[6], "first item", st->size,
					      &st->value);
			if (rc)
				return rc;
		} else if (st->op != SCN_REP_MOVS_FROM) {
			if ((rc =
				 value_of(p, w[5],
					  st->op == SCN_REP_STOS ? "value"
								 : "first item",
					  st->size, &st->value)))
				return rc;
		}
		/* Optional words: up|down, cross, and FIRST (movs-from). */
		for (i = fixed + 1; i < n; i++) {
			if (strcmp(w[i], "cross") == 0) {
				if (st->cross)
					return perr(p, "'cross' given twice");
				if (st->op == SCN_REP_STOS)
					return perr(p,
						    "rep-stos has no RAM "
						    "buffer to cross a page");
				st->cross = true;
			} else if (strcmp(w[i], "up") == 0 ||
				   strcmp(w[i], "down") == 0) {
				if (dir_seen)
					return perr(p, "direction given twice"
						       " or out of place");
				dir_seen = true;
				dir_of(p, w[i], &st->down);
			} else if (st->op == SCN_REP_MOVS_FROM &&
				   !st->has_value && !dir_seen && !st->cross) {
				if ((rc = value_of(p, w[i], "first item",
						   st->size, &st->value)))
					return rc;
				st->has_value = true;
			} else {
				return perr(p,
					    "unexpected word '%s' (only "
					    "up, down or cross may follow)",
					    w[i]);
			}
		}
		if (st->cross && st->count < 2)
			return perr(p, "'cross' needs a count of 2 or more");
	}
	return 0;
}

static int add_check(struct pctx *p, struct scn_script *s, char **w, int n)
{
	struct scn_check *c;
	size_t len = 0;
	char *name;
	int i;

	if (n < 2)
		return perr(p, "check needs a name");
	for (i = 1; i < n; i++) {
		if (strchr(w[i], ':'))
			return perr(p, "check name may not contain ':'");
		len += strlen(w[i]) + 1;
	}
	name = malloc(len);
	if (!name)
		return -ENOMEM;
	name[0] = '\0';
	for (i = 1; i < n; i++) {
		if (i > 1)
			strcat(name, " ");
		strcat(name, w[i]);
	}
	for (size_t k = 0; k < s->nchecks; k++) {
		if (strcmp(s->checks[k].name, name) == 0) {
			unsigned prev = s->checks[k].line;

			free(name);
			return perr(p, "check '%s' already defined on line %u",
				    s->checks[k].name, prev);
		}
	}
	if (s->nchecks && !s->checks[s->nchecks - 1].nsteps) {
		free(name);
		return perr(p, "check '%s' (line %u) has no steps",
			    s->checks[s->nchecks - 1].name,
			    s->checks[s->nchecks - 1].line);
	}
	c = realloc(s->checks, (s->nchecks + 1) * sizeof(*c));
	if (!c) {
		free(name);
		return -ENOMEM;
	}
	s->checks = c;
	c = &s->checks[s->nchecks++];
	c->name = name;
	c->line = p->line;
	c->first = s->nsteps;
	c->nsteps = 0;
	return 0;
}

static int add_step(struct scn_script *s, const struct scn_step *st)
{
	struct scn_step *n = realloc(s->steps, (s->nsteps + 1) * sizeof(*n));

	if (!n)
		return -ENOMEM;
	s->steps = n;
	s->steps[s->nsteps++] = *st;
	if (s->nchecks)
		s->checks[s->nchecks - 1].nsteps++;
	else
		s->nsetup++;
	return 0;
}

int scn_parse(FILE *in, const char *file, struct scn_script **out, char *err,
	      size_t errlen)
{
	struct pctx p = {.file = file, .err = err, .errlen = errlen};
	struct scn_script *s;
	char *line = NULL;
	size_t cap = 0;
	int rc = 0;

	if (err && errlen)
		err[0] = '\0';
	*out = NULL;
	s = calloc(1, sizeof(*s));
	if (!s || !(s->file = strdup(file))) {
		free(s);
		return -ENOMEM;
	}
	while (getline(&line, &cap, in) >= 0) {
		char *w[MAX_WORDS + 1];
		char *save = NULL, *tok, *hash;
		int n = 0;

		p.line++;
		hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		for (tok = strtok_r(line, " \t\r\n\v\f", &save); tok;
		     tok = strtok_r(NULL, " \t\r\n\v\f", &save)) {
			if (n == MAX_WORDS) {
				rc = perr(&p, "more than %d words", MAX_WORDS);
				goto out;
			}
			w[n++] = tok;
		}
		if (!n)
			continue;
		if (strcmp(w[0], "check") == 0) {
			rc = add_check(&p, s, w, n);
		} else {
			struct scn_step st;

			rc = parse_step(&p, w, n, &st);
			if (!rc)
				rc = add_step(s, &st);
		}
		if (rc)
			goto out;
	}
	if (ferror(in)) {
		rc = perr(&p, "read error");
		goto out;
	}
	if (!s->nchecks) {
		rc = perr(&p, "no check in the file");
		goto out;
	}
	if (!s->checks[s->nchecks - 1].nsteps) {
		p.line = s->checks[s->nchecks - 1].line;
		rc = perr(&p, "check '%s' has no steps",
			  s->checks[s->nchecks - 1].name);
		goto out;
	}
out:
	free(line);
	if (rc) {
		scn_free(s);
		return rc;
	}
	*out = s;
	return 0;
}

int scn_parse_file(const char *path, struct scn_script **out, char *err,
		   size_t errlen)
{
	FILE *f = fopen(path, "re");
	int rc;

	if (!f) {
		rc = -errno;
		if (err && errlen)
			snprintf(err, errlen, "%s: %s", path, strerror(-rc));
		*out = NULL;
		return rc;
	}
	rc = scn_parse(f, path, out, err, errlen);
	fclose(f);
	return rc;
}

void scn_free(struct scn_script *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nchecks; i++)
		free(s->checks[i].name);
	free(s->checks);
	free(s->steps);
	free(s->file);
	free(s);
}

/* ---- printing --------------------------------------------------------- */

static void fmt_expect(const struct scn_expect *e, unsigned size, char *buf,
		       size_t len)
{
	if (!e->mask)
		snprintf(buf, len, "*");
	else if (e->mask == size_mask(size))
		snprintf(buf, len, "0x%llx", (unsigned long long)e->value);
	else
		snprintf(buf, len, "0x%llx/0x%llx",
			 (unsigned long long)e->value,
			 (unsigned long long)e->mask);
}

void scn_format_step(const struct scn_step *st, char *buf, size_t len)
{
	const char *op = scn_op_name(st->op);
	unsigned long long off = st->off, val = st->value;
	char ex[48];

	fmt_expect(&st->expect, st->size, ex, sizeof(ex));
	switch (st->op) {
	case SCN_CFG_READ:
		snprintf(buf, len, "%s 0x%llx %u %s", op, off, st->size, ex);
		break;
	case SCN_CFG_WRITE:
		snprintf(buf, len, "%s 0x%llx %u 0x%llx", op, off, st->size,
			 val);
		break;
	case SCN_BAR_SIZE:
		snprintf(buf, len, "%s %u 0x%llx", op, st->bar, val);
		break;
	case SCN_BAR_FLAGS:
		snprintf(buf, len, "%s %u %s", op, st->bar,
			 scn_kind_name(st->kind));
		break;
	case SCN_MMIO_READ:
	case SCN_PIO_READ:
		snprintf(buf, len, "%s %u 0x%llx %u %s", op, st->bar, off,
			 st->size, ex);
		break;
	case SCN_MMIO_WRITE:
	case SCN_PIO_WRITE:
		snprintf(buf, len, "%s %u 0x%llx %u 0x%llx", op, st->bar, off,
			 st->size, val);
		break;
	case SCN_PORT_READ:
		snprintf(buf, len, "%s 0x%llx %u %s", op, off, st->size, ex);
		break;
	case SCN_MMIO_CHANGES:
	case SCN_MMIO_STEADY:
		snprintf(buf, len, "%s %u 0x%llx %u %llu", op, st->bar, off,
			 st->size, val);
		break;
	case SCN_WAIT:
	case SCN_IRQ_NONE:
		snprintf(buf, len, "%s %llu", op, val);
		break;
	case SCN_IRQ_ATTACH:
	case SCN_IRQ_DETACH:
		snprintf(buf, len, "%s", op);
		break;
	case SCN_IRQ_WAIT:
		snprintf(buf, len, "%s %u %llu", op, st->count, val);
		break;
	case SCN_REP_INS:
		snprintf(buf, len, "%s %u 0x%llx %u %u %s %s%s", op, st->bar,
			 off, st->size, st->count, st->down ? "down" : "up", ex,
			 st->cross ? " cross" : "");
		break;
	case SCN_REP_OUTS:
		snprintf(buf, len, "%s %u 0x%llx %u %u %s 0x%llx%s", op,
			 st->bar, off, st->size, st->count,
			 st->down ? "down" : "up", val,
			 st->cross ? " cross" : "");
		break;
	case SCN_REP_MOVS_TO:
	case SCN_REP_STOS:
		snprintf(buf, len, "%s %u 0x%llx %u %u 0x%llx %s%s", op,
			 st->bar, off, st->size, st->count, val,
			 st->down ? "down" : "up", st->cross ? " cross" : "");
		break;
	case SCN_REP_MOVS_FROM:
		if (st->has_value)
			snprintf(buf, len, "%s %u 0x%llx %u %u 0x%llx %s%s", op,
				 st->bar, off, st->size, st->count, val,
				 st->down ? "down" : "up",
				 st->cross ? " cross" : "");
		else
			snprintf(buf, len, "%s %u 0x%llx %u %u %s%s", op,
				 st->bar, off, st->size, st->count,
				 st->down ? "down" : "up",
				 st->cross ? " cross" : "");
		break;
	}
}

void scn_print(const struct scn_script *s, FILE *out)
{
	char buf[160];

	fprintf(out, "# %s: %zu check%s, %zu step%s\n", s->file, s->nchecks,
		s->nchecks == 1 ? "" : "s", s->nsteps,
		s->nsteps == 1 ? "" : "s");
	for (size_t i = 0; i < s->nsteps; i++) {
		for (size_t c = 0; c < s->nchecks; c++)
			if (s->checks[c].first == i)
				fprintf(out, "check %s\t# line %u\n",
					s->checks[c].name, s->checks[c].line);
		scn_format_step(&s->steps[i], buf, sizeof(buf));
		fprintf(out, "\t%s\t# line %u\n", buf, s->steps[i].line);
	}
}

/* ---- interpreter ------------------------------------------------------ */

struct rctx {
	const struct scn_ops *ops;
	void *ctx;
	char *msg;
	size_t len;
	const struct scn_step *st;
};

static bool matches(const struct scn_expect *e, uint64_t got)
{
	return (got & e->mask) == (e->value & e->mask);
}

__attribute__((format(printf, 2, 3))) static int rfail(struct rctx *r,
						       const char *fmt, ...)
{
	char step[160];
	size_t n;
	va_list ap;

	scn_format_step(r->st, step, sizeof(step));
	n = (size_t)snprintf(r->msg, r->len, "line %u: %s: ", r->st->line,
			     step);
	if (n < r->len) {
		va_start(ap, fmt);
		vsnprintf(r->msg + n, r->len - n, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static int backend_err(struct rctx *r, int rc)
{
	const char *m = r->ops->errmsg ? r->ops->errmsg(r->ctx) : NULL;

	if (m && *m)
		return rfail(r, "error: %s", m);
	return rfail(r, "error: %s", strerror(rc < 0 ? -rc : rc));
}

static int check_read(struct rctx *r, uint64_t got)
{
	char ex[48];

	if (matches(&r->st->expect, got))
		return 0;
	fmt_expect(&r->st->expect, r->st->size, ex, sizeof(ex));
	return rfail(r, "read 0x%llx, expected %s", (unsigned long long)got,
		     ex);
}

static uint64_t get_item(const uint8_t *items, unsigned size, uint32_t i)
{
	uint64_t v = 0;

	for (unsigned b = 0; b < size; b++)
		v |= (uint64_t)items[(size_t)i * size + b] << (8 * b);
	return v;
}

static void put_item(uint8_t *items, unsigned size, uint32_t i, uint64_t v)
{
	for (unsigned b = 0; b < size; b++)
		items[(size_t)i * size + b] = (uint8_t)(v >> (8 * b));
}

static int run_rep(struct rctx *r)
{
	const struct scn_step *st = r->st;
	struct scn_rep rep = {.op = st->op,
			      .bar = st->bar,
			      .off = st->off,
			      .size = st->size,
			      .count = st->count,
			      .down = st->down,
			      .cross = st->cross,
			      .value = st->value};
	uint64_t mask = size_mask(st->size);
	union {
		uint8_t b[SCN_REP_MAX_BYTES];
		uint64_t align;
	} items;
	uint64_t got, want;
	int rc;

	memset(items.b, 0xa5, sizeof(items.b));
	if (st->op == SCN_REP_OUTS || st->op == SCN_REP_MOVS_TO)
		for (uint32_t i = 0; i < st->count; i++)
			put_item(items.b, st->size, i, (st->value + i) & mask);
	rc = r->ops->rep(r->ctx, &rep, items.b);
	if (rc)
		return backend_err(r, rc);

	for (uint32_t i = 0; i < st->count; i++) {
		uint64_t at = st->off + (uint64_t)i * st->size;

		switch (st->op) {
		case SCN_REP_INS:
			got = get_item(items.b, st->size, i);
			if (!matches(&st->expect, got)) {
				char ex[48];

				fmt_expect(&st->expect, st->size, ex,
					   sizeof(ex));
				return rfail(r,
					     "item %u of %u read 0x%llx, "
					     "expected %s",
					     i, st->count,
					     (unsigned long long)got, ex);
			}
			break;
		case SCN_REP_MOVS_TO:
		case SCN_REP_STOS:
			want = st->op == SCN_REP_STOS ? st->value
						      : (st->value + i) & mask;
			rc = r->ops->mmio_read(r->ctx, st->bar, at, st->size,
					       &got);
			if (rc)
				return backend_err(r, rc);
			if (got != want)
				return rfail(r,
					     "item %u of %u (offset 0x%llx) "
					     "reads back 0x%llx, expected "
					     "0x%llx",
					     i, st->count,
					     (unsigned long long)at,
					     (unsigned long long)got,
					     (unsigned long long)want);
			break;
		case SCN_REP_MOVS_FROM:
			got = get_item(items.b, st->size, i);
			if (st->has_value) {
				want = (st->value + i) & mask;
			} else {
				rc = r->ops->mmio_read(r->ctx, st->bar, at,
						       st->size, &want);
				if (rc)
					return backend_err(r, rc);
			}
			if (got != want)
				return rfail(
				    r,
				    "item %u of %u (offset 0x%llx) "
				    "copied 0x%llx, expected 0x%llx%s",
				    i, st->count, (unsigned long long)at,
				    (unsigned long long)got,
				    (unsigned long long)want,
				    st->has_value ? "" : " (a single read)");
			break;
		default:
			return 0;
		}
	}
	return 0;
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void sleep_ms(unsigned ms)
{
	struct timespec ts = {.tv_sec = ms / 1000,
			      .tv_nsec = (long)(ms % 1000) * 1000000};

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static int irq_count(struct rctx *r, uint64_t *n)
{
	if (!r->ops->irq_count)
		return -ENOTSUP;
	return r->ops->irq_count(r->ctx, n);
}

/*
 * Wait up to ms, polling the interrupt count every millisecond (the
 * backend may handle interrupts while it counts); stop early once `want`
 * interrupts came (want 0: wait the whole time).  *got: how many came.
 */
static int irq_poll(struct rctx *r, uint64_t ms, uint64_t want,
		    uint64_t *got)
{
	uint64_t base, n, end = now_ms() + ms;
	int rc;

	if ((rc = irq_count(r, &base)))
		return rc;
	for (;;) {
		if ((rc = irq_count(r, &n)))
			return rc;
		*got = n - base;
		if ((want && *got >= want) || now_ms() >= end)
			return 0;
		sleep_ms(1);
	}
}

/* mmio-changes / mmio-steady: read, wait, read again. */
static int run_watch(struct rctx *r)
{
	const struct scn_step *st = r->st;
	uint64_t a = 0, b = 0;
	int rc;

	if ((rc = r->ops->mmio_read(r->ctx, st->bar, st->off, st->size, &a)))
		return backend_err(r, rc);
	sleep_ms((unsigned)st->value);
	if ((rc = r->ops->mmio_read(r->ctx, st->bar, st->off, st->size, &b)))
		return backend_err(r, rc);
	if (st->op == SCN_MMIO_CHANGES && a == b)
		return rfail(r, "still 0x%llx after %llu ms",
			     (unsigned long long)a,
			     (unsigned long long)st->value);
	if (st->op == SCN_MMIO_STEADY && a != b)
		return rfail(r, "0x%llx became 0x%llx", (unsigned long long)a,
			     (unsigned long long)b);
	return 0;
}

static int run_irq(struct rctx *r)
{
	const struct scn_step *st = r->st;
	uint64_t got = 0;
	int rc;

	switch (st->op) {
	case SCN_IRQ_ATTACH:
		rc = r->ops->irq_attach ? r->ops->irq_attach(r->ctx) : -ENOTSUP;
		return rc ? backend_err(r, rc) : 0;
	case SCN_IRQ_DETACH:
		rc = r->ops->irq_detach ? r->ops->irq_detach(r->ctx) : -ENOTSUP;
		return rc ? backend_err(r, rc) : 0;
	case SCN_IRQ_WAIT:
		if ((rc = irq_poll(r, st->value, st->count, &got)))
			return backend_err(r, rc);
		if (got < st->count)
			return rfail(r, "%llu interrupt%s in %llu ms",
				     (unsigned long long)got,
				     got == 1 ? "" : "s",
				     (unsigned long long)st->value);
		return 0;
	case SCN_IRQ_NONE:
		if ((rc = irq_poll(r, st->value, 0, &got)))
			return backend_err(r, rc);
		if (got)
			return rfail(r, "%llu interrupt%s came",
				     (unsigned long long)got,
				     got == 1 ? "" : "s");
		return 0;
	case SCN_WAIT:
		/* Let interrupts in flight land (and be handled). */
		if (!r->ops->irq_count || irq_poll(r, st->value, 0, &got))
			sleep_ms((unsigned)st->value);
		return 0;
	default:
		return rfail(r, "unknown step");
	}
}

static int run_step(struct rctx *r)
{
	const struct scn_step *st = r->st;
	const struct scn_ops *ops = r->ops;
	enum scn_bar_kind kind = SCN_BAR_NONE;
	uint64_t got = 0, size = 0;
	uint32_t v32 = 0;
	int rc;

	switch (st->op) {
	case SCN_CFG_READ:
		rc = ops->cfg_read(r->ctx, (unsigned)st->off, st->size, &v32);
		if (rc)
			return backend_err(r, rc);
		return check_read(r, v32);
	case SCN_CFG_WRITE:
		rc = ops->cfg_write(r->ctx, (unsigned)st->off, st->size,
				    (uint32_t)st->value);
		return rc ? backend_err(r, rc) : 0;
	case SCN_BAR_SIZE:
	case SCN_BAR_FLAGS:
		rc = ops->bar_info(r->ctx, st->bar, &size, &kind);
		if (rc)
			return backend_err(r, rc);
		if (st->op == SCN_BAR_SIZE && size != st->value)
			return rfail(r, "BAR %u is 0x%llx bytes", st->bar,
				     (unsigned long long)size);
		if (st->op == SCN_BAR_FLAGS && kind != st->kind)
			return rfail(r, "BAR %u is %s", st->bar,
				     scn_kind_name(kind));
		return 0;
	case SCN_MMIO_READ:
		rc = ops->mmio_read(r->ctx, st->bar, st->off, st->size, &got);
		if (rc)
			return backend_err(r, rc);
		return check_read(r, got);
	case SCN_MMIO_WRITE:
		rc = ops->mmio_write(r->ctx, st->bar, st->off, st->size,
				     st->value);
		return rc ? backend_err(r, rc) : 0;
	case SCN_PIO_READ:
	case SCN_PORT_READ:
		rc = ops->pio_read(r->ctx, st->bar, st->off, st->size, &v32);
		if (rc)
			return backend_err(r, rc);
		return check_read(r, v32);
	case SCN_PIO_WRITE:
		rc = ops->pio_write(r->ctx, st->bar, st->off, st->size,
				    (uint32_t)st->value);
		return rc ? backend_err(r, rc) : 0;
	case SCN_REP_OUTS:
	case SCN_REP_INS:
	case SCN_REP_MOVS_TO:
	case SCN_REP_MOVS_FROM:
	case SCN_REP_STOS:
		return run_rep(r);
	case SCN_MMIO_CHANGES:
	case SCN_MMIO_STEADY:
		return run_watch(r);
	case SCN_WAIT:
	case SCN_IRQ_ATTACH:
	case SCN_IRQ_DETACH:
	case SCN_IRQ_WAIT:
	case SCN_IRQ_NONE:
		return run_irq(r);
	}
	return rfail(r, "unknown step");
}

void scn_run(const struct scn_script *s, const struct scn_ops *ops, void *ctx,
	     FILE *out, struct scn_counts *counts)
{
	char msg[512];
	struct rctx r = {
	    .ops = ops, .ctx = ctx, .msg = msg, .len = sizeof(msg)};

	for (size_t i = 0; i < s->nsetup; i++) {
		r.st = &s->steps[i];
		if (run_step(&r)) {
			fprintf(out, "FAIL: setup: %s\n", msg);
			counts->failed++;
			break;
		}
	}
	for (size_t c = 0; c < s->nchecks; c++) {
		const struct scn_check *ck = &s->checks[c];
		bool ok = true;

		for (size_t i = 0; i < ck->nsteps; i++) {
			r.st = &s->steps[ck->first + i];
			if (run_step(&r)) {
				ok = false;
				break;
			}
		}
		if (ok) {
			fprintf(out, "PASS: %s\n", ck->name);
			counts->passed++;
		} else {
			fprintf(out, "FAIL: %s: %s\n", ck->name, msg);
			counts->failed++;
		}
		fflush(out);
	}
}
