package dev.gosync.internal;

import dev.gosync.atomic.AtomicInt64;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;

/**
 * The contention profile's recorder (public API: {@code dev.gosync.diag.ContentionProfile}).
 * Called only from slow paths: a contended unlock ({@link #blame}) and a lock call that parked
 * ({@link #waited}); with the rate at 0 (the default) each costs one volatile read.
 *
 * <p>Sampling is Go's: with rate N, each event is kept with probability 1/N (an independent
 * draw per event, so no event type is favoured), and readers scale by N.
 */
public final class Contention {
    /*
     * Implementation notes. Samples aggregate by (lock label, stack) in concurrent maps of
     * adders; a stack is the calling thread's frames from the primitive's public method down
     * (frames of this package and the primitives' private slow-path methods are dropped). The
     * maps grow with the number of distinct (lock, stack) pairs, as Go's profile buckets do;
     * reset() empties them. Wait-time histograms are kept for named locks only, so a program
     * with millions of unnamed mutexes cannot grow them without bound.
     *
     * Hold times are the exception, opt-in at startup (HoldTimes): the fast paths test the
     * static final Hooks.ON, so with it off they stay a single CAS; with it on every hold of a
     * named lock reads the clock twice.
     */

    /** Frames dropped from the top of a recorded stack: the slow-path plumbing. */
    private static final List<String> PLUMBING = List.of("blame", "waited", "unlockSlow",
            "wakeSlow", "acquireSlow", "lockSlow", "recheck", "tryLockNanos", "handOff",
            "unlockOther", "lockChecked");   // the last two: the lock-order checker's detours
    /** Deepest stack kept, as Go's profile keeps a bounded depth. */
    private static final int MAX_DEPTH = 64;
    /** Log2 buckets: bucket i counts waits of [2^i, 2^(i+1)) nanoseconds (bucket 0 also 0). */
    public static final int BUCKETS = 64;

    private static volatile int rate;

    private static final Map<Key, Cell> DELAYS = new ConcurrentHashMap<>();
    private static final Map<Key, Cell> WAITERS = new ConcurrentHashMap<>();
    private static final Map<String, Histogram> WAIT_TIMES = new ConcurrentHashMap<>();
    /** Hold-time histograms (HoldTimes): cached by the locks, so reset() zeroes, not removes. */
    private static final Map<String, Histogram> HOLD_TIMES = new ConcurrentHashMap<>();

    private Contention() {
    }

    /**
     * Whether profiling is on (rate != 0): one volatile read.
     *
     * @return true if events are being sampled
     */
    public static boolean on() {
        return rate != 0;
    }

    /**
     * The sampling rate: 0 off, 1 every event, N one event in N on average.
     *
     * @return the current rate
     */
    public static int rate() {
        return rate;
    }

    /**
     * Sets the sampling rate (Go's {@code runtime.SetMutexProfileFraction}).
     *
     * @param newRate the new rate; negative reads the current one and changes nothing
     * @return the previous rate
     */
    public static int setRate(int newRate) {
        int old = rate;
        if (newRate >= 0) {
            rate = newRate;
        }
        return old;
    }

    /**
     * Draws whether to keep this event.
     *
     * @return true with probability 1/rate (never when off)
     */
    public static boolean sample() {
        int r = rate;
        return r == 1 || (r > 1 && ThreadLocalRandom.current().nextInt(r) == 0);
    }

    /**
     * A contended unlock: {@code delayNanos} of other threads' waiting, blamed on the calling
     * (unlocking) thread's stack.
     *
     * @param label the lock's label ({@link WaitEvent#label})
     * @param delayNanos the waiting time it caused, summed over the waiters
     */
    public static void blame(String label, long delayNanos) {
        DELAYS.computeIfAbsent(new Key(label, stack()), k -> new Cell()).add(delayNanos);
    }

    /**
     * A lock call that parked and now returns: its own wait, on its own stack, and in the
     * lock's histogram if the lock is named.
     *
     * @param label the lock's label
     * @param named whether the label is a given name
     * @param nanos how long the call waited
     */
    public static void waited(String label, boolean named, long nanos) {
        WAITERS.computeIfAbsent(new Key(label, stack()), k -> new Cell()).add(nanos);
        if (named) {
            WAIT_TIMES.computeIfAbsent(label, k -> new Histogram()).add(nanos);
        }
    }

