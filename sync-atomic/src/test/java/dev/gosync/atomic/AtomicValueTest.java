package dev.gosync.atomic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AtomicValueTest {
    record Point(int x, int y) {
    }

    // Go's zero Value loads nil until the first store.
    @Test
    void emptyLoadsNull() {
        AtomicValue v = new AtomicValue();
        assertNull(v.load());
        assertEquals("null", v.toString());
        v.store("a");
        assertEquals("a", v.load());
        assertEquals("a", v.toString());
    }

    // The constructor's value counts as the first store and fixes the class.
    @Test
    void constructorFixesClass() {
        AtomicValue v = new AtomicValue(1);
        assertEquals(1, v.load());
        v.store(2);
        assertEquals(2, v.load());
    }

    // swap returns the previous value, null while empty.
    @Test
    void swapReturnsPrevious() {
        AtomicValue v = new AtomicValue();
        assertNull(v.swap("a"));
        assertEquals("a", v.swap("b"));
        assertEquals("b", v.load());
    }

    // On an empty Value, CAS(null, v) stores and CAS(non-null, v) fails (Go's rules).
    @Test
    void compareAndSwapOnEmpty() {
        AtomicValue v = new AtomicValue();
        assertFalse(v.compareAndSwap("x", "y"));
        assertNull(v.load());
        assertTrue(v.compareAndSwap(null, "y"));
        assertEquals("y", v.load());
        assertFalse(v.compareAndSwap(null, "z"));
        assertEquals("y", v.load());
    }

    // compareAndSwap compares by equals, like Go's == on interface values (heapA/heapB case):
    // an equal but distinct record or boxed value matches.
    @Test
    void compareAndSwapComparesByEquals() {
        Point held = new Point(1, 2);
        AtomicValue v = new AtomicValue(held);
        assertTrue(v.compareAndSwap(new Point(1, 2), new Point(3, 4)));
        assertEquals(new Point(3, 4), v.load());
        assertFalse(v.compareAndSwap(new Point(1, 2), new Point(5, 6)));
        assertEquals(new Point(3, 4), v.load());
        AtomicValue big = new AtomicValue(1000L);
        assertTrue(big.compareAndSwap(Long.valueOf(1000L), 2000L));
        assertEquals(2000L, big.load());
    }

    // The first stores race on an empty Value: exactly one class wins, the other throws, and
    // the Value holds the winner.
    @Test
    void racingFirstStoresFixOneClass() throws InterruptedException {
        for (int round = 0; round < 200; round++) {
            AtomicValue v = new AtomicValue();
            AtomicInteger rejected = new AtomicInteger();
            Hammer.run(2, t -> {
                try {
                    if (t == 0) {
                        v.store("s");
                    } else {
                        v.store(1);
                    }
                } catch (IllegalArgumentException e) {
                    rejected.incrementAndGet();
                }
            });
            assertEquals(1, rejected.get());
            Object held = v.load();
            assertTrue(held.equals("s") || held.equals(1), String.valueOf(held));
        }
    }

    // Concurrent CAS-increments of boxed values (equal but not identical objects) lose nothing.
    @Test
    void concurrentCompareAndSwapByValueLosesNothing() throws InterruptedException {
        AtomicValue v = new AtomicValue(0);
        int perThread = 5_000;
        Hammer.run(Hammer.THREADS, t -> {
            for (int i = 0; i < perThread; i++) {
                int seen;
                do {
                    seen = (Integer) v.load();
                } while (!v.compareAndSwap(Integer.valueOf(seen), seen + 1));
            }
        });
        assertEquals(Hammer.THREADS * perThread, v.load());
    }

    // A held value is returned as the same object that was stored.
    @Test
    void loadReturnsStoredObject() {
        Point p = new Point(0, 0);
        AtomicValue v = new AtomicValue();
        v.store(p);
        assertSame(p, v.load());
    }
}
