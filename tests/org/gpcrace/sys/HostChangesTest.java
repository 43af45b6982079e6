package org.gpcrace.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Host changes are undone at close, and after a killed run by the next start: the host is left as it was found. */
class HostChangesTest {
    @TempDir Path dir;

    @Test
    void closeUndoesAndEmptiesTheJournal() throws Exception {
        Path knob = dir.resolve("knob"), cg = dir.resolve("cg");
        Files.writeString(knob, "0\n");
        try (HostChange c = HostChanges.writeFile(knob, "1", "test knob"); HostChange d = HostChanges.mkdir(cg, "test cgroup")) {
            assertEquals("1", Files.readString(knob));
            assertTrue(Files.isDirectory(cg));
            assertEquals(2, HostChanges.openChanges().size());
        }
        assertEquals("0", Files.readString(knob));
        assertFalse(Files.exists(cg));
        assertTrue(HostChanges.openChanges().isEmpty());
    }

    @Test
    void aKilledRunsChangesAreUndoneByTheNextStart() throws Exception {
        Path journals = dir.resolve("journals"), knob = dir.resolve("knob"), cg = dir.resolve("cg"), scratch = dir.resolve("scratch");
        Files.writeString(knob, "[local] global x86-tsc");
        Process child = child(journals, "write", knob.toString(), "x86-tsc", "mkdir", cg.toString(), "created", scratch.toString());
        try {
            awaitReady(child);
            assertEquals("x86-tsc", Files.readString(knob));
            assertTrue(Files.isDirectory(cg) && Files.exists(scratch));
        } finally {
            child.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL: no shutdown hook runs
        }
        assertEquals("x86-tsc", Files.readString(knob), "a SIGKILL leaves the change in place");
        List<String> done = recover(journals);
        assertEquals(3, done.size(), done.toString());
        assertTrue(done.stream().allMatch(l -> l.startsWith("restored: ")), done.toString());
        assertEquals("[local] global x86-tsc", Files.readString(knob));
        assertFalse(Files.exists(cg));
        assertFalse(Files.exists(scratch));
        try (var s = Files.list(journals)) { assertEquals(0, s.count(), "the journal is gone once everything is undone"); }
        assertTrue(recover(journals).isEmpty(), "a second start finds nothing to do");
    }

    @Test
    void aRunThatEndsNormallyLeavesNoJournal() throws Exception {
        Path journals = dir.resolve("journals"), knob = dir.resolve("knob");
        Files.writeString(knob, "old");
        Process child = child(journals, "write", knob.toString(), "new");
        awaitReady(child);
        child.destroy(); // SIGTERM: the shutdown hook undoes the change
        assertTrue(child.waitFor(20, TimeUnit.SECONDS));
        assertEquals("old", Files.readString(knob));
        assertTrue(recover(journals).isEmpty());
    }

    private List<String> recover(Path journals) {
        String before = System.getProperty("gpcrace.journal.dir");
        System.setProperty("gpcrace.journal.dir", journals.toString());
        try {
            return HostChanges.recoverStale();
        } finally {
            if (before == null) System.clearProperty("gpcrace.journal.dir");
            else System.setProperty("gpcrace.journal.dir", before);
        }
    }

    static Process child(Path journals, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Dgpcrace.journal.dir=" + journals, "-cp", System.getProperty("java.class.path"), HostChangeChild.class.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    static void awaitReady(Process p) throws Exception {
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()));
        String line;
        StringBuilder seen = new StringBuilder();
        while ((line = r.readLine()) != null) {
            if (line.equals("ready")) return;
            seen.append(line).append('\n');
        }
        throw new AssertionError("the child ended before it was ready: " + seen);
    }
}
