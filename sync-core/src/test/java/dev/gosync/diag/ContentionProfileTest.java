package dev.gosync.diag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gosync.Mutex;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * The contention profile: off by default; with fraction 1 a contended unlock is blamed, on the
 * unlocker's stack, for the waiting of every thread queued behind it; the waiters' own view
 * and the per-name histogram record each parked wait; the pprof output carries Go's sample
 * types, scaled by the fraction; the fraction samples one event in N.
 */
@Isolated   // the profile is global
@Timeout(60)
class ContentionProfileTest {
    private static final long HOLD_MILLIS = 50;

    @BeforeEach
    @AfterEach
    void off() {
        ContentionProfile.setFraction(0);
        ContentionProfile.reset();
    }

    private static void awaitParked(Thread t) {
        while (t.getState() != Thread.State.WAITING
                && t.getState() != Thread.State.TIMED_WAITING) {
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    private static Thread locker(Mutex mu) {
        Thread t = new Thread(() -> {
            mu.lock();
            mu.unlock();
        });
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Holds mu while {@code waiters} threads park behind it for HOLD_MILLIS, then unlocks. */
    private static void holdWhileQueued(Mutex mu, int waiters) throws InterruptedException {
        mu.lock();
        List<Thread> ts = new ArrayList<>();
        for (int i = 0; i < waiters; i++) {
            Thread t = locker(mu);
            awaitParked(t);
            ts.add(t);
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(HOLD_MILLIS));    // set-up only
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(HOLD_MILLIS);
        while (System.nanoTime() < deadline) {      // at least HOLD_MILLIS, whatever park did
            LockSupport.parkNanos(deadline - System.nanoTime());
        }
        releaseHeld(mu);
        for (Thread t : ts) {
            t.join();
        }
    }

    /** The unlock the profile must blame: this method's frame is on the recorded stack. */
    private static void releaseHeld(Mutex mu) {
        mu.unlock();
    }

    @Test
    void offByDefaultRecordsNothing() throws InterruptedException {
        assertEquals(0, ContentionProfile.setFraction(-1));
        holdWhileQueued(new Mutex("off"), 1);
        assertEquals(List.of(), ContentionProfile.delays());
        assertEquals(List.of(), ContentionProfile.waiters());
        assertTrue(ContentionProfile.waitTimes().isEmpty());
    }

    @Test
    void setFractionReturnsThePreviousAndANegativeOneOnlyReads() {
        assertEquals(0, ContentionProfile.setFraction(5));
        assertEquals(5, ContentionProfile.setFraction(-1));
        assertEquals(5, ContentionProfile.setFraction(1));
        assertEquals(1, ContentionProfile.setFraction(0));
    }

    // Two waiters queued for >= HOLD_MILLIS each: the unlock is blamed for both waits (scaled
    // by the waiters it delayed), on the unlocker's own stack, which starts at Mutex.unlock.
    @Test
    void aContendedUnlockIsBlamedForEveryQueuedWaitersDelay() throws InterruptedException {
        ContentionProfile.setFraction(1);
        holdWhileQueued(new Mutex("hot"), 2);
        List<ContentionProfile.Sample> delays = ContentionProfile.delays();
        ContentionProfile.Sample blamed = delays.stream()
                .filter(s -> s.lock().equals("hot") && s.stack().stream()
                        .anyMatch(f -> f.getMethodName().equals("releaseHeld")))
                .findFirst().orElse(null);
        assertNotNull(blamed, delays.toString());
        assertEquals("dev.gosync.Mutex", blamed.stack().get(0).getClassName(), delays.toString());
        assertEquals("unlock", blamed.stack().get(0).getMethodName(), delays.toString());
        assertTrue(blamed.delayNanos() >= 2 * TimeUnit.MILLISECONDS.toNanos(HOLD_MILLIS),
                blamed.toString());
    }

    @Test
    void eachParkedWaitIsRecordedOnTheWaitersStackAndInItsLocksHistogram()
            throws InterruptedException {
        ContentionProfile.setFraction(1);
        holdWhileQueued(new Mutex("queue"), 1);
        ContentionProfile.Sample w = ContentionProfile.waiters().stream()
                .filter(s -> s.lock().equals("queue")).findFirst().orElse(null);
        assertNotNull(w, ContentionProfile.waiters().toString());
        assertEquals("lock", w.stack().get(0).getMethodName(), w.toString());
        assertEquals(1, w.contentions());
        assertTrue(w.delayNanos() >= TimeUnit.MILLISECONDS.toNanos(HOLD_MILLIS), w.toString());
        WaitHistogram h = ContentionProfile.waitTimes().get("queue");
        assertNotNull(h, ContentionProfile.waitTimes().toString());
        assertEquals(1, h.count());
        assertEquals(h.totalNanos(), h.maxNanos());
        assertTrue(h.quantileUpperBound(0.5) >= h.maxNanos(), h.toString());
        assertThrows(IllegalArgumentException.class, () -> h.quantileUpperBound(0.0));
    }

    @Test
    void unnamedLocksAreProfiledByIdentityButKeepNoHistogram() throws InterruptedException {
        ContentionProfile.setFraction(1);
        Mutex mu = new Mutex();
        holdWhileQueued(mu, 1);
        String label = "Mutex@" + Integer.toHexString(System.identityHashCode(mu));
        assertTrue(ContentionProfile.delays().stream().anyMatch(s -> s.lock().equals(label)),
                ContentionProfile.delays().toString());
        assertTrue(ContentionProfile.waitTimes().isEmpty());
    }

    @Test
    void resetForgetsEverything() throws InterruptedException {
        ContentionProfile.setFraction(1);
        holdWhileQueued(new Mutex("gone"), 1);
        assertFalse(ContentionProfile.delays().isEmpty());
        ContentionProfile.reset();
        assertEquals(List.of(), ContentionProfile.delays());
        assertEquals(List.of(), ContentionProfile.waiters());
        assertTrue(ContentionProfile.waitTimes().isEmpty());
    }

    // Go's format: gzipped profile.proto with sample types contentions/count and
    // delay/nanoseconds, period type contentions/count, period = the fraction, values scaled
    // by it, the lock in a "lock" label and frames as functions.
    @Test
    void pprofOutputHasGosMutexProfileShape() throws IOException, InterruptedException {
        ContentionProfile.setFraction(1);
        holdWhileQueued(new Mutex("pprof"), 1);
        ContentionProfile.setFraction(3);       // written values are scaled by the period
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ContentionProfile.writePprof(out);
        ProtoReader profile = new ProtoReader(gunzip(out.toByteArray()));
        List<String> strings = profile.strings(6);
        assertEquals("", strings.get(0));
        assertTrue(strings.containsAll(List.of("contentions", "count", "delay", "nanoseconds",
                "lock", "pprof", "dev.gosync.Mutex.unlock")), strings.toString());
        List<ProtoReader> types = profile.messages(1);
        assertEquals(2, types.size());
        assertEquals("contentions", strings.get((int) types.get(0).varint(1)));
        assertEquals("delay", strings.get((int) types.get(1).varint(1)));
        assertEquals("nanoseconds", strings.get((int) types.get(1).varint(2)));
        assertEquals(3L, profile.varint(12));
        assertEquals("contentions", strings.get((int) profile.messages(11).get(0).varint(1)));
        long total = 0L;
        long scaledMin = 3 * TimeUnit.MILLISECONDS.toNanos(HOLD_MILLIS);
        for (ProtoReader sample : profile.messages(2)) {
            List<Long> values = sample.packed(2);
            assertEquals(2, values.size());
            assertEquals(0L, values.get(0) % 3, "counts are scaled by the period");
            total += values.get(1);
            assertFalse(sample.packed(1).isEmpty(), "each sample has a stack");
        }
        assertTrue(total >= scaledMin, "delay " + total + " < " + scaledMin);
        assertFalse(profile.messages(4).isEmpty());
        assertFalse(profile.messages(5).isEmpty());
    }

    // Fraction 4: each event is kept with probability 1/4. Of 4,000 draws the kept count is
    // binomial (mean 1,000, s.d. 27); 800..1,200 is over seven deviations either way.
    @Test
    void aFractionOfNKeepsAboutOneEventInN() {
        ContentionProfile.setFraction(4);
        int kept = 0;
        for (int i = 0; i < 4_000; i++) {
            if (dev.gosync.internal.Contention.sample()) {
                kept++;
            }
        }
        assertTrue(kept > 800 && kept < 1_200, "kept " + kept + " of 4000");
        ContentionProfile.setFraction(0);
        assertFalse(dev.gosync.internal.Contention.sample());
    }

    private static byte[] gunzip(byte[] gz) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        }
    }

    /** A minimal protobuf reader: varint (0) and length-delimited (2) fields. */
    static final class ProtoReader {
        private final List<long[]> fields = new ArrayList<>();  // {field, wire, value|offset, len}
        private final byte[] buf;

        ProtoReader(byte[] buf) {
            this.buf = buf;
            int[] pos = {0};
            while (pos[0] < buf.length) {
                long key = readVarint(buf, pos);
                int field = (int) (key >>> 3);
                int wire = (int) (key & 7);
                if (wire == 0) {
                    fields.add(new long[] {field, 0, readVarint(buf, pos), 0});
                } else if (wire == 2) {
                    int len = (int) readVarint(buf, pos);
                    fields.add(new long[] {field, 2, pos[0], len});
                    pos[0] += len;
                } else {
                    throw new AssertionError("unexpected wire type " + wire);
                }
            }
        }

        private static long readVarint(byte[] b, int[] pos) {
            long v = 0L;
            for (int shift = 0; ; shift += 7) {
                int x = b[pos[0]++] & 0xFF;
                v |= (long) (x & 0x7F) << shift;
                if ((x & 0x80) == 0) {
                    return v;
                }
            }
        }

        private byte[] slice(long[] f) {
            byte[] out = new byte[(int) f[3]];
            System.arraycopy(buf, (int) f[2], out, 0, out.length);
            return out;
        }

        long varint(int field) {
            return fields.stream().filter(f -> f[0] == field && f[1] == 0).findFirst()
                    .map(f -> f[2]).orElse(0L);
        }

        List<ProtoReader> messages(int field) {
            List<ProtoReader> out = new ArrayList<>();
            for (long[] f : fields) {
                if (f[0] == field && f[1] == 2) {
                    out.add(new ProtoReader(slice(f)));
                }
            }
            return out;
        }

        List<String> strings(int field) {
            List<String> out = new ArrayList<>();
            for (long[] f : fields) {
                if (f[0] == field && f[1] == 2) {
                    out.add(new String(slice(f), java.nio.charset.StandardCharsets.UTF_8));
                }
            }
            return out;
        }

        List<Long> packed(int field) {
            List<Long> out = new ArrayList<>();
            for (long[] f : fields) {
                if (f[0] == field && f[1] == 2) {
                    byte[] b = slice(f);
                    int[] pos = {0};
                    while (pos[0] < b.length) {
                        out.add(readVarint(b, pos));
                    }
                }
            }
            return out;
        }
    }
}
