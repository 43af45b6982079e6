package org.gpcrace.scenario.faultreader;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gpcrace.protocol.faultreader.FaultReaderVariant;

/**
 * fault-in-reader knobs, validated before anything runs.
 *
 * @param pages        pages per migration batch (2..32): the cycle needs a second page
 * @param batches      batches per variant (the run ends earlier at {@code durationNs})
 * @param stallBoundNs a grace period longer than this that ends by itself is a stall
 * @param hangNs       a grace period longer than this with no cycle seen is broken as a hang
 * @param gapNs        the migrator's pause between batches (readers run meanwhile)
 * @param detect       the watchdog looks for the wait cycle and breaks it (off: only the hang limit)
 * @param cpus         migrator on the first, readers on the next ones (round robin), watchdog on the first
 */
public record FaultReaderConfig(List<FaultReaderVariant> variants, RcuImpl rcu, int readers, int pages, long batches,
        long durationNs, long stallBoundNs, long hangNs, long gapNs, boolean detect, List<Integer> cpus) {

    public static final int MAX_READERS = 16, MAX_PAGES = 32;

    public FaultReaderConfig {
        if (variants.isEmpty()) throw new IllegalArgumentException("--variant needs at least one variant");
        if (readers < 1 || readers > MAX_READERS) throw new IllegalArgumentException("--readers must be 1.." + MAX_READERS + ", got " + readers);
        if (pages < 2 || pages > MAX_PAGES) throw new IllegalArgumentException("--pages must be 2.." + MAX_PAGES + ", got " + pages);
        if (batches < 1 || batches > 10_000_000) throw new IllegalArgumentException("--batches must be 1..10000000, got " + batches);
        if (durationNs < 0) throw new IllegalArgumentException("--time must not be negative");
        if (stallBoundNs <= 0) throw new IllegalArgumentException("--stall-bound must be positive");
        if (hangNs < stallBoundNs) throw new IllegalArgumentException("--hang-limit must be at least --stall-bound");
        if (gapNs < 0) throw new IllegalArgumentException("--gap must not be negative");
        if (cpus.isEmpty()) throw new IllegalArgumentException("no CPU to run on");
        variants = List.copyOf(variants);
        cpus = List.copyOf(cpus);
    }

    int migratorCpu() { return cpus.get(0); }

    int readerCpu(int i) { return cpus.size() == 1 ? cpus.get(0) : cpus.get(1 + i % (cpus.size() - 1)); }

    int watchdogCpu() { return cpus.get(0); }

    /** The knobs of one variant's test (compare matches the model's on variant). */
    public Map<String, Object> asMap(FaultReaderVariant v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("variant", v.id());
        m.put("rcu", rcu.id());
        m.put("readers", readers);
        m.put("pagesPerBatch", pages);
        m.put("batches", batches);
        m.put("timeLimitMs", durationNs / 1e6);
        m.put("stallBoundMs", stallBoundNs / 1e6);
        m.put("hangLimitMs", hangNs / 1e6);
        m.put("gapUs", gapNs / 1e3);
        m.put("detector", detect);
        return m;
    }

    /** The command's options, for results.json's run block. */
    public Map<String, Object> options() {
        Map<String, Object> m = asMap(variants.getFirst());
        m.put("variant", variants.stream().map(FaultReaderVariant::id).toList());
        m.put("cpus", cpus);
        return m;
    }
}
