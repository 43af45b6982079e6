package org.gpcrace.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.gpcrace.TestCaps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A mount made through HostChanges (kvm-pvclock mounts tracefs where nothing has) is journaled and unmounted at close. */
class HostChangesMountTest {
    @TempDir Path dir;

    static boolean mounted(Path p) {
        return ProcFiles.read("/proc/self/mountinfo").map(s -> s.lines().anyMatch(l -> l.split(" ")[4].equals(p.toString()))).orElse(false);
    }

    @Test
    void aMountIsJournaledAndUndoneAtClose() throws Exception {
        TestCaps.assume("root");
        Path target = dir.toAbsolutePath();
        try (HostChange m = HostChanges.mount("tmpfs", target, "test mount")) {
            assertTrue(mounted(target), "mount -t tmpfs did not happen");
            assertEquals(1, HostChanges.openChanges().stream().filter(e -> e.kind() == HostChanges.Kind.UMOUNT).count());
        }
        assertFalse(mounted(target), "close must unmount");
        assertTrue(HostChanges.openChanges().isEmpty());
    }
}
