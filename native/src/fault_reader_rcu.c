/*
 * fault_reader_rcu.c - the global RCU domain of fault-in-reader: liburcu, the userspace RCU
 * library kernel engineers know (Debian's liburcu8 / liburcu-dev), loaded on demand with dlopen
 * so the helper builds and loads without it, or the project's SRCU (sync_srcu.c) used as the
 * one global domain.
 *
 *   urcu-memb  liburcu-memb.so.8: readers are compiler barriers, synchronize_rcu uses
 *              membarrier(2) (the flavor closest to the kernel's RCU)
 *   urcu-mb    liburcu-mb.so.8: readers issue full memory barriers
 *   gpcrace    sync_srcu: the same semantics (synchronize waits for every reader inside a
 *              read-side section that began before it)
 * Each liburcu flavor is its own domain: readers of one are not waited for by the other.
 */
#define _GNU_SOURCE
#include "fault_reader.h"

#include <dlfcn.h>
#include <errno.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <limits.h>
#include <string.h>

/* the liburcu entry points, resolved by name (urcu/urcu-memb.h, urcu/urcu-mb.h) */
static struct {
    void (*read_lock)(void);
    void (*read_unlock)(void);
    void (*synchronize)(void);
    void (*register_thread)(void);
    void (*unregister_thread)(void);
} urcu;

static struct sync_srcu *global_srcu;

static int urcu_lock(int reader) { (void)reader; urcu.read_lock(); return 0; }
static void urcu_unlock(int reader, int idx) { (void)reader; (void)idx; urcu.read_unlock(); }
static void urcu_sync(void) { urcu.synchronize(); }
static void urcu_register(void) { urcu.register_thread(); }
static void urcu_unregister(void) { urcu.unregister_thread(); }

static int srcu_lock(int reader) { return sync_srcu_read_lock(global_srcu, reader); }
static void srcu_unlock(int reader, int idx) { sync_srcu_read_unlock(global_srcu, reader, idx); }
static void srcu_sync(void) { sync_srcu_synchronize(global_srcu, GPCRACE_WAIT_SLEEP); }
static void nothing(void) {}

static int open_urcu(const char *flavor, char *desc, uint64_t desclen, char *err, uint64_t errlen)
{
    char lib[64], sym[64];
    snprintf(lib, sizeof(lib), "liburcu-%s.so.8", flavor);
    /* RTLD_NODELETE: the library's threads and TLS outlive any one run */
    void *h = dlopen(lib, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
    if (!h) {
        snprintf(err, errlen, "%s cannot be loaded (%s)", lib, dlerror());
        return -ENOENT;
    }
    struct { const char *suffix; void (**fn)(void); } want[] = {
        {"read_lock", &urcu.read_lock}, {"read_unlock", &urcu.read_unlock}, {"synchronize_rcu", &urcu.synchronize},
        {"register_thread", &urcu.register_thread}, {"unregister_thread", &urcu.unregister_thread},
    };
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        snprintf(sym, sizeof(sym), "urcu_%s_%s", flavor, want[i].suffix);
        void *f = dlsym(h, sym);
        if (!f) {
            snprintf(err, errlen, "%s has no %s (liburcu 0.11 or later names its flavors so)", lib, sym);
            return -ENOENT;
        }
        memcpy(want[i].fn, &f, sizeof(f));
    }
    struct link_map *lm = NULL;
    const char *path = dlinfo(h, RTLD_DI_LINKMAP, &lm) == 0 && lm ? lm->l_name : lib;
    char real[256];
    snprintf(desc, desclen, "liburcu urcu-%s (%s)", flavor, realpath(path, real) ? real : path);
    return 0;
}

int fr_rcu_open(int kind, struct sync_srcu *srcu, uint32_t readers, const uint32_t *abort, struct fr_rcu *out,
                char *desc, uint64_t desclen, char *err, uint64_t errlen)
{
    memset(out, 0, sizeof(*out));
    if (kind == GPCRACE_FR_RCU_URCU_MEMB || kind == GPCRACE_FR_RCU_URCU_MB) {
        int rc = open_urcu(kind == GPCRACE_FR_RCU_URCU_MEMB ? "memb" : "mb", desc, desclen, err, errlen);
        if (rc) return rc;
        *out = (struct fr_rcu){kind == GPCRACE_FR_RCU_URCU_MEMB ? "urcu-memb" : "urcu-mb", urcu_register, urcu_unregister,
                               urcu_lock, urcu_unlock, urcu_sync};
        return 0;
    }
    if (kind != GPCRACE_FR_RCU_GPCRACE) {
        snprintf(err, errlen, "unknown RCU implementation %d", kind);
        return -EINVAL;
    }
    /* one run at a time (gpcrace_fr_run makes sure): the table's functions reach it here */
    global_srcu = srcu;
    sync_srcu_init(global_srcu, readers, abort);
    *out = (struct fr_rcu){"gpcrace", nothing, nothing, srcu_lock, srcu_unlock, srcu_sync};
    snprintf(desc, desclen, "gpcrace SRCU (sync_srcu.c) as the global domain");
    return 0;
}
