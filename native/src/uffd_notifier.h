/*
 * uffd_notifier.h - internal: the userfaultfd notifier (--notifier uffd, uffd_notifier.c). A
 * monitor thread reacts to UFFD_EVENT_REMOVE as the cache's only notifier; the runner opens
 * and closes it, starts and stops the monitor, and ends each invalidation through it.
 */
#ifndef GPCRACE_UFFD_NOTIFIER_H
#define GPCRACE_UFFD_NOTIFIER_H
#include "round.h"

/* userfaultfd with EVENT_REMOVE over the guest range, and the monitor's stop eventfd.
 * 0, or a negative errno with a one-line reason and its fix in err. */
int uffd_notifier_open(struct gpcrace_gpc_run *run, char *err, uint64_t errlen);
void uffd_notifier_close(struct gpcrace_gpc_run *run);
/* The monitor thread (a struct round_actor); it leaves on stop, abort or uffd_notifier_stop. */
void *uffd_monitor_main(void *arg);
void uffd_notifier_stop(struct gpcrace_gpc_run *run);
/* The madvise thread's side once its operation returned: 0, or -ECANCELED. */
int uffd_inv_finish(struct gpcrace_gpc_run *run, int zap_errno);
#endif
