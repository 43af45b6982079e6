package org.gpcrace.scenario.kvm;

import java.util.LinkedHashMap;
import java.util.Map;
import org.gpcrace.protocol.Source;

/**
 * Every knob of the kvm-pvclock scenario (the CLI's options, validated here so bad values are
 * refused before anything is created).
 *
 * @param runs KVM_RUNs of the main (race) phase
 * @param delayMaxNs the invalidator's random busy-wait before each invalidation, 0..delayMaxNs
 * @param vcpuGapMaxNs the vCPU actor's random busy-wait after each run, 0..vcpuGapMaxNs
 * @param stormRuns KVM_RUNs of the --storm phase (0: no storm phase)
 * @param memslotPairs create+delete pairs per --memslot-updates sub-phase (0: no memslot phase)
 * @param vcpuCpu CPU of the vCPU actor (and of the memslot updater); -1 leaves it unpinned
 * @param invalidatorCpu CPU of the invalidator and the storm; -1 leaves them unpinned
 * @param busted negative control: the invalidator does not log its intervals
 */
public record PvclockConfig(long runs, Source source, ClockUpdate clockUpdate, long delayMaxNs, long vcpuGapMaxNs,
        long stormRuns, long stormPages, boolean stormTouch, long runBoundNs, long hangNs, long memslotPairs,
        long calibrationSamples, long seed, int vcpuCpu, int invalidatorCpu, boolean busted) {

    public PvclockConfig {
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
        if (stormRuns > 0 && source == null) {
            throw new IllegalArgumentException("--storm needs an invalidator (--source other than none): it inflates the refresh after an invalidation");
        }
        if (memslotPairs > 0 && source == null) {
            throw new IllegalArgumentException("--memslot-updates needs an invalidator (--source other than none): it compares updates with and without the stream");
        }
        if (busted && source == null) throw new IllegalArgumentException("--busted needs an invalidator (--source other than none)");
    }

    private static void positive(String option, long v) {
        if (v <= 0) throw new IllegalArgumentException(option + " must be > 0, got " + v);
    }

    /** The parameters block of results.json. */
    public Map<String, Object> asMap() {
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
        m.put("seed", seed);
        m.put("cpuVcpu", vcpuCpu);
        m.put("cpuInvalidator", invalidatorCpu);
        m.put("cpuStorm", invalidatorCpu);
        m.put("cpuMemslotUpdater", vcpuCpu);
        m.put("busted", busted);
        return m;
    }
}
