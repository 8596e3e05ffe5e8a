// SPDX-License-Identifier: MIT
/*
 * guest.c - libxsimguest.a: the guest's and the toolstack's side of xensim
 * (xensim-guest.h).  The control connection is shared by threads under
 * a mutex; each vCPU has its own connection.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lib-conn.h"
#include "xensim-guest.h"

#ifndef XSIM_DEFAULT_BIN
#define XSIM_DEFAULT_BIN "xensim"
#endif
#ifndef XSIM_DEFAULT_LIB_DIR
#define XSIM_DEFAULT_LIB_DIR "lib"
#endif

struct xsim {
	struct xsc c;
	pid_t pid;
	char path[108];
	char dir[96];
};

struct xsim_vcpu {
	struct xsc c;
};

const char *xsim_lib_dir(void)
{
	const char *e = getenv("XENSIM_LIB_DIR");

	return e && *e ? e : XSIM_DEFAULT_LIB_DIR;
}

const char *xsim_socket_path(const struct xsim *s)
{
	return s->path;
}

int xsim_connect(const char *sock_path, struct xsim **out)
{
	struct xsim *s = calloc(1, sizeof(*s));
	int r;

	if (!s)
		return -ENOMEM;
	if (strlen(sock_path) >= sizeof(s->path)) {
		free(s);
		return -ENAMETOOLONG;
	}
	r = xsc_open(&s->c, sock_path, "xsim", 1);
	if (r < 0) {
		free(s);
		return r;
	}
	strcpy(s->path, sock_path);
	*out = s;
	return 0;
}

int xsim_spawn(const char *sock_path, struct xsim **out)
{
	const char *bin = getenv("XENSIM_BIN");
	char path[108], dir[96] = "";
	struct xsim *s = NULL;
	pid_t pid;
	int r = -ETIMEDOUT;

	if (!bin || !*bin)
		bin = XSIM_DEFAULT_BIN;
	if (!sock_path) {
		const char *tmp = getenv("TMPDIR");

		snprintf(dir, sizeof(dir), "%s/xensim-XXXXXX",
			 tmp && *tmp ? tmp : "/tmp");
		if (!mkdtemp(dir))
			return -errno;
		snprintf(path, sizeof(path), "%s/sock", dir);
	} else {
		if (strlen(sock_path) >= sizeof(path))
			return -ENAMETOOLONG;
		strcpy(path, sock_path);
		unlink(path);
	}
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		/* the simulator dies with the thread that spawned it */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		execl(bin, bin, "--socket", path, (char *)NULL);
		fprintf(stderr, "xsim_spawn: cannot run %s: %s\n", bin,
			strerror(errno));
		_exit(127);
	}
	for (int i = 0; i < 1000; i++) {
		struct timespec ts = { 0, 5000000 };
		int status;

		if (access(path, F_OK) == 0 &&
		    xsim_connect(path, &s) == 0) {
			r = 0;
			break;
		}
		if (waitpid(pid, &status, WNOHANG) == pid) {
			r = -ECHILD;
			pid = -1;
			break;
		}
		nanosleep(&ts, NULL);
	}
	if (r < 0) {
		if (pid > 0) {
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
		}
		if (*dir)
			rmdir(dir);
		return r;
	}
	s->pid = pid;
	snprintf(s->dir, sizeof(s->dir), "%s", dir);
	*out = s;
	return 0;
}

void xsim_close(struct xsim *s)
{
	if (!s)
		return;
	xsc_close(&s->c);
	if (s->pid > 0) {
		kill(s->pid, SIGTERM);
		waitpid(s->pid, NULL, 0);
		unlink(s->path);
		if (*s->dir)
			rmdir(s->dir);
	}
	free(s);
}

static int ctl(struct xsim *s, uint32_t op, uint32_t domid, uint64_t a0,
	       uint64_t a1, const void *tail, size_t tlen,
	       struct xsp_rep *rep, void *rtail, size_t rtmax, size_t *rtlen)
{
	struct xsp_req rq = { .op = op, .domid = domid, .a = { a0, a1 } };

