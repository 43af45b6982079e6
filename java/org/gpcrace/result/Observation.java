package org.gpcrace.result;

/** litmus7's verdict on an outcome over a run: never seen, seen sometimes, seen in every round. */
public enum Observation {
    Never, Sometimes, Always;

    public static Observation of(long count, long rounds) {
        if (count <= 0) return Never;
        return count >= rounds ? Always : Sometimes;
    }
}
