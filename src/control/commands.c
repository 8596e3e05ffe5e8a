/* SPDX-License-Identifier: MIT */
/*
 * commands.c - the control protocol's requests (docs/control-protocol.md):
 *
 *   cmd          fields              fd passed    reply fields
 *   info         -                   -            type, bdf, device_id,
 *                                                 bars, partition,
 *                                                 monitor, display, ioreqs
 *   screenshot   -                   the PNG's    width, height, pipe,
 *                                    (a file)     blank
 *   monitor      state "connect" or  an EDID      connected, mode
 *                "disconnect"        (optional)
 *
 * Every request and reply carries "v": 1.  A request is refused (the
 * error object, the connection stays) when it is not a JSON object, has
 * another "v", lacks "cmd" or a required field, or names an unknown
 * command.  The daemon never opens a path a client names: files come as
 * fds, and only regular files are taken (a pipe or a socket could stall
 * the reader or the writer).
 */
#include "control/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/log.h"
#include "vgpu/aperture.h"
#include "vgpu/block.h"
#include "vgpu/display/edid.h"
#include "vgpu/display/monitor.h"
#include "vgpu/layout.h"

#define MAX_DEPTH 16

static void add_u64(json_object *o, const char *k, uint64_t v)
{
	json_object_object_add(o, k, json_object_new_uint64(v));
}

static void add_str(json_object *o, const char *k, const char *v)
{
	json_object_object_add(o, k, json_object_new_string(v));
}

static void add_hex(json_object *o, const char *k, uint64_t v)
{
	char b[24];

	snprintf(b, sizeof(b), "%#" PRIx64, v);
	add_str(o, k, b);
}

/* ---- info ---------------------------------------------------------------- */

static json_object *bar(struct vgpu *v, unsigned i, uint64_t size)
{
	json_object *o = json_object_new_object();
	uint64_t base = 0;
	bool on = pci_bar_decoding(vgpu_pci(v), i, &base);

	json_object_object_add(o, "index", json_object_new_int((int)i));
	json_object_object_add(o, "decoding", json_object_new_boolean(on));
	if (on)
		add_hex(o, "base", base);
	add_u64(o, "size", size);
	return o;
}

static struct vgpu_monitor *monitor_of(struct control *c)
{
	return vgpu_block_state(c->t.vgpu, &vgpu_monitor_block);
}

/* The mode DTD 1 of the monitor's EDID prefers, "WxH@R", or "". */
static void mode_of(struct vgpu_monitor *m, char *buf, size_t len)
{
	struct edid_timing t;
	size_t n;
	const uint8_t *e = vgpu_monitor_edid(m, &n);

	buf[0] = '\0';
	if (e && n >= EDID_BLOCK && edid_preferred_mode(e, &t) == 0 &&
	    t.htotal && t.vtotal)
		snprintf(buf, len, "%ux%u@%u", t.hactive, t.vactive,
			 (unsigned)((t.clock_khz * 1000ull +
				     (uint64_t)t.htotal * t.vtotal / 2) /
				    ((uint64_t)t.htotal * t.vtotal)));
}

static json_object *monitor_state(struct control *c)
{
	json_object *o = json_object_new_object();
	struct vgpu_monitor *m = monitor_of(c);
	char mode[32];

	if (!m)
		return o;
	mode_of(m, mode, sizeof(mode));
	json_object_object_add(
	    o, "connected", json_object_new_boolean(vgpu_monitor_connected(m)));
	add_str(o, "mode", mode);
	add_u64(o, "hotplugs", vgpu_monitor_hotplugs(m));
	return o;
}

/* The aperture's RAM copy: how much is bound and what the syncs did. */
static json_object *aperture_state(struct vgpu *v)
{
	const struct vgpu_aperture *a =
	    vgpu_block_state(v, &vgpu_aperture_block);
	json_object *o = json_object_new_object();
	struct vgpu_aperture_stats st;

	memset(&st, 0, sizeof(st));
	if (a)
		vgpu_aperture_get_stats(a, &st);
	json_object_object_add(o, "in_ram", json_object_new_boolean(st.in_ram));
	add_u64(o, "slots", st.slots);
	add_u64(o, "bound", st.bound);
	add_u64(o, "span", st.span);
	add_u64(o, "syncs", st.syncs);
	add_u64(o, "loads", st.loads);
	add_u64(o, "writebacks", st.writebacks);
	add_u64(o, "dropped", st.dropped);
	return o;
}

