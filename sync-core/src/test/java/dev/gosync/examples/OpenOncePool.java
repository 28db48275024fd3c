package dev.gosync.examples;

import dev.gosync.Go;
import dev.gosync.WaitGroup;
import dev.gosync.atomic.AtomicPointer;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A connection pool's open/close life cycle: {@code open()} starts a background worker (it
 * reaps idle connections every interval) and may be called from several places at start-up;
 * {@code close()} stops the worker and waits for it, and may race with other closes.
 *
 * <p><b>Primitive:</b> one {@link AtomicPointer} that is both the do-this-once guard and the
 * shutdown signal. {@code open()} does {@code compareAndSwap(null, run)}: only the caller whose
 * CAS succeeds starts the worker, and the stored {@code run} is what the worker waits on.
 * {@code close()} does {@code swap(null)}: only the caller that gets the non-null {@code run}
 * closes it, so a second close is a no-op, and the pool can be opened again afterwards. This is
 * Go's {@code if !p.close.CompareAndSwap(nil, make(chan struct{})) { return }}: no mutex, no
 * separate "opened" flag that could disagree with the signal.
 *
 * <p>Each open gets its own {@link WaitGroup}, inside the {@code run}, and the worker is added
 * to it <em>before</em> the CAS publishes the run. A close that swaps the run out can therefore
 * never {@code await()} a count that a worker has not yet added, which would let it return while
 * the worker is still starting (Go's rule: an {@code Add} that starts from zero must happen
 * before the {@code Wait}). One shared WaitGroup would also break that rule when a re-open races
 * with a close still waiting for the old worker.
 *
 * <p>Java has no closable channel; a {@link CountDownLatch} of one is the closest: counting it
 * down is {@code close(ch)}, {@code await(timeout)} is a {@code select} on it and a timer.
 */
final class OpenOncePool {
    /** One open..close cycle: the close signal and the worker it stops. */
    private static final class Run {
        final CountDownLatch closing = new CountDownLatch(1);   // counted down once, by close()
        final WaitGroup workers = new WaitGroup();
    }

    private final Duration interval;
    private final Runnable reapIdle;
    private final AtomicPointer<Run> run = new AtomicPointer<>();   // null while closed

    /**
     * @param interval how often the worker reaps idle connections
     * @param reapIdle what it runs every interval
     */
    OpenOncePool(Duration interval, Runnable reapIdle) {
        this.interval = Objects.requireNonNull(interval, "interval");
        this.reapIdle = Objects.requireNonNull(reapIdle, "reapIdle");
    }

    /**
     * Opens the pool if it is closed; otherwise does nothing.
     *
     * @return whether this call opened it
     */
    boolean open() {
        Run r = new Run();
        r.workers.add(1);                      // before publishing: see the class comment
        if (!run.compareAndSwap(null, r)) {
            return false;                      // already open; r is garbage
        }
        Go.go(() -> {
            try {
                worker(r);
            } finally {
                r.workers.done();
            }
        });
        return true;
    }

    /**
     * Closes the pool if it is open: signals the worker and waits for it to finish.
     *
     * @return whether this call closed it
     * @throws InterruptedException if interrupted while waiting for the worker; the pool is
     *     closed and the worker stops on its own
     */
    boolean close() throws InterruptedException {
        Run r = run.swap(null);
        if (r == null) {
            return false;                      // never opened, or closed by someone else
        }
        r.closing.countDown();                 // close(ch)
        r.workers.await();
        return true;
    }

    /** @return whether the pool is open now */
    boolean isOpen() {
        return run.load() != null;
    }

    private void worker(Run r) {
        try {
            while (!r.closing.await(interval.toNanos(), TimeUnit.NANOSECONDS)) {
                reapIdle.run();                // one tick: the interval passed, still open
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();   // the worker's thread is ours: just stop
        }
    }
}
