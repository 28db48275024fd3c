package dev.gosync.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ReleaseOnceFlagTest {
    private static final int THREADS = 8;
    private static final int ROUNDS = 100;

    // Many threads released at once by a latch: the work runs once per flag, and exactly one
    // caller is told it did it.
    @Test
    void racingReleasesRunTheWorkExactlyOnce() throws InterruptedException {
        for (int round = 0; round < ROUNDS; round++) {
            AtomicInteger runs = new AtomicInteger();
            AtomicInteger winners = new AtomicInteger();
            ReleaseOnceFlag flag = new ReleaseOnceFlag(runs::incrementAndGet);
            CountDownLatch start = new CountDownLatch(1);
            CountDownLatch finished = new CountDownLatch(THREADS);
            for (int t = 0; t < THREADS; t++) {
                Thread thread = new Thread(() -> {
                    try {
                        start.await();
                        if (flag.release()) {
                            winners.incrementAndGet();
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } finally {
                        finished.countDown();
                    }
                });
                thread.setDaemon(true);
                thread.start();
            }
            start.countDown();
            assertTrue(finished.await(30, TimeUnit.SECONDS), "release() must never block");
            assertEquals(1, runs.get(), "round " + round);
            assertEquals(1, winners.get(), "round " + round);
            assertTrue(flag.isReleased());
        }
    }
}
