/* SPDX-License-Identifier: MIT */
/*
 * main.c - xengt-dm: the per-guest device model for a virtual Intel GPU.
 *
 * Order of business: parse options; check that the domain exists and is
 * an HVM guest (libxenctrl, then closed for good); open the Xen handles;
 * create, map and enable the ioreq server; create the vGPU, which claims
 * its PCI function; restrict every handle to the domain; say READY once;
 * serve until SIGTERM/SIGINT or the domain's death; tear down in Xen's
 * order and print one summary line.
 *
 * Exit status: 0 after a clean stop or when the domain went away, 1 when
 * setup failed (the message names the failing call and errno).
 */
#include <errno.h>
#include <inttypes.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <xenctrl.h>
#include <xendevicemodel.h>
#include <xenevtchn.h>
#include <xenforeignmemory.h>
#include <xentoolcore.h>

#include "control/control.h"
#include "foreign/mapcache.h"
#include "ioreq/dispatch.h"
#include "ioreq/host.h"
#include "ioreq/loop.h"
#include "ioreq/server.h"
#include "ioreq/service.h"
#include "util/log.h"
#include "vgpu/display/edid.h"
#include "vgpu/types.h"
#include "vgpu/vgpu.h"
#include "vnc/vnc.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "unknown"
#endif

struct options {
	long domid;
	unsigned bus, dev, fn;
	long device_id;	  /* -1: the vGPU type's default */
	const char *type; /* a GVTg_V5_* name */
	bool no_legacy_vga;
	bool trap_ggtt;
	bool trap_aperture;
	int ready_fd; /* -1: none */
	bool trace;
	bool verbose;
	bool no_restrict;
	const char *monitor; /* "WxH" */
	uint8_t edid[EDID_MAX_SIZE];
	size_t edid_len; /* 0: none given */
	bool monitor_unplugged;
	const char *control; /* the control socket's path; NULL: default */
	bool no_control;
	const char *vnc;	   /* where VNC listens; NULL: no VNC */
	const char *vnc_password; /* the password file */
};

static void usage(FILE *f)
{
	fprintf(
	    f,
	    "usage: xengt-dm --domid N [--bdf BB:DD.F] [--type NAME]\n"
	    "                [--device-id 0xNNNN] [--no-legacy-vga] [--trap-ggtt]\n"
	    "                [--trap-aperture]\n"
	    "                [--monitor WxH | --edid FILE] [--monitor-unplugged]\n"
	    "                [--control PATH | --no-control]\n"
	    "                [--vnc ADDR [--vnc-password-file FILE]]\n"
	    "                [--ready-fd FD] [--trace]\n"
	    "                [--verbose|-v] [--no-restrict]\n"
	    "       xengt-dm --help | --version\n"
	    "\n"
	    "  --domid N          serve the HVM guest with domain id N\n"
	    "  --bdf BB:DD.F      PCI function of the vGPU on bus 0 "
	    "(default 00:02.0)\n"
	    "  --type NAME        vGPU type: GVTg_V5_8, GVTg_V5_4 (default),\n"
	    "                     GVTg_V5_2 or GVTg_V5_1 (see "
	    "xengt-dm(8))\n"
	    "  --device-id ID     PCI device id (default: a Gen9 part, "
	    "0x1912)\n"
	    "  --no-legacy-vga    do not decode 0xA0000-0xBFFFF\n"
	    "  --trap-ggtt        serve the GGTT as trapped MMIO, not guest RAM\n"
	    "  --trap-aperture    serve the aperture (BAR2) as trapped MMIO too\n"
	    "                     (slow; for comparison and debugging)\n"
	    "  --monitor WxH      the virtual monitor's preferred mode: "
	    "1024x768\n"
	    "                     (default), 1280x1024 or 1920x1080\n"
	    "  --edid FILE        the virtual monitor's EDID (128 to 512 "
	    "bytes)\n"
	    "  --monitor-unplugged  start with the monitor unplugged\n"
	    "  --control PATH     the control socket (default "
	    "/run/xengt/DOMID.sock)\n"
	    "  --no-control       no control socket\n"
	    "  --vnc ADDR         show the guest's screen over VNC at ADDR:\n"
	    "                     HOST:DISPLAY, HOST::PORT or unix:PATH\n"
	    "                     (default: no VNC; see xengt-dm(8))\n"
	    "  --vnc-password-file FILE  VNC authentication with the "
	    "password\n"
	    "                     on FILE's first line\n"
	    "  --ready-fd FD      write \"READY\\n\" to FD once serving, "
	    "then close it\n"
	    "  --trace            log every ioreq (slow)\n"
	    "  -v, --verbose      debug logging\n"
	    "  --no-restrict      keep the Xen handles unrestricted "
	    "(debugging only)\n");
}

