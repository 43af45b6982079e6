package org.gpcrace.bridge;

/** Constants shared with native/include/gpcrace.h. */
public final class Abi {
    private Abi() {}

    /** Must equal GPCRACE_ABI_VERSION. */
    public static final int VERSION = 1;
}
