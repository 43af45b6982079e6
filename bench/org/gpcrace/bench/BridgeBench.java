package org.gpcrace.bench;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.concurrent.TimeUnit;
import org.gpcrace.bridges.Bridges;
import org.gpcrace.bridge.NativeBridge;
import org.gpcrace.bridge.ffm.Ffm;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Bridge overhead per call: the helper's no-op (gpcrace_noop) and getpid through FFM, with and
 * without errno capture, and through JNA. `make bench` prints the table; compare with the
 * `bridge` probe of `gpcrace latency`, which also times the C-direct baseline.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class BridgeBench {
    static final MethodHandle NOOP_ERRNO = Ffm.helperErrno("gpcrace_noop", FunctionDescriptor.of(JAVA_LONG, JAVA_LONG));
    static final MethodHandle GETPID_ERRNO = Ffm.libcErrno("getpid", FunctionDescriptor.of(JAVA_INT));

    NativeBridge ffm;
    NativeBridge jna;
    MemorySegment state;
    long x;

    @Setup
    public void open() {
        ffm = Bridges.open("ffm");
        jna = Bridges.open("jna");
        state = Ffm.state();
    }

    @Benchmark
    public long ffmNoop() { return ffm.noop(x++); }

    @Benchmark
    public long ffmNoopErrnoCapture() throws Throwable { return (long) NOOP_ERRNO.invokeExact(state, x++); }

    @Benchmark
    public long jnaNoop() { return jna.noop(x++); }

    @Benchmark
    public int ffmGetpid() { return ffm.getpid(); }

    @Benchmark
    public int ffmGetpidErrnoCapture() throws Throwable { return (int) GETPID_ERRNO.invokeExact(state); }

    @Benchmark
    public int jnaGetpid() { return jna.getpid(); }
}
