package dev.gosync.bench;

import dev.gosync.atomic.AtomicInt64Array;
import java.util.concurrent.atomic.AtomicLongArray;
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
 * {@link AtomicInt64Array#add} against {@link AtomicLongArray#addAndGet}, one thread, walking
 * the 16 elements so the index is not a constant. Both are an array-element VarHandle
 * {@code getAndAdd}: the same bounds check and {@code lock xadd}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class AtomicInt64ArrayBench {
    static final int LENGTH = 16;
    final AtomicInt64Array gosync = new AtomicInt64Array(LENGTH);
    final AtomicLongArray jdk = new AtomicLongArray(LENGTH);
    int gosyncIndex;
    int jdkIndex;

    @Benchmark
    public long add_gosync() {
        int i = (gosyncIndex + 1) & (LENGTH - 1);
        gosyncIndex = i;
        return gosync.add(i, 1);
    }

    @Benchmark
    public long add_atomicLongArray() {
        int i = (jdkIndex + 1) & (LENGTH - 1);
        jdkIndex = i;
        return jdk.addAndGet(i, 1);
    }
}
