/*
 * invalidate.h - internal: the invalidation sources (invalidate.c), each a real kernel operation
 * on the guest range that goes through the MMU notifier. Their names, and which keep the page
 * content, are ABI (gpcrace_gpc_source_name, gpcrace_gpc_source_preserves_content).
 */
#ifndef GPCRACE_INVALIDATE_H
#define GPCRACE_INVALIDATE_H
#include "round.h"

/* 0, or -EINVAL with a one-line reason when the source does not fit the backing or notifier. */
int invalidate_source_valid(const struct gpcrace_gpc_config *cfg, char *err, uint64_t errlen);
/* Bytes one invalidation covers: the configured pages, rounded up to 2 MiB where needed. */
uint64_t invalidate_len(const struct gpcrace_gpc_config *cfg);
/* Per-round setup before the round starts (collapse: split the THP). 0 or an errno. */
int invalidate_prepare(struct gpcrace_gpc_run *run);
/* The kernel operation of the configured source on the guest range. 0 or an errno. */
int invalidate_zap(struct gpcrace_gpc_run *run);
#endif
