package dev.gosync.bench;

import dev.gosync.singleflight.Group;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.AuxCounters;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Two threads call the same key with a slow function (~{@code WORK} tokens of
 * {@code Blackhole.consumeCPU}, a few microseconds): how often the function runs, and what a call
 * costs, for {@link Group singleflight.Group} against two loaders written inline: a
 * {@code ConcurrentHashMap.computeIfAbsent} loader that removes its entry after loading (the
 * second caller waits on the map's bin lock, a monitor that pins a virtual thread), and
 * Caffeine-style coalescing on a {@code CompletableFuture} published with
 * {@code putIfAbsent}. The {@code executions} and {@code calls} counters (JMH secondary
 * results, totals per iteration) give executions per call: 1.0 means no sharing, 0.5 means
 * every execution was shared by both threads; the same ratio is printed at the end of each
 * trial. The figure of interest is that ratio (and that it matches the inline loaders); the
 * time per call follows from it. One fork: this is about counts more than timing.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Threads(2)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class SingleFlightBench {
    static final long WORK = 2_000;
    static final String KEY = "key";

    final Group<String, Long> group = new Group<>();
    final ConcurrentHashMap<String, Long> loading = new ConcurrentHashMap<>();
    final ConcurrentHashMap<String, CompletableFuture<Long>> futures = new ConcurrentHashMap<>();
    final LongAdder executions = new LongAdder();
    final LongAdder calls = new LongAdder();
    long sequence;

    /** Per-thread counts, reported by JMH next to the time per call. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Counts {
        /** Executions of the slow function started by this thread. */
        public long executions;
        /** Calls made by this thread. */
        public long calls;

        /** Zeroes the counts for the next iteration. */
        @Setup(Level.Iteration)
        public void reset() {
            executions = 0;
            calls = 0;
        }
    }

    /** Starts a trial with zero totals. */
    @Setup(Level.Trial)
    public void setup() {
        executions.reset();
        calls.reset();
    }

    /** Prints executions per call over the whole trial (warm-up included). */
    @TearDown(Level.Trial)
    public void report() {
        long c = calls.sum();
        System.out.printf("%n[singleflight] executions per call: %.3f (%d executions, %d calls)%n",
                c == 0 ? 0.0 : (double) executions.sum() / c, executions.sum(), c);
    }

    Long slow(Counts counts) {
        counts.executions++;
        executions.increment();
        Blackhole.consumeCPU(WORK);
        return ++sequence;   // racy on purpose: a value, not a count
    }

    @Benchmark
    public Long sameKey_gosync(Counts counts) throws Exception {
        counts.calls++;
        calls.increment();
        return group.call(KEY, () -> slow(counts)).value();
    }

    @Benchmark
    public Long sameKey_computeIfAbsent(Counts counts) {
        counts.calls++;
        calls.increment();
        Long v = loading.computeIfAbsent(KEY, k -> slow(counts));
        loading.remove(KEY, v);
        return v;
    }

    @Benchmark
    public Long sameKey_futureCoalescing(Counts counts) {
        counts.calls++;
        calls.increment();
        CompletableFuture<Long> mine = new CompletableFuture<>();
        CompletableFuture<Long> prior = futures.putIfAbsent(KEY, mine);
        if (prior != null) {
            return prior.join();
        }
        Long v;
        try {
            v = slow(counts);
        } catch (RuntimeException | Error e) {
            futures.remove(KEY, mine);
            mine.completeExceptionally(e);
            throw e;
        }
        futures.remove(KEY, mine);   // unpublish first: no caller may join a finished load
        mine.complete(v);
        return v;
    }
}
