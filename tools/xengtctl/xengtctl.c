/* SPDX-License-Identifier: MIT */
/*
 * xengtctl.c - the admin's command for a running xengt-dm: asks the
 * daemon serving a domain over its control socket
 * (docs/control-protocol.md) and prints the answer.
 *
 *   xengtctl [--json] [--socket PATH] info DOMID
 *   xengtctl [--json] [--socket PATH] screenshot DOMID FILE
 *   xengtctl [--json] [--socket PATH] monitor DOMID connect [EDID-FILE]
 *   xengtctl [--json] [--socket PATH] monitor DOMID disconnect
 *   xengtctl [--json] list
 *
 * Files are opened here and passed as fds: the daemon opens nothing a
 * client names.  Exit status 0 on success, 1 when the daemon refused
 * (its message on stderr) or could not be reached, 2 for bad usage.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "client.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "unknown"
#endif

#define RUN_DIR "/run/xengt"
#define TIMEOUT_MS 30000u

static bool json_out;
static const char *sock_path;

static void usage(FILE *f)
{
	fprintf(f, "usage: xengtctl [--json] [--socket PATH] info DOMID\n"
		   "       xengtctl [--json] [--socket PATH] screenshot DOMID "
		   "FILE\n"
		   "       xengtctl [--json] [--socket PATH] monitor DOMID "
		   "connect [EDID-FILE]\n"
		   "       xengtctl [--json] [--socket PATH] monitor DOMID "
		   "disconnect\n"
		   "       xengtctl [--json] list\n"
		   "       xengtctl --help | --version\n");
}

static int parse_domid(const char *s, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 0 || v > 0x7fef) {
		fprintf(stderr, "xengtctl: %s: not a domain id\n", s);
		return -1;
	}
	*out = v;
	return 0;
}

/* ---- reading replies --------------------------------------------------- */

static json_object *get(json_object *o, const char *k)
{
	json_object *v = NULL;

	return o && json_object_object_get_ex(o, k, &v) ? v : NULL;
}

static const char *str(json_object *o, const char *k)
{
	json_object *v = get(o, k);

	return v ? json_object_get_string(v) : "?";
}

static uint64_t num(json_object *o, const char *k)
{
	json_object *v = get(o, k);

	return v ? json_object_get_uint64(v) : 0;
}

static bool flag(json_object *o, const char *k)
{
	json_object *v = get(o, k);

	return v && json_object_get_boolean(v);
}

/*
 * Send req (with fd) to the daemon of domid; the parsed reply if it says
 * ok (printed when --json), else NULL after printing the error.
 */
static json_object *call(long domid, const char *req, int fd)
{
	char path[108], why[256], *line;
	json_object *reply;
	int sock;

	if (sock_path)
		snprintf(path, sizeof(path), "%s", sock_path);
	else
		snprintf(path, sizeof(path), RUN_DIR "/%ld.sock", domid);
	sock = client_connect(path, why, sizeof(why));
	if (sock < 0) {
		fprintf(stderr, "xengtctl: %s\n", why);
		return NULL;
	}
	if (client_call(sock, req, fd, TIMEOUT_MS, &line, why, sizeof(why)) <
	    0) {
		close(sock);
		fprintf(stderr, "xengtctl: %s: %s\n", path, why);
		return NULL;
	}
	close(sock);
	reply = json_tokener_parse(line);
	if (!reply || !json_object_is_type(reply, json_type_object)) {
		fprintf(stderr, "xengtctl: %s: the reply is not JSON\n", path);
		json_object_put(reply);
		free(line);
		return NULL;
	}
	if (json_out)
		printf("%s\n", line);
	free(line);
	if (!flag(reply, "ok")) {
		json_object *e = get(reply, "error");

		fprintf(stderr, "xengtctl: %s (%s)\n", str(e, "message"),
			str(e, "code"));
		json_object_put(reply);
		return NULL;
	}
	return reply;
}

/* ---- the commands ------------------------------------------------------- */

