package org.gpcrace.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.gpcrace.harness.RunDirectory;
import org.gpcrace.model.Explorer;
import org.gpcrace.model.GpcModel;
import org.gpcrace.model.GpcModelConfig;
import org.gpcrace.model.GpcModelRun;
import org.gpcrace.model.ModelTest;
import org.gpcrace.model.Program;
import org.gpcrace.protocol.Frames;
import org.gpcrace.protocol.GpcVariant;
import org.gpcrace.protocol.LockKind;
import org.gpcrace.protocol.NonblockPolicy;
import org.gpcrace.protocol.Protocol;
import org.gpcrace.protocol.ReaderMode;
import org.gpcrace.protocol.RefreshMode;
import org.gpcrace.result.ResultsDocument;
import org.gpcrace.util.HasId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * `gpcrace model`: explores every interleaving of each protocol configuration's atomic steps (the
 * C engine's steps, sequential consistency, identical readers explored once) and says, per
 * outcome, Never / Sometimes / Always, with the shortest interleaving to each reachable FORBIDDEN
 * outcome. Writes results.json with kind "model", the same format as a hardware run, for
 * `gpcrace compare`. Then the reachability report: per protocol, every step of its actors'
 * programs that no configuration explored reached is printed; when the run explored every
 * configuration (every option all/both) such a step is an error (exit status 1).
 *
 *   gpcrace model                                  # every protocol, both locks, blocking mode
 *   gpcrace model --protocol seqcount --programs   # one protocol, with its actors' programs
 *   gpcrace model --nonblock both                  # blocking and non-blockable (every policy that applies)
 *   gpcrace model --protocol seqcount,seqcount-srcu-unmap-only --unmap-rounds on --frames file-kept
 */
@Command(name = "model", mixinStandardHelpOptions = true, addMethodSubcommands = false,
        description = "Explore every interleaving of each GPC protocol configuration's atomic steps (sequential consistency)"
                + " and report Never/Sometimes/Always per outcome, with the shortest interleaving to each FORBIDDEN outcome,"
                + " then which steps no configuration reached.")