static int parse_long(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 0);
	if (errno || end == s || *end || v < min || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

static int parse_bdf(const char *s, struct options *o)
{
	unsigned b, d, f;
	int n = 0;

	if (sscanf(s, "%2x:%2x.%1x%n", &b, &d, &f, &n) != 3 ||
	    (size_t)n != strlen(s) || d > 0x1f || f > 7)
		return -EINVAL;
	o->bus = b;
	o->dev = d;
	o->fn = f;
	return 0;
}

enum {
	OPT_DOMID = 256,
	OPT_BDF,
	OPT_DEVICE_ID,
	OPT_TYPE,
	OPT_NO_LEGACY_VGA,
	OPT_TRAP_GGTT,
	OPT_TRAP_APERTURE,
	OPT_READY_FD,
	OPT_TRACE,
	OPT_NO_RESTRICT,
	OPT_VERSION,
	OPT_MONITOR,
	OPT_EDID,
	OPT_MONITOR_UNPLUGGED,
	OPT_CONTROL,
	OPT_NO_CONTROL,
	OPT_VNC,
	OPT_VNC_PASSWORD,
};

/* Read and check an EDID file into o->edid: 0 or -1 (logged). */
static int read_edid(const char *path, struct options *o)
{
	char why[128];
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		log_err("--edid %s: %s", path, strerror(errno));
		return -1;
	}
	/* one byte more than the largest EDID: a longer file is refused */
	n = read(fd, o->edid, sizeof(o->edid));
	if (n == (ssize_t)sizeof(o->edid)) {
		uint8_t extra;

		if (read(fd, &extra, 1) == 1)
			n = -2;
	}
	close(fd);
	if (n == -2) {
		log_err("--edid %s: longer than %u bytes", path,
			(unsigned)EDID_MAX_SIZE);
		return -1;
	}
	if (n < 0) {
		log_err("--edid %s: %s", path, strerror(errno));
		return -1;
	}
	if (edid_validate(o->edid, (size_t)n, why, sizeof(why)) < 0) {
		log_err("--edid %s: not a valid EDID: %s", path, why);
		return -1;
	}
	o->edid_len = (size_t)n;
	return 0;
}

