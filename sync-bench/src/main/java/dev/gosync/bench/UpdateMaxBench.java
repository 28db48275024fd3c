package dev.gosync.bench;

import dev.gosync.atomic.AtomicInt64;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link AtomicInt64#updateMax} against {@code AtomicLong.accumulateAndGet(x, Math::max)}, one
 * thread (see {@link UpdateMaxContendedBench} for two).
 *
 * <ul>
 *   <li>{@code updateMaxNoRaise}: candidates from a fixed random sequence, the maximum reset to
 *       0 each iteration, so only the first few (the sequence's running records) raise it and
 *       the rest do not: the demand-tracker steady state. updateMax only reads;
 *       accumulateAndGet still CASes the unchanged value back.</li>
 *   <li>{@code updateMaxRaise}: candidate = current + 1, so every call raises (both variants
 *       read the current value first, the same way).</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class UpdateMaxBench {
    final AtomicInt64 gosync = new AtomicInt64();
    final AtomicLong jdk = new AtomicLong();

    /** Creates the maxima, both 0. */
    public UpdateMaxBench() {
    }

    /** Each thread's own candidate sequence and position in it. */
    @State(Scope.Thread)
    public static class Candidates {
        static final int SIZE = 1024;
        private static final AtomicInteger SEEDS = new AtomicInteger();
        final long[] values = new long[SIZE];
        int next;

        @Setup
        public void fill() {
            SplittableRandom rnd = new SplittableRandom(SEEDS.incrementAndGet());
            for (int i = 0; i < SIZE; i++) {
                values[i] = rnd.nextLong(1L << 40);
            }
        }

        long nextCandidate() {
            int i = next;
            next = (i + 1) & (SIZE - 1);
            return values[i];
        }
    }

    /** The maximum starts at 0 in each iteration, so the run is a few raises then none. */
    @Setup(Level.Iteration)
    public void reset() {
        gosync.store(0);
        jdk.set(0);
    }

    @Benchmark
    public long updateMaxNoRaise_gosync(Candidates c) {
        return gosync.updateMax(c.nextCandidate());
    }

    @Benchmark
    public long updateMaxNoRaise_accumulate(Candidates c) {
        return jdk.accumulateAndGet(c.nextCandidate(), Math::max);
    }

    @Benchmark
    public long updateMaxRaise_gosync() {
        return gosync.updateMax(gosync.load() + 1);
    }

    @Benchmark
    public long updateMaxRaise_accumulate() {
        return jdk.accumulateAndGet(jdk.get() + 1, Math::max);
    }
}
