package dev.gosync.atomic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.invoke.WrongMethodTypeException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CasMaxTest {
    /** A user's own class with its own fields and handles. */
    static final class Stats {
        volatile long peak;
        volatile long low = Long.MAX_VALUE;
        volatile int peak32;
        volatile int low32 = Integer.MAX_VALUE;

        static final VarHandle PEAK;
        static final VarHandle LOW;
        static final VarHandle PEAK32;
        static final VarHandle LOW32;

        static {
            try {
                MethodHandles.Lookup l = MethodHandles.lookup();
                PEAK = l.findVarHandle(Stats.class, "peak", long.class);
                LOW = l.findVarHandle(Stats.class, "low", long.class);
                PEAK32 = l.findVarHandle(Stats.class, "peak32", int.class);
                LOW32 = l.findVarHandle(Stats.class, "low32", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }
    }

    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);

    // long field: max/min change the field only past the current value; return the after-value.
    @Test
    void longFieldMaxMin() {
        Stats s = new Stats();
        assertEquals(5L, CasMax.max(Stats.PEAK, s, 5L));
        assertEquals(5L, CasMax.max(Stats.PEAK, s, 3L));
        assertEquals(5L, CasMax.max(Stats.PEAK, s, 5L));
        assertEquals(Long.MAX_VALUE, CasMax.max(Stats.PEAK, s, Long.MAX_VALUE));
        assertEquals(Long.MAX_VALUE, s.peak);
        assertEquals(-1L, CasMax.min(Stats.LOW, s, -1L));
        assertEquals(-1L, CasMax.min(Stats.LOW, s, 0L));
        assertEquals(Long.MIN_VALUE, CasMax.min(Stats.LOW, s, Long.MIN_VALUE));
        assertEquals(Long.MIN_VALUE, s.low);
    }

    // int field: the int overloads.
    @Test
    void intFieldMaxMin() {
        Stats s = new Stats();
        assertEquals(7, CasMax.max(Stats.PEAK32, s, 7));
        assertEquals(7, CasMax.max(Stats.PEAK32, s, -7));
        assertEquals(-7, CasMax.min(Stats.LOW32, s, -7));
        assertEquals(-7, CasMax.min(Stats.LOW32, s, 7));
        assertEquals(7, s.peak32);
        assertEquals(-7, s.low32);
    }

    // long[] element: only the named element changes; bounds are checked.
    @Test
    void arrayElementMaxMin() {
        long[] a = new long[3];
        assertEquals(9L, CasMax.max(LONGS, a, 1, 9L));
        assertEquals(9L, CasMax.max(LONGS, a, 1, 2L));
        assertEquals(-4L, CasMax.min(LONGS, a, 2, -4L));
        assertEquals(-4L, CasMax.min(LONGS, a, 2, 0L));
        assertEquals(0L, a[0]);
        assertEquals(9L, a[1]);
        assertEquals(-4L, a[2]);
        assertThrows(ArrayIndexOutOfBoundsException.class, () -> CasMax.max(LONGS, a, 3, 1L));
        assertThrows(ArrayIndexOutOfBoundsException.class, () -> CasMax.min(LONGS, a, -1, 1L));
    }

    // A handle of the wrong variable type, or a foreign holder, fails without writing.
    @Test
    void wrongHandleOrHolderFails() {
        Stats s = new Stats();
        assertThrows(WrongMethodTypeException.class, () -> CasMax.max(Stats.PEAK32, s, 5L));
        assertThrows(ClassCastException.class, () -> CasMax.max(Stats.PEAK, "not stats", 5L));
        assertThrows(NullPointerException.class, () -> CasMax.max(Stats.PEAK, null, 5L));
        assertEquals(0, s.peak32);
    }

    // Threads hammering max and min with random candidates on a user field and an array
    // element end at the true extremes.
    @Test
    void concurrentMaxMinFindTrueExtremes() throws InterruptedException {
        Stats s = new Stats();
        s.peak = Long.MIN_VALUE;
        long[] a = {Long.MIN_VALUE, Long.MAX_VALUE};
        long[] hi = new long[Hammer.THREADS];
        long[] lo = new long[Hammer.THREADS];
        Hammer.run(Hammer.THREADS, t -> {
            SplittableRandom rnd = new SplittableRandom(100 + t);
            long h = Long.MIN_VALUE;
            long l = Long.MAX_VALUE;
            for (int i = 0; i < 30_000; i++) {
                long c = rnd.nextLong();
                h = Math.max(h, c);
                l = Math.min(l, c);
                CasMax.max(Stats.PEAK, s, c);
                CasMax.min(Stats.LOW, s, c);
                CasMax.max(LONGS, a, 0, c);
                CasMax.min(LONGS, a, 1, c);
            }
            hi[t] = h;
            lo[t] = l;
        });
        long expectedHi = Long.MIN_VALUE;
        long expectedLo = Long.MAX_VALUE;
        for (int t = 0; t < Hammer.THREADS; t++) {
            expectedHi = Math.max(expectedHi, hi[t]);
            expectedLo = Math.min(expectedLo, lo[t]);
        }
        assertEquals(expectedHi, s.peak);
        assertEquals(expectedLo, s.low);
        assertEquals(expectedHi, (long) LONGS.getVolatile(a, 0));
        assertEquals(expectedLo, (long) LONGS.getVolatile(a, 1));
    }
}
