/*
 * segv_guard.h - internal: the SIGSEGV guard of the race engine (segv_guard.c), for two ranges:
 *   the mprotect source's range: while *prot_none is non-zero an access there waits until the
 *     protection is back and retries (in the kernel the access would go through khva, which
 *     PROT_NONE on the user address does not affect);
 *   the khva slots: a slot gpc_unmap tore down is PROT_NONE; an access there is a use of a
 *     kernel mapping that is gone. The guard counts it for the faulting thread and maps a scratch
 *     page in its place, so the access completes into memory nobody reads.
 */
#ifndef GPCRACE_SEGV_GUARD_H
#define GPCRACE_SEGV_GUARD_H
#include <stdint.h>

/* lo == hi: no such range. 0, or -EBUSY when another run already guards, or -errno of sigaction. */
int segv_guard_install(uint64_t lo, uint64_t hi, const uint32_t *prot_none, const uint32_t *abort,
                       uint64_t slots_lo, uint64_t slots_hi);
void segv_guard_remove(void);
/* Accesses by the calling thread that faulted on a torn-down slot, since it started. */
uint32_t segv_guard_slot_hits(void);
#endif
