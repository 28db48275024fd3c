package dev.gosync.bench;

import dev.gosync.semaphore.Weighted;
import java.util.concurrent.Semaphore;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Threads;

/**
 * {@link Weighted} shared by two threads that compete for more than there is: 1 permit of 1
 * (a FIFO hand-off on every contended release), and {@code K} = 3 permits of 4 (only one
 * holder fits). Anchors: {@code java.util.concurrent.Semaphore} fair (FIFO, the like-for-like
 * comparison) and, for 1 permit, non-fair (barging, which trades fairness for throughput).
 * Three forks: contended figures swing widely with one.
 */
@Threads(2)
@Fork(3)
public class WeightedContendedBench extends AbstractWeightedBench {
    /** Creates semaphores of 1 permit for the 1-permit methods, of {@code K + 1} for the rest. */
    public WeightedContendedBench() {
        super(new Weighted(1), new Semaphore(1, true), new Semaphore(1, false),
                new Weighted(K + 1), new Semaphore(K + 1, true));
    }
}
