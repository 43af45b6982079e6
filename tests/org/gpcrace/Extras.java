package org.gpcrace;

import org.gpcrace.result.TestResult;
import org.gpcrace.result.UntypedExtra;

/** Transitional, for scenarios whose block is not typed yet: a value of their untyped extra (null when absent). */
public final class Extras {
    private Extras() {}

    public static Object untyped(TestResult t, String key) {
        return t.extra() instanceof UntypedExtra u ? u.values().get(key) : null;
    }
}
