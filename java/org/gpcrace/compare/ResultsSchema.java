package org.gpcrace.compare;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.serialization.node.JsonLocationAware;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * The published JSON Schema of results.json ({@code org/gpcrace/results.schema.json} in the jar
 * and in resources/), and validation against it with the problem's line and column.
 */
public final class ResultsSchema {
    private ResultsSchema() {}

    public static final String RESOURCE = "/org/gpcrace/results.schema.json";

    private static final JsonSchema SCHEMA = load();

    private static JsonSchema load() {
        try (InputStream in = ResultsSchema.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException("missing resource " + RESOURCE);
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The problems, first in the file first; each as "position: problem". Empty when valid. */
    public static List<String> problems(String file, JsonNode doc) {
        Set<ValidationMessage> msgs = SCHEMA.validate(doc);
        List<ValidationMessage> sorted = new ArrayList<>(msgs);
        sorted.sort(Comparator.comparingLong((ValidationMessage m) -> offset(m.getInstanceNode()))
                .thenComparing(m -> m.getInstanceLocation().toString()));
        List<String> out = new ArrayList<>();
        for (int i = 0; i < sorted.size(); i++) {
            ValidationMessage m = sorted.get(i);
            String problem = m.getError();
            // anyOf over "required": say every alternative once, on one line
            if ("required".equals(m.getType())) {
                List<String> props = new ArrayList<>();
                while (i < sorted.size() && "required".equals(sorted.get(i).getType())
                        && sorted.get(i).getInstanceLocation().equals(m.getInstanceLocation())) {
                    props.add("'" + sorted.get(i).getProperty() + "'");
                    i++;
                }
                i--;
                problem = props.size() == 1 ? "required property " + props.getFirst() + " not found"
                        : "needs one of " + String.join(" or ", props);
            }
            out.add(position(file, m.getInstanceNode(), m.getInstanceLocation().toString()) + ": " + problem);
        }
        return out;
    }

    static Position position(String file, JsonNode node, String path) {
        JsonLocation loc = location(node);
        Position p = Position.of(file).path(path);
        return loc == null ? p : p.at(loc.getLineNr(), loc.getColumnNr());
    }

    /** Where the parser saw a node, when it was parsed with locations (not for trees built in memory). */
    private static JsonLocation location(JsonNode node) {
        return node instanceof JsonLocationAware aware ? aware.tokenLocation() : null;
    }

    private static long offset(JsonNode node) {
        JsonLocation loc = location(node);
        return loc == null ? Long.MAX_VALUE : (long) loc.getLineNr() << 20 | loc.getColumnNr();
    }
}
