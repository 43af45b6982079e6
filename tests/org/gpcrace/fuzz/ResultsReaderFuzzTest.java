package org.gpcrace.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import org.gpcrace.compare.InputException;
import org.gpcrace.compare.ResultsReader;

/**
 * Fuzzes the one reader of results files (results.json of a run, a model's output, any
 * simulator's): whatever the bytes, it either reads them or refuses with an InputException (one
 * line naming the file and the problem). Any other exception is a bug the CLI would show as a
 * stack trace. The seeds are real outputs (tests-resources/org/gpcrace/fuzz/ResultsReaderFuzzTestInputs).
 */
class ResultsReaderFuzzTest {
    @FuzzTest(maxDuration = "2m")
    void readsOrRefusesInOneLine(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        try {
            ResultsReader.read("fuzz.json", text);
        } catch (InputException refused) {
            Fuzzing.oneLine(refused);
        }
        try {
            ResultsReader.document("fuzz.json", text);
        } catch (InputException refused) {
            Fuzzing.oneLine(refused);
        }
    }
}
