package dev.gosync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Behaviour of SyncMap: each operation's contract, then Go's map_test.go races. */
class SyncMapTest {

    // load of an absent key is null; store then load returns the value; store overwrites.
    @Test
    void loadStoreOverwrite() {
        SyncMap<String, Integer> m = new SyncMap<>();
        assertNull(m.load("a"));
        m.store("a", 1);
        assertEquals(1, m.load("a"));
        m.store("a", 2);
        assertEquals(2, m.load("a"));
    }

    // loadOrStore stores on an absent key (returns null) and loads on a present one.
    @Test
    void loadOrStoreStoresOnceThenLoads() {
        SyncMap<String, Integer> m = new SyncMap<>();
        assertNull(m.loadOrStore("a", 1));
        assertEquals(1, m.loadOrStore("a", 2));
        assertEquals(1, m.load("a"));
    }

    // loadAndDelete returns the value it removed, then null.
    @Test
    void loadAndDeleteReturnsRemovedValue() {
        SyncMap<String, Integer> m = new SyncMap<>();
        assertNull(m.loadAndDelete("a"));
        m.store("a", 1);
        assertEquals(1, m.loadAndDelete("a"));
        assertNull(m.load("a"));
        assertNull(m.loadAndDelete("a"));
    }

    // delete removes a key and does nothing on an absent one.
    @Test
    void deleteRemovesAndIgnoresAbsent() {
        SyncMap<String, Integer> m = new SyncMap<>();
        m.delete("a");
        m.store("a", 1);
        m.delete("a");
        assertNull(m.load("a"));
    }

    // swap returns the previous value (null when absent) and stores in both cases.
    @Test
    void swapReturnsPrevious() {
        SyncMap<String, Integer> m = new SyncMap<>();
        assertNull(m.swap("a", 1));
        assertEquals(1, m.swap("a", 2));
        assertEquals(2, m.load("a"));
    }

    // compareAndSwap: false on an absent key (Go's TestCompareAndSwap_NonExistingKey), false on
    // a different value, true on an equal one (equals, not identity).
    @Test
    void compareAndSwapComparesWithEquals() {
        SyncMap<String, String> m = new SyncMap<>();
        assertFalse(m.compareAndSwap("k", "x", "y"));
        assertNull(m.load("k"));
        m.store("k", "x");
        assertFalse(m.compareAndSwap("k", "z", "y"));
        assertEquals("x", m.load("k"));
        assertTrue(m.compareAndSwap("k", new String("x"), "y"));
        assertEquals("y", m.load("k"));
    }

    // compareAndDelete: false on an absent key or a different value, true on an equal one.
    @Test
    void compareAndDeleteComparesWithEquals() {
        SyncMap<String, String> m = new SyncMap<>();
        assertFalse(m.compareAndDelete("k", "x"));
        m.store("k", "x");
        assertFalse(m.compareAndDelete("k", "z"));
        assertEquals("x", m.load("k"));
        assertTrue(m.compareAndDelete("k", new String("x")));
        assertNull(m.load("k"));
    }

    // range visits every entry once with its value, and stops when f returns false.
    @Test
    void rangeVisitsAllAndStopsEarly() {
        SyncMap<Integer, Integer> m = new SyncMap<>();
        for (int i = 0; i < 100; i++) {
            m.store(i, i * 10);
        }
        Map<Integer, Integer> seen = new HashMap<>();
        m.range((k, v) -> {
            assertNull(seen.put(k, v), "visited twice: " + k);
            return true;
        });
        assertEquals(100, seen.size());
        seen.forEach((k, v) -> assertEquals(k * 10, v));
        AtomicInteger calls = new AtomicInteger();
        m.range((k, v) -> calls.incrementAndGet() < 3);
        assertEquals(3, calls.get());
        new SyncMap<Integer, Integer>().range((k, v) -> {
            throw new AssertionError("range called f on an empty map");
        });
    }

    // Go: "even f itself may call any method on m" — f deletes and re-stores every key it
    // visits. With all keys in one hash bin a re-stored key goes to the end of the bin's chain,
    // where a plain ConcurrentHashMap iteration meets it again; range must not.
    @Test
    void rangeVisitsKeyOnceEvenIfCallbackReStoresIt() {
        SyncMap<Collider, Integer> m = new SyncMap<>();
        for (int i = 0; i < 6; i++) {
            m.store(new Collider(i), i);
        }
        List<Collider> seen = new ArrayList<>();
        m.range((k, v) -> {
            seen.add(k);
            m.delete(k);
            m.store(new Collider(k.id), v + 100);
            return true;
        });
        assertEquals(6, seen.size(), "visits: " + seen);
        assertEquals(6, new HashSet<>(seen).size(), "a key was visited twice: " + seen);
        for (int i = 0; i < 6; i++) {
            assertEquals(i + 100, m.load(new Collider(i)));
        }
    }