	return xsc_call(&s->c, &rq, tail, tlen, -1, rep, rtail, rtmax, rtlen,
			NULL);
}

int xsim_domain_create(struct xsim *s, const struct xsim_domain_config *cfg,
		       uint32_t *domid)
{
	struct xsp_rep rep;
	int r = ctl(s, XSP_G_DOM_CREATE, 0, 0, 0, cfg, sizeof(*cfg), &rep,
		    NULL, 0, NULL);

	if (r >= 0) {
		*domid = rep.v[0];
		r = 0;
	}
	return r;
}

int xsim_domain_unpause(struct xsim *s, uint32_t domid)
{
	return ctl(s, XSP_G_UNPAUSE, domid, 0, 0, NULL, 0, NULL, NULL, 0,
		   NULL);
}

int xsim_domain_pause(struct xsim *s, uint32_t domid)
{
	return ctl(s, XSP_G_PAUSE, domid, 0, 0, NULL, 0, NULL, NULL, 0, NULL);
}

int xsim_domain_destroy(struct xsim *s, uint32_t domid)
{
	return ctl(s, XSP_G_DESTROY, domid, 0, 0, NULL, 0, NULL, NULL, 0,
		   NULL);
}

int xsim_domain_shutdown(struct xsim *s, uint32_t domid, unsigned reason)
{
	return ctl(s, XSP_G_SHUTDOWN, domid, reason, 0, NULL, 0, NULL, NULL, 0,
		   NULL);
}

int xsim_domain_info(struct xsim *s, uint32_t domid,
		     struct xsim_domain_info *info)
{
	size_t len = 0;
	int r = ctl(s, XSP_G_INFO, domid, 0, 0, NULL, 0, NULL, info,
		    sizeof(*info), &len);

	if (r >= 0 && len != sizeof(*info))
		r = -EPROTO;
	return r < 0 ? r : 0;
}

#define MEM_CHUNK (64 * 1024)

int xsim_mem_read(struct xsim *s, uint32_t domid, uint64_t gpa, void *buf,
		  size_t len)
{
	for (size_t off = 0; off < len; off += MEM_CHUNK) {
		size_t n = len - off > MEM_CHUNK ? MEM_CHUNK : len - off;
		int r = ctl(s, XSP_G_MEM_READ, domid, gpa + off, n, NULL, 0,
			    NULL, (char *)buf + off, n, NULL);

		if (r < 0)
			return r;
	}
	return 0;
}

int xsim_mem_write(struct xsim *s, uint32_t domid, uint64_t gpa,
		   const void *buf, size_t len)
{
	for (size_t off = 0; off < len; off += MEM_CHUNK) {
		size_t n = len - off > MEM_CHUNK ? MEM_CHUNK : len - off;
		int r = ctl(s, XSP_G_MEM_WRITE, domid, gpa + off, 0,
			    (const char *)buf + off, n, NULL, NULL, 0, NULL);

		if (r < 0)
			return r;
	}
	return 0;
}

static int read_log(struct xsim *s, uint32_t op, uint32_t domid, size_t from,
		    void *out, size_t elem, size_t max, size_t *total)
{
	size_t got = 0;

	for (;;) {
		struct xsp_rep rep;
		size_t len = 0;
		int r = ctl(s, op, domid, from + got, max - got, NULL, 0, &rep,
			    (char *)out + got * elem, (max - got) * elem, &len);

		if (r < 0)
			return r;
		if (total)
			*total = rep.v[0];
		got += len / elem;
		if (!r || got >= max)
			return got;
	}
}

int xsim_log_ioreqs(struct xsim *s, uint32_t domid, size_t from,
		    struct xsim_log_ioreq *out, size_t max, size_t *total)
{
	return read_log(s, XSP_G_LOG_IOREQ, domid, from, out, sizeof(*out), max,
			total);
}

