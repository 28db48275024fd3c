package dev.gosync.bench;

import dev.gosync.errgroup.Group;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * errgroup fan-out (Go's {@code BenchmarkGo}, with a {@code Wait} per 100 tasks): a new
 * {@link Group}, {@code go(task)} {@value #N} times, {@code await()}, against the JDK 21+ idiom
 * it replaces, {@code invokeAll} on a new {@code Executors.newVirtualThreadPerTaskExecutor()}
 * (looked up at run time; a new cached thread pool on JDK 17, as in {@link FanOutBench}) with a
 * {@code get()} per future to surface a failure. Both start one thread per task; the difference
 * is the group's bookkeeping (failure capture, limit and cancellation support) against the
 * executor's futures.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class ErrGroupBench {
    static final int N = 100;
    private static final long WORK = 16;

    private final Group.Task task = () -> Blackhole.consumeCPU(WORK);
    private final List<Callable<Object>> callables = new ArrayList<>();

    public ErrGroupBench() {
        for (int i = 0; i < N; i++) {
            callables.add(() -> {
                Blackhole.consumeCPU(WORK);
                return null;
            });
        }
    }

    @Benchmark
    public void goAwait_gosync() throws InterruptedException, ExecutionException {
        Group g = new Group();
        for (int i = 0; i < N; i++) {
            g.go(task);
        }
        g.await();
    }

    @Benchmark
    public void goAwait_virtualExecutor(Blackhole bh)
            throws InterruptedException, ExecutionException {
        ExecutorService ex = VirtualExecutors.newVirtualExecutor();
        try {
            for (Future<Object> f : ex.invokeAll(callables)) {
                bh.consume(f.get());
            }
        } finally {
            ex.shutdown();
            ex.awaitTermination(1, TimeUnit.MINUTES);   // ExecutorService.close() of JDK 19+
        }
    }
}