    /** The hold-time histogram of the locks named {@code name}, created on first use. */
    static Histogram holdHistogram(String name) {
        return HOLD_TIMES.computeIfAbsent(name, k -> new Histogram());
    }

    /** Empties every sample and histogram. */
    public static void reset() {
        DELAYS.clear();
        WAITERS.clear();
        WAIT_TIMES.clear();
        HOLD_TIMES.values().forEach(Histogram::clear);
    }

    /**
     * A snapshot of the delays blamed on unlockers.
     *
     * @return one entry per (lock, stack)
     */
    public static List<Entry> delays() {
        return snapshot(DELAYS);
    }

    /**
     * A snapshot of the waiters' own waits.
     *
     * @return one entry per (lock, stack)
     */
    public static List<Entry> waiters() {
        return snapshot(WAITERS);
    }

    /**
     * A snapshot of the wait-time histograms of named locks.
     *
     * @return lock name to (count, total, max, log2 buckets)
     */
    public static Map<String, long[]> waitTimes() {
        return snapshots(WAIT_TIMES);
    }

    /**
     * A snapshot of the hold-time histograms of named locks ({@link HoldTimes}).
     *
     * @return lock name to (count, total, max, log2 buckets); read holds of an RWMutex under
     *     its name with {@link HoldTimes#READ_SUFFIX}
     */
    public static Map<String, long[]> holdTimes() {
        return snapshots(HOLD_TIMES);
    }

    private static Map<String, long[]> snapshots(Map<String, Histogram> m) {
        return m.entrySet().stream().filter(e -> e.getValue().count.sum() != 0L)
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().snapshot()));
    }

    private static List<Entry> snapshot(Map<Key, Cell> m) {
        return m.entrySet().stream().map(e -> new Entry(e.getKey().label,
                List.of(e.getKey().stack), e.getValue().count.sum(), e.getValue().nanos.sum()))
                .collect(Collectors.toList());
    }

    private static StackTraceElement[] stack() {
        return StackWalker.getInstance().walk(frames -> frames
                .dropWhile(f -> f.getClassName().startsWith("dev.gosync.internal.")
                        || (f.getClassName().startsWith("dev.gosync.")
                        && PLUMBING.contains(f.getMethodName())))
                .limit(MAX_DEPTH)
                .map(StackWalker.StackFrame::toStackTraceElement)
                .toArray(StackTraceElement[]::new));
    }

    /**
     * One aggregated sample.
     *
     * @param label the lock's label
     * @param stack the stack, innermost frame first
     * @param count how many events were sampled
     * @param nanos their summed delay or wait
     */
    public record Entry(String label, List<StackTraceElement> stack, long count, long nanos) {
    }

    private static final class Key {
        final String label;
        final StackTraceElement[] stack;
        final int hash;

        Key(String label, StackTraceElement[] stack) {
            this.label = label;
            this.stack = stack;
            this.hash = 31 * label.hashCode() + Arrays.hashCode(stack);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key && ((Key) o).label.equals(label)
                    && Arrays.equals(((Key) o).stack, stack);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    private static final class Cell {
        final LongAdder count = new LongAdder();
        final LongAdder nanos = new LongAdder();

        void add(long n) {
            count.increment();
            nanos.add(n);
        }
    }

    static final class Histogram {
        final LongAdder count = new LongAdder();
        final LongAdder total = new LongAdder();
        final AtomicInt64 max = new AtomicInt64();
        final AtomicLongArray buckets = new AtomicLongArray(BUCKETS);

        void add(long nanos) {
            long n = Math.max(nanos, 0L);
            count.increment();
            total.add(n);
            max.updateMax(n);
            buckets.incrementAndGet(n == 0L ? 0 : 63 - Long.numberOfLeadingZeros(n));
        }

        void clear() {
            count.reset();
            total.reset();
            max.store(0L);
            for (int i = 0; i < BUCKETS; i++) {
                buckets.set(i, 0L);
            }
        }

        long[] snapshot() {
            long[] s = new long[3 + BUCKETS];
            s[0] = count.sum();
            s[1] = total.sum();
            s[2] = max.load();
            for (int i = 0; i < BUCKETS; i++) {
                s[3 + i] = buckets.get(i);
            }
            return s;
        }
    }
}
