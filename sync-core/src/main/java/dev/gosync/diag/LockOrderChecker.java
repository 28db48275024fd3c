package dev.gosync.diag;

import dev.gosync.Mutex;
import dev.gosync.RWMutex;
import dev.gosync.internal.LockInfo;
import dev.gosync.internal.LockOrder;
import dev.gosync.semaphore.Weighted;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The lock-order checker: lockdep's algorithm over gosync's {@link Mutex}, {@link RWMutex} and
 * {@link Weighted}. It finds lock-order bugs on the first run in which both orders occur, even
 * when no deadlock happens.
 *
 * <p><b>Turning it on.</b> {@code -Ddev.gosync.lockorder=warn} prints each violation once (to
 * System.err, or to the {@link #sink sink}); {@code -Ddev.gosync.lockorder=throw} makes the
 * acquiring call throw {@link LockOrderException} before it blocks, with nothing changed.
 * {@code off} (the default) costs nothing: the mode is read once, into a {@code static final}
 * that the JIT folds away. Any other value makes the first use of a lock fail with {@code
 * IllegalArgumentException("dev.gosync.lockorder=VALUE: expected off, warn or throw")} (in an
 * ExceptionInInitializerError). Only locks made while it is on are checked, that is, all of
 * them, since the mode is fixed at start-up.
 *
 * <p><b>Lock classes.</b> Locks are ordered by class, not by instance: a named lock's class is
 * its name ({@code new Mutex("discovery")}); an unnamed lock's class is the place its
 * constructor was called from (for example every {@code Keyspace.mu}). The graph has an edge
 * A → B once a thread blocked for a lock of class B while holding one of class A; a new edge
 * that closes a cycle is reported with the stack of each edge's first acquisition.
 *
 * <p><b>What counts.</b> Every blocking acquisition is checked: {@code lock}, {@code rLock}
 * (read locks order like write locks: in Go a queued writer blocks new readers), the
 * interruptible and timed forms, and Weighted's {@code acquire}. Successful try-forms are
 * recorded as held but add no edge to themselves (they cannot wait). Waiting on a
 * {@link dev.gosync.Cond} or {@link dev.gosync.WaitGroup} while holding a lock is warned of
 * (in both modes; it is never thrown).
 *
 * <p><b>Not owned.</b> gosync's locks may be released by a thread other than the one that
 * took them. The hold is then forgotten from the taker's record at the taker's next lock
 * operation, before that operation is checked, so it never causes a report. For read locks and
 * permits, which several threads hold at once, the release is credited to the first of their
 * holders that next takes or releases a lock: a race between two such holders can make one of
 * them forget its hold early (a missed edge, never a false one) until the other catches up.
 */
public final class LockOrderChecker {
    /** The checker's modes. */
    public enum Mode {
        /** No checking; the default. */
        OFF,
        /** Each new violation is printed once. */
        WARN,
        /** A violating acquisition throws {@link LockOrderException}. */
        THROW
    }

    private LockOrderChecker() {
    }

    /**
     * The mode this JVM runs in, from {@code -Ddev.gosync.lockorder}.
     *
     * @return the mode
     */
    public static Mode mode() {
        return Mode.valueOf(LockOrder.mode().toUpperCase(java.util.Locale.ROOT));
    }

    /**
     * Where mode {@code warn} sends its reports (one string each, several lines); null
     * restores the default, {@code System.err.println}. The sink is called on the thread that
     * found the violation, before its acquisition, and with no checker lock held.
     *
     * @param sink the new sink, or null
     */
    public static void sink(Consumer<String> sink) {
        LockOrder.sink(sink);
    }

    /**
     * Declares a lock's rank, a documented order: a thread may hold a lower-ranked lock while
     * it acquires a higher-ranked one, never the reverse. Between locks of one class (two
     * {@code Keyspace.mu}, say) a nesting is allowed only in increasing rank; between classes
     * a wrong order is reported even before any cycle closes. Declare ranks before the lock is
     * first used. Does nothing while the checker is off.
     *
     * @param <L> the lock's type
     * @param lock a Mutex, RWMutex or Weighted
     * @param rank its rank, {@code >= 0}
     * @return {@code lock}, for {@code var mu = LockOrderChecker.rank(new Mutex(), 1)}
     * @throws NullPointerException if {@code lock} is null
     * @throws IllegalArgumentException if {@code lock} is not a Mutex, RWMutex or Weighted
     *     ("lock: not a Mutex, RWMutex or Weighted"), or {@code rank} is negative
     *     ("rank = -1 is negative")
     */
    public static <L> L rank(L lock, int rank) {
        Objects.requireNonNull(lock, "lock");
        if (!(lock instanceof Mutex || lock instanceof RWMutex || lock instanceof Weighted)) {
            throw new IllegalArgumentException("lock: not a Mutex, RWMutex or Weighted");
        }
        if (rank < 0) {
            throw new IllegalArgumentException("rank = " + rank + " is negative");
        }
        if (LockOrder.ON) {
            LockInfo info = LockOrder.infoOf(lock);
            if (info != null) {
                LockOrder.setRank(info, rank);
            }
        }
        return lock;
    }
}
