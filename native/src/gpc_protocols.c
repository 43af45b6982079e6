/*
 * The protocol table: one row per variant, named by the same ids as
 * org.gpcrace.protocol.Protocol. Adding a variant: one gpc_<variant>.c file and one row here.
 */
#include "gpc.h"
#include <string.h>

extern const struct gpc_ops gpc_ops_rwlock, gpc_ops_seqcount_srcu, gpc_ops_seqcount_srcu_unmap_only,
    gpc_ops_seqcount, gpc_ops_unlocked, gpc_ops_pinned, gpc_ops_uffd_invalidate_then_read,
    gpc_ops_uffd_read_then_invalidate;

static const struct gpc_ops *const protocols[] = {
    &gpc_ops_rwlock,
    &gpc_ops_seqcount_srcu,
    &gpc_ops_seqcount_srcu_unmap_only,
    &gpc_ops_seqcount,
    &gpc_ops_unlocked,
    &gpc_ops_pinned,
    &gpc_ops_uffd_invalidate_then_read,
    &gpc_ops_uffd_read_then_invalidate,
};

#define NPROTOCOLS ((int)(sizeof(protocols) / sizeof(protocols[0])))

const struct gpc_ops *gpc_protocol(int index) { return index >= 0 && index < NPROTOCOLS ? protocols[index] : NULL; }

int gpcrace_gpc_protocol_count(void) { return NPROTOCOLS; }

const char *gpcrace_gpc_protocol_id(int index) { return gpc_protocol(index) ? protocols[index]->id : NULL; }

int gpcrace_gpc_protocol_index(const char *id)
{
    for (int i = 0; id && i < NPROTOCOLS; i++)
        if (strcmp(protocols[i]->id, id) == 0) return i;
    return -1;
}
