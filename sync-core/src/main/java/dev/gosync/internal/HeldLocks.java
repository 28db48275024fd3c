package dev.gosync.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One thread's held locks, oldest first, for the lock-order checker: lockdep's held-lock
 * stack, with the chain key of every prefix so that the next acquisition's chain is one hash
 * step away.
 *
 * <p>Only its thread changes the arrays. gosync's locks are not owned, so another thread may
 * release a hold recorded here: an exclusive one (Mutex, RWMutex writer) is posted to
 * {@link #inbox} by the releaser, which found this record in {@link LockInfo#holder}; a
 * shared one (RWMutex reader, Weighted permits) is counted in {@link LockInfo#foreign}. This
 * thread applies both at the start of its next hook, before it uses the stack, so a hold
 * released elsewhere never yields an edge after the release was made.
 */
final class HeldLocks {
    final Thread owner = Thread.currentThread();
    final String thread = owner.getName();
    LockInfo[] infos = new LockInfo[8];
    byte[] modes = new byte[8];             // LockInfo.EXCL/READ/SEM, | TRY
    long[] weights = new long[8];           // SEM: permits still held by this entry
    long[] chains = new long[8];            // chains[i]: key of entries 0..i
    int depth;
    int shared;                             // entries in READ or SEM mode

    /*
     * The deadlock watchdog's view (DeadlockWatchdog), written by this thread only:
     * - waitInfo/waitKind: the lock this thread is acquiring, set by every checked blocking
     *   acquisition before it can park and cleared by the next push (the acquisition
     *   succeeded); after a failed one (timed out, interrupted) it stays until the next
     *   acquisition, so the watchdog trusts it only while the thread is parked on that lock;
     * - parkedOn: the blocker this thread is parked on now (Waiter.await), or null. Written
     *   with release after everything above and after parkSeq, so a watchdog that reads it
     *   with acquire sees this thread's holds and wait as they were when it parked.
     */
    LockInfo waitInfo;
    byte waitKind;
    boolean parkTimed;                      // parked in a timed wait: it ends by itself
    long parkSeq;                           // counts parks: a stable park keeps its number
    Waiter parkWaiter;                      // the parked waiter: once decided, it will return
    volatile Object parkedOn;

    /** Exclusive holds released by other threads; changed only through PENDING and inbox. */
    private final ConcurrentLinkedQueue<LockInfo> inbox = new ConcurrentLinkedQueue<>();
    private volatile int pending;

    long chainBelow(int d) {
        return d == 0 ? 0L : chains[d - 1];
    }

    void push(LockInfo info, byte mode, long weight) {
        waitInfo = null;                    // acquired: no longer waiting for it
        int d = depth;
        if (d == infos.length) {
            int n = d * 2;
            infos = Arrays.copyOf(infos, n);
            modes = Arrays.copyOf(modes, n);
            weights = Arrays.copyOf(weights, n);
            chains = Arrays.copyOf(chains, n);
        }
        infos[d] = info;
        modes[d] = mode;
        weights[d] = weight;
        chains[d] = LockGraph.extend(chainBelow(d), info, mode);
        depth = d + 1;
        if ((mode & ~LockInfo.TRY) != LockInfo.EXCL) {
            shared++;
        }
    }

    /** The newest entry of info in that held mode (TRY ignored), or -1. */
    int findNewest(LockInfo info, byte kind) {
        for (int i = depth - 1; i >= 0; i--) {
            if (infos[i] == info && (modes[i] & ~LockInfo.TRY) == kind) {
                return i;
            }
        }
        return -1;
    }

    private int findOldest(LockInfo info, byte kind) {
        for (int i = 0; i < depth; i++) {
            if (infos[i] == info && (modes[i] & ~LockInfo.TRY) == kind) {
                return i;
            }
        }
        return -1;
    }

    void removeAt(int i) {
        int d = depth - 1;
        if ((modes[i] & ~LockInfo.TRY) != LockInfo.EXCL) {
            shared--;
        }
        if (i < d) {
            System.arraycopy(infos, i + 1, infos, i, d - i);
            System.arraycopy(modes, i + 1, modes, i, d - i);
            System.arraycopy(weights, i + 1, weights, i, d - i);
            for (int j = i; j < d; j++) {
                chains[j] = LockGraph.extend(chainBelow(j), infos[j], modes[j]);
            }
        }
        infos[d] = null;
        depth = d;
    }

    /** Before this thread parks (Waiter.await); see the watchdog's fields. */
    void parking(Object blocker, boolean timed, Waiter w) {
        parkTimed = timed;
        parkWaiter = w;
        parkSeq++;
        PARKED_ON.setRelease(this, blocker);
    }

    /** After this thread's park loop returns. */
    void unparked() {
        PARKED_ON.setRelease(this, null);
    }

    /**
     * Watchdog side: whether another thread released {@code info} for this one and this
     * thread has not applied it yet (it applies it at its next hook, which a parked thread
     * does not reach).
     */
    boolean releasedElsewhere(LockInfo info) {
        return pending != 0 && inbox.contains(info);
    }

    /** Called by another thread that released an exclusive hold recorded here. */
    void post(LockInfo info) {
        inbox.add(info);
        PENDING.getAndAdd(this, 1);
    }

    /** Applies the releases made by other threads; called by this record's thread only. */
    void drain() {
        if (pending != 0) {
            LockInfo info;
            while ((info = inbox.poll()) != null) {
                PENDING.getAndAdd(this, -1);
                int i = findOldest(info, LockInfo.EXCL);   // the stale one is the oldest
                if (i >= 0) {
                    removeAt(i);
                }
            }
        }
        if (shared != 0) {
            for (int i = depth - 1; i >= 0; i--) {
                byte kind = (byte) (modes[i] & ~LockInfo.TRY);
                if (kind == LockInfo.EXCL || infos[i].foreign == 0L) {
                    continue;
                }
                long took = infos[i].claimForeign(weights[i]);
                if (took != 0L && (weights[i] -= took) == 0L) {
                    removeAt(i);
                }
            }
        }
    }

    // VarHandle mechanics
    private static final VarHandle PENDING;     // field "pending"
    private static final VarHandle PARKED_ON;   // field "parkedOn"
    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            PENDING = l.findVarHandle(HeldLocks.class, "pending", int.class);
            PARKED_ON = l.findVarHandle(HeldLocks.class, "parkedOn", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
