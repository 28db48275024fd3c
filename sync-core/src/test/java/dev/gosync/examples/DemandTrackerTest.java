package dev.gosync.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.gosync.atomic.AtomicInt32;
import dev.gosync.atomic.AtomicInt64Array;
import org.junit.jupiter.api.Test;

class DemandTrackerTest {
    private static final int THREADS = 8;

    // Many threads sample into one bucket at once, each sample a new peak (one more than the
    // peak just read), so that the writes race all the time: the interleaving in which a
    // read-compare-write loses a maximum (a thread that read an older value overwrites a larger
    // one it did not see). No maximum may be lost, at any moment: after sample(v) returns, the
    // bucket holds v or more, and at the end it holds the largest sample of all.
    @Test
    void noMaximumIsLostInOneBucket() throws InterruptedException {
        for (int round = 0; round < 20; round++) {
            DemandTracker tracker = new DemandTracker(4);
            long[] threadMax = new long[THREADS];
            Concurrently.run(THREADS, t -> {
                for (int i = 0; i < 5_000; i++) {
                    long v = tracker.currentPeak() + 1 + i % 3;
                    tracker.sample(v);
                    long after = tracker.currentPeak();
                    if (after < v) {
                        throw new AssertionError("maximum " + v + " lost: bucket holds " + after);
                    }
                    threadMax[t] = Math.max(threadMax[t], v);
                }
            });
            long expected = 0;
            for (long m : threadMax) {
                expected = Math.max(expected, m);
            }
            assertEquals(expected, tracker.currentPeak(), "round " + round);
            assertEquals(expected, tracker.peak());
        }
    }

    // Samplers and a ticker run together, every sample a new peak of the window. The ring is
    // longer than the number of ticks, so no bucket ages out: the window's peak may never drop
    // below a sample already taken, whichever bucket it landed in (a tick that published the
    // next bucket before clearing it would wipe samples that had just landed there).
    @Test
    void noMaximumIsLostWhileTheRingRotates() throws InterruptedException {
        int ticks = 200;
        DemandTracker tracker = new DemandTracker(ticks + 1);
        AtomicInt32 samplersLeft = new AtomicInt32(THREADS);
        long[] threadMax = new long[THREADS];
        Concurrently.Body[] bodies = new Concurrently.Body[THREADS + 1];
        for (int t = 0; t < THREADS; t++) {
            bodies[t] = i -> {
                for (int s = 0; s < 5_000; s++) {
                    long v = tracker.peak() + 1 + s % 3;
                    tracker.sample(v);
                    long after = tracker.peak();
                    if (after < v) {
                        throw new AssertionError("maximum " + v + " lost: peak is " + after);
                    }
                    threadMax[i] = Math.max(threadMax[i], v);
                }
                samplersLeft.add(-1);
            };
        }
        bodies[THREADS] = ticker -> {
            for (int i = 0; i < ticks && samplersLeft.load() > 0; i++) {
                tracker.tick();
                Thread.yield();
            }
        };
        Concurrently.run(bodies);
        long expected = 0;
        for (long m : threadMax) {
            expected = Math.max(expected, m);
        }
        assertEquals(expected, tracker.peak());
    }

    // A bucket ages out after a full ring of ticks, and only then.
    @Test
    void peakAgesOutAfterTheWindow() {
        DemandTracker tracker = new DemandTracker(3);
        tracker.sample(50);
        tracker.tick();
        tracker.sample(7);
        tracker.tick();
        assertEquals(50, tracker.peak());
        tracker.tick();   // the bucket holding 50 is reused for this tick
        assertEquals(7, tracker.peak());
        assertEquals(0, tracker.currentPeak());
    }

    // The lost update the class Javadoc warns about, on the same array type: a plain
    // load-compare-store max, interleaved by hand as two threads can interleave it.
    @Test
    void readCompareWriteWouldLoseTheMaximum() {
        AtomicInt64Array bucket = new AtomicInt64Array(1);
        bucket.store(0, 5);
        long seenByA = bucket.load(0);   // A reads 5
        long seenByB = bucket.load(0);   // B reads 5
        if (100 > seenByA) {
            bucket.store(0, 100);        // A writes its maximum
        }
        if (7 > seenByB) {
            bucket.store(0, 7);          // B overwrites it with a smaller value
        }
        assertEquals(7, bucket.load(0), "the maximum 100 is lost");

        bucket.store(0, 5);
        bucket.updateMax(0, 100);
        bucket.updateMax(0, 7);          // the CAS sees 100 and keeps it
        assertEquals(100, bucket.load(0));
    }

    @Test
    void ringNeedsATick() {
        assertThrows(IllegalArgumentException.class, () -> new DemandTracker(0));
    }
}
