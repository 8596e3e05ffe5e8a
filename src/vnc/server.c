/* SPDX-License-Identifier: MIT */
/*
 * server.c - the VNC thread (vnc.h): libvncserver serving the pictures
 * the feed hands over.
 *
 * The thread owns libvncserver's screen and everything in it.  It polls
 * its own listener, an eventfd the feed writes when a picture is waiting,
 * and the clients' sockets; then lets libvncserver read what the clients
 * sent and send what they asked for (rfbProcessEvents with no wait).
 * libvncserver never listens itself (port 0): accepting here lets us take
 * a UNIX socket, an exact address, a free port, and turn away what its
 * select() could not hold (fds >= FD_SETSIZE) or more than
 * VNC_MAX_CLIENTS viewers.
 *
 *   picture   copied into the framebuffer by damage.c; only tiles that
 *             changed are marked, so an idle screen sends nothing
 *   scroll    a picture that is the last one moved up or down is first
 *             a CopyRect of what moved (below), then damage as above
 *   size      a picture of another size makes a new framebuffer
 *             (clients that know DesktopSize are told)
 *   cursor    the guest's cursor plane as libvncserver's cursor: a rich
 *             cursor with its alpha to clients that draw cursors, drawn
 *             into the picture by libvncserver for those that do not.
 *             Gen9 cursors have no hotspot; one partly off the top or
 *             left edge is placed at the edge with the hotspot moved
 *             into it, so it shows where the guest put it.
 *   password  VNC authentication (DES, 8 bytes) against the password
 *             file's first line; failures are counted and logged
 *   input     dropped: viewing only
 */
#include "vnc/vnc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rfb/rfb.h>

#include "util/log.h"
#include "vgpu/display/capture.h"
#include "vnc/damage.h"
#include "vnc/listen.h"

#define IDLE_POLL_MS 200
#define CLIENT_WAIT_MS 5000 /* a client that takes no bytes for this long */
#define START_W 640
#define START_H 480

struct cursor_state {
	bool on;
	int32_t x, y; /* where libvncserver shows it */
	int32_t xhot, yhot;
	uint32_t size;
	uint8_t *argb; /* size * size * 4, as the guest had it */
};

struct vnc_server {
	rfbScreenInfoPtr screen;
	struct vnc_listener lis;
	int wake_fd;   /* a picture is waiting, or stop */
	int notify_fd; /* the number of clients changed */
	pthread_t thread;
	bool started;
	atomic_bool stop;

	pthread_mutex_t lock; /* the hand-over: pic and cur */
	struct vgpu_picture pic; /* rgb NULL: nothing scanned out */
	struct vgpu_cursor_image cur;
	atomic_bool waiting; /* handed over, not taken yet (set under lock) */

	char password[VNC_PASSWORD_MAX + 1];
	char *passwords[2];
	char name[64];

	/* The VNC thread's. */
	uint8_t *fb;
	uint32_t w, h;
	uint64_t *rows; /* the framebuffer's row hashes, or NULL */
	struct cursor_state cs;
	uint64_t gone_bytes;

	atomic_uint clients;
	_Atomic uint64_t frames, tiles, scrolls, bytes, refused, auth_failed;
};

/* ---- libvncserver's log ------------------------------------------------- */

/*
 * libvncserver's log and its errors (what one client did): debug lines,
 * so a viewer cannot fill the daemon's log.
 */
static void rfb_log(const char *fmt, ...)
{
	char line[256];
	size_t n;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	n = strlen(line);
	while (n && (line[n - 1] == '\n' || line[n - 1] == ' '))
		line[--n] = 0;
	log_debug("vnc: %s", line);
}

/* ---- clients ------------------------------------------------------------ */

static const char *who(rfbClientPtr cl)
{
	return cl->host && *cl->host ? cl->host : "(local)";
}

static void notify(struct vnc_server *s)
{
	uint64_t one = 1;

	if (write(s->notify_fd, &one, sizeof(one)) < 0 && errno != EAGAIN)
		log_debug("vnc: notify: %s", strerror(errno));
}

