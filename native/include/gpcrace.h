/*
 * gpcrace.h - the one C ABI of libgpcrace.so.
 *
 * Every function Java calls and every struct that crosses the boundary is declared here.
 * Structs are described at run time by the ABI self-description (gpcrace_abi_*), which both
 * Java bridges check against their layouts before they make any other call.
 *
 * Sections, one per domain (each owns its own .c files under native/src/):
 *   core     version, errno names, the ABI description, a no-op for bridge overhead
 *   sync     futex, barriers, rwlocks, seqcount, SRCU, count-wait          (race engine)
 *   gpc      the userspace GPC, protocol variants, invalidation, rounds      (race engine)
 *   probe    latency probes and the clock                                    (latency)
 *   kernel   pin, kvm helpers                                                (real kernel)
 */
#ifndef GPCRACE_H
#define GPCRACE_H

#include <stdint.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define GPCRACE_ABI_VERSION 1

/* ------------------------------------------------------------------------------------- core */

/* Library version string, e.g. "gpcrace-native 0.1.0 abi 1". */
const char *gpcrace_version(void);
/* ABI version; a bridge refuses a library whose number differs from its own. */
int gpcrace_abi_version(void);
/* Symbolic name of an errno value ("ENOMEM"), or NULL when unknown. */
const char *gpcrace_errno_name(int err);
/* Returns its argument: the cheapest possible call, for measuring bridge overhead. */
int64_t gpcrace_noop(int64_t x);

/*
 * ABI self-description: every struct that crosses the boundary, with its size and the offset
 * and size of each field Java touches. Indexes run from 0 to count-1; out-of-range indexes
 * return NULL / -1.
 */
int gpcrace_abi_struct_count(void);
const char *gpcrace_abi_struct_name(int s);
int64_t gpcrace_abi_struct_size(int s);
int gpcrace_abi_field_count(int s);
const char *gpcrace_abi_field_name(int s, int f);
int64_t gpcrace_abi_field_offset(int s, int f);
int64_t gpcrace_abi_field_size(int s, int f);

/* ------------------------------------------------------------------------------------- sync */

/* ------------------------------------------------------------------------------------- gpc */

/* ------------------------------------------------------------------------------------- probe */

/* ------------------------------------------------------------------------------------- kernel */

#ifdef __cplusplus
}
#endif
#endif /* GPCRACE_H */
