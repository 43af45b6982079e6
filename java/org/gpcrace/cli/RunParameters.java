package org.gpcrace.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/** The parameters block every results.json carries: bridge and JVM, plus the command's knobs. */
public final class RunParameters {
    private RunParameters() {}

    public static Map<String, Object> common(Map<String, Object> knobs) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("bridge", GlobalOptions.bridgeName());
        m.put("jvm", System.getProperty("java.vm.name") + " " + Runtime.version());
        m.put("jvmArgs", java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
        m.putAll(knobs);
        return m;
    }
}
