package dev.gosync.bench;

import dev.gosync.WaitGroup;
import java.util.concurrent.CountDownLatch;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link WaitGroup} shared by two threads (Go's {@code BenchmarkWaitGroupAddDone} and
 * {@code BenchmarkWaitGroupWait} under {@code RunParallel}): both threads count tasks in and out
 * of one counter, or both wait on a zero counter. Anchors as in {@link WaitGroupBench} (two
 * {@code countDown()} calls make the same two counter updates as {@code add(1); done()}).
 * Three forks: contended figures swing widely with one.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Threads(2)
@Fork(3)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class WaitGroupContendedBench {
    WaitGroup wg;
    CountDownLatch latch;
    final WaitGroup zeroWg = new WaitGroup();
    final CountDownLatch zeroLatch = new CountDownLatch(0);

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
