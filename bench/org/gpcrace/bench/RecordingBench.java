package org.gpcrace.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.gpcrace.bridge.Layouts;
import org.gpcrace.measure.Recorder;
import org.gpcrace.measure.SampleBuffer;
import org.gpcrace.protocol.GpcOutcome;
import org.gpcrace.protocol.Oracle;
import org.gpcrace.scenario.gpc.GpcTally;
import org.gpcrace.scenario.gpc.RoundJudge;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The Java-side work per sample and per round: recording one latency sample into an
 * HdrHistogram (alone, and through the probes' Recorder from a native sample buffer), and
 * judging one race round with the shared oracle (Oracle.classify, and the race engine's
 * RoundJudge over a native round buffer). Scores are ns per sample or per round.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class RecordingBench {
    static final int CHUNK = 4096;
    static final int ROUNDS = 1024;
    static final int READERS = 2;

    Histogram histogram;
    Recorder recorder;
    SampleBuffer samples;
    long v;
    long[] snapshot, tallyInv, tallyNext, tallyOther, counterNew;
    Arena arena;
    MemorySegment rounds;
    RoundJudge judge;

    @Setup
    public void setUp() {
        histogram = Recorder.newHistogram();
        recorder = new Recorder(List.of("bench"), null);
        samples = new SampleBuffer(1, CHUNK);
        for (int i = 0; i < CHUNK; i++) samples.set(0, CHUNK, i, 800 + (i * 7919L) % 20_000);
        snapshot = new long[] {10, 12};
        tallyInv = new long[] {10, 12};
        tallyNext = new long[] {3, 4};
        tallyOther = new long[] {0, 0};
        counterNew = new long[] {3, 4};
        arena = Arena.ofShared();
        long stride = Layouts.GPC_ROUND.byteSize() + READERS * Layouts.GPC_READER_ROUND.byteSize();
        rounds = arena.allocate(stride * ROUNDS, 64); // zeroed rounds: not invalidated, clean
        judge = new RoundJudge(READERS, new GpcTally(0, 1000), e -> "E" + e);
    }

    @TearDown
    public void tearDown() {
        samples.close();
        arena.close();
    }

    @Benchmark
    public void histogramRecordValue() { histogram.recordValue(800 + (v++ & 0x3fff)); }

    @Benchmark
    @OperationsPerInvocation(CHUNK)
    public void recorderPerSample() { recorder.record(samples, CHUNK, 0, 0); }

    @Benchmark
    public EnumSet<GpcOutcome> oracleClassifyRound() {
        return Oracle.classify(true, snapshot, tallyInv, tallyNext, tallyOther, counterNew, 0, false, false);
    }

    @Benchmark
    @OperationsPerInvocation(ROUNDS)
    public void roundJudgePerRound() { judge.judge(rounds, ROUNDS); }
}
