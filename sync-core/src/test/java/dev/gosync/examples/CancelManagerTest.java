package dev.gosync.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gosync.atomic.AtomicBool;
import dev.gosync.atomic.AtomicInt32;
import dev.gosync.atomic.AtomicInt64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CancelManagerTest {
    private static final String SELF = "proxy-0";
    private static final int PREFIXES = 64;

    private static long key(int prefix, long session) {
        return ((long) prefix << 48) | session;
    }

    // Generation g of the fleet maps every prefix to "proxy-<p>@<g>". A refresher swaps in new
    // generations while readers take snapshots: every snapshot is one whole generation.
    @Test
    void readersNeverSeeAHalfRefreshedRouteMap() throws InterruptedException {
        CancelManager manager = new CancelManager(SELF);
        manager.refreshRoutes(generation(0));
        AtomicBool refreshing = new AtomicBool(true);
        int generations = 2_000;
        Concurrently.Body reader = r -> {
            long lastGeneration = 0;
            while (refreshing.load()) {
                Map<Integer, String> snapshot = manager.routes();
                assertEquals(PREFIXES, snapshot.size());
                String first = snapshot.get(0);
                long g = Long.parseLong(first.substring(first.indexOf('@') + 1));
                assertTrue(g >= lastGeneration, "routes went back in time");
                lastGeneration = g;
                for (Map.Entry<Integer, String> e : snapshot.entrySet()) {
                    assertEquals("proxy-" + e.getKey() + "@" + g, e.getValue(), "mixed routes");
                }
            }
        };
        Concurrently.run(
                w -> {
                    try {
                        for (int g = 1; g <= generations; g++) {
                            manager.refreshRoutes(generation(g));
                        }
                    } finally {
                        refreshing.store(false);
                    }
                },
                reader, reader);
        assertEquals("proxy-5@" + generations, manager.route(key(5, 1)));
    }

    private static Map<Integer, String> generation(long g) {
        Map<Integer, String> m = new HashMap<>();
        for (int p = 0; p < PREFIXES; p++) {
            m.put(p, "proxy-" + p + "@" + g);
        }
        return m;
    }

    // Sessions connect, get cancelled and disconnect on many threads while routes refresh:
    // every cancel of a live session reaches it exactly once; afterwards no session is left.
    @Test
    void sessionsChurnWhileRoutesRefresh() throws InterruptedException {
        CancelManager manager = new CancelManager(SELF);
        Map<Integer, String> fleet = Map.of(0, SELF, 1, "proxy-1");
        manager.refreshRoutes(fleet);
        int threads = 6;
        int perThread = 2_000;
        AtomicInt64 cancels = new AtomicInt64();
        AtomicInt32 churners = new AtomicInt32(threads);
        Concurrently.Body[] bodies = new Concurrently.Body[threads + 1];
        for (int t = 0; t < threads; t++) {
            bodies[t] = i -> {
                try {
                    for (int s = 0; s < perThread; s++) {
                        long k = key(0, (long) i * perThread + s);
                        manager.register(k, () -> cancels.add(1));
                        assertEquals(CancelManager.Outcome.CANCELLED, manager.cancel(k));
                        assertEquals(CancelManager.Outcome.FORWARD, manager.cancel(key(1, s)));
                        manager.unregister(k);
                        assertEquals(CancelManager.Outcome.UNKNOWN_SESSION, manager.cancel(k));
                    }
                } finally {
                    churners.add(-1);
                }
            };
        }
        bodies[threads] = refresher -> {
            while (churners.load() > 0) {
                manager.refreshRoutes(fleet);
                Thread.yield();
            }
        };
        Concurrently.run(bodies);
        assertEquals((long) threads * perThread, cancels.load());
        assertEquals(0, manager.sessionCount());
        assertEquals(CancelManager.Outcome.UNKNOWN_PREFIX, manager.cancel(key(7, 1)));
    }

    // The session's cancel() runs without the lock: a slow cancel does not block a connect.
    @Test
    void slowCancelDoesNotBlockRegistration() throws InterruptedException {
        CancelManager manager = new CancelManager(SELF);
        manager.refreshRoutes(Map.of(0, SELF));
        CountDownLatch inCancel = new CountDownLatch(1);
        CountDownLatch finishCancel = new CountDownLatch(1);
        manager.register(key(0, 1), () -> {
            inCancel.countDown();
            try {
                finishCancel.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Thread canceller = new Thread(() -> manager.cancel(key(0, 1)));
        canceller.setDaemon(true);
        canceller.start();
        assertTrue(inCancel.await(30, TimeUnit.SECONDS));
        Concurrently.run(c -> manager.register(key(0, 2), () -> { }));   // fails if it blocks
        assertEquals(2, manager.sessionCount());
        finishCancel.countDown();
        canceller.join(30_000);
    }
}
