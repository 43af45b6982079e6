package org.gpcrace.sys.kvm;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gpcrace.bridge.CapabilityMissingException;
import org.gpcrace.sys.HostChange;
import org.gpcrace.sys.HostChanges;
import org.gpcrace.sys.Tracefs;

/**
 * Kernel-side evidence: a private tracefs instance (instances/gpcrace-PID-N) with the events a
 * test asks for, clocked by "mono" (the CLOCK_MONOTONIC base System.nanoTime reads, so event
 * times compare with the tool's own stamps). The instance is created through {@link HostChanges}
 * (rmdir at close takes its events, filters, clock and buffer with it); when tracefs is not
 * mounted anywhere it is mounted on a private directory, also through HostChanges. The global
 * trace buffer and /sys/kernel/tracing settings are never touched.
 *
 * <p>Times in the text output have microsecond resolution, rounded to the nearest: an event
 * printed at {@code t} us happened in [t - 0.5, t + 0.5) us ({@link #HALF_US}).
 * {@link Capture#clockSkewNs()} is how far the marker events written between two System.nanoTime
 * stamps fell outside them, so a reader can tell the clocks agree.
 */
public final class KvmTrace implements AutoCloseable {
    /** The events kvm-pvclock records: KVM's notifier per range, KVM's pvclock writes, TLB flushes (not on task switch). */
    public static final Map<String, String> PVCLOCK_EVENTS = Map.of(
            "kvm/kvm_unmap_hva_range", "",
            "kvm/kvm_pvclock_update", "",
            "tlb/tlb_flush", "reason != 0");
    static final String FIX = "as root: mount -t tracefs nodev /sys/kernel/tracing (kernel with CONFIG_FTRACE and the kvm and tlb"
            + " trace events)";
    private static int instances;
    /** An event printed at t us happened within t +- HALF_US ns (the text output rounds ns to the nearest us). */
    public static final long HALF_US = 500;

    private final List<HostChange> changes = new ArrayList<>();
    private final Path dir;
    private final List<String> missingEvents = new ArrayList<>();
    private final List<String> enabledEvents = new ArrayList<>();
    private long skewNs;

    private KvmTrace(Path dir) { this.dir = dir; }

    /**
     * A stopped instance with {@code events} ("system/event" -> filter, "" for none) enabled.
     * An event this kernel does not have is listed in {@link Capture#missingEvents()}, not an
     * error. Throws {@link CapabilityMissingException} (reason; fix) when no instance can be made.
     */
    public static KvmTrace open(Map<String, String> events, int bufferKbPerCpu) {
        List<HostChange> made = new ArrayList<>();
        try {
            Path root = Tracefs.root(made, "kvm-pvclock's evidence");
            Path inst;
            synchronized (KvmTrace.class) {
                inst = root.resolve("instances").resolve("gpcrace-" + ProcessHandle.current().pid() + "-" + instances++);
            }
            made.add(HostChanges.mkdir(inst, "tracefs instance for kvm-pvclock's evidence (its events, clock and buffer go with it)"));
            KvmTrace t = new KvmTrace(inst);
            t.changes.addAll(made);
            made.clear();
            t.setUp(events, bufferKbPerCpu);
            return t;
        } catch (IOException e) {
            closeAll(made);
            throw new CapabilityMissingException("tracefs unavailable (" + e.getMessage() + "); " + FIX);
        }
    }

