package dev.gosync.examples;

import dev.gosync.Once;
import dev.gosync.WaitGroup;
import dev.gosync.atomic.AtomicBool;
import dev.gosync.atomic.AtomicInt64;
import dev.gosync.atomic.AtomicPointer;
import dev.gosync.chan.Chan;
import java.time.Duration;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * {@link RegistrationPublisher}'s pattern with a {@link Chan}: keep a slow external copy (a
 * registry entry, a config push, a cache file) equal to a desired state that many threads
 * change, with one worker that publishes and never falls behind by more than one pass.
 *
 * <p><b>The wake-up channel.</b> {@code new Chan<>(1)} and {@code trySend}: Go's
 * <pre>{@code
 * wake := make(chan struct{}, 1)
 * select { case wake <- struct{}{}: default: }   // notify
 * }</pre>
 * A notification puts a token in the one-slot buffer, or finds one already there and does
 * nothing: however many changes arrive while the worker is publishing, they leave one token, so
 * the worker wakes once more and publishes the latest state, which includes them all. None is
 * lost, because the order is fixed on both sides: a notifier changes the state <em>then</em>
 * offers the token; the worker takes the token <em>then</em> reads the state. A change after the
 * worker's read therefore either leaves a token or finds one the worker has not taken yet, and
 * in both cases the worker reads again. (Draining the channel after publishing, "to drop stale
 * wake-ups", is the tempting bug: it can drop the token of a change made during the publish.)
 *
 * <p>The state is an immutable value behind an {@link AtomicPointer}, changed copy-on-write;
 * {@link Once} makes {@link #start()} idempotent; the worker is started with
 * {@link WaitGroup#go} so that {@link #shutdown()} can cancel (a flag, then a token) and then
 * wait for it. The wake-up channel is never closed: a notification racing with shutdown must
 * not throw "send on closed channel".
 *
 * @param <S> the published state, immutable
 */
final class ChanPublisher<S> {
    /** Where the state goes; may block, may fail (then it is retried). */
    @FunctionalInterface
    interface Sink<S> {
        /**
         * @param state the state to publish
         * @throws Exception if it failed; retried after the retry interval
         */
        void publish(S state) throws Exception;
    }

    private static final Object TOKEN = new Object();

    private final Sink<S> sink;
    private final Duration retryInterval;
    private final AtomicPointer<S> desired;
    private final Chan<Object> wake = new Chan<>(1);
    private final Once startOnce = new Once();
    private final WaitGroup wg = new WaitGroup();
    private final AtomicBool stopped = new AtomicBool();
    private final AtomicInt64 passes = new AtomicInt64();
    private final AtomicInt64 failures = new AtomicInt64();

    /**
     * @param sink where to publish
     * @param initial the first desired state
     * @param retryInterval how long to wait before retrying a failed publish
     */
    ChanPublisher(Sink<S> sink, S initial, Duration retryInterval) {
        this.sink = Objects.requireNonNull(sink, "sink");
        this.desired = new AtomicPointer<>(Objects.requireNonNull(initial, "initial"));
        this.retryInterval = Objects.requireNonNull(retryInterval, "retryInterval");
    }

    /** Starts the worker, once; it publishes the initial state, then every change. */
    void start() {
        startOnce.run(() -> wg.go(this::loop));
    }

    /**
     * Changes the desired state (copy-on-write; {@code f} may run more than once) and notifies
     * the worker. Never blocks.
     *
     * @param f computes the new state from the current one
     * @return the state this call installed
     */
    S update(UnaryOperator<S> f) {
        S next = desired.updateAndGet(old -> Objects.requireNonNull(f.apply(old), "f"));
        notifyWorker();      // after the change: see the class comment
        return next;
    }

    /** @return the desired state now */
    S desired() {
        return desired.load();
    }

    /** @return the worker's passes: one at start, then one per wake-up taken (or retry) */
    long passes() {
        return passes.load();
    }

    /** @return how many publishes failed */
    long failures() {
        return failures.load();
    }

    /**
     * Stops the worker and waits for it; a publish in progress finishes first.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    void shutdown() throws InterruptedException {
        stopped.store(true);
        notifyWorker();      // wakes a sleeping worker; a pending token does the same
        wg.await();
    }

    private void notifyWorker() {
        wake.trySend(TOKEN);  // false if a token is already pending: the wake-ups coalesce
    }

    private void loop() {
        S published = null;
        try {
            while (!stopped.load()) {
                passes.add(1);
                S want = desired.load();     // after taking the token (end of the last pass)
                if (want != published) {     // identity: every change is a new value
                    try {
                        sink.publish(want);
                        published = want;
                    } catch (InterruptedException e) {
                        return;
                    } catch (Exception e) {
                        failures.add(1);
                    }
                }
                if (want == published) {
                    wake.receiveInterruptibly();           // up to date: sleep until notified
                } else {
                    wake.tryReceive(retryInterval);        // failed: retry later, or sooner
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();            // our own thread: means stop
        }
    }
}
