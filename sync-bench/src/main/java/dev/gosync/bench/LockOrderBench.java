package dev.gosync.bench;

import com.google.common.util.concurrent.CycleDetectingLockFactory;
import dev.gosync.Mutex;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
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
 * The lock-order checker's cost, one thread: an unnested lock + unlock, and a 20-deep nesting
 * (lock 20 locks in order, unlock them in reverse: 20 lock+unlock pairs, each after the first
 * checked against everything held). Each gosync method runs in forks with the checker off
 * ({@code _off}) and on ({@code _warn}); Guava's {@link CycleDetectingLockFactory} (always on)
 * and a plain {@link ReentrantLock} are the anchors, in the same run. The bars: unnested
 * {@code _warn - _off <= 15 ns}; {@code nested20_warn / 20 <= 2 x unnested_warn}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class LockOrderBench {
    private static final int DEPTH = 20;
    private static final String OFF = "-Ddev.gosync.lockorder=off";
    private static final String WARN = "-Ddev.gosync.lockorder=warn";

    private final Mutex mutex = new Mutex("unnested");
    private final Mutex[] mutexes = new Mutex[DEPTH];
    private final ReentrantLock guava;
    private final ReentrantLock[] guavas = new ReentrantLock[DEPTH];
    private final ReentrantLock plain = new ReentrantLock();
    private final ReentrantLock[] plains = new ReentrantLock[DEPTH];
    private int counter;

    /** Creates the locks: distinct names, so that every nesting level is its own class. */
    public LockOrderBench() {
        CycleDetectingLockFactory f =
                CycleDetectingLockFactory.newInstance(CycleDetectingLockFactory.Policies.WARN);
        guava = f.newReentrantLock("unnested");
        for (int i = 0; i < DEPTH; i++) {
            mutexes[i] = new Mutex("level" + i);
            guavas[i] = f.newReentrantLock("level" + i);
            plains[i] = new ReentrantLock();
        }
    }

    private int unnested(Mutex mu) {
        mu.lock();
        try {
            return ++counter;
        } finally {
            mu.unlock();
        }
    }

    private int nested(Mutex[] mus) {
        for (Mutex mu : mus) {
            mu.lock();
        }
        int c = ++counter;
        for (int i = mus.length - 1; i >= 0; i--) {
            mus[i].unlock();
        }
        return c;
    }

    private int unnested(ReentrantLock l) {
        l.lock();
        try {
            return ++counter;
        } finally {
            l.unlock();
        }
    }

    private int nested(ReentrantLock[] ls) {
        for (ReentrantLock l : ls) {
            l.lock();
        }
        int c = ++counter;
        for (int i = ls.length - 1; i >= 0; i--) {
            ls[i].unlock();
        }
        return c;
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = OFF)
    public int unnested_gosync_off() {
        return unnested(mutex);
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = WARN)
    public int unnested_gosync_warn() {
        return unnested(mutex);
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = OFF)
    public int unnested_guava() {
        return unnested(guava);
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = OFF)
    public int unnested_reentrantLock() {
        return unnested(plain);
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = OFF)
    public int nested20_gosync_off() {
        return nested(mutexes);
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = WARN)
    public int nested20_gosync_warn() {
        return nested(mutexes);
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = OFF)
    public int nested20_guava() {
        return nested(guavas);
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = OFF)
    public int nested20_reentrantLock() {
        return nested(plains);
    }
}
