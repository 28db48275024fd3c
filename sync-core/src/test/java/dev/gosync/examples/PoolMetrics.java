package dev.gosync.examples;

import dev.gosync.atomic.AtomicInt32;
import dev.gosync.atomic.AtomicInt64;
import java.time.Duration;

/**
 * The metrics of a connection pool: how many connections were handed out, how many callers had
 * to wait and for how long, how many connections are in use now and at most.
 *
 * <p><b>Primitives:</b> one typed atomic per counter, private, exposed only through accessors.
 * The counters are independent: no invariant ties one to another, and a metrics scrape does not
 * need a snapshot of a single moment, so a lock would only add contention to the pool's hot
 * path. Each update is one atomic instruction ({@code add}) or a short CAS loop
 * ({@code updateMax}), and readers never block writers.
 *
 * <p><b>Conventions worth copying:</b> a duration is accumulated as nanoseconds in an
 * {@link AtomicInt64} (an {@code add} of a {@code long}) and converted to a {@link Duration}
 * only when read; the fields stay private so that no caller can {@code store} into a counter or
 * mistake nanoseconds for milliseconds.
 *
 * <p><b>What this does not give you:</b> two accessors read one after the other may come from
 * different moments ({@code waitCount()} may already include a wait whose time
 * {@code waitTime()} does not yet). When fields must be read together, group them: see
 * {@code HeartbeatReader}.
 */
final class PoolMetrics {
    private final AtomicInt64 gets = new AtomicInt64();        // connections handed out
    private final AtomicInt64 waitCount = new AtomicInt64();   // gets that had to wait
    private final AtomicInt64 waitNanos = new AtomicInt64();   // total time those gets waited
    private final AtomicInt32 inUse = new AtomicInt32();       // connections out right now
    private final AtomicInt32 maxInUse = new AtomicInt32();    // high-water mark of inUse

    /** Creates zeroed metrics. */
    PoolMetrics() {
    }

    /**
     * Records a connection handed out.
     *
     * @param waitedNanos how long the caller waited for it, 0 if one was idle
     */
    void recordGet(long waitedNanos) {
        if (waitedNanos < 0) {
            throw new IllegalArgumentException("waitedNanos < 0: " + waitedNanos);
        }
        gets.add(1);
        if (waitedNanos > 0) {
            waitCount.add(1);
            waitNanos.add(waitedNanos);
        }
        maxInUse.updateMax(inUse.add(1));
    }

    /** Records a connection given back to the pool. */
    void recordPut() {
        inUse.add(-1);
    }

    /** @return how many connections were handed out */
    long gets() {
        return gets.load();
    }

    /** @return how many gets had to wait */
    long waitCount() {
        return waitCount.load();
    }

    /** @return the total time gets spent waiting */
    Duration waitTime() {
        return Duration.ofNanos(waitNanos.load());
    }

    /** @return how many connections are in use now */
    int inUse() {
        return inUse.load();
    }

    /** @return the most connections ever in use at once */
    int maxInUse() {
        return maxInUse.load();
    }
}
