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
        s.release();
        s.release();
        assertEquals(2, s.permits());
        assertTrue(s.tryAcquire());
        assertTrue(s.tryAcquire());
        assertFalse(s.tryAcquire());
    }

    @Test
    void acquireTakesAFreePermitWithoutParking() throws InterruptedException {
        Sema s = new Sema();
        s.release();
        s.acquire(new Waiter(), false);
        s.release();
        assertEquals(Waiter.GRANTED, s.acquire(new Waiter(), true, WaitMode.INTERRUPTIBLE, 0L));
        s.release();
        assertEquals(Waiter.GRANTED, s.acquire(new Waiter(), false, WaitMode.TIMED, 0L));
        assertEquals(Waiter.TIMED_OUT, s.acquire(new Waiter(), false, WaitMode.TIMED, 0L));
        assertEquals(Waiter.TIMED_OUT, s.acquire(new Waiter(), false, WaitMode.TIMED, -5L));
        assertEquals(0, s.waiters());
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
                s.acquire(new Waiter(), false);
                order.add(id);
            }));
            awaitWaiters(s, i + 1);
        }
        for (int i = 0; i < 5; i++) {
            s.release();
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
            s.acquire(new Waiter(), false);
            order.add("a");
        });
        awaitWaiters(s, 1);
        Thread b = start(() -> {
            s.acquire(new Waiter(), true);
            order.add("b");
        });
        awaitWaiters(s, 2);
        s.release();
        b.join();
        s.release();
        a.join();
        assertEquals(List.of("b", "a"), new ArrayList<>(order));
    }

    // A release with a waiter queued grants the waiter; a barging tryAcquire gets nothing.
    @Test
    void releaseHandsThePermitToTheWaiter() throws InterruptedException {
        for (int round = 0; round < 2; round++) {
            Sema s = new Sema();
            Thread w = start(() -> s.acquire(new Waiter(), false));
            awaitWaiters(s, 1);
            s.release();
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
        assertEquals(Waiter.TIMED_OUT,
                s.acquire(new Waiter(), false, WaitMode.TIMED, TimeUnit.MILLISECONDS.toNanos(5)));
        assertEquals(0, s.waiters());
        s.release();
        assertEquals(1, s.permits());
        assertTrue(s.tryAcquire());
    }

    // An interrupted waiter leaves the queue, throws, and takes nothing.
    @Test
    void interruptLeavesTheQueueCleanly() throws InterruptedException {
        Sema s = new Sema();
        AtomicInteger outcome = new AtomicInteger(-1);
        AtomicBoolean statusAfter = new AtomicBoolean(true);
        Thread w = start(() -> {
            outcome.set(s.acquire(new Waiter(), false, WaitMode.INTERRUPTIBLE, 0L));
            statusAfter.set(Thread.currentThread().isInterrupted());
        });
        awaitWaiters(s, 1);
        w.interrupt();
        w.join();
        assertEquals(Waiter.INTERRUPTED, outcome.get());
        assertFalse(statusAfter.get(), "the caller throws InterruptedException: status cleared");
        assertEquals(0, s.waiters());
        s.release();
        assertEquals(1, s.permits());
    }

    // The interrupt check on entry is the caller's (each primitive has its own rule); with
    // the status set, a wait that must park ends at once, cancelled, and takes nothing.
    @Test
    void interruptedBeforeParkingEndsTheWaitAndTakesNothing() {
        Sema s = new Sema();
        Thread.currentThread().interrupt();
        assertEquals(Waiter.INTERRUPTED, s.acquire(new Waiter(), false, WaitMode.INTERRUPTIBLE, 0L));
        Thread.currentThread().interrupt();
        assertEquals(Waiter.INTERRUPTED, s.acquire(new Waiter(), false, WaitMode.TIMED, 1_000_000_000L));
        assertFalse(Thread.interrupted());
        assertEquals(0, s.waiters());
        s.release();
        assertEquals(1, s.permits());
    }

    // The uninterruptible acquire keeps waiting when interrupted and re-asserts the status.
    @Test
    void uninterruptibleAcquireKeepsTheInterruptStatus() throws InterruptedException {
        Sema s = new Sema();
        AtomicBoolean interruptedAfter = new AtomicBoolean();
        Thread w = start(() -> {
            s.acquire(new Waiter(), false);
            interruptedAfter.set(Thread.currentThread().isInterrupted());
        });
        awaitWaiters(s, 1);
        w.interrupt();
        s.release();
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
                int outcome = interruptRound
                        ? s.acquire(new Waiter(), false, WaitMode.INTERRUPTIBLE, 0L)
                        : s.acquire(new Waiter(), false, WaitMode.TIMED, 20_000L);
                if (outcome == Waiter.GRANTED) {
                    taken.incrementAndGet();
                }   // else gave up: took nothing
            });
            go.await();
            if (interruptRound) {
                w.interrupt();
            }
            s.release();
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
        s.release();
        s.release();
        List<Thread> ts = new ArrayList<>();
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger maxInside = new AtomicInteger();
        for (int t = 0; t < threads; t++) {
            ts.add(start(() -> {
                for (int i = 0; i < iterations; i++) {
                    s.acquire(new Waiter(), (i & 3) == 0);
                    int n = inside.incrementAndGet();
                    maxInside.accumulateAndGet(n, Math::max);
                    inside.decrementAndGet();
                    s.release();
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
    // A caller may link before it publishes its intent to sleep: a release in between is
    // granted to the linked waiter, so a barging tryAcquire (a newcomer) cannot take it.
    @Test
    void releaseBetweenEnqueueAndAwaitIsGrantedToTheLinkedWaiter() {
        Sema s = new Sema();
        Waiter w = new Waiter();
        assertFalse(s.enqueue(w, true));
        assertEquals(1, s.waiters());
        s.release();
        assertFalse(s.tryAcquire(), "a newcomer took the permit the linked waiter is owed");
        assertEquals(Waiter.GRANTED, s.await(w, WaitMode.UNINTERRUPTIBLE, 0L));
        assertEquals(0, s.permits());
        assertEquals(0, s.waiters());
    }

    @Test
    void enqueueTakesAFreePermitWithoutLinking() {
        Sema s = new Sema();
        s.release();
        assertTrue(s.enqueue(new Waiter(), false));
        assertEquals(0, s.waiters());
        assertEquals(0, s.permits());
    }

    // withdraw: true when no permit came (nothing taken, queue clean); false when a release
    // granted one first (the caller owns it: it is not also left free).
    @Test
    void withdrawEitherLeavesCleanlyOrOwnsTheGrant() {
        Sema s = new Sema();
        Waiter w = new Waiter();
        assertFalse(s.enqueue(w, false));
        assertTrue(s.withdraw(w));
        assertEquals(0, s.waiters());
        s.release();
        assertEquals(1, s.permits(), "a withdrawn waiter must not absorb a later release");

        Sema t = new Sema();
        Waiter v = new Waiter();
        assertFalse(t.enqueue(v, false));
        t.release();
        assertFalse(t.withdraw(v), "the grant came first: the caller owns the permit");
        assertEquals(0, t.permits());
        assertEquals(0, t.waiters());
    }

    // One waiter re-armed for sleep after sleep (Mutex reuses its node across re-queues).
    @Test
    void aWaiterIsReusableAfterAGrantAndAfterATimeout() throws InterruptedException {
        Sema s = new Sema();
        AtomicInteger rounds = new AtomicInteger();
        AtomicInteger timedOut = new AtomicInteger(-1);
        CountDownLatch first = new CountDownLatch(1);
        Thread t = start(() -> {
            Waiter w = new Waiter();
            timedOut.set(s.acquire(w, false, WaitMode.TIMED, 1_000L));
            first.countDown();
            for (int i = 0; i < 100; i++) {
                s.acquire(w, (i & 1) == 0);
                rounds.incrementAndGet();
            }
        });
        first.await();
        assertEquals(Waiter.TIMED_OUT, timedOut.get());
        for (int i = 0; i < 100; i++) {
            while (s.waiters() == 0 && rounds.get() == i) {
                Thread.onSpinWait();
            }
            s.release();
            while (rounds.get() == i) {
                Thread.onSpinWait();
            }
        }
        t.join();
        assertEquals(100, rounds.get());
        assertEquals(0, s.permits());
        assertEquals(0, s.waiters());
    }

    // A waiter linked in two queues at once (a select) is won through exactly one of them:
    // the other queue's waker skips it and its grant goes to the next waiter there.
    @Test
    void aWaiterInTwoQueuesIsWonExactlyOnce() throws InterruptedException {
        for (int round = 0; round < 2000; round++) {
            WaitQueue a = new WaitQueue(this);
            WaitQueue b = new WaitQueue(this);
            Waiter both = new Waiter();
            Node inA = both.link(1);
            Node inB = both.link(2);
            Waiter onlyB = new Waiter();
            a.lock();
            a.add(inA, false);
            a.unlock();
            b.lock();
            b.add(inB, false);
            b.add(onlyB, false);
            b.unlock();
            AtomicReference<Node> wonA = new AtomicReference<>();
            AtomicReference<Node> wonB = new AtomicReference<>();
            Thread ta = start(() -> wonA.set(grantNext(a)));
            Thread tb = start(() -> wonB.set(grantNext(b)));
            ta.join();
            tb.join();
            Node won = both.granted();
            assertTrue(won == inA || won == inB, "the select waiter must be won");
            if (won == inA) {
                assertEquals(inA, wonA.get());
                assertEquals(onlyB, wonB.get(), "b's grant skips the waiter won through a");
            } else {
                assertEquals(inB, wonB.get());
                assertEquals(null, wonA.get(), "a's grant finds nobody left");
            }
            assertEquals(won == inA ? 1 : 2, won.arg());
            assertEquals(both, won.waiter());
        }
    }

    private static Node grantNext(WaitQueue q) {
        q.lock();
        try {
            return q.grantNext();
        } finally {
            q.unlock();
        }
    }
    /** A waiter whose park loop fails with an error, as a runtime's park might (OOM). */
    private static final class FailingWaiter extends Waiter {
        final Runnable beforeFailing;

        FailingWaiter(Runnable beforeFailing) {
            this.beforeFailing = beforeFailing;
        }

        @Override
        boolean polls() {
            return true;
        }

        @Override
        boolean poll() {
            beforeFailing.run();
            throw new OutOfMemoryError("injected into the park loop");
        }
    }

    // An error escaping the park leaves no trace: the waiter is unlinked and takes nothing.
    @Test
    void anErrorInTheParkUnlinksTheWaiter() {
        Sema s = new Sema();
        Waiter w = new FailingWaiter(() -> { });
        assertThrows(OutOfMemoryError.class, () -> s.acquire(w, false));
        assertEquals(0, s.waiters(), "the failed waiter is still queued");
        s.release();
        assertEquals(1, s.permits(), "a release went to the failed waiter");
    }

    // An error escaping the park just after a release granted the waiter: the permit is
    // passed on (here: left free), not lost with the failing thread.
    @Test
    void anErrorInTheParkAfterAGrantPassesThePermitOn() {
        Sema s = new Sema();
        Waiter w = new FailingWaiter(s::release);
        assertThrows(OutOfMemoryError.class,
                () -> s.acquire(w, false, WaitMode.INTERRUPTIBLE, 0L));
        assertEquals(0, s.waiters());
        assertEquals(1, s.permits(), "the granted permit was lost with the error");
    }
}
