package org.gpcrace.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Base64;
import org.gpcrace.result.LatencySummary;

/**
 * Fuzzes the decoding of the HdrHistogram a results.json carries per latency (`hdr`: compressed,
 * base64), which `report` and `compare` read back: a corrupt one is refused in one line
 * (IllegalArgumentException), never another exception.
 */
class EncodedHistogramFuzzTest {
    @FuzzTest(maxDuration = "2m")
    void decodesOrRefusesInOneLine(byte[] data) {
        String hdr = data.length > 0 && data[0] == '~' ? new String(data, java.nio.charset.StandardCharsets.ISO_8859_1).substring(1)
                : Base64.getEncoder().encodeToString(data);
        LatencySummary l = new LatencySummary("fuzz", "ns", "fuzz", 1, 1, 1, 1, 1, 1, 1, 1, hdr);
        try {
            l.histogram();
        } catch (IllegalArgumentException refused) {
            Fuzzing.oneLine(refused);
        }
    }
}
