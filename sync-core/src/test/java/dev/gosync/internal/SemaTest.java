package dev.gosync.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class SemaTest {

    /** Spins until {@code sema} has {@code n} parked waiters (bounded by the test time-out). */
    static void awaitWaiters(Sema sema, int n) {
        while (sema.waiters() != n) {
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    static Thread start(Runnable r) {
        Thread t = new Thread(r);
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Test
    void releaseWithoutWaitersLeavesAFreePermit() {
        Sema s = new Sema();
        assertFalse(s.tryAcquire());
        s.release(false);
        s.release(true);
        assertEquals(2, s.permits());
        assertTrue(s.tryAcquire());
        assertTrue(s.tryAcquire());
        assertFalse(s.tryAcquire());
    }

    @Test
    void acquireTakesAFreePermitWithoutParking() throws InterruptedException {
        Sema s = new Sema();
        s.release(false);
        s.acquire(false);
        s.release(false);
        s.acquireInterruptibly(true);
        s.release(false);
        assertTrue(s.acquireNanos(false, 0L));
        assertFalse(s.acquireNanos(false, 0L));
        assertFalse(s.acquireNanos(false, -5L));
    }

    // Waiters are served in the order they queued.
    @Test
    void waitersAreServedFifo() throws InterruptedException {
        Sema s = new Sema();
        ConcurrentLinkedQueue<Integer> order = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int id = i;
            threads.add(start(() -> {
                s.acquire(false);
                order.add(id);
            }));
            awaitWaiters(s, i + 1);
        }
        for (int i = 0; i < 5; i++) {
            s.release(false);
            while (order.size() != i + 1) {
                Thread.onSpinWait();
            }
        }
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(List.of(0, 1, 2, 3, 4), new ArrayList<>(order));
    }

    // A lifo waiter goes to the front of the queue (Go's re-queue of a woken waiter).
    @Test
    void lifoWaiterIsServedFirst() throws InterruptedException {
        Sema s = new Sema();
        ConcurrentLinkedQueue<String> order = new ConcurrentLinkedQueue<>();
        Thread a = start(() -> {
            s.acquire(false);
            order.add("a");
        });
        awaitWaiters(s, 1);
        Thread b = start(() -> {
            s.acquire(true);
            order.add("b");
        });
        awaitWaiters(s, 2);
        s.release(false);
        b.join();
        s.release(false);
        a.join();
        assertEquals(List.of("b", "a"), new ArrayList<>(order));
    }

    // A release with a waiter queued grants the waiter; a barging tryAcquire gets nothing.
    @Test
    void releaseHandsThePermitToTheWaiter() throws InterruptedException {
        for (boolean handoff : new boolean[] {false, true}) {
            Sema s = new Sema();
            Thread w = start(() -> s.acquire(false));
            awaitWaiters(s, 1);
            s.release(handoff);
            assertFalse(s.tryAcquire(), "permit stolen from the queued waiter");
            w.join();
            assertEquals(0, s.permits());
            assertEquals(0, s.waiters());
        }
    }

    // A timed-out waiter leaves the queue and takes nothing; the next release is free.
    @Test
    void timeoutLeavesTheQueueCleanly() throws InterruptedException {
        Sema s = new Sema();
        assertFalse(s.acquireNanos(false, TimeUnit.MILLISECONDS.toNanos(5)));
        assertEquals(0, s.waiters());
        s.release(false);
        assertEquals(1, s.permits());
        assertTrue(s.tryAcquire());
    }

    // An interrupted waiter leaves the queue, throws, and takes nothing.
    @Test
    void interruptLeavesTheQueueCleanly() throws InterruptedException {
        Sema s = new Sema();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread w = start(() -> {
            try {
                s.acquireInterruptibly(false);
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        awaitWaiters(s, 1);
        w.interrupt();
        w.join();
        assertTrue(thrown.get() instanceof InterruptedException);
        assertEquals(0, s.waiters());
        s.release(false);
        assertEquals(1, s.permits());
    }

    @Test
    void interruptedBeforeCallThrowsAndTakesNothing() {
        Sema s = new Sema();
        s.release(false);
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> s.acquireInterruptibly(false));
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> s.acquireNanos(false, 1000L));
        assertEquals(1, s.permits());
    }

    // The uninterruptible acquire keeps waiting when interrupted and re-asserts the status.
    @Test
    void uninterruptibleAcquireKeepsTheInterruptStatus() throws InterruptedException {
        Sema s = new Sema();
        AtomicBoolean interruptedAfter = new AtomicBoolean();
        Thread w = start(() -> {
            s.acquire(false);
            interruptedAfter.set(Thread.currentThread().isInterrupted());
        });
        awaitWaiters(s, 1);
        w.interrupt();
        s.release(false);
        w.join();
        assertTrue(interruptedAfter.get());
        assertEquals(0, s.permits());
    }

    // Releases racing with time-outs and interrupts: every permit is either taken or still free.
    @Test
    void noPermitIsLostWhenReleaseRacesGiveUp() throws InterruptedException {
        Sema s = new Sema();
        int rounds = 2000;
        AtomicInteger taken = new AtomicInteger();
        for (int i = 0; i < rounds; i++) {
            CountDownLatch go = new CountDownLatch(1);
            boolean interruptRound = (i & 1) == 0;
            Thread w = start(() -> {
                go.countDown();
                try {
                    if (interruptRound) {
                        s.acquireInterruptibly(false);
                        taken.incrementAndGet();
                    } else if (s.acquireNanos(false, 20_000L)) {
                        taken.incrementAndGet();
                    }
                } catch (InterruptedException e) {
                    // gave up: took nothing
                }
            });
            go.await();
            if (interruptRound) {
                w.interrupt();
            }
            s.release(false);
            w.join();
            assertEquals(0, s.waiters());
        }
        assertEquals(rounds, taken.get() + s.permits(), "a permit was lost");
    }

    // Many threads pass permits around; the count is conserved exactly.
    @Test
    void manyThreadsConservePermits() throws InterruptedException {
        Sema s = new Sema();
        int threads = 8;
        int iterations = 5_000;
        s.release(false);
        s.release(false);
        List<Thread> ts = new ArrayList<>();
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger maxInside = new AtomicInteger();
        for (int t = 0; t < threads; t++) {
            ts.add(start(() -> {
                for (int i = 0; i < iterations; i++) {
                    s.acquire((i & 3) == 0);
                    int n = inside.incrementAndGet();
                    maxInside.accumulateAndGet(n, Math::max);
                    inside.decrementAndGet();
                    s.release((i & 1) == 0);
                }
            }));
        }
        for (Thread t : ts) {
            t.join();
        }
        assertTrue(maxInside.get() <= 2, "more holders than permits: " + maxInside.get());
        assertEquals(2, s.permits());
        assertEquals(0, s.waiters());
    }
}
