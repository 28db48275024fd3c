package dev.gosync.atomic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AtomicInt64Test {
    // Go's zero value is 0; the other constructor sets the initial value.
    @Test
    void zeroAndInitialValue() {
        assertEquals(0, new AtomicInt64().load());
        assertEquals(-7, new AtomicInt64(-7).load());
    }

    // store then load round-trips, including the extremes.
    @Test
    void storeThenLoad() {
        AtomicInt64 a = new AtomicInt64();
        for (long v : new long[] {1, -1, Long.MAX_VALUE, Long.MIN_VALUE, 0}) {
            a.store(v);
            assertEquals(v, a.load());
        }
    }

    // swap returns the old value (Go's Swap) and stores the new one.
    @Test
    void swapReturnsOld() {
        AtomicInt64 a = new AtomicInt64(3);
        assertEquals(3, a.swap(4));
        assertEquals(4, a.swap(-4));
        assertEquals(-4, a.load());
    }

    // compareAndSwap writes only when the value is the expected one.
    @Test
    void compareAndSwapOnlyFromExpected() {
        AtomicInt64 a = new AtomicInt64(5);
        assertFalse(a.compareAndSwap(4, 9));
        assertEquals(5, a.load());
        assertTrue(a.compareAndSwap(5, 9));
        assertEquals(9, a.load());
    }

    // add returns the new value (Go's Add) and wraps in two's complement.
    @Test
    void addReturnsNewAndWraps() {
        AtomicInt64 a = new AtomicInt64();
        assertEquals(5, a.add(5));
        assertEquals(2, a.add(-3));
        a.store(Long.MAX_VALUE);
        assertEquals(Long.MIN_VALUE, a.add(1));
        assertEquals(Long.MAX_VALUE, a.add(-1));
    }

    // add carries across the 32-bit halves, and swap/load keep all 64 bits.
    @Test
    void addCarriesAcross32BitHalves() {
        AtomicInt64 a = new AtomicInt64(0xFFFF_FFFFL);
        assertEquals(1L << 32, a.add(1));
        assertEquals(0xFFFF_FFFFL, a.add(-1));
        assertEquals((1L << 40) + 0xFFFF_FFFFL, a.add(1L << 40));
        assertEquals((1L << 40) + 0xFFFF_FFFFL, a.swap(0x1234_5678_9ABC_DEF0L));
        assertEquals(0x1234_5678_9ABC_DEF0L, a.load());
    }

    // and/or return the old value (Go 1.23) and apply the mask.
    @Test
    void andOrReturnOld() {
        AtomicInt64 a = new AtomicInt64(0b1100);
        assertEquals(0b1100, a.and(0b0110));
        assertEquals(0b0100, a.load());
        assertEquals(0b0100, a.or(0b0011));
        assertEquals(0b0111, a.load());
        assertEquals(0b0111, a.or(Long.MIN_VALUE));
        assertEquals(Long.MIN_VALUE | 0b0111, a.load());
    }

    // updateMax raises only for a greater candidate (signed) and returns the value held after.
    @Test
    void updateMaxRaisesOnlyWhenGreater() {
        AtomicInt64 a = new AtomicInt64(10);
        assertEquals(10, a.updateMax(3));
        assertEquals(10, a.updateMax(10));
        assertEquals(10, a.updateMax(-1));
        assertEquals(10, a.load());
        assertEquals(11, a.updateMax(11));
        assertEquals(Long.MAX_VALUE, a.updateMax(Long.MAX_VALUE));
        assertEquals(Long.MAX_VALUE, a.load());
        a.store(Long.MIN_VALUE);
        assertEquals(-1, a.updateMax(-1));
    }

    // updateMin lowers only for a smaller candidate (signed) and returns the value held after.
    @Test
    void updateMinLowersOnlyWhenSmaller() {
        AtomicInt64 a = new AtomicInt64(10);
        assertEquals(10, a.updateMin(30));
        assertEquals(10, a.updateMin(10));
        assertEquals(10, a.load());
        assertEquals(-1, a.updateMin(-1));
        assertEquals(Long.MIN_VALUE, a.updateMin(Long.MIN_VALUE));
        assertEquals(Long.MIN_VALUE, a.updateMin(Long.MAX_VALUE));
    }

    // toString prints signed decimal.
    @Test
    void toStringPrintsSignedDecimal() {
        assertEquals("-1", new AtomicInt64(-1).toString());
        assertEquals("0", new AtomicInt64().toString());
    }

    // Concurrent add and CAS-increment lose no update: the final value is exact.
    @Test
    void concurrentAddAndCasLoseNothing() throws InterruptedException {
        AtomicInt64 a = new AtomicInt64();
        int perThread = 20_000;
        Hammer.run(Hammer.THREADS, t -> {
            for (int i = 0; i < perThread; i++) {
                if ((i & 1) == 0) {
                    a.add(1);
                } else {
                    long v;
                    do {
                        v = a.load();
                    } while (!a.compareAndSwap(v, v + 1));
                }
            }
        });
        assertEquals((long) Hammer.THREADS * perThread, a.load());
    }

    // Concurrent updateMax/updateMin with random candidates end at the true extremes, and no
    // call ever returns less (more) than its own candidate.
    @Test
    void concurrentUpdateMaxMinFindTrueExtremes() throws InterruptedException {
        AtomicInt64 max = new AtomicInt64(Long.MIN_VALUE);
        AtomicInt64 min = new AtomicInt64(Long.MAX_VALUE);
        long[] trueMax = new long[Hammer.THREADS];
        long[] trueMin = new long[Hammer.THREADS];
        Hammer.run(Hammer.THREADS, t -> {
            SplittableRandom rnd = new SplittableRandom(42 + t);
            long hi = Long.MIN_VALUE;
            long lo = Long.MAX_VALUE;
            for (int i = 0; i < 50_000; i++) {
                long c = rnd.nextLong();
                hi = Math.max(hi, c);
                lo = Math.min(lo, c);
                long afterMax = max.updateMax(c);
                long afterMin = min.updateMin(c);
                if (afterMax < c || afterMin > c) {
                    throw new AssertionError("returned a value past its own candidate " + c);
                }
            }
            trueMax[t] = hi;
            trueMin[t] = lo;
        });
        long expectedMax = Long.MIN_VALUE;
        long expectedMin = Long.MAX_VALUE;
        for (int t = 0; t < Hammer.THREADS; t++) {
            expectedMax = Math.max(expectedMax, trueMax[t]);
            expectedMin = Math.min(expectedMin, trueMin[t]);
        }
        assertEquals(expectedMax, max.load());
        assertEquals(expectedMin, min.load());
    }
}
