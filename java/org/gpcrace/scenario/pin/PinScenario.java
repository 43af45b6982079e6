package org.gpcrace.scenario.pin;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import org.gpcrace.bridge.NativeBridge;
import org.gpcrace.bridge.NativeCallException;
import org.gpcrace.result.OutcomeCount;
import org.gpcrace.result.PinExtra;
import org.gpcrace.result.Expectation;
import org.gpcrace.result.Skip;
import org.gpcrace.result.TestResult;
import org.gpcrace.sys.Backing;
import org.gpcrace.sys.GuestMemory;
import org.gpcrace.bridge.Linux;
import org.gpcrace.sys.PageInfo;
import org.gpcrace.sys.Pagemap;

/**
 * pin: why the GPC does not pin.
 *
 * <pre>
 *   gpcrace run pin [--trials N]
 * </pre>
 *
 * Per trial: write pattern OLD into a fresh page, take a long-term reference to its frame
 * (vmsplice into a pipe: page references; io_uring registered buffer: FOLL_LONGTERM pins), move
 * the mapping on (MADV_DONTNEED, or a MAP_FIXED remap), write pattern NEW through the mapping,
 * read through the reference. OLD = {@code stale-pin} (expected every time: the reference keeps
 * the old frame, which is exactly what a pinning GPC would keep using); frames before and after
 * from pagemap when visible. Then mlock + MADV_DONTNEED: {@code refused} (EINVAL).
 * Tests: pin-vmsplice-dontneed, pin-vmsplice-remap, pin-io_uring-dontneed, pin-io_uring-remap,
 * pin-mlock-dontneed.
 */
public final class PinScenario {
    public static final String SCENARIO = "pin";
    static final long OLD = 0x6f6c642d6f6c642dL; // "-dlo-dlo"
    static final long NEW = 0x6e65772d6e65772dL;

    private final NativeBridge bridge;
    private final long trials;
    private final BooleanSupplier stopRequested;

    public PinScenario(NativeBridge bridge, long trials, BooleanSupplier stopRequested) {
        if (trials <= 0) throw new IllegalArgumentException("--trials must be > 0, got " + trials);
        this.bridge = bridge;
        this.trials = trials;
        this.stopRequested = stopRequested;
    }

    public List<TestResult> run(Consumer<TestResult> onTest) {
        List<TestResult> out = new ArrayList<>();
        Consumer<TestResult> emit = t -> {
            out.add(t);
            onTest.accept(t);
        };
        for (String ref : new String[] {"vmsplice", "io_uring"}) {
            for (PinMove move : PinMove.SCENARIO_MOVES) emit.accept(referenceTest(ref, move));
        }
        emit.accept(mlockTest());
        return out;
    }

