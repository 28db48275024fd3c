package dev.gosync.stress;

import dev.gosync.chan.Chan;
import dev.gosync.chan.Received;
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
 * jcstress tests for {@link Chan}: Go's channel happens-before rules and exact hand-off. Every
 * blocking operation is bounded (10 s), so a lost wake-up shows as a FORBIDDEN outcome.
 */
public class ChanStress {
    private static final Duration BOUND = Duration.ofSeconds(10);
    private static final Duration SHORT = Duration.ofNanos(20_000);

    private ChanStress() {
    }

    static boolean send(Chan<Integer> ch, int v, Duration timeout) {
        try {
            return ch.trySend(v, timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static Received<Integer> receive(Chan<Integer> ch, Duration timeout) {
        try {
            return ch.tryReceive(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** A send happens-before the matching receive completes (unbuffered: a hand-off). */
    @JCStressTest
    @Outcome(id = "7, 1", expect = ACCEPTABLE, desc = "received, saw the write before send")
    @Outcome(expect = FORBIDDEN, desc = "timed out, or missed the write before send")
    @State
    public static class SendHappensBeforeReceive {
        final Chan<Integer> ch = new Chan<>();
        int x;

        @Actor
        public void sender() {
            x = 1;
            send(ch, 7, BOUND);
        }

        @Actor
        public void receiver(II_Result r) {
            Received<Integer> got = receive(ch, BOUND);
            r.r1 = got == null ? -1 : got.value();
            r.r2 = x;
        }
    }

    /** Buffered: a send happens-before the matching receive completes. */
    @JCStressTest
    @Outcome(id = "7, 1", expect = ACCEPTABLE, desc = "received, saw the write before send")
    @Outcome(expect = FORBIDDEN, desc = "timed out, or missed the write before send")
    @State
    public static class BufferedSendHappensBeforeReceive {
        final Chan<Integer> ch = new Chan<>(1);
        int x;

        @Actor
        public void sender() {
            x = 1;
            send(ch, 7, BOUND);
        }

        @Actor
        public void receiver(II_Result r) {
            Received<Integer> got = receive(ch, BOUND);
            r.r1 = got == null ? -1 : got.value();
            r.r2 = x;
        }
    }

    /** close happens-before a receive that returns because the channel is closed. */
    @JCStressTest
    @Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "saw closed, and the write before close")
    @Outcome(expect = FORBIDDEN, desc = "timed out, or missed the write before close")
    @State
    public static class CloseHappensBeforeReceive {
        final Chan<Integer> ch = new Chan<>();
        int x;

        @Actor
        public void closer() {
            x = 1;
            ch.close();
        }

        @Actor
        public void receiver(II_Result r) {
            Received<Integer> got = receive(ch, BOUND);
            r.r1 = got == null ? -1 : (got.ok() ? 1 : 0);
            r.r2 = x;
        }
    }

    /**
     * Capacity 1, one element buffered (the first send): the first receive happens-before the
     * second send completes.
     */
    @JCStressTest
    @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "second send done, saw the write before receive")
    @Outcome(expect = FORBIDDEN, desc = "timed out, or missed the write before the receive")
    @State
    public static class ReceiveHappensBeforeSendPlusCap {
        final Chan<Integer> ch = new Chan<>(1);
        int x;

        public ReceiveHappensBeforeSendPlusCap() {
            ch.send(0);
        }

        @Actor
        public void sender(II_Result r) {
            r.r1 = send(ch, 1, BOUND) ? 1 : 0;
            r.r2 = x;
        }

        @Actor
        public void receiver() {
            x = 1;
            receive(ch, BOUND);
        }
    }

    /** Unbuffered: the receive happens-before the matching send completes. */
    @JCStressTest
    @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "send done, saw the write before receive")
    @Outcome(expect = FORBIDDEN, desc = "timed out, or missed the write before the receive")
    @State
    public static class ReceiveHappensBeforeUnbufferedSend {
        final Chan<Integer> ch = new Chan<>();
        int x;

        @Actor
        public void sender(II_Result r) {
            r.r1 = send(ch, 1, BOUND) ? 1 : 0;
            r.r2 = x;
        }

        @Actor
        public void receiver() {
            x = 1;
            receive(ch, BOUND);
        }
    }

    /**
     * Unbuffered, both sides with a short time-out racing the hand-off: either both succeed
     * or both fail; never a value sent but not received, or received but not sent.
     */
    @JCStressTest
    @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "met")
    @Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "missed each other")
    @Outcome(expect = FORBIDDEN, desc = "lost or invented element")
    @State
    public static class TimedHandOffExact {
        final Chan<Integer> ch = new Chan<>();

        @Actor
        public void sender(II_Result r) {
            r.r1 = send(ch, 5, SHORT) ? 1 : 0;
        }

        @Actor
        public void receiver(II_Result r) {
            Received<Integer> got = receive(ch, SHORT);
            r.r2 = got != null && got.ok() && got.value() == 5 ? 1 : 0;
        }
    }

    /**
     * Capacity 1: two trySends race two tryReceives; sent == received + left in the buffer.
     */
    @JCStressTest
    @Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "every element accounted for")
    @Outcome(expect = FORBIDDEN, desc = "lost or duplicated element")
    @State
    public static class TryOpsExact {
        final Chan<Integer> ch = new Chan<>(1);
        int sent;
        int got;

