package dev.gosync.bench;

import dev.gosync.RWMutex;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.concurrent.locks.StampedLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * Two threads share one reader/writer lock: read-only ({@code rLock_*}, {@link RWMutexBench}'s
 * methods), and a 90/10 read/write mix ({@code mix_*}, Go's {@code BenchmarkRWMutexWrite10}).
 * Anchors: {@link ReentrantReadWriteLock} and {@link StampedLock} (pessimistic read lock). Three
 * forks: contended figures swing widely with one.
 */
@Threads(2)
@Fork(3)
public class RWMutexContendedBench extends RWMutexBench {
    final Lock rrwlWrite = rrwl.writeLock();

    /** Creates the locks, all unlocked. */
    public RWMutexContendedBench() {
    }

    /** Each thread's operation counter, to pick every tenth operation as a write. */
    @State(Scope.Thread)
    public static class Ops {
        int n;
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