int xsim_log_msis(struct xsim *s, uint32_t domid, size_t from,
		  struct xsim_log_msi *out, size_t max, size_t *total)
{
	return read_log(s, XSP_G_LOG_MSI, domid, from, out, sizeof(*out), max,
			total);
}

int xsim_log_dirty(struct xsim *s, uint32_t domid, size_t from,
		   struct xsim_log_dirty *out, size_t max, size_t *total)
{
	return read_log(s, XSP_G_LOG_DIRTY, domid, from, out, sizeof(*out), max,
			total);
}

int xsim_log_enable(struct xsim *s, uint32_t domid, bool on)
{
	return ctl(s, XSP_G_LOG_ENABLE, domid, on, 0, NULL, 0, NULL, NULL, 0,
		   NULL);
}

int xsim_ranges(struct xsim *s, uint32_t domid, struct xsim_range *out,
		size_t max, size_t *total)
{
	return read_log(s, XSP_G_RANGES, domid, 0, out, sizeof(*out), max,
			total);
}

int xsim_irq_state(struct xsim *s, uint32_t domid, struct xsim_irq_state *st)
{
	int r = ctl(s, XSP_G_IRQ_STATE, domid, 0, 0, NULL, 0, NULL, st,
		    sizeof(*st), NULL);

	return r < 0 ? r : 0;
}

int xsim_timeoffset(struct xsim *s, uint32_t domid, int64_t offset)
{
	return ctl(s, XSP_G_TIMEOFFSET, domid, (uint64_t)offset, 0, NULL, 0,
		   NULL, NULL, 0, NULL);
}

/* ---- vCPUs ---- */

int xsim_vcpu_open(struct xsim *s, uint32_t domid, unsigned vcpu,
		   struct xsim_vcpu **out)
{
	struct xsim_vcpu *v = calloc(1, sizeof(*v));
	struct xsp_req rq = { .op = XSP_V_OPEN, .domid = domid, .a = { vcpu } };
	int r;

	if (!v)
		return -ENOMEM;
	r = xsc_open(&v->c, s->path, "xsim", 1);
	if (r == 0)
		r = xsc_call(&v->c, &rq, NULL, 0, -1, NULL, NULL, 0, NULL,
			     NULL);
	if (r < 0) {
		if (v->c.fd > 0)
			xsc_close(&v->c);
		free(v);
		return r;
	}
	*out = v;
	return 0;
}

void xsim_vcpu_close(struct xsim_vcpu *v)
{
	if (!v)
		return;
	xsc_close(&v->c);
	free(v);
}

static int vcall(struct xsim_vcpu *v, uint32_t op, uint64_t a0, uint64_t a1,
		 uint64_t a2, uint64_t a3, uint64_t a4, const void *tail,
		 size_t tlen, struct xsp_rep *rep, void *rtail, size_t rtmax)
{
	struct xsp_req rq = { .op = op, .a = { a0, a1, a2, a3, a4 } };

	return xsc_call(&v->c, &rq, tail, tlen, -1, rep, rtail, rtmax, NULL,
			NULL);
}

int xsim_pio_read(struct xsim_vcpu *v, uint16_t port, unsigned size,
		  uint32_t *val)
{
	struct xsp_rep rep;
	int r = vcall(v, XSP_V_PIO, port, size, 1, 0, 0, NULL, 0, &rep, NULL,
		      0);

	if (r >= 0)
		*val = rep.v[0];
	return r < 0 ? r : 0;
}

int xsim_pio_write(struct xsim_vcpu *v, uint16_t port, unsigned size,
		   uint32_t val)
{
	int r = vcall(v, XSP_V_PIO, port, size, 0, val, 0, NULL, 0, NULL, NULL,
		      0);

	return r < 0 ? r : 0;
}

