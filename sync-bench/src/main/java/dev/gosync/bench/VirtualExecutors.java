package dev.gosync.bench;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The JDK 21+ {@code Executors.newVirtualThreadPerTaskExecutor()} for benchmarks compiled with
 * {@code --release 17}: looked up once at class initialisation, with a new
 * {@code Executors.newCachedThreadPool()} as the JDK 17 fallback (new platform threads for each
 * fan-out). Used by {@link FanOutBench} and {@link ErrGroupBench}.
 */
final class VirtualExecutors {
    private static final MethodHandle NEW_VIRTUAL_EXECUTOR = findVirtualExecutor();

    private VirtualExecutors() {
    }

    /**
     * Returns a new virtual-thread-per-task executor, or on JDK 17 a new cached thread pool.
     *
     * @return a new executor; the caller shuts it down
     */
    static ExecutorService newVirtualExecutor() {
        if (NEW_VIRTUAL_EXECUTOR == null) {
            return Executors.newCachedThreadPool();     // JDK 17 fallback: see the class doc
        }
        try {
            return (ExecutorService) NEW_VIRTUAL_EXECUTOR.invokeExact();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    private static MethodHandle findVirtualExecutor() {
        try {
            return MethodHandles.publicLookup().findStatic(Executors.class,
                    "newVirtualThreadPerTaskExecutor", MethodType.methodType(ExecutorService.class));
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }
}
