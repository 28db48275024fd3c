package dev.gosync.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.gosync.Cond;
import dev.gosync.Mutex;
import java.time.Duration;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.I_Result;

/**
 * jcstress tests for {@link Cond}. The waiter's wait is bounded (5 s): a lost wake-up shows
 * as the FORBIDDEN outcome -1 instead of hanging the run.
 */
public class CondStress {
    private CondStress() {
    }

    static int awaitFlag(Mutex mu, Cond c, boolean[] flag, int[] data) {
        mu.lock();
        try {
            while (!flag[0]) {
                if (!c.await(Duration.ofSeconds(5))) {
                    return -1;
                }
            }
            return data[0];
        } catch (InterruptedException e) {
            return -2;
        } finally {
            mu.unlock();
        }
    }

    /**
     * signal() under the lock: the woken waiter sees the signaller's writes made under it.
     */
    @JCStressTest
    @Outcome(id = "42", expect = ACCEPTABLE, desc = "woken (or never waited) and saw the data")
    @Outcome(id = "0", expect = FORBIDDEN, desc = "saw the flag but not the data")
    @Outcome(id = "-1", expect = FORBIDDEN, desc = "lost wake-up: waited 5 s for a sent signal")
    @Outcome(id = "-2", expect = FORBIDDEN, desc = "interrupted")
    @State
    public static class SignalHappensBeforeWakeUp {
        final Mutex mu = new Mutex();
        final Cond c = new Cond(mu);
        final boolean[] flag = {false};
        final int[] data = {0};

        @Actor
        public void signaller() {
            mu.lock();
            data[0] = 42;
            flag[0] = true;
            c.signal();
            mu.unlock();
        }

        @Actor
        public void waiter(I_Result r) {
            r.r1 = awaitFlag(mu, c, flag, data);
        }
    }

    /**
     * signal() after unlocking L, racing a waiter that is between its unlock of L and its
     * park: the waiter enrolled before unlocking, so the signal still reaches it.
     */
    @JCStressTest
    @Outcome(id = "42", expect = ACCEPTABLE, desc = "woken (or never waited) and saw the data")
    @Outcome(id = "0", expect = FORBIDDEN, desc = "saw the flag but not the data")
    @Outcome(id = "-1", expect = FORBIDDEN,
            desc = "lost wake-up: signal between the waiter's unlock and park was dropped")
    @Outcome(id = "-2", expect = FORBIDDEN, desc = "interrupted")
    @State
    public static class SignalOutsideLockIsNotLost {
        final Mutex mu = new Mutex();
        final Cond c = new Cond(mu);
        final boolean[] flag = {false};
        final int[] data = {0};

        @Actor
        public void signaller() {
            mu.lock();
            data[0] = 42;
            flag[0] = true;
            mu.unlock();
            c.signal();
        }

        @Actor
        public void waiter(I_Result r) {
            r.r1 = awaitFlag(mu, c, flag, data);
        }
    }
}
