package dev.gosync.bench;

import dev.gosync.WaitGroup;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The {@link WaitGroup} benchmarks that {@link WaitGroupBench} (one thread) and
 * {@link WaitGroupContendedBench} (two) share: {@code addDone_*}, one task counted in and out,
 * and {@code awaitZero_*}, waiting on a counter that is already zero, against
 * {@link CountDownLatch} (see {@link WaitGroupBench} for why two {@code countDown()} calls).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public abstract class AbstractWaitGroupBench {
    WaitGroup wg;
    CountDownLatch latch;
    final WaitGroup zeroWg = new WaitGroup();
    final CountDownLatch zeroLatch = new CountDownLatch(0);

    /** Creates the zero counters; the others are made by {@link #setup()}. */
    AbstractWaitGroupBench() {
    }

    /** Fresh counters each iteration (the latch must never reach zero). */
    @Setup(Level.Iteration)
    public void setup() {
        wg = new WaitGroup();
        latch = new CountDownLatch(Integer.MAX_VALUE);
    }

    @Benchmark
    public void addDone_gosync() {
        WaitGroup g = wg;
        g.add(1);
        g.done();
    }

    @Benchmark
    public void addDone_countDownLatch() {
        CountDownLatch l = latch;
        l.countDown();
        l.countDown();
    }

    @Benchmark
    public void awaitZero_gosync() throws InterruptedException {
        zeroWg.await();
    }

    @Benchmark
    public void awaitZero_countDownLatch() throws InterruptedException {
        zeroLatch.await();
    }
}