static void client_gone(rfbClientPtr cl)
{
	struct vnc_server *s = cl->screen->screenData;

	s->gone_bytes += (unsigned)rfbStatGetSentBytes(cl);
	atomic_fetch_sub(&s->clients, 1);
	log_info("vnc: viewer %s left", who(cl));
	notify(s);
}

static enum rfbNewClientAction new_client(rfbClientPtr cl)
{
	struct vnc_server *s = cl->screen->screenData;

	cl->clientGoneHook = client_gone;
	cl->viewOnly = TRUE;
	cl->cursorX = s->cs.x;
	cl->cursorY = s->cs.y;
	atomic_fetch_add(&s->clients, 1);
	log_info("vnc: viewer %s connected", who(cl));
	notify(s);
	return RFB_CLIENT_ACCEPT;
}

static rfbBool check_password(rfbClientPtr cl, const char *response, int len)
{
	struct vnc_server *s = cl->screen->screenData;

	if (rfbCheckPasswordByList(cl, response, len))
		return TRUE;
	atomic_fetch_add(&s->auth_failed, 1);
	log_guest(LOG_WARN, "vnc: viewer %s gave a wrong password", who(cl));
	return FALSE;
}

static void no_kbd(rfbBool down, rfbKeySym key, rfbClientPtr cl)
{
	(void)down, (void)key, (void)cl;
}

static void no_ptr(int buttons, int x, int y, rfbClientPtr cl)
{
	(void)buttons, (void)x, (void)y, (void)cl;
}

static void no_cut(char *str, int len, rfbClientPtr cl)
{
	(void)str, (void)len, (void)cl;
}

static void accept_clients(struct vnc_server *s)
{
	for (int i = 0; i < VNC_MAX_CLIENTS; i++) {
		int fd = accept4(s->lis.fd, NULL, NULL, SOCK_CLOEXEC);

		if (fd < 0)
			return;
		if (fd >= FD_SETSIZE ||
		    atomic_load(&s->clients) >= VNC_MAX_CLIENTS) {
			atomic_fetch_add(&s->refused, 1);
			log_guest(LOG_WARN,
				  "vnc: a viewer turned away (%s)",
				  fd >= FD_SETSIZE ? "no descriptor left"
						   : "too many viewers");
			close(fd);
			continue;
		}
		rfbNewClient(s->screen, fd); /* closes fd if it fails */
	}
}

/* ---- pictures ----------------------------------------------------------- */

static void mark(void *ctx, const struct vnc_rect *r)
{
	struct vnc_server *s = ctx;

	rfbMarkRectAsModified(s->screen, (int)r->x, (int)r->y,
			      (int)(r->x + r->w), (int)(r->y + r->h));
}

static int resize(struct vnc_server *s, uint32_t w, uint32_t h)
{
	uint8_t *fb = malloc((size_t)w * h * 4);

	if (!fb) {
		log_warn("vnc: no memory for a %ux%u framebuffer", w, h);
		return -ENOMEM;
	}
	vnc_fb_black(fb, (size_t)w * h);
	rfbNewFramebuffer(s->screen, (char *)fb, (int)w, (int)h, 8, 3, 4);
	free(s->fb);
	s->fb = fb;
	s->w = w;
	s->h = h;
	free(s->rows);
	s->rows = NULL;
	return 0;
}

/*
 * A picture that is the last one moved up or down (a console scrolling)
 * is sent as a CopyRect of what moved: libvncserver moves the
 * framebuffer's rows and tells each viewer to copy them (or marks them
 * for one that cannot); the damage pass then sends only what is new.
 */
