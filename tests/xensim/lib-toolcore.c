// SPDX-License-Identifier: MIT
/*
 * lib-toolcore.c - libxentoolcore.so.1 for xensim: the list of open
 * handles of the other libraries and xentoolcore_restrict_all.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stddef.h>
#include <unistd.h>
#include <xentoolcore.h>

#include "lib-toolcore.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static Xentoolcore__Active_Handle *head;

void xentoolcore__register_active_handle(Xentoolcore__Active_Handle *ah)
{
	pthread_mutex_lock(&lock);
	ah->entry.le_next = head;
	if (head)
		head->entry.le_prev = &ah->entry.le_next;
	head = ah;
	ah->entry.le_prev = &head;
	pthread_mutex_unlock(&lock);
}

void xentoolcore__deregister_active_handle(Xentoolcore__Active_Handle *ah)
{
	pthread_mutex_lock(&lock);
	if (ah->entry.le_next)
		ah->entry.le_next->entry.le_prev = ah->entry.le_prev;
	*ah->entry.le_prev = ah->entry.le_next;
	pthread_mutex_unlock(&lock);
}

int xentoolcore__restrict_by_dup2_null(int fd)
{
	int nfd = open("/dev/null", O_RDONLY);
	int r;

	if (nfd < 0)
		return -1;
	r = dup2(nfd, fd);
	close(nfd);
	return r < 0 ? -1 : 0;
}

int xentoolcore_restrict_all(domid_t domid)
{
	int r = 0;

	pthread_mutex_lock(&lock);
	for (Xentoolcore__Active_Handle *ah = head; ah; ah = ah->entry.le_next) {
		r = ah->restrict_callback(ah, domid);
		if (r)
			break;
	}
	pthread_mutex_unlock(&lock);
	return r ? -1 : 0;
}
