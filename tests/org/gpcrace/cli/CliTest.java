package org.gpcrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.Set;
import org.gpcrace.CliRunner;
import org.gpcrace.CliRunner.Run;
import org.gpcrace.result.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The command line: doctor output, the global --bridge option, bad input -> one line and exit 2. */
class CliTest {
    static Run run(String... args) { return CliRunner.run(args); }

    static final Set<String> CAPABILITIES = Set.of("bridge-ffm", "bridge-jna", "native-access", "jdk", "cpus",
            "invariant-tsc", "root", "thp", "hugetlb", "swap", "pagemap-frames", "userfaultfd", "uffd-event-remove",
            "io_uring", "kvm", "kvm-sync-mmu", "kvm-kvmclock-ctrl", "tracefs", "ksm", "memory-cgroup");

    @Test
    void doctorJsonParsesAndHasEveryCapability() throws Exception {
        Run r = run("doctor", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode root = Json.MAPPER.readTree(r.out());
        Set<String> names = new HashSet<>();
        for (JsonNode c : root.get("capabilities")) {
            names.add(c.get("name").asText());
            assertTrue(c.has("available") && c.has("detail") && c.has("fix"), c.toString());
        }
        assertEquals(CAPABILITIES, names);
        assertTrue(root.get("scenarios").size() >= 6);
        assertTrue(root.get("host").has("kernel"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"--bridge jna doctor", "doctor --bridge jna"})
    void bridgeOptionBeforeOrAfterTheCommand(String line) {
        Run r = run(line.split(" "));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("SCENARIO"), r.out());
    }

    @ParameterizedTest
    @ValueSource(strings = {"bogus", "doctor --nope", "--bridge cobol doctor", "run nosuchscenario", "", "run"})
    void badInputIsOneLineAndExitTwo(String line) {
        Run r = run(line.isEmpty() ? new String[0] : line.split(" "));
        assertEquals(2, r.code(), r.out() + r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line, got: " + r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace");
    }

    @Test
    void versionNamesToolJvmAndHelper() {
        Run r = run("--version");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("gpcrace") && r.out().contains("gpcrace-native"), r.out());
    }
}
