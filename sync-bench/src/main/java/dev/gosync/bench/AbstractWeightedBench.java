package dev.gosync.bench;

import dev.gosync.semaphore.Weighted;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The {@link Weighted} benchmarks that {@link WeightedBench} (one thread) and
 * {@link WeightedContendedBench} (two) share: acquire then release 1 permit, and {@code K} = 3
 * permits, against {@code java.util.concurrent.Semaphore} fair (FIFO, like Weighted) and, for
 * 1 permit, non-fair. Each subclass supplies the semaphores, sized for what it measures.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public abstract class AbstractWeightedBench {
    static final int K = 3;

    final Weighted weighted1;   // acquire(1) / release(1)
    final Semaphore fair1;
    final Semaphore nonFair1;
    final Weighted weightedK;   // acquire(K) / release(K)
    final Semaphore fairK;

    /**
     * Takes the semaphores each benchmark uses; a subclass may pass one object twice.
     *
     * @param weighted1 the Weighted for 1 permit
     * @param fair1 the fair Semaphore for 1 permit
     * @param nonFair1 the non-fair Semaphore for 1 permit
     * @param weightedK the Weighted for {@code K} permits
     * @param fairK the fair Semaphore for {@code K} permits
     */
    AbstractWeightedBench(Weighted weighted1, Semaphore fair1, Semaphore nonFair1,
            Weighted weightedK, Semaphore fairK) {
        this.weighted1 = weighted1;
        this.fair1 = fair1;
        this.nonFair1 = nonFair1;
        this.weightedK = weightedK;
        this.fairK = fairK;
    }

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
