package dev.gosync.atomic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AtomicUint32Test {
    /** The largest unsigned 32-bit value, 2^32 - 1, held as the bits of -1. */
    private static final int MAX = -1;
    /** 2^31: the smallest value with the sign bit set, above every "positive" int. */
    private static final int SIGN = Integer.MIN_VALUE;

    // Go's zero value is 0; the other constructor sets the initial bits.
    @Test
    void zeroAndInitialValue() {
        assertEquals(0, new AtomicUint32().load());
        assertEquals(4294967295L, Integer.toUnsignedLong(new AtomicUint32(MAX).load()));
    }

    // store/load/swap/compareAndSwap move the bits unchanged.
    @Test
    void storeSwapCompareAndSwap() {
        AtomicUint32 a = new AtomicUint32();
        a.store(MAX);
        assertEquals(MAX, a.load());
        assertEquals(MAX, a.swap(SIGN));
        assertFalse(a.compareAndSwap(MAX, 1));
        assertTrue(a.compareAndSwap(SIGN, 1));
        assertEquals(1, a.load());
    }

    // add wraps modulo 2^32 in both directions; adding -c subtracts c (Go's Add(^uint32(c-1))).
    @Test
    void addWrapsModulo2To32() {
        AtomicUint32 a = new AtomicUint32(MAX);
        assertEquals(0, a.add(1));
        assertEquals(MAX, a.add(-1));
        assertEquals(MAX - 2, a.add(-2));
        a.store(Integer.MAX_VALUE);
        assertEquals(SIGN, a.add(1));             // 2^31 - 1 + 1 = 2^31, no overflow unsigned
        assertEquals("2147483648", a.toString());
    }

    // and/or return the old bits.
    @Test
    void andOrReturnOld() {
        AtomicUint32 a = new AtomicUint32(MAX);
        assertEquals(MAX, a.and(0xFF));
        assertEquals(0xFF, a.or(SIGN));
        assertEquals(SIGN | 0xFF, a.load());
    }

    // updateMax compares unsigned: a candidate with the sign bit set is larger than any
    // candidate without it, and MAX (-1) is the largest of all.
    @Test
    void updateMaxComparesUnsigned() {
        AtomicUint32 a = new AtomicUint32(5);
        assertEquals(5, a.updateMax(0));
        assertEquals(Integer.MAX_VALUE, a.updateMax(Integer.MAX_VALUE));
        assertEquals(SIGN, a.updateMax(SIGN));                 // signed would keep MAX_VALUE
        assertEquals(SIGN, a.updateMax(Integer.MAX_VALUE));
        assertEquals(MAX, a.updateMax(MAX));
        assertEquals(MAX, a.updateMax(0));
        assertEquals(MAX, a.load());
    }

    // updateMin compares unsigned: 0 is the smallest; -1 is never a new minimum below 0.
    @Test
    void updateMinComparesUnsigned() {
        AtomicUint32 a = new AtomicUint32(MAX);
        assertEquals(MAX, a.updateMin(MAX));
        assertEquals(SIGN, a.updateMin(SIGN));
        assertEquals(7, a.updateMin(7));
        assertEquals(7, a.updateMin(-7));                      // -7 is 2^32 - 7: larger
        assertEquals(0, a.updateMin(0));
        assertEquals(0, a.updateMin(MAX));
        assertEquals(0, a.load());
    }

    // toString prints unsigned decimal.
    @Test
    void toStringPrintsUnsignedDecimal() {
        assertEquals("4294967295", new AtomicUint32(MAX).toString());
        assertEquals("0", new AtomicUint32().toString());
        assertEquals("2147483648", new AtomicUint32(SIGN).toString());
    }

    // Concurrent adds that cross 2^32 lose nothing: the result is exact modulo 2^32.
    @Test
    void concurrentAddsWrapExactly() throws InterruptedException {
        AtomicUint32 a = new AtomicUint32(MAX - 1000);
        int perThread = 20_000;
        Hammer.run(Hammer.THREADS, t -> {
            for (int i = 0; i < perThread; i++) {
                a.add(1);
            }
        });
        assertEquals(MAX - 1000 + Hammer.THREADS * perThread, a.load());
    }

    // Concurrent updateMax/updateMin with random candidates on both sides of the sign bit end
    // at the true unsigned extremes.
    @Test
    void concurrentUpdateMaxMinFindTrueUnsignedExtremes() throws InterruptedException {
        AtomicUint32 max = new AtomicUint32(0);
        AtomicUint32 min = new AtomicUint32(MAX);
        int[] trueMax = new int[Hammer.THREADS];
        int[] trueMin = new int[Hammer.THREADS];
        Hammer.run(Hammer.THREADS, t -> {
            SplittableRandom rnd = new SplittableRandom(7 + t);
            int hi = 0;
            int lo = MAX;
            for (int i = 0; i < 50_000; i++) {
                int c = rnd.nextInt();
                if (Integer.compareUnsigned(c, hi) > 0) {
                    hi = c;
                }
                if (Integer.compareUnsigned(c, lo) < 0) {
                    lo = c;
                }
                if (Integer.compareUnsigned(max.updateMax(c), c) < 0
                        || Integer.compareUnsigned(min.updateMin(c), c) > 0) {
                    throw new AssertionError("returned a value past its own candidate " + c);
                }
            }
            trueMax[t] = hi;
            trueMin[t] = lo;
        });
        int expectedMax = 0;
        int expectedMin = MAX;
        for (int t = 0; t < Hammer.THREADS; t++) {
            if (Integer.compareUnsigned(trueMax[t], expectedMax) > 0) {
                expectedMax = trueMax[t];
            }
            if (Integer.compareUnsigned(trueMin[t], expectedMin) < 0) {
                expectedMin = trueMin[t];
            }
        }
        assertEquals(expectedMax, max.load());
        assertEquals(expectedMin, min.load());
    }
}
