package org.gpcrace.scenario.kvm;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gpcrace.protocol.Source;

/**
 * Every knob of the kvm-pvclock scenario (the CLI's options, validated here so bad values are
 * refused before anything is created).
 *
 * @param runs KVM_RUNs of each source's race phase
 * @param sources the invalidation sources, one test each (empty: "none", no invalidator)
 * @param delayMaxNs the invalidator's random busy-wait before each invalidation, 0..delayMaxNs
 * @param vcpuGapMaxNs the vCPU actor's random busy-wait after each run, 0..vcpuGapMaxNs
 * @param stormRuns KVM_RUNs of the --storm phase (0: no storm phase)
 * @param memslotPairs create+delete pairs per --memslot-updates sub-phase (0: no memslot phase)
 * @param calibrationSamples samples of each source's sequential phase (0: none)
 * @param sequentialBudgetNs time at most for one sequential phase (at least 3 samples): compaction and KSM are slow
 * @param trace record kernel-side evidence (and judge with it) where tracefs can be used
 * @param vcpus several vCPUs (>= 2: adds the tests with every structure on one page and on distinct pages)
 * @param kickSamples samples per vCPU state of the guest-mode kick test (0: none)
 * @param vcpuCpu CPU of the vCPU actor (and of the memslot updater); -1 leaves it unpinned
 * @param invalidatorCpu CPU of the invalidator and the storm; -1 leaves them unpinned
 * @param busted negative control: the invalidator does not log its intervals, and no trace judges
 */