static void scroll(struct vnc_server *s, const struct vgpu_picture *pic)
{
	uint64_t *rows = malloc((size_t)s->h * sizeof(*rows));
	int k = 0, w = (int)s->w, h = (int)s->h;

	if (rows)
		vnc_row_hashes(pic->rgb, pic->stride, s->w, s->h, rows);
	if (rows && s->rows)
		k = vnc_scroll_detect(s->rows, rows, s->h);
	if (k) {
		rfbDoCopyRect(s->screen, 0, k > 0 ? 0 : -k, w, k > 0 ? h - k : h,
			      0, -k);
		atomic_fetch_add(&s->scrolls, 1);
	}
	free(s->rows);
	s->rows = rows;
}

static void show_picture(struct vnc_server *s, const struct vgpu_picture *pic)
{
	uint32_t w = pic ? pic->width : s->w, h = pic ? pic->height : s->h;

	if ((w != s->w || h != s->h) && resize(s, w, h) < 0)
		return;
	if (pic && pic->rgb) {
		scroll(s, pic);
		atomic_fetch_add(&s->tiles,
				 vnc_damage_copy(s->fb, (size_t)s->w * 4,
						 pic->rgb, pic->stride, w, h,
						 mark, s));
		return;
	}
	/* nothing scanned out: black */
	free(s->rows);
	s->rows = NULL;
	if (vnc_fb_black(s->fb, (size_t)w * h))
		rfbMarkRectAsModified(s->screen, 0, 0, (int)w, (int)h);
}

/* libvncserver's cursor from the guest's premultiplied B G R A image. */
static rfbCursorPtr make_cursor(const struct cursor_state *c)
{
	uint32_t n = c->on ? c->size : 1, px = n * n;
	rfbCursorPtr r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->width = (unsigned short)n;
	r->height = (unsigned short)n;
	r->xhot = (unsigned short)(c->on ? c->xhot : 0);
	r->yhot = (unsigned short)(c->on ? c->yhot : 0);
	r->richSource = calloc(px, 4);
	r->alphaSource = calloc(px, 1);
	r->alphaPreMultiplied = TRUE;
	r->cleanup = r->cleanupRichSource = r->cleanupMask = TRUE;
	r->cleanupSource = TRUE;
	if (!r->richSource || !r->alphaSource)
		goto fail;
	if (!c->on) { /* 1x1 and transparent: libvncserver's "no cursor" */
		r->mask = calloc(1, 1);
		if (!r->mask)
			goto fail;
		return r;
	}
	for (uint32_t i = 0; i < px; i++) {
		const uint8_t *sp = c->argb + 4 * i;

		r->richSource[4 * i + 0] = sp[2];
		r->richSource[4 * i + 1] = sp[1];
		r->richSource[4 * i + 2] = sp[0];
		r->alphaSource[i] = sp[3];
	}
	r->mask = (unsigned char *)rfbMakeMaskFromAlphaSource(
	    (int)n, (int)n, r->alphaSource);
	if (!r->mask)
		goto fail;
	return r;
fail:
	rfbFreeCursor(r);
	return NULL;
}

static bool same_shape(const struct cursor_state *a,
		       const struct cursor_state *b)
{
	if (a->on != b->on)
		return false;
	if (!a->on)
		return true;
	return a->size == b->size && a->xhot == b->xhot &&
	       a->yhot == b->yhot &&
	       !memcmp(a->argb, b->argb, (size_t)a->size * a->size * 4);
}

static void mark_cursor(struct vnc_server *s, const struct cursor_state *c)
{
	if (c->on)
		rfbMarkRectAsModified(s->screen, c->x - c->xhot, c->y - c->yhot,
				      c->x - c->xhot + (int)c->size,
				      c->y - c->yhot + (int)c->size);
}

