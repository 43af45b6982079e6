package org.gpcrace.report.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.gpcrace.sys.HostFacts;
import org.junit.jupiter.api.Test;

/**
 * The browser harness catches what it is there to catch (the negative control for every page
 * test that finds nothing): console errors, uncaught exceptions, requests leaving the file, text
 * cut off at an svg's edge and texts drawn over each other.
 */
class BrowserPageTest {
    @Test
    void reportsConsoleErrorsExceptionsExternalRequestsCutAndOverlappingText() throws Exception {
        BrowserPage.assumeAvailable();
        Files.createDirectories(BrowserPage.OUTPUT);
        Path page = BrowserPage.OUTPUT.resolve("harness-control.html");
        Files.writeString(page, """
                <!DOCTYPE html><html><head><meta charset="utf-8"><title>control</title></head><body>
                <img src="http://127.0.0.1:9/none.png" alt="">
                <svg id="bad" aria-label="bad chart" width="300" height="100" viewBox="0 0 300 100" xmlns="http://www.w3.org/2000/svg">
                  <text x="10" y="40" font-size="14">first label</text>
                  <text x="20" y="44" font-size="14">second label</text>
                  <text x="250" y="90" font-size="14">cut at the edge</text>
                  <defs><clipPath id="c"><rect x="0" y="0" width="120" height="100"/></clipPath></defs>
                  <g clip-path="url(#c)"><text x="60" y="70" font-size="14">clipped by its clip path</text></g>
                  <rect x="0" y="0" width="10" height="10"/>
                </svg>
                <script>console.error("deliberate", 42); throw new Error("deliberate exception");</script>
                </body></html>
                """);
        BrowserPage.Report r = BrowserPage.load(page, "harness-control");
        assertTrue(r.consoleErrors().stream().anyMatch(e -> e.equals("console.error: deliberate 42")), r.consoleErrors().toString());
        assertTrue(r.consoleErrors().stream().anyMatch(e -> e.contains("deliberate exception")), r.consoleErrors().toString());
        assertEquals(1, r.externalRequests().size(), r.externalRequests().toString());
        assertTrue(r.externalRequests().get(0).startsWith("http://127.0.0.1:9/"), r.externalRequests().toString());
        assertEquals(1, r.charts().size());
        BrowserPage.Chart c = r.charts().get(0);
        assertEquals("bad chart", c.label());
        assertEquals(java.util.List.of("first label <-> second label"), c.overlappingTexts());
        assertEquals(java.util.List.of("cut at the edge", "clipped by its clip path"), c.textsCut());
        assertTrue(Files.size(r.screenshot()) > 1000, "screenshot written");
    }

    /** As root with apt-get (CI), make test installs Chromium: the browser tests must run, not skip. */
    @Test
    void whereTheBuildCanInstallChromiumTheBrowserTestsRun() {
        boolean canInstall = HostFacts.probe().root() && Files.isExecutable(Path.of("/usr/bin/apt-get"));
        String override = System.getenv("GPCRACE_CHROMIUM");
        if (!canInstall || (override != null && !override.isBlank())) return; // nothing to guard: a skip is legitimate here
        assertEquals(java.util.Optional.empty(), BrowserPage.unavailable(),
                "root with apt-get, yet no Chromium: the browser tests would skip; run make test-deps (make test does)");
    }

    @Test
    void withoutChromiumTheReasonNamesTheFix() {
        // on this machine the build installs Chromium; the message is what a machine without it shows
        String reason = BrowserPage.unavailable().orElse("no Chromium here (...); fix: " + Chromium.FIX);
        assertTrue(reason.contains("fix: apt-get install chromium"), reason);
    }
}
