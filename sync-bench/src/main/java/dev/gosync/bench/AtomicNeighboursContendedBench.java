package dev.gosync.bench;

import dev.gosync.atomic.AtomicInt64;
import dev.gosync.atomic.PaddedAtomicInt64;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * False sharing between neighbouring counters, and {@link PaddedAtomicInt64} against it. Each
 * group runs two threads, each adding 1 to its own counter: nothing is shared by the program,
 * so whatever one thread's add costs beyond an uncontended {@code lock xadd} is the cache line
 * moving between the cores.
 * <ul>
 *   <li>{@code addNeighbours}: two {@link AtomicInt64}s against two {@link AtomicLong}s (both
 *       24-byte objects with the value at offset 16: the same layout, so the ratio should be
 *       1.00 within the noise).</li>
 *   <li>{@code addPadded}: two {@link PaddedAtomicInt64}s against what a Java user writes
 *       without them: two {@link AtomicLong}s (the JDK has no public padded atomic, and its
 *       {@code @Contended} is internal), and two {@link LongAdder}s (the JDK's answer to a hot
 *       counter: its base field is not padded, and a LongAdder that one thread writes never
 *       leaves its base, so it does not cure false sharing either; it also cannot return the
 *       new value). A ratio below 1.00 is the false sharing the padding removes.</li>
 * </ul>
 * The constructor allocates each pair back to back, so the two values are 24 bytes apart (32
 * for the LongAdders). Whether they share a 64-byte line depends on where the allocation
 * pointer stands, which can vary from fork to fork (five placements in eight share a line,
 * four in eight for the LongAdders), and a garbage collection may move them: hence three forks, and a wide error on the adjacent
 * pairs. The padded pair's values are at least 256 bytes apart wherever they land.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Group)
@Fork(3)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class AtomicNeighboursContendedBench {
    final AtomicInt64 int64A;
    final AtomicInt64 int64B;
    final AtomicLong longA;
    final AtomicLong longB;
    final PaddedAtomicInt64 paddedA;
    final PaddedAtomicInt64 paddedB;
    final LongAdder adderA;
    final LongAdder adderB;

    /** Allocates each pair of counters back to back, so that its two objects are adjacent. */
    public AtomicNeighboursContendedBench() {
        int64A = new AtomicInt64();
        int64B = new AtomicInt64();
        longA = new AtomicLong();
        longB = new AtomicLong();
        paddedA = new PaddedAtomicInt64();
        paddedB = new PaddedAtomicInt64();
        adderA = new LongAdder();
        adderB = new LongAdder();
    }

    @Benchmark
    @Group("addNeighbours_gosync")
    @GroupThreads(1)
    public long neighboursGosyncA() {
        return int64A.add(1);
    }

    @Benchmark
    @Group("addNeighbours_gosync")
    @GroupThreads(1)
    public long neighboursGosyncB() {
        return int64B.add(1);
    }

    @Benchmark
    @Group("addNeighbours_atomicLong")
    @GroupThreads(1)
    public long neighboursAtomicLongA() {
        return longA.addAndGet(1);
    }

    @Benchmark
    @Group("addNeighbours_atomicLong")
    @GroupThreads(1)
    public long neighboursAtomicLongB() {
        return longB.addAndGet(1);
    }

    @Benchmark
    @Group("addPadded_gosync")
    @GroupThreads(1)
    public long paddedGosyncA() {
        return paddedA.add(1);
    }

    @Benchmark
    @Group("addPadded_gosync")
    @GroupThreads(1)
    public long paddedGosyncB() {
        return paddedB.add(1);
    }

    @Benchmark
    @Group("addPadded_atomicLong")
    @GroupThreads(1)
    public long paddedAtomicLongA() {
        return longA.addAndGet(1);
    }

    @Benchmark
    @Group("addPadded_atomicLong")
    @GroupThreads(1)
    public long paddedAtomicLongB() {
        return longB.addAndGet(1);
    }

    @Benchmark
    @Group("addPadded_longAdder")
    @GroupThreads(1)
    public void paddedLongAdderA() {
        adderA.increment();
    }

    @Benchmark
    @Group("addPadded_longAdder")
    @GroupThreads(1)
    public void paddedLongAdderB() {
        adderB.increment();
    }
}
