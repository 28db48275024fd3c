package dev.gosync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import org.junit.jupiter.api.Test;

class MutexTest {

    /** Spins until {@code t} is parked (blocked in the slow path); bounded by the test time-out. */
    static void awaitParked(Thread t) {
        while (t.getState() != Thread.State.WAITING && t.getState() != Thread.State.TIMED_WAITING) {
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    static void joinAll(List<Thread> threads) throws InterruptedException {
        for (Thread t : threads) {
            t.join();
        }
    }

    // Mutex checks its state invariants with assert at every transition; they only guard
    // anything if the tests run with -ea (Surefire's enableAssertions, on by default).
    @Test
    void invariantAssertionsAreOnInTests() {
        assertTrue(Mutex.class.desiredAssertionStatus(), "run the tests with -ea");
    }

    // Liveness with every kind of waiter at once (MutexLivenessProbe, forked and interpreted
    // so the slow path's windows are wide): no thread sleeps for seconds while the others get
    // the mutex. It caught a hand-off claimer that kept WOKEN, which silenced every later
    // unlock(), in 2 of 2 runs.
    @Test
    void noThreadIsStrandedUnderMixedContention() throws Exception {
        ForkedJvm.Result r = ForkedJvm.run(MutexLivenessProbe.class, List.of("-Xint", "-ea"),
                List.of("12"), Mutex.class);
        assertEquals(0, r.exitCode(), r.output());
    }

    @Test
    void zeroValueIsUnlocked() {
        Mutex mu = new Mutex();
        assertFalse(mu.isLocked());
        assertTrue(mu.tryLock());
        assertTrue(mu.isLocked());
        mu.unlock();
        assertFalse(mu.isLocked());
    }

    // Plain increments under the lock from many threads are never lost.
    @Test
    void mutualExclusion() throws InterruptedException {
        Mutex mu = new Mutex();
        int[] counter = {0};
        int threads = 4;
        int iterations = 50_000;
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            ts.add(TestThreads.startPlatform(() -> {
                for (int i = 0; i < iterations; i++) {
                    if (id == 0 && (i & 7) == 0) {
                        while (!mu.tryLock()) {
                            Thread.onSpinWait();
                        }
                    } else {
                        mu.lock();
                    }
                    counter[0]++;
                    mu.unlock();
                }
            }));
        }
        joinAll(ts);
        assertEquals(threads * iterations, counter[0]);
        assertFalse(mu.isLocked());
        assertEquals(0, mu.waiterCount());
    }

    // The holder's tryLock fails and its second lock() blocks (not reentrant) until another
    // thread unlocks (not owned).
    @Test
    void notReentrantAndNotOwned() throws InterruptedException {
        Mutex mu = new Mutex();
        AtomicBoolean tryAgain = new AtomicBoolean(true);
        CountDownLatch secondLockReturned = new CountDownLatch(1);
        Thread holder = TestThreads.startPlatform(() -> {
            mu.lock();
            tryAgain.set(mu.tryLock());
            mu.lock();              // blocks: not reentrant
            secondLockReturned.countDown();
        });
        awaitParked(holder);
        assertFalse(tryAgain.get(), "tryLock by the holder succeeded: reentrant");
        assertEquals(1, secondLockReturned.getCount());
        mu.unlock();                // another thread unlocks: not owned
        holder.join();
        assertEquals(0, secondLockReturned.getCount());
        assertTrue(mu.isLocked());
        mu.unlock();
        assertFalse(mu.isLocked());
    }

    // locked() returns one cached guard, and closing it unlocks.
    @Test
    void lockedGuardIsCachedAndUnlocks() {
        Mutex mu = new Mutex();
        Locker.Held first;
        try (Locker.Held held = mu.locked()) {
            first = held;
            assertTrue(mu.isLocked());
        }
        assertFalse(mu.isLocked());
        try (Locker.Held held = mu.locked()) {
            assertSame(first, held);
        }
        assertFalse(mu.isLocked());
    }

    // An interrupted lockInterruptibly leaves the queue; the next unlock/lock work normally.
    @Test
    void lockInterruptiblyLeavesQueueOnInterrupt() throws InterruptedException {
        Mutex mu = new Mutex();
        mu.lock();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread w = TestThreads.startPlatform(() -> {
            try {
                mu.lockInterruptibly();
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        awaitParked(w);
        w.interrupt();
        w.join();
        assertTrue(thrown.get() instanceof InterruptedException);
        assertEquals(0, mu.waiterCount());
        mu.unlock();
        assertFalse(mu.isLocked());
        assertTrue(mu.tryLock());
        mu.unlock();
    }

    @Test
    void interruptedOnEntryThrowsWithoutLocking() {
        Mutex mu = new Mutex();
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, mu::lockInterruptibly);
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> mu.tryLock(1, TimeUnit.SECONDS));
        assertFalse(mu.isLocked());
    }

    // lock() is not interruptible: it keeps waiting and returns with the interrupt status set.
    @Test
    void lockIsUninterruptible() throws InterruptedException {
        Mutex mu = new Mutex();
        mu.lock();
        AtomicBoolean interrupted = new AtomicBoolean();
        Thread w = TestThreads.startPlatform(() -> {
            mu.lock();
            interrupted.set(Thread.currentThread().isInterrupted());
            mu.unlock();
        });
        awaitParked(w);
        w.interrupt();
        mu.unlock();
        w.join();
        assertTrue(interrupted.get());
        assertFalse(mu.isLocked());
    }

    // A timed tryLock times out cleanly and the mutex stays usable.
    @Test
    void timedTryLockTimesOutCleanly() throws InterruptedException {
        Mutex mu = new Mutex();
        mu.lock();
        AtomicBoolean got = new AtomicBoolean(true);
        Thread w = TestThreads.startPlatform(() -> {
            try {
                got.set(mu.tryLock(Duration.ofMillis(20)));
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        w.join();
        assertFalse(got.get());
        assertEquals(0, mu.waiterCount());
        assertFalse(mu.tryLock(0, TimeUnit.NANOSECONDS));
        mu.unlock();
        assertTrue(mu.tryLock(Duration.ZERO));
        mu.unlock();
        assertTrue(mu.tryLock(1, TimeUnit.MILLISECONDS));
        mu.unlock();
        assertFalse(mu.isLocked());
    }

    // Give-ups (time-outs, interrupts) racing with unlock never lose a wake-up: an
    // uninterruptible waiter queued behind them always gets the mutex.
    @Test
    void giveUpRacingUnlockLosesNoWakeUp() throws InterruptedException {
        Mutex mu = new Mutex();
        for (int round = 0; round < 300; round++) {
            mu.lock();
            CountDownLatch started = new CountDownLatch(2);
            AtomicInteger acquired = new AtomicInteger();
            Thread quitter = TestThreads.startPlatform(() -> {
                started.countDown();
                try {
                    if (mu.tryLock(50, TimeUnit.MICROSECONDS)) {
                        acquired.incrementAndGet();
                        mu.unlock();
                    }
                } catch (InterruptedException e) {
                    // gave up
                }
            });
            Thread interrupted = TestThreads.startPlatform(() -> {
                started.countDown();
                try {
                    mu.lockInterruptibly();
                    acquired.incrementAndGet();
                    mu.unlock();
                } catch (InterruptedException e) {
                    // gave up
                }
            });
            Thread steady = TestThreads.startPlatform(() -> {
                mu.lock();
                acquired.incrementAndGet();
                mu.unlock();
            });
            started.await();
            if ((round & 1) == 0) {
                interrupted.interrupt();
                mu.unlock();
            } else {
                mu.unlock();
                interrupted.interrupt();
            }
            quitter.join();
            interrupted.join();
            steady.join();      // a lost wake-up hangs here and fails by time-out
            assertTrue(acquired.get() >= 1);
            assertFalse(mu.isLocked(), mu.toString());
            assertEquals(0, mu.waiterCount(), mu.toString());
        }
    }

    // A waiter that waited over 1 ms gets the mutex by hand-off while another thread hammers
    // lock/unlock. Go's guarantee is about a millisecond; the 1 s bound only keeps a loaded CI
    // machine from failing it (ReentrantLock's non-fair mode is compared in
    // dev.gosync.bench.StarvationDemo, not here).
    @Test
    void hammeringThreadCannotStarveAWaiter() throws InterruptedException {
        Mutex mu = new Mutex();
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch hammering = new CountDownLatch(1);
        Thread hammer = TestThreads.startPlatform(() -> {
            long n = 0;
            while (!stop.get()) {
                mu.lock();
                mu.unlock();
                if (++n == 1000) {
                    hammering.countDown();
                }
            }
        });
        hammering.await();
        long worst = 0;
        for (int i = 0; i < 5; i++) {
            long t0 = System.nanoTime();
            mu.lock();
            long waited = System.nanoTime() - t0;
            mu.unlock();
            worst = Math.max(worst, waited);
        }
        stop.set(true);
        hammer.join();
        assertTrue(worst < TimeUnit.SECONDS.toNanos(1), "waiter starved for " + worst + " ns");
        assertFalse(mu.isLocked());
        assertEquals(0, mu.waiterCount());
    }

    // Long holds (over 1 ms) drive the mutex into starvation mode while waiters time out and
    // are interrupted around the hand-offs: exclusion holds and the mutex ends clean.
    @Test
    void starvationModeWithGiveUpsStaysConsistent() throws InterruptedException {
        Mutex mu = new Mutex();
        AtomicInteger inside = new AtomicInteger();
        AtomicBoolean overlap = new AtomicBoolean();
        AtomicBoolean sawStarving = new AtomicBoolean();
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < 6; t++) {
            int id = t;
            ts.add(TestThreads.startPlatform(() -> {
                java.util.Random r = new java.util.Random(id);
                for (int i = 0; i < 300; i++) {
                    boolean got;
                    try {
                        switch (r.nextInt(3)) {
                            case 0:
                                mu.lock();
                                got = true;
                                break;
                            case 1:
                                mu.lockInterruptibly();
                                got = true;
                                break;
                            default:
                                got = mu.tryLock(r.nextInt(3_000_000), TimeUnit.NANOSECONDS);
                                break;
                        }
                    } catch (InterruptedException e) {
                        got = false;
                    }
                    if (got) {
                        if (inside.incrementAndGet() != 1) {
                            overlap.set(true);
                        }
                        if (mu.isStarving()) {
                            sawStarving.set(true);
                        }
                        if (r.nextInt(15) == 0) {
                            long t0 = System.nanoTime();
                            while (System.nanoTime() - t0 < 1_500_000L) {
                                Thread.onSpinWait();    // hold past the starvation threshold
                            }
                        }
                        inside.decrementAndGet();
                        mu.unlock();
                    }
                }
                Thread.interrupted();
            }));
        }
        Thread interrupter = TestThreads.startPlatform(() -> {
            java.util.Random r = new java.util.Random(42);
            while (ts.stream().anyMatch(Thread::isAlive)) {
                ts.get(r.nextInt(ts.size())).interrupt();
                java.util.concurrent.locks.LockSupport.parkNanos(200_000L);
            }
        });
        joinAll(ts);
        interrupter.join();
        assertFalse(overlap.get(), "two holders at once");
        assertFalse(mu.isLocked(), mu.toString());
        assertFalse(mu.isStarving(), mu.toString());
        assertEquals(0, mu.waiterCount(), mu.toString());
        assertTrue(mu.tryLock());
        mu.unlock();
        // sawStarving is nearly always true here; not asserted, as a scheduler could avoid it.
    }

    // Mutex.newCondition returns a Cond bound to this mutex.
    @Test
    void newConditionIsABoundCond() {
        Mutex mu = new Mutex();
        Condition c = mu.newCondition();
        assertTrue(c instanceof Cond);
        assertSame(mu, ((Cond) c).locker());
    }

    // 10,000 virtual threads contend on one Mutex; every increment is counted.
    @Test
    void tenThousandVirtualThreads() throws InterruptedException {
        assumeTrue(TestThreads.virtualAvailable(), "virtual threads need JDK 21+");
        Mutex mu = new Mutex();
        long[] counter = {0};
        int n = 10_000;
        int each = 10;
        List<Thread> ts = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ts.add(TestThreads.startVirtual(() -> {
                for (int j = 0; j < each; j++) {
                    try (Locker.Held held = mu.locked()) {
                        counter[0]++;
                    }
                }
            }));
        }
        joinAll(ts);
        assertEquals((long) n * each, counter[0]);
        assertFalse(mu.isLocked());
        assertEquals(0, mu.waiterCount());
    }

    // The same on platform threads, sized for JDK 17 too; time-outs and interrupts mixed in.
    @Test
    void mixedWaitersKeepExactCounts() throws InterruptedException {
        Mutex mu = new Mutex();
        AtomicLong total = new AtomicLong();
        long[] counter = {0};
        List<Thread> ts = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            int id = i;
            ts.add(TestThreads.startPlatform(() -> {
                for (int j = 0; j < 2000; j++) {
                    try {
                        boolean got;
                        switch ((id + j) % 3) {
                            case 0:
                                mu.lock();
                                got = true;
                                break;
                            case 1:
                                mu.lockInterruptibly();
                                got = true;
                                break;
                            default:
                                got = mu.tryLock(10, TimeUnit.MICROSECONDS);
                                break;
                        }
                        if (got) {
                            counter[0]++;
                            total.incrementAndGet();
                            mu.unlock();
                        }
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                }
            }));
        }
        joinAll(ts);
        assertEquals(total.get(), counter[0]);
        assertFalse(mu.isLocked(), mu.toString());
        assertEquals(0, mu.waiterCount(), mu.toString());
    }
}
