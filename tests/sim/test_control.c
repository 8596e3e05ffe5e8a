/* SPDX-License-Identifier: MIT */
/*
 * The control socket under the simulated Xen, with the real daemon and
 * the real xengtctl: the socket (0600, its directory made 0700, gone at
 * exit); info; monitor disconnect and connect as the guest's vCPU sees
 * them (SDEISR bit 23 live, SDEIIR bit 23 latched); a guest that binds a
 * GGTT entry, draws a pattern in its page (part of it through the
 * aperture, not yet synced), enables pipe A and its primary plane, and
 * a screenshot whose PNG holds exactly the pattern; and hostile clients
 * (bad JSON, a 70 KiB line, unknown and incomplete commands, 65 clients,
 * clients that vanish mid-request) each answered as the protocol says
 * while the vCPU's MMIO keeps being answered.
 */
#include "guestpic.h"
#include "simtest.h"
#include "vgpu/display/edid.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

#define SDEISR 0xc4000u
#define SDEIMR 0xc4004u
#define SDEIIR 0xc4008u
#define SDEIER 0xc400cu
#define PORTD_HOTPLUG (1u << 23)

static struct harness h;
static struct xsim_vcpu *v;
static char dir[64], sock[128];

static void make_dir(void)
{
	snprintf(dir, sizeof(dir), "%s/xengt-ctl-XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	/* a directory that does not exist yet: the daemon makes it */
	snprintf(sock, sizeof(sock), "%s/run/ctl.sock", dir);
}

static void start_in(void)
{
	const char *args[] = {"--control", sock, NULL};

	simtest_start(&h, 1, args);
	ck_assert_int_eq(xsim_vcpu_open(h.sim, h.domid, 0, &v), 0);
	simtest_program_bars(v);
}

static void start(void)
{
	make_dir();
	start_in();
}

static void stop(void)
{
	char cmd[160];

	xsim_vcpu_close(v);
	harness_end(&h);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

/* ---- xengtctl ------------------------------------------------------------ */

/* Run xengtctl with args; its exit status, stdout+stderr in out. */
static int ctl(char *out, size_t len, const char *args)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "%s/xengtctl --socket '%s' %s",
		 ABS_BUILDDIR, sock, args);
	return simtest_cmd(out, len, cmd);
}

/* ---- the raw protocol ------------------------------------------------------
 */

static int dial(void)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	ck_assert_int_ge(fd, 0);
	memcpy(sa.sun_path, sock, strlen(sock));
	ck_assert_int_eq(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	return fd;
}

static void say(int fd, const char *s, size_t len)
{
	while (len) {
		ssize_t n = send(fd, s, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		ck_assert_int_gt(n, 0);
		s += n;
		len -= (size_t)n;
	}
}

/* One reply line (no newline); "" when the daemon closed first. */
static void hear(int fd, char *buf, size_t len)
{
	size_t have = 0;

	buf[0] = '\0';
	while (have + 1 < len) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		ssize_t n;

		ck_assert_int_eq(poll(&p, 1, 5000), 1);
		n = read(fd, buf + have, 1);
		if (n <= 0)
			break;
		if (buf[have] == '\n')
			break;
		have++;
	}
	buf[have] = '\0';
}

/*
 * After a reply the daemon closes: read gives EOF, or ECONNRESET when
 * the daemon closed with our bytes unread (AF_UNIX tells us so).
 */
static bool closed_by_daemon(int fd)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};
	char c;
	ssize_t n;

	if (poll(&p, 1, 5000) != 1)
		return false;
	n = read(fd, &c, 1);
	return n == 0 || (n < 0 && errno == ECONNRESET);
}

static void expect_error(int fd, const char *req, const char *code)
{
	char buf[1024], want[64];

	say(fd, req, strlen(req));
	hear(fd, buf, sizeof(buf));
	snprintf(want, sizeof(want), "\"code\":\"%s\"", code);
	ck_assert_msg(strstr(buf, "\"ok\":false") && strstr(buf, want),
		      "%s -> %s", req, buf);
	ck_assert(strstr(buf, "\"v\":1"));
}

static void expect_info(int fd)
{
	char buf[4096];

	say(fd, "{\"v\":1,\"cmd\":\"info\"}\n", 21);
	hear(fd, buf, sizeof(buf));
	ck_assert_msg(strstr(buf, "\"ok\":true"), "%s", buf);
}

/* ---- the guest's picture
 * ------------------------------------------------------ */

