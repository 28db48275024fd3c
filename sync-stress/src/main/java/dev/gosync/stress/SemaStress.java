package dev.gosync.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.gosync.internal.Node;
import dev.gosync.internal.Sema;
import dev.gosync.internal.WaitQueue;
import dev.gosync.internal.Waiter;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;
import org.openjdk.jcstress.infra.results.I_Result;

/**
 * jcstress tests for {@code dev.gosync.internal}: Sema, the queue every lock sleeps on, and the
 * Waiter decision that a select will race on.
 */
public class SemaStress {
    private SemaStress() {
    }

    /**
     * A plain write before release() is seen after the acquire() that takes that permit,
     * whether the acquirer found a free permit or was granted it while parked.
     */
    @JCStressTest
    @Outcome(id = "42", expect = ACCEPTABLE, desc = "acquirer saw the releaser's write")
    @Outcome(id = "0", expect = FORBIDDEN,
            desc = "acquire returned without the write: release does not happen-before it")
    @State
    public static class ReleaseHappensBeforeAcquire {
        final Sema sema = new Sema();
        int data;

        @Actor
        public void releaser() {
            data = 42;
            sema.release();
        }

        @Actor
        public void acquirer(I_Result r) {
            sema.acquire(new Waiter(), false);
            r.r1 = data;
        }
    }

    /**
     * A waiter linked in two queues at once (a select over two channels) is granted through
     * exactly one of them; the other queue's waker skips it and grants its next waiter.
     * r1: a's waker granted the select waiter (1) or nobody (0); r2: b's waker granted the
     * select waiter (1) or the waiter behind it (2); r3: which place won, per the waiter.
     */
    @JCStressTest
    @Outcome(id = "1, 2, 1", expect = ACCEPTABLE, desc = "won through a; b's waker went on")
    @Outcome(id = "0, 1, 2", expect = ACCEPTABLE, desc = "won through b; a found nobody left")
    @Outcome(expect = FORBIDDEN, desc = "won twice, not at all, or a grant lost")
    @State
    public static class WaiterInTwoQueuesIsWonOnce {
        final WaitQueue a = new WaitQueue(this);
        final WaitQueue b = new WaitQueue(this);
        final Waiter select = new Waiter();
        final Node inA = select.link(1);
        final Node inB = select.link(2);
        final Waiter behind = new Waiter();

        public WaiterInTwoQueuesIsWonOnce() {
            a.add(inA, false);      // no other thread sees the queues yet: no lock needed
            b.add(inB, false);
            b.add(behind, false);
        }

        @Actor
        public void wakerOfA(III_Result r) {
            Node n = grantNext(a);
            r.r1 = n == inA ? 1 : n == null ? 0 : -1;
        }

        @Actor
        public void wakerOfB(III_Result r) {
            Node n = grantNext(b);
            r.r2 = n == inB ? 1 : n == behind ? 2 : -1;
        }

        @Arbiter
        public void arbiter(III_Result r) {
            Node won = select.granted();
            r.r3 = won == null ? 0 : (int) won.arg();
        }

        private static Node grantNext(WaitQueue q) {
            q.lock();
            try {
                return q.grantNext();
            } finally {
                q.unlock();
            }
        }
    }
}
