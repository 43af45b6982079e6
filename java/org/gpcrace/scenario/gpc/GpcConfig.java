package org.gpcrace.scenario.gpc;

import org.gpcrace.protocol.Source;
import org.gpcrace.protocol.LockKind;
import org.gpcrace.protocol.NonblockPolicy;
import org.gpcrace.protocol.Notifier;
import org.gpcrace.protocol.AccessKind;
import org.gpcrace.protocol.GpcVariant;
import org.gpcrace.protocol.Frames;
import org.gpcrace.protocol.ReaderMode;
import org.gpcrace.protocol.RefreshMode;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gpcrace.protocol.Protocol;
import org.gpcrace.sys.Backing;
import org.gpcrace.sys.HostFacts;

/**
 * One test of `gpcrace run gpc`: a protocol and every knob of the race engine. Invalid
 * combinations are refused at construction with a one-line reason (IllegalArgumentException),
 * before any memory is mapped.
 *
 * @param delayMinNs  start-delay range of the invalidator; both -1: calibrate (0 .. the readers' K-access loop)
 * @param rounds      rounds to run; 0: run for {@code duration}
 * @param cpus        CPUs the actors may use (empty: every online CPU)
 * @param injectHangAtRound test hook: reader 0 stalls inside its read section in this round (0: never)
 * @param invalidations     in-range invalidations per round (1..3)
 * @param invalidators      threads performing them (1, or 2 overlapping)
 * @param unmapEvery        every Nth round unmaps the cache (kvm_gpc_deactivate + activate) as its first invalidation; 0: never
 * @param stormPages        a storm thread invalidates an unrelated range of this many pages throughout (0: none)
 * @param stormGapNs        the storm's pause between two of its invalidations
 */