        @Actor
        public void sender() {
            sent = (ch.trySend(1) ? 1 : 0) + (send(ch, 2, SHORT) ? 1 : 0);
        }

        @Actor
        public void receiver() {
            Received<Integer> a = ch.tryReceive();
            Received<Integer> b = receive(ch, SHORT);
            got = (a != null ? 1 : 0) + (b != null ? 1 : 0);
        }

        @Arbiter
        public void arbiter(II_Result r) {
            int left = ch.len();
            r.r1 = sent - got - left;
            r.r2 = ch.tryReceive() != null && ch.tryReceive() != null ? 1 : 0;
        }
    }

    /**
     * close racing a receiver's short time-out: the receive either timed out or returned
     * because closed (never a value); the channel stays closed.
     */
    @JCStressTest
    @Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "timed out first")
    @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "woken by close")
    @Outcome(expect = FORBIDDEN, desc = "a value from nowhere, or not left closed")
    @State
    public static class CloseRacingTimedOutReceiver {
        final Chan<Integer> ch = new Chan<>();

        @Actor
        public void closer() {
            ch.close();
        }

        @Actor
        public void receiver(II_Result r) {
            Received<Integer> got = receive(ch, SHORT);
            r.r1 = got == null ? 0 : got.ok() ? 9 : 1;
        }

        @Arbiter
        public void arbiter(II_Result r) {
            Received<Integer> after = ch.tryReceive();
            r.r2 = after != null && !after.ok() ? 1 : 0;
        }
    }

    /**
     * Capacity 1, full: close racing a sender's short time-out. The send either timed out or
     * threw "send on closed channel", never got in; what drains afterwards is exactly the one
     * element buffered before.
     */
    @JCStressTest
    @Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "timed out first")
    @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "threw: closed")
    @Outcome(expect = FORBIDDEN, desc = "the timed-out value got in, or the buffer was lost")
    @State
    public static class CloseRacingTimedOutSender {
        final Chan<Integer> ch = new Chan<>(1);

        public CloseRacingTimedOutSender() {
            ch.send(0);
        }

        @Actor
        public void closer() {
            ch.close();
        }

        @Actor
        public void sender(II_Result r) {
            try {
                r.r1 = send(ch, 1, SHORT) ? 9 : 0;
            } catch (IllegalStateException closed) {
                r.r1 = "send on closed channel".equals(closed.getMessage()) ? 1 : 8;
            }
        }

        @Arbiter
        public void arbiter(II_Result r) {
            int drained = 0;
            for (Received<Integer> got; (got = ch.tryReceive()) != null && got.ok(); ) {
                drained += got.value() == 0 ? 1 : 10;
            }
            r.r2 = drained;
        }
    }

    /**
     * Unbuffered: a receiver waiting in the lock-free slot while the other thread takes the
     * lock (toString seals the slot, moving the receiver to its queue) and then sends. The
     * receiver is claimed exactly once, from the slot or from the queue: never lost, never a
     * time-out.
     */
    @JCStressTest
    @Outcome(id = "5, 1", expect = ACCEPTABLE, desc = "handed over, from the slot or the queue")
    @Outcome(expect = FORBIDDEN, desc = "the waiting receiver was lost by the seal")
    @State
    public static class SlotWaiterRacingSeal {
        final Chan<Integer> ch = new Chan<>();

        @Actor
        public void receiver(II_Result r) {
            Received<Integer> got = receive(ch, BOUND);
            r.r1 = got == null ? 0 : got.ok() ? got.value() : 9;
        }

        @Actor
        public void sealerThenSender(II_Result r) {
            ch.toString();
            r.r2 = send(ch, 5, BOUND) ? 1 : 0;
        }
    }

    /**
     * Unbuffered: a sender waiting briefly in the slot, giving up, races a tryReceive that
     * claims it without the lock: both see the hand-off or neither does.
     */
    @JCStressTest
    @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "claimed before the give-up")
    @Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "gave up first, or not there yet")
    @Outcome(expect = FORBIDDEN, desc = "lost or invented element")
    @State
    public static class SlotSenderRacingTryReceive {
        final Chan<Integer> ch = new Chan<>();

        @Actor
        public void sender(II_Result r) {
            r.r1 = send(ch, 5, SHORT) ? 1 : 0;
        }

        @Actor
        public void tryReceiver(II_Result r) {
            Received<Integer> got = ch.tryReceive();
            r.r2 = got == null ? 0 : got.ok() && got.value() == 5 ? 1 : 9;
        }
    }
}
