package dev.gosync.bench;

import dev.gosync.atomic.AtomicBool;
import java.util.concurrent.atomic.AtomicBoolean;
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
 * {@link AtomicBool#compareAndSwap} against {@link AtomicBoolean#compareAndSet}, one thread:
 * a CAS that flips the flag and always succeeds. AtomicBool keeps 0/1 in an int, as
 * AtomicBoolean does, so both should compile to the same {@code lock cmpxchg}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class AtomicBoolBench {
    final AtomicBool gosync = new AtomicBool();
    final AtomicBoolean jdk = new AtomicBoolean();
    boolean gosyncExpect;
    boolean jdkExpect;

    @Benchmark
    public boolean cas_gosync() {
        boolean e = gosyncExpect;
        gosyncExpect = !e;
        return gosync.compareAndSwap(e, !e);
    }

    @Benchmark
    public boolean cas_atomicBoolean() {
        boolean e = jdkExpect;
        jdkExpect = !e;
        return jdk.compareAndSet(e, !e);
    }
}
