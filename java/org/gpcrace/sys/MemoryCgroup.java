package org.gpcrace.sys;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.gpcrace.bridge.CapabilityMissingException;

/**
 * A memory cgroup made for one run under this process's own memory cgroup (through
 * {@link HostChanges#mkdir}, so it is removed at close, on Ctrl-C and after a killed run), for a
 * child process to run in; the JVM itself never joins it. cgroup v1's memory controller is
 * preferred: its limit with oom_kill_disable makes an allocation past the limit wait in the
 * kernel (mem_cgroup_oom_synchronize) until memory is freed or the limit raised, which is the OOM
 * situation itself; cgroup2 has no such knob, so there memory.high throttles the allocation
 * (reclaim, then a sleep of up to 2 s per return to user space) and memory.max stays "max".
 *
 * @param version  "v1" or "v2"
 * @param dir      the cgroup made for the run
 * @param procs    cgroup.procs: the child writes its pid here
 * @param usage    memory.usage_in_bytes (v1) or memory.current (v2)
 * @param limit    memory.limit_in_bytes (v1) or memory.high (v2): the child sets it
 * @param oom      memory.oom_control (v1; the child writes oom_kill_disable), null on v2
 */
public record MemoryCgroup(String version, Path dir, Path procs, Path usage, Path limit, Path oom, HostChange change)
        implements AutoCloseable {

    private static final Path V1 = Path.of("/sys/fs/cgroup/memory");
    private static final List<Path> V2_MOUNTS = List.of(Path.of("/sys/fs/cgroup/unified"), Path.of("/sys/fs/cgroup"));

    /** Where a run's cgroup would go: the controller's version and this process's own cgroup directory. */
    public record Parent(String version, Path dir) {}

    /**
     * This process's own memory cgroup, if a child cgroup for a run can be made there; otherwise
     * CapabilityMissingException with the reason and the fix. Changes nothing (doctor uses it).
     */
    public static Parent locate() {
        if (!"0".equals(uid())) {
            throw new CapabilityMissingException("a memory cgroup for the child needs root (writing cgroup.procs and the limit);"
                    + " run as root, or delegate a cgroup2 subtree with the memory controller to this user");
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(Path.of("/proc/self/cgroup"));
        } catch (IOException e) {
            throw new CapabilityMissingException("/proc/self/cgroup cannot be read (" + e.getMessage() + "); mount procfs");
        }
        String v1 = null, v2 = null;
        for (String l : lines) {
            String[] f = l.split(":", 3);
            if (f.length < 3) continue;
            if (List.of(f[1].split(",")).contains("memory")) v1 = f[2];
            if (f[0].equals("0") && f[1].isEmpty()) v2 = f[2];
        }
        if (v1 != null && Files.isRegularFile(V1.resolve("memory.limit_in_bytes"))) {
            Path parent = V1.resolve(v1.substring(1));
            if (Files.isWritable(parent)) return new Parent("v1", parent);
        }
        if (v2 != null) {
            for (Path mount : V2_MOUNTS) {
                Path parent = mount.resolve(v2.substring(1));
                if (!Files.isRegularFile(parent.resolve("cgroup.subtree_control"))) continue;
                String enabled;
                try {
                    enabled = Files.readString(parent.resolve("cgroup.subtree_control"));
                } catch (IOException e) {
                    continue;
                }
                if (!List.of(enabled.strip().split("\\s+")).contains("memory")) {
                    throw new CapabilityMissingException("no cgroup v1 memory controller, and cgroup2's memory controller is not"
                            + " enabled for the children of " + parent + "; run gpcrace in a cgroup2 leaf whose parent has"
                            + " 'memory' in cgroup.subtree_control (e.g. systemd-run --scope -p Delegate=yes), or mount cgroup v1's memory controller");
                }
                return new Parent("v2", parent);
            }
        }
        throw new CapabilityMissingException("no memory cgroup controller is mounted (neither cgroup v1 'memory' nor cgroup2 with"
                + " 'memory'); mount one: mount -t cgroup -o memory cgroup /sys/fs/cgroup/memory");
    }

    /** Makes {@code name} under this process's memory cgroup, or says what is missing and how to get it. */
    public static MemoryCgroup create(String name) {
        Parent p = locate();
        Path dir = p.dir().resolve(name);
        HostChange c = make(dir);
        if (p.version().equals("v1")) {
            return new MemoryCgroup("v1", dir, dir.resolve("cgroup.procs"), dir.resolve("memory.usage_in_bytes"),
                    dir.resolve("memory.limit_in_bytes"), dir.resolve("memory.oom_control"), c);
        }
        return new MemoryCgroup("v2", dir, dir.resolve("cgroup.procs"), dir.resolve("memory.current"), dir.resolve("memory.high"), null, c);
    }

    private static HostChange make(Path dir) {
        try {
            return HostChanges.mkdir(dir, "gpc-pressure: the memory cgroup of the run's child");
        } catch (IOException e) {
            throw new CapabilityMissingException("cannot make the memory cgroup " + dir + " (" + e.getMessage()
                    + "); run as root with a writable memory cgroup hierarchy");
        }
    }

    private static String uid() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (l.startsWith("Uid:")) return l.substring(4).strip().split("\\s+")[1];
            }
        } catch (IOException e) {
            return "?";
        }
        return "?";
    }

    /** Removes the cgroup (the child has exited by then). */
    @Override public void close() { change.close(); }
}
