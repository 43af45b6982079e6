package org.gpcrace.bridge.ffm;

import static java.lang.foreign.ValueLayout.ADDRESS;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;

/**
 * gpcrace_version() alone, for --version: one downcall handle instead of the bridge's dozens
 * (each new call shape costs milliseconds to link at start-up).
 */
public final class FfmVersion {
    private FfmVersion() {}

    public static String helperVersion() {
        try {
            return Ffm.string((MemorySegment) Ffm.helper("gpcrace_version", FunctionDescriptor.of(ADDRESS)).invokeExact());
        } catch (Throwable t) {
            throw Ffm.rethrow(t);
        }
    }
}
