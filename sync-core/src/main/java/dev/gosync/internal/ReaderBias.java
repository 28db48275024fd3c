package dev.gosync.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The reader bias of an {@code RWMutex}: one thread's fast read path. The owner takes a read
 * lock with one volatile write to this record (no CAS, no cache line shared with other
 * readers) and releases it with a release store; a writer revokes the record and then waits
 * until the owner's hold is gone.
 *
 * <p><b>Memory consistency effects:</b> Dekker's pattern on two volatile fields keeps the owner
 * and a writer apart: the owner writes {@code holds} then reads {@code revoked}, a writer writes
 * {@code revoked} then reads {@code holds}, so at least one of them sees the other. Actions of
 * the owner before its {@link #release()} happen-before a writer's return from
 * {@link #revokeAndAwait} or {@link #awaitNoHolds} that sees the release; actions of a writer
 * before {@link #enable()} happen-before the owner's next successful {@link #acquire()}.
 * (jcstress: {@code RWMutexStress.BiasedReaderSeesWholeWrite}, {@code
 * RWMutexStress.BiasedReaderExcludesWriter}.)
 *
 * <p><b>Callers' contract:</b> only the owner calls {@link #acquire()} and {@link #release()};
 * writers call {@link #revoke()}, {@link #enable()} and the waits one at a time (the
 * RWMutex's writer mutex orders them); any thread may call {@link #releaseByProxy()}.
 *
 * <p><b>Progress:</b> the owner's operations are wait-free; a writer polls and parks.
 */
public final class ReaderBias {
    private final Thread owner;
    /**
     * Fast-path read locks taken by owner, ever, minus those settled (written by owner
     * only). holds - proxied is the number held now: 0 or 1, as the fast path is one deep.
     */
    private volatile int holds;
    /** Of those, released by other threads on the owner's behalf (CAS, by any thread). */
    private volatile int proxied;
    /** Set by a writer before it waits; the owner's fast path then fails. */
    private volatile boolean revoked;
    /** The writer waiting for the owner's hold, if parked (one writer at a time). */
    private volatile Drain waiter;

    /**
     * Creates an enabled record for {@code owner}, holding nothing.
     *
     * @param owner the thread whose read locks take the fast path
     */
    public ReaderBias(Thread owner) {
        this.owner = owner;
    }

    /**
     * The thread this record belongs to.
     *
     * @return the owner
     */
    public Thread owner() {
        return owner;
    }

    /**
     * The owner takes a fast-path read lock, unless it holds one already or a writer has
     * revoked the record.
     *
     * @return true if the read lock was taken; false to take the shared path instead
     */
    public boolean acquire() {
        if (holds != 0) {
            return acquireSlow();   // a nested read lock, or proxy releases to settle
        }
        HOLDS.setVolatile(this, 1);  // StoreLoad: the writer sees this, or we see revoked
        if (!revoked) {
            return true;
        }
        HOLDS.setRelease(this, 0);  // undo: a writer is coming; use the shared path
        wakeWriter();
        return false;
    }

    private boolean acquireSlow() {
        int p = proxied;
        if (holds != p) {
            return false;           // we hold one: nested read locks take the shared path
        }
        // All our holds were released by others: settle before counting from zero.
        // proxied first, so that holds - proxied never drops below the true count.
        if (!PROXIED.compareAndSet(this, p, 0)) {
            return false;
        }
        HOLDS.setVolatile(this, 0);
        return acquire();
    }

    /**
     * The owner releases its fast-path read lock, if it holds one.
     *
     * @return true if released; false if it holds none (release a shared-path one instead)
     */
    public boolean release() {
        int h = holds;
        if (h == proxied) {
            return false;           // none (released by a proxy, or a shared-path hold)
        }
        HOLDS.setRelease(this, h - 1);
        if (revoked) {
            wakeWriter();
        }
        return true;
    }

    /**
     * Another thread releases the owner's fast-path read lock on its behalf (Go lets any
     * goroutine RUnlock).
     *
     * @return true if the owner held one, now released; false if it holds none
     */
    public boolean releaseByProxy() {
        for (;;) {
            int p = proxied;
            if (holds - p <= 0) {
                return false;
            }
            if (PROXIED.compareAndSet(this, p, p + 1)) {
                if (revoked) {
                    wakeWriter();
                }
                return true;
            }
        }
    }

    /**
     * Read locks held through the fast path now: 0 or 1 (racy unless revoked).
     *
     * @return the number of fast-path holds
     */
    public int holds() {
        return holds - proxied;
    }

    /** A writer: the owner's fast path fails from now on (until {@link #enable()}). */
    public void revoke() {
        if (!revoked) {
            revoked = true;     // volatile: ordered before our reads of holds
        }
    }

    /**
     * A writer that already excludes the shared readers: revokes, then waits (not
     * interruptibly) until the owner holds nothing.
     *
     * @param blocker the lock, reported as the parked writer's blocker
     */
    public void revokeAndAwait(Object blocker) {
        revoke();
        if (holds() != 0) {
            drain(blocker, WaitMode.UNINTERRUPTIBLE, 0L);
        }
    }

    /** A writer leaving: the owner may take the fast path again. */
    public void enable() {
        REVOKED.setRelease(this, false);    // no StoreLoad needed to let the owner in
    }

    /** Wakes the parked writer, if any, to look at holds again. */
    private void wakeWriter() {
        Drain d = waiter;
        if (d != null && d.grant(d)) {
            WaitQueue.wake(d);
        }
    }

    /**
     * A writer that has revoked the record waits until the owner holds nothing.
     *
     * @param blocker the lock, reported as the parked writer's blocker
     * @param mode {@link WaitMode#INTERRUPTIBLE} or {@link WaitMode#TIMED}
     * @param deadline the {@link System#nanoTime()} to give up at, for {@code TIMED}
     * @return true when the owner holds nothing; false if the deadline passed first
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean awaitNoHolds(Object blocker, WaitMode mode, long deadline)
            throws InterruptedException {
        int outcome = drain(blocker, mode, deadline);
        if (outcome == Waiter.INTERRUPTED) {
            throw new InterruptedException();
        }
        return outcome == Waiter.GRANTED;
    }

    /** Spins, then parks until the owner holds nothing; returns a Waiter outcome. */
    private int drain(Object blocker, WaitMode mode, long deadline) {
        for (int i = 0; i < Spin.POLLS; i++) {
            if (holds() == 0) {
                return Waiter.GRANTED;
            }
            Thread.onSpinWait();
        }
        Drain d = new Drain(this);
        waiter = d;     // volatile: ordered before our reads of holds, as revoked is
        try {
            while (holds() != 0) {
                long nanos = mode == WaitMode.TIMED ? deadline - System.nanoTime() : 0L;
                if (mode == WaitMode.TIMED && nanos <= 0L) {
                    return Waiter.TIMED_OUT;
                }
                int outcome = d.await(blocker, mode, nanos);
                if (outcome != Waiter.GRANTED) {
                    return outcome == Waiter.TIMED_OUT && holds() == 0 ? Waiter.GRANTED : outcome;
                }
                d.rearm();  // woken, or polled, with a hold still there: look again
            }
            return Waiter.GRANTED;
        } finally {
            waiter = null;
        }
    }

    /*
     * The owner's release is a plain release store (that is the point of the bias), so it
     * cannot reliably see that the writer is parked: it wakes the writer when it reads
     * revoked, which it does unless its read overtakes the writer's write of revoked. The
     * writer's waiter therefore polls holds between short parks (Waiter's slices, from 10 us
     * doubling to 1 ms): a wake-up missed in that race costs at most one slice. A grant here
     * only means "look again", so re-arming after a stale grant is harmless.
     */
    private static final class Drain extends Waiter {
        private final ReaderBias bias;

        Drain(ReaderBias bias) {
            this.bias = bias;
        }

        @Override
        boolean poll() {
            return bias.holds() == 0;
        }

        @Override
        boolean polls() {
            return true;
        }
    }

    private static final VarHandle HOLDS;       // field "holds"
    private static final VarHandle PROXIED;     // field "proxied"
    private static final VarHandle REVOKED;     // field "revoked"
    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            HOLDS = l.findVarHandle(ReaderBias.class, "holds", int.class);
            PROXIED = l.findVarHandle(ReaderBias.class, "proxied", int.class);
            REVOKED = l.findVarHandle(ReaderBias.class, "revoked", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
