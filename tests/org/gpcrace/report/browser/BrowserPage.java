package org.gpcrace.report.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Assumptions;

/**
 * Loads a local HTML file in headless Chromium as a reader would see it, and reports what a test
 * asserts on: console errors and uncaught exceptions, requests that leave the file (a report must
 * be self-contained), and per inline SVG chart its size, its texts, texts drawn outside it and
 * texts drawn over each other. A full-page PNG screenshot is kept under target/browser/.
 *
 * Without Chromium the tests skip with the reason and the fix ({@link #assumeAvailable()}).
 */
public final class BrowserPage {
    private BrowserPage() {}

    public static final Path OUTPUT = Path.of("target", "browser");
    static final int VIEWPORT_WIDTH = 1200;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One rendered chart: an {@code <svg>} element of the page. */
    public record Chart(String id, String label, String section, double width, double height, List<String> texts,
                        List<String> textsCut, List<String> overlappingTexts, int shapes) {
        public boolean shows(String text) { return texts.stream().anyMatch(t -> t.contains(text)); }
    }

    public record Report(Path page, Path screenshot, String title, List<String> consoleErrors,
                         List<String> externalRequests, List<Chart> charts) {}

    /** Empty when a Chromium is there to drive, else why not and the fix. */
    public static Optional<String> unavailable() {
        if (Chromium.binary().isPresent()) return Optional.empty();
        return Optional.of("no Chromium here (looked at $GPCRACE_CHROMIUM, chromium and chromium-browser on the PATH); fix: " + Chromium.FIX);
    }

    /** A JUnit assumption: the calling test skips, naming the reason and the fix, when there is no Chromium. */
    public static void assumeAvailable() {
        unavailable().ifPresent(Assumptions::abort);
    }

    /** Loads {@code html}, waits for its load event and fonts, inspects it and writes {@code OUTPUT/<shot>.png}. */
    public static Report load(Path html, String shot) throws IOException {
        return loadAll(Map.of(shot, html), shot).get(shot);
    }

    /**
     * Loads each page (shot name -> page) in one browser, one fresh tab each, in order: the same
     * checks and screenshots as {@link #load}, one Chromium start for all. The browser's log is
     * {@code OUTPUT/<log>.chromium.log}.
     */
    public static Map<String, Report> loadAll(Map<String, Path> pages, String log) throws IOException {
        Files.createDirectories(OUTPUT);
        Map<String, Report> out = new java.util.LinkedHashMap<>();
        try (Chromium browser = Chromium.start(OUTPUT.resolve(log + ".chromium.log"), TIMEOUT);
             DevTools cdp = DevTools.connect(browser.webSocketUrl, TIMEOUT)) {
            for (var p : pages.entrySet()) {
                try {
                    out.put(p.getKey(), inspect(cdp, p.getValue(), OUTPUT.resolve(p.getKey() + ".png")));
                } catch (IOException e) {
                    throw new IOException(p.getValue() + ": " + e.getMessage() + "\nChromium's log:\n" + browser.logTail(), e);
                }
            }
        }
        return out;
    }

    private static Report inspect(DevTools cdp, Path html, Path png) throws IOException {
        String target = cdp.call(null, "Target.createTarget", Map.of("url", "about:blank")).path("targetId").asText();
        String session = cdp.call(null, "Target.attachToTarget", Map.of("targetId", target, "flatten", true)).path("sessionId").asText();
        List<String> errors = new CopyOnWriteArrayList<>();
        List<String> external = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> loaded = new CompletableFuture<>();
        cdp.onEvent(e -> {
            if (!session.equals(e.path("sessionId").asText())) return;
            JsonNode p = e.path("params");
            switch (e.path("method").asText()) {
                case "Runtime.consoleAPICalled" -> {
                    String type = p.path("type").asText();
                    if (type.equals("error") || type.equals("assert")) errors.add("console." + type + ": " + args(p.path("args")));
                }
                case "Runtime.exceptionThrown" -> {
                    JsonNode d = p.path("exceptionDetails");
                    errors.add("uncaught: " + d.path("exception").path("description").asText(d.path("text").asText()));
                }
                case "Log.entryAdded" -> {
                    JsonNode entry = p.path("entry");
                    if (entry.path("level").asText().equals("error")) errors.add(entry.path("source").asText() + ": " + entry.path("text").asText() + " " + entry.path("url").asText(""));
                }
                case "Network.requestWillBeSent" -> {
                    String url = p.path("request").path("url").asText();
                    if (!url.startsWith("file:") && !url.startsWith("data:") && !url.startsWith("about:") && !url.startsWith("blob:")) external.add(url);
                }
                case "Page.loadEventFired" -> loaded.complete(null);
                default -> { }
            }
        });
        for (String domain : List.of("Page", "Runtime", "Log", "Network")) cdp.call(session, domain + ".enable", Map.of());
        cdp.call(session, "Emulation.setDeviceMetricsOverride", Map.of("width", VIEWPORT_WIDTH, "height", 900, "deviceScaleFactor", 1, "mobile", false));
        JsonNode nav = cdp.call(session, "Page.navigate", Map.of("url", html.toAbsolutePath().toUri().toString()));
        if (nav.hasNonNull("errorText")) throw new IOException("Chromium could not open " + html + ": " + nav.get("errorText").asText());
        try {
            loaded.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IOException(html + " fired no load event within " + TIMEOUT.toSeconds() + " s");
        } catch (Exception e) {
            throw new IOException("waiting for " + html + " to load: " + e, e);
        }
        evaluate(cdp, session, "document.fonts.ready.then(() => true)");
        String title = evaluate(cdp, session, "document.title").asText();
        List<Chart> charts = new ArrayList<>();
        for (JsonNode c : JSON.readTree(evaluate(cdp, session, CHART_PROBE).asText())) {
            charts.add(new Chart(c.path("id").asText(), c.path("label").asText(), c.path("section").asText(), c.path("width").asDouble(), c.path("height").asDouble(),
                    strings(c.path("texts")), strings(c.path("outside")), strings(c.path("overlaps")), c.path("shapes").asInt()));
        }
        screenshot(cdp, session, png);
        cdp.call(null, "Target.closeTarget", Map.of("targetId", target));
        return new Report(html, png, title, List.copyOf(errors), List.copyOf(external), charts);
    }

