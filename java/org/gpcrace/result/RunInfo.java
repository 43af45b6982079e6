package org.gpcrace.result;

import java.util.List;
import java.util.Map;

/**
 * How a run was made: the command, the bridge and isolation mode, the JVM, the tool's version and
 * the commit it was built from ({@code git describe --always --dirty} at build time, "unknown"
 * when built outside a git tree), and the command's options as given (scalars or lists of scalars).
 */
public record RunInfo(String command, String bridge, String isolation, String jvm, List<String> jvmArgs, String toolVersion,
        String toolCommit, Map<String, Object> options) {
    public RunInfo {
        jvmArgs = jvmArgs == null ? List.of() : List.copyOf(jvmArgs);
        options = options == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(options));
    }

    /** Where the build put its commit (pom.xml, generate-resources). */
    public static final String COMMIT_RESOURCE = "/org/gpcrace/commit.txt";

    private static volatile String commit;

    /** The commit this build was made from, as the build recorded it; "unknown" when it could not. */
    public static String buildCommit() {
        String c = commit;
        if (c == null) {
            try (java.io.InputStream in = RunInfo.class.getResourceAsStream(COMMIT_RESOURCE)) {
                c = in == null ? "" : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
            } catch (java.io.IOException e) {
                c = "";
            }
            commit = c = c.isEmpty() ? "unknown" : c;
        }
        return c;
    }
}
