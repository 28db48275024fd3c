package dev.gosync.bench;

import dev.gosync.Mutex;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.StampedLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;

/**
 * Uncontended lock + unlock around a one-field critical section (Go's
 * {@code BenchmarkMutexUncontended}, one thread): {@link Mutex} against {@link ReentrantLock}
 * (non-fair and fair), {@code synchronized} and {@link StampedLock}'s write lock. The bar:
 * {@code lockUnlock_gosync / lockUnlock_reentrantLock <= 1.0}.
 */
@Fork(1)
public class MutexBench extends AbstractMutexBench {
    /** Creates the locks, all unlocked. */
    public MutexBench() {
    }

    @Benchmark
    public int lockUnlock_gosync() {
        Mutex mu = mutex;
        mu.lock();
        try {
            return ++counter;
        } finally {
            mu.unlock();
        }
    }

    @Benchmark
    public int lockUnlock_reentrantLock() {
        ReentrantLock l = reentrantLock;
        l.lock();
        try {
            return ++counter;
        } finally {
            l.unlock();
        }
    }

    @Benchmark
    public int lockUnlock_fairReentrantLock() {
        ReentrantLock l = fairReentrantLock;
        l.lock();
        try {
            return ++counter;
        } finally {
            l.unlock();
        }
    }

    @Benchmark
    public int lockUnlock_synchronized() {
        synchronized (monitor) {
            return ++counter;
        }
    }

    @Benchmark
    public int lockUnlock_stampedLock() {
        StampedLock l = stampedLock;
        long stamp = l.writeLock();
        try {
            return ++counter;
        } finally {
            l.unlockWrite(stamp);
        }
    }
}
