package dev.gosync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.ref.WeakReference;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class OnceTest {
    private static final long WAIT_S = 60;
    private static final int THREADS = 8;

    /** Waits (bounded) until {@code t} is parked or has ended. */
    static void awaitParkedOrDone(Thread t) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
        for (;;) {
            Thread.State s = t.getState();
            if (s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING
                    || s == Thread.State.TERMINATED) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("thread neither parked nor ended: " + s);
            }
            Thread.sleep(1);
        }
    }

    // Only the first run's function is called, whatever later calls pass.
    @Test
    void onlyTheFirstFunctionRuns() {
        Once once = new Once();
        AtomicInteger a = new AtomicInteger();
        AtomicInteger b = new AtomicInteger();
        assertFalse(once.isDone());
        once.run(a::incrementAndGet);
        once.run(a::incrementAndGet);
        once.run(b::incrementAndGet);
        assertEquals(1, a.get());
        assertEquals(0, b.get());
        assertTrue(once.isDone());
    }

    // Racing callers: f runs exactly once and every caller sees f's plain writes on return.
    @Test
    void racingCallersRunFOnceAndSeeItsWrites() throws InterruptedException {
        for (int round = 0; round < 200; round++) {
            Once once = new Once();
            AtomicInteger calls = new AtomicInteger();
            int[] data = new int[2];
            CountDownLatch start = new CountDownLatch(1);
            CountDownLatch finished = new CountDownLatch(THREADS);
            AtomicInteger bad = new AtomicInteger();
            for (int t = 0; t < THREADS; t++) {
                TestThreads.startPlatform(() -> {
                    try {
                        start.await();
                        once.run(() -> {
                            calls.incrementAndGet();
                            data[0] = 1;                       // plain writes
                            data[1] = 2;
                        });
                        if (data[0] != 1 || data[1] != 2) {
                            bad.incrementAndGet();
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } finally {
                        finished.countDown();
                    }
                });
            }
            start.countDown();
            assertTrue(finished.await(WAIT_S, TimeUnit.SECONDS));
            assertEquals(1, calls.get(), "round " + round);
            assertEquals(0, bad.get(), "a caller returned before seeing f's writes");
        }
    }

    // A caller arriving while f runs waits until f returns (the reason Once is not a bare CAS).
    @Test
    void latecomersWaitUntilFReturns() throws InterruptedException {
        Once once = new Once();
        CountDownLatch inF = new CountDownLatch(1);
        CountDownLatch releaseF = new CountDownLatch(1);
        Thread runner = TestThreads.startPlatform(() -> once.run(() -> {
            inF.countDown();
            try {
                releaseF.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        assertTrue(inF.await(WAIT_S, TimeUnit.SECONDS));
        List<Thread> late = new ArrayList<>();
        AtomicInteger returned = new AtomicInteger();
        for (int i = 0; i < 3; i++) {
            late.add(TestThreads.startVirtual(() -> {
                once.run(() -> {
                    throw new AssertionError("second function ran");
                });
                returned.incrementAndGet();
            }));
        }
        for (Thread t : late) {
            awaitParkedOrDone(t);
        }
        assertEquals(0, returned.get(), "a latecomer returned while f was still running");
        assertFalse(once.isDone());
        releaseF.countDown();
        for (Thread t : late) {
            t.join(TimeUnit.SECONDS.toMillis(WAIT_S));
        }
        runner.join(TimeUnit.SECONDS.toMillis(WAIT_S));
        assertEquals(3, returned.get());
        assertTrue(once.isDone());
    }

    // Go's panic rule: the exception reaches f's caller only; the Once is done, waiters are
    // released normally, later calls return at once.
    @Test
    void throwingFStillCompletesTheOnce() throws InterruptedException {
        Once once = new Once();
        IllegalArgumentException boom = new IllegalArgumentException("boom");
        CountDownLatch inF = new CountDownLatch(1);
        CountDownLatch releaseF = new CountDownLatch(1);
        AtomicReference<Throwable> runnerSaw = new AtomicReference<>();
        Thread runner = TestThreads.startPlatform(() -> {
            try {
                once.run(() -> {
                    inF.countDown();
                    try {
                        releaseF.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    throw boom;
                });
            } catch (Throwable e) {
                runnerSaw.set(e);
            }
        });
        assertTrue(inF.await(WAIT_S, TimeUnit.SECONDS));
        AtomicReference<Throwable> waiterSaw = new AtomicReference<>();
        Thread waiter = TestThreads.startPlatform(() -> {
            try {
                once.run(() -> { });
            } catch (Throwable e) {
                waiterSaw.set(e);
            }
        });
        awaitParkedOrDone(waiter);
        releaseF.countDown();
        runner.join(TimeUnit.SECONDS.toMillis(WAIT_S));
        waiter.join(TimeUnit.SECONDS.toMillis(WAIT_S));
        assertSame(boom, runnerSaw.get());
        assertEquals(null, waiterSaw.get(), "the exception must reach f's caller only");
        assertTrue(once.isDone());
        AtomicInteger later = new AtomicInteger();
        once.run(later::incrementAndGet);
        assertEquals(0, later.get());
    }

    // An Error is an exception like any other for the panic rule.
    @Test
    void errorInFPropagatesAndCompletes() {
        Once once = new Once();
        StackOverflowError e = new StackOverflowError();
        assertSame(e, assertThrows(StackOverflowError.class, () -> once.run(() -> {
            throw e;
        })));
        assertTrue(once.isDone());
    }

    // A function may use another Once: only its own Once is re-entrancy.
    @Test
    void nestedDifferentOncesAreFine() {
        Once outer = new Once();
        Once inner = new Once();
        AtomicInteger n = new AtomicInteger();
        outer.run(() -> inner.run(n::incrementAndGet));
        assertEquals(1, n.get());
        assertTrue(outer.isDone() && inner.isDone());
    }

    // After completion run() allocates nothing (measured per thread where the JVM can).
    @Test
    void completedRunDoesNotAllocate() throws Exception {
        Method bytes;
        Object bean;
        try {
            Class<?> mf = Class.forName("java.lang.management.ManagementFactory");
            bean = mf.getMethod("getThreadMXBean").invoke(null);
            Class<?> sun = Class.forName("com.sun.management.ThreadMXBean");
            assumeTrue(sun.isInstance(bean));
            bytes = sun.getMethod("getCurrentThreadAllocatedBytes");
        } catch (ReflectiveOperationException | LinkageError e) {
            assumeTrue(false, "no per-thread allocation counter here: " + e);
            return;
        }
        Once once = new Once();
        Runnable f = () -> { };
        once.run(f);
        for (int i = 0; i < 200_000; i++) {
            once.run(f);                                     // warm up; let the JIT settle
        }
        long before = (Long) bytes.invoke(bean);
        for (int i = 0; i < 1_000_000; i++) {
            once.run(f);
        }
        long after = (Long) bytes.invoke(bean);
        // The reading itself may allocate a little; 1 byte per call would be 1,000,000.
        assertTrue(after - before < 10_000, "run() allocated " + (after - before) + " bytes");
    }

    @Test
    void toStringShowsState() {
        Once once = new Once();
        assertTrue(once.toString().endsWith("[new]"), once.toString());
        once.run(() -> assertTrue(once.toString().endsWith("[running]"), once.toString()));
        assertTrue(once.toString().endsWith("[done]"), once.toString());
    }

    // ------------------------------------------------------------------------------------------
    // func / value / values

    // OnceFunc: f runs once across racing callers, all of whom wait for it.
    @Test
    void funcRunsOnceAcrossThreads() throws InterruptedException {
        AtomicInteger calls = new AtomicInteger();
        Runnable g = Once.func(calls::incrementAndGet);
        CountDownLatch start = new CountDownLatch(1);
        CountDownLatch finished = new CountDownLatch(THREADS);
        for (int t = 0; t < THREADS; t++) {
            TestThreads.startPlatform(() -> {
                try {
                    start.await();
                    g.run();
                    assertEquals(1, calls.get());
                    finished.countDown();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        start.countDown();
        assertTrue(finished.await(WAIT_S, TimeUnit.SECONDS));
        g.run();
        assertEquals(1, calls.get());
    }

    // OnceFunc: if f threw, every call (the first included) throws that same instance.
    @Test
    void funcRethrowsTheSameExceptionEveryTime() {
        AtomicInteger calls = new AtomicInteger();
        IllegalStateException boom = new IllegalStateException("boom");
        Runnable g = Once.func(() -> {
            calls.incrementAndGet();
            throw boom;
        });
        for (int i = 0; i < 3; i++) {
            assertSame(boom, assertThrows(IllegalStateException.class, g::run));
        }
        assertEquals(1, calls.get());
    }

    // OnceValue: one call of f, the same object to every caller.
    @Test
    void valueReturnsTheSameObjectToEveryone() throws InterruptedException {
        AtomicInteger calls = new AtomicInteger();
        Supplier<Object> g = Once.value(() -> {
            calls.incrementAndGet();
            return new Object();
        });
        Object[] seen = new Object[THREADS];
        CountDownLatch start = new CountDownLatch(1);
        CountDownLatch finished = new CountDownLatch(THREADS);
        for (int t = 0; t < THREADS; t++) {
            int me = t;
            TestThreads.startPlatform(() -> {
                try {
                    start.await();
                    seen[me] = g.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    finished.countDown();
                }
            });
        }
        start.countDown();
        assertTrue(finished.await(WAIT_S, TimeUnit.SECONDS));
        assertNotNull(seen[0]);
        for (Object o : seen) {
            assertSame(seen[0], o);
        }
        assertSame(seen[0], g.get());
        assertEquals(1, calls.get());
    }

    // OnceValue: a null result is a result, memoised like any other.
    @Test
    void valueMemoisesNull() {
        AtomicInteger calls = new AtomicInteger();
        Supplier<String> g = Once.value(() -> {
            calls.incrementAndGet();
            return null;
        });
        assertEquals(null, g.get());
        assertEquals(null, g.get());
        assertEquals(1, calls.get());
    }

    // OnceValues: a null result is memoised too.
    @Test
    void valuesMemoisesNull() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Callable<String> g = Once.values(() -> {
            calls.incrementAndGet();
            return null;
        });
        assertEquals(null, g.call());
        assertEquals(null, g.call());
        assertEquals(1, calls.get());
    }

    // OnceValue: the same exception instance on every call.
    @Test
    void valueRethrowsTheSameExceptionEveryTime() {
        AtomicInteger calls = new AtomicInteger();
        ArithmeticException boom = new ArithmeticException("boom");
        Supplier<Integer> g = Once.value(() -> {
            calls.incrementAndGet();
            throw boom;
        });
        assertSame(boom, assertThrows(ArithmeticException.class, g::get));
        assertSame(boom, assertThrows(ArithmeticException.class, g::get));
        assertEquals(1, calls.get());
    }

    // OnceValues: value or the same exception, checked ones included.
    @Test
    void valuesRethrowsTheSameCheckedExceptionEveryTime() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        IOException boom = new IOException("boom");
        Callable<String> g = Once.values(() -> {
            calls.incrementAndGet();
            throw boom;
        });
        assertSame(boom, assertThrows(IOException.class, g::call));
        assertSame(boom, assertThrows(IOException.class, g::call));
        assertEquals(1, calls.get());

        Callable<String> ok = Once.values(() -> "v" + calls.incrementAndGet());
        assertEquals("v2", ok.call());
        assertEquals("v2", ok.call());
    }

    // The memoised functions drop f after the first call (Go's TestOnceXGC), thrown or not.
    @Test
    void memoisedFunctionsReleaseF() throws Exception {
        for (boolean fails : new boolean[] {false, true}) {
            Object[] held = new Object[3];
            WeakReference<?>[] refs = new WeakReference<?>[3];
            refs[0] = funcCapturing(held, 0, fails);
            refs[1] = valueCapturing(held, 1, fails);
            refs[2] = valuesCapturing(held, 2, fails);
            for (int i = 0; i < refs.length; i++) {
                assertTrue(collected(refs[i]),
                        "memoised function #" + i + " still holds f (fails=" + fails + ")");
                assertNotNull(held[i]);                       // the memoised function itself
            }
        }
    }

    private static WeakReference<?> funcCapturing(Object[] hold, int slot, boolean fails) {
        Object big = new byte[1 << 16];
        Runnable g = Once.func(() -> {
            if (big.hashCode() == 0 || fails) {
                throw new IllegalStateException("fails");
            }
        });
        hold[slot] = g;
        try {
            g.run();
        } catch (IllegalStateException expected) {
            // fine: what matters is that f is dropped either way
        }
        return new WeakReference<>(big);
    }

    private static WeakReference<?> valueCapturing(Object[] hold, int slot, boolean fails) {
        Object big = new byte[1 << 16];
        Supplier<Integer> g = Once.value(() -> {
            if (fails) {
                throw new IllegalStateException("fails");
            }
            return big.hashCode();
        });
        hold[slot] = g;
        try {
            g.get();
        } catch (IllegalStateException expected) {
            // fine
        }
        return new WeakReference<>(big);
    }

    private static WeakReference<?> valuesCapturing(Object[] hold, int slot, boolean fails) {
        Object big = new byte[1 << 16];
        Callable<Integer> g = Once.values(() -> {
            if (fails) {
                throw new IOException("fails");
            }
            return big.hashCode();
        });
        hold[slot] = g;
        try {
            g.call();
        } catch (Exception expected) {
            // fine
        }
        return new WeakReference<>(big);
    }

    private static boolean collected(WeakReference<?> ref) throws InterruptedException {
        for (int i = 0; i < 50 && ref.get() != null; i++) {
            System.gc();
            Thread.sleep(10);
        }
        return ref.get() == null;
    }
}