public final class ModelCommand implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--protocol", split = ",", paramLabel = "ID[,ID...]|all", description = "protocols to explore (default: all)")
    List<String> protocols = List.of("all");

    @Option(names = "--lock", split = ",", paramLabel = "spin|sleeping|all",
            description = "rwlock kinds, for the protocols that use the rwlock (default: all)")
    List<String> locks = List.of("all");

    @Option(names = "--nonblock", paramLabel = "off|on|both", description = "non-blockable invalidation: off (default), on, or both")
    String nonblock = "off";

    @Option(names = "--nonblock-policy", split = ",", paramLabel = "sleep|spin|eagain|defer|no-wait|all",
            description = "what a non-blockable invalidation does at a step that would wait (default: all that apply; no-wait needs guest readers)")
    List<String> policies = List.of("all");

    @Option(names = "--refresh", split = ",", paramLabel = "retry|wait|all", description = "the refresh's rule (default: retry)")
    List<String> refresh = List.of("retry");

    @Option(names = "--preempt-rt", paramLabel = "off|on|both", description = "PREEMPT_RT sleeping locks in the notifier path (default: off)")
    String preemptRt = "off";

    @Option(names = "--reader-mode", split = ",", paramLabel = "host|guest|all", description = "readers in host or guest mode (default: host)")
    List<String> readerModes = List.of("host");

    @Option(names = "--invalidations", split = ",", paramLabel = "N[,N...]", description = "invalidations per round, 1..3 (default: 1)")
    List<Integer> invalidations = List.of(1);

    @Option(names = "--unmap-rounds", paramLabel = "off|on|both", description = "rounds that deactivate and reactivate the cache (default: off)")
    String unmapRounds = "off";

    @Option(names = "--storm", paramLabel = "off|on|both",
            description = "an invalidation of an unrelated range may run at any moment (the hardware's --storm): mainline's refresh"
                    + " retries while it runs, the range-aware wait does not (default: off)")
    String storm = "off";

    @Option(names = "--frames", split = ",", paramLabel = "KIND[,KIND...]|all",
            description = "what khva is and what the operation does to frames: anon-new, anon-kept, file-kept, file-new, file-remap"
                    + " (default: anon-new; pinned: file-remap)")
    List<String> frames = List.of("default");

    @Option(names = "--readers", paramLabel = "N", description = "readers (1-" + GpcModelConfig.MAX_READERS + ", default: ${DEFAULT-VALUE})")
    int readers = 2;

    @Option(names = "--accesses", paramLabel = "K",
            description = "accesses per reader before it may stop, the hardware's stride (1-" + GpcModelConfig.MAX_ACCESSES + ", default: ${DEFAULT-VALUE})")
    int accesses = 2;

    @Option(names = "--extra-accesses", paramLabel = "E",
            description = "accesses past K a reader may make while the invalidations run before it waits for their end (0-"
                    + GpcModelConfig.MAX_EXTRA + ", default: ${DEFAULT-VALUE}); hardware readers go on until an access starts after the end")
    int extra = 1;

    @Option(names = "--refresh-bound", paramLabel = "N", description = "refresh retries past which a refresh counts as refresh-livelock (default: ${DEFAULT-VALUE})")
    int refreshBound = 2;

    @Option(names = "--max-states", paramLabel = "N", description = "give up beyond this many states per configuration (default: ${DEFAULT-VALUE})")
    int maxStates = Explorer.DEFAULT_MAX_STATES;

    @Option(names = "--no-symmetry", description = "store every state as it is (no symmetry reduction between readers), to check the reduction")
    boolean noSymmetry;

    @Option(names = "--fine", description = "every load of the check its own step, also where the lock or seqcount makes one step exact (slower)")
    boolean fine;

    @Option(names = "--counts", description = "keep the exact counts T, S, C per reader and generation instead of the facts the outcomes"
            + " depend on (the same outcomes, many more states)")
    boolean counts;

    @Option(names = "--programs", description = "print each actor's program (its atomic steps) before exploring")
    boolean programs;

    @Mixin OutputOptions output;

    @Override public Integer call() {
        if (maxStates < 1) throw new UserInputException("--max-states must be at least 1, got " + maxStates);
        List<GpcModelConfig> configs = configurations();
        RunDirectory dir = output.directory("model", "gpcrace-model");
        PrintWriter w = spec.commandLine().getOut();
        if (programs && !output.json) {
            for (GpcModelConfig c : configs) {
                w.println("=== " + c.testName());
                for (Program p : new GpcModel(c).programs()) w.print(p.listing());
            }
        }
        Map<String, Object> knobs = new LinkedHashMap<>();
        knobs.put("semantics", GpcModelRun.SEMANTICS);
        knobs.put("readers", readers);
        knobs.put("accessesPerReader", accesses);
        knobs.put("extraAccesses", extra);
        knobs.put("invalidations", invalidations);
        knobs.put("refreshBound", refreshBound);
        knobs.put("maxStates", maxStates);
        knobs.put("reduction", (noSymmetry ? "none" : "symmetry") + (fine ? ", every load apart" : ", protected loads merged")
                + (counts ? ", exact counts" : ", per-generation facts"));
        Reachability reach = new Reachability();
        List<org.gpcrace.harness.Test> tests = new ArrayList<>(configs.stream()
                .map(c -> (org.gpcrace.harness.Test) new ModelTest(c, maxStates, !noSymmetry, reach::add)).toList());
        if (protocols.contains("all")) tests.addAll(org.gpcrace.model.faultreader.FaultReaderModelTest.all(maxStates)); // fault-in-reader's variants
        int status = TestRun.run(spec, output, dir, ResultsDocument.MODEL, "gpcrace model", "model", knobs, tests);
        List<String> unreached = reach.unreached();
        boolean every = everyConfiguration();
        if (!output.json) {
            w.println();
            w.println("=== reachability: the steps of each GPC protocol's programs no configuration explored reached");
            if (unreached.isEmpty()) w.println("  every step of every explored protocol was reached");
            for (String u : unreached) w.println(every ? "  !!! unreachable: " + u : "  not reached here: " + u);
            if (!unreached.isEmpty() && !every) {
                w.println("  (this run explored " + configs.size() + " of the configurations; a step may need one outside it. It is an error"
                        + " only when every option is all/both: " + EVERY_CONFIGURATION + ")");
            }
            w.flush();
        }
        // a step is unreachable only if no configuration reaches it: only a run of every configuration can say so
        if (every && !unreached.isEmpty() && (status == 0 || status == 3)) return 1;
        return status;
    }

    static final String EVERY_CONFIGURATION = "--lock all --nonblock both --nonblock-policy all --refresh all --preempt-rt both"
            + " --reader-mode all --invalidations 1,2,3 --unmap-rounds both --storm both --frames all";

    /** Every configuration of the chosen protocols at the chosen sizes is explored (every option all/both). */
    boolean everyConfiguration() {
        return locks.contains("all") && nonblock.equals("both") && policies.contains("all") && refresh.contains("all")
                && preemptRt.equals("both") && readerModes.contains("all") && unmapRounds.equals("both") && storm.equals("both")
                && frames.contains("all") && java.util.stream.IntStream.rangeClosed(1, GpcVariant.MAX_INVALIDATIONS).allMatch(invalidations::contains);
    }

    /** The steps reached, united per protocol over its configurations. */
    static final class Reachability {
        private final Map<String, Set<String>> all = new LinkedHashMap<>(), reached = new LinkedHashMap<>();

        synchronized void add(GpcModelRun r) {
            String p = r.config().protocol().id();
            r.model().instructions().values().forEach(l -> all.computeIfAbsent(p, k -> new LinkedHashSet<>()).addAll(l));
            r.exploration().reached().values().forEach(l -> reached.computeIfAbsent(p, k -> new LinkedHashSet<>()).addAll(l));
        }

        List<String> unreached() {
            List<String> out = new ArrayList<>();
            all.forEach((p, labels) -> {
                for (String l : labels) if (!reached.getOrDefault(p, Set.of()).contains(l)) out.add(p + ": " + l);
            });
            return out;
        }
    }

    private static <E extends Enum<E> & HasId> List<E> pick(List<String> ids, Class<E> type, E[] all, java.util.function.Function<String, E> byId) {
        if (ids.contains("all")) return List.of(all);
        return ids.stream().map(String::strip).map(byId).distinct().sorted().toList();
    }

    private static List<Boolean> onOff(String v, String option) {
        return switch (v) {
            case "off" -> List.of(false);
            case "on" -> List.of(true);
            case "both" -> List.of(false, true);
            default -> throw new UserInputException(option + ": expected off, on or both (got '" + v + "')");
        };
    }

    /** Every requested configuration, in protocol-table order; a knob only multiplies the protocols it applies to. */
    List<GpcModelConfig> configurations() {
        List<Protocol> ps = pick(protocols, Protocol.class, Protocol.values(), Protocol::byId);
        List<LockKind> ls = pick(locks, LockKind.class, LockKind.values(), LockKind::byId);
        List<NonblockPolicy> pols = pick(policies, NonblockPolicy.class, NonblockPolicy.values(), NonblockPolicy::byId);
        List<RefreshMode> rms = pick(refresh, RefreshMode.class, RefreshMode.values(), RefreshMode::byId);
        List<ReaderMode> modes = pick(readerModes, ReaderMode.class, ReaderMode.values(), ReaderMode::byId);
        List<Boolean> nbs = onOff(nonblock, "--nonblock"), rts = onOff(preemptRt, "--preempt-rt"), ums = onOff(unmapRounds, "--unmap-rounds"),
                storms = onOff(storm, "--storm");
        boolean allFrames = frames.contains("all"), defFrames = frames.contains("default");
        List<Frames> fs = allFrames || defFrames ? List.of() : frames.stream().map(String::strip).map(Frames::byId).distinct().toList();
        for (int n : invalidations) {
            if (n < 1 || n > GpcVariant.MAX_INVALIDATIONS) throw new UserInputException("--invalidations must be 1.." + GpcVariant.MAX_INVALIDATIONS + ", got " + n);
        }
        boolean single = ps.size() == 1 && nbs.size() == 1 && pols.size() <= 1 && modes.size() == 1 && ums.size() == 1 && rts.size() == 1;
        List<GpcModelConfig> out = new ArrayList<>();
        for (Protocol p : ps) {
            List<Frames> pf = allFrames ? List.of(Frames.values()) : defFrames ? List.of(GpcVariant.defaultFrames(p)) : fs;
            for (LockKind l : p.lockMatters() ? ls : List.of(LockKind.SPIN)) {
                for (boolean rt : rts) {
                    if (rt && p.lockMatters() && l == LockKind.SPIN && ls.contains(LockKind.SLEEPING)) continue; // RT makes it sleeping
                    for (boolean nb : nbs) {
                        for (NonblockPolicy pol : nb ? pols : List.of(NonblockPolicy.SLEEP)) {
                            for (RefreshMode rm : rms) for (ReaderMode m : modes) for (int n : invalidations) for (boolean um : ums) {
                                for (Frames f : pf) for (boolean st : storms) {
                                    try {
                                        out.add(new GpcModelConfig(new GpcVariant(p, l, nb, nb ? pol : null, rm, rt, m, n, um, f, st),
                                                readers, accesses, extra, refreshBound, fine, counts));
                                    } catch (IllegalArgumentException e) {
                                        if (single && pf.size() == 1 && storms.size() == 1 && invalidations.size() == 1 && rms.size() == 1 && (!nb || pols.size() == 1)) {
                                            throw new UserInputException(e.getMessage());
                                        }
                                        // a combination that cannot be (e.g. no-wait with host readers): not explored
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        if (out.isEmpty()) throw new UserInputException("no protocol configuration fits these options");
        return out;
    }
}
