package dev.gosync.bench;

import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Threads;

/**
 * {@link PoolBench}'s methods on two threads sharing each pool (Go's {@code BenchmarkPool} under
 * {@code RunParallel}). Three forks: contended figures swing widely with one.
 */
@Threads(2)
@Fork(3)
public class PoolContendedBench extends PoolBench {
    /** Creates the pools, empty. */
    public PoolContendedBench() {
    }
}