/* Wait (5 s at most) for the plane to go live at a vblank of pipe A. */
static void wait_live(void)
{
	char out[2048];

	for (int i = 0; i < 250; i++) {
		if (ctl(out, sizeof(out), "info 1") == 0 &&
		    strstr(out, "pipe A scans out"))
			return;
		usleep(20000);
	}
	ck_abort_msg("the plane never went live: %s", out);
}

/* ---- the tests ------------------------------------------------------------
 */

START_TEST(socket_and_info)
{
	char out[4096], d[160];
	struct stat st;

	start();
	ck_assert_int_eq(stat(sock, &st), 0);
	ck_assert(S_ISSOCK(st.st_mode));
	ck_assert_uint_eq(st.st_mode & 0777, 0600);
	snprintf(d, sizeof(d), "%s/run", dir);
	ck_assert_int_eq(stat(d, &st), 0);
	ck_assert_uint_eq(st.st_mode & 0777, 0700);

	ck_assert_int_eq(ctl(out, sizeof(out), "info 1"), 0);
	ck_assert_msg(strstr(out, "GVTg_V5_4 at 00:02.0"), "%s", out);
	ck_assert_msg(strstr(out, "monitor: connected, 1024x768@60"), "%s",
		      out);
	ck_assert_msg(strstr(out, "nothing shown"), "%s", out);
	ck_assert_int_eq(ctl(out, sizeof(out), "--json info 1"), 0);
	ck_assert_msg(strstr(out, "\"v\":1") && strstr(out, "\"ok\":true") &&
			  strstr(out, "\"base\":\"0xf0000000\"") &&
			  strstr(out, "\"answered\":"),
		      "%s", out);
	/* a screenshot before the display is on: no-picture, exit 1 */
	snprintf(d, sizeof(d), "screenshot 1 '%s/none.png'", dir);
	ck_assert_int_eq(ctl(out, sizeof(out), d), 1);
	ck_assert_msg(strstr(out, "no-picture"), "%s", out);
	snprintf(d, sizeof(d), "%s/none.png", dir);
	ck_assert_int_ne(access(d, F_OK), 0); /* removed again */

	ck_assert_int_eq(harness_stop_dm(&h, SIGTERM, 5000, NULL, NULL), 0);
	ck_assert_int_ne(access(sock, F_OK), 0); /* gone with the daemon */
	stop();
}
END_TEST

/* A dead daemon's socket is replaced; a live one's is not taken over. */
START_TEST(stale_and_live_sockets)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	const char *args[] = {"--control", sock, "--bdf", "00:03.0", NULL};
	struct harness h2;
	char log[160], out[1024], line[256];
	FILE *f;
	int fd;

	make_dir();
	snprintf(out, sizeof(out), "%s/run", dir);
	ck_assert_int_eq(mkdir(out, 0700), 0);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	memcpy(sa.sun_path, sock, strlen(sock));
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	close(fd); /* the socket file stays, nobody listens */
	start_in();
	ck_assert_int_eq(ctl(out, sizeof(out), "info 1"), 0);

	/* a second daemon asked for the same path refuses to start */
	h2 = h;
	h2.own_sim = false;
	snprintf(log, sizeof(log), "%s/second.log", dir);
	ck_assert_int_lt(
	    harness_start_dm(
		&h2, &(struct harness_opts){.args = args, .log_path = log}),
	    0);
	if (h2.dm_pid) { /* it closed the ready pipe as it exited */
		int st = 0;
		unsigned waited = 0;

		ck_assert_int_eq(harness_wait_dm(&h2, 5000, &st, &waited), 0);
		ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 1);
	}
	f = fopen(log, "r");
	ck_assert_ptr_nonnull(f);
	out[0] = '\0';
	while (fgets(line, sizeof(line), f))
		if (strstr(line, "another daemon is listening"))
			snprintf(out, sizeof(out), "%s", line);
	fclose(f);
	ck_assert_msg(out[0], "the second daemon did not say why");
	ck_assert_int_eq(ctl(out, sizeof(out), "info 1"), 0); /* still ours */
	stop();
}
END_TEST

