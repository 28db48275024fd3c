package dev.gosync.bench;

import dev.gosync.atomic.AtomicPointer;
import java.util.concurrent.atomic.AtomicReference;
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
 * {@link AtomicPointer#compareAndSwap} against {@link AtomicReference#compareAndSet}, one
 * thread: a load followed by a CAS to the other of two objects, which always succeeds (the
 * copy-on-write publish step). Both should compile to the same {@code lock cmpxchg} with the
 * same GC barriers.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class AtomicPointerBench {
    final Object a = new Object();
    final Object b = new Object();
    final AtomicPointer<Object> gosync = new AtomicPointer<>(a);
    final AtomicReference<Object> jdk = new AtomicReference<>(a);

    @Benchmark
    public boolean cas_gosync() {
        Object cur = gosync.load();
        return gosync.compareAndSwap(cur, cur == a ? b : a);
    }

    @Benchmark
    public boolean cas_atomicReference() {
        Object cur = jdk.get();
        return jdk.compareAndSet(cur, cur == a ? b : a);
    }
}