int xsim_mmio_read(struct xsim_vcpu *v, uint64_t gpa, unsigned size,
		   uint64_t val[2])
{
	struct xsp_rep rep;
	int r = vcall(v, XSP_V_MMIO, gpa, size, 1, 0, 0, NULL, 0, &rep, NULL,
		      0);

	if (r >= 0) {
		val[0] = rep.v[0];
		if (size > 8)
			val[1] = rep.v[1];
	}
	return r < 0 ? r : 0;
}

int xsim_mmio_write(struct xsim_vcpu *v, uint64_t gpa, unsigned size,
		    const uint64_t val[2])
{
	int r = vcall(v, XSP_V_MMIO, gpa, size, 0, val[0],
		      size > 8 ? val[1] : 0, NULL, 0, NULL, NULL, 0);

	return r < 0 ? r : 0;
}

int xsim_rep(struct xsim_vcpu *v, const struct xsim_rep *rep)
{
	int r = vcall(v, XSP_V_REP, 0, 0, 0, 0, 0, rep, sizeof(*rep), NULL,
		      NULL, 0);

	return r < 0 ? r : 0;
}

static int cfg_addr(uint32_t sbdf, unsigned reg, unsigned size)
{
	if (reg >= 256 || (sbdf >> 16) || (size != 1 && size != 2 && size != 4))
		return -EINVAL;
	return 0;
}

int xsim_cfg_read(struct xsim_vcpu *v, uint32_t sbdf, unsigned reg,
		  unsigned size, uint32_t *val)
{
	int r = cfg_addr(sbdf, reg, size);

	if (r == 0)
		r = xsim_pio_write(v, 0xcf8, 4,
				   0x80000000u | (sbdf & 0xffff) << 8 |
					   (reg & 0xfc));
	if (r == 0)
		r = xsim_pio_read(v, 0xcfc + (reg & 3), size, val);
	return r;
}

int xsim_cfg_write(struct xsim_vcpu *v, uint32_t sbdf, unsigned reg,
		   unsigned size, uint32_t val)
{
	int r = cfg_addr(sbdf, reg, size);

	if (r == 0)
		r = xsim_pio_write(v, 0xcf8, 4,
				   0x80000000u | (sbdf & 0xffff) << 8 |
					   (reg & 0xfc));
	if (r == 0)
		r = xsim_pio_write(v, 0xcfc + (reg & 3), size, val);
	return r;
}

int xsim_raw_ioreq(struct xsim_vcpu *v, unsigned server_id,
		   const struct xsim_ioreq *in, unsigned timeout_ms,
		   struct xsim_ioreq *out)
{
	struct xsim_ioreq tmp;
	int r = vcall(v, XSP_V_RAW, server_id, timeout_ms, 0, 0, 0, in,
		      sizeof(*in), NULL, out ? out : &tmp, sizeof(*out));

	return r < 0 ? r : 0;
}

int xsim_buffered_write(struct xsim_vcpu *v, bool is_pio, uint64_t addr,
			unsigned size, uint64_t value)
{
	int r = vcall(v, XSP_V_BUFWRITE, is_pio, addr, size, value, 0, NULL, 0,
		      NULL, NULL, 0);

	return r < 0 ? r : 0;
}

int xsim_buffered_burst(struct xsim_vcpu *v, uint64_t addr, uint64_t span,
			unsigned size, uint64_t n, uint64_t base_value,
			uint64_t *ns)
{
	struct xsp_rep rep;
	int r = vcall(v, XSP_V_BURST, addr, span, size, n, base_value, NULL, 0,
		      &rep, NULL, 0);

	if (r >= 0 && ns)
		*ns = rep.v[0];
	return r < 0 ? r : 0;
}

int xsim_invalidate(struct xsim_vcpu *v)
{
	int r = vcall(v, XSP_V_INVALIDATE, 0, 0, 0, 0, 0, NULL, 0, NULL, NULL,
		      0);

	return r < 0 ? r : 0;
}