START_TEST(monitor_hotplug)
{
	char out[1024];

	start();
	mmio_wr(v, BAR0_GPA + SDEIMR, 4, ~PORTD_HOTPLUG);
	mmio_wr(v, BAR0_GPA + SDEIER, 4, PORTD_HOTPLUG);
	ck_assert_uint_eq(mmio_rd(v, BAR0_GPA + SDEISR, 4) & PORTD_HOTPLUG,
			  PORTD_HOTPLUG);
	mmio_wr(v, BAR0_GPA + SDEIIR, 4, PORTD_HOTPLUG);
	ck_assert_uint_eq(mmio_rd(v, BAR0_GPA + SDEIIR, 4) & PORTD_HOTPLUG, 0);

	ck_assert_int_eq(ctl(out, sizeof(out), "monitor 1 disconnect"), 0);
	ck_assert_msg(strstr(out, "monitor disconnected"), "%s", out);
	ck_assert_uint_eq(mmio_rd(v, BAR0_GPA + SDEISR, 4) & PORTD_HOTPLUG, 0);
	ck_assert_uint_eq(mmio_rd(v, BAR0_GPA + SDEIIR, 4) & PORTD_HOTPLUG,
			  PORTD_HOTPLUG);
	mmio_wr(v, BAR0_GPA + SDEIIR, 4, PORTD_HOTPLUG);

	ck_assert_int_eq(ctl(out, sizeof(out), "monitor 1 connect"), 0);
	ck_assert_msg(strstr(out, "monitor connected (1024x768@60)"), "%s",
		      out);
	ck_assert_uint_eq(mmio_rd(v, BAR0_GPA + SDEISR, 4) & PORTD_HOTPLUG,
			  PORTD_HOTPLUG);
	ck_assert_uint_eq(mmio_rd(v, BAR0_GPA + SDEIIR, 4) & PORTD_HOTPLUG,
			  PORTD_HOTPLUG);
	ck_assert_int_eq(ctl(out, sizeof(out), "info 1"), 0);
	ck_assert_msg(strstr(out, "2 hotplug events"), "%s", out);
	/* a bad state word is refused with the daemon's message */
	ck_assert_int_eq(ctl(out, sizeof(out), "monitor 1 sideways"), 2);
	stop();
}
END_TEST

START_TEST(monitor_edid_file)
{
	char out[1024], args[256], path[160];
	FILE *f;

	start();
	/* a corrupt EDID: refused by the daemon, the monitor unchanged */
	snprintf(path, sizeof(path), "%s/bad.edid", dir);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	for (int i = 0; i < 128; i++)
		fputc(i, f);
	fclose(f);
	snprintf(args, sizeof(args), "monitor 1 connect '%s'", path);
	ck_assert_int_eq(ctl(out, sizeof(out), args), 1);
	ck_assert_msg(strstr(out, "bad-edid") && strstr(out, "not a valid "
							     "EDID"),
		      "%s", out);
	simtest_guest_alive(v, 0x1234);
	ck_assert_int_eq(ctl(out, sizeof(out), "info 1"), 0);
	ck_assert_msg(strstr(out, "connected, 1024x768@60, 0 hotplug"), "%s",
		      out);

	/* a good one: the monitor now prefers 1280x1024, one hotplug */
	{
		struct edid_mode m = {1280, 1024, 60};
		uint8_t e[EDID_BLOCK];

		ck_assert_int_eq(edid_build(e, &m, 7), 0);
		snprintf(path, sizeof(path), "%s/good.edid", dir);
		f = fopen(path, "w");
		ck_assert_ptr_nonnull(f);
		ck_assert_uint_eq(fwrite(e, 1, sizeof(e), f), sizeof(e));
		fclose(f);
	}
	snprintf(args, sizeof(args), "monitor 1 connect '%s'", path);
	ck_assert_int_eq(ctl(out, sizeof(out), args), 0);
	ck_assert_msg(strstr(out, "monitor connected (1280x1024@60)"), "%s",
		      out);
	ck_assert_int_eq(ctl(out, sizeof(out), "info 1"), 0);
	ck_assert_msg(strstr(out, "1280x1024@60, 1 hotplug"), "%s", out);
	stop();
}
END_TEST

START_TEST(screenshot_is_the_pattern)
{
	char out[4096], args[256], png[160];
	int rc = 1;

	start();
	guestpic_draw(&h, v);
	snprintf(png, sizeof(png), "%s/shot.png", dir);
	snprintf(args, sizeof(args), "screenshot 1 '%s'", png);
	/* the plane is live from the pipe's next vblank (16.7 ms) */
	for (int i = 0; i < 250 && rc != 0; i++) {
		rc = ctl(out, sizeof(out), args);
		if (rc)
			usleep(20000);
	}
	ck_assert_msg(rc == 0, "%s", out);
	ck_assert_msg(strstr(out, "64x16 from pipe A"), "%s", out);
	{
		const char *d = guestpic_png_differs(png);

		ck_assert_msg(!*d, "%s", d);
	}
	ck_assert_int_eq(ctl(out, sizeof(out), "info 1"), 0);
	ck_assert_msg(strstr(out, "pipe A scans out 64x16"), "%s", out);
	/* the one page the guest bound, loaded and written back */
	ck_assert_msg(strstr(out, "aperture: 1 of 32768 slots bound"), "%s",
		      out);
	ck_assert_msg(strstr(out, "vnc: off"), "%s", out);
	stop();
}
END_TEST

