package org.gpcrace.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.gpcrace.CliRunner;
import org.gpcrace.report.ShortRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `compare` reads gpcrace's own saved console output (litmus7 users compare logs): the console of
 * the short run's model and gpc commands, as they printed it, on either side and beside
 * results.json; a doctored model log is caught; a JSON array is still read as JSON.
 */
class ConsoleLogCompareTest {
    @Test
    void savedConsoleLogsCompareLikeTheirResults(@TempDir Path dir) throws Exception {
        var run = ShortRun.get();
        Path modelLog = run.get("model").console(), gpcLog = run.get("gpc").console();
        assertTrue(Files.readString(gpcLog).startsWith("[gpc-rwlock-spin]"), "the console output as printed");

        CliRunner.Run logs = CliRunner.run("compare", modelLog.toString(), gpcLog.toString());
        assertEquals(0, logs.code(), logs.out() + logs.err());
        assertTrue(logs.out().contains("(litmus log, 2 tests)") && logs.out().contains("RESULT: no Unexpected"), logs.out());
        assertTrue(logs.out().contains("Sometimes") && logs.out().contains("gpc-unlocked"), "the unsafe control compared: " + logs.out());

        CliRunner.Run mixed = CliRunner.run("compare", run.get("model").dir().toString(), gpcLog.toString());
        assertEquals(0, mixed.code(), mixed.out() + mixed.err());

        // the negative control: a model log that says the unlocked protocol never goes wrong
        String doctored = Files.readString(modelLog).replaceAll("Observation gpc-unlocked Sometimes (\\d+) (\\d+)", "Observation gpc-unlocked Never 0 100");
        assertFalse(doctored.equals(Files.readString(modelLog)), "the model log has the line to doctor");
        Path bad = dir.resolve("doctored-model.log");
        Files.writeString(bad, doctored);
        CliRunner.Run caught = CliRunner.run("compare", bad.toString(), gpcLog.toString());
        assertEquals(1, caught.code(), caught.out() + caught.err());
        assertTrue(caught.out().contains("!!! Unexpected"), caught.out());
    }

    @Test
    void aJsonArrayIsStillJsonAndAConsoleHeaderIsNot(@TempDir Path dir) throws Exception {
        assertTrue(Inputs.consoleHeader("[gpc-unlocked]\n  RESULT ..."));
        assertFalse(Inputs.consoleHeader("[{\"schema\": 1}]"));
        assertFalse(Inputs.consoleHeader("[\n  {\"a\": 1}\n]"));
        assertFalse(Inputs.consoleHeader("[1, 2]"));
        Path arr = dir.resolve("array.json");
        Files.writeString(arr, "[{\"tests\": []}]\n");
        CliRunner.Run r = CliRunner.run("compare", arr.toString(), arr.toString());
        assertEquals(2, r.code(), r.err());
        assertFalse(r.err().contains("litmus"), "read as JSON: " + r.err());
    }
}
