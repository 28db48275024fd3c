package dev.gosync.atomic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AtomicInt32Test {
    // Go's zero value is 0; the other constructor sets the initial value.
    @Test
    void zeroAndInitialValue() {
        assertEquals(0, new AtomicInt32().load());
        assertEquals(-7, new AtomicInt32(-7).load());
    }

    // store then load round-trips, including the extremes.
    @Test
    void storeThenLoad() {
        AtomicInt32 a = new AtomicInt32();
        for (int v : new int[] {1, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, 0}) {
            a.store(v);
            assertEquals(v, a.load());
        }
    }

    // swap returns the old value (Go's Swap) and stores the new one.
    @Test
    void swapReturnsOld() {
        AtomicInt32 a = new AtomicInt32(3);
        assertEquals(3, a.swap(4));
        assertEquals(4, a.swap(-4));
        assertEquals(-4, a.load());
    }

    // compareAndSwap writes only when the value is the expected one.
    @Test
    void compareAndSwapOnlyFromExpected() {
        AtomicInt32 a = new AtomicInt32(5);
        assertFalse(a.compareAndSwap(4, 9));
        assertEquals(5, a.load());
        assertTrue(a.compareAndSwap(5, 9));
        assertEquals(9, a.load());
    }

    // add returns the new value (Go's Add) and wraps in two's complement.
    @Test
    void addReturnsNewAndWraps() {
        AtomicInt32 a = new AtomicInt32();
        assertEquals(5, a.add(5));
        assertEquals(2, a.add(-3));
        a.store(Integer.MAX_VALUE);
        assertEquals(Integer.MIN_VALUE, a.add(1));
        assertEquals(Integer.MAX_VALUE, a.add(-1));
    }

    // and/or return the old value (Go 1.23) and apply the mask.
    @Test
    void andOrReturnOld() {
        AtomicInt32 a = new AtomicInt32(0b1100);
        assertEquals(0b1100, a.and(0b0110));
        assertEquals(0b0100, a.load());
        assertEquals(0b0100, a.or(0b0011));
        assertEquals(0b0111, a.load());
        assertEquals(0b0111, a.or(Integer.MIN_VALUE));
        assertEquals(Integer.MIN_VALUE | 0b0111, a.load());
    }

    // updateMax raises only for a greater candidate (signed) and returns the value held after.
    @Test
    void updateMaxRaisesOnlyWhenGreater() {
        AtomicInt32 a = new AtomicInt32(10);
        assertEquals(10, a.updateMax(3));
        assertEquals(10, a.updateMax(10));
        assertEquals(10, a.updateMax(-1));
        assertEquals(10, a.load());
        assertEquals(11, a.updateMax(11));
        assertEquals(Integer.MAX_VALUE, a.updateMax(Integer.MAX_VALUE));
        assertEquals(Integer.MAX_VALUE, a.load());
        a.store(Integer.MIN_VALUE);
        assertEquals(-1, a.updateMax(-1));
    }

    // updateMin lowers only for a smaller candidate (signed) and returns the value held after.
    @Test
    void updateMinLowersOnlyWhenSmaller() {
        AtomicInt32 a = new AtomicInt32(10);
        assertEquals(10, a.updateMin(30));
        assertEquals(10, a.updateMin(10));
        assertEquals(10, a.load());
        assertEquals(-1, a.updateMin(-1));
        assertEquals(Integer.MIN_VALUE, a.updateMin(Integer.MIN_VALUE));
        assertEquals(Integer.MIN_VALUE, a.updateMin(Integer.MAX_VALUE));
    }

    // toString prints signed decimal.
    @Test
    void toStringPrintsSignedDecimal() {
        assertEquals("-1", new AtomicInt32(-1).toString());
        assertEquals("0", new AtomicInt32().toString());
    }

    // Concurrent add and CAS-increment lose no update: the final value is exact.
    @Test
    void concurrentAddAndCasLoseNothing() throws InterruptedException {
        AtomicInt32 a = new AtomicInt32();
        int perThread = 20_000;
        Hammer.run(Hammer.THREADS, t -> {
            for (int i = 0; i < perThread; i++) {
                if ((i & 1) == 0) {
                    a.add(1);
                } else {
                    int v;
                    do {
                        v = a.load();
                    } while (!a.compareAndSwap(v, v + 1));
                }
            }
        });
        assertEquals(Hammer.THREADS * perThread, a.load());
    }

    // Concurrent updateMax/updateMin with random candidates end at the true extremes, and no
    // call ever returns less (more) than its own candidate.
    @Test
    void concurrentUpdateMaxMinFindTrueExtremes() throws InterruptedException {
        AtomicInt32 max = new AtomicInt32(Integer.MIN_VALUE);
        AtomicInt32 min = new AtomicInt32(Integer.MAX_VALUE);
        int[] trueMax = new int[Hammer.THREADS];
        int[] trueMin = new int[Hammer.THREADS];
        Hammer.run(Hammer.THREADS, t -> {
            SplittableRandom rnd = new SplittableRandom(42 + t);
            int hi = Integer.MIN_VALUE;
            int lo = Integer.MAX_VALUE;
            for (int i = 0; i < 50_000; i++) {
                int c = rnd.nextInt();
                hi = Math.max(hi, c);
                lo = Math.min(lo, c);
                int afterMax = max.updateMax(c);
                int afterMin = min.updateMin(c);
                if (afterMax < c || afterMin > c) {
                    throw new AssertionError("returned a value past its own candidate " + c);
                }
            }
            trueMax[t] = hi;
            trueMin[t] = lo;
        });
        int expectedMax = Integer.MIN_VALUE;
        int expectedMin = Integer.MAX_VALUE;
        for (int t = 0; t < Hammer.THREADS; t++) {
            expectedMax = Math.max(expectedMax, trueMax[t]);
            expectedMin = Math.min(expectedMin, trueMin[t]);
        }
        assertEquals(expectedMax, max.load());
        assertEquals(expectedMin, min.load());
    }
}
