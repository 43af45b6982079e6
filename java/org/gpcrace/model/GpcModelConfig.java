package org.gpcrace.model;

import java.util.LinkedHashMap;
import java.util.Map;
import org.gpcrace.protocol.Protocol;
import org.gpcrace.protocol.GpcVariant;
import org.gpcrace.protocol.LockKind;
import org.gpcrace.protocol.NonblockPolicy;

/**
 * One configuration of the explorer: the protocol and its knobs (as a hardware `run gpc` takes
 * them) plus the model's size: readers, accesses per reader (the hardware's stride K), how many
 * accesses past K a reader may make while the invalidation runs (hardware readers go on until an
 * access starts after it ended; the model bounds that to keep the state space finite), and the
 * refresh retry bound past which a refresh counts as a livelock. One invalidation per round.
 */
public record GpcModelConfig(Protocol protocol, LockKind lock, boolean nonblock, NonblockPolicy policy,
        int readers, int accesses, int extraAccesses, int refreshBound) {

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
        variant(protocol, lock, nonblock, policy); // refuses what no variant can be
    }

    private static GpcVariant variant(Protocol p, LockKind l, boolean nb, NonblockPolicy pol) { return GpcVariant.of(p, l, nb, pol); }

    /** The protocol configuration, as the hardware run knows it. */
    public GpcVariant variant() { return variant(protocol, lock, nonblock, policy); }

    /** The test name, as the hardware run names the same configuration. */
    public String testName() { return variant().testName(); }

    /** The parameters that identify the configuration; compare matches hardware tests on them. */
    public Map<String, Object> identity() {
        Map<String, Object> m = new LinkedHashMap<>(variant().identity());
        // the pinned alias keeps the old frame only when the source replaces it (remap); with a
        // content-keeping source alias and mapping share one page, which this model does not cover
        if (protocol == Protocol.PINNED) m.put("source", "remap");
        return m;
    }
}
