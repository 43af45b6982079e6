package org.gpcrace.result;

/**
 * kvm-pvclock-memslot-updates (kind "memslot-updates"): memslot create/delete pairs timed in
 * alternating blocks without and with an invalidation stream, and how much the stream inflated them.
 */
public record MemslotUpdatesExtra(long pairsNoStream, long pairsStream, long blockPairs, long streamInvalidations,
        PvclockExtra.Ratio createInflation, PvclockExtra.Ratio deleteInflation, long logOverruns) implements TestExtra {}