    // The test above bites: the same callback on a bare ConcurrentHashMap iteration meets keys
    // twice. (Documents why range() keeps a visited set.)
    @Test
    void plainConcurrentHashMapIterationRevisitsReStoredKeys() {
        ConcurrentHashMap<Collider, Integer> m = new ConcurrentHashMap<>();
        for (int i = 0; i < 6; i++) {
            m.put(new Collider(i), i);
        }
        List<Collider> seen = new ArrayList<>();
        for (Map.Entry<Collider, Integer> e : m.entrySet()) {
            seen.add(e.getKey());
            if (seen.size() > 50) {
                break;
            }
            m.remove(e.getKey());
            m.put(new Collider(e.getKey().id), e.getValue());
        }
        assertTrue(seen.size() > new HashSet<>(seen).size(), "no repeat: " + seen);
    }

    // clear removes everything; the map stays usable.
    @Test
    void clearRemovesAll() {
        SyncMap<Integer, Integer> m = new SyncMap<>();
        for (int i = 0; i < 50; i++) {
            m.store(i, i);
        }
        m.clear();
        m.range((k, v) -> {
            throw new AssertionError("left after clear: " + k);
        });
        m.store(1, 1);
        assertEquals(1, m.load(1));
    }

    // asMap is a live ConcurrentMap view: writes on either side are seen on the other.
    @Test
    void asMapIsALiveConcurrentMapView() {
        SyncMap<String, Integer> m = new SyncMap<>();
        ConcurrentMap<String, Integer> v = m.asMap();
        assertSame(v, m.asMap());
        m.store("a", 1);
        assertEquals(1, v.get("a"));
        assertEquals(1, v.size());
        v.put("b", 2);
        assertEquals(2, m.load("b"));
        assertEquals(3, v.merge("a", 2, Integer::sum));
        assertEquals(3, m.load("a"));
        assertEquals(10, v.computeIfAbsent("c", k -> 10));
        assertTrue(v.remove("c", 10));
        assertNull(m.load("c"));
        assertEquals(Map.of("a", 3, "b", 2), v);
        assertEquals(Map.of("a", 3, "b", 2).hashCode(), v.hashCode());
        v.keySet().remove("b");
        assertNull(m.load("b"));
        v.clear();
        assertTrue(v.isEmpty());
        assertFalse(v instanceof ConcurrentHashMap, "view exposes the implementation type");
    }

