package dev.gosync.bench;

import dev.gosync.WaitGroup;
import java.util.concurrent.Phaser;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;

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
@Fork(1)
public class WaitGroupBench extends AbstractWaitGroupBench {
    Phaser phaser;

    /** Creates the zero counters; the others are made each iteration. */
    public WaitGroupBench() {
    }

    /** A fresh phaser each iteration, alongside the inherited {@link #setup()}. */
    @Setup(Level.Iteration)
    public void setupPhaser() {
        phaser = new Phaser(1);
    }

    @Benchmark
    public int addDone_phaser() {
        Phaser p = phaser;
        p.register();
        return p.arriveAndDeregister();
    }
}
