package org.gpcrace.model;

import java.util.LinkedHashMap;
import java.util.Map;
import org.gpcrace.protocol.Frames;
import org.gpcrace.protocol.GpcVariant;
import org.gpcrace.protocol.LockKind;
import org.gpcrace.protocol.NonblockPolicy;
import org.gpcrace.protocol.Protocol;
import org.gpcrace.protocol.ReaderMode;
import org.gpcrace.protocol.RefreshMode;

/**
 * One configuration of the explorer: the protocol configuration (the same {@link GpcVariant} a
 * hardware `run gpc` has) plus the model's size: readers, accesses per reader (the hardware's
 * stride K), how many accesses past K a reader may make while the invalidations run (hardware
 * readers go on until an access starts after they ended; the model bounds that to keep the state
 * space finite), and the refresh retry bound past which a refresh counts as a livelock.
 * {@code fine}: every load of the check is its own step even where a lock or seqcount makes the
 * merged step exact (slower; tests check both give the same final states). {@code counts}: keep
 * the oracle's exact quantities per reader and generation (T, S, C) instead of the per-generation
 * facts the outcomes depend on (an access landed after the snapshot and is still there, one was
 * lost, one before the snapshot that S will not count): the same outcomes in many more states;
 * tests check both agree.
 */
public record GpcModelConfig(GpcVariant variant, int readers, int accesses, int extraAccesses, int refreshBound, boolean fine,
        boolean counts) {

    public static final int MAX_READERS = 3, MAX_ACCESSES = 3, MAX_EXTRA = 2, MAX_REFRESH_BOUND = 100;

    public GpcModelConfig {
        if (readers < 1 || readers > MAX_READERS) {
            throw new IllegalArgumentException("--readers must be 1.." + MAX_READERS + " for the model (got " + readers + ")");
        }
        if (accesses < 1 || accesses > MAX_ACCESSES) {
            throw new IllegalArgumentException("--accesses must be 1.." + MAX_ACCESSES + " for the model (got " + accesses + ")");
        }
        if (extraAccesses < 0 || extraAccesses > MAX_EXTRA) {
            throw new IllegalArgumentException("--extra-accesses must be 0.." + MAX_EXTRA + " (got " + extraAccesses + ")");
        }
        if (refreshBound < 1 || refreshBound > MAX_REFRESH_BOUND) {
            throw new IllegalArgumentException("--refresh-bound must be 1.." + MAX_REFRESH_BOUND + " (got " + refreshBound + ")");
        }
    }

    /** The plain configuration of a protocol (blocking, mainline refresh, host readers, one invalidation). */
    public GpcModelConfig(Protocol p, LockKind lock, boolean nonblock, NonblockPolicy policy, int readers, int accesses, int extra,
            int refreshBound) {
        this(GpcVariant.of(p, lock, nonblock, policy), readers, accesses, extra, refreshBound, false, false);
    }

    public GpcModelConfig(GpcVariant v, int readers, int accesses, int extra, int refreshBound) {
        this(v, readers, accesses, extra, refreshBound, false, false);
    }

    public GpcModelConfig withFine(boolean f) { return new GpcModelConfig(variant, readers, accesses, extraAccesses, refreshBound, f, counts); }

    public GpcModelConfig withCounts(boolean c) { return new GpcModelConfig(variant, readers, accesses, extraAccesses, refreshBound, fine, c); }

    public Protocol protocol() { return variant.protocol(); }
    public LockKind lock() { return variant.lock(); }
    public boolean nonblock() { return variant.nonblock(); }
    public NonblockPolicy policy() { return variant.policy(); }
    public RefreshMode refresh() { return variant.refresh(); }
    public boolean preemptRt() { return variant.preemptRt(); }
    public ReaderMode readerMode() { return variant.readerMode(); }
    public int invalidations() { return variant.invalidations(); }
    public boolean unmapRounds() { return variant.unmapRounds(); }
    public Frames frames() { return variant.frames(); }

    /** The test name, as the hardware run names the same configuration. */
    public String testName() { return variant.testName(); }

    /** The parameters that identify the configuration; compare matches hardware tests on them. */
    public Map<String, Object> identity() { return new LinkedHashMap<>(variant.identity()); }
}
