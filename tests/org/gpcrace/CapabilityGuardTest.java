package org.gpcrace;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.gpcrace.sys.HostFacts;
import org.junit.jupiter.api.Test;

/**
 * Fails when the machine has a capability but the probe (on which every capability-dependent test
 * assumes) says it has not: on a capable machine, nothing may be skipped for lack of it.
 * GPCRACE_REQUIRE=kvm,userfaultfd,... lets a CI machine demand capabilities explicitly.
 */
class CapabilityGuardTest {
    @Test
    void rootSeesFrameNumbers() {
        if (!HostFacts.probe().root()) return; // not root: nothing to guard, frames are legitimately hidden
        assertTrue(TestCaps.has("root"), "running as root but the root probe failed");
        assertTrue(TestCaps.has("pagemap-frames"), "root but pagemap frames reported hidden: frame tests would skip");
    }

    @Test
    void usableKvmIsSeen() {
        Path kvm = Path.of("/dev/kvm");
        if (!Files.isReadable(kvm) || !Files.isWritable(kvm)) return; // no usable /dev/kvm here
        assertTrue(TestCaps.has("kvm") && TestCaps.has("kvm-sync-mmu"),
                "/dev/kvm is usable but the kvm probe failed: the kvm-pvclock tests would be skipped");
    }

    @Test
    void aMemoryCgroupIsSeenWhereGpcPressureRuns() {
        if (!HostFacts.probe().root() || !Files.isRegularFile(Path.of("/sys/fs/cgroup/memory/memory.limit_in_bytes"))) return;
        assertTrue(TestCaps.has("memory-cgroup"), "root with cgroup v1's memory controller, but the probe failed: gpc-pressure would be"
                + " skipped: " + TestCaps.caps().get("memory-cgroup"));
    }

    @Test
    void requiredCapabilitiesArePresent() {
        String req = System.getenv("GPCRACE_REQUIRE");
        if (req == null || req.isBlank()) return;
        for (String c : req.split(",")) {
            assertTrue(TestCaps.has(c.strip()), "GPCRACE_REQUIRE names " + c + " but this machine lacks it: "
                    + TestCaps.caps().get(c.strip()));
        }
    }
}