/* 0 to go on, 1 after --help/--version (exit 0), -1 on a bad option. */
static int parse_options(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
	    {"domid", required_argument, NULL, OPT_DOMID},
	    {"bdf", required_argument, NULL, OPT_BDF},
	    {"device-id", required_argument, NULL, OPT_DEVICE_ID},
	    {"type", required_argument, NULL, OPT_TYPE},
	    {"no-legacy-vga", no_argument, NULL, OPT_NO_LEGACY_VGA},
	    {"trap-ggtt", no_argument, NULL, OPT_TRAP_GGTT},
	    {"trap-aperture", no_argument, NULL, OPT_TRAP_APERTURE},
	    {"ready-fd", required_argument, NULL, OPT_READY_FD},
	    {"trace", no_argument, NULL, OPT_TRACE},
	    {"verbose", no_argument, NULL, 'v'},
	    {"no-restrict", no_argument, NULL, OPT_NO_RESTRICT},
	    {"monitor", required_argument, NULL, OPT_MONITOR},
	    {"edid", required_argument, NULL, OPT_EDID},
	    {"monitor-unplugged", no_argument, NULL, OPT_MONITOR_UNPLUGGED},
	    {"control", required_argument, NULL, OPT_CONTROL},
	    {"no-control", no_argument, NULL, OPT_NO_CONTROL},
	    {"vnc", required_argument, NULL, OPT_VNC},
	    {"vnc-password-file", required_argument, NULL, OPT_VNC_PASSWORD},
	    {"help", no_argument, NULL, 'h'},
	    {"version", no_argument, NULL, OPT_VERSION},
	    {NULL, 0, NULL, 0},
	};
	long v;
	int c;

	memset(o, 0, sizeof(*o));
	o->domid = -1;
	o->dev = 2;
	o->device_id = -1;
	o->ready_fd = -1;
	while ((c = getopt_long(argc, argv, "vh", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_DOMID:
			if (parse_long(optarg, 1, DOMID_FIRST_RESERVED - 1,
				       &o->domid) < 0) {
				log_err("--domid %s: not a guest domain id",
					optarg);
				return -1;
			}
			break;
		case OPT_BDF:
			if (parse_bdf(optarg, o) < 0) {
				log_err("--bdf %s: expected BB:DD.F", optarg);
				return -1;
			}
			if (o->bus != 0) {
				log_err("--bdf %s: the vGPU must sit on bus 0 "
					"(hvmloader scans only bus 0)",
					optarg);
				return -1;
			}
			break;
		case OPT_DEVICE_ID:
			if (parse_long(optarg, 0, 0xffff, &o->device_id) < 0) {
				log_err(
				    "--device-id %s: expected 0x0000-0xffff",
				    optarg);
				return -1;
			}
			break;
		case OPT_TYPE:
			if (!vgpu_type_find(optarg)) {
				log_err(
				    "--type %s: not a vGPU type (GVTg_V5_8, "
				    "GVTg_V5_4, GVTg_V5_2, GVTg_V5_1)",
				    optarg);
				return -1;
			}
			o->type = optarg;
			break;
		case OPT_NO_LEGACY_VGA:
			o->no_legacy_vga = true;
			break;
		case OPT_TRAP_GGTT:
			o->trap_ggtt = true;
			break;
		case OPT_TRAP_APERTURE:
			o->trap_aperture = true;
			break;
		case OPT_READY_FD:
			if (parse_long(optarg, 0, INT_MAX, &v) < 0 ||
			    fcntl((int)v, F_GETFD) < 0) {
				log_err("--ready-fd %s: not an open file "
					"descriptor",
					optarg);
				return -1;
			}
			o->ready_fd = (int)v;
			break;
		case OPT_TRACE:
			o->trace = true;
			break;
		case 'v':
			o->verbose = true;
			break;
		case OPT_NO_RESTRICT:
			o->no_restrict = true;
			break;
		case OPT_MONITOR: {
			struct edid_mode m;

			if (edid_parse_mode(optarg, &m) < 0) {
				log_err("--monitor %s: expected 1024x768, "
					"1280x1024 or 1920x1080",
					optarg);
				return -1;
			}
			o->monitor = optarg;
			break;
		}
		case OPT_EDID:
			if (read_edid(optarg, o) < 0)
				return -1;
			break;
		case OPT_MONITOR_UNPLUGGED:
			o->monitor_unplugged = true;
			break;
		case OPT_CONTROL:
			if (!*optarg) {
				log_err("--control: give a path");
				return -1;
			}
			o->control = optarg;
			break;
		case OPT_NO_CONTROL:
			o->no_control = true;
			break;
		case OPT_VNC:
			o->vnc = optarg;
			break;
		case OPT_VNC_PASSWORD:
			o->vnc_password = optarg;
			break;
		case 'h':
			usage(stdout);
			return 1;
		case OPT_VERSION:
			printf("xengt-dm %s\n", PACKAGE_VERSION);
			return 1;
		default:
			usage(stderr);
			return -1;
		}
	}
	if (optind < argc) {
		log_err("unexpected argument '%s'", argv[optind]);
		usage(stderr);
		return -1;
	}
	if (o->monitor && o->edid_len) {
		log_err("--monitor and --edid: give one (an EDID names its "
			"own preferred mode)");
		return -1;
	}
	if (o->control && o->no_control) {
		log_err("--control and --no-control: give one");
		return -1;
	}
	if (o->vnc_password && !o->vnc) {
		log_err("--vnc-password-file without --vnc");
		return -1;
	}
	if (o->domid < 0) {
		log_err("--domid is required");
		usage(stderr);
		return -1;
	}
	return 0;
}