static void show_cursor(struct vnc_server *s, struct vgpu_cursor_image *ci)
{
	struct cursor_state n = {0};
	rfbClientIteratorPtr it;
	rfbClientPtr cl;

	if (ci && ci->on && ci->argb) {
		n.on = true;
		n.size = ci->size;
		n.x = ci->x < 0 ? 0 : ci->x;
		n.y = ci->y < 0 ? 0 : ci->y;
		n.xhot = n.x - ci->x;
		n.yhot = n.y - ci->y;
		n.argb = ci->argb;
		if ((uint32_t)n.xhot >= n.size || (uint32_t)n.yhot >= n.size ||
		    (uint32_t)n.x >= s->w || (uint32_t)n.y >= s->h)
			n = (struct cursor_state){0}; /* off the screen */
	}
	if (!same_shape(&n, &s->cs) || !s->screen->cursor) {
		rfbCursorPtr c = make_cursor(&n);

		if (!c)
			return;
		rfbSetCursor(s->screen, c);
	}
	if (n.x != s->cs.x || n.y != s->cs.y || n.on != s->cs.on) {
		mark_cursor(s, &s->cs);
		mark_cursor(s, &n);
		s->screen->cursorX = n.x;
		s->screen->cursorY = n.y;
		it = rfbGetClientIterator(s->screen);
		while ((cl = rfbClientIteratorNext(it))) {
			cl->cursorX = n.x;
			cl->cursorY = n.y;
			cl->cursorWasMoved = TRUE;
		}
		rfbReleaseClientIterator(it);
	}
	free(s->cs.argb);
	s->cs = n;
	s->cs.argb = NULL;
	if (n.on) { /* keep the image to compare the next one with */
		s->cs.argb = ci->argb;
		ci->argb = NULL;
	}
}

static void take_frame(struct vnc_server *s)
{
	struct vgpu_picture pic;
	struct vgpu_cursor_image cur;
	bool have;

	pthread_mutex_lock(&s->lock);
	have = atomic_load(&s->waiting);
	pic = s->pic;
	cur = s->cur;
	memset(&s->pic, 0, sizeof(s->pic));
	memset(&s->cur, 0, sizeof(s->cur));
	atomic_store(&s->waiting, false);
	pthread_mutex_unlock(&s->lock);
	if (!have)
		return;
	show_picture(s, pic.rgb ? &pic : NULL);
	show_cursor(s, &cur);
	atomic_fetch_add(&s->frames, 1);
	vgpu_picture_free(&pic);
	vgpu_cursor_image_free(&cur);
}

static void count_bytes(struct vnc_server *s)
{
	rfbClientIteratorPtr it = rfbGetClientIterator(s->screen);
	uint64_t live = 0;
	rfbClientPtr cl;

	while ((cl = rfbClientIteratorNext(it)))
		live += (unsigned)rfbStatGetSentBytes(cl);
	rfbReleaseClientIterator(it);
	atomic_store(&s->bytes, s->gone_bytes + live);
}

static void *run(void *arg)
{
	struct vnc_server *s = arg;
	struct pollfd pfd[2 + VNC_MAX_CLIENTS];
	rfbClientIteratorPtr it;
	rfbClientPtr cl;
	uint64_t v;
	nfds_t n;

	while (!atomic_load(&s->stop)) {
		pfd[0] = (struct pollfd){.fd = s->lis.fd, .events = POLLIN};
		pfd[1] = (struct pollfd){.fd = s->wake_fd, .events = POLLIN};
		n = 2;
		it = rfbGetClientIterator(s->screen);
		while ((cl = rfbClientIteratorNext(it)) &&
		       n < sizeof(pfd) / sizeof(pfd[0]))
			if (cl->sock != RFB_INVALID_SOCKET)
				pfd[n++] = (struct pollfd){.fd = cl->sock,
							   .events = POLLIN};
		rfbReleaseClientIterator(it);
		if (poll(pfd, n, IDLE_POLL_MS) < 0 && errno != EINTR) {
			log_warn("vnc: poll: %s", strerror(errno));
			break;
		}
		if (pfd[0].revents & POLLIN)
			accept_clients(s);
		if (pfd[1].revents & POLLIN) {
			if (read(s->wake_fd, &v, sizeof(v)) < 0 &&
			    errno != EAGAIN)
				log_debug("vnc: wake: %s", strerror(errno));
			take_frame(s);
		}
		rfbProcessEvents(s->screen, 0);
		count_bytes(s);
	}
	return NULL;
}

