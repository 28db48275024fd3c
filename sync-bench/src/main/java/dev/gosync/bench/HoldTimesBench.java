package dev.gosync.bench;

import dev.gosync.Mutex;
import dev.gosync.RWMutex;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
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
 * The hold-time recorder's cost, one thread, on named locks: a lock + unlock of a Mutex with
 * {@code -Ddev.gosync.holdtimes=on} ({@code _on}: two clock reads and a histogram update per
 * hold) and off ({@code _off}), and an RWMutex read hold with it on (which also gives up the
 * reader bias), beside ReentrantLock and ReentrantReadWriteLock in the same run.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(1)
public class HoldTimesBench {
    private static final String OFF = "-Ddev.gosync.holdtimes=off";
    private static final String ON = "-Ddev.gosync.holdtimes=on";

    private final Mutex mutex = new Mutex("bench");
    private final RWMutex rw = new RWMutex("bench-rw");
    private final ReentrantLock plain = new ReentrantLock();
    private final ReentrantReadWriteLock plainRw = new ReentrantReadWriteLock();
    private int counter;

    private int lockUnlock(Mutex mu) {
        mu.lock();
        try {
            return ++counter;
        } finally {
            mu.unlock();
        }
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = OFF)
    public int lockUnlock_gosync_off() {
        return lockUnlock(mutex);
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = ON)
    public int lockUnlock_gosync_on() {
        return lockUnlock(mutex);
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = OFF)
    public int lockUnlock_reentrantLock() {
        plain.lock();
        try {
            return ++counter;
        } finally {
            plain.unlock();
        }
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = ON)
    public int rLock_gosync_on() {
        rw.rLock();
        try {
            return ++counter;
        } finally {
            rw.rUnlock();
        }
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = OFF)
    public int rLock_reentrantReadWriteLock() {
        plainRw.readLock().lock();
        try {
            return ++counter;
        } finally {
            plainRw.readLock().unlock();
        }
    }
}
