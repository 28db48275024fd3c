package dev.gosync.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gosync.Cond;
import dev.gosync.Locker;
import dev.gosync.Mutex;
import dev.gosync.atomic.AtomicInt32;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ChanPublisherTest {
    /** An immutable state: a new record per change, compared by identity. */
    record State(int version) {
        State next() {
            return new State(version + 1);
        }
    }

    private static final State INITIAL = new State(0);
    private static final Duration NEVER = Duration.ofHours(1);

    /**
     * Records what was published. {@code holdNext()} makes the next publish() wait inside, after
     * signalling that it has entered, until {@code release()}.
     */
    @SuppressWarnings("try")
    static final class FakeSink implements ChanPublisher.Sink<State> {
        private final Mutex mu = new Mutex();
        private final Cond changed = new Cond(mu);
        private final List<State> published = new ArrayList<>();   // guarded by mu
        private volatile CountDownLatch entered = new CountDownLatch(0);
        private volatile CountDownLatch gate = new CountDownLatch(0);

        void holdNext() {
            entered = new CountDownLatch(1);
            gate = new CountDownLatch(1);
        }

        void awaitEntered() throws InterruptedException {
            assertTrue(entered.await(30, TimeUnit.SECONDS), "publish() never entered");
        }

        void release() {
            gate.countDown();
        }

        @Override
        public void publish(State s) throws Exception {
            CountDownLatch g = gate;
            entered.countDown();
            assertTrue(g.await(30, TimeUnit.SECONDS), "publish never released");
            try (Locker.Held held = mu.locked()) {
                published.add(s);
                changed.broadcast();
            }
        }

        List<State> published() {
            try (Locker.Held held = mu.locked()) {
                return List.copyOf(published);
            }
        }

        /** Waits until {@code s} has been published; fails after 10 s (a lost wake-up). */
        void awaitPublished(State s) throws InterruptedException {
            long nanos = TimeUnit.SECONDS.toNanos(10);
            try (Locker.Held held = mu.locked()) {
                while (!published.contains(s)) {
                    nanos = changed.awaitNanos(nanos);
                    assertTrue(nanos > 0, "never published " + s + ": a notification was lost");
                }
            }
        }
    }

    // 100 notifications while the worker is inside its first publish leave one token: the
    // worker makes exactly one more pass and publishes once more, the latest state.
    @Test
    void notificationsWhileBusyCoalesceIntoOneWakeUp() throws InterruptedException {
        FakeSink sink = new FakeSink();
        sink.holdNext();
        ChanPublisher<State> p = new ChanPublisher<>(sink, INITIAL, NEVER);
        p.start();
        sink.awaitEntered();                      // inside publish(INITIAL)
        for (int i = 0; i < 100; i++) {
            p.update(State::next);
        }
        State last = p.desired();
        sink.release();
        sink.awaitPublished(last);
        p.shutdown();
        assertEquals(List.of(INITIAL, last), sink.published());
        assertEquals(2, p.passes(), "wake-ups were not coalesced");
        assertEquals(100, last.version());
    }

    // The last notification is never lost: round after round, a change made while the worker
    // is inside publish() (its token may be the only one) is published afterwards. A worker
    // that drained the channel after publishing, or read the state before taking the token,
    // would sleep through it and this test would time out in awaitPublished.
    @Test
    void changeDuringPublishIsPublishedAfterIt() throws InterruptedException {
        FakeSink sink = new FakeSink();
        ChanPublisher<State> p = new ChanPublisher<>(sink, INITIAL, NEVER);
        p.start();
        sink.awaitPublished(INITIAL);
        for (int round = 0; round < 200; round++) {
            sink.holdNext();
            State held = p.update(State::next);   // the worker wakes and publishes it ...
            sink.awaitEntered();                  // ... and is inside publish(held)
            State during = p.update(State::next); // a change (and token) during that publish
            sink.release();
            sink.awaitPublished(during);
            assertTrue(sink.published().contains(held));
        }
        p.shutdown();
        assertSame(p.desired(), sink.published().get(sink.published().size() - 1));
    }

    // Several threads change the state at once with no coordination: no update is lost (the
    // CAS retries) and the worker ends up publishing the final state.
    @Test
    void racingUpdatersEndWithTheFinalStatePublished() throws InterruptedException {
        FakeSink sink = new FakeSink();
        ChanPublisher<State> p = new ChanPublisher<>(sink, INITIAL, NEVER);
        p.start();
        int threads = 4;
        int perThread = 2_000;
        Concurrently.run(threads, t -> {
            for (int i = 0; i < perThread; i++) {
                p.update(State::next);
            }
        });
        State last = p.desired();
        assertEquals(threads * perThread, last.version());
        sink.awaitPublished(last);
        p.shutdown();
        assertTrue(p.passes() <= threads * perThread + 1);
    }

    // A failed publish is retried after the retry interval until it succeeds; shutdown() then
    // stops the worker.
    @Test
    void failedPublishIsRetried() throws InterruptedException {
        AtomicInt32 attempts = new AtomicInt32();
        CountDownLatch succeeded = new CountDownLatch(1);
        ChanPublisher<State> p = new ChanPublisher<>(s -> {
            if (attempts.add(1) < 3) {
                throw new IllegalStateException("sink unavailable");
            }
            succeeded.countDown();
        }, INITIAL, Duration.ofMillis(1));
        p.start();
        assertTrue(succeeded.await(30, TimeUnit.SECONDS));
        p.shutdown();
        assertEquals(2, p.failures());
    }
}
