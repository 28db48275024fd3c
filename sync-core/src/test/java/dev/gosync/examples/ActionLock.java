package dev.gosync.examples;

import dev.gosync.Locker;
import dev.gosync.Mutex;
import dev.gosync.atomic.AtomicBool;
import dev.gosync.semaphore.Weighted;
import java.time.Duration;
import java.util.Objects;

/**
 * Mutual exclusion of one administrative action at a time (a resharding step, a schema
 * change, a failover) on a shard, with each run of the action numbered for the logs.
 *
 * <p><b>Primitives, one per job:</b>
 * <ul>
 *   <li>a {@link Weighted} semaphore of size 1 excludes concurrent actions. It is acquired
 *       <em>outside</em> any mutex, because acquiring may block for as long as the previous
 *       action runs (seconds, minutes), and a caller must be able to give up: {@link #begin}
 *       is interruptible and {@link #tryBegin} is timed, like Go's {@code Acquire(ctx, 1)}.
 *       Permits are not owned, so the action may be finished by another thread than the one
 *       that began it (an RPC callback, a timer).</li>
 *   <li>a {@link Mutex} is held only to bump the id counter: the narrowest possible critical
 *       section, never held while waiting or while the action runs. Readers of
 *       {@link #lastId()} are never stuck behind a long action.</li>
 *   <li>an {@link AtomicBool} {@code released} flag per action makes {@link Action#close()}
 *       idempotent: the first close returns the permit, any later close (a {@code finally}
 *       block after an explicit close, a timeout handler racing the normal path) does nothing.
 *       Without it, a second release would return a permit this action no longer holds; the
 *       semaphore detects that ({@code "semaphore: released more than held"}), but only when no
 *       other action holds the permit in the meantime: otherwise the double release would
 *       silently let a third action in.</li>
 * </ul>
 *
 * <p>Why not one mutex for everything: holding a mutex for the whole action blocks every status
 * reader ({@link #lastId()}) behind an action that may run for minutes. And why a semaphore
 * rather than a second mutex for the action: {@code Weighted} serves waiting actions strictly
 * in arrival order (a mutex only bounds how long a waiter can be overtaken), and a permit held
 * for minutes, released from wherever the action ends, is what a semaphore models; a mutex is
 * for short critical sections.
 */
@SuppressWarnings("try")   // -Xlint:try flags the unused guard in try (var held = mu.locked())
final class ActionLock {
    private final Weighted actionSema = new Weighted(1);   // one action at a time
    private final Mutex mu = new Mutex();
    private long lastId;                                   // guarded by mu
    // Lock order: actionSema is acquired first (and may block); mu is a leaf, held only around
    // lastId, and never while acquiring actionSema.

    /** One run of the action; closing it lets the next one begin. */
    final class Action implements AutoCloseable {
        private final long id;
        private final String name;
        private final AtomicBool released = new AtomicBool();

        private Action(long id, String name) {
            this.id = id;
            this.name = name;
        }

        /** @return this run's id, unique and increasing in the order runs began */
        long id() {
            return id;
        }

        /** @return the action's name */
        String name() {
            return name;
        }

        /**
         * Ends this action and lets the next one begin. Safe to call more than once and from
         * any thread: only the first call releases the semaphore.
         */
        @Override
        public void close() {
            if (released.compareAndSwap(false, true)) {
                actionSema.release(1);
            }
        }
    }

    /** Creates an action lock with no action running. */
    ActionLock() {
    }

    /**
     * Waits until no other action runs, then begins one.
     *
     * @param name what the action does, for the logs
     * @return the running action; close it when done
     * @throws InterruptedException if interrupted while waiting; nothing is then held
     */
    Action begin(String name) throws InterruptedException {
        Objects.requireNonNull(name, "name");
        actionSema.acquire(1);   // may block for a long time: no lock is held here
        return started(name);
    }

    /**
     * Begins an action if the running one (if any) finishes within {@code timeout}.
     *
     * @param name what the action does, for the logs
     * @param timeout how long to wait for the running action
     * @return the running action, or null if another action was still running at the deadline
     * @throws InterruptedException if interrupted while waiting; nothing is then held
     */
    Action tryBegin(String name, Duration timeout) throws InterruptedException {
        Objects.requireNonNull(name, "name");
        if (!actionSema.tryAcquire(1, timeout)) {
            return null;
        }
        return started(name);
    }

    private Action started(String name) {
        long id;
        try (Locker.Held held = mu.locked()) {   // the whole critical section: one increment
            id = ++lastId;
        }
        return new Action(id, name);
    }

    /** @return the id of the most recently begun action, 0 if none; never blocks on an action */
    long lastId() {
        try (Locker.Held held = mu.locked()) {
            return lastId;
        }
    }
}
