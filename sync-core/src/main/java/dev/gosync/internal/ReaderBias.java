package dev.gosync.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

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
    /** Polls before a writer parks (0 on one CPU: the owner cannot run meanwhile). */
    private static final int SPINS = Runtime.getRuntime().availableProcessors() > 1 ? 128 : 0;
    /** Parks between polls start at MIN_PARK and double up to MAX_PARK. */
    private static final long MIN_PARK = 10_000L;
    private static final long MAX_PARK = 1_000_000L;

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
    private volatile Thread waiter;

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
            awaitNoHolds(blocker);
        }
    }

    /** A writer leaving: the owner may take the fast path again. */
    public void enable() {
        REVOKED.setRelease(this, false);    // no StoreLoad needed to let the owner in
    }

    private void wakeWriter() {
        Thread t = waiter;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    private void awaitNoHolds(Object blocker) {
        try {
            awaitNoHolds(blocker, false, false, 0L);
        } catch (InterruptedException e) {
            throw new AssertionError(e);    // not interruptible
        }
    }

    /**
     * A writer that has revoked the record waits interruptibly until the owner holds nothing.
     *
     * @param blocker the lock, reported as the parked writer's blocker
     * @param timed whether {@code deadline} applies
     * @param deadline the {@link System#nanoTime()} to give up at, if timed
     * @return true when the owner holds nothing; false if the deadline passed first
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean awaitNoHolds(Object blocker, boolean timed, long deadline)
            throws InterruptedException {
        return awaitNoHolds(blocker, true, timed, deadline);
    }

    /*
     * The owner's release is a plain release store (that is the point of the bias), so
     * it cannot reliably see that we are parked: it wakes us when it reads revoked, which
     * it does unless its read overtakes our write of revoked. Parks are therefore timed,
     * from 10 us doubling to 1 ms: a wake-up missed in that race costs at most one park.
     */
    private boolean awaitNoHolds(Object blocker, boolean interruptible, boolean timed,
            long deadline) throws InterruptedException {
        for (int i = 0; i < SPINS; i++) {
            if (holds() == 0) {
                return true;
            }
            Thread.onSpinWait();
        }
        Thread me = Thread.currentThread();
        boolean interrupted = false;
        waiter = me;
        try {
            for (long park = MIN_PARK; holds() != 0; park = Math.min(park << 1, MAX_PARK)) {
                long nanos = park;
                if (timed) {
                    nanos = Math.min(nanos, deadline - System.nanoTime());
                    if (nanos <= 0L) {
                        return false;
                    }
                }
                LockSupport.parkNanos(blocker, nanos);
                if (Thread.interrupted()) {
                    if (interruptible) {
                        throw new InterruptedException();
                    }
                    interrupted = true;
                }
            }
            return true;
        } finally {
            waiter = null;
            if (interrupted) {
                me.interrupt();
            }
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
