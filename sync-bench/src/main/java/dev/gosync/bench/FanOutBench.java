package dev.gosync.bench;

import dev.gosync.WaitGroup;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Fan-out/join of N trivial tasks (Go's {@code BenchmarkWaitGroupActuallyWait}, scaled up): the
 * time from the first start to the last join. The tasks are built once; each does a few
 * nanoseconds of {@code Blackhole.consumeCPU} work.
 *
 * <ul>
 *   <li>{@code fanOut_gosync}: a new {@code WaitGroup}, {@code wg.go(task)} N times,
 *       {@code wg.await()}: one new thread per task (virtual on JDK 21+, platform on 17).</li>
 *   <li>{@code fanOut_virtualExecutor}: {@code Executors.newVirtualThreadPerTaskExecutor()}
 *       (looked up at run time), {@code invokeAll(tasks)}, {@code close()}: the JDK 21+ idiom.
 *       The bar on JDK 25: {@code fanOut_gosync} at most 1.2x its time for N = 10,000. On JDK 17,
 *       where there are no virtual threads, it falls back to a new
 *       {@code Executors.newCachedThreadPool()} per operation, i.e. new platform threads for the
 *       tasks of each fan-out (what {@code go} does there too, minus thread reuse within the
 *       fan-out).</li>
 *   <li>{@code fanOut_fixedPool}: {@code invokeAll(tasks)} on a fixed pool of one thread per
 *       core, created once per trial (the pre-21 idiom; cheap, but a bounded pool deadlocks
 *       tasks that wait for one another, which {@code go} never does).</li>
 * </ul>
 *
 * <p>Like for like on JDK 21+: per task both sides start one virtual thread down the same JDK
 * path (gosync's in the root thread container, the executor's in its own: the same concurrent
 * set add and remove); the executor also builds a future, gosync a small count-out wrapper
 * ({@code -prof gc} on JDK 25: 360 bytes per task for gosync, 406 for the executor). The tasks
 * keep every core busy, so on a shared machine single iterations of either side can swing by
 * 10x: compare ratios over several forks (median as well as mean) before believing one.
 * Three forks by default, as for the contended classes.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
@Fork(3)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class FanOutBench {
    private static final long WORK = 16;

    @Param({"100", "10000"})
    int n;

    private Runnable[] runnables;
    private List<Callable<Object>> callables;
    private ExecutorService fixedPool;

    @Setup(Level.Trial)
    public void setup() {
        runnables = new Runnable[n];
        callables = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Runnable task = () -> Blackhole.consumeCPU(WORK);
            runnables[i] = task;
            callables.add(Executors.callable(task));
        }
        fixedPool = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
        fixedPool.shutdown();
        fixedPool.awaitTermination(1, TimeUnit.MINUTES);
    }

    @Benchmark
    public void fanOut_gosync() throws InterruptedException {
        WaitGroup wg = new WaitGroup();
        for (Runnable task : runnables) {
            wg.go(task);
        }
        wg.await();
    }

    @Benchmark
    public void fanOut_virtualExecutor(Blackhole bh)
            throws InterruptedException, ExecutionException {
        ExecutorService ex = VirtualExecutors.newVirtualExecutor();
        try {
            join(ex.invokeAll(callables), bh);
        } finally {
            ex.shutdown();
            ex.awaitTermination(1, TimeUnit.MINUTES);   // ExecutorService.close() of JDK 19+
        }
    }

    @Benchmark
    public void fanOut_fixedPool(Blackhole bh) throws InterruptedException, ExecutionException {
        join(fixedPool.invokeAll(callables), bh);
    }

    private static void join(List<Future<Object>> futures, Blackhole bh)
            throws ExecutionException, InterruptedException {
        for (Future<Object> f : futures) {
            bh.consume(f.get());
        }
    }
}