/* The domain must exist, be alive and be an HVM guest: 0 or -1. */
static int check_domain(uint32_t domid)
{
	xc_interface *xch;
	xc_dominfo_t info;
	int n, err;

	xch = xc_interface_open(NULL, NULL, 0);
	if (!xch) {
		err = errno;
		log_err("xc_interface_open failed: %s (errno %d); is this dom0 "
			"with /dev/xen/privcmd?",
			strerror(err), err);
		return -1;
	}
	memset(&info, 0, sizeof(info));
	n = xc_domain_getinfo(xch, domid, 1, &info);
	err = errno;
	xc_interface_close(xch);
	if (n < 0) {
		log_err("xc_domain_getinfo(domain %u) failed: %s (errno %d)",
			domid, strerror(err), err);
		return -1;
	}
	if (n == 0 || info.domid != domid) {
		log_err("domain %u does not exist", domid);
		return -1;
	}
	if (info.dying) {
		log_err("domain %u is dying", domid);
		return -1;
	}
	if (!info.hvm) {
		log_err("domain %u is not an HVM guest", domid);
		return -1;
	}
	return 0;
}

/* sd_notify(READY=1) without libsystemd: one datagram to $NOTIFY_SOCKET. */
static void notify_systemd(void)
{
	const char *path = getenv("NOTIFY_SOCKET");
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	static const char msg[] = "READY=1";
	size_t len;
	int fd;

	if (!path || !*path)
		return;
	len = strlen(path);
	if ((path[0] != '/' && path[0] != '@') || len >= sizeof(sa.sun_path)) {
		log_warn("NOTIFY_SOCKET=%s: not a socket path; readiness not "
			 "sent",
			 path);
		return;
	}
	memcpy(sa.sun_path, path, len);
	if (sa.sun_path[0] == '@')
		sa.sun_path[0] = '\0'; /* abstract namespace */
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 ||
	    sendto(
		fd, msg, sizeof(msg) - 1, MSG_NOSIGNAL, (struct sockaddr *)&sa,
		(socklen_t)(offsetof(struct sockaddr_un, sun_path) + len)) < 0)
		log_warn("sd_notify to %s failed: %s", path, strerror(errno));
	if (fd >= 0)
		close(fd);
}

static void signal_ready(int ready_fd)
{
	static const char msg[] = "READY\n";

	notify_systemd();
	if (ready_fd < 0)
		return;
	if (write(ready_fd, msg, sizeof(msg) - 1) != (ssize_t)sizeof(msg) - 1)
		log_warn("writing READY to fd %d failed: %s", ready_fd,
			 strerror(errno));
	close(ready_fd);
}

static void on_signal(void *opaque, int signo)
{
	struct loop *l = opaque;

	log_info("received %s: shutting down", signo == SIGTERM	 ? "SIGTERM"
					       : signo == SIGINT ? "SIGINT"
								 : "a signal");
	loop_stop(l, 0);
}

struct daemon {
	struct options opt;
	uint32_t sbdf;
	xendevicemodel_handle *dmod;
	xenforeignmemory_handle *fmem;
	xenevtchn_handle *xce;
	struct loop *loop;
	struct mapcache_xen mx;
	struct mapcache *mc;
	struct dispatcher *d;
	struct ioreq_server srv;
	bool srv_open;
	struct ioreq_host host;
	struct ioreq_service svc;
	bool svc_started;
	struct vgpu *vgpu;
	struct control *ctl;
	struct vnc_server *vnc;
	struct vnc_feed *vnc_feed;
};

static int open_handles(struct daemon *dm)
{
	dm->dmod = xendevicemodel_open(NULL, 0);
	if (!dm->dmod) {
		log_err("xendevicemodel_open failed: %s (errno %d)",
			strerror(errno), errno);
		return -1;
	}
	dm->fmem = xenforeignmemory_open(NULL, 0);
	if (!dm->fmem) {
		log_err("xenforeignmemory_open failed: %s (errno %d)",
			strerror(errno), errno);
		return -1;
	}
	dm->xce = xenevtchn_open(NULL, 0);
	if (!dm->xce) {
		log_err("xenevtchn_open failed: %s (errno %d)", strerror(errno),
			errno);
		return -1;
	}
	return 0;
}

static void counters(void *opaque, struct control_counters *out)
{
	const struct daemon *dm = opaque;

	out->answered = dm->d->st.answered;
	out->buffered = dm->d->st.buffered;
	out->malformed = dm->d->st.malformed;
	out->unclaimed = dm->d->st.unclaimed;
	out->mem_faults = dm->d->st.mem_faults;
	out->msis = dm->host.msis;
}

