package dev.gosync.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;

/**
 * The one place where gosync threads wait: a doubly linked FIFO of {@link Node}s of parked
 * {@link Waiter}s, guarded by a tiny spin lock, and the grant/cancel protocol around them.
 *
 * <p>{@link Sema} (what Mutex, RWMutex, WaitGroup and Once sleep on), {@link NotifyList} (what
 * Cond sleeps on) and {@code Weighted} (which queues each request's weight as its node's
 * payload) are clients: they decide <em>whom</em> to wake; this class and {@link Waiter} own
 * queueing, parking, time-outs, interrupts and the grant/cancel race.
 *
 * <p><b>Callers' contract:</b> the list operations ({@link #add}, {@link #poll},
 * {@link #peek}, {@link #remove}, {@link #grantNext}, {@link #detachAll}) are called only
 * while holding the queue lock; nobody parks, allocates or runs user code while holding it.
 */
public final class WaitQueue {
    /*
     * Implementation notes.
     *
     * The queue lock is a test-and-test-and-set spin lock on one int. It guards only short
     * list operations; waiting for it spins (Spin.POLLS) and then yields, which also lets a
     * virtual thread give its carrier away. It is never `synchronized`: a virtual thread never
     * pins its carrier here.
     *
     * A node's waiter is decided once (Waiter): a waker grants it under the lock after
     * unlinking it, the waiter cancels it with no lock held and then unlinks it under the lock
     * unless a waker has already polled it (linked is then false). If the waiter's CAS loses,
     * it owns the grant and must keep it (or pass it on); if the waker's loses, it skips the
     * node and grants the next one. Nothing is ever lost.
     */

    private volatile int lock;      // 0 free, 1 held; the spin lock guarding the fields below
    private Node head;              // guarded by lock
    private Node tail;              // guarded by lock
    /*
     * size: written under lock with release stores (a full volatile store would add a fence to
     * every link and unlink, which the lock's own release already orders); read racily, with a
     * volatile load, for monitoring.
     */
    private volatile int size;
    private final Object blocker;   // reported by parked threads (thread dumps, diagnostics)

    /**
     * Creates an empty queue whose parked threads report {@code blocker} as what they wait for.
     *
     * @param blocker the primitive waited on
     */
    public WaitQueue(Object blocker) {
        this.blocker = Objects.requireNonNull(blocker, "blocker");
    }

    // Queue lock

    /** Takes the queue lock (spins, then yields). */
    public void lock() {
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
            if (++spins < Spin.POLLS) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
    }

    /** Releases the queue lock. */
    public void unlock() {
        LOCK.setRelease(this, 0);   // release; pairs with the CAS in lock()
    }

    // List operations: call only while holding the queue lock.

    /**
     * Links {@code node} at the tail (FIFO) or at the head ({@code first}, Go's LIFO re-queue).
     *
     * @param node a node linked in no queue
     * @param first link at the head instead of the tail
     */
    public void add(Node node, boolean first) {
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
        SIZE.setRelease(this, size + 1);
    }

    /**
     * Unlinks and returns the head.
     *
     * @return the former head, or null when empty
     */
    public Node poll() {
        Node n = head;
        if (n != null) {
            remove(n);
        }
        return n;
    }

    /**
     * The head, still linked.
     *
     * @return the head, or null when empty
     */
    public Node peek() {
        return head;
    }

    /**
     * Whether the queue is empty.
     *
     * @return true if no node is linked
     */
    public boolean isEmpty() {
        return head == null;
    }

    /**
     * Unlinks {@code node} if it is still linked here.
     *
     * @param node a node of this queue
     */
    public void remove(Node node) {
        if (!node.linked) {
            return;
        }
        Node p = node.prev;
        Node n = node.next;
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
        SIZE.setRelease(this, size - 1);
    }

    /**
     * Unlinks head nodes until one is granted: nodes whose waiter gave up, or was won through
     * another queue, are skipped and dropped. Wake the returned node with {@link #wake} after
     * releasing the lock.
     *
     * @return the granted node, or null when the queue ran empty
     */
    public Node grantNext() {
        Node n;
        while ((n = poll()) != null && !n.waiter.grant(n)) {
            // decided already (cancelled, or granted elsewhere): try the next one
        }
        return n;
    }

    /**
     * Grants {@code node}, which the caller has just unlinked.
     *
     * @param node an unlinked node of this queue
     * @return true if granted; false if its waiter was decided already
     */
    public boolean grant(Node node) {
        return node.waiter.grant(node);
    }

    /**
     * Unlinks every node and returns the former head; follow {@link #next(Node)} to walk them.
     *
     * @return the former head, or null when empty
     */
    public Node detachAll() {
        Node h = head;
        for (Node n = h; n != null; n = n.next) {
            n.linked = false;
        }
        head = tail = null;
        SIZE.setRelease(this, 0);
        return h;
    }

