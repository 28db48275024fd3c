package dev.gosync.atomic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AtomicUint64Test {
    /** The largest unsigned 64-bit value, 2^64 - 1, held as the bits of -1. */
    private static final long MAX = -1;
    /** 2^63: the smallest value with the sign bit set, above every "positive" long. */
    private static final long SIGN = Long.MIN_VALUE;

    // Go's zero value is 0; the other constructor sets the initial bits.
    @Test
    void zeroAndInitialValue() {
        assertEquals(0, new AtomicUint64().load());
        assertEquals("18446744073709551615", Long.toUnsignedString(new AtomicUint64(MAX).load()));
    }

    // store/load/swap/compareAndSwap move the bits unchanged.
    @Test
    void storeSwapCompareAndSwap() {
        AtomicUint64 a = new AtomicUint64();
        a.store(MAX);
        assertEquals(MAX, a.load());
        assertEquals(MAX, a.swap(SIGN));
        assertFalse(a.compareAndSwap(MAX, 1));
        assertTrue(a.compareAndSwap(SIGN, 1));
        assertEquals(1, a.load());
    }

    // add wraps modulo 2^64 in both directions; adding -c subtracts c (Go's Add(^uint64(c-1))).
    @Test
    void addWrapsModulo2To32() {
        AtomicUint64 a = new AtomicUint64(MAX);
        assertEquals(0, a.add(1));
        assertEquals(MAX, a.add(-1));
        assertEquals(MAX - 2, a.add(-2));
        a.store(Long.MAX_VALUE);
        assertEquals(SIGN, a.add(1));             // 2^63 - 1 + 1 = 2^63, no overflow unsigned
        assertEquals("9223372036854775808", a.toString());
    }

    // and/or return the old bits.
    @Test
    void andOrReturnOld() {
        AtomicUint64 a = new AtomicUint64(MAX);
        assertEquals(MAX, a.and(0xFF));
        assertEquals(0xFF, a.or(SIGN));
        assertEquals(SIGN | 0xFF, a.load());
    }

    // updateMax compares unsigned: a candidate with the sign bit set is larger than any
    // candidate without it, and MAX (-1) is the largest of all.
    @Test
    void updateMaxComparesUnsigned() {
        AtomicUint64 a = new AtomicUint64(5);
        assertEquals(5, a.updateMax(0));
        assertEquals(Long.MAX_VALUE, a.updateMax(Long.MAX_VALUE));
        assertEquals(SIGN, a.updateMax(SIGN));                 // signed would keep MAX_VALUE
        assertEquals(SIGN, a.updateMax(Long.MAX_VALUE));
        assertEquals(MAX, a.updateMax(MAX));
        assertEquals(MAX, a.updateMax(0));
        assertEquals(MAX, a.load());
    }

    // updateMin compares unsigned: 0 is the smallest; -1 is never a new minimum below 0.
    @Test
    void updateMinComparesUnsigned() {
        AtomicUint64 a = new AtomicUint64(MAX);
        assertEquals(MAX, a.updateMin(MAX));
        assertEquals(SIGN, a.updateMin(SIGN));
        assertEquals(7, a.updateMin(7));
        assertEquals(7, a.updateMin(-7));                      // -7 is 2^64 - 7: larger
        assertEquals(0, a.updateMin(0));
        assertEquals(0, a.updateMin(MAX));
        assertEquals(0, a.load());
    }

    // toString prints unsigned decimal.
    @Test
    void toStringPrintsUnsignedDecimal() {
        assertEquals("18446744073709551615", new AtomicUint64(MAX).toString());
        assertEquals("0", new AtomicUint64().toString());
        assertEquals("9223372036854775808", new AtomicUint64(SIGN).toString());
    }

    // Concurrent adds that cross 2^64 lose nothing: the result is exact modulo 2^64.
    @Test
    void concurrentAddsWrapExactly() throws InterruptedException {
        AtomicUint64 a = new AtomicUint64(MAX - 1000);
        int perThread = 20_000;
        Hammer.run(Hammer.THREADS, t -> {
            for (int i = 0; i < perThread; i++) {
                a.add(1);
            }
        });
        assertEquals(MAX - 1000 + (long) Hammer.THREADS * perThread, a.load());
    }

    // Concurrent updateMax/updateMin with random candidates on both sides of the sign bit end
    // at the true unsigned extremes.
    @Test
    void concurrentUpdateMaxMinFindTrueUnsignedExtremes() throws InterruptedException {
        AtomicUint64 max = new AtomicUint64(0);
        AtomicUint64 min = new AtomicUint64(MAX);
        long[] trueMax = new long[Hammer.THREADS];
        long[] trueMin = new long[Hammer.THREADS];
        Hammer.run(Hammer.THREADS, t -> {
            SplittableRandom rnd = new SplittableRandom(7 + t);
            long hi = 0;
            long lo = MAX;
            for (int i = 0; i < 50_000; i++) {
                long c = rnd.nextLong();
                if (Long.compareUnsigned(c, hi) > 0) {
                    hi = c;
                }
                if (Long.compareUnsigned(c, lo) < 0) {
                    lo = c;
                }
                if (Long.compareUnsigned(max.updateMax(c), c) < 0
                        || Long.compareUnsigned(min.updateMin(c), c) > 0) {
                    throw new AssertionError("returned a value past its own candidate " + c);
                }
            }
            trueMax[t] = hi;
            trueMin[t] = lo;
        });
        long expectedMax = 0;
        long expectedMin = MAX;
        for (int t = 0; t < Hammer.THREADS; t++) {
            if (Long.compareUnsigned(trueMax[t], expectedMax) > 0) {
                expectedMax = trueMax[t];
            }
            if (Long.compareUnsigned(trueMin[t], expectedMin) < 0) {
                expectedMin = trueMin[t];
            }
        }
        assertEquals(expectedMax, max.load());
        assertEquals(expectedMin, min.load());
    }
}
