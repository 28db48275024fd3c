package dev.gosync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gosync.semaphore.Weighted;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * gosync's JFR events: each wait that parks is recorded with the primitive's name, its outcome
 * and the waiter's stack when a recording enables the event; nothing is recorded by the JDK's
 * default settings (the events are {@code @Enabled(false)}); {@code gosync.jfc} turns them on.
 * Real recordings, read back with RecordingFile.
 */
@Timeout(60)
class JfrEventsTest {
    private static final String LOCK_WAIT = "dev.gosync.LockWait";
    private static final String COND_WAIT = "dev.gosync.CondWait";
    private static final String SEMAPHORE_WAIT = "dev.gosync.SemaphoreWait";
    private static final String WAIT_GROUP_WAIT = "dev.gosync.WaitGroupWait";
    private static final String[] ALL = {LOCK_WAIT, COND_WAIT, SEMAPHORE_WAIT, WAIT_GROUP_WAIT};

    /** Something that makes threads wait while a recording runs. */
    interface Scenario {
        void run() throws Exception;
    }

    /** Runs the scenario under a recording with every gosync event on, threshold 0. */
    private static List<RecordedEvent> record(Scenario s) throws Exception {
        try (Recording r = new Recording()) {
            for (String e : ALL) {
                r.enable(e).withThreshold(Duration.ZERO).withStackTrace();
            }
            return run(r, s);
        }
    }

