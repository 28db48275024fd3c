package dev.gosync.internal;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class SpinTest {
    @Test
    void theHandOffBudgetHalvesOnParkAndIsRestoredBySuccess() {
        Assumptions.assumeTrue(Spin.MULTICORE, "nobody spins on one CPU");
        int b = Spin.HANDOFF;
        for (int i = 0; i < 20; i++) {
            b = Spin.adapt(b, false);
        }
        assertEquals(0, b, "repeated parks end the spinning");
        assertEquals(Spin.HANDOFF / 2, Spin.adapt(Spin.HANDOFF, false));
        assertEquals(Spin.HANDOFF, Spin.adapt(0, true), "one success restores the full budget");
        assertEquals(Spin.HANDOFF, Spin.polls(Spin.HANDOFF, 7));
        int full = 0;
        int min = 0;
        for (int w = 1; w <= 64; w++) {
            int p = Spin.polls(0, w);
            full += p == Spin.HANDOFF ? 1 : 0;
            min += p == Spin.HANDOFF_MIN ? 1 : 0;
        }
        assertEquals(4, full, "a reduced budget still probes fully once in 16 waits");
        assertEquals(60, min, "and polls at least HANDOFF_MIN otherwise");
        assertEquals(100, Spin.polls(100, 3));
    }

    @Test
    void aSpinningWaiterGrantedMeanwhileIsNotParkedAndSaysSo() throws Exception {
        Assumptions.assumeTrue(Spin.MULTICORE, "nobody spins on one CPU");
        WaitQueue q = new WaitQueue(this);
        Waiter[] box = new Waiter[1];
        int[] outcome = {-1};
        boolean[] polled = new boolean[1];
        java.util.concurrent.CountDownLatch linked = new java.util.concurrent.CountDownLatch(1);
        Thread t = new Thread(() -> {
            Waiter w = new Waiter();
            q.lock();
            q.add(w, false);
            q.unlock();
            box[0] = w;
            linked.countDown();
            outcome[0] = q.park(w, WaitMode.UNINTERRUPTIBLE, 0L, Integer.MAX_VALUE);
            polled[0] = w.grantedWhilePolling();
        });
        t.start();
        linked.await();
        q.lock();
        Node n = q.grantNext();
        q.unlock();
        assertSame(box[0], n);
        WaitQueue.wake(n);
        t.join();
        assertEquals(Waiter.GRANTED, outcome[0]);
        assertTrue(polled[0], "an unbounded poll ends only by the grant");
    }

    // A waiter marked willSpin() that then waits without polling (spins == 0) must clear the
    // mark before it parks: a waker that still saw it would skip the unpark, and this test
    // would hang (bounded by the join below).
    @Test
    void aMarkedWaiterThatDoesNotPollIsStillUnparked() throws Exception {
        WaitQueue q = new WaitQueue(this);
        int[] outcome = {-1};
        Thread t = new Thread(() -> {
            Waiter w = new Waiter();
            w.willSpin();
            q.lock();
            q.add(w, false);
            q.unlock();
            outcome[0] = q.park(w, WaitMode.TIMED, 30_000_000_000L, 0);
        });
        t.start();
        while (t.getState() != Thread.State.TIMED_WAITING) {
            Thread.onSpinWait();
        }
        q.lock();
        Node n = q.grantNext();
        q.unlock();
        WaitQueue.wake(n);
        t.join(20_000);
        assertFalse(t.isAlive(), "the grant's unpark was skipped");
        assertEquals(Waiter.GRANTED, outcome[0]);
    }

    // A timed poll that nobody grants times out (its clock is read lazily, at the first yield):
    // with an unbounded poll budget, only the clock can end it.
    @Test
    void aTimedPollNobodyGrantsTimesOut() {
        Assumptions.assumeTrue(Spin.MULTICORE, "nobody spins on one CPU");
        assertTimeoutPreemptively(java.time.Duration.ofSeconds(20), () -> {
            WaitQueue q = new WaitQueue(this);
            Waiter w = new Waiter();
            w.willSpin();
            q.lock();
            q.add(w, false);
            q.unlock();
            assertEquals(Waiter.TIMED_OUT,
                    q.park(w, WaitMode.TIMED, 1_000_000L, Integer.MAX_VALUE));
            assertFalse(w.grantedWhilePolling());
        });
    }
}