public record GpcConfig(Protocol protocol, LockKind lock, Backing backing, Source source, int pages, int readers,
        List<Integer> cpus, int stride, AccessKind access, int accessNs, long delayMinNs, long delayMaxNs,
        long rounds, Duration duration, boolean nonblock, NonblockPolicy policy, InvalidatorKind invalidator,
        long seed, Duration watchdog, boolean stopOnForbidden, int refreshRetryBound, long injectHangAtRound,
        RefreshMode refresh, boolean preemptRt, ReaderMode readerMode, int invalidations, int invalidators,
        int unmapEvery, int stormPages, long stormGapNs) {

    public static final int MAX_READERS = 64;
    public static final int DEFAULT_STRIDE = 100;
    public static final int DEFAULT_REFRESH_RETRY_BOUND = 100;

    public GpcConfig {
        cpus = List.copyOf(cpus);
        if (readers < 1 || readers > MAX_READERS) {
            throw new IllegalArgumentException("--readers must be 1.." + MAX_READERS + " (one 64-byte counter each in the cached page), got " + readers);
        }
        if (pages < 1) throw new IllegalArgumentException("--pages must be at least 1, got " + pages);
        if (stride < 1) throw new IllegalArgumentException("--stride must be at least 1, got " + stride);
        if (accessNs < 0) throw new IllegalArgumentException("--access-ns must be >= 0, got " + accessNs);
        if (!(delayMinNs == -1 && delayMaxNs == -1) && (delayMinNs < 0 || delayMaxNs < delayMinNs)) {
            throw new IllegalArgumentException("--delay-range MIN:MAX needs 0 <= MIN <= MAX, got " + delayMinNs + ":" + delayMaxNs);
        }
        if (rounds < 0) throw new IllegalArgumentException("--rounds must be positive, got " + rounds);
        if (rounds == 0 && (duration == null || duration.isZero() || duration.isNegative())) {
            throw new IllegalArgumentException("give --rounds N or a positive --duration");
        }
        if (watchdog == null || watchdog.toMillis() < 1) throw new IllegalArgumentException("--watchdog must be at least 1 ms");
        if (refreshRetryBound < 1) throw new IllegalArgumentException("--refresh-retry-bound must be at least 1");
        for (int c : cpus) if (c < 0 || c >= 1024) throw new IllegalArgumentException("--cpus: CPU " + c + " out of range");
        if (invalidators < 1 || invalidators > 2 || invalidators > invalidations) {
            throw new IllegalArgumentException("--invalidators must be 1 or 2 and at most --invalidations (" + invalidations + "), got " + invalidators);
        }
        if (unmapEvery < 0) throw new IllegalArgumentException("--unmap-every must be >= 0, got " + unmapEvery);
        if (stormPages < 0 || stormPages > (1 << 18)) throw new IllegalArgumentException("--storm pages must be 0.." + (1 << 18) + ", got " + stormPages);
        if (stormGapNs < 0) throw new IllegalArgumentException("--storm-gap must be >= 0");
        if (readerMode == ReaderMode.GUEST && readers > 32) throw new IllegalArgumentException("--reader-mode guest supports up to 32 readers");
        String refusal = refusal(protocol, backing, source, nonblock, invalidator);
        if (refusal == null && invalidators > 1 && (source == Source.REMAP || source == Source.COLLAPSE)) {
            refusal = "--invalidators 2 overlaps two operations on one range: --source " + source.id() + " cannot run twice at once";
        }
        if (refusal == null && invalidator == InvalidatorKind.JAVA && (invalidations > 1 || unmapEvery > 0)) {
            refusal = "--invalidator java performs one invalidation per round and no unmap rounds";
        }
        if (refusal != null) throw new IllegalArgumentException(refusal);
        // refuses what no protocol configuration can be (the fields are not assigned yet: the parameters)
        new GpcVariant(protocol, lock, nonblock, policy, refresh, preemptRt, readerMode, invalidations, unmapEvery > 0,
                Frames.of(source, backing), stormPages > 0);
    }

    /** Why this combination cannot run (one line), or null. Host-independent. */
    static String refusal(Protocol p, Backing b, Source s, boolean nonblock, InvalidatorKind inv) {
        String r = s.raceRefusalOn(b);
        if (r != null) return r;
        if (p == Protocol.PINNED && !b.fileBacked()) {
            return "--protocol pinned needs --backing shmem or hugetlb: its pin is a second mapping of the memfd page, "
                    + b.id() + " has no file";
        }
        if (p.usesUffd() && !s.sendsUffdRemove()) {
            return "--protocol " + p.id() + " hears of invalidations through UFFD_EVENT_REMOVE, which only dontneed, free and"
                    + " remove send, not " + s.id();
        }
        if (p.usesUffd() && nonblock) {
            return "--nonblock applies to the MMU-notifier hooks; " + p.id() + " is a userfaultfd monitor, which may always sleep";
        }
        if (inv == InvalidatorKind.JAVA && s == Source.REMAP) {
            return "--invalidator java supports the madvise, fallocate and mprotect sources, not remap";
        }
        return null;
    }

    /** Refusals that depend on this machine (THP mode), one line, or null. */
    public String hostRefusal(HostFacts host) {
        if ((backing == Backing.THP || source == Source.COLLAPSE) && !host.thpUsable()) {
            return "--backing thp / --source collapse need transparent huge pages, which are '" + host.thpMode()
                    + "' here (echo madvise > /sys/kernel/mm/transparent_hugepage/enabled)";
        }
        return null;
    }

    /** The notifier this protocol uses. */
    public Notifier notifier() { return Notifier.of(protocol); }

    /** What khva is and what the source does to frames (anonymous memory: khva is the user address). */
    public Frames frames() { return Frames.of(source, backing); }

    /** The protocol configuration, as the model knows it too. */
    public GpcVariant variant() {
        return new GpcVariant(protocol, lock, nonblock, policy, refresh, preemptRt, readerMode, invalidations, unmapEvery > 0, frames(), stormPages > 0);
    }

    public boolean delayCalibrated() { return delayMinNs == -1; }

    /** The backing a protocol uses when none is given: pinned needs a file. */
    public static Backing defaultBacking(Protocol p) { return p == Protocol.PINNED ? Backing.SHMEM : Backing.ANON; }

    /** The source a protocol uses when none is given: pinned shows its flaw after a remap. */
    public static Source defaultSource(Protocol p) { return p == Protocol.PINNED ? Source.REMAP : Source.DONTNEED; }

    /**
     * The test name: as `gpcrace model` names the same configuration (GpcVariant.testName, less
     * its frames suffix), with -SOURCE-BACKING when they are not the protocol's defaults, -i2 for
     * two invalidators, -storm for the storm, and -java for the Java invalidator.
     */
    public String testName() {
        GpcVariant v = variant();
        StringBuilder s = new StringBuilder(v.withFrames(GpcVariant.defaultFrames(protocol)).testName());
        if (source != defaultSource(protocol) || backing != defaultBacking(protocol)) {
            s.append('-').append(source.id()).append('-').append(backing.id());
        }
        if (invalidators > 1) s.append("-i2");
        if (stormPages > 0) s.append("-storm");
        if (invalidator == InvalidatorKind.JAVA) s.append("-java");
        return s.toString();
    }

    /**
     * Every knob, as results.json's test params. The identity keys `gpcrace compare` matches on
     * come first, named as the model names them (protocol, lock, nonblock, nonblockPolicy).
     */
    public Map<String, Object> params() {
        Map<String, Object> m = new LinkedHashMap<>(variant().identity());
        m.put("source", source.id());
        m.put("backing", backing.id());
        m.put("notifier", notifier().id());
        m.put("invalidator", invalidator.id());
        m.put("pages", pages);
        m.put("readers", readers);
        m.put("stride", stride);
        m.put("access", access.id());
        m.put("accessNs", accessNs);
        m.put("cpus", cpus.isEmpty() ? "all online" : cpus);
        m.put("delayRange", delayCalibrated() ? "calibrated" : delayMinNs + ":" + delayMaxNs);
        if (rounds > 0) m.put("rounds", rounds);
        else m.put("durationMs", duration.toMillis());
        m.put("seed", seed);
        m.put("watchdogMs", watchdog.toMillis());
        m.put("stopOnForbidden", stopOnForbidden);
        m.put("refreshRetryBound", refreshRetryBound);
        m.put("invalidators", invalidators);
        m.put("unmapEvery", unmapEvery);
        m.put("stormPages", stormPages);
        m.put("stormGapNs", stormGapNs);
        return m;
    }

    public static Builder builder(Protocol p) { return new Builder(p); }

    /** Defaults of `gpcrace run gpc`; tests and the suite change what they need. */
    public static final class Builder {
        private final Protocol protocol;
        private LockKind lock = LockKind.SPIN;
        private Backing backing;
        private Source source;
        private int pages = 1, readers = 1, stride = DEFAULT_STRIDE, accessNs = 0;
        private List<Integer> cpus = List.of();
        private AccessKind access = AccessKind.PVCLOCK;
        private long delayMin = -1, delayMax = -1, rounds = 0, seed = 1, hangAt = 0;
        private Duration duration = Duration.ofSeconds(2), watchdog = Duration.ofSeconds(10);
        private boolean nonblock, stopOnForbidden;
        private NonblockPolicy policy = NonblockPolicy.SLEEP;
        private InvalidatorKind invalidator = InvalidatorKind.NATIVE;
        private int refreshRetryBound = DEFAULT_REFRESH_RETRY_BOUND;
        private RefreshMode refresh = RefreshMode.RETRY;
        private boolean preemptRt;
        private ReaderMode readerMode = ReaderMode.HOST;
        private int invalidations = 1, invalidators = 1, unmapEvery = 0, stormPages = 0;
        private long stormGapNs = 0;

        Builder(Protocol p) { this.protocol = p; }

        public Builder lock(LockKind v) { lock = v; return this; }
        public Builder backing(Backing v) { backing = v; return this; }
        public Builder source(Source v) { source = v; return this; }
        public Builder pages(int v) { pages = v; return this; }
        public Builder readers(int v) { readers = v; return this; }
        public Builder cpus(List<Integer> v) { cpus = v; return this; }
        public Builder stride(int v) { stride = v; return this; }
        public Builder access(AccessKind v) { access = v; return this; }
        public Builder accessNs(int v) { accessNs = v; return this; }
        public Builder delayRange(long min, long max) { delayMin = min; delayMax = max; return this; }
        public Builder rounds(long v) { rounds = v; return this; }
        public Builder duration(Duration v) { duration = v; return this; }
        public Builder nonblock(NonblockPolicy p) { nonblock = true; policy = p; return this; }
        public Builder nonblock(boolean on, NonblockPolicy p) { nonblock = on; policy = p; return this; }
        public Builder invalidator(InvalidatorKind v) { invalidator = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder watchdog(Duration v) { watchdog = v; return this; }
        public Builder stopOnForbidden(boolean v) { stopOnForbidden = v; return this; }
        public Builder refreshRetryBound(int v) { refreshRetryBound = v; return this; }
        public Builder injectHangAtRound(long v) { hangAt = v; return this; }
        public Builder refresh(RefreshMode v) { refresh = v; return this; }
        public Builder preemptRt(boolean v) { preemptRt = v; return this; }
        public Builder readerMode(ReaderMode v) { readerMode = v; return this; }
        public Builder invalidations(int v) { invalidations = v; return this; }
        public Builder invalidators(int v) { invalidators = v; return this; }
        public Builder unmapEvery(int v) { unmapEvery = v; return this; }
        public Builder storm(int pages, long gapNs) { stormPages = pages; stormGapNs = gapNs; return this; }

        public GpcConfig build() {
            return new GpcConfig(protocol, lock, backing != null ? backing : defaultBacking(protocol),
                    source != null ? source : defaultSource(protocol), pages, readers, cpus, stride, access, accessNs,
                    delayMin, delayMax, rounds, duration, nonblock, policy, invalidator, seed, watchdog, stopOnForbidden,
                    refreshRetryBound, hangAt, refresh, preemptRt, readerMode, invalidations, invalidators, unmapEvery,
                    stormPages, stormGapNs);
        }
    }
}
