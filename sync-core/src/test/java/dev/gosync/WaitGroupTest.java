package dev.gosync;

import static dev.gosync.OnceTest.awaitParkedOrDone;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class WaitGroupTest {
    private static final long WAIT_S = 60;
    private static final Duration WAIT = Duration.ofSeconds(WAIT_S);

    private static void join(Thread t) throws InterruptedException {
        t.join(TimeUnit.SECONDS.toMillis(WAIT_S));
        assertFalse(t.isAlive(), "thread did not finish: " + t);
    }

    /** Starts a thread that awaits wg and records its return; errors land in {@code failure}. */
    private static Thread awaiter(WaitGroup wg, AtomicInteger returned,
            AtomicReference<Throwable> failure) {
        return TestThreads.startVirtual(() -> {
            try {
                wg.await();
                returned.incrementAndGet();
            } catch (Throwable e) {
                failure.set(e);
            }
        });
    }

    /** Waits for {@code gate} to open, for tasks that cannot throw InterruptedException. */
    private static void pass(CountDownLatch gate) {
        try {
            gate.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String waiters(WaitGroup wg) {
        String s = wg.toString();
        return s.substring(s.indexOf("waiters=") + "waiters=".length(), s.length() - 1);
    }

    // Go's Wait on a zero counter returns at once, also for an interrupted thread.
    @Test
    void awaitOnZeroReturnsAtOnce() throws InterruptedException {
        WaitGroup wg = new WaitGroup();
        wg.await();
        assertTrue(wg.await(Duration.ZERO));
        assertTrue(wg.await(Duration.ofNanos(-1)));
        Thread.currentThread().interrupt();
        try {
            wg.await();
            assertTrue(wg.await(WAIT));
        } finally {
            assertTrue(Thread.interrupted(), "await must not clear the interrupt status");
        }
    }

    @Test
    void countFollowsAddAndDone() {
        WaitGroup wg = new WaitGroup();
        assertEquals(0, wg.count());
        wg.add(3);
        assertEquals(3, wg.count());
        wg.done();
        wg.add(-2);
        assertEquals(0, wg.count());
        wg.add(0);
        assertEquals(0, wg.count());
        assertTrue(wg.toString().endsWith("[count=0, waiters=0]"), wg.toString());
    }

    // The awaiter is held back until the last done(), and then sees the tasks' plain writes.
    @Test
    void awaitWaitsForTheLastDoneAndSeesWritesBeforeIt() throws InterruptedException {
        WaitGroup wg = new WaitGroup();
        int[] data = new int[2];
        wg.add(2);
        AtomicInteger returned = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicReference<String> seen = new AtomicReference<>();
        Thread w = TestThreads.startVirtual(() -> {
            try {
                wg.await();
                seen.set(data[0] + "," + data[1]);
                returned.incrementAndGet();
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        awaitParkedOrDone(w);
        data[0] = 1;
        wg.done();
        awaitParkedOrDone(w);
        assertEquals(0, returned.get(), "await returned with the counter at 1");
        data[1] = 2;
        wg.done();
        join(w);
        assertEquals(null, failure.get());
        assertEquals("1,2", seen.get());
    }

    // Every concurrent awaiter is released by the drop to zero (one permit each).
    @Test
    void manyAwaitersAreAllReleased() throws InterruptedException {
        WaitGroup wg = new WaitGroup();
        wg.add(1);
        AtomicInteger returned = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> ts = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            ts.add(awaiter(wg, returned, failure));
        }
        for (Thread t : ts) {
            awaitParkedOrDone(t);
        }
        assertEquals(0, returned.get());
        wg.done();
        for (Thread t : ts) {
            join(t);
        }
        assertEquals(null, failure.get());
        assertEquals(64, returned.get());
        assertEquals("0", waiters(wg));
    }

    // Reuse: once a round's awaiters have returned, the next round works like the first.
    @Test
    void groupIsReusableRoundAfterRound() throws InterruptedException {
        WaitGroup wg = new WaitGroup();
        for (int round = 0; round < 100; round++) {
            int tasks = 1 + round % 4;
            AtomicInteger ran = new AtomicInteger();
            AtomicInteger returned = new AtomicInteger();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            wg.add(tasks);
            Thread w1 = awaiter(wg, returned, failure);
            Thread w2 = awaiter(wg, returned, failure);
            for (int i = 0; i < tasks; i++) {
                TestThreads.startVirtual(() -> {
                    ran.incrementAndGet();
                    wg.done();
                });
            }
            join(w1);
            join(w2);
            assertEquals(null, failure.get(), "round " + round);
            assertEquals(tasks, ran.get(), "round " + round);
            assertEquals(2, returned.get());
            assertEquals(0, wg.count());
        }
    }

    // A timed await that gives up leaves the group as if it had not waited.
    @Test
    void timedOutAwaitLeavesNoTrace() throws InterruptedException {
        WaitGroup wg = new WaitGroup();
        wg.add(1);
        assertFalse(wg.await(Duration.ofMillis(5)));
        assertFalse(wg.await(Duration.ZERO));
        assertEquals("0", waiters(wg));
        assertEquals(1, wg.count());
        // a later round-mate still waits for the real drop to zero
        AtomicInteger returned = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread w = awaiter(wg, returned, failure);
        awaitParkedOrDone(w);
        assertEquals(0, returned.get(), "a stray permit let an awaiter through");
        wg.done();
        join(w);
        assertEquals(1, returned.get());
        assertTrue(wg.await(Duration.ofSeconds(1)));
    }

    // A huge time-out is as good as none (no overflow on the deadline).
    @Test
    void hugeTimeoutIsNoTimeout() throws InterruptedException {
        WaitGroup wg = new WaitGroup();
        wg.add(1);
        AtomicReference<Boolean> result = new AtomicReference<>();
        Thread w = TestThreads.startVirtual(() -> {
            try {
                result.set(wg.await(Duration.ofSeconds(Long.MAX_VALUE)));
            } catch (InterruptedException e) {
                result.set(null);
            }
        });
        awaitParkedOrDone(w);
        wg.done();
        join(w);
        assertEquals(Boolean.TRUE, result.get());
    }

    // Interrupting a waiter: InterruptedException, and it leaves the group consistent.
    @Test
    void interruptedAwaitThrowsAndLeavesNoTrace() throws InterruptedException {
        WaitGroup wg = new WaitGroup();
        wg.add(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread w = TestThreads.startVirtual(() -> {
            try {
                wg.await();
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        awaitParkedOrDone(w);
        assertEquals("1", waiters(wg));
        w.interrupt();
        join(w);
        assertTrue(failure.get() instanceof InterruptedException, String.valueOf(failure.get()));
        assertEquals("0", waiters(wg));
        // interrupted on entry with a non-zero counter: throws at once
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, wg::await);
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> wg.await(WAIT));
        assertFalse(Thread.interrupted());
        wg.done();
        wg.await();
    }

    // Waiters that time out just as the counter drops must neither lose a wake-up nor leave a
    // stray permit behind for the next round (the timed-out waiter takes the permit it was
    // granted). Afterwards a fresh round must still block its awaiter.
    @Test
    void timeoutsRacingTheDropToZeroLeaveNoStrayPermit() throws InterruptedException {
        WaitGroup wg = new WaitGroup();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int i = 0; i < 2_000; i++) {
            wg.add(1);
            long nanos = ThreadLocalRandom.current().nextLong(1, 200_000);
            CountDownLatch started = new CountDownLatch(1);
            Thread w = TestThreads.startPlatform(() -> {
                try {
                    started.countDown();
                    wg.await(Duration.ofNanos(nanos));
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            started.await();
            wg.done();
            join(w);
            assertEquals(null, failure.get());
            assertEquals("0", waiters(wg));
        }
        wg.add(1);
        AtomicInteger returned = new AtomicInteger();
        Thread w = awaiter(wg, returned, failure);
        awaitParkedOrDone(w);
        assertEquals(0, returned.get(), "a stray permit let an awaiter through");
        wg.done();
        join(w);
        assertEquals(1, returned.get());
    }

    // Many threads adding and subtracting concurrently: no update is lost, waiters released.
    @Test
    void concurrentAddDoneIsExact() throws InterruptedException {
        WaitGroup wg = new WaitGroup();
        int threads = 4;
        int perThread = 20_000;
        wg.add(threads * perThread);
        AtomicInteger returned = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread w = awaiter(wg, returned, failure);
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            ts.add(TestThreads.startPlatform(() -> {
                for (int i = 0; i < perThread; i++) {
                    wg.add(1);
                    wg.done();
                    wg.done();
                }
            }));
        }
        for (Thread t : ts) {
            join(t);
        }
        join(w);
        assertEquals(null, failure.get());
        assertEquals(1, returned.get());
        assertEquals(0, wg.count());
    }

    // ------------------------------------------------------------------------------------------
    // go(task)

    // The fan-out/join idiom: every task ran before await returns, writes included.
    @Test
    void goThenAwaitJoinsEveryTask() throws InterruptedException {
        int n = Go.virtualThreads() ? 10_000 : 1_000;
        WaitGroup wg = new WaitGroup();
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int shard = i;
            wg.go(() -> out[shard] = shard + 1);              // plain writes
        }
        assertTrue(wg.await(WAIT));
        for (int i = 0; i < n; i++) {
            assertEquals(i + 1, out[i]);
        }
        assertEquals(0, wg.count());
    }

    // While the counter is large, go() tasks leave their count-outs in striped cells (see the
    // implementation notes). count() must still be exact for tasks the caller has joined, and
    // the add() that brings the counter down must fold them in, or await would never return.
    @Test
    void deferredCountOutsAreCountedAndFoldedIn() throws InterruptedException {
        WaitGroup wg = new WaitGroup();
        wg.add(1_000);                                  // keeps the counter large throughout
        int n = 500;
        int[] out = new int[n];
        Thread[] ts = new Thread[n];
        for (int i = 0; i < n; i++) {
            int shard = i;
            ts[i] = wg.go(() -> out[shard] = shard + 1);
        }
        for (Thread t : ts) {
            join(t);
        }
        assertEquals(1_000, wg.count(), "ended tasks still counted");
        assertFalse(wg.await(Duration.ofMillis(1)));
        wg.add(-999);
        assertEquals(1, wg.count());
        wg.done();
        assertEquals(0, wg.count());
        assertTrue(wg.await(Duration.ZERO), "count-outs left in the cells hold the group");
        for (int i = 0; i < n; i++) {
            assertEquals(i + 1, out[i]);
        }
    }

    // Near Integer.MAX_VALUE with ended go() tasks still counted: add(1) is legal (the true
    // counter is below the maximum) and must neither wrap the word to zero nor throw.
    @Test
    void addNearTheMaximumCountsDeferredCountOuts() throws InterruptedException {
        WaitGroup wg = new WaitGroup();
        wg.add(Integer.MAX_VALUE - 50);
        Thread[] ts = new Thread[50];
        for (int i = 0; i < ts.length; i++) {
            ts[i] = wg.go(() -> { });
        }
        for (Thread t : ts) {
            join(t);
        }
        wg.add(1);
        assertEquals(Integer.MAX_VALUE - 49, wg.count());
        assertFalse(wg.await(Duration.ofMillis(1)), "released with the counter near the maximum");
        wg.add(-(Integer.MAX_VALUE - 49));
        assertEquals(0, wg.count());
        assertTrue(wg.await(Duration.ZERO));
    }

    // Rounds of every size around the deferral threshold, with the awaiter counted in early
    // (before the tasks end) or late, the drop to zero coming from a task's count-out or from
    // the caller's done(): each round must release its awaiter and end at zero.
    @Test
    void fanOutsOfEverySizeRelease() throws InterruptedException {
        WaitGroup wg = new WaitGroup();
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        int rounds = Go.virtualThreads() ? 400 : 60;
        for (int round = 0; round < rounds; round++) {
            int n = rnd.nextInt(1, 300);
            CountDownLatch gate = new CountDownLatch(1);
            boolean gated = rnd.nextBoolean();
            AtomicInteger ran = new AtomicInteger();
            wg.add(1);                                  // the caller's own unit
            for (int i = 0; i < n; i++) {
                wg.go(() -> {
                    if (gated) {
                        pass(gate);
                    }
                    ran.incrementAndGet();
                });
            }
            AtomicInteger returned = new AtomicInteger();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread awaiter = awaiter(wg, returned, failure);
            if (rnd.nextBoolean()) {
                wg.done();
                gate.countDown();
            } else {
                gate.countDown();
                wg.done();
            }
            join(awaiter);
            assertEquals(null, failure.get());
            assertEquals(1, returned.get());
            assertEquals(n, ran.get(), "released before every task ran");
            assertEquals(0, wg.count());
        }
    }

    // The race the deferral must survive: tasks counting out while the counter comes down past
    // the threshold, by the caller's add (explicit units: e > 0) or by a task's own fold of a
    // full cell (e = 0, many tasks). A count-out left in a cell after that drop would hold
    // await forever. (Fails with the fold after the caller's drop removed, or with a fold that
    // does not repeat after its own drop; WaitGroupStress.GoDeferredCountOutsRelease covers
    // the task's side of the race.)
    @Test
    void countOutsRacingTheDropPastTheThresholdAreNotStranded() throws InterruptedException {
        WaitGroup wg = new WaitGroup();
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        int rounds = Go.virtualThreads() ? 3_000 : 150;
        for (int round = 0; round < rounds; round++) {
            boolean explicit = rnd.nextBoolean();
            int e = explicit ? 100 : 0;
            int n = explicit ? 40 : 200;
            CountDownLatch gate = new CountDownLatch(1);
            wg.add(e + 1);
            for (int i = 0; i < n; i++) {
                wg.go(() -> pass(gate));
            }
            gate.countDown();
            long until = System.nanoTime() + rnd.nextInt(20_000);
            while (System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            wg.add(-(e + 1));
            assertTrue(wg.await(Duration.ofSeconds(10)),
                    "round " + round + " (e=" + e + ") never released: " + wg);
            assertEquals(0, wg.count());
        }
    }

    // The caller's writes before go() are seen by the task.
    @Test
    void writesBeforeGoAreSeenByTheTask() throws InterruptedException {
        WaitGroup wg = new WaitGroup();
        int[] box = new int[2];
        box[0] = 7;
        wg.go(() -> box[1] = box[0] * 6);
        wg.await();
        assertEquals(42, box[1]);
    }

    // A task may start more tasks: the counter is non-zero while it runs.
    @Test
    void tasksMayCallGo() throws InterruptedException {
        WaitGroup wg = new WaitGroup();
        AtomicInteger ran = new AtomicInteger();
        wg.go(() -> {
            for (int i = 0; i < 10; i++) {
                wg.go(() -> {
                    wg.go(ran::incrementAndGet);
                    ran.incrementAndGet();
                });
            }
        });
        assertTrue(wg.await(WAIT));
        assertEquals(20, ran.get());
    }

    // go() counts down even when the task throws, and the exception reaches the handler.
    @Test
    void goCountsDownWhenTheTaskThrows() throws InterruptedException {
        Thread.UncaughtExceptionHandler old = Thread.getDefaultUncaughtExceptionHandler();
        RuntimeException boom = new RuntimeException("boom");
        AtomicReference<Throwable> caught = new AtomicReference<>();
        CountDownLatch handled = new CountDownLatch(1);
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> {
            if (e == boom) {
                caught.set(e);
                handled.countDown();
            }
        });
        try {
            WaitGroup wg = new WaitGroup();
            wg.go(() -> {
                throw boom;
            });
            assertTrue(wg.await(WAIT), "a throwing task was not counted down");
            assertTrue(handled.await(WAIT_S, TimeUnit.SECONDS));
            assertSame(boom, caught.get());
            assertEquals(0, wg.count());
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(old);
        }
    }

    @Test
    void goReturnsTheGosyncThread() throws InterruptedException {
        WaitGroup wg = new WaitGroup();
        Thread t = wg.go(() -> { });
        assertEquals("gosync-go", t.getName());
        wg.await();
    }
}