    // Go's TestConcurrentRange: writers keep overwriting and deleting/re-storing keys while
    // ranges run; every range sees each never-deleted key exactly once and no key twice.
    @Test
    void concurrentRangeWhileStoringVisitsStableKeysExactlyOnce() throws Exception {
        final int stable = 256;
        final int churn = 256;
        SyncMap<Integer, Integer> m = new SyncMap<>();
        for (int i = 0; i < stable + churn; i++) {
            m.store(i, i);
        }
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            final int seed = w;
            writers.add(TestThreads.startPlatform(() -> {
                int n = seed;
                while (!stop.get()) {
                    n++;
                    m.store(n % stable, n);                       // overwrite a stable key
                    int c = stable + (n * 31 & (churn - 1));
                    m.delete(c);                                  // churn: delete, re-store
                    m.store(c, n);
                }
            }));
        }
        try {
            for (int round = 0; round < 200; round++) {
                Set<Integer> seen = new HashSet<>();
                m.range((k, v) -> {
                    if (!seen.add(k)) {
                        failure.compareAndSet(null, new AssertionError("visited twice: " + k));
                    }
                    return true;
                });
                for (int i = 0; i < stable; i++) {
                    assertTrue(seen.contains(i), "stable key not visited: " + i);
                }
            }
        } finally {
            stop.set(true);
            for (Thread t : writers) {
                t.join();
            }
        }
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
    }

    // Go's LoadOrStore race: many threads race on one absent key; exactly one stores, and every
    // other call returns that thread's value.
    @Test
    void loadOrStoreStoresExactlyOnceUnderRace() throws Exception {
        final int threads = 8;
        for (int round = 0; round < 200; round++) {
            SyncMap<String, Integer> m = new SyncMap<>();
            CyclicBarrier start = new CyclicBarrier(threads);
            Integer[] results = new Integer[threads];
            Thread[] ts = new Thread[threads];
            for (int t = 0; t < threads; t++) {
                final int id = t;
                ts[t] = TestThreads.startPlatform(() -> {
                    await(start);
                    results[id] = m.loadOrStore("k", id);
                });
            }
            for (Thread t : ts) {
                t.join();
            }
            int winner = -1;
            for (int t = 0; t < threads; t++) {
                if (results[t] == null) {
                    assertEquals(-1, winner, "two threads stored");
                    winner = t;
                }
            }
            assertTrue(winner >= 0, "nobody stored");
            for (int t = 0; t < threads; t++) {
                if (t != winner) {
                    assertEquals(winner, results[t], "thread " + t + " saw another value");
                }
            }
            assertEquals(winner, m.load("k"));
        }
    }

    // Go's CompareAndSwap race: threads increment one counter with CAS loops; no update is lost.
    @Test
    void compareAndSwapRaceLosesNoUpdate() throws Exception {
        final int threads = 4;
        final int perThread = 20_000;
        SyncMap<String, Integer> m = new SyncMap<>();
        m.store("n", 0);
        CountDownLatch start = new CountDownLatch(1);
        Thread[] ts = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            ts[t] = TestThreads.startPlatform(() -> {
                awaitLatch(start);
                for (int i = 0; i < perThread; i++) {
                    Integer cur;
                    do {
                        cur = m.load("n");
                    } while (!m.compareAndSwap("n", cur, cur + 1));
                }
            });
        }
        start.countDown();
        for (Thread t : ts) {
            t.join();
        }
        assertEquals(threads * perThread, m.load("n"));
    }

    // Go's Swap/CompareAndDelete races: of threads removing one present key, exactly one wins.
    @Test
    void loadAndDeleteAndCompareAndDeleteHaveOneWinner() throws Exception {
        final int threads = 4;
        for (int round = 0; round < 200; round++) {
            SyncMap<String, Integer> m = new SyncMap<>();
            m.store("k", 7);
            m.store("j", 8);
            CyclicBarrier start = new CyclicBarrier(threads);
            AtomicInteger loadAndDeleteWins = new AtomicInteger();
            AtomicInteger compareAndDeleteWins = new AtomicInteger();
            Thread[] ts = new Thread[threads];
            for (int t = 0; t < threads; t++) {
                ts[t] = TestThreads.startPlatform(() -> {
                    await(start);
                    Integer v = m.loadAndDelete("k");
                    if (v != null) {
                        assertEquals(7, v);
                        loadAndDeleteWins.incrementAndGet();
                    }
                    if (m.compareAndDelete("j", 8)) {
                        compareAndDeleteWins.incrementAndGet();
                    }
                });
            }
            for (Thread t : ts) {
                t.join();
            }
            assertEquals(1, loadAndDeleteWins.get());
            assertEquals(1, compareAndDeleteWins.get());
        }
    }

    private static void await(CyclicBarrier b) {
        try {
            b.await();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void awaitLatch(CountDownLatch l) {
        try {
            l.await();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** A key whose instances all share one hash code, so they share one hash bin. */
    private static final class Collider {
        final int id;

        Collider(int id) {
            this.id = id;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Collider && ((Collider) o).id == id;
        }

        @Override
        public int hashCode() {
            return 42;
        }

        @Override
        public String toString() {
            return "C" + id;
        }
    }

    /** A key whose hash collides with every other CollidingKey: all share one bin. */
    private static final class CollidingKey {
        final int id;

        CollidingKey(int id) {
            this.id = id;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof CollidingKey && ((CollidingKey) o).id == id;
        }

        @Override
        public int hashCode() {
            return 42;
        }
    }

    /** A value whose equals blocks until released. */
    private static final class SlowValue {
        final CountDownLatch inEquals = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public boolean equals(Object o) {
            inEquals.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return o == this;
        }

        @Override
        public int hashCode() {
            return 1;
        }
    }

    // As the Progress paragraph says: compareAndSwap runs oldValue.equals while the bin is
    // locked, so a blocking equals stalls writers of that bin (a colliding key) but not others.
    @Test
    void blockingValueEqualsStallsWritersOfItsBinOnly() throws Exception {
        SyncMap<Object, Object> m = new SyncMap<>();
        m.store(new CollidingKey(1), "stored");
        SlowValue slow = new SlowValue();
        AtomicReference<Boolean> swapped = new AtomicReference<>();
        Thread cas = TestThreads.startPlatform(
                () -> swapped.set(m.compareAndSwap(new CollidingKey(1), slow, "new")));
        assertTrue(slow.inEquals.await(30, TimeUnit.SECONDS));
        m.store("elsewhere", "x");   // another bin: not stalled
        Thread sameBin = TestThreads.startPlatform(() -> m.store(new CollidingKey(2), "y"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (sameBin.getState() != Thread.State.BLOCKED) {   // on the bin's monitor
            assertTrue(sameBin.isAlive() && System.nanoTime() < deadline,
                    "a writer of the locked bin was not stalled: " + sameBin.getState());
            Thread.yield();
        }
        slow.release.countDown();
        cas.join(30_000);
        sameBin.join(30_000);
        assertFalse(cas.isAlive() || sameBin.isAlive());
        assertFalse(swapped.get());
        assertEquals("y", m.load(new CollidingKey(2)));
        assertEquals("stored", m.load(new CollidingKey(1)));
    }
}
