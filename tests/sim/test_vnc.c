/* SPDX-License-Identifier: MIT */
/*
 * The VNC server under the simulated Xen, with the real daemon and a
 * stock viewer: gtk-vnc's gvnccapture connects to `--vnc 127.0.0.1:N`
 * with the password from `--vnc-password-file`, and the frame it saves
 * holds exactly what the guest drew (part of it through the aperture),
 * as the daemon's own screenshot does; a wrong password is refused and
 * counted, and the guest's vCPU is served throughout.
 *
 * gvnccapture reads the password from a terminal, so it runs under
 * script(1), which gives it one.
 */
#include "guestpic.h"
#include "simtest.h"

#include <sys/stat.h>
#include <sys/wait.h>

#define PASSWORD "xengt-vnc" /* VNC authentication sees "xengt-vn" */

static struct harness h;
static struct xsim_vcpu *v;
static char dir[64], sock[128], pwfile[128], display[32];

static void start(void)
{
	const char *args[] = {"--control", sock, "--vnc", display,
			      "--vnc-password-file", pwfile, NULL};
	FILE *f;
	int n;

	snprintf(dir, sizeof(dir), "%s/xengt-vnc-XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(sock, sizeof(sock), "%s/ctl.sock", dir);
	snprintf(pwfile, sizeof(pwfile), "%s/vnc-password", dir);
	f = fopen(pwfile, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "%s\n", PASSWORD);
	fclose(f);
	ck_assert_int_eq(chmod(pwfile, 0600), 0);
	n = harness_free_vnc_display();
	ck_assert_int_ge(n, 0);
	snprintf(display, sizeof(display), "127.0.0.1:%d", n);
	simtest_start(&h, 1, args);
	ck_assert_int_eq(xsim_vcpu_open(h.sim, h.domid, 0, &v), 0);
	simtest_program_bars(v);
}

static void stop(void)
{
	char cmd[160];

	xsim_vcpu_close(v);
	harness_end(&h);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static int ctl(char *out, size_t len, const char *args)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "%s/xengtctl --socket '%s' %s",
		 ABS_BUILDDIR, sock, args);
	return simtest_cmd(out, len, cmd);
}

/*
 * gvnccapture DISPLAY FILE with password pw typed at its prompt (again
 * later, should the first line be flushed before it read it).
 */
static int capture(char *out, size_t len, const char *pw, const char *file)
{
	char cmd[768];

	snprintf(cmd, sizeof(cmd),
		 "(for i in 1 2 3; do sleep 1; echo '%s'; done) | "
		 "timeout 60 script -qec \"%s %s '%s'\" /dev/null",
		 pw, GVNCCAPTURE, display, file);
	return simtest_cmd(out, len, cmd);
}

/* The plane is live from pipe A's next vblank: wait for a screenshot. */
static void screenshot(const char *png)
{
	char out[1024], args[256];
	int rc = 1;

	snprintf(args, sizeof(args), "screenshot 1 '%s'", png);
	for (int i = 0; i < 250 && rc != 0; i++) {
		rc = ctl(out, sizeof(out), args);
		if (rc)
			usleep(20000);
	}
	ck_assert_msg(rc == 0, "%s", out);
}

START_TEST(stock_viewer_sees_what_the_guest_drew)
{
	char out[2048], shot[160], frame[160];
	const char *d;

	start();
	ck_assert_int_eq(ctl(out, sizeof(out), "info 1"), 0);
	ck_assert_msg(strstr(out, "vnc: 127.0.0.1:59"), "%s", out);
	ck_assert_msg(strstr(out, "0 viewers, 0 frames"), "%s", out);
	guestpic_draw(&h, v);
	snprintf(shot, sizeof(shot), "%s/shot.png", dir);
	snprintf(frame, sizeof(frame), "%s/vnc.png", dir);
	screenshot(shot);
	d = guestpic_png_differs(shot);
	ck_assert_msg(!*d, "%s", d);
	ck_assert_msg(capture(out, sizeof(out), PASSWORD, frame) == 0, "%s",
		      out);
	d = guestpic_png_differs(frame);
	ck_assert_msg(!*d, "the viewer's frame: %s", d);
	simtest_guest_alive(v, 0x5a5a0001);
	ck_assert_int_eq(ctl(out, sizeof(out), "info 1"), 0);
	ck_assert_msg(strstr(out, "0 wrong passwords"), "%s", out);
	ck_assert_msg(!strstr(out, " 0 frames"), "%s", out);
	ck_assert_msg(!strstr(out, " 0 bytes sent"), "%s", out);
	stop();
}
END_TEST

START_TEST(wrong_password_refused)
{
	char out[2048], frame[160];

	start();
	guestpic_draw(&h, v);
	snprintf(frame, sizeof(frame), "%s/vnc.png", dir);
	ck_assert_int_ne(capture(out, sizeof(out), "not-it", frame), 0);
	ck_assert_int_ne(access(frame, F_OK), 0);
	simtest_guest_alive(v, 0x5a5a0002);
	ck_assert_int_eq(ctl(out, sizeof(out), "info 1"), 0);
	ck_assert_msg(strstr(out, "0 viewers"), "%s", out);
	ck_assert_msg(!strstr(out, " 0 wrong passwords"), "%s", out);
	ck_assert(harness_log_contains(&h, "gave a wrong password"));
	stop();
}
END_TEST

int main(void)
{
	Suite *s = suite_create("vnc (simulated Xen, stock viewer)");
	TCase *tc = tcase_create("vnc");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, stock_viewer_sees_what_the_guest_drew);
	tcase_add_test(tc, wrong_password_refused);
	suite_add_tcase(s, tc);
	return simtest_run(s);
}
