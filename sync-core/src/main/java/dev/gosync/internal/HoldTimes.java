package dev.gosync.internal;

import java.util.Arrays;

/**
 * The hold-time recorder of one named lock (or of the read side of one named RWMutex): how
 * long each hold lasted, from the acquisition's return to the start of its release, into a
 * log2 histogram that {@code dev.gosync.diag.ContentionProfile.holdTimes()} reads.
 *
 * <p>Off unless the JVM starts with {@code -Ddev.gosync.holdtimes=on}; the flag is a
 * {@code static final}, so when off the locks' hooks fold away (see {@link Hooks}). Only named
 * locks are recorded (a program's millions of unnamed mutexes cannot grow the table), every
 * hold is recorded (no sampling: the clock reads are the cost, see the README), and locks
 * created with the same name share one histogram.
 */
public final class HoldTimes {
    /*
     * An exclusive hold's start is one plain field, as LockInfo.holder is: the holder writes
     * it after acquiring, the releaser (any thread) reads and clears it before releasing, and
     * the program's own lock/unlock order makes those accesses ordered. A read lock has many
     * holders at once, so each thread keeps a small stack of (recorder, start) pairs for the
     * read holds it took; a read hold released by another thread than the one that took it
     * (allowed, as in Go) is not recorded, and the taker's entry is dropped by its own next
     * read release of that lock.
     */

    /** The system property that turns hold-time recording on: {@code on}. */
    public static final String PROPERTY = "dev.gosync.holdtimes";
    /** Whether hold times are recorded; read once. */
    public static final boolean ON = "on".equalsIgnoreCase(
            System.getProperty(PROPERTY, "off").trim());
    /** Appended to an RWMutex's name for the histogram of its read holds. */
    public static final String READ_SUFFIX = " (read)";

    private static final ThreadLocal<ReadHolds> READ_HOLDS =
            ThreadLocal.withInitial(ReadHolds::new);

    private final Contention.Histogram histogram;
    private long since;     // start of the current exclusive hold, 0 when none; see above

    private HoldTimes(Contention.Histogram histogram) {
        this.histogram = histogram;
    }

    /**
     * The recorder for a lock named {@code name}.
     *
     * @param name the lock's name (with {@link #READ_SUFFIX} for read holds), or null
     * @return its recorder, or null when recording is off or the lock has no name
     */
    public static HoldTimes of(String name) {
        return ON && name != null ? new HoldTimes(Contention.holdHistogram(name)) : null;
    }

    /** An exclusive hold begins (the caller has just acquired). */
    public void start() {
        since = System.nanoTime();
    }

    /** An exclusive hold ends (called before the release); nothing if none was started. */
    public void stop() {
        long s = since;
        if (s != 0L) {
            since = 0L;
            histogram.add(System.nanoTime() - s);
        }
    }

    /** A read hold by the calling thread begins. */
    public void readStart() {
        READ_HOLDS.get().push(this, System.nanoTime());
    }

    /** A read hold ends; recorded if the calling thread took it. */
    public void readStop() {
        long now = System.nanoTime();
        long start = READ_HOLDS.get().pop(this);
        if (start != 0L) {
            histogram.add(now - start);
        }
    }

    /** One thread's open read holds: (recorder, start) pairs, innermost last; no boxing. */
    private static final class ReadHolds {
        private HoldTimes[] locks = new HoldTimes[4];
        private long[] starts = new long[4];
        private int size;

        void push(HoldTimes lock, long start) {
            if (size == locks.length) {
                locks = Arrays.copyOf(locks, size * 2);
                starts = Arrays.copyOf(starts, size * 2);
            }
            locks[size] = lock;
            starts[size++] = start;
        }

        /** Removes the innermost hold of {@code lock}; its start, or 0 if it has none. */
        long pop(HoldTimes lock) {
            for (int i = size - 1; i >= 0; i--) {
                if (locks[i] == lock) {
                    long start = starts[i];
                    System.arraycopy(locks, i + 1, locks, i, size - 1 - i);
                    System.arraycopy(starts, i + 1, starts, i, size - 1 - i);
                    locks[--size] = null;
                    return start;
                }
            }
            return 0L;
        }
    }
}
