package dev.gosync.internal;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The lock-order checker's switch and entry points: lockdep's algorithm over gosync's locks.
 * Off unless the system property {@code dev.gosync.lockorder} is {@code warn} or
 * {@code throw}; it is read once, into {@link #ON}, a {@code static final} the JIT folds, so
 * every hook ({@code if (LockOrder.ON) LockOrder.lock(info);}) is dead code when off, and a
 * primitive built while off keeps a null {@link LockInfo}.
 *
 * <p><b>What is checked.</b> Before a blocking acquisition (any {@code lock}, {@code rLock},
 * interruptible or timed form with a positive wait, Weighted {@code acquire}) the lock is
 * compared with every lock the thread holds:
 * <ul>
 * <li>the same lock held: Go's Mutex is not reentrant, and a recursive {@code rLock} waits
 *     for any writer that queued in between, which waits for us (Go forbids it);
 * <li>another lock of the same class: two instances nested with no declared order (lockdep's
 *     "recursive locking" of a class); allowed when both have ranks and the held one's is
 *     lower;
 * <li>declared ranks in the wrong order;
 * <li>a new edge held → acquired in the class graph that closes a cycle.
 * </ul>
 * Read locks count as full acquisitions: in Go a queued writer blocks new readers, so a cycle
 * through read locks deadlocks as soon as a writer arrives.
 *
 * <p><b>Try-locks.</b> A successful {@code tryLock}/{@code tryRLock}/{@code tryAcquire} is
 * recorded as held (later blocking acquisitions get edges from it) but adds no edge to itself
 * and is not checked, as in lockdep: it cannot wait, so it cannot close a deadlock, and the
 * usual deadlock-avoidance idiom (try the other order, back off on failure) must not be
 * reported. A failed try records nothing.
 *
 * <p><b>Cost.</b> A chain of held classes seen before is one lookup in a lock-free hash set;
 * an acquisition with nothing held does no lookup at all. The graph lock is taken only for a
 * chain not seen before, and never while the caller is parked.
 */
public final class LockOrder {
    /** Whether the checker is on (mode warn or throw). */
    public static final boolean ON;
    /** Whether a violation throws (mode throw) instead of being printed once (mode warn). */
    static final boolean THROW;

    /** The property that selects the mode. */
    public static final String PROPERTY = "dev.gosync.lockorder";

    static {
        String v = System.getProperty(PROPERTY, "off").trim().toLowerCase(Locale.ROOT);
        switch (v) {
            case "off":
            case "":
                ON = false;
                THROW = false;
                break;
            case "warn":
                ON = true;
                THROW = false;
                break;
            case "throw":
                ON = true;
                THROW = true;
                break;
            default:
                throw new IllegalArgumentException(PROPERTY + "=" + System.getProperty(PROPERTY)
                        + ": expected off, warn or throw");
        }
    }

    private static final ThreadLocal<HeldLocks> HELD = ThreadLocal.withInitial(() -> {
        HeldLocks h = new HeldLocks();
        Deadlocks.register(h);          // the watchdog scans every thread's record
        return h;
    });

    /** Lock → its record, for ranks; guarded by REGISTRY_LOCK. Identity: no primitive
     * overrides equals. */
    private static final Map<Object, LockInfo> REGISTRY = new WeakHashMap<>();
    /** An RWMutex's internal writer mutex → the RWMutex's record, for the watchdog (a writer
     * parked there waits for the writer ahead of it); guarded by REGISTRY_LOCK. */
    private static final Map<Object, LockInfo> WRITER_MUTEXES = new WeakHashMap<>();
    private static final ReentrantLock REGISTRY_LOCK = new ReentrantLock();

    private LockOrder() {
    }

    /** The mode's name: "off", "warn" or "throw". */
    public static String mode() {
        return !ON ? "off" : THROW ? "throw" : "warn";
    }

    // Construction

    /**
     * The record of a new lock, called from its constructor only when {@link #ON}: its class
     * is its name, or else the site that called the constructor.
     *
     * @param lock the new lock (kept only as a weak key, for ranks)
     * @param name its name, or null
     * @param kind "Mutex", "RWMutex" or "Weighted"
     * @return its record
     */
    public static LockInfo register(Object lock, String name, String kind) {
        LockClass cls;
        if (name != null) {
            cls = LockGraph.classOf("name:" + name, name);
        } else {
            StackTraceElement site = LockOrderReport.callerOutsideGosync();
            String where = site == null ? "unknown site" : site.toString();
            cls = LockGraph.classOf("site:" + kind + "@" + where, kind + "@" + where);
        }
        LockInfo info = new LockInfo(cls, kind);
        REGISTRY_LOCK.lock();
        try {
            REGISTRY.put(lock, info);
        } finally {
            REGISTRY_LOCK.unlock();
        }
        return info;
    }

    /** The record of a lock, or null if it was made while off (or is not a gosync lock). */
    public static LockInfo infoOf(Object lock) {
        REGISTRY_LOCK.lock();
        try {
            return REGISTRY.get(lock);
        } finally {
            REGISTRY_LOCK.unlock();
        }
    }

    /**
     * Records that {@code writerMutex} is the internal mutex that orders the writers of the
     * RWMutex whose record is {@code info}; called from the RWMutex's constructor when on.
     */
    public static void writerMutex(Object writerMutex, LockInfo info) {
        REGISTRY_LOCK.lock();
        try {
            WRITER_MUTEXES.put(writerMutex, info);
        } finally {
            REGISTRY_LOCK.unlock();
        }
    }

    /** The RWMutex record whose writer mutex {@code lock} is, or null. */
    static LockInfo writerMutexOf(Object lock) {
        REGISTRY_LOCK.lock();
        try {
            return WRITER_MUTEXES.get(lock);
        } finally {
            REGISTRY_LOCK.unlock();
        }
    }

    /**
     * Waiter.await's hook, only when on: the calling thread parks on {@code blocker}; returns
     * its record, for {@link #unparked(Object)}.
     */
    static Object parking(Object blocker, boolean timed, Waiter w) {
        HeldLocks h = HELD.get();
        h.parking(blocker, timed, w);
        return h;
    }

    /** After the park loop that {@link #parking} announced. */
    static void unparked(Object record) {
        ((HeldLocks) record).unparked();
    }

    /** Replaces mode warn's sink; null restores System.err. */
    public static void sink(java.util.function.Consumer<String> sink) {
        LockOrderReport.sink(sink);
    }

    /** Sets a lock's rank; see dev.gosync.diag.LockOrderChecker.rank. */
    public static void setRank(LockInfo info, int rank) {
        info.rank = rank;
    }

    // Mutex and RWMutex's writer

    /** Before a blocking exclusive acquisition; throws in mode throw, changing nothing. */
    public static void lock(LockInfo info) {
        lock(info, false);
    }

    /** As {@link #lock(LockInfo)}; {@code timed}: the wait ends at a time-out (for reports). */
    public static void lock(LockInfo info, boolean timed) {
        if (info != null) {
            check(info, LockInfo.EXCL, timed);
        }
    }

    /**
     * As {@link #lock}, returning this thread's record for {@link #locked(Object, LockInfo)}:
     * the hot path looks the thread-local up once per acquisition.
     */
    public static Object check(LockInfo info) {
        return info == null ? null : check(info, LockInfo.EXCL, false);
    }

    /** After a blocking exclusive acquisition checked by {@link #check(LockInfo)}. */
    public static void locked(Object record, LockInfo info) {
        if (info != null) {
            HeldLocks h = (HeldLocks) record;
            h.drain();
            h.push(info, LockInfo.EXCL, 1L);
            info.holder = h;
        }
    }

    /** As {@link #rLock}, returning this thread's record for {@link #rLocked(Object, LockInfo)}. */
    public static Object checkRead(LockInfo info) {
        return info == null ? null : check(info, LockInfo.READ, false);
    }

    /** After a blocking read acquisition checked by {@link #checkRead(LockInfo)}. */
    public static void rLocked(Object record, LockInfo info) {
        if (info != null) {
            HeldLocks h = (HeldLocks) record;
            h.drain();
            h.push(info, LockInfo.READ, 1L);
        }
    }

    /** After an exclusive acquisition (blocking or try) succeeded. */
    public static void locked(LockInfo info, boolean tried) {
        if (info != null) {
            HeldLocks h = HELD.get();
            h.drain();
            h.push(info, tried ? (byte) (LockInfo.EXCL | LockInfo.TRY) : LockInfo.EXCL, 1L);
            info.holder = h;
        }
    }

    /** Before an exclusive release; by any thread. */
    public static void unlock(LockInfo info) {
        if (info != null) {
            HeldLocks h = HELD.get();
            h.drain();
            int i = h.findNewest(info, LockInfo.EXCL);
            HeldLocks owner = info.holder;
            info.holder = null;
            if (i >= 0) {
                h.removeAt(i);
            } else if (owner != null && owner != h) {
                owner.post(info);       // unlocked for another thread: it forgets at its next hook
            }
        }
    }

    // RWMutex's readers

    /** Before a blocking read acquisition; {@code timed}: it ends at a time-out. */
    public static void rLock(LockInfo info, boolean timed) {
        if (info != null) {
            check(info, LockInfo.READ, timed);
        }
    }

    /** After a read acquisition (blocking or try) succeeded. */
    public static void rLocked(LockInfo info, boolean tried) {
        if (info != null) {
            HeldLocks h = HELD.get();
            h.drain();
            h.push(info, tried ? (byte) (LockInfo.READ | LockInfo.TRY) : LockInfo.READ, 1L);
        }
    }

    /** Before a read release; by any thread. */
    public static void rUnlock(LockInfo info) {
        if (info != null) {
            release(info, LockInfo.READ, 1L);
        }
    }

    // Weighted

    /** Before a blocking acquisition of n permits; {@code timed}: it ends at a time-out. */
    public static void acquire(LockInfo info, long n, boolean timed) {
        if (info != null && n > 0L) {
            check(info, LockInfo.SEM, timed);
        }
    }

    /** After n permits were acquired (blocking or try). */
    public static void acquired(LockInfo info, long n, boolean tried) {
        if (info != null && n > 0L) {
            HeldLocks h = HELD.get();
            h.drain();
            h.push(info, tried ? (byte) (LockInfo.SEM | LockInfo.TRY) : LockInfo.SEM, n);
        }
    }

    /** Before n permits are released; by any thread. */
    public static void release(LockInfo info, long n) {
        if (info != null && n > 0L) {
            release(info, LockInfo.SEM, n);
        }
    }

    private static void release(LockInfo info, byte kind, long n) {
        HeldLocks h = HELD.get();
        h.drain();
        // This thread's own entries first, newest first; the rest was taken by someone else.
        for (int i = h.depth - 1; i >= 0 && n > 0L; i--) {
            if (h.infos[i] == info && (h.modes[i] & ~LockInfo.TRY) == kind) {
                long take = Math.min(n, h.weights[i]);
                n -= take;
                if ((h.weights[i] -= take) == 0L) {
                    h.removeAt(i);
                }
            }
        }
        if (n > 0L) {
            info.addForeign(n);
        }
    }

    // Waits

    /**
     * A wait on a Cond (after it released its own lock) or a WaitGroup: warns, in either mode,
     * if the thread still holds a lock, once per (waiting site, held class).
     */
    public static void waiting(Object waitable) {
        HeldLocks h = HELD.get();
        h.drain();
        if (h.depth != 0) {
            LockOrderReport.heldWhileWaiting(h, waitable);
        }
    }

    // The check

    private static HeldLocks check(LockInfo n, byte kind, boolean timed) {
        HeldLocks h = HELD.get();
        h.drain();
        int d = h.depth;
        if (d != 0) {                               // nothing held: no edge, no lookup
            long key = LockGraph.extend(h.chains[d - 1], n, kind);
            if (!LockGraph.validated(key)) {        // else this chain was checked before
                checkNewChain(h, n, kind, key, timed);
            }
        }
        h.waitKind = kind;                          // for the watchdog, if this call parks
        h.waitInfo = n;
        return h;
    }

    private static void checkNewChain(HeldLocks h, LockInfo n, byte kind, long key,
            boolean timed) {
        int nRank = n.rank;
        // Same lock, same class and rank order: against every held entry.
        for (int i = h.depth - 1; i >= 0; i--) {
            LockInfo held = h.infos[i];
            int hRank = held.rank;
            if (held == n) {
                if (kind != LockInfo.SEM) {     // more permits of one semaphore is legal
                    LockOrderReport.violation(LockOrderReport.self(h, i, n, kind, timed));
                    return;
                }
            } else if (held.cls == n.cls) {
                if (hRank == LockInfo.NO_RANK || nRank == LockInfo.NO_RANK || hRank >= nRank) {
                    LockOrderReport.violation(LockOrderReport.sameClass(h, i, n, kind));
                    return;
                }
            } else if (hRank != LockInfo.NO_RANK && nRank != LockInfo.NO_RANK && hRank > nRank) {
                LockOrderReport.violation(LockOrderReport.rankOrder(h, i, n, kind));
                return;
            }
        }
        // Edges: from the newest held entry, and on past try-locks (which got no edges of
        // their own) down to the first entry taken by blocking, as lockdep does.
        LockOrderReport.Violation found = null;
        LockGraph.LOCK.lock();
        try {
            for (int i = h.depth - 1; i >= 0 && found == null; i--) {
                LockInfo held = h.infos[i];
                if (held.cls != n.cls && !held.cls.out.containsKey(n.cls)) {
                    List<LockGraph.Edge> back = LockGraph.path(n.cls, held.cls);
                    if (back != null) {
                        found = LockOrderReport.cycle(h, i, n, kind, back);
                        break;
                    }
                    held.cls.out.put(n.cls, new LockGraph.Edge(held.cls, n.cls,
                            LockOrderReport.describe(held, h.modes[i]),
                            LockOrderReport.describe(n, kind), h.thread,
                            LockOrderReport.stackHere()));
                }
                if ((h.modes[i] & LockInfo.TRY) == 0) {
                    break;
                }
            }
            if (found == null) {
                LockGraph.validate(key);
            }
        } finally {
            LockGraph.LOCK.unlock();
        }
        if (found != null) {
            LockOrderReport.violation(found);   // outside the graph lock: a sink may block
        }
    }

    // Last in class initialisation: -Ddev.gosync.watchdog starts the deadlock watchdog with
    // the checker (its class reads the property when initialised).
    static {
        if (ON && System.getProperty("dev.gosync.watchdog") != null) {
            try {
                Class.forName("dev.gosync.diag.DeadlockWatchdog", true,
                        LockOrder.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new ExceptionInInitializerError(e);
            }
        }
    }
}