    /** The whole page, not just the viewport, at one CSS pixel per pixel. */
    private static void screenshot(DevTools cdp, String session, Path png) throws IOException {
        JsonNode size = cdp.call(session, "Page.getLayoutMetrics", Map.of()).path("cssContentSize");
        double w = Math.max(VIEWPORT_WIDTH, Math.ceil(size.path("width").asDouble()));
        double h = Math.ceil(size.path("height").asDouble());
        JsonNode shot = cdp.call(session, "Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true,
                "clip", Map.of("x", 0, "y", 0, "width", w, "height", h, "scale", 1)));
        Path tmp = png.resolveSibling(png.getFileName() + ".tmp");
        Files.write(tmp, Base64.getDecoder().decode(shot.path("data").asText()));
        Files.move(tmp, png, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static JsonNode evaluate(DevTools cdp, String session, String expression) throws IOException {
        JsonNode r = cdp.call(session, "Runtime.evaluate", Map.of("expression", expression, "returnByValue", true, "awaitPromise", true));
        if (r.has("exceptionDetails")) throw new IOException("page script failed: " + r.get("exceptionDetails"));
        return r.path("result").path("value");
    }

    private static String args(JsonNode args) {
        List<String> out = new ArrayList<>();
        for (JsonNode a : args) out.add(a.has("value") ? a.get("value").asText() : a.path("description").asText(a.path("type").asText()));
        return String.join(" ", out);
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        for (JsonNode n : array) out.add(n.asText());
        return List.copyOf(out);
    }

    /**
     * Runs in the page: per <svg>, its box, its texts, the texts cut off (their box pokes out of the
     * svg or out of the clip region they are drawn in), and the pairs of texts whose boxes overlap
     * by more than a pixel each way (unreadable).
     */
    private static final String CHART_PROBE = """
            (() => {
              const shrink = (b) => ({l: b.left + 1, r: b.right - 1, t: b.top + 1, b: b.bottom - 1});
              const out = [];
              for (const svg of document.querySelectorAll('svg')) {
                const box = svg.getBoundingClientRect();
                const texts = [...svg.querySelectorAll('text')]
                    .map(t => ({el: t, s: t.textContent, b: t.getBoundingClientRect()}))
                    .filter(t => t.s.trim() !== '' && t.b.width > 0);
                // cut: past the svg's edge, or past the clip region the text is drawn in
                const clipOf = (el) => {
                  for (let e = el; e && e !== svg; e = e.parentElement) {
                    const m = (e.getAttribute('clip-path') || '').match(/url\\(["']?#([^)"']+)/);
                    if (m) {
                      const cp = document.getElementById(m[1]);
                      return cp && cp.firstElementChild ? cp.firstElementChild.getBBox() : null;
                    }
                  }
                  return null;
                };
                const cut = (t) => {
                  if (t.b.left < box.left - 1 || t.b.right > box.right + 1 || t.b.top < box.top - 1 || t.b.bottom > box.bottom + 1) return true;
                  const c = clipOf(t.el), b = t.el.getBBox();
                  return c !== null && (b.x < c.x - 1 || b.y < c.y - 1 || b.x + b.width > c.x + c.width + 1 || b.y + b.height > c.y + c.height + 1);
                };
                const outside = texts.filter(cut).map(t => t.s);
                const overlaps = [];
                for (let i = 0; i < texts.length; i++) {
                  for (let j = i + 1; j < texts.length; j++) {
                    const a = shrink(texts[i].b), b = shrink(texts[j].b);
                    if (a.l < b.r && b.l < a.r && a.t < b.b && b.t < a.b) overlaps.push(texts[i].s + ' <-> ' + texts[j].s);
                  }
                }
                const section = svg.closest('section');
                out.push({id: svg.id, label: svg.getAttribute('aria-label') || '', section: section ? section.id : '', width: box.width, height: box.height,
                          texts: texts.map(t => t.s), outside, overlaps,
                          shapes: svg.querySelectorAll('path, line, polyline, polygon, rect, circle, ellipse').length});
              }
              return JSON.stringify(out);
            })()
            """;
}
