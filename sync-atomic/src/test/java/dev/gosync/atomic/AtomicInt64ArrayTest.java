package dev.gosync.atomic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AtomicInt64ArrayTest {
    // The zero value is empty; the length constructor makes zeros; the array one copies.
    @Test
    void constructors() {
        assertEquals(0, new AtomicInt64Array().length());
        assertEquals("[]", new AtomicInt64Array().toString());
        AtomicInt64Array a = new AtomicInt64Array(3);
        assertEquals(3, a.length());
        assertEquals("[0, 0, 0]", a.toString());
        long[] init = {1, -2};
        AtomicInt64Array b = new AtomicInt64Array(init);
        init[0] = 99;
        assertEquals(1, b.load(0));
        assertEquals("[1, -2]", b.toString());
    }

    // Every operation acts on its own element only, with AtomicInt64's results.
    @Test
    void elementOperations() {
        AtomicInt64Array a = new AtomicInt64Array(3);
        a.store(1, 10);
        assertEquals(10, a.load(1));
        assertEquals(10, a.swap(1, 20));
        assertFalse(a.compareAndSwap(1, 10, 30));
        assertTrue(a.compareAndSwap(1, 20, 30));
        assertEquals(35, a.add(1, 5));
        assertEquals(Long.MIN_VALUE, new AtomicInt64Array(new long[] {Long.MAX_VALUE}).add(0, 1));
        assertEquals(35, a.updateMax(1, 7));
        assertEquals(40, a.updateMax(1, 40));
        assertEquals(40, a.updateMin(1, 41));
        assertEquals(-3, a.updateMin(1, -3));
        assertEquals(0, a.load(0));
        assertEquals(0, a.load(2));
        assertEquals("[0, -3, 0]", a.toString());
    }

    // Out-of-range indices throw and change nothing; a negative length is rejected.
    @Test
    void boundsChecked() {
        AtomicInt64Array a = new AtomicInt64Array(2);
        assertThrows(IndexOutOfBoundsException.class, () -> a.load(2));
        assertThrows(IndexOutOfBoundsException.class, () -> a.load(-1));
        assertThrows(IndexOutOfBoundsException.class, () -> a.store(2, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> a.swap(-1, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> a.compareAndSwap(2, 0, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> a.add(2, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> a.updateMax(2, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> a.updateMin(-1, -1));
        assertEquals("[0, 0]", a.toString());
        assertEquals("length < 0: -1", assertThrows(IllegalArgumentException.class,
                () -> new AtomicInt64Array(-1)).getMessage());
        assertThrows(NullPointerException.class, () -> new AtomicInt64Array(null));
    }

    // Threads hammering adds and updateMax on shared elements end exact.
    @Test
    void concurrentElementUpdatesExact() throws InterruptedException {
        AtomicInt64Array counts = new AtomicInt64Array(4);
        AtomicInt64Array maxima = new AtomicInt64Array(4);
        long[][] trueMax = new long[Hammer.THREADS][4];
        int perThread = 20_000;
        Hammer.run(Hammer.THREADS, t -> {
            SplittableRandom rnd = new SplittableRandom(t);
            for (int i = 0; i < perThread; i++) {
                int e = i & 3;
                counts.add(e, 1);
                long c = rnd.nextLong(1_000_000);
                trueMax[t][e] = Math.max(trueMax[t][e], c);
                maxima.updateMax(e, c);
            }
        });
        for (int e = 0; e < 4; e++) {
            assertEquals((long) Hammer.THREADS * perThread / 4, counts.load(e));
            long expected = 0;
            for (int t = 0; t < Hammer.THREADS; t++) {
                expected = Math.max(expected, trueMax[t][e]);
            }
            assertEquals(expected, maxima.load(e));
        }
    }
}
