package dev.gosync.bench;

import dev.gosync.SyncMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link SyncMap} against {@link ConcurrentHashMap} shared by two threads: 90% loads and 10%
 * stores over 1024 present keys, each thread walking the keys from its own random start (Go's
 * RunParallel benchmarks start goroutine g at {@code g*b.N}). Three forks: contended figures
 * swing widely with one.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Threads(2)
@Fork(3)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class SyncMapContendedBench {
    static final int KEYS = 1024;    // a power of two
    final Integer[] keys = new Integer[KEYS];
    final SyncMap<Integer, Integer> syncMap = new SyncMap<>();
    final ConcurrentHashMap<Integer, Integer> chm = new ConcurrentHashMap<>();

    /** Stores the keys 0..1023 in both maps. */
    public SyncMapContendedBench() {
        for (int k = 0; k < KEYS; k++) {
            keys[k] = k;
            syncMap.store(keys[k], keys[k]);
            chm.put(keys[k], keys[k]);
        }
    }

    /** Each thread's position in the key sequence. */
    @State(Scope.Thread)
    public static class Cursor {
        int i;

        /** Starts at a random key, so the two threads do not walk in step. */
        @Setup
        public void setup() {
            i = ThreadLocalRandom.current().nextInt();
        }
    }

    @Benchmark
    public Integer mixed_gosync(Cursor c) {
        int n = c.i++;
        Integer k = keys[n & (KEYS - 1)];
        if (n % 10 == 0) {
            syncMap.store(k, k);
            return k;
        }
        return syncMap.load(k);
    }

    @Benchmark
    public Integer mixed_concurrentHashMap(Cursor c) {
        int n = c.i++;
        Integer k = keys[n & (KEYS - 1)];
        if (n % 10 == 0) {
            chm.put(k, k);
            return k;
        }
        return chm.get(k);
    }
}
