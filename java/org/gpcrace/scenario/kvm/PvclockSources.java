package org.gpcrace.scenario.kvm;

import org.gpcrace.bridge.NativeBridge;
import org.gpcrace.protocol.Source;
import org.gpcrace.bridge.Linux;

/**
 * How the invalidator takes the pvclock page away from the process's page tables; each is one
 * MMU-notifier invalidation of the page's range, which KVM turns into gpc->valid = false.
 * "none" (no invalidator, every run must be a plain update) is a null source.
 */
public final class PvclockSources {
    private PvclockSources() {}

    /** The source named on the command line; "none" is null. */
    public static Source parse(String id) { return "none".equals(id) ? null : Source.byId(id, Source.Scope.KVM); }

    public static String id(Source s) { return s == null ? "none" : s.id(); }

    /** One invalidation of the page at {@code addr}. */
    static void invalidate(Source s, NativeBridge b, long addr) {
        switch (s) {
            case DONTNEED -> b.madvise(addr, Linux.PAGE_SIZE, Linux.MADV_DONTNEED);
            case FREE -> b.madvise(addr, Linux.PAGE_SIZE, Linux.MADV_FREE);
            case REMAP -> b.mmap(addr, Linux.PAGE_SIZE, Linux.PROT_RW, Linux.MAP_PRIVATE | Linux.MAP_ANONYMOUS | Linux.MAP_FIXED, -1, 0);
            default -> throw new IllegalStateException("kvm-pvclock does not offer source " + s.id());
        }
    }
}
