package org.gpcrace.scenario.kvm;

import org.gpcrace.bridge.NativeBridge;
import org.gpcrace.protocol.Source;

/**
 * The invalidation sources of kvm-pvclock ({@link Source} entries with Scope.KVM), each mapped to
 * the operation that drives it. "none" (no invalidator, every run must be a plain update) is a
 * null source.
 */
public final class PvclockSources {
    private PvclockSources() {}

    /** The source named on the command line; "none" is null. */
    public static Source parse(String id) { return "none".equals(id) ? null : Source.byId(id, Source.Scope.KVM); }

    public static String id(Source s) { return s == null ? "none" : s.id(); }

    static SourceOp op(Source s, NativeBridge b) {
        return switch (s) {
            case DONTNEED, FREE, PAGEOUT -> new MadviseOp(s, b);
            case REMAP -> new RemapOp(s, b);
            case MPROTECT -> new MprotectOp(s, b);
            case COLLAPSE, SPLIT -> new HugePageOp(s, b);
            case KSM -> new KsmOp(s, b);
            case MIGRATE -> new MigrateOp(s, b);
            case FORK -> new ForkOp(s, b);
            case MEMSLOT -> new MemslotOp(s, b);
            default -> throw new IllegalArgumentException("kvm-pvclock does not offer source " + s.id());
        };
    }
}
