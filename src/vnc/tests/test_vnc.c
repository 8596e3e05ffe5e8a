/* SPDX-License-Identifier: MIT */
/*
 * test_vnc.c - the VNC server as a viewer sees it, through libvncclient
 * in the same process: the picture handed over arrives pixel for pixel
 * (and at its size), an unchanged picture sends nothing, one changed tile
 * sends about one tile, the cursor comes as a cursor (or drawn in for a
 * viewer that does not take cursors), a wrong password is refused, a
 * ninth viewer is turned away, and the address syntax holds.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <rfb/rfbclient.h>

#include "vgpu/display/capture.h"
#include "vnc/listen.h"
#include "vnc/vnc.h"

#define W 100u
#define H 60u
#define RAW_TILE (32u * 32u * 4u) /* one tile, raw */

static char dir[64], sock_path[96], spec[108];
static struct vnc_server *srv;

static void quiet(const char *fmt, ...)
{
	(void)fmt;
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void ref_pixel(unsigned x, unsigned y, unsigned seed, uint8_t c[3])
{
	c[0] = (uint8_t)(x * 2 + seed);
	c[1] = (uint8_t)(y * 4);
	c[2] = (uint8_t)(x ^ y ^ seed);
}

static void make_picture(struct vgpu_picture *pic, unsigned seed)
{
	memset(pic, 0, sizeof(*pic));
	pic->width = W;
	pic->height = H;
	pic->stride = W * 3;
	pic->rgb = malloc(pic->stride * H);
	ck_assert_ptr_nonnull(pic->rgb);
	for (unsigned y = 0; y < H; y++)
		for (unsigned x = 0; x < W; x++)
			ref_pixel(x, y, seed, pic->rgb + y * pic->stride + 3 * x);
}

static void put(unsigned seed, struct vgpu_cursor_image *cur)
{
	struct vgpu_picture pic;

	make_picture(&pic, seed);
	vnc_server_put_frame(srv, &pic, cur);
	vgpu_picture_free(&pic);
}

/* ---- a viewer ------------------------------------------------------------ */

static const char *password = NULL;
static int cursor_shapes, cursor_w, cursor_xhot, cursor_yhot;

static char *give_password(rfbClient *c)
{
	(void)c;
	return strdup(password ? password : "");
}

static void got_cursor(rfbClient *c, int xhot, int yhot, int w, int h,
		       int bpp)
{
	(void)c, (void)h, (void)bpp;
	cursor_shapes++;
	cursor_w = w;
	cursor_xhot = xhot;
	cursor_yhot = yhot;
}

static rfbClient *viewer(bool remote_cursor)
{
	rfbClient *c = rfbGetClient(8, 3, 4);

	ck_assert_ptr_nonnull(c);
	c->serverHost = strdup(sock_path);
	c->GetPassword = give_password;
	c->canHandleNewFBSize = TRUE;
	c->appData.encodingsString = "zrle raw";
	c->appData.useRemoteCursor = remote_cursor;
	c->GotCursorShape = got_cursor;
	if (!rfbInitClient(c, NULL, NULL)) /* it freed c */
		return NULL;
	return c;
}

static void viewer_close(rfbClient *c)
{
	free(c->frameBuffer);
	c->frameBuffer = NULL;
	rfbClientCleanup(c);
}

/* Handle what the server sends for up to ms. */
static void pump(rfbClient *c, unsigned ms)
{
	uint64_t end = now_ms() + ms;

	while (now_ms() < end) {
		int n = WaitForMessage(c, 10000);

		ck_assert_int_ge(n, 0);
		/* what libvncclient read ahead is not seen by WaitForMessage */
		while (n > 0 || c->buffered > 0) {
			ck_assert(HandleRFBServerMessage(c));
			n = 0;
		}
	}
}

static bool fb_is(rfbClient *c, unsigned seed)
{
	uint8_t ref[3];

	if (!c->frameBuffer || c->width != (int)W || c->height != (int)H)
		return false;
	for (unsigned y = 0; y < H; y++)
		for (unsigned x = 0; x < W; x++) {
			ref_pixel(x, y, seed, ref);
			if (memcmp(c->frameBuffer + (y * W + x) * 4, ref, 3))
				return false;
		}
	return true;
}

static bool fb_equals(rfbClient *c, const struct vgpu_picture *pic)
{
	if (!c->frameBuffer || c->width != (int)pic->width ||
	    c->height != (int)pic->height)
		return false;
	for (unsigned y = 0; y < pic->height; y++)
		for (unsigned x = 0; x < pic->width; x++)
			if (memcmp(c->frameBuffer + (y * pic->width + x) * 4,
				   pic->rgb + y * pic->stride + 3 * x, 3))
				return false;
	return true;
}

/* Pump until the viewer shows the picture `seed`, for up to 5 s. */
static bool wait_for(rfbClient *c, unsigned seed)
{
	for (int i = 0; i < 100; i++) {
		if (fb_is(c, seed))
			return true;
		pump(c, 50);
	}
	return false;
}

static void wait_clients(unsigned n)
{
	for (int i = 0; i < 500 && vnc_server_clients(srv) != n; i++)
		usleep(10000);
	ck_assert_uint_eq(vnc_server_clients(srv), n);
}

static void open_server(const char *pwfile)
{
	struct vnc_options o = {.listen = spec, .password_file = pwfile,
				.name = "test"};
	char why[160];

	ck_assert_msg(vnc_server_open(&o, &srv, why, sizeof(why)) == 0, "%s",
		      why);
}

static void setup(void)
{
	rfbClientLog = quiet;
	rfbClientErr = quiet;
	snprintf(dir, sizeof(dir), "/tmp/xengt-vnc-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(sock_path, sizeof(sock_path), "%s/vnc.sock", dir);
	snprintf(spec, sizeof(spec), "unix:%s", sock_path);
	password = NULL;
	cursor_shapes = 0;
}

static void teardown(void)
{
	char pw[160];

	vnc_server_close(srv);
	srv = NULL;
	ck_assert_int_ne(access(sock_path, F_OK), 0); /* removed */
	snprintf(pw, sizeof(pw), "%s/pw", dir);
	unlink(pw);
	rmdir(dir);
}

/* ---- the cases ----------------------------------------------------------- */

START_TEST(picture_arrives_exactly)
{
	rfbClient *c;
	struct stat st;

	open_server(NULL);
	ck_assert_int_eq(stat(sock_path, &st), 0);
	ck_assert_uint_eq(st.st_mode & 0777, 0600);
	c = viewer(true);
	ck_assert_ptr_nonnull(c);
	wait_clients(1);
	ck_assert(vnc_server_wants_frame(srv));
	put(1, NULL);
	ck_assert(wait_for(c, 1)); /* resized from 640x480 to W x H too */
	put(2, NULL);
	ck_assert(wait_for(c, 2));
	viewer_close(c);
	wait_clients(0);
	ck_assert(!vnc_server_wants_frame(srv));
}
END_TEST

/*
 * A viewer asking for `encodings`, shown picture `seed` and idle since:
 * the server's counters then in *st.
 */
static rfbClient *settled_viewer(const char *encodings, unsigned seed,
				 struct vnc_stats *st)
{
	rfbClient *c;

	open_server(NULL);
	c = viewer(true);
	ck_assert_ptr_nonnull(c);
	c->appData.encodingsString = encodings;
	SetFormatAndEncodings(c);
	wait_clients(1);
	put(seed, NULL);
	ck_assert(wait_for(c, seed));
	pump(c, 100);
	vnc_server_stats(srv, st);
	return c;
}

START_TEST(idle_sends_nothing_a_tile_sends_a_tile)
{
	struct vgpu_picture pic;
	struct vnc_stats st0, st1;
	rfbClient *c = settled_viewer("raw", 3, &st0);

	for (int i = 0; i < 5; i++) {
		put(3, NULL);
		pump(c, 40);
	}
	vnc_server_stats(srv, &st1);
	ck_assert_uint_ge(st1.frames, st0.frames + 5);
	ck_assert_uint_eq(st1.tiles, st0.tiles);
	ck_assert_uint_eq(st1.bytes, st0.bytes);

	make_picture(&pic, 3);
	pic.rgb[10 * pic.stride + 3 * 40] ^= 0xff; /* tile (1, 0) */
	vnc_server_put_frame(srv, &pic, NULL);
	vgpu_picture_free(&pic);
	pump(c, 200);
	vnc_server_stats(srv, &st0);
	ck_assert_uint_eq(st0.tiles, st1.tiles + 1);
	ck_assert_uint_ge(st0.bytes - st1.bytes, RAW_TILE);
	ck_assert_uint_lt(st0.bytes - st1.bytes, RAW_TILE + 64);
	viewer_close(c);
}
END_TEST

/* A scroll: the rows that moved come as a copy, only the new ones as pixels. */
START_TEST(scroll_is_a_copy)
{
	struct vgpu_picture pic, want;
	struct vnc_stats st0, st1;
	rfbClient *c = settled_viewer("copyrect raw", 6, &st0);
	bool same = false;

	make_picture(&pic, 6); /* up by 16 rows, new rows below */
	memmove(pic.rgb, pic.rgb + 16 * pic.stride, (H - 16) * pic.stride);
	for (unsigned y = H - 16; y < H; y++)
		for (unsigned x = 0; x < W; x++)
			ref_pixel(x, y, 99, pic.rgb + y * pic.stride + 3 * x);
	want = pic;
	want.rgb = malloc(H * pic.stride);
	ck_assert_ptr_nonnull(want.rgb);
	memcpy(want.rgb, pic.rgb, H * pic.stride);
	vnc_server_put_frame(srv, &pic, NULL); /* takes pic.rgb */
	for (int i = 0; i < 100 && !same; i++) {
		pump(c, 50);
		same = fb_equals(c, &want);
	}
	ck_assert(same);
	vnc_server_stats(srv, &st1);
	ck_assert_uint_eq(st1.scrolls, st0.scrolls + 1);
	/*
	 * the tile row holding the 16 new rows raw (rows 32..59: 11200
	 * bytes), not the 24000 of the screen
	 */
	ck_assert_uint_lt(st1.bytes - st0.bytes, (H - 32) * W * 4 + 512);
	vgpu_picture_free(&want);
	viewer_close(c);
}
END_TEST

static void cursor_image(struct vgpu_cursor_image *ci, int x, int y)
{
	ci->on = true;
	ci->x = x;
	ci->y = y;
	ci->size = 64;
	ci->argb = malloc(64 * 64 * 4);
	ck_assert_ptr_nonnull(ci->argb);
	memset(ci->argb, 0xff, 64 * 64 * 4); /* opaque white */
}

START_TEST(cursor_is_a_cursor)
{
	struct vgpu_cursor_image ci;
	rfbClient *shape, *drawn;

	open_server(NULL);
	shape = viewer(true);
	drawn = viewer(false);
	ck_assert_ptr_nonnull(shape);
	ck_assert_ptr_nonnull(drawn);
	wait_clients(2);
	cursor_image(&ci, 30, -5); /* partly above the top */
	put(4, &ci);
	vgpu_cursor_image_free(&ci);
	for (int i = 0; i < 10; i++) {
		pump(shape, 30);
		pump(drawn, 30);
	}
	/* the viewer that draws cursors got the shape, hotspot moved in */
	ck_assert_int_ge(cursor_shapes, 1);
	ck_assert_int_eq(cursor_w, 64);
	ck_assert_int_eq(cursor_xhot, 0);
	ck_assert_int_eq(cursor_yhot, 5);
	ck_assert(fb_is(shape, 4)); /* and a picture without it */
	/* the other one sees it drawn in at (30, 0) .. (93, 58) */
	ck_assert_mem_eq(drawn->frameBuffer + (10 * W + 40) * 4, "\xff\xff\xff",
			 3);
	ck_assert_mem_eq(drawn->frameBuffer + (58 * W + 30) * 4, "\xff\xff\xff",
			 3);
	ck_assert(!fb_is(drawn, 4));
	/* the cursor goes: the picture is whole again */
	put(4, NULL);
	pump(drawn, 300);
	ck_assert(fb_is(drawn, 4));
	viewer_close(shape);
	viewer_close(drawn);
}
END_TEST

static void write_password(const char *pw)
{
	char path[160];
	FILE *f;

	snprintf(path, sizeof(path), "%s/pw", dir);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "%s\n", pw);
	fclose(f);
	chmod(path, 0600);
}

START_TEST(password_checked)
{
	struct vnc_stats st;
	char path[160];
	rfbClient *c;

	write_password("s3cret-xengt");
	snprintf(path, sizeof(path), "%s/pw", dir);
	open_server(path);
	password = "wrong";
	ck_assert_ptr_null(viewer(true));
	vnc_server_stats(srv, &st);
	ck_assert_uint_eq(st.auth_failed, 1);
	password = "s3cret-x"; /* VNC authentication: the first 8 count */
	c = viewer(true);
	ck_assert_ptr_nonnull(c);
	wait_clients(1);
	put(5, NULL);
	ck_assert(wait_for(c, 5));
	viewer_close(c);
}
END_TEST

START_TEST(bad_password_files)
{
	struct vnc_options o = {.listen = spec};
	char why[160], path[160];

	snprintf(path, sizeof(path), "%s/pw", dir);
	o.password_file = path;
	ck_assert_int_eq(vnc_server_open(&o, &srv, why, sizeof(why)), -ENOENT);
	ck_assert_ptr_null(srv);
	write_password("");
	ck_assert_int_eq(vnc_server_open(&o, &srv, why, sizeof(why)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(why, "empty"));
	ck_assert_ptr_null(srv);
}
END_TEST

static int raw_connect(void)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	ck_assert_int_ge(fd, 0);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", sock_path);
	ck_assert_int_eq(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	return fd;
}

START_TEST(ninth_viewer_turned_away)
{
	struct vnc_stats st;
	struct timeval tv = {.tv_sec = 5};
	int fds[VNC_MAX_CLIENTS], extra;
	char buf[16];

	open_server(NULL);
	for (int i = 0; i < VNC_MAX_CLIENTS; i++)
		fds[i] = raw_connect();
	wait_clients(VNC_MAX_CLIENTS);
	extra = raw_connect();
	setsockopt(extra, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	ck_assert_int_eq(read(extra, buf, sizeof(buf)), 0); /* closed */
	vnc_server_stats(srv, &st);
	ck_assert_uint_eq(st.refused, 1);
	/* the others got the server's greeting */
	ck_assert_int_eq(read(fds[0], buf, 12), 12);
	ck_assert_mem_eq(buf, "RFB 003.", 8);
	close(extra);
	for (int i = 0; i < VNC_MAX_CLIENTS; i++)
		close(fds[i]);
	wait_clients(0);
}
END_TEST

/* A viewer that speaks nonsense is dropped; the others are not. */
START_TEST(garbage_viewer_dropped)
{
	static const char junk[] = "GET / HTTP/1.0\r\n\r\n\xff\xfe\x00garbage";
	struct timeval tv = {.tv_sec = 5};
	char buf[64];
	rfbClient *c;
	int fd;
	ssize_t n;

	open_server(NULL);
	c = viewer(true);
	ck_assert_ptr_nonnull(c);
	wait_clients(1);
	fd = raw_connect();
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	ck_assert_int_eq(read(fd, buf, 12), 12); /* the greeting */
	ck_assert_int_eq(write(fd, junk, sizeof(junk)), (ssize_t)sizeof(junk));
	do /* whatever it answers, it then closes (reset: junk unread) */
		n = read(fd, buf, sizeof(buf));
	while (n > 0);
	ck_assert_msg(n == 0 || errno == ECONNRESET, "read: %s",
		      strerror(errno));
	close(fd);
	wait_clients(1);
	put(7, NULL);
	ck_assert(wait_for(c, 7));
	viewer_close(c);
}
END_TEST

START_TEST(addresses)
{
	struct vnc_listener l;
	char why[160];

	ck_assert_int_eq(vnc_listen("127.0.0.1::0", &l, why, sizeof(why)), 0);
	ck_assert_int_gt(l.port, 0);
	{
		char want[64];

		snprintf(want, sizeof(want), "127.0.0.1:%d", l.port);
		ck_assert_str_eq(l.desc, want);
	}
	vnc_unlisten(&l);
	ck_assert_int_eq(l.fd, -1);
	ck_assert_int_eq(vnc_listen("localhost::0", &l, why, sizeof(why)), 0);
	vnc_unlisten(&l);
	ck_assert_int_eq(vnc_listen("localhost:100", &l, why, sizeof(why)),
			 -EINVAL);
	ck_assert_int_eq(vnc_listen("localhost:", &l, why, sizeof(why)),
			 -EINVAL);
	ck_assert_int_eq(vnc_listen("localhost::65536", &l, why, sizeof(why)),
			 -EINVAL);
	ck_assert_int_eq(vnc_listen("[::1:0", &l, why, sizeof(why)), -EINVAL);
	ck_assert_int_eq(vnc_listen("x:-1", &l, why, sizeof(why)), -EINVAL);
	ck_assert_int_eq(vnc_listen("x", &l, why, sizeof(why)), -EINVAL);
	ck_assert_int_eq(vnc_listen("", &l, why, sizeof(why)), -EINVAL);
	ck_assert_int_eq(vnc_listen("[::1]", &l, why, sizeof(why)), -EINVAL);
	{
		char big[400];

		memset(big, 'h', sizeof(big));
		memcpy(big + sizeof(big) - 4, ":10", 4); /* host too long */
		ck_assert_int_eq(vnc_listen(big, &l, why, sizeof(why)),
				 -EINVAL);
	}
	/* an empty host is localhost */
	ck_assert_int_eq(vnc_listen("::0", &l, why, sizeof(why)), 0);
	ck_assert(strncmp(l.desc, "127.0.0.1:", 10) == 0 ||
		  strncmp(l.desc, "[::1]:", 6) == 0);
	vnc_unlisten(&l);
	ck_assert_int_eq(vnc_listen(spec, &l, why, sizeof(why)), 0);
	ck_assert_str_eq(l.desc, spec);
	/* a second listener at a live socket is refused */
	{
		struct vnc_listener l2;

		ck_assert_int_eq(vnc_listen(spec, &l2, why, sizeof(why)),
				 -EADDRINUSE);
	}
	vnc_unlisten(&l);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("vnc");
	TCase *tc = tcase_create("vnc");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 30);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, picture_arrives_exactly);
	tcase_add_test(tc, idle_sends_nothing_a_tile_sends_a_tile);
	tcase_add_test(tc, scroll_is_a_copy);
	tcase_add_test(tc, cursor_is_a_cursor);
	tcase_add_test(tc, password_checked);
	tcase_add_test(tc, bad_password_files);
	tcase_add_test(tc, ninth_viewer_turned_away);
	tcase_add_test(tc, garbage_viewer_dropped);
	tcase_add_test(tc, addresses);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