static void vnc_info(void *opaque, struct control_vnc *out)
{
	const struct daemon *dm = opaque;
	struct vnc_stats st;

	if (!dm->vnc)
		return;
	vnc_server_stats(dm->vnc, &st);
	snprintf(out->listen, sizeof(out->listen), "%s",
		 vnc_server_address(dm->vnc));
	out->clients = st.clients;
	out->frames = st.frames;
	out->bytes = st.bytes;
	out->refused = st.refused;
	out->auth_failed = st.auth_failed;
}

/* --vnc: 0, or -1 when it cannot be served (the admin asked for it). */
static int open_vnc(struct daemon *dm)
{
	char name[64], why[256];
	struct vnc_options o = {.listen = dm->opt.vnc,
				.password_file = dm->opt.vnc_password,
				.name = name};
	int rc;

	if (!dm->opt.vnc)
		return 0;
	snprintf(name, sizeof(name), "xengt domain %ld", dm->opt.domid);
	if (vnc_server_open(&o, &dm->vnc, why, sizeof(why)) < 0) {
		log_err("--vnc %s: %s", dm->opt.vnc, why);
		return -1;
	}
	rc = vnc_feed_open(dm->loop, dm->vgpu, dm->vnc, &dm->vnc_feed);
	if (rc < 0) {
		log_err("--vnc: event loop: %s", strerror(-rc));
		return -1;
	}
	log_info("vnc: listening on %s (%s)", vnc_server_address(dm->vnc),
		 dm->opt.vnc_password ? "password" : "no password");
	return 0;
}

/*
 * The control socket: 0, or -1 when a --control PATH cannot be served
 * (the default path only warns: the daemon serves the guest without it).
 */
static int open_control(struct daemon *dm)
{
	const struct control_target t = {
	    .vgpu = dm->vgpu,
	    .domid = (uint32_t)dm->opt.domid,
	    .counters = counters,
	    .vnc = vnc_info,
	    .opaque = dm,
	};
	char path[108], why[256];

	if (dm->opt.no_control)
		return 0;
	if (dm->opt.control)
		snprintf(path, sizeof(path), "%s", dm->opt.control);
	else
		snprintf(path, sizeof(path), CONTROL_DIR "/%ld.sock",
			 dm->opt.domid);
	if (control_open(dm->loop, path, &t, &dm->ctl, why, sizeof(why)) ==
	    0) {
		log_info("control socket %s", path);
		return 0;
	}
	if (dm->opt.control) {
		log_err("--control %s: %s", path, why);
		return -1;
	}
	log_warn("no control socket: %s", why);
	return 0;
}

static int setup(struct daemon *dm)
{
	static const int sigs[] = {SIGTERM, SIGINT};
	uint32_t domid = (uint32_t)dm->opt.domid;
	struct mapcache_backend be;
	struct vgpu_config cfg;
	int rc;

	rc = loop_create(&dm->loop);
	if (rc == 0)
		rc = loop_add_signals(dm->loop, sigs, 2, on_signal, dm->loop);
	if (rc < 0) {
		log_err("event loop setup failed: %s", strerror(-rc));
		return -1;
	}
	if (check_domain(domid) < 0 || open_handles(dm) < 0)
		return -1;

	dm->mx.fmem = dm->fmem;
	dm->mx.dmod = dm->dmod;
	dm->mx.domid = domid;
	mapcache_backend_xen(&be, &dm->mx);
	rc = mapcache_create(&be, 0, &dm->mc);
	dm->d = calloc(1, sizeof(*dm->d));
	if (rc < 0 || !dm->d) {
		log_err("out of memory");
		return -1;
	}
	dispatch_init(dm->d, mapcache_gmem(dm->mc));
	dm->d->trace = dm->opt.trace;

	if (ioreq_server_open(&dm->srv, dm->dmod, dm->fmem, dm->xce,
			      (domid_t)domid) < 0)
		return -1;
	dm->srv_open = true;
	ioreq_host_init(&dm->host, &dm->srv, dm->d, dm->loop, dm->sbdf);

	vgpu_config_default(&cfg);
	cfg.sbdf = dm->sbdf;
	if (dm->opt.device_id >= 0)
		cfg.device_id = (uint16_t)dm->opt.device_id;
	cfg.legacy_vga = !dm->opt.no_legacy_vga;
	cfg.ggtt_trapped = dm->opt.trap_ggtt;
	cfg.aperture_trapped = dm->opt.trap_aperture;
	if (dm->opt.type)
		cfg.type = dm->opt.type;
	cfg.vgt_id = domid; /* one vGPU per guest: name it after the guest */
	cfg.monitor = dm->opt.monitor;
	if (dm->opt.edid_len) {
		cfg.edid = dm->opt.edid;
		cfg.edid_len = dm->opt.edid_len;
	}
	cfg.monitor_unplugged = dm->opt.monitor_unplugged;
	dm->host.host.mem = mapcache_gmem(dm->mc);
	rc = vgpu_create(&cfg, &dm->host.host, &dm->vgpu);
	if (rc < 0) {
		log_err("vgpu_create(%02x:%02x.%x) failed: %s (errno %d)",
			dm->opt.bus, dm->opt.dev, dm->opt.fn, strerror(-rc),
			-rc);
		dm->vgpu = NULL;
		return -1;
	}

	if (open_vnc(dm) < 0 || open_control(dm) < 0)
		return -1;
	if (ioreq_service_start(&dm->svc, dm->loop, &dm->srv, dm->d) < 0)
		return -1;
	dm->svc_started = true;

	/* every privileged step is done: from here on, this domain only */
	if (!dm->opt.no_restrict && xentoolcore_restrict_all(domid) < 0) {
		log_err("xentoolcore_restrict_all(domain %u) failed: %s "
			"(errno %d)",
			domid, strerror(errno), errno);
		return -1;
	}
	return 0;
}