/* {"on": false} or where it listens, its viewers and what it sent. */
static json_object *vnc_state(struct control *c)
{
	json_object *o = json_object_new_object();
	struct control_vnc vs;

	memset(&vs, 0, sizeof(vs));
	if (c->t.vnc)
		c->t.vnc(c->t.opaque, &vs);
	json_object_object_add(o, "on", json_object_new_boolean(*vs.listen));
	if (!*vs.listen)
		return o;
	add_str(o, "listen", vs.listen);
	add_u64(o, "clients", vs.clients);
	add_u64(o, "frames", vs.frames);
	add_u64(o, "bytes", vs.bytes);
	add_u64(o, "refused", vs.refused);
	add_u64(o, "auth_failed", vs.auth_failed);
	return o;
}

static void cmd_info(struct ctl_client *cl)
{
	struct control *c = cl->c;
	struct vgpu *v = c->t.vgpu;
	const struct vgpu_partition *p = vgpu_partition(v);
	const struct vgpu_config *cfg = vgpu_config(v);
	json_object *o = ctl_ok(), *bars, *part, *io, *disp;
	struct control_counters n = {0};
	struct vgpu_picture pic;
	char bdf[16];
	int rc;

	json_object_object_add(o, "domid", json_object_new_int64(c->t.domid));
	add_str(o, "name", vgpu_name(v));
	add_str(o, "type", vgpu_type(v)->name);
	snprintf(bdf, sizeof(bdf), "%02x:%02x.%x", cfg->sbdf >> 8 & 0xff,
		 cfg->sbdf >> 3 & 0x1f, cfg->sbdf & 7);
	add_str(o, "bdf", bdf);
	add_hex(o, "device_id", pci_cfg_get(vgpu_pci(v), 0x02, 2));
	bars = json_object_new_object();
	json_object_object_add(bars, "gttmmadr",
			       bar(v, VGPU_BAR_GTTMMADR, VGPU_GTTMMADR_SIZE));
	json_object_object_add(bars, "gmadr",
			       bar(v, VGPU_BAR_GMADR, p->aperture_size));
	json_object_object_add(bars, "iobar",
			       bar(v, VGPU_BAR_IO, VGPU_IOBAR_SIZE));
	json_object_object_add(o, "bars", bars);
	part = json_object_new_object();
	add_hex(part, "mappable_base", p->mappable_base);
	add_u64(part, "mappable_size", p->mappable_size);
	add_hex(part, "hidden_base", p->hidden_base);
	add_u64(part, "hidden_size", p->hidden_size);
	add_u64(part, "fences", p->fences);
	json_object_object_add(o, "partition", part);
	json_object_object_add(o, "monitor", monitor_state(c));
	/* what a screenshot would show now (registers only, no decode) */
	disp = json_object_new_object();
	rc = vgpu_capture_probe(v, &pic);
	json_object_object_add(disp, "scanout",
			       json_object_new_boolean(rc == 0));
	if (rc == 0) {
		json_object_object_add(disp, "pipe",
				       json_object_new_int((int)pic.pipe));
		add_u64(disp, "width", pic.width);
		add_u64(disp, "height", pic.height);
	} else {
		add_str(disp, "reason", pic.why);
	}
	json_object_object_add(o, "display", disp);
	json_object_object_add(o, "aperture", aperture_state(v));
	if (c->t.counters)
		c->t.counters(c->t.opaque, &n);
	io = json_object_new_object();
	add_u64(io, "answered", n.answered);
	add_u64(io, "buffered", n.buffered);
	add_u64(io, "malformed", n.malformed);
	add_u64(io, "unclaimed", n.unclaimed);
	add_u64(io, "mem_faults", n.mem_faults);
	add_u64(io, "msis", n.msis);
	json_object_object_add(o, "ioreqs", io);
	json_object_object_add(o, "vnc", vnc_state(c));
	ctl_reply(cl, o);
}

