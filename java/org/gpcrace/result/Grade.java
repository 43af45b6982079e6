package org.gpcrace.result;

/** jcstress vocabulary for how an outcome is judged. */
public enum Grade {
    ACCEPTABLE, ACCEPTABLE_INTERESTING, FORBIDDEN;

    /** As printed in the console table. */
    public String label() {
        return switch (this) {
            case ACCEPTABLE -> "ACCEPTABLE";
            case ACCEPTABLE_INTERESTING -> "INTERESTING";
            case FORBIDDEN -> "FORBIDDEN";
        };
    }
}