START_TEST(hostile_clients)
{
	static char big[70 * 1024 + 1];
	int fd, many[64], last;
	const char *req;
	char buf[1024];

	start();
	fd = dial();
	expect_error(fd, "{not json\n", "bad-request");
	expect_error(fd, "[1,2]\n", "bad-request");
	expect_error(fd, "{\"v\":1,\"cmd\":\"info\"} trailing\n",
		     "bad-request");
	expect_error(fd, "{\"cmd\":\"info\"}\n", "bad-version");
	expect_error(fd, "{\"v\":2,\"cmd\":\"info\"}\n", "bad-version");
	expect_error(fd, "{\"v\":1}\n", "bad-request");
	expect_error(fd, "{\"v\":1,\"cmd\":7}\n", "bad-request");
	expect_error(fd, "{\"v\":1,\"cmd\":\"reboot\"}\n", "unknown-command");
	expect_error(fd, "{\"v\":1,\"cmd\":\"monitor\"}\n", "bad-request");
	expect_error(fd, "{\"v\":1,\"cmd\":\"screenshot\"}\n", "bad-request");
	simtest_guest_alive(v, 1);
	expect_info(fd); /* the connection survived all of it */
	close(fd);

	/* a 70 KiB line: the error, then the daemon closes */
	fd = dial();
	memset(big, 'x', sizeof(big) - 1);
	say(fd, big, sizeof(big) - 1);
	hear(fd, buf, sizeof(buf));
	ck_assert_msg(strstr(buf, "\"code\":\"bad-request\"") &&
			  strstr(buf, "longer than"),
		      "%s", buf);
	ck_assert(closed_by_daemon(fd));
	close(fd);
	simtest_guest_alive(v, 2);

	/* 64 clients are served; the 65th gets busy and is closed */
	for (int i = 0; i < 64; i++) {
		many[i] = dial();
		if (i % 16 == 0)
			simtest_guest_alive(v, 100 + (uint32_t)i);
	}
	expect_info(many[63]); /* accepted in order: all 64 are in */
	last = dial();
	hear(last, buf, sizeof(buf));
	ck_assert_msg(strstr(buf, "\"code\":\"busy\""), "%s", buf);
	ck_assert(closed_by_daemon(last));
	close(last);
	simtest_guest_alive(v, 3);
	expect_info(many[0]);
	for (int i = 0; i < 64; i++)
		close(many[i]);

	/* a client that shuts down its side still gets its answers */
	fd = dial();
	req = "{\"v\":1,\"cmd\":\"info\"}\n{\"v\":1,\"cmd\":\"x\"}\n";
	say(fd, req, strlen(req));
	ck_assert_int_eq(shutdown(fd, SHUT_WR), 0);
	hear(fd, buf, sizeof(buf));
	ck_assert_msg(strstr(buf, "\"ok\":true"), "%s", buf);
	hear(fd, buf, sizeof(buf));
	ck_assert_msg(strstr(buf, "unknown-command"), "%s", buf);
	ck_assert(closed_by_daemon(fd));
	close(fd);

	/* a flood of requests on one connection: answered in batches */
	fd = dial();
	for (int i = 0; i < 300; i++)
		say(fd, "{}\n", 3);
	for (int i = 0; i < 300; i++) {
		hear(fd, buf, sizeof(buf));
		ck_assert_msg(strstr(buf, "bad-version"), "%d: %s", i, buf);
		if (i % 100 == 0)
			simtest_guest_alive(v, 200 + (uint32_t)i);
	}
	expect_info(fd);
	close(fd);

	/* a client that sends and never reads: held back, the guest served */
	fd = dial();
	{
		static const char info[] = "{\"v\":1,\"cmd\":\"info\"}\n";
		size_t sent = 0;

		for (int i = 0; i < 20000; i++) {
			ssize_t n = send(fd, info, sizeof(info) - 1,
					 MSG_NOSIGNAL | MSG_DONTWAIT);

			if (n < 0)
				break; /* both buffers full: it stopped reading
					*/
			sent += (size_t)n;
		}
		ck_assert_uint_gt(sent, 0);
		simtest_guest_alive(v, 6);
	}
	close(fd);
	simtest_guest_alive(v, 7);

	/* vanishing clients: half a request, a whole one then gone */
	fd = dial();
	say(fd, "{\"v\":1,\"cm", 10);
	close(fd);
	for (int i = 0; i < 8; i++) {
		fd = dial();
		say(fd, "{\"v\":1,\"cmd\":\"info\"}\n", 21);
		close(fd);
	}
	simtest_guest_alive(v, 4);
	usleep(50000); /* the daemon has seen the drops */
	fd = dial();   /* and a slot is free again for each */
	expect_info(fd);
	close(fd);
	simtest_guest_alive(v, 5);
	ck_assert_int_eq(harness_stop_dm(&h, SIGTERM, 5000, NULL, NULL), 0);
	stop();
}
END_TEST

