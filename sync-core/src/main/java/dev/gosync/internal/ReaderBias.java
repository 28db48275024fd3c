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
    /*
     * The hold, one word, 0 or 1. The owner moves it 0 -> 1 (acquire, and only from 0) and
     * 1 -> 0 (release, or backing out of a revoked acquire); any other thread moves it 1 -> 0
     * with one CAS (releaseByProxy). Nothing but the owner leaves 0, so its write of 1 never
     * overwrites another thread's; the only writes that can race, the owner's 1 -> 0 and a
     * proxy's CAS 1 -> 0, store the same value. So holds is exact in every interleaving:
     * 0 means the owner holds no fast-path read lock, and a writer that revokes and then reads
     * 0 may enter (Dekker with acquire's volatile write of 1); 1 means it holds one, or is
     * between that write and its read of revoked. A release on the owner's behalf leaves the
     * same state as its own release, so there is nothing to settle afterwards.
     *
     * Not a separate count of proxy releases (holds - proxied): the proxy's check (of holds)
     * and its write (a CAS of proxied) would be on two words, so an owner's write of holds in
     * between (its release, its back-out, or settling both counts back to zero) could leave
     * the difference at -1, and the owner's next fast-path hold would then look released.
     *
     * A proxy may take the 1 that acquire has written before acquire reads revoked: a stray
     * release while a writer holds the lock, say, lands in the owner's back-out window, and the
     * writer may leave before the owner reads revoked. So acquire re-reads holds after
     * revoked: had it returned true on revoked alone, it would read with holds 0, and a writer
     * could enter while it reads. The re-read sees the proxy's 0 (then it takes the shared
     * path, and the proxy released a hold that was never used), or else acquire has taken the
     * lock by then and a later proxy release is a release of that hold.
     *
     * Left undetected (both are misuse overlapping an owner's rLock or rUnlock): a stray
     * release that takes the 1 of an acquire about to back out, and one racing the owner's
     * own release of the same hold (both report success). The count stays exact, so the
     * owner's real holds still exclude writers; telling these apart from a legitimate proxy
     * release would take an atomic write on the owner's fast path.
     */
    private volatile int holds;
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
            return false;           // nested: the fast path is one deep; use the shared path
        }
        HOLDS.setVolatile(this, 1);  // StoreLoad: the writer sees this, or we see revoked
        if (!revoked && holds != 0) {
            return true;            // (holds: a proxy may have taken our 1 meanwhile; see notes)
        }
        HOLDS.setRelease(this, 0);  // undo: a writer is coming; use the shared path
        wakeWriter();
        return false;
    }

    /**
     * The owner releases its fast-path read lock, if it holds one.
     *
     * @return true if released; false if it holds none (release a shared-path one instead)
     */
    public boolean release() {
        if (holds == 0) {
            return false;           // none (released by a proxy, or a shared-path hold)
        }
        HOLDS.setRelease(this, 0);  // release; pairs with the writer's volatile read of holds
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
        if (!HOLDS.compareAndSet(this, 1, 0)) {
            return false;           // check and release in one step: see the notes on holds
        }
        if (revoked) {
            wakeWriter();
        }
        return true;
    }

    /**
     * Read locks held through the fast path now: 0 or 1 (racy unless revoked).
     *
     * @return the number of fast-path holds
     */
    public int holds() {
        return holds;
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
    private static final VarHandle REVOKED;     // field "revoked"
    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            HOLDS = l.findVarHandle(ReaderBias.class, "holds", int.class);
            REVOKED = l.findVarHandle(ReaderBias.class, "revoked", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
