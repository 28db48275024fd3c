package dev.gosync.internal;

import java.util.Objects;
import java.util.concurrent.locks.LockSupport;

/**
 * The waiter list behind Cond: Go's runtime {@code notifyList}. A waiter enrols
 * ({@link #add()}) while it still holds the condition's lock, then releases the lock and waits
 * on its {@link Waiter}; {@link #wakeOne()} wakes the earliest enrolled waiter,
 * {@link #wakeAll()} every enrolled one.
 *
 * <p><b>Memory consistency effects:</b> actions before a {@code wakeOne()}/{@code wakeAll()}
 * happen-before the return of every wait that it ends (tested by {@code CondStress}).
 *
 * <p><b>Progress:</b> the {@code await*} methods block (park); {@code add} and the
 * {@code wake*} methods never park (they take the queue's spin lock for O(1) work per waiter).
 */
public final class NotifyList {
    /*
     * Implementation notes.
     *
     * Go hands each waiter a ticket (an atomic counter) while it holds L, and the waiter links
     * its node later, after L.Unlock(); a wake-up that finds no node for its ticket knows the
     * waiter has not linked yet and will see `ticket < notify` instead of parking. Here the
     * waiter links its node at enrolment, under the queue lock, while still holding L: the
     * node's position is the ticket. That closes the same unlock/park race (a wake-up that
     * comes before the park grants the node, and park() then returns at once) and, unlike
     * bare tickets, lets a waiter that times out or is interrupted leave without leaving a
     * hole: with bare tickets a wake-up aimed at a departed waiter's ticket would be lost, and
     * keeping departed tickets around to skip would grow without bound under timed waits that
     * are never signalled.
     *
     * A waiter that gives up cancels its node (CAS WAITING -> CANCELLED) and unlinks it; a
     * notify that loses that race skips to the next node, so a wake-up is never spent on a
     * departed waiter. A waiter that loses the race keeps the wake-up.
     */

    private final WaitQueue queue = new WaitQueue();
    private final Object blocker;
    private long tickets;           // guarded by the queue lock: next enrolment number

    /**
     * Creates an empty list whose parked threads report {@code blocker} (the Cond).
     *
     * @param blocker the object parked threads report as their blocker
     */
    public NotifyList(Object blocker) {
        this.blocker = Objects.requireNonNull(blocker, "blocker");
    }

    /**
     * Enrols the calling thread: from now on a wake-up wakes it. Call this before releasing the
     * condition's lock, then wait on the returned waiter (or cancel it).
     *
     * @return the calling thread's waiter
     */
    public Waiter add() {
        Waiter w = new Waiter(Thread.currentThread());
        WaitQueue q = queue;
        q.lock();
        try {
            w.ticket = tickets++;
            q.add(w, false);
        } finally {
            q.unlock();
        }
        return w;
    }

    /**
     * Waits, not interruptibly, until {@code w} is notified; re-asserts an interrupt on return.
     *
     * @param w the waiter from {@link #add()}
     */
    public void await(Waiter w) {
        try {
            queue.park(blocker, w, WaitQueue.UNINTERRUPTIBLE, 0L);
        } catch (InterruptedException e) {
            throw new AssertionError(e);   // unreachable: uninterruptible mode
        }
    }

    /**
     * Waits until {@code w} is notified or the thread is interrupted.
     *
     * @param w the waiter from {@link #add()}
     * @throws InterruptedException if interrupted before being notified (w then leaves the
     *     list; a wake-up that raced with the interrupt goes to the next waiter)
     */
    public void awaitInterruptibly(Waiter w) throws InterruptedException {
        if (Thread.interrupted()) {
            if (queue.cancel(w)) {
                throw new InterruptedException();
            }
            Thread.currentThread().interrupt();   // notified already: keep the wake-up
            return;
        }
        queue.park(blocker, w, WaitQueue.INTERRUPTIBLE, 0L);
    }

    /**
     * Waits at most {@code nanos} until {@code w} is notified.
     *
     * @param w the waiter from {@link #add()}
     * @param nanos the longest wait
     * @return true if notified, false on time-out (w then leaves the list)
     * @throws InterruptedException if interrupted before being notified
     */
    public boolean awaitNanos(Waiter w, long nanos) throws InterruptedException {
        if (Thread.interrupted()) {
            if (queue.cancel(w)) {
                throw new InterruptedException();
            }
            Thread.currentThread().interrupt();
            return true;
        }
        if (nanos <= 0L) {
            return !queue.cancel(w);
        }
        return queue.park(blocker, w, WaitQueue.TIMED, nanos);
    }

    /**
     * Withdraws {@code w} without waiting (for a caller that enrolled and then failed, e.g. to
     * release the condition's lock). If a wake-up already reached w, it is passed on to the next
     * waiter, so no wake-up is lost.
     *
     * @param w the waiter from {@link #add()}
     */
    public void withdraw(Waiter w) {
        if (!queue.cancel(w)) {
            wakeOne();
        }
    }

    /**
     * Wakes the earliest enrolled waiter, if any.
     *
     * @return true if a waiter was woken
     */
    public boolean wakeOne() {
        WaitQueue q = queue;
        if (q.size() == 0) {
            return false;   // nobody enrolled before this call
        }
        Waiter w;
        q.lock();
        try {
            while ((w = q.poll()) != null && !w.grant()) {
                // that waiter gave up at the same moment: wake the next one
            }
        } finally {
            q.unlock();
        }
        if (w == null) {
            return false;
        }
        LockSupport.unpark(w.thread);
        return true;
    }

    /**
     * Wakes every enrolled waiter.
     *
     * @return the number woken
     */
    public int wakeAll() {
        WaitQueue q = queue;
        if (q.size() == 0) {
            return 0;
        }
        Waiter h;
        q.lock();
        try {
            h = q.detachAll();
        } finally {
            q.unlock();
        }
        int woken = 0;
        // Detached nodes are reached only from here: their links no longer change.
        for (Waiter w = h; w != null; ) {
            Waiter next = w.next;
            w.next = null;
            w.prev = null;
            if (w.grant()) {
                LockSupport.unpark(w.thread);
                woken++;
            }
            w = next;
        }
        return woken;
    }

    /**
     * Number of enrolled waiters (monitoring only; racy).
     *
     * @return the number of enrolled, not yet woken waiters
     */
    public int waiters() {
        return queue.size();
    }
}
