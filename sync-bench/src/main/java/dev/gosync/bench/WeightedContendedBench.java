package dev.gosync.bench;

import dev.gosync.semaphore.Weighted;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link Weighted} shared by two threads that compete for more than there is: 1 permit of 1
 * (a FIFO hand-off on every contended release), and {@code K} = 3 permits of 4 (only one
 * holder fits). Anchors: {@code java.util.concurrent.Semaphore} fair (FIFO, the like-for-like
 * comparison) and, for 1 permit, non-fair (barging, which trades fairness for throughput).
 * Three forks: contended figures swing widely with one.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Threads(2)
@Fork(3)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class WeightedContendedBench {
    static final int K = 3;

    final Weighted weighted1 = new Weighted(1);
    final Semaphore fair1 = new Semaphore(1, true);
    final Semaphore nonFair1 = new Semaphore(1, false);
    final Weighted weightedK = new Weighted(K + 1);
    final Semaphore fairK = new Semaphore(K + 1, true);

    @Benchmark
    public void acquireRelease_gosync() throws InterruptedException {
        weighted1.acquire(1);
        weighted1.release(1);
    }

    @Benchmark
    public void acquireRelease_fairSemaphore() throws InterruptedException {
        fair1.acquire(1);
        fair1.release(1);
    }

    @Benchmark
    public void acquireRelease_semaphore() throws InterruptedException {
        nonFair1.acquire(1);
        nonFair1.release(1);
    }

    @Benchmark
    public void weightedAcquireRelease_gosync() throws InterruptedException {
        weightedK.acquire(K);
        weightedK.release(K);
    }

    @Benchmark
    public void weightedAcquireRelease_fairSemaphore() throws InterruptedException {
        fairK.acquire(K);
        fairK.release(K);
    }
}
