package org.gpcrace.compare;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.serialization.node.LocationJsonNodeFactoryFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gpcrace.protocol.GpcOutcome;
import org.gpcrace.result.Expectation;
import org.gpcrace.result.Grading;
import org.gpcrace.result.HostInfo;
import org.gpcrace.result.RunInfo;
import org.gpcrace.result.Json;
import org.gpcrace.result.ResultsDocument;
import org.gpcrace.result.TestResult;
import org.gpcrace.result.Grade;
import org.gpcrace.result.Observation;

/**
 * Reads a results.json: parses it (duplicate keys, trailing garbage and non-finite numbers are
 * errors), validates it against the published schema, then checks what a schema cannot: outcome
 * names of known scenarios, duplicate tests. Every problem is one line with file, line:column,
 * JSON path and what is wrong.
 */
public final class ResultsReader {
    private ResultsReader() {}

    private static final ObjectMapper STRICT = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    public static Input read(String file, String text) {
        JsonNode root = validated(file, text);
        List<TestRecord> tests = new ArrayList<>();
        JsonNode ts = root.get("tests");
        for (int i = 0; i < ts.size(); i++) tests.add(test(file, ts.get(i), "$.tests[" + i + "]"));
        return new Input(file, Input.Format.JSON, root.get("kind").asText(), text(root, "tool"), tests,
                ResultsSchema.position(file, root.get("kind"), "$.kind"), block(file, root, "host", HostInfo.class),
                block(file, root, "run", RunInfo.class));
    }

    /**
     * The whole document, for `gpcrace report`: read and checked exactly as compare reads it, then
     * every test graded again; a stored verdict that the grading does not give is refused.
     */
    public static ResultsDocument document(String file, String text) {
        JsonNode root = validated(file, text);
        JsonNode ts = root.get("tests");
        for (int i = 0; i < ts.size(); i++) test(file, ts.get(i), "$.tests[" + i + "]"); // the checks a schema cannot make
        ResultsDocument doc;
        try {
            doc = Json.MAPPER.treeToValue(root, ResultsDocument.class);
        } catch (JacksonException | IllegalArgumentException e) {
            throw new InputException(Position.of(file), "not a gpcrace results file: " + oneLine(e.getMessage()));
        }
        List<TestResult> graded = new ArrayList<>();
        for (int i = 0; i < doc.tests().size(); i++) {
            TestResult t = doc.tests().get(i);
            Grading.Judgement j = Grading.judge(t);
            if (t.verdict() != null && t.verdict() != j.verdict()) {
                throw new InputException(ResultsSchema.position(file, ts.get(i).get("verdict"), "$.tests[" + i + "].verdict"),
                        "verdict '" + t.verdict().id() + "' contradicts the test's outcomes: grading gives '" + j.verdict().id() + "' ("
                                + j.reason() + ")");
            }
            graded.add(t.withVerdict(j.verdict(), j.reason()));
        }
        return new ResultsDocument(doc.schema(), doc.kind(), doc.tool(), doc.createdAt(), doc.host(), doc.run(), graded);
    }

    /** Parsed, every number finite, valid against the schema; else one line naming the first problem. */
    private static JsonNode validated(String file, String text) {
        JsonNode root = parse(file, text);
        nonFinite(file, root, "$");
        List<String> problems = ResultsSchema.problems(file, root);
        if (!problems.isEmpty()) {
            throw new InputException(problems.getFirst()
                    + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more schema violation" + (problems.size() > 2 ? "s" : "") + ")" : ""));
        }
        return root;
    }

    /** The host or run block as its record (null when absent); the schema has checked its shape. */
    private static <T> T block(String file, JsonNode root, String field, Class<T> type) {
        if (!root.hasNonNull(field)) return null;
        try {
            return Json.MAPPER.treeToValue(root.get(field), type);
        } catch (JacksonException | IllegalArgumentException e) {
            throw new InputException(ResultsSchema.position(file, root.get(field), "$." + field), "not a " + field + " block: " + oneLine(e.getMessage()));
        }
    }

    /** Parses with every node knowing its line and column; anything after the document is an error. */
    private static JsonNode parse(String file, String text) {
        try (JsonParser parser = STRICT.getFactory().createParser(text)) {
            var reader = STRICT.reader(LocationJsonNodeFactoryFactory.getInstance().getJsonNodeFactory(parser));
            JsonNode root = reader.readTree(parser);
            if (root == null || root.isMissingNode()) throw new InputException(Position.of(file).at(1, 1), "empty file");
            if (parser.nextToken() != null) {
                JsonLocation loc = parser.currentTokenLocation();
                throw new InputException(Position.of(file).at(loc.getLineNr(), loc.getColumnNr()), "not valid JSON: text after the end of the document");
            }
            return root;
        } catch (JacksonException e) {
            JsonLocation loc = e.getLocation();
            Position p = Position.of(file);
            if (loc != null) p = p.at(loc.getLineNr(), loc.getColumnNr());
            throw new InputException(p, "not valid JSON: " + oneLine(e.getOriginalMessage()));
        } catch (java.io.IOException e) {
            throw new InputException(Position.of(file), "not valid JSON: " + oneLine(e.getMessage()));
        }
    }

