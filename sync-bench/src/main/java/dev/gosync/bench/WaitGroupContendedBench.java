package dev.gosync.bench;

import dev.gosync.WaitGroup;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Threads;

/**
 * {@link WaitGroup} shared by two threads (Go's {@code BenchmarkWaitGroupAddDone} and
 * {@code BenchmarkWaitGroupWait} under {@code RunParallel}): both threads count tasks in and out
 * of one counter, or both wait on a zero counter. Anchors as in {@link WaitGroupBench} (two
 * {@code countDown()} calls make the same two counter updates as {@code add(1); done()}).
 * Three forks: contended figures swing widely with one.
 */
@Threads(2)
@Fork(3)
public class WaitGroupContendedBench extends AbstractWaitGroupBench {
    /** Creates the zero counters; the others are made each iteration. */
    public WaitGroupContendedBench() {
    }
}
