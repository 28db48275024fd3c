package dev.gosync.bench;

import dev.gosync.chan.Chan;
import dev.gosync.chan.Select;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Control;

/**
 * {@link Select} over two receive cases. The JDK has no select; the anchors are what a Java
 * programmer writes instead.
 *
 * <ul>
 *   <li>{@code select2_*} (1 producer + 1 consumer, {@code @Group}, average time per
 *       operation): the producer sends alternately on two unbuffered channels; the consumer
 *       selects over both. Anchor {@code synchronousQueue}: the Java idiom of merging both
 *       sources into one {@link SynchronousQueue} (one queue, no choice to make).</li>
 *   <li>{@code selectReady_*} (one thread): the second of two cases is ready (a buffered
 *       channel holding one value), the fast path of select; anchor {@code pollTwoQueues}:
 *       {@code q1.poll()}, then {@code q2.poll()} on two {@link ArrayBlockingQueue}s.</li>
 * </ul>
 *
 * <p>No hang at iteration end, as in {@link ChanBench}: the producer's sends are
 * {@link ChanBench#send timed steps}, and the consumer's select has a
 * {@code timeout(ChanBench.PATIENCE)} case after which it checks
 * {@link Control#stopMeasurement}.
 */
@Fork(3)
@Warmup(iterations = 2, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
public class SelectBench {
    private static final Object TOKEN = new Object();

    /** The channels of one pair of threads, and the consumer's Select. */
    @State(Scope.Group)
    public static class Pair {
        Chan<Object> ch1;
        Chan<Object> ch2;
        Select select;                     // the consumer's only
        SynchronousQueue<Object> merged;
        boolean second;                    // producer only: which channel is next

        /** Creates the state; {@link #setup()} makes the channels. */
        public Pair() {
        }

        /** New channels each iteration. */
        @Setup(Level.Iteration)
        public void setup() {
            ch1 = new Chan<>();
            ch2 = new Chan<>();
            select = new Select().receive(ch1).receive(ch2).timeout(ChanBench.PATIENCE);
            merged = new SynchronousQueue<>();
            second = false;
        }
    }

    /** The one-thread benchmarks' state. */
    @State(Scope.Thread)
    public static class Single {
        final Chan<Object> empty = new Chan<>(1);
        final Chan<Object> ready = new Chan<>(1);
        final Select select = new Select().receive(empty).receive(ready);
        final ArrayBlockingQueue<Object> q1 = new ArrayBlockingQueue<>(1);
        final ArrayBlockingQueue<Object> q2 = new ArrayBlockingQueue<>(1);

        /** Creates the channels and queues, empty. */
        public Single() {
        }
    }

    /** Creates the benchmark; the state is in {@link Pair} and {@link Single}. */
    public SelectBench() {
    }

    @Benchmark
    @Group("select2_gosync")
    @GroupThreads(1)
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public boolean select2_gosync_send(Pair p, Control c) throws InterruptedException {
        boolean second = p.second;
        p.second = !second;
        return ChanBench.send(second ? p.ch2 : p.ch1, TOKEN, c);
    }

    @Benchmark
    @Group("select2_gosync")
    @GroupThreads(1)
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public Object select2_gosync_select(Pair p, Control c) {
        Select sel = p.select;
        while (sel.select() == Select.TIMEOUT) {
            if (c.stopMeasurement) {
                return null;
            }
        }
        return sel.value();
    }

    @Benchmark
    @Group("select2_synchronousQueue")
    @GroupThreads(1)
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public boolean select2_synchronousQueue_send(Pair p, Control c)
            throws InterruptedException {
        while (!p.merged.offer(TOKEN, ChanBench.PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) {
            if (c.stopMeasurement) {
                return false;
            }
        }
        return true;
    }

    @Benchmark
    @Group("select2_synchronousQueue")
    @GroupThreads(1)
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public Object select2_synchronousQueue_select(Pair p, Control c)
            throws InterruptedException {
        Object v;
        while ((v = p.merged.poll(ChanBench.PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) == null) {
            if (c.stopMeasurement) {
                return null;
            }
        }
        return v;
    }

    @Benchmark
    @Fork(1)
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public Object selectReady_gosync(Single s) {
        s.ready.send(TOKEN);
        Select sel = s.select;
        sel.select();          // case 1: the only ready one
        return sel.value();
    }

    @Benchmark
    @Fork(1)
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public Object selectReady_pollTwoQueues(Single s) {
        s.q2.offer(TOKEN);
        Object v = s.q1.poll();
        return v != null ? v : s.q2.poll();
    }
}
