package dev.gosync.bench;

import dev.gosync.Mutex;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.StampedLock;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The locks {@link MutexBench} (one thread) and {@link MutexContendedBench} (two) compare:
 * {@link Mutex} against {@link ReentrantLock} (non-fair and fair), {@code synchronized} and
 * {@link StampedLock}'s write lock, each guarding the one field {@code counter}. The subclasses'
 * methods differ (the contended ones also work outside the lock), so only the state is shared.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public abstract class AbstractMutexBench {
    final Mutex mutex = new Mutex();
    final ReentrantLock reentrantLock = new ReentrantLock();
    final ReentrantLock fairReentrantLock = new ReentrantLock(true);
    final Object monitor = new Object();
    final StampedLock stampedLock = new StampedLock();
    int counter;   // each benchmark method updates it under its own lock

    /** Creates the locks, all unlocked. */
    AbstractMutexBench() {
    }
}
