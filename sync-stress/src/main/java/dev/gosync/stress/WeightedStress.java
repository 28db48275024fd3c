package dev.gosync.stress;

import dev.gosync.semaphore.Weighted;
import java.time.Duration;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;
import org.openjdk.jcstress.infra.results.ZZ_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * jcstress tests for {@link Weighted}. Every blocking acquire is bounded (10 s), so a lost
 * wake-up shows as a FORBIDDEN "timed out" outcome instead of hanging the run.
 */
public class WeightedStress {
    private static final Duration BOUND = Duration.ofSeconds(10);

    private WeightedStress() {
    }

    static boolean acquire(Weighted s, long n, Duration timeout) {
        try {
            return s.tryAcquire(n, timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * {@code release} happens-before the {@code acquire} it enables, whether the acquirer took
     * the fast path (the release came first) or queued and was handed the permit (it came
     * second): plain writes before the release are seen after the acquire, read in the
     * opposite order. The acquirer never misses the release (lost wake-up between the
     * lock-free release and the acquirer queueing itself).
     */
    @JCStressTest
    @Outcome(id = "1, 2, 1", expect = ACCEPTABLE, desc = "acquired and saw both writes")
    @Outcome(id = "0, .*", expect = FORBIDDEN, desc = "acquire timed out: lost wake-up")
    @Outcome(expect = FORBIDDEN, desc = "acquired without seeing writes before release()")
    @State
    public static class ReleaseHappensBeforeAcquire {
        final Weighted s = new Weighted(2);
        int x;
        int y;

        public ReleaseHappensBeforeAcquire() {
            s.acquireUninterruptibly(2);
        }

        @Actor
        public void actor1() {
            x = 1;
            y = 2;
            s.release(1);
        }

        @Actor
        public void actor2(III_Result r) {
            r.r1 = acquire(s, 1, BOUND) ? 1 : 0;
            r.r2 = y;
            r.r3 = x;
        }
    }

    /** Two actors {@code tryAcquire} the last permit: exactly one wins. */
    @JCStressTest
    @Outcome(id = {"true, false", "false, true"}, expect = ACCEPTABLE, desc = "exactly one wins")
    @Outcome(id = "true, true", expect = FORBIDDEN, desc = "both won: the permit was oversold")
    @Outcome(id = "false, false", expect = FORBIDDEN, desc = "neither won: a free permit lost")
    @State
    public static class TryAcquireLastPermit {
        final Weighted s = new Weighted(3);

        public TryAcquireLastPermit() {
            s.acquireUninterruptibly(2);
        }

        @Actor
        public void actor1(ZZ_Result r) {
            r.r1 = s.tryAcquire(1);
        }

        @Actor
        public void actor2(ZZ_Result r) {
            r.r2 = s.tryAcquire(1);
        }
    }

    /**
     * A large request at the head times out while a small request that fits queues behind it
     * (or comes after it left): the small request is always granted, never left asleep behind
     * a head that is gone (Go's lost wake-up when a cancelled head does not notify).
     */
    @JCStressTest
    @Outcome(id = "0, 1, 1", expect = ACCEPTABLE, desc = "head timed out; small one granted")
    @Outcome(id = "., 0, .", expect = FORBIDDEN, desc = "small request timed out: lost wake-up")
    @Outcome(expect = FORBIDDEN, desc = "over-admitted or permits lost")
    @State
    public static class HeadTimeoutWakesSmallerWaiter {
        final Weighted s = new Weighted(3);

        public HeadTimeoutWakesSmallerWaiter() {
            s.acquireUninterruptibly(2);
        }

        @Actor
        public void big(III_Result r) {
            r.r1 = acquire(s, 3, Duration.ofNanos(20_000)) ? 1 : 0;   // can never fit
        }

        @Actor
        public void small(III_Result r) {
            boolean got = acquire(s, 1, BOUND);
            r.r2 = got ? 1 : 0;
            r.r3 = got ? (int) s.held() - 2 : -1;
        }
    }
}
