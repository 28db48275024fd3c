package dev.gosync.internal;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class SpinTest {
    @Test
    void theHandOffBudgetHalvesOnParkAndDoublesOnSuccessWithinItsBounds() {
        Assumptions.assumeTrue(Spin.MULTICORE, "nobody spins on one CPU");
        int b = Spin.HANDOFF;
        for (int i = 0; i < 20; i++) {
            b = Spin.adapt(b, false);
        }
        assertEquals(0, b, "repeated parks end the spinning");
        assertEquals(Spin.HANDOFF_MIN, Spin.adapt(0, true), "a success at the floor learns again");
        assertEquals(Spin.HANDOFF / 2, Spin.adapt(Spin.HANDOFF, false));
        assertEquals(Spin.HANDOFF, Spin.adapt(Spin.HANDOFF, true), "capped");
        b = Spin.HANDOFF_MIN;
        int steps = 0;
        while (b < Spin.HANDOFF) {
            b = Spin.adapt(b, true);
            steps++;
        }
        assertTrue(steps <= 10, "back to the full budget within a few successes: " + steps);
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
}
