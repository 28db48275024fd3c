package dev.gosync.examples;

import dev.gosync.Locker;
import dev.gosync.Mutex;
import dev.gosync.atomic.AtomicInt64;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The replication-lag reader of a replica: it reads the primary's heartbeat row every second
 * and remembers the last known lag, when it was measured, and the last error, for the health
 * check and the query planner.
 *
 * <p><b>Primitives:</b>
 * <ul>
 *   <li>one {@link Mutex} for the triple {@code (lag, time, error)}. The three values describe
 *       one measurement and are only meaningful together: "lag 2 s, measured at 12:00:01, no
 *       error". A reader must never combine the lag of one measurement with the time of
 *       another, which three separate atomics allow (a reader that runs between two of the
 *       writer's stores sees a mixed triple; the test shows it deterministically).</li>
 *   <li>independent {@link AtomicInt64} counters beside it. Nothing relates
 *       {@code reads} to {@code errors} or to the triple, so they need no lock: each is bumped
 *       with one {@code add}, outside the critical section.</li>
 * </ul>
 *
 * <p>The lock-free alternative for the triple is one immutable record behind an
 * {@code AtomicPointer}, replaced whole on every write: see {@link HeartbeatReaderLockFree}.
 * Prefer it when readers are many and hot (a planner consulting lag on every query); the mutex
 * is simpler when a write must also read the old triple (keep the last lag on an error), which
 * the record version must do with a CAS loop.
 */
@SuppressWarnings("try")   // -Xlint:try flags the unused guard in try (var held = mu.locked())
final class HeartbeatReader {
    /** One consistent measurement: {@code error} is null when the last read succeeded. */
    record Heartbeat(Duration lag, Instant time, String error) {
    }

    private final Mutex mu = new Mutex();
    // mu guards the triple: lag and time come from the same heartbeat, and error says whether
    // the latest read after it failed. Written together, read together.
    private Duration lag = Duration.ZERO;   // guarded by mu
    private Instant time = Instant.EPOCH;   // guarded by mu
    private String error;                   // guarded by mu

    // Independent counters: no invariant ties them to each other or to the triple.
    private final AtomicInt64 reads = new AtomicInt64();
    private final AtomicInt64 errors = new AtomicInt64();

    /** Creates a reader that has not read a heartbeat yet. */
    HeartbeatReader() {
    }

    /**
     * Records a successful read of the heartbeat.
     *
     * @param lag the replication lag it showed
     * @param time when it was read
     */
    void recordSuccess(Duration lag, Instant time) {
        Objects.requireNonNull(lag, "lag");
        Objects.requireNonNull(time, "time");
        try (Locker.Held held = mu.locked()) {
            this.lag = lag;
            this.time = time;
            this.error = null;
        }
        reads.add(1);
    }

    /**
     * Records a failed read: the last known lag and its time are kept, the error is added.
     *
     * @param error what went wrong
     */
    void recordError(String error) {
        Objects.requireNonNull(error, "error");
        try (Locker.Held held = mu.locked()) {
            this.error = error;
        }
        reads.add(1);
        errors.add(1);
    }

    /** @return the last measurement, as one consistent triple */
    Heartbeat status() {
        try (Locker.Held held = mu.locked()) {
            return new Heartbeat(lag, time, error);
        }
    }

    /** @return how many heartbeat reads were recorded */
    long reads() {
        return reads.load();
    }

    /** @return how many of them failed */
    long errors() {
        return errors.load();
    }
}
