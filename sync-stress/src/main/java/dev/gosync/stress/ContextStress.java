package dev.gosync.stress;

import dev.gosync.context.CancelContext;
import dev.gosync.context.Context;
import dev.gosync.context.ContextDoneException;
import dev.gosync.semaphore.Weighted;
import java.time.Duration;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;
import org.openjdk.jcstress.infra.results.IIII_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * jcstress tests for {@link Context}: the cancel's happens-before edges, and a cancel racing a
 * {@link Weighted#acquire(Context, long)} grant. Every wait is bounded (10 s) or ended by the
 * other actor's cancel, so a lost wake-up shows as a FORBIDDEN outcome instead of a hang.
 */
public class ContextStress {
    private static final Duration BOUND = Duration.ofSeconds(10);

    private ContextStress() {
    }

    /** 1: acquire(ctx, 1) kept the permit; 0: it failed with the context done; 2: other. */
    static int acquire(Weighted s, Context ctx) {
        try {
            s.acquire(ctx, 1);
            return 1;
        } catch (ContextDoneException e) {
            return 0;
        } catch (Throwable t) {
            return 2;
        }
    }

    /** The arbiter of an acquire(ctx) race: outcome, permits held, and whether one is free. */
    static void account(Weighted s, int acquired, III_Result r) {
        r.r1 = acquired;
        r.r2 = (int) s.held();
        if (acquired == 1) {
            s.release(1);
        }
        r.r3 = s.tryAcquire(1) ? 1 : 0;
    }

    /**
     * Cancel happens-before a receive from done() that returns because done() was closed, and
     * before err() returns non-null: plain writes before cancel() are seen after the receive,
     * read in the opposite order. The receiver asks for done() itself, racing the cancel, so
     * the lazy creation of the channel (or the shared closed one) is in the race too.
     */
    @JCStressTest
    @Outcome(id = "1, 1, 2, 1", expect = ACCEPTABLE, desc = "woken by the close; saw all")
    @Outcome(id = "0, .*", expect = FORBIDDEN, desc = "done() never closed: lost wake-up")
    @Outcome(id = "1, 0, .*", expect = FORBIDDEN, desc = "done() closed but err() still null")
    @Outcome(expect = FORBIDDEN, desc = "received from done() without seeing writes before cancel")
    @State
    public static class CancelHappensBeforeDone {
        final CancelContext ctx = Context.withCancel(Context.background());
        int x;
        int y;

        @Actor
        public void canceller() {
            x = 1;
            y = 2;
            ctx.cancel();
        }

        @Actor
        public void receiver(IIII_Result r) {
            int closed;
            try {
                var got = ctx.done().tryReceive(BOUND);
                closed = got != null && !got.ok() ? 1 : 0;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                closed = 0;
            }
            r.r1 = closed;
            r.r2 = ctx.err() == Context.CANCELED ? 1 : 0;
            r.r3 = y;
            r.r4 = x;
        }
    }

    /**
     * A release (granting a queued acquire(ctx)) then a cancel, racing the acquire: it either
     * keeps the permit (it got it before the cancel) or fails with the semaphore unchanged
     * (it came after, or the grant raced the cancel and was given back). The arbiter checks
     * held() and that the permit is then free for a tryAcquire (not lost, not double-counted,
     * no stale queued request).
     */
    @JCStressTest
    @Outcome(id = "1, 1, 1", expect = ACCEPTABLE, desc = "acquired before the cancel; held")
    @Outcome(id = "0, 0, 1", expect = ACCEPTABLE, desc = "context done; permit given back")
    @Outcome(id = "1, 0, .*", expect = FORBIDDEN, desc = "acquired, but the permit is not held")
    @Outcome(id = "0, 1, .*", expect = FORBIDDEN, desc = "failed, but the permit is held: lost")
    @Outcome(id = "2, .*", expect = FORBIDDEN, desc = "interrupted or other failure")
    @Outcome(expect = FORBIDDEN, desc = "permit not free afterwards: lost or stale waiter")
    @State
    public static class CancelRacesAcquireGrant {
        final Weighted s = new Weighted(1);
        final CancelContext ctx = Context.withCancel(Context.background());
        int acquired;

        public CancelRacesAcquireGrant() {
            s.acquireUninterruptibly(1);
        }

        @Actor
        public void acquirer() {
            acquired = acquire(s, ctx);
        }

        @Actor
        public void releaseThenCancel() {
            s.release(1);
            ctx.cancel();
        }

        @Arbiter
        public void arbiter(III_Result r) {
            account(s, acquired, r);
        }
    }

    /**
     * As {@link CancelRacesAcquireGrant}, cancelling first and then releasing: the acquire must
     * fail, since the only permit it could get was released after its context was done (Go's
     * Acquire checks done() after a grant and gives the permit back). Ported from the first
     * Context design (branch ctx).
     */
    @JCStressTest
    @Outcome(id = "0, 0, 1", expect = ACCEPTABLE, desc = "context done; permit given back")
    @Outcome(id = "1, .*", expect = FORBIDDEN, desc = "kept a permit released after the cancel")
    @Outcome(id = "0, 1, .*", expect = FORBIDDEN, desc = "failed, but the permit is held: lost")
    @Outcome(id = "2, .*", expect = FORBIDDEN, desc = "interrupted or other failure")
    @Outcome(expect = FORBIDDEN, desc = "permit not free afterwards: lost or stale waiter")
    @State
    public static class CancelThenReleaseFailsAcquire {
        final Weighted s = new Weighted(1);
        final CancelContext ctx = Context.withCancel(Context.background());
        int acquired;

        public CancelThenReleaseFailsAcquire() {
            s.acquireUninterruptibly(1);
        }

        @Actor
        public void acquirer() {
            acquired = acquire(s, ctx);
        }

        @Actor
        public void cancelThenRelease() {
            ctx.cancel();
            s.release(1);
        }

        @Arbiter
        public void arbiter(III_Result r) {
            account(s, acquired, r);
        }
    }
}
