package dev.gosync.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * A counting semaphore with a FIFO queue of parked threads: what Go's runtime semaphore
 * ({@code runtime/sema.go}) is to Go's sync package. Mutex, RWMutex and WaitGroup sleep on it.
 *
 * <p><b>Go equivalent:</b> {@code runtime_Semacquire}/{@code runtime_SemacquireMutex(lifo)} and
 * {@code runtime_Semrelease(handoff)}.
 *
 * <p><b>Memory consistency effects:</b> actions before a {@link #release(boolean)} happen-before
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
 * {@link #release(boolean)} never parks (it takes the queue's spin lock for O(1) work).
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
     * acquirers) from handoff=true (the count goes straight to the woken waiter). Here both
     * hand the permit to the head waiter: the competition Go's Mutex needs happens on the
     * Mutex's own state word, not on the semaphore's count, so the stricter rule costs nothing
     * and makes "who owns the permit" a single CAS on the waiter's node (see WaitQueue).
     *
     * The tempting simpler design, a Semaphore from java.util.concurrent, would do: but its
     * fair mode has no LIFO re-queue, and the queue logic would then live in two places.
     */

    private volatile int permits;               // free permits; > 0 only when queue is empty
    private final WaitQueue queue = new WaitQueue();
    private final Object blocker;               // reported by parked threads (thread dumps)

    /** Creates a semaphore with zero permits. */
    public Sema() {
        this.blocker = this;
    }

    /**
     * Creates a semaphore with zero permits whose parked threads report {@code blocker} (the
     * primitive sleeping on it, e.g. a Mutex) as what they wait for, in thread dumps and to
     * diagnostics.
     *
     * @param blocker the object parked threads report as their blocker
     */
    public Sema(Object blocker) {
        this.blocker = java.util.Objects.requireNonNull(blocker, "blocker");
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
     * @param lifo queue at the head instead of the tail
     */
    public void acquire(boolean lifo) {
        if (!tryAcquire()) {
            try {
                acquireSlow(lifo, WaitQueue.UNINTERRUPTIBLE, 0L);
            } catch (InterruptedException e) {
                throw new AssertionError(e);   // unreachable: uninterruptible mode
            }
        }
    }

    /**
     * Takes a permit, parking until one is granted or the thread is interrupted.
     *
     * @param lifo queue at the head instead of the tail
     * @throws InterruptedException if interrupted before a permit was granted (none is taken)
     */
    public void acquireInterruptibly(boolean lifo) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        if (!tryAcquire()) {
            acquireSlow(lifo, WaitQueue.INTERRUPTIBLE, 0L);
        }
    }

    /**
     * Takes a permit, parking at most {@code nanos} nanoseconds.
     *
     * @param lifo queue at the head instead of the tail
     * @param nanos the longest wait; {@code <= 0} only tries
     * @return true if a permit was taken, false on time-out (none is taken)
     * @throws InterruptedException if interrupted before a permit was granted (none is taken)
     */
    public boolean acquireNanos(boolean lifo, long nanos) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        if (tryAcquire()) {
            return true;
        }
        if (nanos <= 0L) {
            return false;
        }
        return acquireSlow(lifo, WaitQueue.TIMED, nanos);
    }

    private boolean acquireSlow(boolean lifo, int mode, long nanos) throws InterruptedException {
        Waiter node = new Waiter(Thread.currentThread());
        WaitQueue q = queue;
        q.lock();
        try {
            if (tryAcquire()) {
                return true;
            }
            q.add(node, lifo);
        } finally {
            q.unlock();
        }
        return q.park(blocker, node, mode, nanos);
    }

    /**
     * Releases one permit: grants it to the head waiter if there is one, else adds it to the
     * free count. Never parks.
     *
     * @param handoff Go's hand-off flag; the permit always goes straight to the head waiter
     *     here (see the implementation notes), so both values behave alike
     */
    public void release(boolean handoff) {
        WaitQueue q = queue;
        Waiter granted;
        q.lock();
        try {
            for (;;) {
                granted = q.poll();
                if (granted == null) {
                    PERMITS.getAndAdd(this, 1);
                    break;
                }
                if (granted.grant()) {
                    break;
                }
                // that waiter gave up at the same moment: grant the next one
            }
        } finally {
            q.unlock();
        }
        if (granted != null) {
            LockSupport.unpark(granted.thread);
        }
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