/* Two requests, the second with an fd in its own sendmsg: it gets it. */
START_TEST(fd_goes_with_its_line)
{
	char buf[1024], png[160];
	const char *req = "{\"v\":1,\"cmd\":\"screenshot\"}\n";
	union {
		char b[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} cbuf;
	struct iovec iov = {.iov_base = (void *)req, .iov_len = strlen(req)};
	struct msghdr mh = {.msg_iov = &iov,
			    .msg_iovlen = 1,
			    .msg_control = cbuf.b,
			    .msg_controllen = sizeof(cbuf.b)};
	struct cmsghdr *cm;
	int fd, file;

	start();
	guestpic_draw(&h, v);
	wait_live();
	snprintf(png, sizeof(png), "%s/second.png", dir);
	file = open(png, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ck_assert_int_ge(file, 0);
	fd = dial();
	say(fd, "{\"v\":1,\"cmd\":\"info\"}\n", 21);
	memset(&cbuf, 0, sizeof(cbuf));
	cm = CMSG_FIRSTHDR(&mh);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &file, sizeof(int));
	ck_assert_int_eq(sendmsg(fd, &mh, MSG_NOSIGNAL), (ssize_t)strlen(req));
	close(file);
	hear(fd, buf, sizeof(buf));
	ck_assert_msg(strstr(buf, "\"ok\":true"), "%s", buf);
	hear(fd, buf, sizeof(buf));
	ck_assert_msg(strstr(buf, "\"ok\":true") && strstr(buf, "\"width\":64"),
		      "%s", buf);
	close(fd);
	{
		const char *d = guestpic_png_differs(png);

		ck_assert_msg(!*d, "%s", d);
	}
	stop();
}
END_TEST

START_TEST(screenshot_client_vanishes)
{
	char png[160], out[256];
	int fd, file;
	union {
		char b[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} cbuf;
	struct iovec iov = {.iov_base = "{\"v\":1,\"cmd\":\"screenshot\"}\n",
			    .iov_len = 27};
	struct msghdr mh = {.msg_iov = &iov,
			    .msg_iovlen = 1,
			    .msg_control = cbuf.b,
			    .msg_controllen = sizeof(cbuf.b)};
	struct cmsghdr *cm;

	start();
	guestpic_draw(&h, v);
	wait_live();
	snprintf(png, sizeof(png), "%s/gone.png", dir);
	for (int i = 0; i < 10; i++) {
		file = open(png, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		ck_assert_int_ge(file, 0);
		fd = dial();
		memset(&cbuf, 0, sizeof(cbuf));
		cm = CMSG_FIRSTHDR(&mh);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cm), &file, sizeof(int));
		ck_assert_int_eq(sendmsg(fd, &mh, MSG_NOSIGNAL), 27);
		close(file);
		close(fd); /* gone before the reply */
		simtest_guest_alive(v, (uint32_t)i);
	}
	snprintf(out, sizeof(out), "info 1");
	ck_assert_int_eq(ctl(out, sizeof(out), "info 1"), 0);
	ck_assert_int_eq(harness_stop_dm(&h, SIGTERM, 5000, NULL, NULL), 0);
	stop();
}
END_TEST

int main(void)
{
	Suite *s = suite_create("control");
	TCase *tc = tcase_create("control");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, socket_and_info);
	tcase_add_test(tc, stale_and_live_sockets);
	tcase_add_test(tc, monitor_hotplug);
	tcase_add_test(tc, monitor_edid_file);
	tcase_add_test(tc, screenshot_is_the_pattern);
	tcase_add_test(tc, hostile_clients);
	tcase_add_test(tc, fd_goes_with_its_line);
	tcase_add_test(tc, screenshot_client_vanishes);
	suite_add_tcase(s, tc);
	return simtest_run(s);
}
