package org.gpcrace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.gpcrace.result.Json;
import org.gpcrace.sys.HostFacts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The same short commands as an unprivileged user (created for the test, removed after; only when
 * the tests run as root): every test either runs or is skipped with the reason and the fix, none
 * fails, and what works without root is used (userfaultfd in user-mode-only, io_uring, pipes):
 * the uffd race protocols, the uffd probes, fault-in-reader and the io_uring pin run. /dev/kvm and
 * pagemap frames need root here, and their tests say so.
 */
class NonRootMatrixTest {
    static final String USER = "gpcrace-nonroot";
    static Path shipped, out;
    static boolean madeUser;

    @BeforeAll
    static void unprivilegedUser() throws Exception {
        assumeTrue(HostFacts.probe().root(), "the non-root matrix makes a user: run the tests as root");
        Path jar = Path.of("target/gpcrace.jar"), lib = Path.of(System.getProperty("gpcrace.native.dir", "target/native"), "libgpcrace.so");
        assumeTrue(Files.isRegularFile(jar) && Files.isRegularFile(lib), "needs target/gpcrace.jar and libgpcrace.so: run make");
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/useradd")) && Files.isExecutable(Path.of("/usr/sbin/runuser")),
                "needs useradd and runuser (util-linux, passwd)");
        shipped = Files.createTempDirectory("gpcrace-nonroot-bin");
        out = Files.createTempDirectory("gpcrace-nonroot-out");
        Files.copy(jar, shipped.resolve("gpcrace.jar"));
        Files.copy(lib, shipped.resolve("libgpcrace.so"));
        for (Path p : List.of(shipped, shipped.resolve("gpcrace.jar"), shipped.resolve("libgpcrace.so"))) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwxrwxrwx"));
        run(List.of("userdel", USER), 10); // a user left by a killed test run
        assertEquals(0, run(List.of("useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", USER), 30).code);
        madeUser = true;
    }

    @AfterAll
    static void removeUser() throws Exception {
        if (madeUser) run(List.of("userdel", USER), 30);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "run gpc --rounds 3000 --stop-on-forbidden",
            "latency --probe clock,madvise,refault,uffd-remove,futex,bridge --sources dontneed --sizes 4K --iterations 100",
            "run kvm-pvclock --runs 200 --calibration 20",
            "run pin --trials 20",
            "run memslot-fairness --duty 0,0.5 --updates 20 --kernel-pairs 20 --budget-ms 300",
            "run fault-in-reader --batches 100 --time 300ms",
            "run gpc-pressure --rounds 3",
            "model --protocol rwlock,seqcount"})
    void asAnUnprivilegedUserEveryTestRunsOrSkipsWithItsFix(String command) throws Exception {
        Path root = out.resolve(command.replaceAll("[^a-z]+", "-"));
        List<String> cmd = new ArrayList<>(List.of("runuser", "-u", USER, "--", "env", "HOME=" + out, "XDG_CACHE_HOME=" + out.resolve("cache"),
                ProcessHandle.current().info().command().orElse("java"), "--enable-native-access=ALL-UNNAMED",
                "-Dgpcrace.native.dir=" + shipped, "-jar", shipped.resolve("gpcrace.jar").toString()));
        cmd.addAll(List.of(command.split(" ")));
        cmd.addAll(List.of("-q", "--out", root.toString()));
        Result r = run(cmd, 120);
        assertTrue(r.code == 0 || r.code == 3, command + ": exit " + r.code + "\n" + r.text);
        JsonNode tests = Json.MAPPER.readTree(root.resolve("latest").resolve("results.json").toFile()).get("tests");
        assertTrue(tests.size() > 0, command);
        for (JsonNode t : tests) {
            String name = t.get("name").asText(), status = t.get("status").asText();
            assertFalse(status.equals("failed"), command + ": " + name + " failed as a non-root user: " + t.get("error"));
            if (status.equals("skipped")) {
                assertFalse(t.get("skip").get("fix").asText().isBlank(), command + ": " + name + " skipped without a fix");
                // what works without root must be used, not skipped
                assertFalse(name.contains("uffd") || name.startsWith("fault-in-reader") || name.startsWith("pin-io_uring")
                        || name.startsWith("pin-vmsplice"), command + ": " + name + " needs no root but was skipped: " + t.get("skip"));
            }
        }
    }

    record Result(int code, String text) {}

    static Result run(List<String> cmd, int seconds) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Result(-1, text + "\n(timed out)");
        }
        return new Result(p.exitValue(), text);
    }
}