public record PvclockConfig(long runs, List<Source> sources, ClockUpdate clockUpdate, long delayMaxNs, long vcpuGapMaxNs,
        long stormRuns, long stormPages, boolean stormTouch, long runBoundNs, long hangNs, long memslotPairs,
        long calibrationSamples, long sequentialBudgetNs, boolean trace, int vcpus, long kickSamples, long seed, int vcpuCpu,
        int invalidatorCpu, boolean busted) {

    public PvclockConfig {
        sources = List.copyOf(sources);
        positive("--runs", runs);
        if (delayMaxNs < 0) throw new IllegalArgumentException("--delay-max-us must be >= 0, got " + delayMaxNs / 1000);
        if (vcpuGapMaxNs < 0) throw new IllegalArgumentException("--vcpu-gap-max-us must be >= 0, got " + vcpuGapMaxNs / 1000);
        if (stormRuns < 0) throw new IllegalArgumentException("--storm-runs must be >= 0, got " + stormRuns);
        positive("--storm-pages", stormPages);
        positive("--run-bound-ms", runBoundNs);
        positive("--hang-ms", hangNs);
        if (runBoundNs > hangNs) throw new IllegalArgumentException("--run-bound-ms must not exceed --hang-ms");
        if (memslotPairs < 0) throw new IllegalArgumentException("--memslot-pairs must be >= 0, got " + memslotPairs);
        if (calibrationSamples < 0) throw new IllegalArgumentException("--calibration must be >= 0, got " + calibrationSamples);
        positive("--sequential-budget-ms", sequentialBudgetNs);
        if (kickSamples < 0) throw new IllegalArgumentException("--kick-samples must be >= 0, got " + kickSamples);
        if (vcpus < 1 || vcpus > PvclockGuest.MAX_VCPUS) {
            throw new IllegalArgumentException("--vcpus must be 1.." + PvclockGuest.MAX_VCPUS + ", got " + vcpus);
        }
        if (vcpus > 1 && clockUpdate == ClockUpdate.SET_CLOCK) {
            throw new IllegalArgumentException("--vcpus > 1 needs --clock-update kvmclock-ctrl: KVM_SET_CLOCK updates every vCPU at once");
        }
        boolean none = sources.isEmpty();
        if (stormRuns > 0 && none) {
            throw new IllegalArgumentException("--storm needs an invalidator (--source other than none): it inflates the refresh after an invalidation");
        }
        if (memslotPairs > 0 && none) {
            throw new IllegalArgumentException("--memslot-updates needs an invalidator (--source other than none): it compares updates with and without the stream");
        }
        if (vcpus > 1 && none) throw new IllegalArgumentException("--vcpus needs an invalidator (--source other than none): the vCPUs refresh together after it");
        if (busted && none) throw new IllegalArgumentException("--busted needs an invalidator (--source other than none)");
        if (stormRuns > 0 || memslotPairs > 0 || vcpus > 1) {
            Source first = sources.getFirst();
            if (first != Source.DONTNEED && first != Source.FREE && first != Source.REMAP) {
                throw new IllegalArgumentException("--storm, --memslot-updates and --vcpus use the first --source, which must then be"
                        + " dontneed, free or remap, not " + first.id());
            }
        }
    }

    /** The classic single-source configuration (tests, memslot-fairness), tracing where it can. */
    public static PvclockConfig of(long runs, Source source, ClockUpdate clockUpdate, long delayMaxNs, long vcpuGapMaxNs, long stormRuns,
            long stormPages, boolean stormTouch, long runBoundNs, long hangNs, long memslotPairs, long calibrationSamples, long seed,
            int vcpuCpu, int invalidatorCpu, boolean busted) {
        return new PvclockConfig(runs, source == null ? List.of() : List.of(source), clockUpdate, delayMaxNs, vcpuGapMaxNs, stormRuns,
                stormPages, stormTouch, runBoundNs, hangNs, memslotPairs, calibrationSamples, 5_000_000_000L, true, 1, 0, seed, vcpuCpu,
                invalidatorCpu, busted);
    }

    public PvclockConfig withSources(List<Source> s) {
        return new PvclockConfig(runs, s, clockUpdate, delayMaxNs, vcpuGapMaxNs, stormRuns, stormPages, stormTouch, runBoundNs, hangNs,
                memslotPairs, calibrationSamples, sequentialBudgetNs, trace, vcpus, kickSamples, seed, vcpuCpu, invalidatorCpu, busted);
    }

    public PvclockConfig withTrace(boolean t) {
        return new PvclockConfig(runs, sources, clockUpdate, delayMaxNs, vcpuGapMaxNs, stormRuns, stormPages, stormTouch, runBoundNs, hangNs,
                memslotPairs, calibrationSamples, sequentialBudgetNs, t, vcpus, kickSamples, seed, vcpuCpu, invalidatorCpu, busted);
    }

    public PvclockConfig withVcpus(int n) {
        return new PvclockConfig(runs, sources, clockUpdate, delayMaxNs, vcpuGapMaxNs, stormRuns, stormPages, stormTouch, runBoundNs, hangNs,
                memslotPairs, calibrationSamples, sequentialBudgetNs, trace, n, kickSamples, seed, vcpuCpu, invalidatorCpu, busted);
    }

    public PvclockConfig withKickSamples(long n) {
        return new PvclockConfig(runs, sources, clockUpdate, delayMaxNs, vcpuGapMaxNs, stormRuns, stormPages, stormTouch, runBoundNs, hangNs,
                memslotPairs, calibrationSamples, sequentialBudgetNs, trace, vcpus, n, seed, vcpuCpu, invalidatorCpu, busted);
    }

    public PvclockConfig withSequentialBudgetNs(long ns) {
        return new PvclockConfig(runs, sources, clockUpdate, delayMaxNs, vcpuGapMaxNs, stormRuns, stormPages, stormTouch, runBoundNs, hangNs,
                memslotPairs, calibrationSamples, ns, trace, vcpus, kickSamples, seed, vcpuCpu, invalidatorCpu, busted);
    }

    /** The first source (storm, memslot updates and vCPU tests use it), or null for "none". */
    public Source source() { return sources.isEmpty() ? null : sources.getFirst(); }

    private static void positive(String option, long v) {
        if (v <= 0) throw new IllegalArgumentException(option + " must be > 0, got " + v);
    }

    /** The parameters block of results.json (source: the test's own). */
    public Map<String, Object> asMap(Source source) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("runs", runs);
        m.put("source", PvclockSources.id(source));
        m.put("clockUpdate", clockUpdate.id());
        m.put("delayMaxUs", delayMaxNs / 1000.0);
        m.put("vcpuGapMaxUs", vcpuGapMaxNs / 1000.0);
        m.put("stormRuns", stormRuns);
        m.put("stormPages", stormPages);
        m.put("stormTouch", stormTouch);
        m.put("runBoundMs", runBoundNs / 1e6);
        m.put("hangMs", hangNs / 1_000_000);
        m.put("memslotPairs", memslotPairs);
        m.put("calibrationSamples", calibrationSamples);
        m.put("sequentialBudgetMs", sequentialBudgetNs / 1_000_000);
        m.put("trace", trace);
        m.put("vcpus", vcpus);
        m.put("kickSamples", kickSamples);
        m.put("seed", seed);
        m.put("cpuVcpu", vcpuCpu);
        m.put("cpuInvalidator", invalidatorCpu);
        m.put("cpuStorm", invalidatorCpu);
        m.put("cpuMemslotUpdater", vcpuCpu);
        m.put("busted", busted);
        return m;
    }

    /** The parameters of the whole run (every source). */
    public Map<String, Object> asMap() {
        Map<String, Object> m = asMap(source());
        m.put("source", sources.isEmpty() ? List.of("none") : sources.stream().map(Source::id).toList());
        return m;
    }
}
