package dev.gosync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jctools.queues.varhandle.MpmcVarHandleArrayQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Behaviour of Pool: round trips, exclusive hand-out, bounded size, release at GC. */
class PoolTest {

    // An empty pool without a supplier returns null, with one it returns the supplier's item.
    @Test
    void emptyPoolReturnsNullOrNewItem() {
        assertNull(new Pool<Object>().get());
        Object fresh = new Object();
        assertSame(fresh, new Pool<>(() -> fresh).get());
        assertNull(new Pool<>(() -> null).get(), "a supplier may return null, as Go's New may");
    }

    // put then get on one thread returns the item put (items may vanish at a GC, so this is
    // checked as "almost always" rather than "always").
    @Test
    void putThenGetRoundTrips() {
        Pool<Object> p = new Pool<>(Object::new);
        int same = 0;
        for (int i = 0; i < 100; i++) {
            Object x = new Object();
            p.put(x);
            if (p.get() == x) {
                same++;
            }
        }
        assertTrue(same > 50, "round trips: " + same);
    }

    // Every item put comes back once: the stripe, the overflow queue and stealing lose nothing
    // (below the bound, without a GC cycle in between; retried because a GC may intervene).
    @Test
    void itemsBeyondOneStripeComeBackOnce() {
        for (int attempt = 0; ; attempt++) {
            Pool<Object> p = new Pool<>();
            Set<Object> put = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
            for (int i = 0; i < 50; i++) {
                Object x = new Object();
                put.add(x);
                p.put(x);
            }
            Set<Object> got = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
            for (Object x; (x = p.get()) != null; ) {
                assertTrue(got.add(x), "handed out twice");
                assertTrue(put.contains(x), "an item nobody put");
            }
            if (got.size() == put.size() || attempt == 5) {
                assertEquals(put.size(), got.size());
                return;
            }
        }
    }

    // An item put by one thread can be got by another (stealing from its stripe).
    @Test
    void anotherThreadGetsTheItem() throws Exception {
        Pool<Object> p = new Pool<>();
        int got = 0;
        for (int i = 0; i < 20; i++) {
            Object x = new Object();
            TestThreads.startPlatform(() -> p.put(x)).join();
            AtomicReference<Object> seen = new AtomicReference<>();
            TestThreads.startPlatform(() -> seen.set(p.get())).join();
            if (seen.get() == x) {
                got++;
            }
        }
        assertTrue(got > 10, "steals: " + got);
    }

    // Go's victim cache: an idle item survives one GC cycle and is dropped at the second.
    @Test
    void idleItemSurvivesOneCycleAndIsDroppedAtTheSecond() {
        Pool<Object> p = new Pool<>();
        int survived = 0;
        for (int i = 0; i < 10; i++) {
            Object x = new Object();
            p.put(x);
            p.cycle();
            if (p.get() == x) {     // a real GC may add a cycle: then x is gone, which is fine
                survived++;
            }
        }
        assertTrue(survived > 0, "no item survived one cycle");
        for (int i = 0; i < 100; i++) {
            p.put(new Object());
        }
        p.cycle();
        p.cycle();
        assertNull(p.get(), "an item survived two cycles");
    }

    // No item is ever held by two threads at once: threads tag each item they get with
    // themselves and check the tag is still theirs before putting it back.
    @Test
    void noItemHandedToTwoThreadsAtOnce() throws Exception {
        checkExclusive(4, 50_000, false);
    }

    // The same with 10,000 virtual threads (platform threads, fewer, before JDK 21).
    @Test
    void worksWithTenThousandVirtualThreads() throws Exception {
        checkExclusive(TestThreads.virtualAvailable() ? 10_000 : 500, 100, true);
    }

    private static void checkExclusive(int threads, int opsPerThread, boolean virtual)
            throws Exception {
        AtomicInteger created = new AtomicInteger();
        Pool<Item> p = new Pool<>(() -> {
            created.incrementAndGet();
            return new Item();
        });
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch start = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(threads);
        for (int t = 0; t < threads; t++) {
            Runnable body = () -> {
                try {
                    start.await();
                    Thread me = Thread.currentThread();
                    for (int i = 0; i < opsPerThread; i++) {
                        Item x = p.get();
                        if (!x.owner.compareAndSet(null, me)) {
                            throw new AssertionError("item already held by " + x.owner.get());
                        }
                        x.uses++;               // plain state, handed over by put/get
                        if (i % 8 == 0) {
                            Thread.yield();     // let others run while the item is held
                        }
                        if (x.owner.get() != me || !x.owner.compareAndSet(me, null)) {
                            throw new AssertionError("item taken while held");
                        }
                        p.put(x);
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                } finally {
                    done.countDown();
                }
            };
            if (virtual) {
                TestThreads.startVirtual(body);
            } else {
                TestThreads.startPlatform(body);
            }
        }
        start.countDown();
        assertTrue(done.await(90, TimeUnit.SECONDS), "threads did not finish");
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        assertTrue(created.get() > 0);
    }

    // The pool does not grow without bound when threads only put.
    @Test
    void doesNotGrowWhenThreadsOnlyPut() throws Exception {
        Pool<Object> p = new Pool<>();
        int threads = 4;
        Thread[] ts = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            ts[t] = TestThreads.startPlatform(() -> {
                for (int i = 0; i < 100_000; i++) {
                    p.put(new Object());
                }
            });
        }
        for (Thread t : ts) {
            t.join();
        }
        int idle = 0;
        while (p.get() != null) {
            idle++;
        }
        assertTrue(idle > 0, "kept nothing");
        assertTrue(idle <= p.maxIdle(), idle + " idle items, bound " + p.maxIdle());
    }

    // Idle items are released when the GC runs: a forked JVM with a small heap fills a pool
    // with 16 MiB of buffers, then allocates; the buffers must become unreachable.
    @ParameterizedTest
    @ValueSource(strings = {"-XX:+UseG1GC", "-XX:+UseSerialGC", "-XX:+UseParallelGC"})
    void idleItemsAreReleasedUnderMemoryPressure(String gc) throws Exception {
        String out = runProbe(PoolReleaseProbe.class, gc);
        assertTrue(out.contains("released"), out);
    }

    // Idle items never cause an OutOfMemoryError: a forked JVM with a 64 MiB heap puts 40 MiB
    // of buffers in a pool, then allocates 40 MiB at once, before the pool's release at GC can
    // run; the collector must be able to reclaim the idle items (they are held softly).
    @ParameterizedTest
    @ValueSource(strings = {"-XX:+UseG1GC", "-XX:+UseSerialGC", "-XX:+UseParallelGC"})
    void idleItemsNeverCauseOutOfMemoryError(String gc) throws Exception {
        String out = runProbe(PoolOomProbe.class, gc);
        assertTrue(out.contains("allocated"), out);
    }

    /** Runs probe's main in a JVM with a 64 MiB heap and gc; returns its output if it exits 0. */
    private static String runProbe(Class<?> probe, String gc) throws Exception {
        Class<?> queue = MpmcVarHandleArrayQueue.class;
        ForkedJvm.Result r = ForkedJvm.run(probe, List.of("-Xmx64m", gc), List.of(), Pool.class,
                queue, Class.forName("org.jctools.queues.MessagePassingQueue", false,
                        queue.getClassLoader()));
        assertEquals(0, r.exitCode(), "probe output: " + r.output());
        return r.output();
    }

    /** A pooled item that records who holds it. */
    static final class Item {
        final AtomicReference<Thread> owner = new AtomicReference<>();
        int uses;
    }
}
