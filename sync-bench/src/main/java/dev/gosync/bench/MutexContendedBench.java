package dev.gosync.bench;

import dev.gosync.Mutex;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.StampedLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Two threads share one lock: a small critical section (one field update) and some work
 * outside it, the shape of Go's {@code BenchmarkMutexWork} and of the JDK's {@code Locks}
 * micro-benchmark. Anchors as in {@link MutexBench}. The bar: {@code lockUnlock_gosync /
 * lockUnlock_reentrantLock <= 1.11} (at least 0.9x its throughput). Three forks: contended
 * figures swing widely with one. Worst-case waits are measured by {@link StarvationDemo}.
 */
@Threads(2)
@Fork(3)
public class MutexContendedBench extends AbstractMutexBench {
    /** Blackhole.consumeCPU tokens spent outside the lock on each iteration. */
    static final int WORK_OUTSIDE = 50;

    /** Creates the locks, all unlocked. */
    public MutexContendedBench() {
    }

    @Benchmark
    public int lockUnlock_gosync() {
        Mutex mu = mutex;
        int v;
        mu.lock();
        try {
            v = ++counter;
        } finally {
            mu.unlock();
        }
        Blackhole.consumeCPU(WORK_OUTSIDE);
        return v;
    }

    @Benchmark
    public int lockUnlock_reentrantLock() {
        ReentrantLock l = reentrantLock;
        int v;
        l.lock();
        try {
            v = ++counter;
        } finally {
            l.unlock();
        }
        Blackhole.consumeCPU(WORK_OUTSIDE);
        return v;
    }

    @Benchmark
    public int lockUnlock_fairReentrantLock() {
        ReentrantLock l = fairReentrantLock;
        int v;
        l.lock();
        try {
            v = ++counter;
        } finally {
            l.unlock();
        }
        Blackhole.consumeCPU(WORK_OUTSIDE);
        return v;
    }

    @Benchmark
    public int lockUnlock_synchronized() {
        int v;
        synchronized (monitor) {
            v = ++counter;
        }
        Blackhole.consumeCPU(WORK_OUTSIDE);
        return v;
    }

    @Benchmark
    public int lockUnlock_stampedLock() {
        StampedLock l = stampedLock;
        int v;
        long stamp = l.writeLock();
        try {
            v = ++counter;
        } finally {
            l.unlockWrite(stamp);
        }
        Blackhole.consumeCPU(WORK_OUTSIDE);
        return v;
    }
}
