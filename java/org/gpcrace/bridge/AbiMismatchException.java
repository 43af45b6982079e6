package org.gpcrace.bridge;

import java.util.List;

/** The Java layouts and the native helper disagree: the bridge refuses to run. */
public final class AbiMismatchException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public AbiMismatchException(String bridge, List<String> mismatches) {
        super(bridge + " bridge: Java layouts do not match libgpcrace.so (rebuild with 'make'): "
                + String.join("; ", mismatches));
    }
}
