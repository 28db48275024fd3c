package dev.gosync.atomic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AtomicPointerTest {
    // Go's zero value is nil.
    @Test
    void zeroValueIsNull() {
        assertNull(new AtomicPointer<String>().load());
        assertEquals("null", new AtomicPointer<String>().toString());
    }

    // store, load and swap move references, null included.
    @Test
    void storeLoadSwapWithNull() {
        String a = "a";
        AtomicPointer<String> p = new AtomicPointer<>(a);
        assertSame(a, p.load());
        assertSame(a, p.swap(null));
        assertNull(p.swap("b"));
        p.store(null);
        assertNull(p.load());
        assertEquals("null", p.toString());
    }

    // compareAndSwap compares identity, not equals: an equal but distinct object fails.
    @Test
    void compareAndSwapComparesIdentity() {
        List<Integer> held = new ArrayList<>(List.of(1));
        List<Integer> equalCopy = new ArrayList<>(List.of(1));
        List<Integer> next = new ArrayList<>();
        AtomicPointer<List<Integer>> p = new AtomicPointer<>(held);
        assertFalse(p.compareAndSwap(equalCopy, next));
        assertSame(held, p.load());
        assertTrue(p.compareAndSwap(held, next));
        assertSame(next, p.load());
        assertTrue(p.compareAndSwap(next, null));
        assertTrue(p.compareAndSwap(null, held));
        assertEquals("[1]", p.toString());
    }

    // Copy-on-write appends through a CAS loop lose no element under contention.
    @Test
    void copyOnWriteAppendsLoseNothing() throws InterruptedException {
        AtomicPointer<List<Integer>> p = new AtomicPointer<>(List.of());
        int perThread = 500;
        Hammer.run(Hammer.THREADS, t -> {
            for (int i = 0; i < perThread; i++) {
                List<Integer> old;
                List<Integer> copy;
                do {
                    old = p.load();
                    copy = new ArrayList<>(old);
                    copy.add(t * perThread + i);
                } while (!p.compareAndSwap(old, copy));
            }
        });
        assertEquals(Hammer.THREADS * perThread, p.load().size());
        assertEquals(Hammer.THREADS * perThread, p.load().stream().distinct().count());
    }

    // updateAndGet installs f's result and returns it; f sees the current reference.
    @Test
    void updateAndGetInstallsAndReturnsTheNewReference() {
        AtomicPointer<String> p = new AtomicPointer<>("a");
        assertEquals("ab", p.updateAndGet(s -> s + "b"));
        assertEquals("ab", p.load());
        assertNull(p.updateAndGet(s -> null));
        assertEquals("null!", p.updateAndGet(s -> s + "!"));
        assertThrows(NullPointerException.class, () -> p.updateAndGet(null));
        assertEquals("null!", p.load());
    }

    // Concurrent updateAndGet appends lose nothing: a lost race rebuilds from the winner's list.
    @Test
    void updateAndGetLosesNoConcurrentUpdate() throws InterruptedException {
        AtomicPointer<List<Integer>> p = new AtomicPointer<>(List.of());
        int perThread = 500;
        Hammer.run(Hammer.THREADS, t -> {
            for (int i = 0; i < perThread; i++) {
                int v = t * perThread + i;
                p.updateAndGet(old -> {
                    List<Integer> copy = new ArrayList<>(old);
                    copy.add(v);
                    return List.copyOf(copy);
                });
            }
        });
        assertEquals(Hammer.THREADS * perThread, p.load().size());
        assertEquals(Hammer.THREADS * perThread, p.load().stream().distinct().count());
    }
}
