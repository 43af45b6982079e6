package org.gpcrace.report.chart;

/**
 * The 95% Wilson score interval of a rate k/n: unlike k/n ± 1.96·se it stays inside [0, 1] and
 * is honest for k = 0 (0 of 10 rounds still allows a rate up to 28%).
 */
final class Wilson {
    private Wilson() {}

    private static final double Z = 1.959964;

    /** {low, high} as fractions; n must be > 0. */
    static double[] interval(long k, long n) {
        double p = (double) k / n;
        double z2 = Z * Z;
        double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
        double half = Z * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n)) / (1 + z2 / n);
        return new double[] {Math.max(0, centre - half), Math.min(1, centre + half)};
    }
}