/* ---- screenshot ------------------------------------------------------------
 */

/* A passed fd we may use: a regular file, open for writing (or reading). */
static const char *bad_file(int fd, bool write)
{
	struct stat st;
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0 || fstat(fd, &st) < 0)
		return "the passed fd is not usable";
	if (!S_ISREG(st.st_mode))
		return "the passed fd is not a regular file";
	if (write && (fl & O_ACCMODE) == O_RDONLY)
		return "the passed file is not open for writing";
	if (!write && (fl & O_ACCMODE) == O_WRONLY)
		return "the passed file is not open for reading";
	return NULL;
}

static void cmd_screenshot(struct ctl_client *cl, int fd)
{
	struct vgpu_picture pic;
	const char *bad;
	int rc;

	if (fd < 0) {
		ctl_error(cl, "bad-request",
			  "screenshot needs the output file's fd "
			  "(SCM_RIGHTS, with the request)");
		return;
	}
	bad = bad_file(fd, true);
	if (bad) {
		close(fd);
		ctl_error(cl, "bad-request", "%s", bad);
		return;
	}
	rc = vgpu_capture(cl->c->t.vgpu, &pic); /* here: state consistent */
	if (rc < 0) {
		close(fd);
		if (rc == -ENODEV)
			ctl_error(cl, "no-picture", "%s", pic.why);
		else
			ctl_error(cl, "io", "capture failed: %s",
				  strerror(-rc));
		return;
	}
	if (shot_start(cl, &pic, fd) < 0) {
		vgpu_picture_free(&pic);
		close(fd);
		ctl_error(cl, "busy", "%u screenshots are being written",
			  CTL_MAX_SHOTS);
	}
}

/* ---- monitor ---------------------------------------------------------------
 */

/* Read an EDID from a passed regular file: its length, or -1 (replied). */
static ssize_t read_edid(struct ctl_client *cl, int fd,
			 uint8_t buf[EDID_MAX_SIZE + 1])
{
	const char *bad = bad_file(fd, false);
	ssize_t n;

	if (bad) {
		ctl_error(cl, "bad-request", "%s", bad);
		return -1;
	}
	n = pread(fd, buf, EDID_MAX_SIZE + 1, 0);
	if (n < 0) {
		ctl_error(cl, "io", "reading the EDID: %s", strerror(errno));
		return -1;
	}
	if (n > (ssize_t)EDID_MAX_SIZE) {
		ctl_error(cl, "bad-edid", "the EDID is longer than %u bytes",
			  (unsigned)EDID_MAX_SIZE);
		return -1;
	}
	return n;
}

static void cmd_monitor(struct ctl_client *cl, json_object *req, int fd)
{
	struct vgpu_monitor *m = monitor_of(cl->c);
	uint8_t edid[EDID_MAX_SIZE + 1];
	json_object *st, *o;
	const char *state;
	char why[128];
	ssize_t n = 0;
	int rc;

	if (!json_object_object_get_ex(req, "state", &st) ||
	    !json_object_is_type(st, json_type_string)) {
		ctl_error(cl, "bad-request",
			  "monitor needs \"state\": \"connect\" or "
			  "\"disconnect\"");
		goto out;
	}
	state = json_object_get_string(st);
	if (!m) {
		ctl_error(cl, "io", "this vGPU has no monitor");
		goto out;
	}
	if (strcmp(state, "disconnect") == 0) {
		if (fd >= 0) {
			ctl_error(cl, "bad-request",
				  "disconnect takes no EDID");
			goto out;
		}
		vgpu_monitor_unplug(m);
	} else if (strcmp(state, "connect") == 0) {
		if (fd >= 0) {
			n = read_edid(cl, fd, edid);
			if (n < 0)
				goto out;
			if (edid_validate(edid, (size_t)n, why, sizeof(why)) <
			    0) {
				ctl_error(cl, "bad-edid",
					  "not a valid EDID: %s", why);
				goto out;
			}
		}
		rc = vgpu_monitor_plug(m, fd >= 0 ? edid : NULL, (size_t)n);
		if (rc < 0) {
			ctl_error(cl, "bad-edid", "%s",
				  rc == -E2BIG
				      ? "the EDID's preferred mode is larger "
					"than the vGPU type's largest"
				      : "the monitor refused the EDID");
			goto out;
		}
	} else {
		ctl_error(cl, "bad-request",
			  "\"state\" is \"connect\" or \"disconnect\", not "
			  "\"%.40s\"",
			  state);
		goto out;
	}
	log_info("control: monitor %sed", state);
	o = ctl_ok();
	json_object_object_add(o, "monitor", monitor_state(cl->c));
	ctl_reply(cl, o);
out:
	if (fd >= 0)
		close(fd);
}

