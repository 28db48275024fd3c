package dev.gosync.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PoolMetricsTest {

    // Threads hammer the counters: every total is exact, and the wait time reads back as the
    // Duration of the nanoseconds recorded.
    @Test
    void countersAreExactUnderConcurrency() throws InterruptedException {
        PoolMetrics metrics = new PoolMetrics();
        int threads = 8;
        int perThread = 20_000;
        Concurrently.run(threads, t -> {
            for (int i = 0; i < perThread; i++) {
                metrics.recordGet(i % 2 == 0 ? 0 : 1_000);   // every other get waited 1 µs
                metrics.recordPut();
            }
        });
        assertEquals((long) threads * perThread, metrics.gets());
        assertEquals((long) threads * perThread / 2, metrics.waitCount());
        assertEquals(Duration.ofNanos(1_000L * threads * perThread / 2), metrics.waitTime());
        assertEquals(0, metrics.inUse());
        assertTrue(metrics.maxInUse() >= 1 && metrics.maxInUse() <= threads,
                "max in use " + metrics.maxInUse());
    }

    // All threads hold a connection at the same moment (a latch keeps them in): the high-water
    // mark must be exactly the number of threads, whatever the order of the updates.
    @Test
    void highWaterMarkIsNotLost() throws InterruptedException {
        for (int round = 0; round < 50; round++) {
            PoolMetrics metrics = new PoolMetrics();
            int threads = 6;
            CountDownLatch allIn = new CountDownLatch(threads);
            Concurrently.run(threads, t -> {
                metrics.recordGet(0);
                allIn.countDown();
                assertTrue(allIn.await(30, TimeUnit.SECONDS));
                metrics.recordPut();
            });
            assertEquals(threads, metrics.maxInUse(), "round " + round);
            assertEquals(0, metrics.inUse());
        }
    }

    @Test
    void negativeWaitIsRejected() {
        PoolMetrics metrics = new PoolMetrics();
        assertThrows(IllegalArgumentException.class, () -> metrics.recordGet(-1));
        assertEquals(0, metrics.gets(), "a rejected record changes nothing");
    }
}
