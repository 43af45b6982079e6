package org.gpcrace.cli;

import java.time.Duration;

/**
 * How long the suite's tests run: the default (`make run`, about 100 s on 2 CPUs) or quick
 * (`suite --quick`, a smoke test of about 20 s that still runs every scenario and reaches
 * every verdict the full suite can). Each scenario scales its own knobs from {@link #factor()}.
 */
record SuiteScale(Duration gpcPerTest, double factor) {
    static final SuiteScale FULL = new SuiteScale(Duration.ofMillis(3500), 1.0);
    static final SuiteScale QUICK = new SuiteScale(Duration.ofMillis(300), 0.1);

    /** {@code full} scaled, at least {@code min}. */
    long of(long full, long min) { return Math.max(min, Math.round(full * factor)); }
}
