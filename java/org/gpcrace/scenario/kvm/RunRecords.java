package org.gpcrace.scenario.kvm;

/**
 * What each of a vCPU actor's runs saw, kept for the trace oracle, which judges the runs again once
 * the kernel's events are read: the stamps (System.nanoTime), the online verdict, whether the update
 * was there, and the data region the run used. Allocated for the expected runs, doubled when a race
 * runs longer; runs past {@link #MAX} are not kept (then the trace oracle judges none of the
 * phase's runs, and the system calls do).
 */
final class RunRecords {
    static final int MAX = 1 << 18;
    long[] zero, runStart, runEnd, read;
    byte[] online;
    boolean[] fresh;
    byte[] region;
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
            if (n >= MAX) {
                dropped++;
                return;
            }
            grow(); // past the expected runs (a race extended for a slow source): rare, doubling
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

    private void grow() {
        int cap = (int) Math.min(MAX, 2L * zero.length);
        zero = java.util.Arrays.copyOf(zero, cap);
        runStart = java.util.Arrays.copyOf(runStart, cap);
        runEnd = java.util.Arrays.copyOf(runEnd, cap);
        read = java.util.Arrays.copyOf(read, cap);
        online = java.util.Arrays.copyOf(online, cap);
        fresh = java.util.Arrays.copyOf(fresh, cap);
        region = java.util.Arrays.copyOf(region, cap);
    }

    int size() { return n; }

    /** Runs that did not fit. */
    long dropped() { return dropped; }

    PvclockOutcome onlineOutcome(int i) { return PvclockOutcome.values()[online[i]]; }
}