    private static TestRecord test(String file, JsonNode t, String path) {
        String scenario = text(t, "scenario");
        Map<String, String> params = new LinkedHashMap<>();
        JsonNode ps = t.get("params");
        if (ps != null && ps.isObject()) {
            for (Map.Entry<String, JsonNode> e : ps.properties()) {
                params.put(e.getKey(), e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString());
            }
        }
        long rounds = t.has("rounds") ? t.get("rounds").asLong() : 0;
        Map<String, OutcomeRecord> outcomes = new LinkedHashMap<>();
        JsonNode os = t.get("outcomes");
        if (os != null && os.isArray()) {
            for (int i = 0; i < os.size(); i++) {
                JsonNode o = os.get(i);
                String op = path + ".outcomes[" + i + "]";
                String id = o.get("id").asText();
                Grade grade = o.hasNonNull("grade") ? Grade.valueOf(o.get("grade").asText()) : null;
                if ("gpc".equals(scenario)) {
                    GpcOutcome known = known(file, o.get("id"), op + ".id", id);
                    if (grade == null) grade = known.grade();
                }
                Long count = o.has("count") ? o.get("count").asLong() : null;
                Observation obs = o.hasNonNull("observation") ? Observation.valueOf(o.get("observation").asText()) : null;
                Position where = ResultsSchema.position(file, o, op);
                if (count != null && t.has("rounds") && count > rounds) {
                    throw new InputException(where, "count " + count + " exceeds the test's " + rounds + " rounds");
                }
                if (count != null && obs != null && rounds > 0 && obs != Observation.of(count, rounds)) {
                    throw new InputException(where, "observation " + obs + " contradicts count " + count + " of " + rounds + " rounds");
                }
                if (outcomes.put(id, new OutcomeRecord(id, count, obs, grade, where)) != null) {
                    throw new InputException(where, "outcome '" + id + "' listed twice in this test");
                }
            }
        }
        Map<String, LatencyRecord> latencies = new LinkedHashMap<>();
        JsonNode ls = t.get("latencies");
        if (ls != null && ls.isArray()) {
            for (int i = 0; i < ls.size(); i++) {
                JsonNode l = ls.get(i);
                Map<String, Double> pct = new LinkedHashMap<>();
                for (String p : LatencyRecord.PERCENTILES) if (l.has(p)) pct.put(p, l.get(p).asDouble());
                String metric = l.get("metric").asText();
                Position where = ResultsSchema.position(file, l, path + ".latencies[" + i + "]");
                if (l.hasNonNull("hdr")) {
                    try {
                        new org.gpcrace.result.LatencySummary(metric, "ns", null, 0, 0, 0, 0, 0, 0, 0, 0, l.get("hdr").asText()).histogram();
                    } catch (IllegalArgumentException corrupt) {
                        throw new InputException(ResultsSchema.position(file, l.get("hdr"), path + ".latencies[" + i + "].hdr"), corrupt.getMessage());
                    }
                }
                if (latencies.put(metric, new LatencyRecord(metric, l.has("unit") ? l.get("unit").asText() : "ns", pct, where, text(l, "hdr"))) != null) {
                    throw new InputException(where, "latency metric '" + metric + "' listed twice in this test");
                }
            }
        }
        String status = t.get("status").asText();
        String note = "ran".equals(status) ? null
                : "skipped".equals(status) && t.hasNonNull("skip") ? "skipped: " + text(t.get("skip"), "reason")
                : status + (t.hasNonNull("error") ? ": " + t.get("error").asText() : "");
        Expectation expectation = null;
        JsonNode e = t.get("expectation");
        if (e != null && e.isObject()) {
            List<String> race = new ArrayList<>();
            if (e.has("race")) e.get("race").forEach(r -> race.add(r.asText()));
            try {
                expectation = new Expectation(Expectation.Kind.byId(e.get("kind").asText()), race, text(e, "reason"));
            } catch (IllegalArgumentException x) {
                throw new InputException(ResultsSchema.position(file, e, path + ".expectation"), oneLine(x.getMessage()));
            }
        }
        return new TestRecord(t.get("name").asText(), scenario, params, "ran".equals(status), note, rounds, outcomes,
                latencies, ResultsSchema.position(file, t, path), expectation);
    }

    private static GpcOutcome known(String file, JsonNode node, String path, String id) {
        try {
            return GpcOutcome.byId(id);
        } catch (IllegalArgumentException e) {
            List<String> ids = new ArrayList<>();
            for (GpcOutcome o : GpcOutcome.values()) ids.add(o.id());
            throw new InputException(ResultsSchema.position(file, node, path),
                    "unknown outcome '" + id + "' for scenario gpc (expected one of " + String.join(", ", ids) + ")");
        }
    }

    private static void nonFinite(String file, JsonNode n, String path) {
        if (n.isDouble() || n.isFloat()) {
            if (!Double.isFinite(n.asDouble())) throw new InputException(ResultsSchema.position(file, n, path), "number out of range");
        } else if (n.isBigDecimal()) {
            if (!Double.isFinite(n.decimalValue().doubleValue())) throw new InputException(ResultsSchema.position(file, n, path), "number out of range");
        } else if (n.isObject()) {
            for (Map.Entry<String, JsonNode> e : n.properties()) {
                nonFinite(file, e.getValue(), path + "." + e.getKey());
            }
        } else if (n.isArray()) {
            for (int i = 0; i < n.size(); i++) nonFinite(file, n.get(i), path + "[" + i + "]");
        }
    }

    private static String text(JsonNode n, String field) {
        return n != null && n.hasNonNull(field) ? n.get(field).asText() : null;
    }

    static String oneLine(String s) {
        String one = s == null ? "" : s.replaceAll("\\s+", " ").strip();
        return one.length() > 160 ? one.substring(0, 157) + "..." : one;
    }
}
