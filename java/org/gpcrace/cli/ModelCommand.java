package org.gpcrace.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.ArrayList;
import org.gpcrace.harness.RunDirectory;
import org.gpcrace.model.Explorer;
import org.gpcrace.model.GpcModel;
import org.gpcrace.model.ModelTest;
import org.gpcrace.model.GpcModelConfig;
import org.gpcrace.model.GpcModelRun;
import org.gpcrace.model.Program;
import org.gpcrace.protocol.Protocol;
import org.gpcrace.result.ResultsDocument;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import org.gpcrace.protocol.LockKind;
import org.gpcrace.protocol.NonblockPolicy;

/**
 * `gpcrace model`: explores every interleaving of each protocol variant's atomic steps (small
 * configuration, sequential consistency) and says, per outcome, Never / Sometimes / Always, with
 * the shortest interleaving to each reachable FORBIDDEN outcome. Writes results.json with kind
 * "model", the same format as a hardware run, for `gpcrace compare`.
 *
 *   gpcrace model                                  # every protocol, both locks, blocking mode
 *   gpcrace model --protocol seqcount --programs   # one protocol, with its actors' programs
 *   gpcrace model --nonblock both                  # blocking and non-blockable (every policy)
 */
@Command(name = "model", mixinStandardHelpOptions = true,
        description = "Explore every interleaving of each GPC protocol's atomic steps (sequential consistency)"
                + " and report Never/Sometimes/Always per outcome, with the shortest interleaving to each FORBIDDEN outcome.")
public final class ModelCommand implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--protocol", split = ",", paramLabel = "ID[,ID...]|all",
            description = "protocols to explore (default: all): ${COMPLETION-CANDIDATES}")
    List<String> protocols = List.of("all");

    @Option(names = "--lock", split = ",", paramLabel = "spin|sleeping|all",
            description = "rwlock kinds, for the protocols that use the rwlock (default: all)")
    List<String> locks = List.of("all");

    @Option(names = "--nonblock", paramLabel = "off|on|both",
            description = "non-blockable invalidation: off (default), on, or both")
    String nonblock = "off";

    @Option(names = "--nonblock-policy", split = ",", paramLabel = "sleep|spin|eagain|all",
            description = "what a non-blockable invalidation does at a step that would sleep (default: all)")
    List<String> policies = List.of("all");

    @Option(names = "--readers", paramLabel = "N", description = "readers (1-" + GpcModelConfig.MAX_READERS + ", default: ${DEFAULT-VALUE})")
    int readers = 2;

    @Option(names = "--accesses", paramLabel = "K",
            description = "accesses per reader before it may stop, the hardware's stride (1-" + GpcModelConfig.MAX_ACCESSES + ", default: ${DEFAULT-VALUE})")
    int accesses = 2;

    @Option(names = "--extra-accesses", paramLabel = "E",
            description = "accesses past K a reader may make while the invalidation runs before it waits for its end (0-"
                    + GpcModelConfig.MAX_EXTRA + ", default: ${DEFAULT-VALUE}); hardware readers go on until an access starts after the end")
    int extra = 1;

    @Option(names = "--refresh-bound", paramLabel = "N",
            description = "refresh retries past which a refresh counts as refresh-livelock (default: ${DEFAULT-VALUE})")
    int refreshBound = 8;

    @Option(names = "--max-states", paramLabel = "N", description = "give up beyond this many states per configuration (default: ${DEFAULT-VALUE})")
    int maxStates = Explorer.DEFAULT_MAX_STATES;

    @Option(names = "--programs", description = "print each actor's program (its atomic steps) before exploring")
    boolean programs;

    @Mixin OutputOptions output;

    @Override public Integer call() {
        if (maxStates < 1) throw new UserInputException("--max-states must be at least 1, got " + maxStates);
        List<GpcModelConfig> configs = configurations();
        RunDirectory dir = output.directory("model", "gpcrace-model");
        PrintWriter w = spec.commandLine().getOut();
        if (programs && !output.json) {
            for (GpcModelConfig c : configs) for (Program p : new GpcModel(c).programs()) w.print(p.listing());
        }
        Map<String, Object> knobs = new LinkedHashMap<>();
        knobs.put("semantics", GpcModelRun.SEMANTICS);
        knobs.put("readers", readers);
        knobs.put("accessesPerReader", accesses);
        knobs.put("extraAccesses", extra);
        knobs.put("invalidations", 1);
        knobs.put("refreshBound", refreshBound);
        knobs.put("maxStates", maxStates);
        List<org.gpcrace.harness.Test> tests = new ArrayList<>(configs.stream().map(c -> new ModelTest(c, maxStates)).toList());
        if (protocols.contains("all")) tests.addAll(org.gpcrace.model.faultreader.FaultReaderModelTest.all(maxStates)); // fault-in-reader's variants
        return TestRun.run(spec, output, dir, ResultsDocument.MODEL, "gpcrace model", "model", knobs, tests);
    }

    /** Every requested configuration, in protocol-table order; the lock only multiplies the protocols it matters to. */
    List<GpcModelConfig> configurations() {
        List<Protocol> ps = protocols.contains("all") ? List.of(Protocol.values())
                : protocols.stream().map(Protocol::byId).distinct().sorted().toList();
        List<LockKind> ls = locks.contains("all") ? List.of(LockKind.values()) : locks.stream().map(LockKind::byId).distinct().sorted().toList();
        List<NonblockPolicy> pols = policies.contains("all") ? List.of(NonblockPolicy.values())
                : policies.stream().map(NonblockPolicy::byId).distinct().sorted().toList();
        List<Boolean> modes = switch (nonblock) {
            case "off" -> List.of(false);
            case "on" -> List.of(true);
            case "both" -> List.of(false, true);
            default -> throw new UserInputException("--nonblock: expected off, on or both (got '" + nonblock + "')");
        };
        List<GpcModelConfig> out = new ArrayList<>();
        for (Protocol p : ps) {
            for (LockKind l : p.lockMatters() ? ls : List.of(LockKind.SPIN)) {
                for (boolean nb : modes) {
                    if (nb && p.usesUffd()) {
                        if (modes.size() == 1 && ps.size() == 1) {
                            throw new UserInputException("protocol " + p.id() + " has no non-blockable mode");
                        }
                        continue;
                    }
                    for (NonblockPolicy pol : nb ? pols : List.of(NonblockPolicy.SLEEP)) {
                        out.add(new GpcModelConfig(p, l, nb, nb ? pol : null, readers, accesses, extra, refreshBound));
                    }
                }
            }
        }
        return out;
    }
}
