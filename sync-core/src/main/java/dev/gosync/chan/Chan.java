package dev.gosync.chan;

import dev.gosync.internal.Node;
import dev.gosync.internal.Spin;
import dev.gosync.internal.Timeouts;
import dev.gosync.internal.WaitMode;
import dev.gosync.internal.WaitQueue;
import dev.gosync.internal.Waiter;
import java.time.Duration;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Go channel: a typed FIFO conduit between threads, unbuffered (a rendezvous) or buffered.
 *
 * <p><b>Go equivalent:</b> {@code make(chan T)} and {@code make(chan T, n)}.
 *
 * <p><b>Memory consistency effects:</b> a send happens-before the matching receive completes;
 * close happens-before a receive that returns because the channel is closed; with capacity C
 * the k-th receive happens-before the (k+C)-th send completes; on an unbuffered channel the
 * receive happens-before the matching send completes.
 *
 * <p><b>Misuse:</b> sending on a closed channel throws {@code IllegalStateException("send on
 * closed channel")}; closing twice throws {@code IllegalStateException("close of closed
 * channel")}; a null element throws {@code NullPointerException}. None changes the channel.
 *
 * @param <T> the element type
 */
public final class Chan<T> implements ReceiveChan<T>, SendChan<T> {
    /*
     * Implementation notes. One spin lock (recvq's) guards everything: the ring buffer, both
     * wait queues and the closed flag. A parked operation is a Node in recvq or sendq: a plain
     * Waiter for a single send or receive, one of a Select's linked nodes otherwise (all of a
     * select's nodes decide through its one Waiter, so exactly one of them is granted). The
     * element travels in the node (Node.item): a parked sender's value is set before it is
     * linked, and read by the receiver that polls it, which then grants it (a failed grant skips
     * it); a value for a parked receiver is written before the grant CAS, so the receiver sees
     * it once it sees the grant, and is taken back if the CAS fails. Close writes CLOSED into
     * each detached node before granting it.
     *
     * The locked operations below (offerLocked, pollLocked, link, unlink) are shared by this
     * class and Select, which holds the locks of all its channels at once, taken in id order.
     */
    private static final AtomicLong IDS = new AtomicLong();

    /** pollLocked: nothing ready. */
    static final Object EMPTY = new Object();
    /** pollLocked: closed and drained; in a node: woken by close. */
    static final Object CLOSED = new Object();
    private static final Received<?> CLOSED_RECEIVED = new Received<>(null, false);

    /** Select's lock order: channels are locked in increasing id. */
    final long id = IDS.getAndIncrement();
    private final Object[] buf;          // guarded by lock (recvq)
    private int head;                    // guarded by lock: index of the oldest element
    private int count;                   // guarded by lock: elements in buf
    private boolean closed;              // guarded by lock
    private final WaitQueue recvq = new WaitQueue(this);   // its lock guards all state
    private final WaitQueue sendq = new WaitQueue(this);   // guarded by recvq's lock
    /*
     * spins: how long the next waiter that is first in its queue polls before parking, adapted
     * by Spin.adapt to how this channel's hand-offs go (and probed by Spin.polls). A racy hint, read and written without
     * the lock: a lost update only mis-sizes one wait.
     */
    private int spins = Spin.HANDOFF;
    private int waits;                   // a racy count of waits, for Spin.polls' probes
    /*
     * pendingWake: the partner a locked operation granted, to be unparked by unlock() just after
     * the lock is released (as Go's chansend does), so that the woken thread does not find the
     * channel still locked. Guarded by the lock; at most one per locked section.
     */
    private Node pendingWake;

    /** Creates an unbuffered channel. */
    public Chan() {
        this(0);
    }

    /**
     * Creates a channel with a buffer of {@code capacity} elements.
     *
     * @param capacity the buffer size; 0 for unbuffered
     * @throws IllegalArgumentException if capacity is negative
     */
    public Chan(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("makechan: size out of range");
        }
        buf = new Object[capacity];
    }

    /**
     * Sends {@code v}, blocking uninterruptibly until a receiver takes it or buffer room exists.
     * An interrupt while blocked is re-asserted on return.
     *
     * @param v the value, not null
     * @throws IllegalStateException if the channel is or becomes closed
     * @throws NullPointerException if v is null
     */
    @Override
    public void send(T v) {
        try {
            doSend(v, WaitMode.UNINTERRUPTIBLE, 0L);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * As {@link #send}, but interruptible.
     *
     * @param v the value, not null
     * @throws InterruptedException if interrupted while waiting (v was not sent)
     * @throws IllegalStateException if the channel is or becomes closed
     * @throws NullPointerException if v is null
     */
    @Override
    public void sendInterruptibly(T v) throws InterruptedException {
        doSend(v, WaitMode.INTERRUPTIBLE, 0L);
    }

    /**
     * Sends {@code v} only if that can be done without waiting (Go's select with default).
     *
     * @param v the value, not null
     * @return true if sent
     * @throws IllegalStateException if the channel is closed
     * @throws NullPointerException if v is null
     */
    @Override
    public boolean trySend(T v) {
        try {
            return doSend(v, WaitMode.TIMED, 0L);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Sends {@code v}, waiting at most {@code timeout}.
     *
     * @param v the value, not null
     * @param timeout the longest wait
     * @return true if sent; false if the time ran out (v was not sent)
     * @throws InterruptedException if interrupted while waiting (v was not sent)
     * @throws IllegalStateException if the channel is or becomes closed
     * @throws NullPointerException if v is null
     */
    @Override
    public boolean trySend(T v, Duration timeout) throws InterruptedException {
        return doSend(v, WaitMode.TIMED, Timeouts.nanos(timeout));
    }

    /**
     * Receives a value, blocking uninterruptibly; returns null when the channel is closed and
     * drained (use {@link #receiveOk()} to tell). An interrupt is re-asserted on return.
     *
     * @return the value, or null if closed and drained
     */
    @Override
    @SuppressWarnings("unchecked")
    public T receive() {
        Object v = receiveUninterruptibly();
        return v == CLOSED ? null : (T) v;
    }

    /**
     * Receives a value, blocking uninterruptibly, Go's {@code v, ok := <-ch}.
     *
     * @return the value with ok=true, or (null, false) if closed and drained
     */
    @Override
    public Received<T> receiveOk() {
        return received(receiveUninterruptibly());
    }

    /**
     * Receives a value, blocking interruptibly.
     *
     * @return the value, or null if closed and drained
     * @throws InterruptedException if interrupted while waiting (nothing was received)
     */
    @Override
    @SuppressWarnings("unchecked")
    public T receiveInterruptibly() throws InterruptedException {
        Object v = doReceive(WaitMode.INTERRUPTIBLE, 0L);
        return v == CLOSED ? null : (T) v;
    }

    /**
     * Receives without waiting.
     *
     * @return null if nothing is ready; otherwise the value with ok=true, or (null, false) if
     *     closed and drained
     */
    @Override
    public Received<T> tryReceive() {
        try {
            Object v = doReceive(WaitMode.TIMED, 0L);
            return v == EMPTY ? null : received(v);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Receives, waiting at most {@code timeout}.
     *
     * @param timeout the longest wait
     * @return null if the time ran out; otherwise as {@link #tryReceive()}
     * @throws InterruptedException if interrupted while waiting (nothing was received)
     */
    @Override
    public Received<T> tryReceive(Duration timeout) throws InterruptedException {
        Object v = doReceive(WaitMode.TIMED, Timeouts.nanos(timeout));
        return v == EMPTY ? null : received(v);
    }

    /**
     * Closes the channel: blocked senders throw, blocked receivers return (null, false), and
     * buffered values stay receivable. Select cases waiting on it are woken alike.
     *
     * @throws IllegalStateException if already closed
     */
    @Override
    public void close() {
        Node rs;
        Node ss;
        recvq.lock();
        try {
            if (closed) {
                throw new IllegalStateException("close of closed channel");
            }
            closed = true;
            rs = recvq.detachAll();
            ss = sendq.detachAll();
        } finally {
            recvq.unlock();
        }
        wakeClosed(rs);
        wakeClosed(ss);
    }

    /**
     * Number of buffered elements (racy, as Go's len).
     *
     * @return the buffered count
     */
    @Override
    public int len() {
        recvq.lock();
        try {
            return count;
        } finally {
            recvq.unlock();
        }
    }

    /**
     * The buffer capacity.
     *
     * @return the capacity; 0 if unbuffered
     */
    @Override
    public int cap() {
        return buf.length;
    }

    /**
     * Ranges over received values until the channel is closed and drained (Go's
     * {@code for v := range ch}); hasNext() blocks uninterruptibly.
     *
     * @return an iterator receiving from this channel
     */
    @Override
    public Iterator<T> iterator() {
        return new Iterator<T>() {
            private Object next = EMPTY;    // EMPTY: not fetched yet

            @Override
            public boolean hasNext() {
                if (next == EMPTY) {
                    next = receiveUninterruptibly();
                }
                return next != CLOSED;
            }

            @Override
            @SuppressWarnings("unchecked")
            public T next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("channel closed and drained");
                }
                T v = (T) next;
                next = EMPTY;
                return v;
            }
        };
    }

    /**
     * Shows len, cap and closed.
     *
     * @return a description
     */
    @Override
    public String toString() {
        recvq.lock();
        try {
            return "Chan[len=" + count + ", cap=" + buf.length + ", closed=" + closed + "]";
        } finally {
            recvq.unlock();
        }
    }

    /** Tests: parked receivers and senders (select places included), as {receivers, senders}. */
    int[] waiting() {
        recvq.lock();
        try {
            return new int[] {recvq.size(), sendq.size()};
        } finally {
            recvq.unlock();
        }
    }

    // Locked operations: the caller holds lock(). Shared with Select.

    void lock() {
        recvq.lock();
    }

    /** Releases the lock, then wakes the partner the locked section granted, if any. */
    void unlock() {
        Node w = pendingWake;
        if (w != null) {
            pendingWake = null;
        }
        recvq.unlock();
        if (w != null) {
            WaitQueue.wake(w);
        }
    }

    /**
     * Sends without waiting: to the first parked receiver that takes it, else into the buffer.
     *
     * @return false if neither can take it
     * @throws IllegalStateException if closed (nothing changed)
     */
    boolean offerLocked(Object v) {
        if (closed) {
            throw new IllegalStateException("send on closed channel");
        }
        Node r;
        while ((r = recvq.poll()) != null) {
            r.item(v);                      // before the grant: the receiver reads it after
            if (recvq.grant(r)) {
                pendingWake = r;            // unparked by unlock()
                return true;
            }
            r.item(null);                   // it gave up: take the value back
        }
        if (count < buf.length) {
            buf[(head + count) % buf.length] = v;
            count++;
            return true;
        }
        return false;
    }

    /**
     * Receives without waiting: from the first parked sender that is still there (with a full
     * buffer: the head, and the sender's value goes to the tail, as in Go), else from the buffer.
     *
     * @return the value; CLOSED if closed and drained; EMPTY if nothing is ready
     */
    Object pollLocked() {
        Node s;
        while ((s = sendq.poll()) != null) {
            if (sendq.grant(s)) {           // its value is its own until we win the grant
                Object sv = s.item();
                pendingWake = s;            // unparked by unlock()
                if (buf.length == 0) {
                    return sv;
                }
                Object hv = buf[head];      // full buffer: take the head, append the sender's
                buf[head] = sv;
                head = (head + 1) % buf.length;
                return hv;
            }
        }
        if (count > 0) {
            Object hv = buf[head];
            buf[head] = null;
            head = (head + 1) % buf.length;
            count--;
            return hv;
        }
        return closed ? CLOSED : EMPTY;
    }

    /** Parks {@code n} as a sender (its item set) or a receiver; true if it is the first. */
    boolean link(Node n, boolean send) {
        WaitQueue q = send ? sendq : recvq;
        boolean first = q.isEmpty();
        q.add(n, false);
        return first;
    }

    /** Unlinks {@code n} if still linked (it gave up, or another of its select's nodes won). */
    void unlink(Node n, boolean send) {
        (send ? sendq : recvq).remove(n);
    }

    // Slow paths

    private boolean doSend(T v, WaitMode mode, long nanos) throws InterruptedException {
        Objects.requireNonNull(v, "chan: send of null element");
        Waiter w;
        int spins;
        recvq.lock();
        try {
            if (offerLocked(v)) {
                return true;
            }
            if (mode == WaitMode.TIMED && nanos <= 0L) {
                return false;
            }
            w = new Waiter();
            w.item(v);
            spins = sendq.isEmpty() ? budget() : 0;    // only the first can expect a partner soon
            sendq.add(w, false);
        } finally {
            unlock();
        }
        if (!awaitGrant(w, true, mode, nanos, spins)) {
            return false;
        }
        if (w.item() == CLOSED) {
            throw new IllegalStateException("send on closed channel");
        }
        return true;
    }

    private Object receiveUninterruptibly() {
        try {
            return doReceive(WaitMode.UNINTERRUPTIBLE, 0L);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** The value, CLOSED if closed and drained, or EMPTY if the time ran out. */
    private Object doReceive(WaitMode mode, long nanos) throws InterruptedException {
        Waiter w;
        int spins;
        recvq.lock();
        try {
            Object v = pollLocked();
            if (v != EMPTY || (mode == WaitMode.TIMED && nanos <= 0L)) {
                return v;
            }
            w = new Waiter();
            spins = recvq.isEmpty() ? budget() : 0;
            recvq.add(w, false);
        } finally {
            unlock();
        }
        return awaitGrant(w, false, mode, nanos, spins) ? w.item() : EMPTY;
    }

    /**
     * Parks {@code w}, linked in sendq or recvq (polling first {@code spins} times), and unlinks it (under the channel's lock, which
     * guards both queues) if it gave up: on time-out, interrupt, or an error escaping the park
     * (a grant that won the race is then kept by the caller: a parked sender's value was taken,
     * a parked receiver's is in its node).
     *
     * @return true if granted; false if the time ran out
     * @throws InterruptedException if interrupted (w gave up)
     */
    private boolean awaitGrant(Waiter w, boolean send, WaitMode mode, long nanos, int spins)
            throws InterruptedException {
        WaitQueue q = send ? sendq : recvq;
        int outcome;
        try {
            outcome = q.park(w, mode, nanos, spins);
        } catch (Throwable t) {
            if (w.cancel()) {
                unlinkLocking(w, send);
            }
            throw t;
        }
        if (spins > 0) {
            this.spins = Spin.adapt(spins, w.grantedWhilePolling());
        }
        if (outcome == Waiter.GRANTED) {
            return true;
        }
        unlinkLocking(w, send);
        if (outcome == Waiter.INTERRUPTED) {
            throw new InterruptedException();
        }
        return false;
    }

    /** Takes the lock and unlinks {@code n} if still linked (a waiter or select leaving). */
    void unlinkLocking(Node n, boolean send) {
        recvq.lock();
        try {
            unlink(n, send);
        } finally {
            recvq.unlock();
        }
    }

    private int budget() {
        return Spin.polls(spins, ++waits);
    }

    @SuppressWarnings("unchecked")
    private static <T> Received<T> received(Object v) {
        return v == CLOSED ? (Received<T>) CLOSED_RECEIVED : new Received<>((T) v, true);
    }

    private void wakeClosed(Node chain) {
        for (Node n = chain; n != null; ) {
            Node next = WaitQueue.next(n);
            n.item(CLOSED);                 // before the grant
            if (recvq.grant(n)) {
                WaitQueue.wake(n);
            }
            n = next;
        }
    }
}
