package dev.gosync.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gosync.atomic.AtomicBool;
import dev.gosync.atomic.AtomicPointer;
import dev.gosync.examples.HeartbeatReader.Heartbeat;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class HeartbeatReaderTest {

    /**
     * The anti-pattern, for the test only: the triple as three separate atomics. Each field is
     * atomic, the triple is not. {@code betweenStores} runs where the writer is between its
     * first and second store: the window exists in every run; the hook only holds it open so
     * that the test does not depend on luck.
     */
    static final class SeparateAtomicsHeartbeat {
        private final AtomicPointer<Duration> lag = new AtomicPointer<>(Duration.ZERO);
        private final AtomicPointer<Instant> time = new AtomicPointer<>(Instant.EPOCH);
        private final AtomicPointer<String> error = new AtomicPointer<>();
        private final Runnable betweenStores;

        SeparateAtomicsHeartbeat(Runnable betweenStores) {
            this.betweenStores = betweenStores;
        }

        void recordSuccess(Duration newLag, Instant newTime) {
            lag.store(newLag);
            betweenStores.run();
            time.store(newTime);
            error.store(null);
        }

        Heartbeat status() {
            return new Heartbeat(lag.load(), time.load(), error.load());
        }
    }

    private static final Instant T1 = Instant.parse("2026-11-30T12:00:01Z");
    private static final Instant T2 = Instant.parse("2026-11-30T12:00:02Z");

    // A reader that runs while the writer is between its stores sees the new lag with the old
    // time: a triple that no write ever produced.
    @Test
    void separateAtomicsLetAReaderSeeAMixedTriple() throws InterruptedException {
        CountDownLatch midWrite = new CountDownLatch(1);
        CountDownLatch resume = new CountDownLatch(1);
        AtomicBool pause = new AtomicBool();
        SeparateAtomicsHeartbeat torn = new SeparateAtomicsHeartbeat(() -> {
            if (pause.load()) {
                midWrite.countDown();
                awaitOrFail(resume);
            }
        });
        torn.recordSuccess(Duration.ofSeconds(1), T1);
        pause.store(true);
        Thread writer = new Thread(() -> torn.recordSuccess(Duration.ofSeconds(9), T2));
        writer.setDaemon(true);
        writer.start();
        assertTrue(midWrite.await(30, TimeUnit.SECONDS));

        Heartbeat seen = torn.status();   // the reader, interleaved between two stores

        resume.countDown();
        writer.join(30_000);
        assertEquals(new Heartbeat(Duration.ofSeconds(9), T1, null), seen,
                "new lag with the old time");
        assertNotEquals(new Heartbeat(Duration.ofSeconds(1), T1, null), seen);
        assertNotEquals(new Heartbeat(Duration.ofSeconds(9), T2, null), seen);
        assertEquals(new Heartbeat(Duration.ofSeconds(9), T2, null), torn.status());
    }

    // The mutex version never tears: a reader that arrives while the writer is inside its
    // critical section waits, then sees the whole new triple. (The same stress loop run against
    // SeparateAtomicsHeartbeat, with no hook, found torn triples in most runs here.)
    @Test
    void mutexVersionNeverTears() throws InterruptedException {
        HeartbeatReader reader = new HeartbeatReader();
        hammer(reader::recordSuccess, reader::recordError, reader::status);
        assertEquals(WRITES + WRITES / 10, reader.reads());
        assertEquals(WRITES / 10, reader.errors());
    }

    // The record version never tears either: one load returns one whole record.
    @Test
    void recordVersionNeverTears() throws InterruptedException {
        HeartbeatReaderLockFree reader = new HeartbeatReaderLockFree();
        hammer(reader::recordSuccess, reader::recordError, reader::status);
        assertEquals(WRITES + WRITES / 10, reader.reads());
        assertEquals(WRITES / 10, reader.errors());
    }

    // An error keeps the last known lag and time, in both versions.
    @Test
    void errorKeepsTheLastKnownLag() {
        HeartbeatReader locked = new HeartbeatReader();
        HeartbeatReaderLockFree lockFree = new HeartbeatReaderLockFree();
        locked.recordSuccess(Duration.ofMillis(250), T1);
        lockFree.recordSuccess(Duration.ofMillis(250), T1);
        locked.recordError("connection refused");
        lockFree.recordError("connection refused");
        Heartbeat expected = new Heartbeat(Duration.ofMillis(250), T1, "connection refused");
        assertEquals(expected, locked.status());
        assertEquals(expected, lockFree.status());
        locked.recordSuccess(Duration.ofMillis(10), T2);
        assertNull(locked.status().error());
    }

    private static final int WRITES = 50_000;

    interface Success {
        void record(Duration lag, Instant time);
    }

    interface Failure {
        void record(String error);
    }

    interface Status {
        Heartbeat get();
    }

    // A writer records measurement i as (lag i ms, time i ms, error "e<i>" or null), two
    // readers check every triple they see: lag and time from the same i, and an error (when
    // present) about that same i.
    private static void hammer(Success success, Failure failure, Status status)
            throws InterruptedException {
        AtomicBool writing = new AtomicBool(true);
        Concurrently.run(
                w -> {
                    try {
                        for (int i = 1; i <= WRITES; i++) {
                            success.record(Duration.ofMillis(i), Instant.ofEpochMilli(i));
                            if (i % 10 == 0) {
                                failure.record("e" + i);   // the triple still holds i here
                            }
                        }
                    } finally {
                        writing.store(false);
                    }
                },
                r -> checkLoop(status, writing),
                r -> checkLoop(status, writing));
    }

    private static void checkLoop(Status status, AtomicBool writing) {
        long checked = 0;
        while (writing.load() || checked == 0) {
            Heartbeat h = status.get();
            long i = h.lag().toMillis();
            if (h.time().toEpochMilli() != i) {
                throw new AssertionError("torn triple " + h);
            }
            if (h.error() != null && !h.error().equals("e" + i)) {
                throw new AssertionError("error from another measurement " + h);
            }
            checked++;
        }
    }

    private static void awaitOrFail(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new AssertionError("not resumed");
            }
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
