package org.gpcrace.report.browser;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * One headless Chromium process with a fresh profile and the DevTools endpoint on a free port.
 * Closing it ends the browser this object started (and only that one), then removes the profile.
 */
final class Chromium implements AutoCloseable {
    static final Path FLAGS = Path.of("tests", "browser", "chromium-flags");
    static final String FIX = "apt-get install chromium (make test installs it when run as root)";

    private final Process process;
    private final Path profile;
    private final Path log;
    final String webSocketUrl;

    private Chromium(Process process, Path profile, Path log, String webSocketUrl) {
        this.process = process;
        this.profile = profile;
        this.log = log;
        this.webSocketUrl = webSocketUrl;
    }

    /** The browser binary: $GPCRACE_CHROMIUM, else chromium or chromium-browser on the PATH. */
    static Optional<Path> binary() {
        String override = System.getenv("GPCRACE_CHROMIUM");
        if (override != null && !override.isBlank()) return Optional.of(Path.of(override)).filter(Files::isExecutable);
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String name : List.of("chromium", "chromium-browser")) {
            for (String dir : path.split(":")) {
                Path p = Path.of(dir.isEmpty() ? "." : dir, name);
                if (Files.isExecutable(p)) return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    static List<String> flags() throws IOException {
        return Files.readAllLines(FLAGS, StandardCharsets.UTF_8).stream()
                .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }

    /** Starts the browser; {@code log} receives its stdout and stderr (shown when something fails). */
    static Chromium start(Path log, Duration timeout) throws IOException {
        Path bin = binary().orElseThrow(() -> new IOException("no Chromium; fix: " + FIX));
        Path profile = Files.createTempDirectory("gpcrace-chromium-");
        List<String> cmd = new ArrayList<>();
        cmd.add(bin.toString());
        cmd.addAll(flags());
        cmd.add("--user-data-dir=" + profile);
        cmd.add("--remote-debugging-address=127.0.0.1");
        cmd.add("--remote-debugging-port=0");
        cmd.add("about:blank");
        Files.createDirectories(log.toAbsolutePath().getParent());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Chromium c = null;
        try {
            String ws = awaitEndpoint(p, profile.resolve("DevToolsActivePort"), log, timeout);
            c = new Chromium(p, profile, log, ws);
            return c;
        } finally {
            if (c == null) stop(p, profile);
        }
    }

    /** Chromium writes "PORT\n/devtools/browser/ID" into the profile once DevTools listens. */
    private static String awaitEndpoint(Process p, Path portFile, Path log, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) throw new IOException("Chromium exited with status " + p.exitValue() + " before DevTools came up:\n" + tail(log));
            if (Files.isRegularFile(portFile)) {
                List<String> lines = Files.readAllLines(portFile);
                if (lines.size() >= 2 && !lines.get(1).isBlank()) return "ws://127.0.0.1:" + lines.get(0).strip() + lines.get(1).strip();
            }
            sleep(50);
        }
        throw new IOException("Chromium's DevTools did not come up within " + timeout.toSeconds() + " s:\n" + tail(log));
    }

    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    String logTail() { return tail(log); }

    @Override
    public void close() { stop(process, profile); }

    /** Ends the browser we started and its children (renderers, zygote), then drops the profile. */
    private static void stop(Process p, Path profile) {
        List<ProcessHandle> children = p.descendants().toList();
        p.destroy();
        try {
            if (!p.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) p.destroyForcibly().waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        try (Stream<Path> files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temp profile is harmless
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Chromium", e);
        }
    }
}
