package dev.gosync.bench;

import dev.gosync.semaphore.Weighted;
import java.util.concurrent.Semaphore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;

/**
 * {@link Weighted} uncontended, one thread (Go's {@code BenchmarkAcquireSeq} with N = 1):
 * acquire then release 1 permit, and {@code K} = 3 permits of 8, against
 * {@code java.util.concurrent.Semaphore} fair (FIFO, like Weighted) and non-fair. All three
 * take the same lock-free path here: one CAS to acquire, one to release. One semaphore of each
 * kind, {@code SIZE} = 8 permits, serves both the 1-permit and the {@code K}-permit methods.
 */
@Fork(1)
public class WeightedBench extends AbstractWeightedBench {
    static final int SIZE = 8;

    /** Creates one semaphore of each kind with {@code SIZE} permits. */
    public WeightedBench() {
        this(new Weighted(SIZE), new Semaphore(SIZE, true), new Semaphore(SIZE, false));
    }

    private WeightedBench(Weighted weighted, Semaphore fair, Semaphore nonFair) {
        super(weighted, fair, nonFair, weighted, fair);
    }

    @Benchmark
    public void weightedAcquireRelease_semaphore() throws InterruptedException {
        nonFair1.acquire(K);
        nonFair1.release(K);
    }
}
