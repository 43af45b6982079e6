package org.gpcrace.protocol;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.gpcrace.result.Expectation;

/**
 * A protocol configuration as both the hardware race and the model know it: the protocol, its
 * lock kind (only the rwlock-based protocols take one), whether the invalidation is non-blockable
 * (the OOM reaper's mmu_notifier_invalidate_range_start_nonblock) and what it does at a step that
 * would wait, how the refresh meets concurrent invalidations, whether the notifier path's
 * spinlock_t/rwlock_t sleep (PREEMPT_RT), how readers use the cache, how many invalidations a
 * round has, whether rounds unmap the cache (kvm_gpc_deactivate), what khva and the operation
 * do to frames, and whether a storm of invalidations of an unrelated range runs throughout (they
 * count in mn_active_invalidate_count, which mainline's refresh retries on and the range-aware
 * wait ignores). It names the test the same way on both sides, gives the parameters `gpcrace
 * compare` matches on, and declares what the configuration is expected to show: the one place
 * expectations are decided.
 */
public record GpcVariant(Protocol protocol, LockKind lock, boolean nonblock, NonblockPolicy policy, RefreshMode refresh,
        boolean preemptRt, ReaderMode readerMode, int invalidations, boolean unmapRounds, Frames frames, boolean storm) {

    public static final int MAX_INVALIDATIONS = 3;

    public GpcVariant {
        if (refresh == null) refresh = RefreshMode.RETRY;
        if (readerMode == null) readerMode = ReaderMode.HOST;
        if (frames == null) frames = defaultFrames(protocol);
        if (!protocol.lockMatters()) lock = LockKind.SPIN;
        else if (preemptRt) lock = LockKind.SLEEPING; // PREEMPT_RT's rwlock_t sleeps
        if (!nonblock) policy = null;
        else if (policy == null) throw new IllegalArgumentException("non-blockable mode needs a policy");
        if (invalidations < 1 || invalidations > MAX_INVALIDATIONS) {
            throw new IllegalArgumentException("--invalidations must be 1.." + MAX_INVALIDATIONS
                    + " (each can publish a new generation; a round tallies 4), got " + invalidations);
        }
        if (nonblock && policy == NonblockPolicy.NO_WAIT && readerMode != ReaderMode.GUEST) {
            throw new IllegalArgumentException("--nonblock-policy no-wait drops KVM_REQUEST_WAIT from the kick of readers in"
                    + " guest mode: it needs --reader-mode guest");
        }
        if (protocol.usesUffd() && (nonblock || invalidations > 1 || unmapRounds || preemptRt || readerMode != ReaderMode.HOST || storm)) {
            throw new IllegalArgumentException("protocol " + protocol.id() + " is a userfaultfd monitor: one blocking invalidation"
                    + " per round (madvise and the monitor may always sleep), host readers, no unmap rounds, no PREEMPT_RT locks, no storm");
        }
        if (protocol == Protocol.PINNED && !frames.alias()) {
            throw new IllegalArgumentException("protocol pinned holds its pin through a second mapping of a file page: frames "
                    + frames.id() + " has none");
        }
    }

    /** The plain configuration: blocking, mainline refresh, host readers, one invalidation, no unmap rounds. */
    public static GpcVariant of(Protocol p, LockKind lock, boolean nonblock, NonblockPolicy policy) {
        return new GpcVariant(p, lock, nonblock, policy, RefreshMode.RETRY, false, ReaderMode.HOST, 1, false, null, false);
    }

    /** What khva and the operation do when neither the source nor the backing is given: anon DONTNEED, pinned's shmem remap. */
    public static Frames defaultFrames(Protocol p) { return p == Protocol.PINNED ? Frames.FILE_REMAP : Frames.ANON_NEW; }

    public GpcVariant withRefresh(RefreshMode r) {
        return new GpcVariant(protocol, lock, nonblock, policy, r, preemptRt, readerMode, invalidations, unmapRounds, frames, storm);
    }

    public GpcVariant withPreemptRt(boolean rt) {
        return new GpcVariant(protocol, lock, nonblock, policy, refresh, rt, readerMode, invalidations, unmapRounds, frames, storm);
    }

    public GpcVariant withReaderMode(ReaderMode m) {
        return new GpcVariant(protocol, lock, nonblock, policy, refresh, preemptRt, m, invalidations, unmapRounds, frames, storm);
    }

    public GpcVariant withInvalidations(int n) {
        return new GpcVariant(protocol, lock, nonblock, policy, refresh, preemptRt, readerMode, n, unmapRounds, frames, storm);
    }

    public GpcVariant withUnmapRounds(boolean u) {
        return new GpcVariant(protocol, lock, nonblock, policy, refresh, preemptRt, readerMode, invalidations, u, frames, storm);
    }

    public GpcVariant withFrames(Frames f) {
        return new GpcVariant(protocol, lock, nonblock, policy, refresh, preemptRt, readerMode, invalidations, unmapRounds, f, storm);
    }

    public GpcVariant withStorm(boolean on) {
        return new GpcVariant(protocol, lock, nonblock, policy, refresh, preemptRt, readerMode, invalidations, unmapRounds, frames, on);
    }

    /** gpc-PROTOCOL[-LOCK][-nonblock-POLICY][-wait][-rt][-guest][-xN][-unmap][-FRAMES][-storm]: the parts that differ from the defaults. */
    public String testName() {
        StringBuilder s = new StringBuilder("gpc-").append(protocol.id());
        if (protocol.lockMatters()) s.append('-').append(lock.id());
        if (nonblock) s.append("-nonblock-").append(policy.id());
        if (refresh != RefreshMode.RETRY) s.append('-').append(refresh.id());
        if (preemptRt) s.append("-rt");
        if (readerMode != ReaderMode.HOST) s.append('-').append(readerMode.id());
        if (invalidations > 1) s.append("-x").append(invalidations);
        if (unmapRounds) s.append("-unmap");
        if (frames != defaultFrames(protocol)) s.append('-').append(frames.id());
        if (storm) s.append("-storm");
        return s.toString();
    }

    /** The parameters that identify the configuration, named alike by the model and the hardware run. */
    public Map<String, Object> identity() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("protocol", protocol.id());
        if (protocol.lockMatters()) m.put("lock", lock.id());
        m.put("nonblock", nonblock);
        if (nonblock) m.put("nonblockPolicy", policy.id());
        m.put("refresh", refresh.id());
        m.put("preemptRt", preemptRt);
        m.put("readerMode", readerMode.id());
        m.put("invalidations", invalidations);
        m.put("unmapRounds", unmapRounds);
        m.put("frames", frames.id());
        m.put("storm", storm);
        return m;
    }

    private boolean rwlockBased() { return protocol.lockMatters(); }

    /**
     * Whether the notifier start can wait in a sleeping primitive: synchronize_srcu
     * (seqcount-srcu) waits for readers; the sleeping (PREEMPT_RT) gpc->lock waits for readers
     * inside; under PREEMPT_RT mn_invalidate_lock, gpc_lock, mmu_lock and the write side can be
     * held by a concurrent invalidation (two or more per round, from two invalidators) or by the
     * waiting refresh (which takes mn_invalidate_lock).
     */
    public boolean startMaySleep() {
        return protocol == Protocol.SEQCOUNT_SRCU
                || (rwlockBased() && lock == LockKind.SLEEPING)
                || (preemptRt && (invalidations > 1 || refresh == RefreshMode.WAIT));
    }

    /**
     * Whether the notifier end can wait in a sleeping primitive, whatever the policy (an end
     * cannot give up): under PREEMPT_RT mmu_lock and mn_invalidate_lock held by a concurrent
     * invalidation, the waiting refresh or the defer worker (its kvm_unmap_gfn_range takes mmu_lock); with the refresh waiting for invalidations, the end
     * hook's write lock waits for readers when the lock sleeps.
     */
    public boolean endMaySleep() {
        return (preemptRt && (invalidations > 1 || refresh == RefreshMode.WAIT || (nonblock && policy == NonblockPolicy.DEFER)))
                || (refresh == RefreshMode.WAIT && rwlockBased() && lock == LockKind.SLEEPING);
    }

    /**
     * Whether gpc_unmap can tear a khva down under a reader that passed its check. Host readers:
     * a protocol whose gpc_unmap waits for nobody (seqcount, unlocked) in rounds that unmap or
     * with a frame the refresh replaces; pinned only in unmap rounds (its pin is never
     * refreshed). Guest readers are kicked and waited for before the start returns, and
     * deactivation kicks them too; left in guest mode (no-wait, defer) they can hold a khva the
     * next refresh replaces, whatever the protocol (no lock or SRCU section covers guest mode).
     */
    public boolean unmapUsePossible() {
        if (readerMode == ReaderMode.GUEST) {
            return (protocol != Protocol.PINNED && nonblock && (policy == NonblockPolicy.NO_WAIT || policy == NonblockPolicy.DEFER)
                    && frames.remapped()) || unlockedTornCheck();
        }
        if (protocol == Protocol.SEQCOUNT || protocol == Protocol.UNLOCKED) return unmapRounds || frames.remapped();
        return protocol == Protocol.PINNED && unmapRounds;
    }

    /**
     * Whether stale accesses are possible: an unsafe protocol's host readers (in guest mode the
     * kick and its wait order every access before the start returns, whatever the protocol,
     * except pinned's, which is never invalidated), a deferred drain, or guest readers not waited for.
     */
    public boolean stalePossible() {
        if (nonblock && (policy == NonblockPolicy.DEFER || policy == NonblockPolicy.NO_WAIT)) return true;
        if (readerMode == ReaderMode.GUEST) return protocol == Protocol.PINNED || unlockedTornCheck();
        return !protocol.expectedSafe();
    }

    /**
     * Unlocked guest readers in unmap rounds: the check's three loads are not atomic, so a reader
     * can pass active and valid, load the NULL khva the deactivation left, enter guest mode before
     * the deactivation's kick and use it (KVM would fault on it).
     */
    private boolean unlockedTornCheck() { return protocol == Protocol.UNLOCKED && unmapRounds; }

    /**
     * What the configuration is declared to show (hardware and model grade against this):
     * stale accesses for an unsafe protocol, a deferral or guest readers left in guest mode;
     * unmap-use where gpc_unmap can pull a mapping from under a reader; would-sleep where a
     * non-blockable invalidation can wait in a sleeping primitive (at the start unless its policy
     * returns -EAGAIN or defers first, at the end always).
     */
    public Expectation expectation() {
        Set<String> race = new LinkedHashSet<>();
        List<String> why = new ArrayList<>();
        if (stalePossible()) {
            boolean leftInGuest = nonblock && (policy == NonblockPolicy.DEFER || policy == NonblockPolicy.NO_WAIT);
            // guest readers of the unlocked cache: only through the NULL khva, which lands nowhere
            boolean onlyTorn = readerMode == ReaderMode.GUEST && protocol == Protocol.UNLOCKED && !leftInGuest;
            if (!onlyTorn) race.add(GpcOutcome.STALE_VISIBLE.id());
            race.add(GpcOutcome.STALE_LOST.id());
            if (nonblock && policy == NonblockPolicy.DEFER) why.add("deferred: the zap proceeds before the worker drained the readers");
            else if (nonblock && policy == NonblockPolicy.NO_WAIT) why.add("no-wait: the readers in guest mode are kicked but not waited for");
            else if (onlyTorn) why.add("the unlocked check is three loads: a guest reader can pass active and valid, load the NULL khva"
                    + " of a deactivation and use it before the kick");
            else why.add(protocol.description());
        }
        if (unmapUsePossible()) {
            race.add(GpcOutcome.UNMAP_USE.id());
            why.add("gpc_unmap tears khva down without waiting for readers");
        }
        if (nonblock && ((policy.waits() && startMaySleep()) || endMaySleep())) {
            race.add(GpcOutcome.WOULD_SLEEP.id());
            why.add("non-blockable invalidation: " + sleepingStep() + " where sleeping is forbidden");
        }
        if (race.isEmpty()) return Expectation.safe(protocol.description());
        return new Expectation(Expectation.Kind.UNSAFE, List.copyOf(race), String.join("; ", why));
    }

    private String sleepingStep() {
        if (policy.waits() && protocol == Protocol.SEQCOUNT_SRCU) return "synchronize_srcu waits for readers";
        if (policy.waits() && rwlockBased() && lock == LockKind.SLEEPING) return "the sleeping write_lock waits for readers";
        if (preemptRt) return "a PREEMPT_RT sleeping lock of the notifier path (mn_invalidate_lock, gpc_lock, mmu_lock) waits";
        return "the end hook's sleeping write_lock waits for readers";
    }

    /**
     * The same configuration under memory pressure (readers fault memory in while they use the
     * cache, near their memory cgroup's limit, and the non-blockable invalidation is the OOM
     * reaper that would free it): reap-stall where the notifier start waits for readers that may
     * be waiting for that memory, i.e. SRCU readers (an SRCU read section may sleep, so KVM's
     * readers fault in it) and a policy that waits; rwlock readers never allocate under the lock.
     */
    public Expectation underMemoryPressure() {
        Expectation base = expectation();
        boolean stall = nonblock && policy.waits() && protocol == Protocol.SEQCOUNT_SRCU;
        if (!stall) return base;
        List<String> race = new ArrayList<>(base.race());
        race.add(GpcOutcome.REAP_STALL.id());
        String why = "synchronize_srcu waits for SRCU readers that fault memory in, and that memory is what the reaper would free";
        return new Expectation(Expectation.Kind.UNSAFE, race, base.declaredUnsafe() ? base.reason() + "; " + why : why);
    }
}
