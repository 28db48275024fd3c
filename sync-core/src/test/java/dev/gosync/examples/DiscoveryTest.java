package dev.gosync.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gosync.atomic.AtomicBool;
import dev.gosync.atomic.AtomicInt64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

class DiscoveryTest {
    private static final String[] KEYSPACES = {"commerce", "customer", "lookup"};
    private static final long RUN_NANOS = 1_000_000_000L;   // each path runs for about 1 s

    // Health updates, removals (parent then child, dropping empty keyspaces), routing reads and
    // status pages (parent held across every child) run together for about a second. With the
    // lock order respected nothing deadlocks: every thread finishes (Concurrently.run fails
    // with the stuck threads' stacks if one does not), and every path made progress.
    @Test
    void bothLockPathsRunConcurrentlyWithoutDeadlock() throws InterruptedException {
        Discovery discovery = new Discovery();
        AtomicInt64 updates = new AtomicInt64();
        AtomicInt64 removals = new AtomicInt64();
        AtomicInt64 pages = new AtomicInt64();
        AtomicInt64 routes = new AtomicInt64();
        long deadline = System.nanoTime() + RUN_NANOS;
        Concurrently.Body updater = t -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            while (System.nanoTime() < deadline) {
                discovery.updateTablet(pick(random), "tablet-" + random.nextInt(4),
                        random.nextInt(10));
                updates.add(1);
            }
        };
        Concurrently.Body remover = t -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            while (System.nanoTime() < deadline) {
                discovery.removeTablet(pick(random), "tablet-" + random.nextInt(4));
                removals.add(1);
            }
        };
        Concurrently.Body statusPage = t -> {
            while (System.nanoTime() < deadline) {
                Map<String, Map<String, Integer>> page = discovery.statusPage();
                for (Map<String, Integer> tablets : page.values()) {
                    assertFalse(tablets.isEmpty(), "an empty keyspace was left behind");
                }
                pages.add(1);
            }
        };
        Concurrently.Body router = t -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            while (System.nanoTime() < deadline) {
                List<String> tablets = discovery.tablets(pick(random));
                assertTrue(tablets.size() <= 4);
                routes.add(1);
            }
        };
        Concurrently.run(updater, updater, remover, remover, statusPage, statusPage, router);
        assertTrue(updates.load() > 0 && removals.load() > 0 && pages.load() > 0
                && routes.load() > 0, "a path starved");
    }

    // An update that races with the removal of its (emptied) keyspace is not lost: it retries
    // against the fresh keyspace, so the tablet ends up visible.
    @Test
    void updateRacingWithKeyspaceRemovalIsNotLost() throws InterruptedException {
        for (int round = 0; round < 200; round++) {
            Discovery discovery = new Discovery();
            discovery.updateTablet("commerce", "old", 0);
            AtomicBool removed = new AtomicBool();
            Concurrently.run(
                    r -> removed.store(discovery.removeTablet("commerce", "old")),
                    u -> discovery.updateTablet("commerce", "new", 1));
            assertTrue(removed.load());
            assertEquals(List.of("new"), discovery.tablets("commerce"), "round " + round);
            assertEquals(Map.of("commerce", Map.of("new", 1)), discovery.statusPage());
        }
    }

    private static String pick(ThreadLocalRandom random) {
        return KEYSPACES[random.nextInt(KEYSPACES.length)];
    }
}
