package dev.gosync.stress;

import dev.gosync.chan.Chan;
import dev.gosync.chan.Select;
import java.time.Duration;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * jcstress tests for {@link Select}: exactly one case performed, and the channel rules'
 * happens-before edges through a select. Every wait is bounded (10 s), so a lost wake-up shows
 * as a FORBIDDEN timeout outcome.
 */
public class SelectStress {
    private static final Duration BOUND = Duration.ofSeconds(10);
    private static final Duration SHORT = Duration.ofNanos(20_000);

    private SelectStress() {
    }

    static int select(Select s) {
        try {
            return s.selectInterruptibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -9;
        }
    }

    /**
     * A select over two channels, racing two sends that make both ready: it performs exactly
     * one receive, and the other value stays buffered.
     */
    @JCStressTest
    @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "took a; b's value left")
    @Outcome(id = "2, 1", expect = ACCEPTABLE, desc = "took b; a's value left")
    @Outcome(expect = FORBIDDEN, desc = "timed out, lost a value, or took two")
    @State
    public static class ExactlyOneCase {
        final Chan<Integer> a = new Chan<>(1);
        final Chan<Integer> b = new Chan<>(1);
        final Select s = new Select().receive(a).receive(b).timeout(BOUND);
        int got;

        @Actor
        public void sender() {
            a.trySend(1);
            b.trySend(2);
        }

        @Actor
        public void selector() {
            got = select(s) >= 0 ? s.<Integer>value() : -1;
        }

        @Arbiter
        public void arbiter(II_Result r) {
            r.r1 = got;
            r.r2 = a.len() + b.len();
        }
    }

    /** Unbuffered: a send happens-before the select's receive of it completes. */
    @JCStressTest
    @Outcome(id = "7, 1", expect = ACCEPTABLE, desc = "received, saw the write before send")
    @Outcome(expect = FORBIDDEN, desc = "timed out, or missed the write before send")
    @State
    public static class SendHappensBeforeSelectReceive {
        final Chan<Integer> a = new Chan<>();
        final Chan<Integer> never = new Chan<>();
        final Select s = new Select().receive(never).receive(a).timeout(BOUND);
        int x;

        @Actor
        public void sender() {
            x = 1;
            ChanStress.send(a, 7, BOUND);
        }

        @Actor
        public void selector(II_Result r) {
            r.r1 = select(s) == 1 ? s.<Integer>value() : -1;
            r.r2 = x;
        }
    }

    /** Unbuffered: a receive happens-before the select's matching send case completes. */
    @JCStressTest
    @Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "sent, saw the write before receive")
    @Outcome(expect = FORBIDDEN, desc = "timed out, or missed the write before the receive")
    @State
    public static class ReceiveHappensBeforeSelectSend {
        final Chan<Integer> a = new Chan<>();
        final Chan<Integer> never = new Chan<>();
        final Select s = new Select().send(a, 3).receive(never).timeout(BOUND);
        int x;

        @Actor
        public void selector(II_Result r) {
            r.r1 = select(s);
            r.r2 = x;
        }

        @Actor
        public void receiver() {
            x = 1;
            ChanStress.receive(a, BOUND);
        }
    }

    /**
     * Two selects facing each other, {@code select { a <- 1; <-b }} and
     * {@code select { <-a; b <- 2 }}: exactly one pairing happens, and both agree on it.
     */
    @JCStressTest
    @Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "paired on a")
    @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "paired on b")
    @Outcome(expect = FORBIDDEN, desc = "timed out, or the two disagree")
    @State
    public static class FacingSelectsPairOnce {
        final Chan<Integer> a = new Chan<>();
        final Chan<Integer> b = new Chan<>();
        final Select left = new Select().send(a, 1).receive(b).timeout(BOUND);
        final Select right = new Select().receive(a).send(b, 2).timeout(BOUND);

        @Actor
        public void left(II_Result r) {
            r.r1 = select(left);
        }

        @Actor
        public void right(II_Result r) {
            r.r2 = select(right);
        }
    }

    /**
     * A select's short timeout racing a send into it: either the value was taken by the select
     * (and the sender succeeded) or neither happened.
     */
    @JCStressTest
    @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "met")
    @Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "missed each other")
    @Outcome(expect = FORBIDDEN, desc = "lost or invented element")
    @State
    public static class TimeoutRacingHandOff {
        final Chan<Integer> a = new Chan<>();
        final Chan<Integer> never = new Chan<>();
        final Select s = new Select().receive(a).receive(never).timeout(SHORT);

        @Actor
        public void sender(II_Result r) {
            r.r1 = ChanStress.send(a, 5, SHORT) ? 1 : 0;
        }

        @Actor
        public void selector(II_Result r) {
            r.r2 = select(s) == 0 && s.<Integer>value() == 5 ? 1 : 0;
        }
    }

    /**
     * close racing a select that waits with a short timeout: the select either timed out or
     * saw the channel closed (ok=false), and the channel is left closed and empty.
     */
    @JCStressTest
    @Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "saw it closed")
    @Outcome(id = "-2, 1", expect = ACCEPTABLE, desc = "timed out first")
    @Outcome(expect = FORBIDDEN, desc = "a value from nowhere, or left inconsistent")
    @State
    public static class CloseRacingTimedSelect {
        final Chan<Integer> a = new Chan<>();
        final Select s = new Select().receive(a).timeout(SHORT);

        @Actor
        public void closer() {
            a.close();
        }

        @Actor
        public void selector(II_Result r) {
            int k = select(s);
            r.r1 = k == 0 && (s.ok() || s.value() != null) ? 9 : k;
        }

        @Arbiter
        public void arbiter(II_Result r) {
            var got = a.tryReceive();
            r.r2 = got != null && !got.ok() && a.len() == 0 ? 1 : 0;
        }
    }
}
