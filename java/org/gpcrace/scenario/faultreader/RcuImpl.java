package org.gpcrace.scenario.faultreader;

import org.gpcrace.util.HasId;
import org.gpcrace.util.Ids;

/** The global RCU domain's implementation (gpcrace.h GPCRACE_FR_RCU_*). */
public enum RcuImpl implements HasId {
    /** liburcu's memb flavor (liburcu-memb.so.8): the reference userspace RCU, closest to the kernel's */
    URCU_MEMB("urcu-memb", 0),
    /** liburcu's mb flavor (liburcu-mb.so.8): readers with full barriers */
    URCU_MB("urcu-mb", 1),
    /** the project's SRCU (sync_srcu.c) used as the one global domain: same semantics, no library */
    GPCRACE("gpcrace", 2);

    private final String id;
    private final int nativeId;

    RcuImpl(String id, int nativeId) {
        this.id = id;
        this.nativeId = nativeId;
    }

    @Override public String id() { return id; }

    int nativeId() { return nativeId; }

    public static RcuImpl byId(String id) { return Ids.byId(RcuImpl.class, id, "--rcu"); }
}
