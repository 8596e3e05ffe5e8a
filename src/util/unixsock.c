/* SPDX-License-Identifier: MIT */
/*
 * unixsock.c - a daemon's listening UNIX stream socket (unixsock.h).
 */
#include "util/unixsock.h"

#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

/*
 * Is something answering at sa?  A stale socket refuses; a listener whose
 * backlog is full (EAGAIN: we do not wait) is alive.
 */
static bool in_use(const struct sockaddr_un *sa)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	bool busy;

	if (fd < 0)
		return false;
	busy = connect(fd, (const struct sockaddr *)sa, sizeof(*sa)) == 0 ||
	       errno == EAGAIN;
	close(fd);
	return busy;
}

static int make_dir(const char *path, char *why, size_t whylen)
{
	char copy[sizeof(((struct sockaddr_un *)0)->sun_path)];
	const char *dir;

	snprintf(copy, sizeof(copy), "%s", path);
	dir = dirname(copy);
	if (mkdir(dir, 0700) == 0 || errno == EEXIST)
		return 0;
	snprintf(why, whylen, "mkdir %s: %s", dir, strerror(errno));
	return -errno;
}

int unixsock_listen(const char *path, int backlog, struct unixsock_id *id,
		    char *why, size_t whylen)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	struct stat st;
	int fd, rc;

	if (strlen(path) >= sizeof(sa.sun_path) || !*path) {
		snprintf(why, whylen, "%s: not a usable socket path", path);
		return -ENAMETOOLONG;
	}
	rc = make_dir(path, why, whylen);
	if (rc < 0)
		return rc;
	memcpy(sa.sun_path, path, strlen(path));
	if (lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode)) {
			snprintf(why, whylen, "%s exists and is not a socket",
				 path);
			return -EEXIST;
		}
		if (in_use(&sa)) {
			snprintf(why, whylen,
				 "%s: another daemon is listening there", path);
			return -EADDRINUSE;
		}
		unlink(path); /* stale: its daemon is gone */
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		rc = -errno;
		snprintf(why, whylen, "socket: %s", strerror(errno));
		return rc;
	}
	/* the inode bind creates takes the socket's mode (less the umask) */
	if (fchmod(fd, 0600) < 0 ||
	    bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    chmod(path, 0600) < 0 || listen(fd, backlog) < 0 ||
	    stat(path, &st) < 0) {
		rc = -errno;
		snprintf(why, whylen, "%s: %s", path, strerror(errno));
		close(fd);
		return rc;
	}
	id->dev = st.st_dev;
	id->ino = st.st_ino;
	return fd;
}

void unixsock_unlink(const char *path, const struct unixsock_id *id)
{
	struct stat st;

	if (stat(path, &st) == 0 && st.st_dev == id->dev &&
	    st.st_ino == id->ino)
		unlink(path);
}
