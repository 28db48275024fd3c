package dev.gosync.examples;

import dev.gosync.atomic.AtomicInt32;
import dev.gosync.atomic.AtomicInt64Array;

/**
 * The peak demand on a resource (concurrent queries, bytes in flight) over a sliding window,
 * for autoscaling: "how many connections did we need at the worst moment of the last minute?".
 *
 * <p><b>Primitives:</b> a ring of buckets in one {@link AtomicInt64Array}, each bucket the
 * maximum demand seen during one tick (say one second), kept with
 * {@link AtomicInt64Array#updateMax}. Sampling is on the hot path of every request, from every
 * thread, so it must not take a lock: {@code updateMax} is a CAS loop that returns at once, with
 * no write at all, when the bucket already holds a larger value, which is the common case under
 * steady load. A plain read-compare-write would lose a maximum whenever two samplers interleave
 * (both read 5, one writes 100, the other writes 7); the CAS retries instead. One flat array
 * rather than an array of atomic objects keeps the ring in a few cache lines.
 *
 * <p><b>Rotation:</b> one ticker thread calls {@link #tick()}; it is the only writer of
 * {@code current}. It clears the next bucket <em>before</em> publishing it as current, so a
 * sample never lands in a bucket that is about to be cleared, except one taken by a sampler
 * that read {@code current} a whole ring ago and was descheduled since: that late sample then
 * counts towards the new tick, which overstates the peak by one tick at worst and never loses
 * one. The window is the ring: {@link #peak()} is the maximum over all buckets.
 */
final class DemandTracker {
    private final AtomicInt64Array buckets;   // buckets[i]: the peak demand seen in tick i
    private final AtomicInt32 current = new AtomicInt32();   // written only by the ticker

    /**
     * @param ticks how many ticks the window spans
     */
    DemandTracker(int ticks) {
        if (ticks < 1) {
            throw new IllegalArgumentException("ticks < 1: " + ticks);
        }
        buckets = new AtomicInt64Array(ticks);
    }

    /**
     * Records the demand seen now; lock-free, and wait-free when it is not a new peak.
     *
     * @param demand the demand, at least 0
     */
    void sample(long demand) {
        buckets.updateMax(current.load(), demand);
    }

    /**
     * Starts the next tick, dropping the oldest one from the window. Called by one thread only
     * (a scheduler); concurrent calls would race on {@code current}.
     */
    void tick() {
        int next = (current.load() + 1) % buckets.length();
        buckets.store(next, 0);   // clear first ...
        current.store(next);      // ... then publish: samplers never write to a bucket mid-clear
    }

    /** @return the peak demand over the window */
    long peak() {
        long peak = 0;
        for (int i = 0; i < buckets.length(); i++) {
            peak = Math.max(peak, buckets.load(i));
        }
        return peak;
    }

    /** @return the peak demand of the current tick so far */
    long currentPeak() {
        return buckets.load(current.load());
    }
}
