package dev.gosync.bench;

import dev.gosync.atomic.AtomicInt64;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Threads;

/**
 * Two threads add 1 to one shared counter (Go runtime's BenchmarkXadd64, RunParallel):
 * {@link AtomicInt64Bench}'s methods, {@link AtomicInt64#add} against {@link AtomicLong#addAndGet}
 * (the same {@code lock xadd}; the ratio should be 1.00), plus {@link LongAdder#increment}
 * (striped cells: faster under contention, but it cannot return the new value, which Go's Add
 * and ours do). Five forks, not the three of the other contended classes: the gosync/AtomicLong
 * pair runs the same instruction, so any distance from 1.00 is noise, and three-fork runs read
 * 1.29-1.36 where a five-fork run read 0.99.
 */
@Threads(2)
@Fork(5)
public class AtomicAddContendedBench extends AtomicInt64Bench {
    final LongAdder longAdder = new LongAdder();

    /** Creates the counters, all 0. */
    public AtomicAddContendedBench() {
    }

    @Benchmark
    public void add_longAdder() {
        longAdder.increment();
    }
}
