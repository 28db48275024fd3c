package dev.gosync.semaphore;

import dev.gosync.TestThreads;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Behaviour of {@link Weighted}: Go's semaphore_test.go scenarios and FIFO hand-off. */
class WeightedTest {
    private static final long BOUND_SECONDS = 30;

    /** Waits (bounded) until {@code n} requests are queued on {@code s}. */
    static void awaitQueued(Weighted s, int n) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(BOUND_SECONDS);
        while (s.queueLength() != n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("expected " + n + " queued, have " + s.queueLength());
            }
            Thread.yield();
        }
    }

    /** Waits until {@code n} are queued; false if {@code head} left the queue first. */
    private static boolean queuedWhileAlive(Weighted s, int n, Thread head) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(BOUND_SECONDS);
        while (s.queueLength() < n && head.isAlive() && System.nanoTime() < deadline) {
            Thread.yield();
        }
        return s.queueLength() >= n && head.isAlive();
    }

    /** Starts a thread that runs {@code body} and records what it threw. */
    private static Thread start(AtomicReference<Throwable> failure, ThrowingRunnable body) {
        return TestThreads.startPlatform(() -> {
            try {
                body.run();
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        });
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    private static void join(Thread t) throws InterruptedException {
        t.join(TimeUnit.SECONDS.toMillis(BOUND_SECONDS));
        assertFalse(t.isAlive(), "thread still blocked: lost wake-up?");
    }

    // Go: TestWeighted + HammerWeighted. Weights 1..n hammer a semaphore of size n.
    @Test
    void weightedAcquireReleaseUnderManyThreads() throws Exception {
        int n = 4;
        int loops = 2_000;
        Weighted s = new Weighted(n);
        AtomicLong inUse = new AtomicLong();
        AtomicLong maxInUse = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            long weight = i;
            threads.add(start(failure, () -> {
                for (int j = 0; j < loops; j++) {
                    s.acquire(weight);
                    long now = inUse.addAndGet(weight);
                    maxInUse.accumulateAndGet(now, Math::max);
                    inUse.addAndGet(-weight);
                    s.release(weight);
                }
            }));
        }
        for (Thread t : threads) {
            join(t);
        }
        assertNull(failure.get());
        assertTrue(maxInUse.get() <= n, "over-admitted: " + maxInUse.get());
        assertEquals(0, s.held());
        assertTrue(s.tryAcquire(n), "all permits free again");
    }

    // Go: TestWeightedTryAcquire.
    @Test
    void tryAcquireSucceedsOnlyWhileFree() throws Exception {
        Weighted s = new Weighted(2);
        s.acquire(1);
        assertTrue(s.tryAcquire(1));
        assertFalse(s.tryAcquire(1));
        s.release(1);
        s.release(1);
        assertTrue(s.tryAcquire(1));
        assertFalse(s.tryAcquire(2));
        assertEquals(1, s.held());
    }

    // Go: TestWeightedAcquire (timeouts in place of contexts).
    @Test
    void timedAcquireFailsWhileFullAndLeavesSemaphoreUnchanged() throws Exception {
        Weighted s = new Weighted(2);
        assertTrue(s.tryAcquire(1, Duration.ofSeconds(1)));
        assertFalse(s.tryAcquire(2, Duration.ofMillis(10)));
        assertEquals(1, s.held());
        assertEquals(0, s.queueLength());
        assertFalse(s.tryAcquire(2, Duration.ZERO));
        assertFalse(s.tryAcquire(2, Duration.ofSeconds(-1)));
        assertTrue(s.tryAcquire(1, Duration.ZERO));
        s.release(2);
        assertTrue(s.tryAcquire(2, Duration.ofDays(365 * 1000)));   // overflowing nanos
    }

    // A timed waiter is served by a release that comes while it waits.
    @Test
    void timedAcquireIsServedByRelease() throws Exception {
        Weighted s = new Weighted(3);
        s.acquire(3);
        AtomicBoolean got = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = start(failure, () -> got.set(s.tryAcquire(2, Duration.ofMinutes(1))));
        awaitQueued(s, 1);
        s.release(2);
        join(t);
        assertNull(failure.get());
        assertTrue(got.get());
        assertEquals(3, s.held());
    }

    // Go: TestLargeAcquireDoesntStarve. Small holders churn; the large request still gets in.
    @Test
    void largeAcquireIsNotStarvedBySmallOnes() throws Exception {
        int n = 4;
        Weighted s = new Weighted(n);
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch started = new CountDownLatch(n);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            threads.add(start(failure, () -> {
                started.countDown();
                while (running.get()) {
                    s.acquire(1);
                    s.release(1);
                }
            }));
        }
        started.await();
        assertTrue(s.tryAcquire(n, Duration.ofSeconds(BOUND_SECONDS)), "large request starved");
        running.set(false);
        s.release(n);
        for (Thread t : threads) {
            join(t);
        }
        assertNull(failure.get());
        assertEquals(0, s.held());
    }

    // A large waiter at the head blocks a smaller later waiter, even though it would fit.
    @Test
    void largeWaiterAtHeadBlocksSmallerLaterWaiters() throws Exception {
        Weighted s = new Weighted(2);
        s.acquire(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch bigIn = new CountDownLatch(1);
        CountDownLatch smallIn = new CountDownLatch(1);
        Thread big = start(failure, () -> {
            s.acquire(2);
            bigIn.countDown();
        });
        awaitQueued(s, 1);
        assertFalse(s.tryAcquire(1), "tryAcquire barged past a queued request");
        Thread small = start(failure, () -> {
            s.acquire(1);
            smallIn.countDown();
        });
        awaitQueued(s, 2);
        assertEquals(1, s.held(), "the small waiter jumped the queue");
        s.release(1);                       // now 2 free: the head is served, not the small one
        join(big);
        assertTrue(bigIn.await(0, TimeUnit.SECONDS));
        assertEquals(2, s.held());
        assertEquals(1, s.queueLength());
        s.release(2);
        join(small);
        assertNull(failure.get());
        assertEquals(1, s.held());
        assertEquals(0, s.queueLength());
    }

    // Go: TestAllocCancelDoesntStarve. Interrupting the head wakes the smaller waiter behind it.
    @Test
    void interruptOfHeadWaiterWakesSmallerWaitersBehind() throws Exception {
        Weighted s = new Weighted(10);
        s.acquire(1);
        AtomicReference<Throwable> bigFailure = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread big = start(bigFailure, () -> s.acquire(10));
        awaitQueued(s, 1);
        Thread small = start(failure, () -> s.acquire(1));
        awaitQueued(s, 2);
        big.interrupt();
        join(big);
        join(small);
        assertTrue(bigFailure.get() instanceof InterruptedException, "" + bigFailure.get());
        assertNull(failure.get());
        assertEquals(2, s.held());
        assertEquals(0, s.queueLength());
        assertTrue(s.tryAcquire(8), "the semaphore is consistent: 8 free, no one queued");
    }

    // The timeout of the head waiter wakes the smaller waiters behind it that now fit.
    @Test
    void timeoutOfHeadWaiterWakesSmallerWaitersBehind() throws Exception {
        // The head's timeout must fire after the others queued behind it; with no clock
        // control, retry with a longer timeout when it fired too early (an inconclusive run).
        for (long millis = 100; ; millis *= 4) {
            if (timeoutOfHeadAttempt(millis)) {
                return;
            }
            assertTrue(millis < 60_000, "could never queue three threads before the timeout");
        }
    }

    private static boolean timeoutOfHeadAttempt(long millis) throws Exception {
        Weighted s = new Weighted(10);
        s.acquire(5);
        AtomicBoolean bigGot = new AtomicBoolean(true);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicReference<Throwable> tooLargeFailure = new AtomicReference<>();
        Thread big = start(failure, () -> bigGot.set(s.tryAcquire(10, Duration.ofMillis(millis))));
        awaitQueued(s, 1);
        // Queue the three in a known order (each joins before the next starts): FIFO means a
        // waiter that arrived behind tooLarge would rightly stay queued behind it.
        Thread small1 = start(failure, () -> s.acquire(2));
        boolean conclusive = queuedWhileAlive(s, 2, big);
        Thread small2 = start(failure, () -> s.acquire(3));
        conclusive = conclusive && queuedWhileAlive(s, 3, big);
        Thread tooLarge = start(tooLargeFailure, () -> s.acquire(4));
        conclusive = conclusive && queuedWhileAlive(s, 4, big) && s.queueLength() == 4;
        join(big);
        if (conclusive) {
            join(small1);
            join(small2);
        }
        tooLarge.interrupt();
        small1.interrupt();
        small2.interrupt();
        join(tooLarge);
        join(small1);
        join(small2);
        if (!conclusive) {
            return false;
        }
        assertNull(failure.get());
        assertFalse(bigGot.get());
        assertTrue(tooLargeFailure.get() instanceof InterruptedException);
        assertEquals(10, s.held());
        assertEquals(0, s.queueLength());
        return true;
    }

    // An interrupt racing the grant never loses permits: the waiter either keeps them (and
    // returns with its interrupt status set) or throws and leaves them in the semaphore.
    @Test
    void interruptRacingGrantNeverLosesPermits() throws Exception {
        for (int i = 0; i < 300; i++) {
            Weighted s = new Weighted(1);
            s.acquire(1);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicBoolean kept = new AtomicBoolean();
            AtomicBoolean interruptSet = new AtomicBoolean();
            Thread t = start(failure, () -> {
                s.acquire(1);
                kept.set(true);
                interruptSet.set(Thread.currentThread().isInterrupted());
            });
            awaitQueued(s, 1);
            if ((i & 1) == 0) {
                t.interrupt();
                s.release(1);
            } else {
                s.release(1);
                t.interrupt();
            }
            join(t);
            if (kept.get()) {
                assertNull(failure.get());
                assertEquals(1, s.held(), "granted permits kept");
                assertTrue(interruptSet.get() || (i & 1) == 1, "interrupt swallowed");
            } else {
                assertTrue(failure.get() instanceof InterruptedException, "" + failure.get());
                assertEquals(0, s.held(), "the permit went back to the semaphore");
            }
            assertEquals(0, s.queueLength());
        }
    }

    // A timeout racing the grant never loses permits either.
    @Test
    void timeoutRacingGrantNeverLosesPermits() throws Exception {
        for (int i = 0; i < 300; i++) {
            Weighted s = new Weighted(2);
            s.acquire(2);
            AtomicBoolean got = new AtomicBoolean();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            long nanos = 1_000 + (i % 50) * 2_000;
            Thread t = start(failure, () -> got.set(s.tryAcquire(2, Duration.ofNanos(nanos))));
            s.release(2);
            join(t);
            assertNull(failure.get());
            assertEquals(got.get() ? 2 : 0, s.held());
            assertEquals(0, s.queueLength());
        }
    }

    // A release that finds the head cancelled drops it and, with the queue now empty, clears
    // QUEUED: from then on the fast paths race. The cancelled waiter's own clean-up must then
    // leave the state word alone, or it overwrites a fast-path acquire or release. A third
    // thread churns the fast paths through that window; the count must stay exact.
    @Test
    void cancelledHeadCleanUpRacingFastPathsKeepsTheCountExact() throws Exception {
        for (int i = 0; i < 300; i++) {
            Weighted s = new Weighted(3);
            s.acquire(3);
            AtomicBoolean got = new AtomicBoolean();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            long nanos = 1_000 + (i % 50) * 2_000;
            Thread waiter = start(failure, () -> got.set(s.tryAcquire(2, Duration.ofNanos(nanos))));
            Thread churn = start(failure, () -> {
                while (!stop.get()) {
                    if (s.tryAcquire(1)) {
                        s.release(1);
                    }
                }
            });
            s.release(2);   // held 1: the waiter fits, or has given up
            join(waiter);
            stop.set(true);
            join(churn);
            assertNull(failure.get());
            assertEquals(got.get() ? 3 : 1, s.held(), s.toString());
            assertEquals(0, s.queueLength());
            assertFalse(s.toString().contains("queued"), s.toString());
        }
    }

    // Waiters are served in arrival order.
    @Test
    void waitersAreServedInArrivalOrder() throws Exception {
        Weighted s = new Weighted(1);
        s.acquire(1);
        BlockingQueue<Integer> order = new LinkedBlockingQueue<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int id = i;
            threads.add(start(failure, () -> {
                s.acquire(1);
                order.add(id);
            }));
            awaitQueued(s, i + 1);
        }
        for (int i = 0; i < 5; i++) {
            s.release(1);
            Integer served = order.poll(BOUND_SECONDS, TimeUnit.SECONDS);
            assertEquals(i, served);
        }
        for (Thread t : threads) {
            join(t);
        }
        assertNull(failure.get());
        assertEquals(1, s.held());
    }

    // A release of several permits serves every head waiter that fits, in one go.
    @Test
    void releaseServesEveryHeadWaiterThatFits() throws Exception {
        Weighted s = new Weighted(6);
        s.acquire(6);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread a = start(failure, () -> s.acquire(2));
        awaitQueued(s, 1);
        Thread b = start(failure, () -> s.acquire(3));
        awaitQueued(s, 2);
        Thread c = start(failure, () -> s.acquire(4));
        awaitQueued(s, 3);
        s.release(6);
        join(a);
        join(b);
        assertEquals(5, s.held());
        assertEquals(1, s.queueLength());
        s.release(5);
        join(c);
        assertNull(failure.get());
        assertEquals(4, s.held());
    }

    // Go 0.7.0 / j.u.c.: a pending interrupt fails acquire even when permits are free.
    @Test
    void interruptedOnEntryThrowsEvenWhenFree() {
        Weighted s = new Weighted(1);
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> s.acquire(1));
        assertFalse(Thread.currentThread().isInterrupted());
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> s.tryAcquire(1, Duration.ofSeconds(1)));
        assertEquals(0, s.held());
    }

    // acquireUninterruptibly keeps waiting when interrupted and returns with the status set.
    @Test
    void uninterruptibleAcquireIgnoresInterrupt() throws Exception {
        Weighted s = new Weighted(1);
        s.acquire(1);
        AtomicBoolean interruptedAfter = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = start(failure, () -> {
            s.acquireUninterruptibly(1);
            interruptedAfter.set(Thread.currentThread().isInterrupted());
        });
        awaitQueued(s, 1);
        t.interrupt();
        assertEquals(1, s.queueLength(), "the interrupt must not dequeue an uninterruptible wait");
        s.release(1);
        join(t);
        assertNull(failure.get());
        assertTrue(interruptedAfter.get());
        assertEquals(1, s.held());
    }

    // Go: n == 0 succeeds at once unless someone is queued, then it queues FIFO.
    @Test
    void zeroWeightRequestsFollowFifoToo() throws Exception {
        Weighted s = new Weighted(1);
        assertTrue(s.tryAcquire(0));
        s.acquire(1);
        assertTrue(s.tryAcquire(0));
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread big = start(failure, () -> s.acquire(1));
        awaitQueued(s, 1);
        assertFalse(s.tryAcquire(0));
        Thread zero = start(failure, () -> s.acquire(0));
        awaitQueued(s, 2);
        s.release(1);
        join(big);
        join(zero);
        assertNull(failure.get());
        assertEquals(1, s.held());
    }

    // Exact permit accounting after 10,000 (virtual) threads churn with mixed weights and forms.
    @Test
    void exactAccountingAfterTenThousandThreadsChurn() throws Exception {
        int count = TestThreads.virtualAvailable() ? 10_000 : 1_000;
        long size = 7;
        Weighted s = new Weighted(size);
        AtomicLong inUse = new AtomicLong();
        AtomicLong maxInUse = new AtomicLong();
        AtomicInteger timedOut = new AtomicInteger();
        AtomicInteger served = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(count);
        for (int i = 0; i < count; i++) {
            long weight = 1 + i % 4;
            int form = i % 3;
            TestThreads.startVirtual(() -> {
                try {
                    boolean got = true;
                    if (form == 0) {
                        s.acquire(weight);
                    } else if (form == 1) {
                        s.acquireUninterruptibly(weight);
                    } else {
                        got = s.tryAcquire(weight, Duration.ofNanos(200_000));
                    }
                    if (got) {
                        long now = inUse.addAndGet(weight);
                        maxInUse.accumulateAndGet(now, Math::max);
                        Thread.yield();
                        inUse.addAndGet(-weight);
                        served.incrementAndGet();
                        s.release(weight);
                    } else {
                        timedOut.incrementAndGet();
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                } finally {
                    done.countDown();
                }
            });
        }
        assertTrue(done.await(BOUND_SECONDS * 3, TimeUnit.SECONDS), "lost wake-up");
        assertNull(failure.get());
        assertEquals(count, served.get() + timedOut.get());
        assertTrue(maxInUse.get() <= size, "over-admitted: " + maxInUse.get());
        assertEquals(0, s.held());
        assertEquals(0, s.queueLength());
        assertTrue(s.tryAcquire(size), "every permit came back");
    }

    // The string form names the permits held and the size.
    @Test
    void toStringShowsHeldAndSize() {
        Weighted s = new Weighted(10);
        s.acquireUninterruptibly(3);
        assertEquals("Weighted[held=3/10]", s.toString());
        assertEquals(10, s.size());
    }
}
