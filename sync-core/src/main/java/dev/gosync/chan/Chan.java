package dev.gosync.chan;

import dev.gosync.internal.Timeouts;
import dev.gosync.internal.WaitMode;
import dev.gosync.internal.WaitQueue;
import dev.gosync.internal.Waiter;
import java.time.Duration;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;

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
     * wait queues and the closed flag. A value handed to a parked receiver is written into its
     * Slot before the grant CAS, so the receiver sees it once it sees the grant; if the CAS
     * fails (the receiver timed out or was interrupted) the value is taken back and the next
     * receiver tried. A parked sender's value is read before its grant; a failed grant skips it.
     * Select is not here yet: today each parked thread's Waiter is its own queue node (Slot);
     * a Select would link one Waiter into several queues via Waiter.link(caseIndex), which
     * needs the element slot moved onto the linked Node (an addition to dev.gosync.internal).
     */
    private final Object[] buf;          // guarded by lock (recvq)
    private int head;                    // guarded by lock: index of the oldest element
    private int count;                   // guarded by lock: elements in buf
    private boolean closed;              // guarded by lock
    private final WaitQueue recvq = new WaitQueue(this);   // its lock guards all state
    private final WaitQueue sendq = new WaitQueue(this);   // guarded by recvq's lock

    /** A parked thread with its element slot. */
    private static final class Slot extends Waiter {
        Object item;       // written before the grant CAS, read after observing the grant
        boolean closedWake;   // set before the grant when woken by close
    }

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
    public boolean trySend(T v, Duration timeout) throws InterruptedException {
        return doSend(v, WaitMode.TIMED, Timeouts.nanos(timeout));
    }

    /**
     * Receives a value, blocking uninterruptibly; returns null when the channel is closed and
     * drained (use {@link #receiveOk()} to tell). An interrupt is re-asserted on return.
     *
     * @return the value, or null if closed and drained
     */
    public T receive() {
        return receiveOk().value();
    }

    /**
     * Receives a value, blocking uninterruptibly, Go's {@code v, ok := <-ch}.
     *
     * @return the value with ok=true, or (null, false) if closed and drained
     */
    public Received<T> receiveOk() {
        try {
            return doReceive(WaitMode.UNINTERRUPTIBLE, 0L);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Receives a value, blocking interruptibly.
     *
     * @return the value, or null if closed and drained
     * @throws InterruptedException if interrupted while waiting (nothing was received)
     */
    public T receiveInterruptibly() throws InterruptedException {
        return doReceive(WaitMode.INTERRUPTIBLE, 0L).value();
    }

    /**
     * Receives without waiting.
     *
     * @return null if nothing is ready; otherwise the value with ok=true, or (null, false) if
     *     closed and drained
     */
    public Received<T> tryReceive() {
        try {
            return doReceive(WaitMode.TIMED, 0L);
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
    public Received<T> tryReceive(Duration timeout) throws InterruptedException {
        return doReceive(WaitMode.TIMED, Timeouts.nanos(timeout));
    }

    /**
     * Closes the channel: blocked senders throw, blocked receivers return (null, false), and
     * buffered values stay receivable.
     *
     * @throws IllegalStateException if already closed
     */
    public void close() {
        Waiter rs;
        Waiter ss;
        recvq.lock();
        try {
            if (closed) {
                throw new IllegalStateException("close of closed channel");
            }
            closed = true;
            rs = (Waiter) recvq.detachAll();
            ss = (Waiter) sendq.detachAll();
        } finally {
            recvq.unlock();
        }
        wakeClosed(rs, recvq);
        wakeClosed(ss, sendq);
    }

    /**
     * Number of buffered elements (racy, as Go's len).
     *
     * @return the buffered count
     */
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
            private Received<T> next;

            @Override
            public boolean hasNext() {
                if (next == null) {
                    next = receiveOk();
                }
                return next.ok();
            }

            @Override
            public T next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("channel closed and drained");
                }
                T v = next.value();
                next = null;
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

    // Slow paths

    private boolean doSend(T v, WaitMode mode, long nanos) throws InterruptedException {
        Objects.requireNonNull(v, "chan: send of null element");
        Slot w;
        recvq.lock();
        try {
            if (closed) {
                throw new IllegalStateException("send on closed channel");
            }
            Slot r;
            while ((r = (Slot) recvq.poll()) != null) {
                r.item = v;                  // before the grant: the receiver reads it after
                if (recvq.grant(r)) {
                    WaitQueue.wake(r);
                    return true;
                }
                r.item = null;               // it gave up: take the value back
            }
            if (count < buf.length) {
                buf[(head + count) % buf.length] = v;
                count++;
                return true;
            }
            if (mode == WaitMode.TIMED && nanos <= 0L) {
                return false;
            }
            w = new Slot();
            w.item = v;
            sendq.add(w, false);
        } finally {
            recvq.unlock();
        }
        return awaitSend(w, mode, nanos);
    }

    private boolean awaitSend(Slot w, WaitMode mode, long nanos) throws InterruptedException {
        int outcome = park(sendq, w, mode, nanos);
        if (outcome != Waiter.GRANTED) {
            if (outcome == Waiter.INTERRUPTED) {
                throw new InterruptedException();
            }
            return false;
        }
        if (w.closedWake) {
            throw new IllegalStateException("send on closed channel");
        }
        return true;
    }

    @SuppressWarnings("unchecked")
    private Received<T> doReceive(WaitMode mode, long nanos) throws InterruptedException {
        Slot w;
        recvq.lock();
        try {
            Slot s;
            while ((s = (Slot) sendq.poll()) != null) {
                Object sv = s.item;          // read before the grant; skipped if it gave up
                if (sendq.grant(s)) {
                    WaitQueue.wake(s);
                    if (buf.length == 0) {
                        return new Received<>((T) sv, true);
                    }
                    Object hv = buf[head];   // full buffer: take the head, append the sender's
                    buf[head] = sv;
                    head = (head + 1) % buf.length;
                    return new Received<>((T) hv, true);
                }
            }
            if (count > 0) {
                Object hv = buf[head];
                buf[head] = null;
                head = (head + 1) % buf.length;
                count--;
                return new Received<>((T) hv, true);
            }
            if (closed) {
                return new Received<>(null, false);
            }
            if (mode == WaitMode.TIMED && nanos <= 0L) {
                return null;
            }
            w = new Slot();
            recvq.add(w, false);
        } finally {
            recvq.unlock();
        }
        return awaitReceive(w, mode, nanos);
    }

    @SuppressWarnings("unchecked")
    private Received<T> awaitReceive(Slot w, WaitMode mode, long nanos)
            throws InterruptedException {
        int outcome = park(recvq, w, mode, nanos);
        if (outcome != Waiter.GRANTED) {
            if (outcome == Waiter.INTERRUPTED) {
                throw new InterruptedException();
            }
            return null;
        }
        if (w.closedWake) {
            return new Received<>(null, false);
        }
        return new Received<>((T) w.item, true);
    }

    /**
     * Parks {@code w}, linked in {@code q}, and unlinks it (under the channel's lock, which
     * guards both queues) if it gave up: on time-out, interrupt, or an error escaping the park
     * (a grant that won the race is then kept by the caller: a parked sender's value was taken,
     * a parked receiver's is in its slot).
     */
    private int park(WaitQueue q, Slot w, WaitMode mode, long nanos) {
        int outcome;
        try {
            outcome = q.park(w, mode, nanos);
        } catch (Throwable t) {
            if (w.cancel()) {
                unlink(q, w);
            }
            throw t;
        }
        if (outcome != Waiter.GRANTED) {
            unlink(q, w);
        }
        return outcome;
    }

    private void unlink(WaitQueue q, Slot w) {
        recvq.lock();
        try {
            q.remove(w);
        } finally {
            recvq.unlock();
        }
    }

    private static void wakeClosed(Waiter chain, WaitQueue q) {
        for (Waiter n = chain; n != null; ) {
            Waiter next = (Waiter) WaitQueue.next(n);
            ((Slot) n).closedWake = true;    // before the grant
            if (q.grant(n)) {
                WaitQueue.wake(n);
            }
            n = next;
        }
    }
}
