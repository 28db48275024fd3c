package dev.gosync.bench;

import dev.gosync.atomic.AtomicInt64;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Threads;

/**
 * {@link UpdateMaxBench}'s methods on two threads sharing one maximum (each thread with its own
 * candidate sequence). Three forks: contended figures swing widely with one. Under contention
 * {@code accumulateAndGet}'s unconditional CAS takes the cache line exclusive on every call, so
 * the two cores ping-pong it even when the maximum never moves; {@link AtomicInt64#updateMax}'s
 * reads leave it shared in both caches. In {@code updateMaxRaise} every call means to raise,
 * but with two threads some lose to the other's raise and then do not.
 */
@Threads(2)
@Fork(3)
public class UpdateMaxContendedBench extends UpdateMaxBench {
    /** Creates the shared maxima, both 0. */
    public UpdateMaxContendedBench() {
    }
}
