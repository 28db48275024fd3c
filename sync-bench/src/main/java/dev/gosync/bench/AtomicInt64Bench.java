package dev.gosync.bench;

import dev.gosync.atomic.AtomicInt64;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link AtomicInt64#add} against {@link AtomicLong#addAndGet}, one thread (Go runtime's
 * BenchmarkXadd64 without RunParallel). Both should compile to one {@code lock xadd}; the ratio
 * should be 1.00 within noise. (load and store are volatile field accesses in both classes,
 * the same bytecode, and below a nanosecond: not measured.) {@link AtomicAddContendedBench} runs
 * the same methods on two threads.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class AtomicInt64Bench {
    final AtomicInt64 gosync = new AtomicInt64();
    final AtomicLong jdk = new AtomicLong();

    /** Creates the counters, both 0. */
    public AtomicInt64Bench() {
    }

    @Benchmark
    public long add_gosync() {
        return gosync.add(1);
    }

    @Benchmark
    public long add_atomicLong() {
        return jdk.addAndGet(1);
    }
}
