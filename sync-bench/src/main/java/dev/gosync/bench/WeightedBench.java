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
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link Weighted} uncontended, one thread (Go's {@code BenchmarkAcquireSeq} with N = 1):
 * acquire then release 1 permit, and {@code K} = 3 permits of 8, against
 * {@code java.util.concurrent.Semaphore} fair (FIFO, like Weighted) and non-fair. All three
 * take the same lock-free path here: one CAS to acquire, one to release.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class WeightedBench {
    static final int SIZE = 8;
    static final int K = 3;

    final Weighted weighted = new Weighted(SIZE);
    final Semaphore fair = new Semaphore(SIZE, true);
    final Semaphore nonFair = new Semaphore(SIZE, false);

    @Benchmark
    public void acquireRelease_gosync() throws InterruptedException {
        weighted.acquire(1);
        weighted.release(1);
    }

    @Benchmark
    public void acquireRelease_fairSemaphore() throws InterruptedException {
        fair.acquire(1);
        fair.release(1);
    }

    @Benchmark
    public void acquireRelease_semaphore() throws InterruptedException {
        nonFair.acquire(1);
        nonFair.release(1);
    }

    @Benchmark
    public void weightedAcquireRelease_gosync() throws InterruptedException {
        weighted.acquire(K);
        weighted.release(K);
    }

    @Benchmark
    public void weightedAcquireRelease_fairSemaphore() throws InterruptedException {
        fair.acquire(K);
        fair.release(K);
    }

    @Benchmark
    public void weightedAcquireRelease_semaphore() throws InterruptedException {
        nonFair.acquire(K);
        nonFair.release(K);
    }
}