static void teardown(struct daemon *dm)
{
	control_close(dm->ctl); /* before the vGPU it looks at */
	dm->ctl = NULL;
	vnc_feed_close(dm->vnc_feed); /* the same */
	dm->vnc_feed = NULL;
	vnc_server_close(dm->vnc);
	dm->vnc = NULL;
	if (dm->svc_started) {
		/* no vCPU is left waiting on a request we took no notice of */
		ioreq_service_flush(&dm->svc);
		ioreq_service_stop(&dm->svc);
	}
	if (dm->srv_open)
		ioreq_server_disable(&dm->srv);
	if (dm->vgpu)
		vgpu_destroy(dm->vgpu);
	if (dm->srv_open) {
		ioreq_host_release_all(&dm->host);
		ioreq_server_close(&dm->srv);
	}
	mapcache_destroy(dm->mc);
	free(dm->d);
	if (dm->xce)
		xenevtchn_close(dm->xce);
	if (dm->fmem)
		xenforeignmemory_close(dm->fmem);
	if (dm->dmod)
		xendevicemodel_close(dm->dmod);
	loop_destroy(dm->loop);
}

int main(int argc, char **argv)
{
	static struct daemon dm;
	char prefix[32], line[512];
	int rc, code;

	signal(SIGPIPE, SIG_IGN);
	rc = parse_options(argc, argv, &dm.opt);
	if (rc != 0)
		return rc > 0 ? 0 : 1;
	snprintf(prefix, sizeof(prefix), "xengt-dm[%ld]", dm.opt.domid);
	log_set_prefix(prefix);
	if (dm.opt.verbose)
		log_set_level(LOG_DEBUG);
	dm.sbdf = io_pci_sbdf(0, dm.opt.bus, dm.opt.dev, dm.opt.fn);

	if (setup(&dm) < 0) {
		teardown(&dm);
		return 1;
	}
	signal_ready(dm.opt.ready_fd);
	log_info("serving domain %ld: vGPU at %02x:%02x.%x, ioreq server %u%s",
		 dm.opt.domid, dm.opt.bus, dm.opt.dev, dm.opt.fn, dm.srv.id,
		 dm.opt.no_restrict ? " (handles not restricted)" : "");

	code = loop_run(dm.loop);

	ioreq_stats_format(&dm.d->st, line, sizeof(line));
	teardown(&dm);
	log_info("domain %ld: %s; interrupts: %" PRIu64 " MSIs injected",
		 dm.opt.domid, line, dm.host.msis);
	if (dm.host.dirty_calls)
		log_info("domain %ld: track_dirty_vram: %" PRIu64
			 " calls, %" PRIu64 " us in all, longest %" PRIu64
			 " us",
			 dm.opt.domid, dm.host.dirty_calls,
			 dm.host.dirty_ns / 1000, dm.host.dirty_ns_max / 1000);
	return code;
}
