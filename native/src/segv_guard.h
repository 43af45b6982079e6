/*
 * segv_guard.h - internal: the SIGSEGV guard of the mprotect source (segv_guard.c). While
 * *prot_none is set, an access to [lo, hi) waits until the protection is back and retries.
 */
#ifndef GPCRACE_SEGV_GUARD_H
#define GPCRACE_SEGV_GUARD_H
#include <stdint.h>

/* 0, or -EBUSY when another run already guards its range, or -errno of sigaction. */
int segv_guard_install(uint64_t lo, uint64_t hi, const uint32_t *prot_none, const uint32_t *abort);
void segv_guard_remove(void);
#endif