/* ---- open, close, hand-over --------------------------------------------- */

static int read_password(struct vnc_server *s, const char *path, char *why,
			 size_t whylen)
{
	char buf[256];
	struct stat st;
	ssize_t n;
	size_t len;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY), rc;

	if (fd < 0 || fstat(fd, &st) < 0) {
		rc = -errno;
		snprintf(why, whylen, "password file %s: %s", path,
			 strerror(errno));
		if (fd >= 0)
			close(fd);
		return rc;
	}
	n = read(fd, buf, sizeof(buf) - 1);
	rc = n < 0 ? -errno : 0;
	close(fd);
	if (rc < 0) {
		snprintf(why, whylen, "password file %s: %s", path,
			 strerror(-rc));
		return rc;
	}
	buf[n] = 0;
	len = strcspn(buf, "\r\n");
	if (len == 0) {
		snprintf(why, whylen, "password file %s: the first line is empty",
			 path);
		return -EINVAL;
	}
	if (len > VNC_PASSWORD_MAX)
		log_warn("vnc: %s: VNC authentication uses only the first %d "
			 "characters of the password",
			 path, VNC_PASSWORD_MAX);
	if (st.st_mode & 077)
		log_warn("vnc: %s can be read by others (mode %03o)", path,
			 (unsigned)(st.st_mode & 0777));
	memcpy(s->password, buf, len > VNC_PASSWORD_MAX ? VNC_PASSWORD_MAX : len);
	explicit_bzero(buf, sizeof(buf));
	s->passwords[0] = s->password;
	s->passwords[1] = NULL;
	return 0;
}

static int make_screen(struct vnc_server *s)
{
	static char prog[] = "xengt-dm";
	char *argv[] = {prog, NULL};
	int argc = 1;
	rfbScreenInfoPtr sc;

	rfbLog = rfb_log;
	rfbErr = rfb_log;
	sc = rfbGetScreen(&argc, argv, START_W, START_H, 8, 3, 4);
	if (!sc)
		return -ENOMEM;
	s->screen = sc;
	s->fb = malloc((size_t)START_W * START_H * 4);
	if (!s->fb)
		return -ENOMEM;
	vnc_fb_black(s->fb, (size_t)START_W * START_H);
	s->w = START_W;
	s->h = START_H;
	sc->frameBuffer = (char *)s->fb;
	sc->screenData = s;
	sc->desktopName = s->name;
	sc->autoPort = FALSE;
	sc->port = 0; /* we listen: see above */
	sc->ipv6port = 0;
	sc->httpPort = 0;
	sc->http6Port = 0;
	sc->httpDir = NULL;
	sc->alwaysShared = TRUE;
	sc->deferUpdateTime = 0;
	sc->maxClientWait = CLIENT_WAIT_MS;
	sc->newClientHook = new_client;
	sc->kbdAddEvent = no_kbd;
	sc->ptrAddEvent = no_ptr;
	sc->setXCutText = no_cut;
	sc->ignoreSIGPIPE = TRUE;
	sc->cursor = make_cursor(&s->cs); /* none yet */
	if (!sc->cursor)
		return -ENOMEM;
	if (s->passwords[0]) {
		sc->authPasswdData = s->passwords;
		sc->passwordCheck = check_password;
	}
	rfbInitServer(sc);
	return 0;
}

