package org.gpcrace.bridge.ffm;

import static java.lang.foreign.ValueLayout.ADDRESS;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;

/**
 * gpcrace_version() alone, for --version: one downcall, without the bridge's symbol lookups and
 * ABI check.
 */
public final class FfmVersion {
    private FfmVersion() {}

    public static String helperVersion() {
        try {
            return Ffm.string((MemorySegment) Ffm.helper("gpcrace_version", FunctionDescriptor.of(ADDRESS)).get().invokeExact());
        } catch (Throwable t) {
            throw Ffm.rethrow(t);
        }
    }
}
