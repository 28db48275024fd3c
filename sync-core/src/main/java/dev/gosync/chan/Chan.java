package dev.gosync.chan;

import dev.gosync.internal.Node;
import dev.gosync.internal.Spin;
import dev.gosync.internal.Timeouts;
import dev.gosync.internal.WaitMode;
import dev.gosync.internal.WaitQueue;
import dev.gosync.internal.Waiter;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
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
     * Implementation notes. One spin lock (recvq's) guards everything but the slot (below):
     * the ring buffer, both wait queues and the closed flag. A parked operation is a Node in
     * recvq or sendq: a plain Waiter for a single send or receive, one of a Select's linked
     * nodes otherwise (all of a select's nodes decide through its one Waiter, so exactly one
     * of them is granted). The
     * element travels in the node (Node.item): a parked sender's value is set before it is
     * linked, and read by the receiver that polls it, which then grants it (a failed grant skips
     * it); a value for a parked receiver is written before the grant CAS, so the receiver sees
     * it once it sees the grant, and is taken back if the CAS fails. Close writes CLOSED into
     * each detached node before granting it.
     *
     * The locked operations below (offerLocked, pollLocked, link, unlink) are shared by this
     * class and Select, which holds the locks of all its channels at once, taken in id order.
     *
     * The slot: an unbuffered channel with at most one operation waiting (a ping-pong, a
     * worker waiting for its next job) hands over without the lock, through one CAS on `slot`,
     * so that a hand-off moves two cache lines between the threads (the slot's and the
     * waiter's) instead of the lock's, both queues' and this object's. The lock stays in
     * charge of everything else: lock() seals the slot (moving a waiter found there to the
     * head of its queue, where the locked code finds it as it always did) and unlock() reopens
     * it only when both queues are empty and the channel is open. So a lock-free operation
     * sees null (nobody waits, open: it may wait in the slot itself) or one partner's waiter
     * (it may claim it by CAS) or SEALED (it takes the lock). A claim and the seal race on the
     * same CAS, so a waiter is taken exactly once; its own give-up takes the lock, which
     * seals, so it finds the waiter in a queue. A closed channel stays sealed: a send that
     * claimed a receiver from the slot did so before close sealed it, and is ordered first.
     */
    private static final AtomicLong IDS = new AtomicLong();

    /** pollLocked: nothing ready. */
    static final Object EMPTY = new Object();
    /** pollLocked: closed and drained; in a node: woken by close. */
    static final Object CLOSED = new Object();
    /** slot: the lock is in charge. */
    private static final Object SEALED = new Object();
    /** A Chan waiter's payload: its direction, which a partner reads from the slot. */
    private static final long RECEIVE = 0L;
    private static final long SEND = 1L;
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
     * slot (unbuffered only; a buffered channel is SEALED for good):
     *   null      open, and no operation waits: both queues are empty
     *   a Waiter  the one waiting send (arg SEND, its item set) or receive (arg RECEIVE),
     *             parked without the lock; both queues are empty
     *   SEALED    the lock is in charge: held now, or a node is queued, or closed
     * null -> Waiter by its owner, Waiter -> null by the partner that claims it, both CAS
     * without the lock; null or Waiter -> SEALED by lock() (CAS); SEALED -> null by unlock()
     * (under the lock, queues empty, open). See the implementation notes.
     */
    private volatile Object slot;
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
        slot = capacity == 0 ? null : SEALED;
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
        lock();                             // seals the slot: for good, once closed
        try {
            if (closed) {
                throw new IllegalStateException("close of closed channel");
            }
            closed = true;
            rs = recvq.detachAll();
            ss = sendq.detachAll();
        } finally {
            unlock();
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
        if (buf.length == 0) {
            return 0;
        }
        lock();
        try {
            return count;
        } finally {
            unlock();
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
        lock();
        try {
            return "Chan[len=" + count + ", cap=" + buf.length + ", closed=" + closed + "]";
        } finally {
            unlock();
        }
    }

    /**
     * Tests: parked receivers and senders (select places and a waiter in the slot included),
     * as {receivers, senders}.
     */
    int[] waiting() {
        lock();                             // moves a waiter in the slot into its queue
        try {
            return new int[] {recvq.size(), sendq.size()};
        } finally {
            unlock();
        }
    }

    /** Tests: whether the slot is open or holds a waiter (the lock-free path is usable). */
    boolean slotOpen() {
        return slot != SEALED;
    }

    // Locked operations: the caller holds lock(). Shared with Select.

    /** Takes the lock and seals the slot (a waiter found there goes to its queue's head). */
    void lock() {
        recvq.lock();
        if (slot != SEALED) {
            seal();
        }
    }

    private void seal() {
        Object s;
        while ((s = slot) != SEALED) {
            if (SLOT.compareAndSet(this, s, SEALED)) {
                if (s != null) {            // both queues are empty: it is first
                    Waiter w = (Waiter) s;
                    (w.arg() == SEND ? sendq : recvq).add(w, false);
                }
                return;
            }
        }
    }

    /**
     * Reopens the slot if nobody is queued, releases the lock, then wakes the partner the
     * locked section granted, if any.
     */
    void unlock() {
        if (buf.length == 0 && !closed && recvq.isEmpty() && sendq.isEmpty()) {
            SLOT.setRelease(this, null);
        }
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

    /*
     * The fast paths (doSend, doReceive) work on the slot only: claim a partner's waiter from
     * it, or, finding it empty, wait in it. Anything else (a partner queued, one of the same
     * direction waiting, a buffer, closed) takes the lock.
     */

    private boolean doSend(T v, WaitMode mode, long nanos) throws InterruptedException {
        Objects.requireNonNull(v, "chan: send of null element");
        Waiter w = null;
        int spins = 0;
        for (Object s; (s = slot) == null || waits(s, RECEIVE); ) {
            if (s != null) {
                if (SLOT.compareAndSet(this, s, null) && handOff((Waiter) s, v)) {
                    return true;
                }
            } else if (mode == WaitMode.TIMED && nanos <= 0L) {
                return false;               // open, and no receiver waits
            } else {
                if (w == null) {
                    w = new Waiter(SEND);
                    w.item(v);
                    spins = spinning(w, budget());
                }
                if (SLOT.compareAndSet(this, null, w)) {
                    return awaitSent(w, mode, nanos, spins);
                }
            }
        }
        return sendLocked(v, mode, nanos);
    }

    /** Gives {@code v} to receiver {@code r}, claimed from the slot; false if it gave up. */
    private boolean handOff(Waiter r, Object v) {
        r.item(v);                          // before the grant: the receiver reads it after
        if (recvq.grant(r)) {
            WaitQueue.wake(r);
            return true;
        }
        r.item(null);                       // it gave up: take the value back
        return false;
    }

    private boolean sendLocked(T v, WaitMode mode, long nanos) throws InterruptedException {
        Waiter w;
        int spins;
        lock();
        try {
            if (offerLocked(v)) {
                return true;
            }
            if (mode == WaitMode.TIMED && nanos <= 0L) {
                return false;
            }
            w = new Waiter(SEND);
            w.item(v);
            // only the first can expect a partner soon
            spins = sendq.isEmpty() ? spinning(w, budget()) : 0;
            sendq.add(w, false);
        } finally {
            unlock();
        }
        return awaitSent(w, mode, nanos, spins);
    }

    private boolean awaitSent(Waiter w, WaitMode mode, long nanos, int spins)
            throws InterruptedException {
        if (!awaitGrant(w, true, mode, nanos, spins)) {
            return false;
        }
        if (w.item() == CLOSED) {
            throw new IllegalStateException("send on closed channel");
        }
        return true;
    }

    /** Whether slot value {@code s} is a waiter of direction {@code dir} (SEND or RECEIVE). */
    private static boolean waits(Object s, long dir) {
        return s instanceof Waiter && ((Waiter) s).arg() == dir;
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
        Waiter w = null;
        int spins = 0;
        for (Object s; (s = slot) == null || waits(s, SEND); ) {
            if (s != null) {
                Waiter sw = (Waiter) s;
                if (SLOT.compareAndSet(this, s, null) && sendq.grant(sw)) {
                    Object v = sw.item();   // its value is its own until we win the grant
                    WaitQueue.wake(sw);
                    return v;
                }
            } else if (mode == WaitMode.TIMED && nanos <= 0L) {
                return EMPTY;               // open, and no sender waits
            } else {
                if (w == null) {
                    w = new Waiter(RECEIVE);
                    spins = spinning(w, budget());
                }
                if (SLOT.compareAndSet(this, null, w)) {
                    return awaitGrant(w, false, mode, nanos, spins) ? w.item() : EMPTY;
                }
            }
        }
        return receiveLocked(mode, nanos);
    }

    private Object receiveLocked(WaitMode mode, long nanos) throws InterruptedException {
        Waiter w;
        int spins;
        lock();
        try {
            Object v = pollLocked();
            if (v != EMPTY || (mode == WaitMode.TIMED && nanos <= 0L)) {
                return v;
            }
            w = new Waiter(RECEIVE);
            spins = recvq.isEmpty() ? spinning(w, budget()) : 0;
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
            adapt(spins, w.grantedWhilePolling());
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
        lock();                             // seals: a waiter still in the slot is queued now
        try {
            unlink(n, send);
        } finally {
            unlock();
        }
    }

    /*
     * budget and adapt write the shared hints only when they change: in a steady ping-pong the
     * budget stays full, and a store on every wait would move this object's cache line between
     * the two threads on every hand-off.
     */
    private int budget() {
        int s = spins;
        return s >= Spin.HANDOFF ? s : Spin.polls(s, ++waits);
    }

    /** The budget for {@code w}, not linked yet, marked as polling if it is to poll. */
    private static int spinning(Waiter w, int budget) {
        if (budget > 0) {
            w.willSpin();
        }
        return budget;
    }

    private void adapt(int used, boolean won) {
        int next = Spin.adapt(used, won);
        if (next != spins) {
            spins = next;
        }
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

    // VarHandle mechanics
    private static final VarHandle SLOT;        // field "slot"
    static {
        try {
            SLOT = MethodHandles.lookup().findVarHandle(Chan.class, "slot", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