int vnc_server_open(const struct vnc_options *o, struct vnc_server **out,
		    char *why, size_t whylen)
{
	struct vnc_server *s = calloc(1, sizeof(*s));
	int rc;

	*out = NULL;
	if (!s) {
		snprintf(why, whylen, "no memory");
		return -ENOMEM;
	}
	s->lis.fd = s->wake_fd = s->notify_fd = -1;
	pthread_mutex_init(&s->lock, NULL);
	snprintf(s->name, sizeof(s->name), "%s", o->name ? o->name : "xengt");
	if (o->password_file) {
		rc = read_password(s, o->password_file, why, whylen);
		if (rc < 0)
			goto fail;
	}
	rc = vnc_listen(o->listen, &s->lis, why, whylen);
	if (rc < 0)
		goto fail;
	s->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	s->notify_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (s->wake_fd < 0 || s->notify_fd < 0) {
		rc = -errno;
		snprintf(why, whylen, "eventfd: %s", strerror(errno));
		goto fail;
	}
	rc = make_screen(s);
	if (rc < 0) {
		snprintf(why, whylen, "libvncserver: %s", strerror(-rc));
		goto fail;
	}
	rc = -pthread_create(&s->thread, NULL, run, s);
	if (rc < 0) {
		snprintf(why, whylen, "thread: %s", strerror(-rc));
		goto fail;
	}
	s->started = true;
	*out = s;
	return 0;
fail:
	vnc_server_close(s);
	return rc;
}

void vnc_server_close(struct vnc_server *s)
{
	uint64_t one = 1;

	if (!s)
		return;
	if (s->started) {
		atomic_store(&s->stop, true);
		if (write(s->wake_fd, &one, sizeof(one)) < 0)
			log_debug("vnc: stop: %s", strerror(errno));
		pthread_join(s->thread, NULL);
	}
	if (s->screen) {
		rfbShutdownServer(s->screen, TRUE);
		rfbScreenCleanup(s->screen);
	}
	free(s->fb);
	free(s->rows);
	free(s->cs.argb);
	vgpu_picture_free(&s->pic);
	vgpu_cursor_image_free(&s->cur);
	vnc_unlisten(&s->lis);
	if (s->wake_fd >= 0)
		close(s->wake_fd);
	if (s->notify_fd >= 0)
		close(s->notify_fd);
	pthread_mutex_destroy(&s->lock);
	explicit_bzero(s->password, sizeof(s->password));
	free(s);
}

const char *vnc_server_address(const struct vnc_server *s)
{
	return s->lis.desc;
}

int vnc_server_port(const struct vnc_server *s)
{
	return s->lis.port;
}

int vnc_server_notify_fd(const struct vnc_server *s)
{
	return s->notify_fd;
}

unsigned vnc_server_clients(const struct vnc_server *s)
{
	return atomic_load(&((struct vnc_server *)s)->clients);
}

bool vnc_server_wants_frame(const struct vnc_server *s)
{
	struct vnc_server *m = (struct vnc_server *)s;

	return atomic_load(&m->clients) > 0 && !atomic_load(&m->waiting);
}

void vnc_server_put_frame(struct vnc_server *s, struct vgpu_picture *pic,
			  struct vgpu_cursor_image *cur)
{
	uint64_t one = 1;

	pthread_mutex_lock(&s->lock);
	vgpu_picture_free(&s->pic);
	vgpu_cursor_image_free(&s->cur);
	if (pic) {
		s->pic = *pic;
		pic->rgb = NULL;
	}
	if (cur) {
		s->cur = *cur;
		cur->argb = NULL;
	}
	atomic_store(&s->waiting, true);
	pthread_mutex_unlock(&s->lock);
	if (write(s->wake_fd, &one, sizeof(one)) < 0 && errno != EAGAIN)
		log_debug("vnc: wake: %s", strerror(errno));
}

void vnc_server_stats(const struct vnc_server *s, struct vnc_stats *out)
{
	struct vnc_server *m = (struct vnc_server *)s;

	out->clients = atomic_load(&m->clients);
	out->frames = atomic_load(&m->frames);
	out->tiles = atomic_load(&m->tiles);
	out->scrolls = atomic_load(&m->scrolls);
	out->bytes = atomic_load(&m->bytes);
	out->refused = atomic_load(&m->refused);
	out->auth_failed = atomic_load(&m->auth_failed);
}
