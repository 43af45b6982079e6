package org.gpcrace.model;

import java.util.LinkedHashMap;
import java.util.Map;
import org.gpcrace.oracle.Protocol;
import org.gpcrace.scenario.gpc.GpcConfig;
import org.gpcrace.scenario.gpc.LockKind;
import org.gpcrace.scenario.gpc.NonblockPolicy;

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
        if (nonblock && protocol.usesUffd()) {
            throw new IllegalArgumentException("protocol " + protocol.id()
                    + " has no non-blockable mode: madvise and the userfaultfd monitor may always sleep");
        }
        if (nonblock && policy == null) throw new IllegalArgumentException("non-blockable mode needs a policy");
    }

    /** The test name, as the hardware run names the same configuration. */
    public String testName() {
        StringBuilder s = new StringBuilder("gpc-").append(protocol.id());
        if (GpcConfig.lockMatters(protocol)) s.append('-').append(lock.id());
        if (nonblock) s.append("-nonblock-").append(policy.id());
        return s.toString();
    }

    /** The parameters that identify the configuration; compare matches hardware tests on them. */
    public Map<String, Object> identity() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("protocol", protocol.id());
        if (GpcConfig.lockMatters(protocol)) m.put("lock", lock.id());
        m.put("nonblock", nonblock);
        if (nonblock) m.put("nonblockPolicy", policy.id());
        // the pinned alias keeps the old frame only when the source replaces it (remap); with a
        // content-keeping source alias and mapping share one page, which this model does not cover
        if (protocol == Protocol.PINNED) m.put("source", "remap");
        return m;
    }
}
