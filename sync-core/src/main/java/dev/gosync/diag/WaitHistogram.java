package dev.gosync.diag;

import dev.gosync.internal.Contention;
import java.util.Arrays;

/**
 * The waits (or, from {@link ContentionProfile#holdTimes()}, the holds) recorded for one named
 * lock: count, total, maximum and a log2 histogram (bucket {@code i} counts durations of
 * {@code [2^i, 2^(i+1))} nanoseconds; bucket 0 also counts zero). A snapshot: later waits do
 * not change it.
 */
public final class WaitHistogram {
    private final long count;
    private final long totalNanos;
    private final long maxNanos;
    private final long[] buckets;

    WaitHistogram(long[] snapshot) {
        this.count = snapshot[0];
        this.totalNanos = snapshot[1];
        this.maxNanos = snapshot[2];
        this.buckets = Arrays.copyOfRange(snapshot, 3, 3 + Contention.BUCKETS);
    }

    /**
     * How many waits were recorded.
     *
     * @return the number of kept waits
     */
    public long count() {
        return count;
    }

    /**
     * Their summed duration.
     *
     * @return nanoseconds
     */
    public long totalNanos() {
        return totalNanos;
    }

    /**
     * The longest.
     *
     * @return nanoseconds
     */
    public long maxNanos() {
        return maxNanos;
    }

    /**
     * The waits in bucket {@code i}: from {@code 2^i} to just under {@code 2^(i+1)} ns.
     *
     * @param i the bucket, {@code 0..63}
     * @return how many waits fell in it
     */
    public long bucket(int i) {
        return buckets[i];
    }

    /**
     * An upper bound of the {@code q}-quantile: the top of the bucket that holds it.
     *
     * @param q the quantile, {@code 0 < q <= 1} (0.99 for p99)
     * @return nanoseconds (0 if nothing was recorded)
     * @throws IllegalArgumentException if {@code q} is not in {@code (0, 1]}
     */
    public long quantileUpperBound(double q) {
        if (!(q > 0.0 && q <= 1.0)) {
            throw new IllegalArgumentException("q = " + q + " is not in (0, 1]");
        }
        long rank = (long) Math.ceil(q * count);
        long seen = 0L;
        for (int i = 0; i < buckets.length; i++) {
            seen += buckets[i];
            if (seen >= rank && seen > 0L) {
                return i >= 62 ? Long.MAX_VALUE : (1L << (i + 1)) - 1;
            }
        }
        return 0L;
    }

    @Override
    public String toString() {
        return "WaitHistogram[count=" + count + ", total=" + totalNanos + " ns, max=" + maxNanos
                + " ns, p50<=" + quantileUpperBound(0.5) + " ns, p99<="
                + quantileUpperBound(0.99) + " ns]";
    }
}