    /**
     * The node after {@code node} in a chain from {@link #detachAll()}; clears that link.
     *
     * @param node a detached node
     * @return the next detached node, or null
     */
    public static Node next(Node node) {
        Node n = node.next;
        node.next = null;
        node.prev = null;
        return n;
    }

    /**
     * Diagnostics (the contention profile, as Go's semrelease does): sums the time each linked
     * waiter with a start time ({@link Waiter#since()}) has waited since then, and restarts
     * each one's clock at {@code now}, so that every interval of waiting is counted once.
     * Takes the queue lock; linear in the queue's length, so called only while profiling.
     *
     * @param now the current System.nanoTime
     * @return the summed waiting time in nanoseconds
     */
    public long blameWaiters(long now) {
        long sum = 0L;
        lock();
        try {
            for (Node n = head; n != null; n = n.next) {
                Waiter w = n.waiter();
                long since = w.since();
                if (since != 0L && now > since) {
                    sum += now - since;
                    w.since(now);
                }
            }
        } finally {
            unlock();
        }
        return sum;
    }

    /**
     * Number of linked nodes (monitoring; racy).
     *
     * @return the queue length
     */
    public int size() {
        return size;
    }

    // Waking and waiting (no lock held)

    /**
     * Unparks the thread of a granted node.
     *
     * @param node the node returned by {@link #grantNext()} or granted by {@link #grant}
     */
    public static void wake(Node node) {
        node.waiter.wake();
    }

    /**
     * Parks until {@code w}, linked here (or already granted), is granted, the time runs out,
     * or (interruptible modes) the thread is interrupted. On time-out or interrupt, {@code w}
     * is cancelled and unlinked, unless a grant won the race: then the grant is kept, and an
     * interrupt is re-asserted. If a Throwable escapes the park (an error from the runtime's
     * park, say), {@code w} is cancelled and unlinked before it propagates, unless a grant won
     * the race: then {@link Waiter#granted()} is non-null and the caller owns that grant.
     *
     * @param w the calling thread's waiter
     * @param mode how to wait
     * @param nanos the time-out, for {@link WaitMode#TIMED}
     * @return {@link Waiter#GRANTED}, {@link Waiter#TIMED_OUT} or {@link Waiter#INTERRUPTED}
     *     (the last two only in the modes that allow them)
     */
    public int await(Waiter w, WaitMode mode, long nanos) {
        int outcome;
        try {
            outcome = park(w, mode, nanos);
        } catch (Throwable t) {
            cancel(w);
            throw t;
        }
        if (outcome != Waiter.GRANTED) {
            unlinkCancelled(w);
        }
        return outcome;
    }

    /**
     * As {@link #await}, but a cancelled {@code w} stays linked: the caller takes the lock and
     * unlinks it ({@link #remove}) together with whatever else its leaving changes.
     *
     * @param w the calling thread's waiter
     * @param mode how to wait
     * @param nanos the time-out, for {@link WaitMode#TIMED}
     * @return {@link Waiter#GRANTED}, {@link Waiter#TIMED_OUT} or {@link Waiter#INTERRUPTED}
     */
    public int park(Waiter w, WaitMode mode, long nanos) {
        return w.await(blocker, mode, nanos);
    }

    /**
     * As {@link #park(Waiter, WaitMode, long)}, polling first up to {@code spins} times
     * ({@link Waiter#await(Object, WaitMode, long, int)}).
     *
     * @param w the calling thread's waiter
     * @param mode how to wait
     * @param nanos the time-out, for {@link WaitMode#TIMED}
     * @param spins the polls before parking
     * @return {@link Waiter#GRANTED}, {@link Waiter#TIMED_OUT} or {@link Waiter#INTERRUPTED}
     */
    public int park(Waiter w, WaitMode mode, long nanos, int spins) {
        return w.await(blocker, mode, nanos, spins);
    }

    /**
     * Cancels {@code w} and unlinks it, without waiting.
     *
     * @param w the calling thread's waiter, linked here (or already granted)
     * @return true if it gave up in time; false if a grant won the race (the caller then owns
     *     the grant)
     */
    public boolean cancel(Waiter w) {
        if (!w.cancel()) {
            return false;
        }
        unlinkCancelled(w);
        return true;
    }

    private void unlinkCancelled(Node node) {
        lock();
        try {
            remove(node);
        } finally {
            unlock();
        }
    }

    // VarHandle mechanics
    private static final VarHandle LOCK;     // field "lock"
    private static final VarHandle SIZE;     // field "size"
    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            LOCK = l.findVarHandle(WaitQueue.class, "lock", int.class);
            SIZE = l.findVarHandle(WaitQueue.class, "size", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
