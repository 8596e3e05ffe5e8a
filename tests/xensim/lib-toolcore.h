/* SPDX-License-Identifier: MIT */
/*
 * lib-toolcore.h - libxentoolcore's private interface between the Xen
 * libraries (VERS_1.0 symbols xentoolcore__*).  The structure layout is
 * the real one (a callback and a BSD LIST_ENTRY), so the real libxenstore
 * or libxencall could register with our libxentoolcore too.
 */
#ifndef XENSIM_LIB_TOOLCORE_H
#define XENSIM_LIB_TOOLCORE_H

#include <stdint.h>
#include <xen/xen.h>

typedef struct Xentoolcore__Active_Handle Xentoolcore__Active_Handle;
typedef int Xentoolcore__Restrict_Callback(Xentoolcore__Active_Handle *,
					   domid_t domid);

struct Xentoolcore__Active_Handle {
	Xentoolcore__Restrict_Callback *restrict_callback;
	struct {
		Xentoolcore__Active_Handle *le_next;
		Xentoolcore__Active_Handle **le_prev;
	} entry;
};

void xentoolcore__register_active_handle(Xentoolcore__Active_Handle *ah);
void xentoolcore__deregister_active_handle(Xentoolcore__Active_Handle *ah);
int xentoolcore__restrict_by_dup2_null(int fd);

#define XSIM_CONTAINER_OF(ptr, type, member)                                   \
	((type *)((char *)(ptr)-offsetof(type, member)))

#endif
