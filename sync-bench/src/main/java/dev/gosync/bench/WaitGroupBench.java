package dev.gosync.bench;

import dev.gosync.WaitGroup;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Phaser;
import java.util.concurrent.TimeUnit;
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
 * {@link WaitGroup} bookkeeping on one thread (Go's {@code BenchmarkWaitGroupUncontended} /
 * {@code BenchmarkWaitGroupWait}), against the JDK's counting latches.
 *
 * <ul>
 *   <li>{@code addDone_gosync}: {@code add(1); done()}, one task counted in and out: two atomic
 *       updates of the counter.</li>
 *   <li>{@code addDone_countDownLatch}: a {@code CountDownLatch} cannot count up, so the anchor
 *       makes the same two atomic counter updates as two {@code countDown()} calls on a latch
 *       (re-created each iteration with {@code Integer.MAX_VALUE}, so it never reaches zero).
 *       The bar: {@code addDone_gosync} at most this cost.</li>
 *   <li>{@code addDone_phaser}: the Phaser spelling of add/done, {@code register()} then
 *       {@code arriveAndDeregister()}, on a phaser with one permanent unarrived party (so the
 *       phase never advances).</li>
 *   <li>{@code awaitZero_gosync} / {@code awaitZero_countDownLatch}: waiting on a counter that
 *       is already zero (the read-only fast path).</li>
 * </ul>
 * The contended variants are in {@link WaitGroupContendedBench}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class WaitGroupBench {
    WaitGroup wg;
    CountDownLatch latch;
    Phaser phaser;
    final WaitGroup zeroWg = new WaitGroup();
    final CountDownLatch zeroLatch = new CountDownLatch(0);

    /** Fresh counters each iteration (the latch must never reach zero). */
    @Setup(Level.Iteration)
    public void setup() {
        wg = new WaitGroup();
        latch = new CountDownLatch(Integer.MAX_VALUE);
        phaser = new Phaser(1);
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
    public int addDone_phaser() {
        Phaser p = phaser;
        p.register();
        return p.arriveAndDeregister();
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