static void print_bar(json_object *bars, const char *name)
{
	json_object *b = get(bars, name);

	if (!b)
		return;
	printf("  BAR%" PRIu64 " %-8s %s %" PRIu64 " KiB%s\n", num(b, "index"),
	       name, flag(b, "decoding") ? str(b, "base") : "-",
	       num(b, "size") / 1024,
	       flag(b, "decoding") ? "" : " (not decoding)");
}

static int cmd_info(long domid)
{
	json_object *r = call(domid, "{\"v\":1,\"cmd\":\"info\"}", -1);
	json_object *bars, *p, *m, *d, *io, *vnc, *ap;

	if (!r)
		return 1;
	if (json_out)
		goto out;
	bars = get(r, "bars");
	p = get(r, "partition");
	m = get(r, "monitor");
	d = get(r, "display");
	io = get(r, "ioreqs");
	vnc = get(r, "vnc");
	ap = get(r, "aperture");
	printf("domain %" PRIu64 ": %s, %s at %s, device %s\n", num(r, "domid"),
	       str(r, "name"), str(r, "type"), str(r, "bdf"),
	       str(r, "device_id"));
	print_bar(bars, "gttmmadr");
	print_bar(bars, "gmadr");
	print_bar(bars, "iobar");
	printf("  graphics memory: mappable %s + %" PRIu64
	       " MiB, hidden %s + %" PRIu64 " MiB, %" PRIu64 " fences\n",
	       str(p, "mappable_base"), num(p, "mappable_size") >> 20,
	       str(p, "hidden_base"), num(p, "hidden_size") >> 20,
	       num(p, "fences"));
	printf("  monitor: %s, %s, %" PRIu64 " hotplug events\n",
	       flag(m, "connected") ? "connected" : "disconnected",
	       str(m, "mode"), num(m, "hotplugs"));
	if (flag(d, "scanout"))
		printf("  display: pipe %c scans out %" PRIu64 "x%" PRIu64 "\n",
		       (char)('A' + num(d, "pipe")), num(d, "width"),
		       num(d, "height"));
	else
		printf("  display: nothing shown (%s)\n", str(d, "reason"));
	printf("  ioreqs: %" PRIu64 " answered, %" PRIu64 " buffered, %" PRIu64
	       " malformed, %" PRIu64 " unclaimed, %" PRIu64
	       " memory faults; %" PRIu64 " MSIs\n",
	       num(io, "answered"), num(io, "buffered"), num(io, "malformed"),
	       num(io, "unclaimed"), num(io, "mem_faults"), num(io, "msis"));
	if (flag(ap, "in_ram"))
		printf("  aperture: %" PRIu64 " of %" PRIu64
		       " slots bound, %" PRIu64 " tracked; %" PRIu64
		       " syncs, %" PRIu64 " pages loaded, %" PRIu64
		       " written back, %" PRIu64 " writes dropped\n",
		       num(ap, "bound"), num(ap, "slots"), num(ap, "span"),
		       num(ap, "syncs"), num(ap, "loads"), num(ap, "writebacks"),
		       num(ap, "dropped"));
	else
		printf("  aperture: trapped\n");
	if (flag(vnc, "on"))
		printf("  vnc: %s, %" PRIu64 " viewers, %" PRIu64
		       " frames, %" PRIu64 " bytes sent, %" PRIu64
		       " turned away, %" PRIu64 " wrong passwords\n",
		       str(vnc, "listen"), num(vnc, "clients"),
		       num(vnc, "frames"), num(vnc, "bytes"),
		       num(vnc, "refused"), num(vnc, "auth_failed"));
	else
		printf("  vnc: off\n");
out:
	json_object_put(r);
	return 0;
}

static int cmd_screenshot(long domid, const char *file)
{
	json_object *r;
	int fd = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd < 0) {
		fprintf(stderr, "xengtctl: %s: %s\n", file, strerror(errno));
		return 1;
	}
	r = call(domid, "{\"v\":1,\"cmd\":\"screenshot\"}", fd);
	close(fd);
	if (!r) {
		unlink(file);
		return 1;
	}
	if (!json_out) {
		printf("%s: %" PRIu64 "x%" PRIu64 " from pipe %c\n", file,
		       num(r, "width"), num(r, "height"),
		       (char)('A' + num(r, "pipe")));
		if (flag(r, "blank"))
			printf("  black: %s\n", str(r, "reason"));
	}
	json_object_put(r);
	return 0;
}

