package org.gpcrace.measure;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Off-heap sample storage shared with the native probes: {@code series x capacity} signed ns
 * values, laid out series-major for the n of the current chunk ({@code [series * n + i]}), as
 * gpcrace.h specifies. Allocated once per measurement; chunks reuse it.
 */
public final class SampleBuffer implements AutoCloseable {
    private final Arena arena = Arena.ofShared();
    private final MemorySegment segment;
    private final int series;
    private final int capacity;

    public SampleBuffer(int series, int capacity) {
        if (series < 1 || capacity < 1) throw new IllegalArgumentException("sample buffer " + series + " x " + capacity);
        this.series = series;
        this.capacity = capacity;
        this.segment = arena.allocate((long) series * capacity * Long.BYTES, 64);
    }

    public int series() { return series; }

    public int capacity() { return capacity; }

    public long address() { return segment.address(); }

    /** Sample i of series s in a chunk of n. */
    public long get(int s, long n, long i) { return segment.getAtIndex(ValueLayout.JAVA_LONG, s * n + i); }

    public void set(int s, long n, long i, long v) { segment.setAtIndex(ValueLayout.JAVA_LONG, s * n + i, v); }

    /** Copies series s of a chunk of n into dst[0, n) (one bulk copy). */
    public void copy(int s, long n, long[] dst) {
        MemorySegment.copy(segment, ValueLayout.JAVA_LONG, s * n * Long.BYTES, dst, 0, (int) n);
    }

    @Override public void close() { arena.close(); }
}
