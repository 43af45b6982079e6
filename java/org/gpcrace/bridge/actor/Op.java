package org.gpcrace.bridge.actor;

/** The actor's requests, numbered as enum actor_op in native/actor/actor.h. */
enum Op {
    NONE, HELLO, EXIT, PIN,
    MMAP, MUNMAP, MADVISE, MPROTECT, MLOCK, MEMFD_CREATE, FTRUNCATE, FALLOCATE, CLOSE,
    TSC_CALIBRATE, CLOCK_USE, CLOCK_NOW, PROBE_RUN, PLAIN_DONTNEED,
    GPC_CREATE, GPC_DELAYS, GPC_ARM, GPC_RUN_BATCH, GPC_DESTROY;

    int code() { return ordinal(); }
}
