package dev.gosync.internal;


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

    private final WaitQueue queue;
    private final Object blocker;   // the Cond, for JFR CondWait events
    private final String name;      // its name, or null

    /**
     * Creates an empty list whose parked threads report {@code blocker} (the Cond).
     *
     * @param blocker the object parked threads report as their blocker
     * @param name the blocker's name for JFR events, or null
     */
    public NotifyList(Object blocker, String name) {
        this.queue = new WaitQueue(blocker);
        this.blocker = blocker;
        this.name = name;
    }

    /**
     * Enrols the calling thread: from now on a wake-up wakes it. Call this before releasing the
     * condition's lock, then wait on the returned waiter (or cancel it).
     *
     * @return the calling thread's waiter
     */
    public Waiter add() {
        Waiter w = new Waiter();    // before linking: nothing to undo if this throws
        WaitQueue q = queue;
        q.lock();
        try {
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
        awaitOrPassOn(w, WaitMode.UNINTERRUPTIBLE, 0L);
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
        if (awaitOrPassOn(w, WaitMode.INTERRUPTIBLE, 0L) == Waiter.INTERRUPTED) {
            throw new InterruptedException();
        }
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
        int outcome = awaitOrPassOn(w, WaitMode.TIMED, nanos);
        if (outcome == Waiter.INTERRUPTED) {
            throw new InterruptedException();
        }
        return outcome == Waiter.GRANTED;
    }

    /** Waits on w; if a Throwable escapes, a wake-up that reached w goes to the next waiter. */
    private int awaitOrPassOn(Waiter w, WaitMode mode, long nanos) {
        CondWaitEvent wait = new CondWaitEvent();   // JFR: off unless a recording enables it
        wait.begin();
        try {
            int outcome = queue.await(w, mode, nanos);
            if (wait.finish(blocker, name, outcome, "signalled")) {
                wait.commit();
            }
            return outcome;
        } catch (Throwable t) {
            if (w.granted() != null) {
                wakeOne();
            }
            throw t;
        }
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
        Node w;
        q.lock();
        try {
            w = q.grantNext();  // skips a waiter that gave up at the same moment
        } finally {
            q.unlock();
        }
        if (w == null) {
            return false;
        }
        WaitQueue.wake(w);
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
        Node h;
        q.lock();
        try {
            h = q.detachAll();
        } finally {
            q.unlock();
        }
        int woken = 0;
        // Detached nodes are reached only from here: their links no longer change.
        for (Node w = h; w != null; ) {
            Node next = WaitQueue.next(w);
            if (q.grant(w)) {
                WaitQueue.wake(w);
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
