package org.gpcrace.result;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A latency probe's own block (kind "latency"): where the measured address space was and the
 * evidence that it held only the actors, per measured point; and what a probe adds beside its
 * latencies, tables and figures: the apparatus check and the comparison with a separate plain C
 * process (madvise), the kernel's own view (--cross-check trace), the clock's calibration, the
 * bridges' per-call costs, the cost growth of each sweep, and the files written. Blocks a probe
 * does not produce are absent.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LatencyExtra(IsolationInfo isolation, List<PointEvidence> points, Apparatus apparatus, PlainComparison plainComparison,
        TraceCheck traceCheck, ClockInfo clock, List<CallCost> bridgeCosts, List<Growth> growth, List<String> files)
        implements TestExtra {

    /**
     * Where the measured mm was. {@code mode} "process": the actor process {@code measuredPid}
     * ({@code measuredExe}); "jvm": the JVM itself. {@code sharesJvmMm}: kcmp(KCMP_VM) of the JVM and
     * the measured process (null when the kernel cannot tell). {@code jvmThreadsInMm}: JVM threads
     * that could run in the measured mm during the probe (0 for the actor process).
     */
    public record IsolationInfo(String mode, long measuredPid, long jvmPid, String measuredExe, Boolean sharesJvmMm,
            int jvmThreadsInMm) {}

    /**
     * One measured point: its operations, the TLB-shootdown IPIs the whole machine handled while
     * it ran (/proc/interrupts, the TLB line, summed over the point's chunks), per operation, the
     * CPUs that received them, the CPUs the measured mm's threads ran on, and how many threads it
     * had at most.
     */
    public record PointEvidence(String metric, long operations, long tlbShootdowns, double shootdownsPerOperation,
            List<Integer> ipiCpus, List<Integer> mmCpus, int mmThreads) {
        public PointEvidence {
            ipiCpus = List.copyOf(ipiCpus);
            mmCpus = List.copyOf(mmCpus);
        }
    }

    /**
     * The apparatus check: the tool's 1-page DONTNEED + refault loop against the will-it-scale
     * tlb_flush1 loop in a separate plain C process ({@code reference}), alternated {@code reps}
     * times; {@code ratio} = best tool loops/s over best plain loops/s.
     */
    public record Apparatus(String reference, double toolLoopsPerSecond, double plainLoopsPerSecond, double ratio, double medianRatio,
            long iterations, int reps, double goal) {}

    /**
     * The tool's 1-page DONTNEED "op" point without spinners against the same operation timed in a
     * separate plain C process, alternated {@code reps} times (medians of the reps): the ratios
     * tool / plain of p50 and p90.
     */
    public record PlainComparison(String reference, long iterations, int reps, long toolP50, long toolP90, long toolP99, long plainP50,
            long plainP90, long plainP99, double p50Ratio, double p90Ratio, double goalWithin) {}

    /**
     * --cross-check trace: the kernel's enter-to-exit of the traced syscall (sys_enter/sys_exit
     * tracepoints, x86-tsc trace clock) beside the tool's latency of the same calls. The syscall
     * boundary (the tool's no-op madvise minus the kernel's enter-to-exit of it) is subtracted from
     * the tool's p50 before comparing; {@code skipped} says why there is no check.
     */
    public record TraceCheck(String syscall, String traceClock, long events, long toolP50, long kernelP50, long kernelP90, long kernelP99,
            long boundaryNs, long toolMinusBoundaryP50, double agreement, String skipped) {}

    /** The probe clock: TSC calibration and what each clock read costs. */
    public record ClockInfo(boolean invariantTsc, long tscHz, List<Long> calibrationWindowsHz, double calibrationSpreadPpm, boolean rdtscp,
            List<ClockRead> reads, TscOffset tscOffset) {
        public ClockInfo {
            calibrationWindowsHz = calibrationWindowsHz == null ? List.of() : List.copyOf(calibrationWindowsHz);
            reads = reads == null ? List.of() : List.copyOf(reads);
        }
    }

    /** Back-to-back reads of one clock: mean ns per read and the smallest non-zero step. */
    public record ClockRead(String clock, double nsPerRead, long smallestStepNs) {}

    /** The TSC offset between two CPUs lies in (above, below) ns. */
    public record TscOffset(int cpuA, int cpuB, long aboveNs, long belowNs) {}

    /** One call from C directly, through FFM and through JNA: mean and p50 ns per call. */
    public record CallCost(String call, int batch, double cMeanNs, double ffmMeanNs, double jnaMeanNs, long cP50Ns, long ffmP50Ns,
            long jnaP50Ns) {}

    /**
     * Least-squares cost growth of one sweep (per page, CPU or reader) over {@code points} points,
     * and its CSV file; {@code r2} of the p50 fit is absent below 3 points (a line through two
     * always fits).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Growth(String sweep, String per, int points, long xFrom, long xTo, long p50From, long p50To, double p50SlopeNs,
            double p99SlopeNs, double p50FixedNs, Double r2, String csv) {}

    public LatencyExtra {
        points = points == null ? List.of() : List.copyOf(points);
        bridgeCosts = bridgeCosts == null ? null : List.copyOf(bridgeCosts);
        growth = growth == null ? List.of() : List.copyOf(growth);
        files = files == null ? List.of() : List.copyOf(files);
    }
}