    private static List<RecordedEvent> run(Recording r, Scenario s) throws Exception {
        r.start();
        s.run();
        r.stop();
        Path file = Files.createTempFile("gosync", ".jfr");
        try {
            r.dump(file);
            return RecordingFile.readAllEvents(file).stream()
                    .filter(e -> e.getEventType().getName().startsWith("dev.gosync."))
                    .collect(Collectors.toList());
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static List<RecordedEvent> named(List<RecordedEvent> events, String type,
            String primitive) {
        return events.stream().filter(e -> e.getEventType().getName().equals(type)
                && primitive.equals(e.getString("primitive")))
                .sorted(java.util.Comparator.comparing(RecordedEvent::getStartTime))
                .collect(Collectors.toList());
    }

    private static boolean stackHas(RecordedEvent e, String method) {
        return e.getStackTrace() != null && e.getStackTrace().getFrames().stream()
                .map(RecordedFrame::getMethod).anyMatch(m -> m.getName().equals(method));
    }

    /** Holds mu while one thread parks in lock(); then lets it in. */
    private static void oneWaiter(Mutex mu) throws InterruptedException {
        mu.lock();
        Thread t = TestThreads.startPlatform(() -> {
            mu.lock();
            mu.unlock();
        });
        MutexTest.awaitParked(t);
        mu.unlock();
        t.join();
    }

    @Test
    void mutexWaitIsRecordedWithNameKindOutcomeAndStack() throws Exception {
        Mutex mu = new Mutex("discovery");
        List<RecordedEvent> events = named(record(() -> oneWaiter(mu)), LOCK_WAIT, "discovery");
        assertEquals(1, events.size(), events.toString());
        RecordedEvent e = events.get(0);
        assertEquals("Mutex", e.getString("kind"));
        assertEquals("acquired", e.getString("outcome"));
        assertFalse(e.getDuration().isNegative() || e.getDuration().isZero(), e.toString());
        assertTrue(stackHas(e, "lock"), e.toString());
    }

    @Test
    void anUnnamedMutexIsRecordedByClassAndIdentity() throws Exception {
        Mutex mu = new Mutex();
        String label = "Mutex@" + Integer.toHexString(System.identityHashCode(mu));
        assertEquals(1, named(record(() -> oneWaiter(mu)), LOCK_WAIT, label).size());
    }

    @Test
    void aTimedOutLockIsRecordedAsTimedOut() throws Exception {
        Mutex mu = new Mutex("timed");
        List<RecordedEvent> events = named(record(() -> {
            mu.lock();
            assertFalse(mu.tryLock(Duration.ofMillis(20)));
            mu.unlock();
        }), LOCK_WAIT, "timed");
        assertEquals(1, events.size(), events.toString());
        assertEquals("timed out", events.get(0).getString("outcome"));
    }

    @Test
    void aSemaphoreWaitEndedByItsContextIsRecordedAsContextDone() throws Exception {
        Weighted s = new Weighted(1, "ctx-sem");
        s.acquireUninterruptibly(1);
        List<RecordedEvent> events = named(record(() -> {
            var ctx = dev.gosync.context.Context.withTimeout(
                    dev.gosync.context.Context.background(), Duration.ofMillis(20));
            try {
                s.acquire(ctx, 1);
                throw new AssertionError("acquired");
            } catch (dev.gosync.context.ContextDoneException expected) {
                // the deadline ended the wait
            }
        }), SEMAPHORE_WAIT, "ctx-sem");
        assertEquals(1, events.size(), events.toString());
        assertEquals("context done", events.get(0).getString("outcome"));
        s.release(1);
    }

    @Test
    void uncontendedAndSpinningLocksRecordNothing() throws Exception {
        Mutex mu = new Mutex("quiet");
        List<RecordedEvent> events = named(record(() -> {
            for (int i = 0; i < 10_000; i++) {
                mu.lock();
                mu.unlock();
                assertTrue(mu.tryLock());
                mu.unlock();
            }
        }), LOCK_WAIT, "quiet");
        assertEquals(List.of(), events);
    }

    // Starvation mode: S waits over 1 ms, loses a race to the main thread and so switches the
    // mutex to starvation mode (recorded on S's event); the main thread's next unlock hands
    // the mutex to S (recorded as received).
    @Test
    void starvationModeAndHandOffAreRecorded() throws Exception {
        for (int tries = 0; ; tries++) {
            assertTrue(tries < 100, "could not set up starvation mode");
            Mutex mu = new Mutex("starved" + tries);
            boolean[] setUp = {false};
            List<RecordedEvent> events = named(record(() -> {
                mu.lock();
                MutexFairnessTest.Party s = new MutexFairnessTest.Party(mu, new AtomicInteger());
                MutexTest.awaitParked(s.thread);
                MutexFairnessTest.letTimePass(MutexFairnessTest.STARVED_NANOS);
                if (MutexFairnessTest.bargeAheadOf(mu, s)) {
                    while (!mu.isStarving()) {
                        Thread.onSpinWait();
                    }
                    setUp[0] = true;
                }
                mu.unlock();
                s.thread.join();
            }), LOCK_WAIT, "starved" + tries);
            if (!setUp[0]) {
                continue;
            }
            assertEquals(1, events.size(), events.toString());
            assertTrue(events.get(0).getBoolean("starvationEntered"), events.toString());
            assertTrue(events.get(0).getBoolean("handOffReceived"), events.toString());
            return;
        }
    }

    @Test
    void rwMutexReaderAndWriterWaitsAreRecordedWithTheirKind() throws Exception {
        RWMutex rw = new RWMutex("routes");
        List<RecordedEvent> events = named(record(() -> {
            rw.lock();
            Thread reader = TestThreads.startPlatform(() -> {
                rw.rLock();
                rw.rUnlock();
            });
            MutexTest.awaitParked(reader);
            rw.unlock();
            reader.join();
            rw.rLock();
            Thread writer = TestThreads.startPlatform(() -> {
                rw.lock();
                rw.unlock();
            });
            MutexTest.awaitParked(writer);
            rw.rUnlock();
            writer.join();
        }), LOCK_WAIT, "routes");
        assertEquals(List.of("RWMutex.rLock", "RWMutex.lock"), events.stream()
                .map(e -> e.getString("kind")).collect(Collectors.toList()), events.toString());
    }

    @Test
    void condWaitIsRecordedUntilTheSignal() throws Exception {
        Mutex mu = new Mutex();
        Cond ready = new Cond(mu, "ready");
        List<RecordedEvent> events = named(record(() -> {
            Thread t = TestThreads.startPlatform(() -> {
                mu.lock();
                ready.awaitUninterruptibly();
                mu.unlock();
            });
            MutexTest.awaitParked(t);
            ready.signal();
            t.join();
            mu.lock();
            assertFalse(ready.await(Duration.ofMillis(5)));
            mu.unlock();
        }), COND_WAIT, "ready");
        assertEquals(List.of("signalled", "timed out"), events.stream()
                .map(e -> e.getString("outcome")).collect(Collectors.toList()));
    }

    @Test
    void semaphoreWaitIsRecordedWithItsWeight() throws Exception {
        Weighted sem = new Weighted(3, "db");
        List<RecordedEvent> events = named(record(() -> {
            sem.acquire(3);
            Thread t = TestThreads.startPlatform(() -> {
                sem.acquireUninterruptibly(2);
                sem.release(2);
            });
            MutexTest.awaitParked(t);
            sem.release(3);
            t.join();
        }), SEMAPHORE_WAIT, "db");
        assertEquals(1, events.size(), events.toString());
        assertEquals(2L, events.get(0).getLong("permits"));
        assertEquals("acquired", events.get(0).getString("outcome"));
    }

    @Test
    void waitGroupWaitIsRecorded() throws Exception {
        WaitGroup wg = new WaitGroup();
        String label = "WaitGroup@" + Integer.toHexString(System.identityHashCode(wg));
        List<RecordedEvent> events = named(record(() -> {
            wg.add(1);
            Thread t = TestThreads.startPlatform(() -> {
                try {
                    wg.await();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            });
            MutexTest.awaitParked(t);
            wg.done();
            t.join();
        }), WAIT_GROUP_WAIT, label);
        assertEquals(1, events.size(), events.toString());
        assertEquals("done", events.get(0).getString("outcome"));
    }

    // @Enabled(false): the JDK's default settings (what -XX:StartFlightRecording uses unless
    // told otherwise) record none of gosync's events, so an application's usual recording
    // costs nothing extra.
    @Test
    void theJdksDefaultSettingsRecordNoGosyncEvent() throws Exception {
        Mutex mu = new Mutex("default-settings");
        try (Recording r = new Recording(Configuration.getConfiguration("default"))) {
            List<RecordedEvent> events = run(r, () -> {
                oneWaiter(mu);
                mu.lock();
                assertFalse(mu.tryLock(30, TimeUnit.MILLISECONDS));
                mu.unlock();
            });
            assertEquals(List.of(), events);
        }
    }

    // gosync.jfc (at the root of the sync-core jar) turns every event on with a 10 ms
    // threshold: a 30 ms wait is recorded, with its stack.
    @Test
    void gosyncJfcTurnsTheEventsOn() throws Exception {
        Configuration c;
        try (InputStream in = Mutex.class.getResourceAsStream("/gosync.jfc")) {
            assertNotNull(in, "gosync.jfc is not on the class path");
            c = Configuration.create(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException | ParseException e) {
            throw new AssertionError(e);
        }
        for (String e : ALL) {
            assertEquals("true", c.getSettings().get(e + "#enabled"), e);
        }
        Mutex mu = new Mutex("jfc");
        try (Recording r = new Recording(c)) {
            List<RecordedEvent> events = named(run(r, () -> {
                mu.lock();
                assertFalse(mu.tryLock(30, TimeUnit.MILLISECONDS));
                mu.unlock();
            }), LOCK_WAIT, "jfc");
            assertEquals(1, events.size(), events.toString());
            assertTrue(events.get(0).getStackTrace() != null, events.toString());
        }
    }
}