static int cmd_monitor(long domid, const char *state, const char *edid)
{
	char req[64];
	json_object *r, *m;
	int fd = -1;

	if (strcmp(state, "connect") && strcmp(state, "disconnect")) {
		usage(stderr);
		return 2;
	}
	if (edid && strcmp(state, "connect")) {
		usage(stderr);
		return 2;
	}
	if (edid) {
		fd = open(edid, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			fprintf(stderr, "xengtctl: %s: %s\n", edid,
				strerror(errno));
			return 1;
		}
	}
	snprintf(req, sizeof(req),
		 "{\"v\":1,\"cmd\":\"monitor\",\"state\":\"%s\"}", state);
	r = call(domid, req, fd);
	if (fd >= 0)
		close(fd);
	if (!r)
		return 1;
	m = get(r, "monitor");
	if (!json_out)
		printf("monitor %s (%s)\n",
		       flag(m, "connected") ? "connected" : "disconnected",
		       str(m, "mode"));
	json_object_put(r);
	return 0;
}

/* The sockets in RUN_DIR: "DOMID PATH" and whether a daemon answers. */
static int cmd_list(void)
{
	json_object *arr = json_object_new_array();
	DIR *d = opendir(RUN_DIR);
	struct dirent *e;

	if (!d && errno != ENOENT) {
		fprintf(stderr, "xengtctl: %s: %s\n", RUN_DIR, strerror(errno));
		json_object_put(arr);
		return 1;
	}
	while (d && (e = readdir(d))) {
		char path[300], why[256], *end;
		long domid;
		size_t n = strlen(e->d_name);
		json_object *o;
		int fd;

		if (n <= 5 || strcmp(e->d_name + n - 5, ".sock"))
			continue;
		errno = 0;
		domid = strtol(e->d_name, &end, 10);
		if (errno || end != e->d_name + n - 5 || domid < 0)
			continue;
		snprintf(path, sizeof(path), RUN_DIR "/%s", e->d_name);
		fd = client_connect(path, why, sizeof(why));
		if (fd >= 0)
			close(fd);
		o = json_object_new_object();
		json_object_object_add(o, "domid",
				       json_object_new_int64(domid));
		json_object_object_add(o, "socket",
				       json_object_new_string(path));
		json_object_object_add(o, "serving",
				       json_object_new_boolean(fd >= 0));
		json_object_array_add(arr, o);
		if (!json_out)
			printf("%ld\t%s%s\n", domid, path,
			       fd >= 0 ? "" : "\t(stale: nobody answers)");
	}
	if (d)
		closedir(d);
	if (json_out)
		printf("%s\n", json_object_to_json_string_ext(
				   arr, JSON_C_TO_STRING_PLAIN));
	json_object_put(arr);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"json", no_argument, NULL, 'j'},
	    {"socket", required_argument, NULL, 's'},
	    {"help", no_argument, NULL, 'h'},
	    {"version", no_argument, NULL, 'V'},
	    {NULL, 0, NULL, 0},
	};
	const char *cmd;
	long domid;
	int c, n;

	while ((c = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json_out = true;
			break;
		case 's':
			sock_path = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("xengtctl %s\n", PACKAGE_VERSION);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	n = argc - optind;
	if (n < 1) {
		usage(stderr);
		return 2;
	}
	cmd = argv[optind];
	if (strcmp(cmd, "list") == 0 && n == 1)
		return cmd_list();
	if (n < 2 || parse_domid(argv[optind + 1], &domid) < 0) {
		if (n < 2)
			usage(stderr);
		return 2;
	}
	if (strcmp(cmd, "info") == 0 && n == 2)
		return cmd_info(domid);
	if (strcmp(cmd, "screenshot") == 0 && n == 3)
		return cmd_screenshot(domid, argv[optind + 2]);
	if (strcmp(cmd, "monitor") == 0 && (n == 3 || n == 4))
		return cmd_monitor(domid, argv[optind + 2],
				   n == 4 ? argv[optind + 3] : NULL);
	usage(stderr);
	return 2;
}