/* ---- the request ------------------------------------------------------------
 */

static bool blank(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return false;
	return true;
}

/* The request object, or NULL (replied). */
static json_object *parse(struct ctl_client *cl, const char *line, size_t len)
{
	struct json_tokener *tok = json_tokener_new_ex(MAX_DEPTH);
	json_object *o = NULL;
	size_t end;

	if (!tok) {
		ctl_error(cl, "io", "out of memory");
		return NULL;
	}
	if (memchr(line, '\0', len)) {
		ctl_error(cl, "bad-request", "the line holds a NUL byte");
		goto out;
	}
	if (len <= INT32_MAX)
		o = json_tokener_parse_ex(tok, line, (int)len);
	if (!o && len <= INT32_MAX &&
	    json_tokener_get_error(tok) == json_tokener_continue)
		o = json_tokener_parse_ex(tok, "", 1); /* the end of it */
	end = json_tokener_get_parse_end(tok);
	if (!o) {
		ctl_error(cl, "bad-request", "not JSON: %s",
			  json_tokener_error_desc(json_tokener_get_error(tok)));
		goto out;
	}
	if (end < len && !blank(line + end, len - end)) {
		json_object_put(o);
		o = NULL;
		ctl_error(cl, "bad-request",
			  "one JSON object per line; trailing bytes");
		goto out;
	}
	if (!json_object_is_type(o, json_type_object)) {
		json_object_put(o);
		o = NULL;
		ctl_error(cl, "bad-request", "a request is a JSON object");
	}
out:
	json_tokener_free(tok);
	return o;
}

void ctl_command(struct ctl_client *cl, const char *line, size_t len, int fd)
{
	json_object *req, *ver, *cmd;
	const char *name;

	if (blank(line, len)) { /* an empty line is no request */
		if (fd >= 0)
			close(fd);
		return;
	}
	req = parse(cl, line, len);
	if (!req)
		goto refused;
	if (!json_object_object_get_ex(req, "v", &ver) ||
	    !json_object_is_type(ver, json_type_int) ||
	    json_object_get_int64(ver) != CTL_PROTO_VERSION) {
		ctl_error(cl, "bad-version", "this daemon speaks \"v\": %d",
			  CTL_PROTO_VERSION);
		goto refused;
	}
	if (!json_object_object_get_ex(req, "cmd", &cmd) ||
	    !json_object_is_type(cmd, json_type_string)) {
		ctl_error(cl, "bad-request", "no \"cmd\" string");
		goto refused;
	}
	name = json_object_get_string(cmd);
	if (strcmp(name, "info") == 0) {
		if (fd >= 0)
			close(fd);
		cmd_info(cl);
	} else if (strcmp(name, "screenshot") == 0) {
		cmd_screenshot(cl, fd);
	} else if (strcmp(name, "monitor") == 0) {
		cmd_monitor(cl, req, fd);
	} else {
		ctl_error(cl, "unknown-command", "no command \"%.40s\"", name);
		goto refused;
	}
	json_object_put(req);
	return;
refused:
	json_object_put(req);
	if (fd >= 0)
		close(fd);
}
