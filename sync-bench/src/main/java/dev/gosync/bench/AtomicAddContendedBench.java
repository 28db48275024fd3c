package dev.gosync.bench;

import dev.gosync.atomic.AtomicInt64;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Two threads add 1 to one shared counter (Go runtime's BenchmarkXadd64, RunParallel):
 * {@link AtomicInt64#add} against {@link AtomicLong#addAndGet} (the same {@code lock xadd}; the
 * ratio should be 1.00) and {@link LongAdder#increment} (striped cells: faster under
 * contention, but it cannot return the new value, which Go's Add and ours do). Three forks:
 * contended figures swing widely with one.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Threads(2)
@Fork(3)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class AtomicAddContendedBench {
    final AtomicInt64 gosync = new AtomicInt64();
    final AtomicLong atomicLong = new AtomicLong();
    final LongAdder longAdder = new LongAdder();

    @Benchmark
    public long add_gosync() {
        return gosync.add(1);
    }

    @Benchmark
    public long add_atomicLong() {
        return atomicLong.addAndGet(1);
    }

    @Benchmark
    public void add_longAdder() {
        longAdder.increment();
    }
}
