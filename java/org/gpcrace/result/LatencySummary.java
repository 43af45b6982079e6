package org.gpcrace.result;

import java.nio.ByteBuffer;
import java.util.Base64;
import org.HdrHistogram.Histogram;

/**
 * One latency distribution, in ns: count, min, p50, p90, p99, p99.9, max, mean, plus the
 * encoded HdrHistogram (compressed, base64) so any reader can recompute other percentiles.
 */
public record LatencySummary(String metric, String unit, String clock, long count, long min, long p50,
        long p90, long p99, long p999, long max, double mean, String hdr) {

    public static LatencySummary of(String metric, String clock, Histogram h) {
        ByteBuffer buf = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
        int n = h.encodeIntoCompressedByteBuffer(buf);
        String hdr = Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buf.array(), n));
        long count = h.getTotalCount();
        return new LatencySummary(metric, "ns", clock, count,
                count == 0 ? 0 : h.getMinValue(), h.getValueAtPercentile(50), h.getValueAtPercentile(90),
                h.getValueAtPercentile(99), h.getValueAtPercentile(99.9), h.getMaxValue(),
                count == 0 ? 0 : h.getMean(), hdr);
    }

    /** Decodes the embedded histogram. */
    public Histogram histogram() {
        if (hdr == null) throw new IllegalArgumentException("latency " + metric + ": no encoded histogram");
        try {
            return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(hdr)), 0);
        } catch (java.util.zip.DataFormatException | RuntimeException e) {
            // HdrHistogram's decoder meets a corrupt buffer with whatever runtime exception it hits first
            // (BufferUnderflowException, ArrayIndexOutOfBoundsException, ...): one refusal for all of them
            throw new IllegalArgumentException("latency " + metric + ": corrupt encoded histogram (" + e.getClass().getSimpleName() + ")", e);
        }
    }
}
