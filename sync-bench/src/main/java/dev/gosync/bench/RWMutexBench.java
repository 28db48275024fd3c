package dev.gosync.bench;

import dev.gosync.RWMutex;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.concurrent.locks.StampedLock;
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
 * Uncontended read lock + unlock around one field read (one thread): {@link RWMutex} against
 * {@link ReentrantReadWriteLock} (which keeps per-thread hold counts) and {@link StampedLock}'s
 * pessimistic read lock. The bar: {@code rLock_gosync / rLock_reentrantReadWriteLock <= 0.8}.
 * {@link RWMutexContendedBench} runs the same methods, and a read/write mix, on two threads.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class RWMutexBench {
    final RWMutex rwMutex = new RWMutex();
    final ReentrantReadWriteLock rrwl = new ReentrantReadWriteLock();
    final Lock rrwlRead = rrwl.readLock();
    final StampedLock stampedLock = new StampedLock();
    int value = 42;

    /** Creates the locks, all unlocked. */
    public RWMutexBench() {
    }

    @Benchmark
    public int rLock_gosync() {
        RWMutex rw = rwMutex;
        rw.rLock();
        try {
            return value;
        } finally {
            rw.rUnlock();
        }
    }

    @Benchmark
    public int rLock_reentrantReadWriteLock() {
        Lock l = rrwlRead;
        l.lock();
        try {
            return value;
        } finally {
            l.unlock();
        }
    }

    @Benchmark
    public int rLock_stampedLock() {
        StampedLock l = stampedLock;
        long stamp = l.readLock();
        try {
            return value;
        } finally {
            l.unlockRead(stamp);
        }
    }
}
