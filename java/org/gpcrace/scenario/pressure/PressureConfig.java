package org.gpcrace.scenario.pressure;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gpcrace.protocol.GpcVariant;
import org.gpcrace.protocol.LockKind;
import org.gpcrace.protocol.NonblockPolicy;
import org.gpcrace.protocol.Protocol;

/**
 * gpc-pressure's knobs, validated before anything runs.
 *
 * @param protocols    rwlock (the safe twin: readers never allocate under the lock), seqcount-srcu (readers fault in
 *                     their SRCU read section), seqcount-srcu-unmap-only, seqcount, unlocked
 * @param policies     what the non-blockable start does at a wait: sleep, spin, eagain, defer (defer runs last); empty:
 *                     each protocol's default ({@link #policiesFor})
 * @param lock         the rwlock kind (spin: mainline rwlock_t; sleeping: PREEMPT_RT's)
 * @param allocPages   fresh pages a reader faults in per use of the cache
 * @param victimBytes  the range the reaper frees each round
 * @param headroomBytes the limit is the child's usage with everything mapped plus this (below the readers' demand)
 * @param stallNs      a reaper wait longer than this while readers wait for memory is a reap-stall
 * @param retryGapNs   eagain: the pause between attempts (oom_reap_task sleeps HZ/10)
 * @param maxRetries   eagain: attempts before the range is given up (MAX_OOM_REAP_RETRIES is 10)
 * @param cpus         reaper on the first, readers on the next ones, the defer worker on the first
 */
public record PressureConfig(List<Protocol> protocols, List<NonblockPolicy> policies, LockKind lock, int readers, int rounds,
        int allocPages, long victimBytes, long headroomBytes, long stallNs, long retryGapNs, int maxRetries, long watchdogNs,
        List<Integer> cpus) {

    public static final int MAX_READERS = 8;

    public PressureConfig {
        if (protocols.isEmpty()) throw new IllegalArgumentException("--protocol needs at least one protocol");
        for (Protocol p : protocols) {
            if (p.usesUffd() || p == Protocol.PINNED) {
                throw new IllegalArgumentException("--protocol " + p.id() + ": memory pressure needs a protocol the notifier invalidates"
                        + " (rwlock, seqcount-srcu, seqcount-srcu-unmap-only, seqcount, unlocked)");
            }
        }
        if (policies.contains(NonblockPolicy.NO_WAIT)) {
            throw new IllegalArgumentException("--nonblock-policy no-wait is for readers in guest mode; here: sleep, spin, eagain, defer");
        }
        policies = policies.stream().distinct().sorted((a, b) -> Boolean.compare(a == NonblockPolicy.DEFER, b == NonblockPolicy.DEFER)).toList();
        if (readers < 1 || readers > MAX_READERS) throw new IllegalArgumentException("--readers must be 1.." + MAX_READERS + ", got " + readers);
        if (rounds < 1 || rounds > 100_000) throw new IllegalArgumentException("--rounds must be 1..100000, got " + rounds);
        if (allocPages < 1 || allocPages > 65536) throw new IllegalArgumentException("--alloc-pages must be 1..65536, got " + allocPages);
        if (victimBytes < 4096 || victimBytes % 4096 != 0 || victimBytes > (1L << 34)) {
            throw new IllegalArgumentException("--victim must be a multiple of 4 KiB from 4 KiB to 16 GiB, got " + victimBytes);
        }
        if (headroomBytes < 0 || headroomBytes >= (long) readers * allocPages * 4096) {
            throw new IllegalArgumentException("--headroom must be below the readers' demand (" + readers + " x " + allocPages
                    + " pages), or no reader ever waits for memory");
        }
        if (stallNs <= 0) throw new IllegalArgumentException("--stall-bound must be positive");
        if (retryGapNs < 0) throw new IllegalArgumentException("--retry-gap must not be negative");
        if (maxRetries < 1 || maxRetries > 1000) throw new IllegalArgumentException("--max-retries must be 1..1000, got " + maxRetries);
        if (watchdogNs <= stallNs) throw new IllegalArgumentException("--watchdog must be longer than --stall-bound");
        if (cpus.isEmpty()) throw new IllegalArgumentException("no CPU to run on");
        protocols = List.copyOf(protocols);
        cpus = List.copyOf(cpus);
    }

    /**
     * The policies a protocol runs under: the ones asked for, else all four for the SRCU protocols
     * (the table of issue "deferring the non-blockable invalidation") and sleep for the others (the
     * safe twin: a deferred rwlock start leaves a window too short to show in a few rounds).
     */
    public List<NonblockPolicy> policiesFor(Protocol p) {
        if (!policies.isEmpty()) return policies;
        boolean srcu = p == Protocol.SEQCOUNT_SRCU || p == Protocol.SEQCOUNT_SRCU_UNMAP_ONLY;
        return srcu ? List.of(NonblockPolicy.SLEEP, NonblockPolicy.SPIN, NonblockPolicy.EAGAIN, NonblockPolicy.DEFER)
                : List.of(NonblockPolicy.SLEEP);
    }

    int reaperCpu() { return cpus.get(0); }

    int readerCpu(int i) { return cpus.size() == 1 ? cpus.get(0) : cpus.get(1 + i % (cpus.size() - 1)); }

    int workerCpu() { return cpus.get(0); }

    /** The configuration the run is, as the GPC race and the model name it: non-blockable, the policy, host readers. */
    public GpcVariant variant(Protocol p, NonblockPolicy policy) { return GpcVariant.of(p, lock, true, policy); }

    /** The knobs of one test: the variant's identity plus the pressure's own. */
    public Map<String, Object> asMap(Protocol p, NonblockPolicy policy) {
        Map<String, Object> m = new LinkedHashMap<>(variant(p, policy).identity());
        m.put("memoryPressure", true);
        putPressure(m);
        if (policy == NonblockPolicy.EAGAIN) {
            m.put("retryGapMs", retryGapNs / 1e6);
            m.put("maxRetries", maxRetries);
        }
        return m;
    }

    /** The pressure's knobs every test and the run block record. */
    private void putPressure(Map<String, Object> m) {
        m.put("readers", readers);
        m.put("rounds", rounds);
        m.put("allocPages", allocPages);
        m.put("victimBytes", victimBytes);
        m.put("headroomBytes", headroomBytes);
        m.put("stallBoundMs", stallNs / 1e6);
    }

    /** The command's options, for results.json's run block. */
    public Map<String, Object> options() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("protocol", protocols.stream().map(Protocol::id).toList());
        m.put("nonblockPolicy", policies.isEmpty() ? "default" : policies.stream().map(NonblockPolicy::id).toList());
        m.put("lock", lock.id());
        putPressure(m);
        m.put("retryGapMs", retryGapNs / 1e6);
        m.put("maxRetries", maxRetries);
        m.put("watchdogMs", watchdogNs / 1e6);
        m.put("cpus", cpus);
        return m;
    }
}
