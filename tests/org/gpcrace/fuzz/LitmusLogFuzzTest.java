package org.gpcrace.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import org.gpcrace.compare.InputException;
import org.gpcrace.compare.LitmusLog;

/**
 * Fuzzes the reader of litmus7/herd7 logs and of gpcrace's own saved console output (the lines
 * "Observation NAME Never|Sometimes|Always P N"): it reads them or refuses in one line, nothing else.
 */
class LitmusLogFuzzTest {
    @FuzzTest(maxDuration = "2m")
    void readsOrRefusesInOneLine(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        try {
            if (LitmusLog.looksLike(text)) LitmusLog.read("fuzz.log", text);
        } catch (InputException refused) {
            Fuzzing.oneLine(refused);
        }
    }
}
