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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Two threads share one reader/writer lock: read-only ({@code rLock_*}), and a 90/10
 * read/write mix ({@code mix_*}, Go's {@code BenchmarkRWMutexWrite10}). Anchors:
 * {@link ReentrantReadWriteLock} and {@link StampedLock} (pessimistic read lock). Three forks:
 * contended figures swing widely with one.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Threads(2)
@Fork(3)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class RWMutexContendedBench {
    final RWMutex rwMutex = new RWMutex();
    final ReentrantReadWriteLock rrwl = new ReentrantReadWriteLock();
    final Lock rrwlRead = rrwl.readLock();
    final Lock rrwlWrite = rrwl.writeLock();
    final StampedLock stampedLock = new StampedLock();
    int value = 42;

    /** Each thread's operation counter, to pick every tenth operation as a write. */
    @State(Scope.Thread)
    public static class Ops {
        int n;
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

    @Benchmark
    public int mix_gosync(Ops ops) {
        RWMutex rw = rwMutex;
        if (++ops.n % 10 == 0) {
            rw.lock();
            try {
                return ++value;
            } finally {
                rw.unlock();
            }
        }
        rw.rLock();
        try {
            return value;
        } finally {
            rw.rUnlock();
        }
    }

    @Benchmark
    public int mix_reentrantReadWriteLock(Ops ops) {
        if (++ops.n % 10 == 0) {
            Lock l = rrwlWrite;
            l.lock();
            try {
                return ++value;
            } finally {
                l.unlock();
            }
        }
        Lock l = rrwlRead;
        l.lock();
        try {
            return value;
        } finally {
            l.unlock();
        }
    }

    @Benchmark
    public int mix_stampedLock(Ops ops) {
        StampedLock l = stampedLock;
        if (++ops.n % 10 == 0) {
            long stamp = l.writeLock();
            try {
                return ++value;
            } finally {
                l.unlockWrite(stamp);
            }
        }
        long stamp = l.readLock();
        try {
            return value;
        } finally {
            l.unlockRead(stamp);
        }
    }
}
