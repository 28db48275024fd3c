package dev.gosync.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gosync.atomic.AtomicInt32;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class OpenOncePoolTest {

    // Racing opens: exactly one wins and exactly one worker runs. Racing closes: exactly one
    // wins, and when it returns the worker has stopped.
    @Test
    void racingOpensStartOneWorkerAndRacingClosesStopIt() throws InterruptedException {
        for (int round = 0; round < 50; round++) {
            AtomicInt32 running = new AtomicInt32();
            AtomicInt32 maxRunning = new AtomicInt32();
            CountDownLatch ticked = new CountDownLatch(1);
            OpenOncePool pool = new OpenOncePool(Duration.ZERO, () -> {
                maxRunning.updateMax(running.add(1));
                ticked.countDown();
                running.add(-1);
            });
            AtomicInt32 opened = new AtomicInt32();
            Concurrently.run(4, t -> {
                if (pool.open()) {
                    opened.add(1);
                }
            });
            assertEquals(1, opened.load());
            assertTrue(pool.isOpen());
            assertTrue(ticked.await(30, TimeUnit.SECONDS), "the worker never ran");

            AtomicInt32 closed = new AtomicInt32();
            Concurrently.run(4, t -> {
                if (pool.close()) {
                    closed.add(1);
                    assertEquals(0, running.load(), "close() returned while the worker ran");
                }
            });
            assertEquals(1, closed.load());
            assertFalse(pool.isOpen());
            assertEquals(1, maxRunning.load(), "two workers ran at once");
        }
    }

    // close() waits for a tick in progress. The tick is held on a latch; close() is called from
    // another thread and must not return until the tick is released. (If close() did not wait,
    // it would return during the 100 ms grace below; a correct close() cannot.)
    @Test
    void closeWaitsForTheWorker() throws InterruptedException {
        CountDownLatch inTick = new CountDownLatch(1);
        CountDownLatch finishTick = new CountDownLatch(1);
        ConcurrentLinkedQueue<String> events = new ConcurrentLinkedQueue<>();
        OpenOncePool pool = new OpenOncePool(Duration.ZERO, () -> {
            if (inTick.getCount() > 0) {
                inTick.countDown();
                try {
                    finishTick.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                events.add("tick finished");
            }
        });
        assertTrue(pool.open());
        assertTrue(inTick.await(30, TimeUnit.SECONDS));
        CountDownLatch closeReturned = new CountDownLatch(1);
        Thread closer = new Thread(() -> {
            try {
                pool.close();
                events.add("close returned");
                closeReturned.countDown();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        closer.setDaemon(true);
        closer.start();
        assertFalse(closeReturned.await(100, TimeUnit.MILLISECONDS), "close() did not wait");
        finishTick.countDown();
        assertTrue(closeReturned.await(30, TimeUnit.SECONDS));
        assertEquals(List.of("tick finished", "close returned"), List.copyOf(events));
    }

    // Open, close, open again: a fresh worker each time; closing a closed pool does nothing.
    // Opens and closes racing from several threads never misuse a WaitGroup (each run has its
    // own) and never leave a worker behind.
    @Test
    void reopenAfterCloseAndRacingCycles() throws InterruptedException {
        AtomicInt32 running = new AtomicInt32();
        OpenOncePool pool = new OpenOncePool(Duration.ofMillis(1), () -> {
            running.add(1);
            running.add(-1);
        });
        assertFalse(pool.close(), "never opened");
        assertTrue(pool.open());
        assertTrue(pool.close());
        assertFalse(pool.close());
        assertTrue(pool.open());
        Concurrently.run(4, t -> {
            for (int i = 0; i < 200; i++) {
                if (i % 2 == t % 2) {
                    pool.open();
                } else {
                    pool.close();
                }
            }
        });
        pool.close();
        assertFalse(pool.isOpen());
        assertEquals(0, running.load());
    }
}
