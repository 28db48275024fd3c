package dev.gosync.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The lock-order checker's record of one lock instance (a Mutex, an RWMutex or a Weighted):
 * its lock class, its declared rank, and what is needed to forget a hold released by a thread
 * other than the one that took it. Exists only while the checker is on; an off build keeps a
 * null in the primitive's field.
 *
 * <p>It never refers to the lock itself, so the weak registry that maps a lock to its record
 * (for ranks) does not keep the lock alive.
 */
public final class LockInfo {
    /** Held modes, as stored in the per-thread record. */
    static final byte EXCL = 0, READ = 1, SEM = 2;
    /** Flag on a held entry: taken by a successful try, which adds no edge to itself. */
    static final byte TRY = 4;
    /** No rank declared. */
    static final int NO_RANK = Integer.MIN_VALUE;

    final LockClass cls;
    final String kind;              // "Mutex", "RWMutex", "Weighted"
    volatile int rank = NO_RANK;    // set by LockOrderChecker.rank, read when a chain is new

    /**
     * The record of the thread that holds this lock exclusively (Mutex, or RWMutex's writer),
     * or null. Plain: written by the holder after it acquired and before its lock() returns,
     * cleared by the releaser before it releases. A releaser on another thread reads it after
     * the holder's lock() returned (a correct program's unlock happens-after its lock: how
     * else would it know the lock is held?), and the next holder writes it after the release;
     * so every access is ordered by the program's own happens-before edges, and a volatile
     * store (a full fence on x86) on every lock and unlock is not needed.
     */
    HeldLocks holder;

    /**
     * Read holds (RWMutex) or permits (Weighted) released by a thread that had no record of
     * taking them; a thread that has such entries claims them at its next hook. Changed only
     * through FOREIGN.
     */
    volatile long foreign;

    LockInfo(LockClass cls, String kind) {
        this.cls = cls;
        this.kind = kind;
    }

    /** What a report calls this lock: its kind and class, with its rank if declared. */
    String describe() {
        int r = rank;
        return kind + " \"" + cls.label + "\"" + (r == NO_RANK ? "" : " rank " + r);
    }

    /** Takes up to {@code max} of the foreign releases; returns how many it took. */
    long claimForeign(long max) {
        for (;;) {
            long f = foreign;
            if (f == 0L) {
                return 0L;
            }
            long take = Math.min(f, max);
            if (FOREIGN.compareAndSet(this, f, f - take)) {
                return take;
            }
        }
    }

    void addForeign(long n) {
        FOREIGN.getAndAdd(this, n);
    }

    // VarHandle mechanics
    private static final VarHandle FOREIGN;     // field "foreign"
    static {
        try {
            FOREIGN = MethodHandles.lookup().findVarHandle(LockInfo.class, "foreign", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
