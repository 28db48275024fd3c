package dev.gosync.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * The one place where gosync threads wait: a doubly linked FIFO of parked threads, guarded by a
 * tiny spin lock, plus the park loop that every blocking primitive shares.
 *
 * <p>{@link Sema} (what Mutex, RWMutex and WaitGroup sleep on) and {@link NotifyList} (what Cond
 * sleeps on) are thin clients: they decide <em>whom</em> to wake; this class owns queueing,
 * parking, time-outs, interrupts and the grant/cancel race.
 */
final class WaitQueue {
    /*
     * Implementation notes.
     *
     * The queue lock is a test-and-test-and-set spin lock on one int. It guards only O(1) list
     * operations (link, unlink, poll, detach); nobody parks, allocates or calls user code while
     * holding it, so its hold time is a few dozen instructions. Waiting for it spins briefly and
     * then yields, which also lets a virtual thread give its carrier away. It is never
     * `synchronized`: a virtual thread never pins its carrier here.
     *
     * Each waiter owns a Waiter node whose status moves exactly once away from WAITING:
     *   WAITING -> GRANTED    by a waker (under the queue lock, after unlinking the node), or
     *   WAITING -> CANCELLED  by the waiter itself (time-out or interrupt, with no lock held).
     * Both are CASes on the same field, so a grant that races with a give-up is decided exactly
     * once: if the waiter's CAS loses, it owns the grant and must keep it (or pass it on); if the
     * waker's CAS loses, it skips the node and grants the next one. Nothing is ever lost.
     * A cancelled node may still be linked for a moment; the waiter unlinks it under the lock
     * unless a waker has already polled it (then `linked` is false and there is nothing to do).
     *
     * Memory effects: the grant is a volatile CAS and the waiter reads `status` with a volatile
     * load, so everything the waker did before granting happens-before the waiter's return.
     *
     * Diagnostics hook: park() is the single slow-path choke point of every blocking primitive.
     * A lock-order checker or a JFR contention event (with the blocker's identity, which is
     * passed down as `blocker`) would attach here, before the first park and after the last,
     * costing the uncontended fast paths of the primitives nothing.
     */

    /** Park mode: uninterruptible, untimed (the interrupt status is kept and re-asserted). */
    static final int UNINTERRUPTIBLE = 0;
    /** Park mode: interruptible, untimed. */
    static final int INTERRUPTIBLE = 1;
    /** Park mode: interruptible and timed. */
    static final int TIMED = 2;

    /** Spins on the queue lock before yielding. */
    private static final int LOCK_SPINS = 64;

    private volatile int lock;      // 0 free, 1 held; the spin lock guarding the fields below
    private Waiter head;            // guarded by lock
    private Waiter tail;            // guarded by lock
    private volatile int size;      // written under lock; read racily for monitoring

    WaitQueue() {
    }

    // Queue lock

    void lock() {
        if (!LOCK.compareAndSet(this, 0, 1)) {
            lockSlow();
        }
    }

    private void lockSlow() {
        int spins = 0;
        for (;;) {
            if (lock == 0 && LOCK.compareAndSet(this, 0, 1)) {
                return;
            }
            if (++spins < LOCK_SPINS) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
    }

    void unlock() {
        LOCK.setRelease(this, 0);   // release; pairs with the CAS in lock()
    }

    // List operations: call only while holding the queue lock.

    /** Links {@code node} at the tail (FIFO) or at the head ({@code first}, Go's LIFO re-queue). */
    void add(Waiter node, boolean first) {
        if (head == null) {
            head = tail = node;
        } else if (first) {
            node.next = head;
            head.prev = node;
            head = node;
        } else {
            node.prev = tail;
            tail.next = node;
            tail = node;
        }
        node.linked = true;
        size = size + 1;
    }

    /** Unlinks and returns the head, or null when empty. */
    Waiter poll() {
        Waiter n = head;
        if (n != null) {
            remove(n);
        }
        return n;
    }

    /** The head without unlinking it, or null. */
    Waiter peek() {
        return head;
    }

    /** Unlinks {@code node} if it is still linked. */
    void remove(Waiter node) {
        if (!node.linked) {
            return;
        }
        Waiter p = node.prev;
        Waiter n = node.next;
        if (p == null) {
            head = n;
        } else {
            p.next = n;
        }
        if (n == null) {
            tail = p;
        } else {
            n.prev = p;
        }
        node.prev = node.next = null;
        node.linked = false;
        size = size - 1;
    }

    /** Unlinks every node and returns the former head; follow {@code next} to walk them. */
    Waiter detachAll() {
        Waiter h = head;
        for (Waiter n = h; n != null; n = n.next) {
            n.linked = false;
        }
        head = tail = null;
        size = 0;
        return h;
    }

    /** Number of linked nodes (monitoring; racy). */
    int size() {
        return size;
    }

    // Parking

    /**
     * Cancels {@code node} and unlinks it: true if the waiter gave up in time, false if a grant
     * won the race (the caller then owns the grant).
     */
    boolean cancel(Waiter node) {
        if (!node.cancel()) {
            return false;
        }
        lock();
        try {
            remove(node);
        } finally {
            unlock();
        }
        return true;
    }

    /**
     * Parks the current thread, whose {@code node} is linked (or was already granted), until
     * the node is granted, the time runs out, or (interruptible modes) the thread is
     * interrupted. On time-out or interrupt the node is cancelled and unlinked, unless a grant
     * won the race, in which case the grant is kept: the method returns true and re-asserts the
     * interrupt status.
     *
     * @param blocker the primitive waited on, for thread dumps and diagnostics
     * @param node this thread's node
     * @param mode UNINTERRUPTIBLE, INTERRUPTIBLE or TIMED
     * @param nanos the time-out for TIMED
     * @return true when granted, false on time-out (node cancelled)
     * @throws InterruptedException if interrupted in an interruptible mode (node cancelled)
     */
    boolean park(Object blocker, Waiter node, int mode, long nanos) throws InterruptedException {
        // Diagnostics hook (slow path only): contention begins here.
        boolean interrupted = false;
        final long deadline = (mode == TIMED) ? System.nanoTime() + nanos : 0L;
        while (node.status != Waiter.GRANTED) {
            if (mode == TIMED) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0L) {
                    if (cancel(node)) {
                        return false;
                    }
                    continue;   // granted meanwhile: keep it
                }
                LockSupport.parkNanos(blocker, remaining);
            } else {
                LockSupport.park(blocker);
            }
            if (Thread.interrupted()) {
                if (mode == UNINTERRUPTIBLE) {
                    interrupted = true;
                } else if (cancel(node)) {
                    throw new InterruptedException();
                } else {
                    interrupted = true;     // granted meanwhile: keep it, re-assert below
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        // Diagnostics hook: contention ends here (the wait time is known).
        return true;
    }

    // VarHandle mechanics
    private static final VarHandle LOCK;     // field "lock"
    static {
        try {
            LOCK = MethodHandles.lookup().findVarHandle(WaitQueue.class, "lock", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
