package org.gpcrace.bridge.actor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.gpcrace.bridges.Bridges;
import org.gpcrace.bridge.Layouts;
import org.gpcrace.bridge.NativeBridge;
import org.gpcrace.bridge.NativeCallException;
import org.gpcrace.bridge.ProbeNative;
import org.gpcrace.bridge.Linux;
import org.gpcrace.sys.ProcFiles;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The actor bridge over both JVM bridges: memory it maps lives in the actor's address space and
 * not in the JVM's, a probe's samples come back, a call the actor cannot make in the JVM's
 * stead refuses, and a killed actor is an ActorDiedException followed by a fresh actor, with
 * the dead one's memory forgotten rather than unmapped in the new one.
 */
class ActorBridgeTest {
    static boolean mapped(long pid, long addr) {
        String maps = ProcFiles.read("/proc/" + pid + "/maps").orElseThrow();
        return maps.lines().anyMatch(l -> {
            String[] r = l.split(" ")[0].split("-");
            return Long.parseUnsignedLong(r[0], 16) <= addr && addr < Long.parseUnsignedLong(r[1], 16);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"ffm", "jna"})
    void memoryAndProbesLiveInTheActor(String name) throws Exception {
        NativeBridge local = Bridges.open(name);
        ActorBridge a = new ActorBridge(local);
        try {
            long pid = a.pid();
            assertNotEquals(ProcessHandle.current().pid(), pid);
            assertEquals(org.gpcrace.bridge.Executables.ACTOR, Files.readSymbolicLink(Path.of("/proc/" + pid + "/exe")).getFileName().toString()
                    .replaceAll("-[0-9a-f]{16}$", ""), "the actor runs its own executable");
            long addr = a.mmap(0, 2 * Linux.PAGE_SIZE, Linux.PROT_RW, Linux.MAP_PRIVATE | Linux.MAP_ANONYMOUS, -1, 0);
            assertTrue(mapped(pid, addr), "mapped in the actor");
            assertFalse(mapped(ProcessHandle.current().pid(), addr), "and not in the JVM");
            NativeCallException e = assertThrows(NativeCallException.class, () -> a.madvise(addr + 1, 4096, Linux.MADV_DONTNEED));
            assertEquals("EINVAL", e.errnoName());

            ProbeNative p = a.probe();
            p.clockUse(p.tscCalibrate(2_000_000));
            try (var arena = java.lang.foreign.Arena.ofConfined()) {
                var cfg = arena.allocate(Layouts.PROBE_CFG);
                var out = arena.allocate(Layouts.PROBE_OUT);
                var samples = arena.allocate(8L * 100);
                set(cfg, "addr", addr);
                set(cfg, "length", 4096);
                setI(cfg, "fd", -1);
                setI(cfg, "cpu", 0);
                setI(cfg, "source", 0);
                long r = p.run(ProbeNative.MADVISE, cfg.address(), samples.address(), 100, out.address());
                assertEquals(100, r);
                for (int i = 0; i < 100; i++) assertTrue(samples.getAtIndex(java.lang.foreign.ValueLayout.JAVA_LONG, i) > 0, "sample " + i);
                assertEquals(List.of(0), a.lastCpus(), "the measuring thread, pinned to cpu0, and no helper");
                assertEquals(1, a.lastThreads());
            }
            assertThrows(UnsupportedOperationException.class, () -> a.pinToCpu(0));
            assertThrows(UnsupportedOperationException.class, () -> a.race().invBegin(1));

            // killed during a call: that call fails, the next call starts a new actor, the old mapping is not touched
            long big = a.mmap(0, 2L << 20, Linux.PROT_RW, Linux.MAP_PRIVATE | Linux.MAP_ANONYMOUS, -1, 0);
            Thread killer = Thread.ofPlatform().start(() -> {
                try {
                    Thread.sleep(300);
                    Runtime.getRuntime().exec(new String[] {"kill", "-9", Long.toString(pid)}).waitFor();
                } catch (Exception x) {
                    throw new RuntimeException(x);
                }
            });
            try (var arena = java.lang.foreign.Arena.ofConfined()) {
                var cfg = arena.allocate(Layouts.PROBE_CFG);
                var out = arena.allocate(Layouts.PROBE_OUT);
                var samples = arena.allocate(8L * 20_000);
                set(cfg, "addr", big);
                set(cfg, "length", 2L << 20);
                setI(cfg, "fd", -1);
                setI(cfg, "cpu", -1);
                setI(cfg, "mode", ProbeNative.MODE_OP_REFAULT);
                // 20000 x (zap + refault of 512 pages) takes seconds: the kill lands inside the call
                ActorDiedException died = assertThrows(ActorDiedException.class,
                        () -> p.run(ProbeNative.MADVISE, cfg.address(), samples.address(), 20_000, out.address()));
                assertTrue(died.getMessage().contains("killed by signal 9"), died.getMessage());
            }
            killer.join();
            long pid2 = a.pid();
            assertNotEquals(pid, pid2);
            a.munmap(addr, 2 * Linux.PAGE_SIZE); // a no-op: that address space went with its process
            assertEquals(1, p.clockUse(p.tscCalibrate(2_000_000)), "the new actor works");
        } finally {
            a.close();
        }
    }

    private static void set(java.lang.foreign.MemorySegment s, String f, long v) {
        s.set(java.lang.foreign.ValueLayout.JAVA_LONG, Layouts.PROBE_CFG.byteOffset(java.lang.foreign.MemoryLayout.PathElement.groupElement(f)), v);
    }

    private static void setI(java.lang.foreign.MemorySegment s, String f, int v) {
        s.set(java.lang.foreign.ValueLayout.JAVA_INT, Layouts.PROBE_CFG.byteOffset(java.lang.foreign.MemoryLayout.PathElement.groupElement(f)), v);
    }
}
