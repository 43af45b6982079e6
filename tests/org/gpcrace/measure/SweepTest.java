package org.gpcrace.measure;

import org.gpcrace.sys.CpuList;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.HdrHistogram.Histogram;
import org.gpcrace.result.LatencySummary;
import org.junit.jupiter.api.Test;

/** Sweeps: CSV format and the least-squares cost growth; sizes, CPU lists and the recorder. */
class SweepTest {
    static LatencySummary at(long p50) {
        Histogram h = Recorder.newHistogram();
        h.recordValue(p50);
        return LatencySummary.of("m", "test", h);
    }

    @Test
    void linearSizeSweepGrowsByItsSlopePerPage() {
        // 1000 ns + 250 ns per page, at 1, 2, 4, 8 pages
        List<Sweep.Point> pts = List.of(new Sweep.Point(4096, at(1250)), new Sweep.Point(8192, at(1500)),
                new Sweep.Point(16384, at(2000)), new Sweep.Point(32768, at(3000)));
        Sweep s = new Sweep("x vs size", Sweep.Axis.BYTES, pts);
        Sweep.Growth g = s.growth();
        assertEquals(250, g.p50SlopeNs(), 1.0);
        assertEquals(1000, g.p50FixedNs(), 5.0);
        assertEquals(1.0, g.r2(), 1e-3);
        assertEquals(4, g.points());
        assertEquals("r² 1.000 over 4 points", g.fitQuality());
        assertTrue(org.gpcrace.result.Json.write(g).contains("\"r2\" : 0.99"), org.gpcrace.result.Json.write(g));
        assertEquals("page", g.per());
        assertEquals(1, g.xFrom());
        assertEquals(8, g.xTo());
        // the CSV header is the table's: each column's name_unit, as results.json names it
        assertTrue(s.csv().startsWith("range_bytes,p50_ns,p90_ns,p99_ns,max_ns\n4096,1250,1250,1250,1250\n8192,1500,"), s.csv());
        assertEquals(List.of("range_bytes", "p50_ns", "p90_ns", "p99_ns", "max_ns"), s.table().columns().stream().map(c -> c.header()).toList());
        assertEquals(s.table().columns().get(0).header(), s.rows().get(0).keySet().iterator().next(), "results.json rows use the same names");
        assertNull(new Sweep("one", Sweep.Axis.SPINNERS, pts.subList(0, 1)).growth());
    }

    @Test
    void twoPointsGiveASlopeButNoFitQuality() {
        Sweep s = new Sweep("sp", Sweep.Axis.SPINNERS, List.of(new Sweep.Point(0, at(1000)), new Sweep.Point(1, at(9000))));
        Sweep.Growth g = s.growth();
        assertEquals(8000, g.p50SlopeNs(), 10);
        assertEquals(2, g.points());
        assertTrue(Double.isNaN(g.r2()), "a line through two points fits by construction: no r²");
        assertFalse(org.gpcrace.result.Json.write(g).contains("r2"), "and none in results.json: " + org.gpcrace.result.Json.write(g));
        assertTrue(org.gpcrace.result.Json.write(s.growth()).contains("\"points\" : 2"), org.gpcrace.result.Json.write(g));
        assertTrue(g.fitQuality().startsWith("2 points: too few"), g.fitQuality());
        String line = Sweep.growthLines(List.of(g)).get(1);
        assertTrue(line.contains("2 points: too few") && !line.contains("1.000"), line);
        assertTrue(s.csv().startsWith("spinners,p50_ns,"), s.csv());
    }

    @Test
    void sizesParseAndPrint() {
        assertEquals(4096, Sizes.parse("4K"));
        assertEquals(2L << 20, Sizes.parse("2m"));
        assertEquals(1L << 30, Sizes.parse("1G"));
        assertEquals(8192, Sizes.parse("8192"));
        assertEquals("64K", Sizes.label(65536));
        assertEquals("2M", Sizes.label(2L << 20));
        assertThrows(IllegalArgumentException.class, () -> Sizes.parse("4097"));
        assertThrows(IllegalArgumentException.class, () -> Sizes.parse("2G"));
        assertEquals(10, Sizes.defaults().size());
    }

    @Test
    void cpuListsKeepOrderAndRefuseDuplicates() {
        assertEquals(List.of(2, 3, 4, 0), CpuList.parse("--cpus", "2-4,0"));
        assertThrows(IllegalArgumentException.class, () -> CpuList.parse("--cpus", "1,1"));
        assertThrows(IllegalArgumentException.class, () -> CpuList.parse("--cpus", "3-1"));
    }

    @Test
    void recorderCountsNegativesAndClampsWithoutLosingSamples() {
        try (SampleBuffer b = new SampleBuffer(2, 8)) {
            long[] s0 = {5, 7, -3, 11};
            long[] s1 = {1, 2, 3, Recorder.HIGHEST_NS + 5};
            for (int i = 0; i < 4; i++) {
                b.set(0, 4, i, s0[i]);
                b.set(1, 4, i, s1[i]);
            }
            Recorder r = new Recorder(List.of("a", "b"), null);
            r.record(b, 4, 0, 1);
            assertEquals(3, r.total(0).getTotalCount());
            assertEquals(1, r.negatives(0));
            assertEquals(-3, r.minSigned(0));
            assertEquals(4, r.total(1).getTotalCount());
            assertEquals(1, r.clamped(1));
        }
    }
}
