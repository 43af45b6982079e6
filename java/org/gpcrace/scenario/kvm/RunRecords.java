package org.gpcrace.scenario.kvm;

/**
 * What each of a vCPU actor's runs saw, kept for the trace oracle, which judges the runs again once
 * the kernel's events are read: the stamps (System.nanoTime), the online verdict, whether the update
 * was there, and the data region the run used. Allocated once; runs past the capacity are not
 * kept (then the trace oracle judges none of the phase's runs, and says so).
 */
final class RunRecords {
    static final int MAX = 1 << 18;
    final long[] zero, runStart, runEnd, read;
    final byte[] online;
    final boolean[] fresh;
    final byte[] region;
    private int n;
    private long dropped;

    RunRecords(long expectedRuns) {
        int cap = (int) Math.min(MAX, Math.max(1, expectedRuns));
        zero = new long[cap];
        runStart = new long[cap];
        runEnd = new long[cap];
        read = new long[cap];
        online = new byte[cap];
        fresh = new boolean[cap];
        region = new byte[cap];
    }

    void add(long z, long rs, long re, long r, PvclockOutcome o, boolean f, int reg) {
        if (n == zero.length) {
            dropped++;
            return;
        }
        zero[n] = z;
        runStart[n] = rs;
        runEnd[n] = re;
        read[n] = r;
        online[n] = (byte) o.ordinal();
        fresh[n] = f;
        region[n] = (byte) reg;
        n++;
    }

    int size() { return n; }

    /** Runs that did not fit. */
    long dropped() { return dropped; }

    PvclockOutcome onlineOutcome(int i) { return PvclockOutcome.values()[online[i]]; }
}
