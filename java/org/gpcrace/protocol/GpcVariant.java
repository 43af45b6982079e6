package org.gpcrace.protocol;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gpcrace.result.Expectation;

/**
 * A protocol configuration as both the hardware race and the model know it: the protocol, its
 * lock kind (only the rwlock-based protocols take one), and whether the invalidation is
 * non-blockable (the OOM reaper's mmu_notifier_invalidate_range_start_nonblock) with what it does
 * at a step that would sleep. It names the test the same way on both sides, gives the parameters
 * `gpcrace compare` matches on, and declares what the configuration is expected to show.
 */
public record GpcVariant(Protocol protocol, LockKind lock, boolean nonblock, NonblockPolicy policy) {

    public GpcVariant {
        if (!protocol.lockMatters()) lock = LockKind.SPIN;
        if (!nonblock) policy = null;
        else if (policy == null) throw new IllegalArgumentException("non-blockable mode needs a policy");
        if (nonblock && protocol.usesUffd()) {
            throw new IllegalArgumentException("protocol " + protocol.id()
                    + " has no non-blockable mode: madvise and the userfaultfd monitor may always sleep");
        }
    }

    /** gpc-PROTOCOL[-LOCK][-nonblock-POLICY]. */
    public String testName() {
        StringBuilder s = new StringBuilder("gpc-").append(protocol.id());
        if (protocol.lockMatters()) s.append('-').append(lock.id());
        if (nonblock) s.append("-nonblock-").append(policy.id());
        return s.toString();
    }

    /** The parameters that identify the configuration, named alike by the model and the hardware run. */
    public Map<String, Object> identity() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("protocol", protocol.id());
        if (protocol.lockMatters()) m.put("lock", lock.id());
        m.put("nonblock", nonblock);
        if (nonblock) m.put("nonblockPolicy", policy.id());
        return m;
    }

    /**
     * Whether the notifier start of this configuration waits in a sleeping primitive when readers
     * are inside: the sleeping (PREEMPT_RT) rwlock's write_lock, and synchronize_srcu.
     */
    public boolean notifierMaySleep() {
        return protocol == Protocol.SEQCOUNT_SRCU || (protocol.lockMatters() && !protocol.usesUffd() && lock == LockKind.SLEEPING);
    }

    /**
     * What the configuration is declared to show: a protocol expected unsafe reproduces stale
     * accesses; a non-blockable invalidation whose notifier would sleep reproduces would-sleep
     * unless its policy returns -EAGAIN first (which is the legitimate way out).
     */
    public Expectation expectation() {
        List<String> race = new ArrayList<>();
        List<String> why = new ArrayList<>();
        if (!protocol.expectedSafe()) {
            race.add(GpcOutcome.STALE_VISIBLE.id());
            race.add(GpcOutcome.STALE_LOST.id());
            why.add(protocol.description());
        }
        if (nonblock && policy != NonblockPolicy.EAGAIN && notifierMaySleep()) {
            race.add(GpcOutcome.WOULD_SLEEP.id());
            why.add("non-blockable invalidation: " + (protocol == Protocol.SEQCOUNT_SRCU ? "synchronize_srcu" : "the sleeping write_lock")
                    + " waits for readers where sleeping is forbidden");
        }
        if (race.isEmpty()) return Expectation.safe(protocol.description());
        return new Expectation(Expectation.Kind.UNSAFE, race, String.join("; ", why));
    }
}
