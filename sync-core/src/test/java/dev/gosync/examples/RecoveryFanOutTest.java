package dev.gosync.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gosync.atomic.AtomicInt32;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RecoveryFanOutTest {
    private static final int SHARDS = 8;
    private static final int PER_SHARD = 20;

    // Every shard's first repair waits until all shards have started one: this only completes
    // if the shards really run in parallel (a sequential loop would time out in the first
    // shard). Within a shard, repairs never overlap and keep the order the problems were found.
    @Test
    void shardsRunInParallelAndEachShardInOrder() throws InterruptedException {
        CountDownLatch allShardsStarted = new CountDownLatch(SHARDS);
        Map<String, AtomicInt32> inFlight = new ConcurrentHashMap<>();
        Map<String, List<String>> order = new ConcurrentHashMap<>();
        RecoveryFanOut recovery = new RecoveryFanOut(p -> {
            AtomicInt32 running = inFlight.computeIfAbsent(p.shard(), s -> new AtomicInt32());
            if (running.add(1) != 1) {
                throw new IllegalStateException("two repairs of one shard at once");
            }
            List<String> seen = order.computeIfAbsent(p.shard(), s -> new CopyOnWriteArrayList<>());
            if (seen.isEmpty()) {
                allShardsStarted.countDown();
                if (!allShardsStarted.await(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("shards did not run in parallel");
                }
            }
            seen.add(p.description());
            running.add(-1);
        });

        List<RecoveryFanOut.Problem> problems = new ArrayList<>();
        for (int i = 0; i < PER_SHARD; i++) {
            for (int s = 0; s < SHARDS; s++) {   // shards interleaved, as a scan finds them
                problems.add(new RecoveryFanOut.Problem("-" + s * 10 + "-", "problem " + i));
            }
        }
        List<RecoveryFanOut.ShardResult> results = recovery.recover(problems);

        assertEquals(SHARDS, results.size());
        for (int s = 0; s < SHARDS; s++) {
            RecoveryFanOut.ShardResult r = results.get(s);
            assertEquals("-" + s * 10 + "-", r.shard(), "results in first-seen order");
            assertEquals(List.of(), r.failed());
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < PER_SHARD; i++) {
                expected.add("problem " + i);
            }
            assertEquals(expected, r.fixed());
            assertEquals(expected, order.get(r.shard()), "repairs of a shard ran out of order");
        }
    }

    // A failing repair becomes part of its shard's result; the shard goes on with the next
    // problem, and other shards are unaffected.
    @Test
    void failuresAreReportedPerShard() throws InterruptedException {
        RecoveryFanOut recovery = new RecoveryFanOut(p -> {
            if (p.description().equals("bad")) {
                throw new IllegalStateException("no candidate primary");
            }
        });
        List<RecoveryFanOut.ShardResult> results = recovery.recover(List.of(
                new RecoveryFanOut.Problem("-80", "bad"),
                new RecoveryFanOut.Problem("80-", "good"),
                new RecoveryFanOut.Problem("-80", "good")));
        assertEquals(List.of(
                new RecoveryFanOut.ShardResult("-80", List.of("good"),
                        List.of("bad: no candidate primary")),
                new RecoveryFanOut.ShardResult("80-", List.of("good"), List.of())), results);
    }

    // Repeated fan-outs from several callers at once: each gets exactly its own results.
    @Test
    void concurrentRecoveriesDoNotMix() throws InterruptedException {
        AtomicInt32 repairs = new AtomicInt32();
        RecoveryFanOut recovery = new RecoveryFanOut(p -> repairs.add(1));
        Concurrently.run(4, caller -> {
            for (int round = 0; round < 20; round++) {
                List<RecoveryFanOut.Problem> problems = new ArrayList<>();
                for (int s = 0; s < 4; s++) {
                    problems.add(new RecoveryFanOut.Problem("c" + caller + "s" + s, "r" + round));
                }
                List<RecoveryFanOut.ShardResult> results = recovery.recover(problems);
                for (int s = 0; s < 4; s++) {
                    assertEquals("c" + caller + "s" + s, results.get(s).shard());
                    assertEquals(List.of("r" + round), results.get(s).fixed());
                }
            }
        });
        assertEquals(4 * 20 * 4, repairs.load());
        assertTrue(recovery.recover(List.of()).isEmpty(), "nothing to do: returns at once");
    }
}
