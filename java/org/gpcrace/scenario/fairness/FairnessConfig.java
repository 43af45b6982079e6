package org.gpcrace.scenario.fairness;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * memslot-fairness knobs, validated so bad values are refused before anything runs.
 *
 * @param duties invalidation duty cycles to sweep, each in [0, 1]; 0 runs no invalidator
 * @param stagger invalidator i runs i*period/N behind invalidator 0, so with N*duty >= 1 their
 *     sections overlap and hand off (the active count need never reach zero)
 * @param boundNs a wait longer than this is {@code starved}
 * @param waitLimitNs the unfair wait gives up after this (a censored sample, also starved)
 * @param budgetNs time limit of one (variant, duty) point; fewer updates when it runs out
 * @param cpus CPUs to use: the updater on the first, invalidators round-robin on the others
 * @param kernelPairs memslot create/delete pairs of the real-kernel comparison (0: none)
 */
public record FairnessConfig(int invalidators, long periodNs, List<Double> duties, boolean stagger, long updates,
        long updaterGapNs, long boundNs, long waitLimitNs, long budgetNs, List<Integer> cpus, long kernelPairs) {

    public FairnessConfig {
        if (invalidators <= 0) throw new IllegalArgumentException("--invalidators must be > 0, got " + invalidators);
        if (periodNs < 1000) throw new IllegalArgumentException("--period-us must be >= 1");
        if (duties.isEmpty()) throw new IllegalArgumentException("--duty needs at least one value");
        for (double d : duties) {
            if (!(d >= 0 && d <= 1)) throw new IllegalArgumentException("--duty values must be in [0, 1], got " + d);
        }
        if (updates <= 0) throw new IllegalArgumentException("--updates must be > 0, got " + updates);
        if (updaterGapNs < 0) throw new IllegalArgumentException("--updater-gap-us must be >= 0");
        if (boundNs <= 0) throw new IllegalArgumentException("--bound-ms must be > 0");
        if (waitLimitNs < boundNs) throw new IllegalArgumentException("--wait-limit-ms must be >= --bound-ms");
        if (budgetNs <= 0) throw new IllegalArgumentException("--budget-ms must be > 0");
        if (cpus.isEmpty()) throw new IllegalArgumentException("no CPU to run on");
        if (kernelPairs < 0) throw new IllegalArgumentException("--kernel-pairs must be >= 0");
        duties = List.copyOf(duties);
        cpus = List.copyOf(cpus);
    }

    int updaterCpu() { return cpus.get(0); }

    int invalidatorCpu(int i) { return cpus.size() == 1 ? cpus.get(0) : cpus.get(1 + i % (cpus.size() - 1)); }

    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("invalidators", invalidators);
        m.put("periodUs", periodNs / 1000.0);
        m.put("duties", duties);
        m.put("stagger", stagger);
        m.put("updates", updates);
        m.put("updaterGapUs", updaterGapNs / 1000.0);
        m.put("boundMs", boundNs / 1e6);
        m.put("waitLimitMs", waitLimitNs / 1e6);
        m.put("budgetMs", budgetNs / 1e6);
        m.put("cpuUpdater", updaterCpu());
        m.put("cpuInvalidators", java.util.stream.IntStream.range(0, invalidators).map(this::invalidatorCpu).boxed().toList());
        m.put("kernelPairs", kernelPairs);
        return m;
    }
}
