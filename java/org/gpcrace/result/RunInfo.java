package org.gpcrace.result;

import java.util.List;
import java.util.Map;

/**
 * How a run was made: the command, the bridge and isolation mode, the JVM, the tool's version,
 * and the command's options as given (scalars or lists of scalars).
 */
public record RunInfo(String command, String bridge, String isolation, String jvm, List<String> jvmArgs, String toolVersion,
        Map<String, Object> options) {
    public RunInfo {
        jvmArgs = jvmArgs == null ? List.of() : List.copyOf(jvmArgs);
        options = options == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(options));
    }
}
