package dev.gosync.examples;

import dev.gosync.atomic.AtomicInt64;
import dev.gosync.atomic.AtomicPointer;
import dev.gosync.examples.HeartbeatReader.Heartbeat;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * {@link HeartbeatReader} with the triple as one immutable {@link Heartbeat} record behind an
 * {@link AtomicPointer}, for readers too many or too hot for a mutex.
 *
 * <p><b>Why it is consistent:</b> a reader does one {@code load()} and gets a whole record;
 * the record's fields are final and were written before the {@code store} that published it
 * (the store happens-before the load that reads it), so the three values always come from one
 * write. Readers never block, never retry, and never slow a writer.
 *
 * <p><b>The cost:</b> one allocation per write, and a write that depends on the previous
 * triple (an error keeps the last lag and time) must read, derive and {@code compareAndSwap},
 * retrying if another writer got in first. With a single writer (the heartbeat loop) the CAS
 * never fails; it is there so that the class stays correct if a second writer appears.
 */
final class HeartbeatReaderLockFree {
    private final AtomicPointer<Heartbeat> last =
            new AtomicPointer<>(new Heartbeat(Duration.ZERO, Instant.EPOCH, null));
    private final AtomicInt64 reads = new AtomicInt64();
    private final AtomicInt64 errors = new AtomicInt64();

    /** Creates a reader that has not read a heartbeat yet. */
    HeartbeatReaderLockFree() {
    }

    /**
     * Records a successful read; replaces the whole triple with one store.
     *
     * @param lag the replication lag it showed
     * @param time when it was read
     */
    void recordSuccess(Duration lag, Instant time) {
        last.store(new Heartbeat(Objects.requireNonNull(lag, "lag"),
                Objects.requireNonNull(time, "time"), null));
        reads.add(1);
    }

    /**
     * Records a failed read, keeping the last known lag and time: copy-on-write with a CAS.
     *
     * @param error what went wrong
     */
    void recordError(String error) {
        Objects.requireNonNull(error, "error");
        last.updateAndGet(old -> new Heartbeat(old.lag(), old.time(), error));
        reads.add(1);
        errors.add(1);
    }

    /** @return the last measurement, as one consistent triple; never blocks */
    Heartbeat status() {
        return last.load();
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