    private void setUp(Map<String, String> events, int bufferKbPerCpu) throws IOException {
        try {
            write("tracing_on", "0");
            String clocks = Files.readString(dir.resolve("trace_clock"));
            if (!clocks.matches("(?s).*\\bmono\\b.*")) throw new IOException("trace clock 'mono' not offered (" + clocks.trim() + ")");
            write("trace_clock", "mono");
            write("options/record-tgid", "1");
            write("buffer_size_kb", Integer.toString(bufferKbPerCpu));
            for (Map.Entry<String, String> e : new java.util.TreeMap<>(events).entrySet()) {
                Path ev = dir.resolve("events").resolve(e.getKey());
                if (!Files.isDirectory(ev)) {
                    missingEvents.add(e.getKey());
                    continue;
                }
                if (!e.getValue().isEmpty()) write("events/" + e.getKey() + "/filter", e.getValue());
                write("events/" + e.getKey() + "/enable", "1");
                enabledEvents.add(e.getKey());
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private void write(String file, String value) throws IOException {
        Files.writeString(dir.resolve(file), value + "\n", StandardCharsets.US_ASCII, java.nio.file.StandardOpenOption.WRITE,
                java.nio.file.StandardOpenOption.TRUNCATE_EXISTING);
    }

    /** Sets the filter of an enabled event ("common_pid == 1234"); an event this kernel lacks is ignored. */
    public void filter(String event, String expression) {
        if (!enabledEvents.contains(event)) return;
        try {
            write("events/" + event + "/filter", expression);
        } catch (IOException e) {
            throw new IllegalArgumentException("trace filter '" + expression + "' for " + event + ": " + e.getMessage(), e);
        }
    }

    /** Empties the buffer and starts recording; checks the clock against System.nanoTime with three markers. */
    public void start() {
        try {
            write("trace", "");
            write("tracing_on", "1");
            for (int i = 0; i < 3; i++) marker();
        } catch (IOException e) {
            throw new IllegalStateException("tracefs instance " + dir + ": " + e.getMessage(), e);
        }
    }

    /** A trace_marker write bracketed by System.nanoTime stamps, for the skew check. */
    private void marker() throws IOException {
        long before = System.nanoTime();
        write("trace_marker", "gpcrace-clock " + before);
        long after = System.nanoTime();
        write("trace_marker", "gpcrace-clock-after " + after);
    }

    /** Stops recording and reads everything recorded since {@link #start()}. */
    public Capture stop() {
        try {
            for (int i = 0; i < 3; i++) marker();
            write("tracing_on", "0");
            long lost = 0;
            try (var cpus = Files.list(dir.resolve("per_cpu"))) {
                for (Path cpu : (Iterable<Path>) cpus::iterator) lost += lostEvents(Files.readString(cpu.resolve("stats")));
            }
            List<TraceEvent> events = new ArrayList<>();
            long skew = 0;
            long pendingBefore = -1, pendingTs = 0;
            try (BufferedReader r = Files.newBufferedReader(dir.resolve("trace"), StandardCharsets.UTF_8)) {
                for (String line; (line = r.readLine()) != null; ) {
                    TraceEvent e = TraceEvent.parse(line);
                    if (e == null) continue;
                    if (e.name().equals("tracing_mark_write")) {
                        // the marker says when it was written (before); it was recorded within [before, after]
                        String b = e.body().trim();
                        if (b.startsWith("gpcrace-clock ")) {
                            pendingBefore = Long.parseLong(b.substring(14).trim());
                            pendingTs = e.tsNs();
                        } else if (b.startsWith("gpcrace-clock-after ") && pendingBefore >= 0) {
                            long after = Long.parseLong(b.substring(20).trim());
                            skew = Math.max(skew, Math.max(pendingBefore - (pendingTs + HALF_US), pendingTs - HALF_US - after));
                            pendingBefore = -1;
                        }
                        continue;
                    }
                    events.add(e);
                }
            }
            skewNs = skew;
            return new Capture(events, lost, skew, List.copyOf(enabledEvents), List.copyOf(missingEvents));
        } catch (IOException e) {
            throw new IllegalStateException("tracefs instance " + dir + ": " + e.getMessage(), e);
        }
    }

    /** "overrun: N" and "dropped events: N" of a per_cpu stats file. */
    static long lostEvents(String stats) {
        long n = 0;
        for (String l : stats.split("\n")) {
            if (l.startsWith("overrun:") || l.startsWith("dropped events:")) n += Long.parseLong(l.substring(l.indexOf(':') + 1).trim());
        }
        return n;
    }

    public Path directory() { return dir; }

    /** Removes the instance (and the private mount, when one was made). */
    @Override public void close() {
        closeAll(changes);
        changes.clear();
    }

    private static void closeAll(List<HostChange> cs) {
        for (int i = cs.size() - 1; i >= 0; i--) cs.get(i).close(); // a failure to undo is reported by HostChanges
    }

    /** One event line: time (ns, microsecond resolution), CPU, thread, process, event name and its text. */
    public record TraceEvent(long tsNs, int cpu, int pid, int tgid, String name, String body) {
        private static final Pattern LINE = Pattern.compile(
                "^\\s*(.*)-(\\d+)\\s+\\(\\s*([\\d-]+)\\)\\s+\\[(\\d+)]\\s+\\S+\\s+(\\d+)\\.(\\d{6}):\\s+(\\w+):\\s?(.*)$");

        /** The event of one line of the trace file, or null for headers and lines of other shapes. */
        public static TraceEvent parse(String line) {
            if (line.startsWith("#")) return null;
            Matcher m = LINE.matcher(line);
            if (!m.matches()) return null;
            int tgid = m.group(3).startsWith("-") ? -1 : Integer.parseInt(m.group(3));
            long ts = Long.parseLong(m.group(5)) * 1_000_000_000L + Long.parseLong(m.group(6)) * 1000L;
            return new TraceEvent(ts, Integer.parseInt(m.group(4)), Integer.parseInt(m.group(2)), tgid, m.group(7), m.group(8));
        }

        /** kvm_unmap_hva_range's [start, end) ("mmu notifier unmap range: 0x... -- 0x..."), or null for another event. */
        public long[] hvaRange() {
            if (!name.equals("kvm_unmap_hva_range")) return null;
            int a = body.indexOf("0x"), sep = body.indexOf("--");
            if (a < 0 || sep < 0) return null;
            return new long[] {Long.parseUnsignedLong(body.substring(a + 2, sep).trim(), 16),
                    Long.parseUnsignedLong(body.substring(body.indexOf("0x", sep) + 2).trim().split("\\s")[0], 16)};
        }

        /** True for a kvm_unmap_hva_range whose range covers {@code hva}. */
        public boolean covers(long hva) {
            long[] r = hvaRange();
            return r != null && Long.compareUnsigned(r[0], hva) <= 0 && Long.compareUnsigned(hva, r[1]) < 0;
        }

        /** The vcpu id of kvm_pvclock_update ("vcpu_id 0, ...") or kvm_exit ("vcpu 0 reason ..."), or -1. */
        public int vcpuId() {
            Matcher m = VCPU.matcher(body);
            return m.find() ? Integer.parseInt(m.group(1)) : -1;
        }

        private static final Pattern VCPU = Pattern.compile("^vcpu(?:_id)? (\\d+)");
        private static final Pattern REASON = Pattern.compile("\\((\\d+)\\)\\s*$");
        private static final Pattern EXIT = Pattern.compile("reason (\\S+)");

        /** tlb_flush's reason code ("... reason:remote shootdown (1)"), or -1. */
        public int tlbReason() {
            if (!name.equals("tlb_flush")) return -1;
            Matcher m = REASON.matcher(body);
            return m.find() ? Integer.parseInt(m.group(1)) : -1;
        }

        /** kvm_exit's reason name ("EXTERNAL_INTERRUPT", "EPT_VIOLATION"), or null. */
        public String exitReason() {
            if (!name.equals("kvm_exit")) return null;
            Matcher m = EXIT.matcher(body);
            return m.find() ? m.group(1) : null;
        }
    }

    /**
     * What one recording saw.
     *
     * @param lost        events the buffer overwrote or dropped (the trace is incomplete when > 0)
     * @param clockSkewNs how far the markers fell outside the System.nanoTime stamps around them (0: the clocks agree)
     */
    public record Capture(List<TraceEvent> events, long lost, long clockSkewNs, List<String> enabledEvents, List<String> missingEvents) {
        /** Complete and on the tool's clock: usable as an oracle, not only as evidence. */
        public boolean trustworthy() { return lost == 0 && clockSkewNs <= 1000; }

        public List<TraceEvent> named(String name) { return events.stream().filter(e -> e.name().equals(name)).toList(); }

        /** Events per name, for the results. */
        public Map<String, Long> counts() {
            Map<String, Long> m = new LinkedHashMap<>();
            for (TraceEvent e : events) m.merge(e.name(), 1L, Long::sum);
            return m;
        }
    }
}
