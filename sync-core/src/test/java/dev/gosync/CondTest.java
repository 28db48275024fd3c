package dev.gosync;

import static dev.gosync.MutexTest.awaitParked;
import static dev.gosync.MutexTest.joinAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class CondTest {

    /** Spins until {@code c} has {@code n} enrolled waiters. */
    static void awaitWaiters(Cond c, int n) {
        while (c.waiters() != n) {
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    // await() releases L while waiting and holds it again when it returns.
    @Test
    void awaitReleasesAndReacquires() throws InterruptedException {
        Mutex mu = new Mutex();
        Cond c = new Cond(mu);
        AtomicBoolean heldOnReturn = new AtomicBoolean();
        Thread w = TestThreads.startPlatform(() -> {
            mu.lock();
            try {
                c.await();
                heldOnReturn.set(mu.isLocked());
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            } finally {
                mu.unlock();
            }
        });
        awaitWaiters(c, 1);
        mu.lock();      // possible only because await released it
        c.signal();
        awaitParked(w); // woken, now waiting for mu
        assertEquals(0, c.waiters());
        mu.unlock();
        w.join();
        assertTrue(heldOnReturn.get());
        assertFalse(mu.isLocked());
    }

    // signal() wakes waiters one at a time in the order they enrolled (Go's
    // TestCondSignalGenerations).
    @Test
    void signalWakesInEnrolmentOrder() throws InterruptedException {
        Mutex mu = new Mutex();
        Cond c = mu.newCondition();
        ConcurrentLinkedQueue<Integer> order = new ConcurrentLinkedQueue<>();
        List<Thread> ts = new ArrayList<>();
        int n = 6;
        for (int i = 0; i < n; i++) {
            int id = i;
            ts.add(TestThreads.startPlatform(() -> {
                mu.lock();
                try {
                    c.awaitUninterruptibly();
                    order.add(id);
                } finally {
                    mu.unlock();
                }
            }));
            awaitWaiters(c, i + 1);
        }
        for (int i = 0; i < n; i++) {
            c.signal();
            while (order.size() != i + 1) {
                Thread.onSpinWait();
            }
            assertEquals(n - i - 1, c.waiters(), "signal woke more than one waiter");
        }
        joinAll(ts);
        assertEquals(List.of(0, 1, 2, 3, 4, 5), new ArrayList<>(order));
    }

    // broadcast() wakes every waiter; signal with nobody waiting is a no-op.
    @Test
    void broadcastWakesAll() throws InterruptedException {
        Mutex mu = new Mutex();
        Cond c = new Cond(mu);
        c.signal();
        c.broadcast();
        AtomicInteger woken = new AtomicInteger();
        List<Thread> ts = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ts.add(TestThreads.startPlatform(() -> {
                try (Locker.Held h = mu.locked()) {
                    c.await();
                    woken.incrementAndGet();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }));
        }
        awaitWaiters(c, 5);
        c.broadcast();
        joinAll(ts);
        assertEquals(5, woken.get());
        assertEquals(0, c.waiters());
    }

    // A signal sent after the waiter released L but before it parked is not lost: the
    // waiter enrolled before releasing L. Many rounds of a ping-pong exercise that window.
    @Test
    void noLostWakeUpInPingPong() throws InterruptedException {
        Mutex mu = new Mutex();
        Cond c = new Cond(mu);
        int[] turn = {0};
        int rounds = 20_000;
        Thread other = TestThreads.startPlatform(() -> {
            for (int i = 0; i < rounds; i++) {
                try (Locker.Held h = mu.locked()) {
                    while (turn[0] != 1) {
                        c.awaitUninterruptibly();
                    }
                    turn[0] = 0;
                }
                c.signal();     // outside L, as Go allows
            }
        });
        for (int i = 0; i < rounds; i++) {
            try (Locker.Held h = mu.locked()) {
                while (turn[0] != 0) {
                    c.await();
                }
                turn[0] = 1;
                c.signal();
            }
        }
        other.join();
        assertEquals(0, c.waiters());
    }

    // No spurious wake-ups: every return of await() is matched by a signal.
    @Test
    void everyWakeUpHasASignal() throws InterruptedException {
        Mutex mu = new Mutex();
        Cond c = new Cond(mu);
        AtomicInteger returns = new AtomicInteger();
        List<Thread> ts = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ts.add(TestThreads.startPlatform(() -> {
                for (int j = 0; j < 200; j++) {
                    try (Locker.Held h = mu.locked()) {
                        c.awaitUninterruptibly();   // no loop on purpose: count raw returns
                        returns.incrementAndGet();
                    }
                }
            }));
        }
        int signals = 0;
        while (signals < 800) {
            if (c.waiters() > 0) {
                c.signal();
                signals++;
            } else {
                Thread.yield();
            }
        }
        joinAll(ts);
        assertEquals(800, returns.get());
    }

    // Interrupted while waiting: L is re-locked before InterruptedException reaches the caller.
    @Test
    void interruptedAwaitRelocksBeforeThrowing() throws InterruptedException {
        Mutex mu = new Mutex();
        Cond c = new Cond(mu);
        AtomicBoolean heldWhenThrown = new AtomicBoolean();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread w = TestThreads.startPlatform(() -> {
            mu.lock();
            try {
                c.await();
            } catch (InterruptedException e) {
                thrown.set(e);
                heldWhenThrown.set(mu.isLocked());
            } finally {
                mu.unlock();
            }
        });
        awaitWaiters(c, 1);
        mu.lock();
        w.interrupt();
        awaitWaiters(c, 0);     // left the list; now waits for mu
        awaitParked(w);
        assertEquals(null, thrown.get(), "threw before re-locking L");
        mu.unlock();
        w.join();
        assertTrue(thrown.get() instanceof InterruptedException);
        assertTrue(heldWhenThrown.get());
        assertFalse(mu.isLocked());
    }

    // A signal that races with an interrupt or time-out is never lost: it goes to the next
    // waiter if the first one gave up.
    @Test
    void signalRacingGiveUpIsPassedOn() throws InterruptedException {
        Mutex mu = new Mutex();
        Cond c = new Cond(mu);
        for (int round = 0; round < 300; round++) {
            AtomicInteger woken = new AtomicInteger();
            boolean interruptRound = (round & 1) == 0;
            Thread first = TestThreads.startPlatform(() -> {
                try (Locker.Held h = mu.locked()) {
                    if (interruptRound) {
                        c.await();
                        woken.incrementAndGet();
                    } else if (c.await(30, TimeUnit.MICROSECONDS)) {
                        woken.incrementAndGet();
                    }
                } catch (InterruptedException e) {
                    // gave up
                }
            });
            while (c.waiters() == 0 && first.isAlive()) {
                Thread.onSpinWait();    // first enrolled (or already timed out)
            }
            Thread second = TestThreads.startPlatform(() -> {
                try (Locker.Held h = mu.locked()) {
                    c.awaitUninterruptibly();
                    woken.incrementAndGet();
                }
            });
            // both enrolled (or the first already timed out and only the second is left)
            while (!(c.waiters() == 2 || (!first.isAlive() && c.waiters() == 1))) {
                Thread.onSpinWait();
            }
            if (interruptRound) {
                first.interrupt();
            }
            c.signal();
            first.join();
            if (woken.get() == 1) {
                c.signal();     // the first took the signal: release the second
            }
            second.join();      // a lost signal hangs here (test time-out)
            assertEquals(0, c.waiters());
        }
    }

    // Timed forms time out with L held again, and report false / no time left.
    @Test
    void timedAwaitsTimeOut() throws InterruptedException {
        Mutex mu = new Mutex();
        Cond c = new Cond(mu);
        try (Locker.Held h = mu.locked()) {
            assertFalse(c.await(Duration.ofMillis(5)));
            assertTrue(mu.isLocked());
            assertFalse(c.await(1, TimeUnit.MILLISECONDS));
            assertTrue(c.awaitNanos(1_000_000L) <= 0);
            assertFalse(c.awaitUntil(new Date(System.currentTimeMillis() + 2)));
            assertFalse(c.await(Duration.ZERO));
            assertTrue(c.awaitNanos(-1) <= 0);
            assertTrue(mu.isLocked());
        }
        assertEquals(0, c.waiters());
        assertFalse(mu.isLocked());
    }

    @Test
    void timedAwaitReturnsTrueWhenSignalled() throws InterruptedException {
        Mutex mu = new Mutex();
        Cond c = new Cond(mu);
        AtomicBoolean result = new AtomicBoolean();
        Thread w = TestThreads.startPlatform(() -> {
            try (Locker.Held h = mu.locked()) {
                result.set(c.await(Duration.ofMinutes(1)));
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        awaitWaiters(c, 1);
        c.signal();
        w.join();
        assertTrue(result.get());
    }

    // await without holding L fails in L's unlock and leaves the Cond untouched.
    @Test
    void awaitWithoutHoldingTheLockerThrows() {
        Mutex mu = new Mutex();
        Cond c = new Cond(mu);
        IllegalStateException e = assertThrows(IllegalStateException.class, c::await);
        assertEquals("sync: unlock of unlocked mutex", e.getMessage());
        assertThrows(IllegalStateException.class, c::awaitUninterruptibly);
        assertThrows(IllegalStateException.class, () -> c.await(Duration.ofSeconds(1)));
        assertEquals(0, c.waiters());
        assertFalse(mu.isLocked());
        assertThrows(NullPointerException.class, () -> new Cond(null));
    }

    @Test
    void interruptedOnEntryThrowsWithLockHeld() {
        Mutex mu = new Mutex();
        Cond c = new Cond(mu);
        mu.lock();
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, c::await);
        assertTrue(mu.isLocked());
        assertEquals(0, c.waiters());
        mu.unlock();
    }

    // Works with an RWMutex's rLocker and with a user Locker.
    @Test
    void worksWithRLockerAndUserLocker() throws InterruptedException {
        RWMutex rw = new RWMutex();
        Cond rc = new Cond(rw.rLocker());
        assertSame(rw.rLocker(), rc.locker());
        AtomicInteger done = new AtomicInteger();
        Thread reader = TestThreads.startPlatform(() -> {
            rw.rLock();
            rc.awaitUninterruptibly();
            done.incrementAndGet();
            rw.rUnlock();
        });
        awaitWaiters(rc, 1);
        rw.lock();      // the waiting reader released its read lock
        rw.unlock();
        rc.signal();
        reader.join();
        assertEquals(1, done.get());
        assertEquals(0, rw.readerCount());

        AtomicInteger locks = new AtomicInteger();
        Mutex inner = new Mutex();
        Locker user = new Locker() {
            @Override
            public void lock() {
                inner.lock();
                locks.incrementAndGet();
            }

            @Override
            public void unlock() {
                inner.unlock();
            }
        };
        Cond uc = new Cond(user);
        Thread w = TestThreads.startPlatform(() -> {
            try (Locker.Held h = user.locked()) {
                uc.awaitUninterruptibly();
            }
        });
        awaitWaiters(uc, 1);
        uc.broadcast();
        w.join();
        assertEquals(2, locks.get());
        assertFalse(inner.isLocked());
    }

    // 10,000 virtual threads wait on one Cond; a broadcast releases them all.
    @Test
    void tenThousandVirtualWaiters() throws InterruptedException {
        assumeTrue(TestThreads.virtualAvailable(), "virtual threads need JDK 21+");
        Mutex mu = new Mutex();
        Cond c = new Cond(mu);
        int n = 10_000;
        boolean[] ready = {false};
        AtomicInteger finished = new AtomicInteger();
        CountDownLatch enrolled = new CountDownLatch(n);
        List<Thread> ts = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ts.add(TestThreads.startVirtual(() -> {
                try (Locker.Held h = mu.locked()) {
                    enrolled.countDown();
                    while (!ready[0]) {
                        c.awaitUninterruptibly();
                    }
                    finished.incrementAndGet();
                }
            }));
        }
        enrolled.await();
        try (Locker.Held h = mu.locked()) {
            ready[0] = true;
        }
        c.broadcast();
        joinAll(ts);
        assertEquals(n, finished.get());
        assertEquals(0, c.waiters());
    }
}
