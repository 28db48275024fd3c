package dev.gosync.bench;

import dev.gosync.atomic.AtomicInt32;
import java.util.concurrent.atomic.AtomicInteger;
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
 * {@link AtomicInt32#compareAndSwap} against {@link AtomicInteger#compareAndSet}, one thread:
 * a load followed by a CAS that always succeeds (Go runtime's BenchmarkCas without
 * RunParallel). Both should compile to the same {@code lock cmpxchg}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class AtomicInt32Bench {
    final AtomicInt32 gosync = new AtomicInt32();
    final AtomicInteger jdk = new AtomicInteger();

    @Benchmark
    public boolean cas_gosync() {
        int v = gosync.load();
        return gosync.compareAndSwap(v, v + 1);
    }

    @Benchmark
    public boolean cas_atomicInteger() {
        int v = jdk.get();
        return jdk.compareAndSet(v, v + 1);
    }
}
