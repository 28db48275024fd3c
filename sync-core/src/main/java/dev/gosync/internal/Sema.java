package dev.gosync.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A counting semaphore with a FIFO queue of parked threads: what Go's runtime semaphore
 * ({@code runtime/sema.go}) is to Go's sync package. Mutex, RWMutex and WaitGroup sleep on it.
 *
 * <p><b>Go equivalent:</b> {@code runtime_Semacquire}/{@code runtime_SemacquireMutex(lifo)} and
 * {@code runtime_Semrelease(handoff)}.
 *
 * <p><b>Memory consistency effects:</b> actions before a {@link #release()} happen-before
 * the return of the acquire that takes its permit (tested by {@code SemaStress}).
 *
 * <p><b>Queue discipline:</b> waiters are served in FIFO order; {@code lifo = true} queues at the
 * head instead (Go's woken mutex waiter that lost the race goes back to the front). A release
 * that finds a waiter hands its permit straight to the head waiter, so no barging
 * {@link #tryAcquire()} can take a permit a waiter is owed; only a release that finds the queue
 * empty adds to the free count.
 *
 * <p><b>Cancellation:</b> a waiter that times out or is interrupted leaves the queue. If a
 * release granted it the permit at the same moment, it keeps the permit: the timed form returns
 * true and the interruptible form returns normally with the interrupt status set. A permit is
 * never lost.
 *
 * <p><b>Progress:</b> {@code acquire*} block (park); {@link #tryAcquire()} is lock-free;
 * {@link #release()} never parks (it takes the queue's spin lock for O(1) work).
 */
public final class Sema {
    /*
     * Implementation notes.
     *
     * Invariant: the queue is non-empty only while permits == 0. A waiter links itself only
     * after failing tryAcquire() under the queue lock, and release() adds to `permits` only
     * while holding that lock and seeing an empty queue; tryAcquire() outside the lock only
     * ever decrements. Hence a release either finds the waiter (and grants its node) or
     * happens before the waiter's locked re-check (which then takes the permit): no lost
     * wake-up, and a free permit never sits beside a parked thread.
     *
     * Go distinguishes handoff=false (the woken waiter competes for the count with barging
     * acquirers) from handoff=true (the count goes straight to the woken waiter). Here every
     * release hands the permit to the head waiter, so there is no flag: the competition Go's
     * Mutex needs happens on the Mutex's own state word, not on the semaphore's count, and
     * "who owns the permit" is a single CAS on the waiter (see WaitQueue).
     *
     * Rejected: java.util.concurrent.Semaphore, whose fair mode has no LIFO re-queue and which
     * would put the queue logic in a second place.
     */

    private volatile int permits;               // free permits; > 0 only when queue is empty
    private final WaitQueue queue;

    /** Creates a semaphore with zero permits, its own blocker. */
    public Sema() {
        this.queue = new WaitQueue(this);
    }

    /**
     * Creates a semaphore with zero permits whose parked threads report {@code blocker} (the
     * primitive sleeping on it, e.g. a Mutex) as what they wait for, in thread dumps and to
     * diagnostics.
     *
     * @param blocker the object parked threads report as their blocker
     */
    public Sema(Object blocker) {
        this.queue = new WaitQueue(blocker);
    }

    /**
     * Takes a permit if one is free; never parks.
     *
     * @return true if a permit was taken
     */
    public boolean tryAcquire() {
        for (;;) {
            int p = permits;
            if (p <= 0) {
                return false;
            }
            if (PERMITS.compareAndSet(this, p, p - 1)) {
                return true;
            }
        }
    }

    /**
     * Takes a permit, parking until one is granted. Not interruptible: an interrupt is
     * remembered and re-asserted on return.
     *
     * @param w the calling thread's waiter, allocated before it published its intent to sleep
     *     and linked in no queue; reusable after return
     * @param lifo queue at the head instead of the tail
     */
    public void acquire(Waiter w, boolean lifo) {
        if (!tryAcquire() && !enqueue(w, lifo)) {
            awaitOrPassOn(w, WaitMode.UNINTERRUPTIBLE, 0L);
        }
    }

    /**
     * Takes a permit, parking until one is granted, the thread is interrupted
     * ({@link WaitMode#INTERRUPTIBLE}, {@link WaitMode#TIMED}) or {@code nanos} elapse
     * ({@link WaitMode#TIMED}). If a permit is granted as the wait gives up, it is kept (with
     * the interrupt status set, for an interrupt). The caller checks the interrupt status on
     * entry, if it wants to, and throws {@link InterruptedException} on that outcome.
     *
     * @param w the calling thread's waiter, linked in no queue; reusable after return
     * @param lifo queue at the head instead of the tail
     * @param mode how to wait
     * @param nanos the longest wait, for {@link WaitMode#TIMED}; {@code <= 0} only tries
     * @return {@link Waiter#GRANTED}, or {@link Waiter#TIMED_OUT} / {@link Waiter#INTERRUPTED}
     *     with no permit taken
     */
    public int acquire(Waiter w, boolean lifo, WaitMode mode, long nanos) {
        if (tryAcquire()) {
            return Waiter.GRANTED;
        }
        if (mode == WaitMode.TIMED && nanos <= 0L) {
            return Waiter.TIMED_OUT;
        }
        return enqueue(w, lifo) ? Waiter.GRANTED : awaitOrPassOn(w, mode, nanos);
    }

    /** Waits on w, linked; if a Throwable escapes, a permit granted to w is released again. */
    private int awaitOrPassOn(Waiter w, WaitMode mode, long nanos) {
        try {
            return queue.await(w, mode, nanos);
        } catch (Throwable t) {
            if (w.granted() != null) {
                release();      // granted as the error struck: pass the permit on
            }
            throw t;
        }
    }

    /**
     * Takes a free permit, or else links {@code w} (at the head if {@code lifo}) so that the next
     * release grants it; never parks. After false, call {@link #await} or {@link #withdraw}.
     * A caller may link first and then publish its intent to sleep: a release between the two
     * is granted to {@code w}, not left for whoever comes next.
     *
     * @param w the calling thread's waiter, linked in no queue
     * @param lifo link at the head instead of the tail
     * @return true if a free permit was taken ({@code w} is not linked); false if {@code w} is
     *     linked
     */
    public boolean enqueue(Waiter w, boolean lifo) {
        w.rearm();
        WaitQueue q = queue;
        q.lock();
        try {
            if (tryAcquire()) {
                return true;
            }
            q.add(w, lifo);
        } finally {
            q.unlock();
        }
        return false;
    }

    /**
     * Waits on {@code w}, linked by {@link #enqueue}, as {@link #acquire(Waiter, boolean,
     * WaitMode, long)} does, except that a permit granted to {@code w} as a Throwable escapes
     * stays the caller's ({@link Waiter#granted()} tells).
     *
     * @param w the waiter linked by {@code enqueue}
     * @param mode how to wait
     * @param nanos the longest wait, for {@link WaitMode#TIMED}
     * @return {@link Waiter#GRANTED}, or {@link Waiter#TIMED_OUT} / {@link Waiter#INTERRUPTED}
     *     with w unlinked
     */
    public int await(Waiter w, WaitMode mode, long nanos) {
        return queue.await(w, mode, nanos);
    }

    /**
     * Unlinks {@code w}, linked by {@link #enqueue}, without waiting.
     *
     * @param w the waiter linked by {@code enqueue}
     * @return true if withdrawn without a permit; false if a release granted it one first (the
     *     caller owns that permit)
     */
    public boolean withdraw(Waiter w) {
        return queue.cancel(w);
    }

    /**
     * Releases one permit: grants it to the head waiter if there is one, else adds it to the
     * free count. Never parks.
     */
    public void release() {
        WaitQueue q = queue;
        Node granted;
        q.lock();
        try {
            granted = q.grantNext();
            if (granted == null) {
                PERMITS.getAndAdd(this, 1);
            }
        } finally {
            q.unlock();
        }
        if (granted != null) {
            WaitQueue.wake(granted);
        }
    }

    /**
     * Diagnostics: see {@link WaitQueue#blameWaiters(long)}.
     *
     * @param now the current System.nanoTime
     * @return the time the queued waiters waited since their clocks last restarted, summed
     */
    public long blameWaiters(long now) {
        return queue.blameWaiters(now);
    }

    /**
     * Number of parked waiters (monitoring only; racy).
     *
     * @return the current queue length
     */
    public int waiters() {
        return queue.size();
    }

    /**
     * Number of free permits (monitoring and tests only; racy).
     *
     * @return the free count
     */
    public int permits() {
        return permits;
    }

    @Override
    public String toString() {
        return "Sema[permits=" + permits + ", waiters=" + queue.size() + "]";
    }

    // VarHandle mechanics
    private static final VarHandle PERMITS;   // field "permits"
    static {
        try {
            PERMITS = MethodHandles.lookup().findVarHandle(Sema.class, "permits", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