    private Map<String, Object> params(String reference, String move) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("trials", trials);
        m.put("reference", reference);
        m.put("move", move);
        m.put("backing", Backing.ANON.id());
        return m;
    }

    /** One reference kind ("vmsplice" or "io_uring") against one move, {@code trials} times. */
    TestResult referenceTest(String refId, PinMove move) {
        Function<NativeBridge, PinReference> open = switch (refId) {
            case "vmsplice" -> VmspliceReference::new;
            case "io_uring" -> UringReference::new;
            default -> throw new IllegalArgumentException("unknown reference '" + refId + "'");
        };
        String name = "pin-" + refId + "-" + move.id();
        Map<String, Object> params = params(refId, move.id());
        PinReference ref;
        try {
            ref = open.apply(bridge);
        } catch (NativeCallException e) {
            return TestResult.skipped(name, SCENARIO, params, new Skip("the kernel refuses io_uring here: " + e.getMessage(),
                    "sysctl kernel.io_uring_disabled=0 (kernel needs CONFIG_IO_URING); unprivileged users need kernel.io_uring_group"));
        }
        long[] counts = new long[PinOutcome.values().length];
        long framesVisible = 0, framesDiffered = 0, done = 0;
        String exampleOld = null, exampleNew = null;
        long t0 = System.nanoTime();
        try (ref; Arena arena = Arena.ofConfined(); Pagemap pm = new Pagemap()) {
            MemorySegment buf = arena.allocate(Linux.PAGE_SIZE, 8);
            for (long i = 0; i < trials && !stopRequested.getAsBoolean(); i++) {
                try (GuestMemory page = GuestMemory.map(bridge, Backing.ANON, 1)) {
                    fill(page.segment(), OLD ^ i);
                    PageInfo before = pm.page(page.base());
                    try {
                        ref.take(page.base());
                    } catch (NativeCallException e) {
                        if (i == 0 && refId.equals("io_uring")) {
                            return TestResult.skipped(name, SCENARIO, params, new Skip("the kernel refuses io_uring buffer registration: "
                                    + e.getMessage(), "raise RLIMIT_MEMLOCK (ulimit -l) or run as root"));
                        }
                        throw e;
                    }
                    move.apply(bridge, page.base());
                    fill(page.segment(), NEW ^ i);
                    PageInfo after = pm.page(page.base());
                    ref.readAndRelease(page.base(), buf.address());
                    counts[classify(buf, OLD ^ i, NEW ^ i).ordinal()]++;
                    if (before.frame().isPresent() && after.frame().isPresent()) {
                        framesVisible++;
                        if (before.frame().getAsLong() != after.frame().getAsLong()) framesDiffered++;
                    }
                    if (i == 0) {
                        exampleOld = before.frameText();
                        exampleNew = after.frameText();
                    }
                    done++;
                }
            }
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        return TestResult.builder(name, SCENARIO, params).expectation(EXPECTATION).unit("trials").rounds(done, secs)
                .outcomes(outcomes(counts, PinOutcome.STALE_PIN, PinOutcome.FOLLOWS_MAPPING, PinOutcome.OTHER_CONTENT))
                .note(String.format("frames (first trial): reference holds %s, mapping now at %s; frames visible in %d of %d"
                        + " trials, different in %d", exampleOld, exampleNew, framesVisible, done, framesDiffered))
                .interrupted(done < trials).extra(new PinExtra(framesVisible, framesDiffered, exampleOld, exampleNew)).build();
    }

    /** The kernel keeps a pinned frame for its reference and refuses to zap a locked page: anything else is a finding. */
    static final Expectation EXPECTATION = Expectation.safe(
            "a long-term reference (FOLL_LONGTERM pin) keeps the old frame; MADV_DONTNEED of an mlock'd page is refused");

    private TestResult mlockTest() {
        String name = "pin-mlock-dontneed";
        Map<String, Object> params = params("mlock", PinMove.DONTNEED.id());
        long[] counts = new long[PinOutcome.values().length];
        long done = 0;
        long t0 = System.nanoTime();
        for (long i = 0; i < trials && !stopRequested.getAsBoolean(); i++) {
            try (GuestMemory page = GuestMemory.map(bridge, Backing.ANON, 1)) {
                fill(page.segment(), OLD ^ i);
                try {
                    bridge.mlock(page.base(), Linux.PAGE_SIZE);
                } catch (NativeCallException e) {
                    return TestResult.skipped(name, SCENARIO, params, new Skip("mlock refused: " + e.getMessage(),
                            "raise RLIMIT_MEMLOCK (ulimit -l) or run as root"));
                }
                try {
                    bridge.madvise(page.base(), Linux.PAGE_SIZE, Linux.MADV_DONTNEED);
                    counts[PinOutcome.ZAPPED_WHILE_LOCKED.ordinal()]++;
                } catch (NativeCallException e) {
                    if (!"EINVAL".equals(e.errnoName())) throw e;
                    counts[PinOutcome.REFUSED.ordinal()]++;
                } finally {
                    bridge.munlock(page.base(), Linux.PAGE_SIZE);
                }
                done++;
            }
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        return TestResult.builder(name, SCENARIO, params).expectation(EXPECTATION).unit("trials").rounds(done, secs)
                .outcomes(outcomes(counts, PinOutcome.REFUSED, PinOutcome.ZAPPED_WHILE_LOCKED)).interrupted(done < trials).build();
    }

    static void fill(MemorySegment page, long pattern) {
        for (long off = 0; off < Linux.PAGE_SIZE; off += 8) page.set(JAVA_LONG, off, pattern);
    }

    /** OLD everywhere: stale; NEW everywhere: follows; anything else: other. */
    static PinOutcome classify(MemorySegment buf, long old, long now) {
        boolean allOld = true, allNew = true;
        for (long off = 0; off < Linux.PAGE_SIZE; off += 8) {
            long v = buf.get(JAVA_LONG, off);
            allOld &= v == old;
            allNew &= v == now;
        }
        return allOld ? PinOutcome.STALE_PIN : allNew ? PinOutcome.FOLLOWS_MAPPING : PinOutcome.OTHER_CONTENT;
    }

    private static List<OutcomeCount> outcomes(long[] counts, PinOutcome... shown) {
        List<OutcomeCount> out = new ArrayList<>();
        for (PinOutcome o : shown) out.add(new OutcomeCount(o.id(), counts[o.ordinal()], o.grade(), o.description()));
        return out;
    }
}
