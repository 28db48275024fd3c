package dev.gosync.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gosync.atomic.AtomicInt32;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ActionLockTest {

    // Many threads run actions: never two at once, every id unique, and every action's id
    // greater than that of the action that ran before it.
    @Test
    void actionsAreMutuallyExclusiveAndNumberedInOrder() throws InterruptedException {
        ActionLock lock = new ActionLock();
        AtomicInt32 running = new AtomicInt32();
        AtomicInt32 maxRunning = new AtomicInt32();
        Set<Long> ids = ConcurrentHashMap.newKeySet();
        long[] previousId = {0};   // touched only inside an action, so the action lock guards it
        int threads = 6;
        int perThread = 300;
        Concurrently.run(threads, t -> {
            for (int i = 0; i < perThread; i++) {
                try (ActionLock.Action action = lock.begin("reshard")) {
                    maxRunning.updateMax(running.add(1));
                    assertTrue(action.id() > previousId[0], "ids must increase");
                    previousId[0] = action.id();
                    assertTrue(ids.add(action.id()));
                    running.add(-1);
                }
            }
        });
        assertEquals(1, maxRunning.load(), "two actions ran at once");
        assertEquals(threads * perThread, ids.size());
        assertEquals(threads * perThread, lock.lastId());
    }

    // A second close (from a finally block, or a racing timeout handler) must not release the
    // permit again: if it did, two later actions could run at once.
    @Test
    void closingTwiceReleasesOnce() throws InterruptedException {
        ActionLock lock = new ActionLock();
        ActionLock.Action first = lock.begin("first");
        first.close();
        ActionLock.Action second = lock.begin("second");
        first.close();   // stale close while "second" runs: must be a no-op
        assertNull(lock.tryBegin("third", Duration.ZERO), "a stale close let a third action in");
        second.close();
        ActionLock.Action third = lock.tryBegin("third", Duration.ZERO);
        assertNotNull(third);
        third.close();
    }

    // Racing closes from many threads: exactly one releases, so exactly one waiter gets in.
    @Test
    void racingClosesReleaseOnce() throws InterruptedException {
        ActionLock lock = new ActionLock();
        for (int round = 0; round < 100; round++) {
            ActionLock.Action action = lock.begin("round " + round);
            Concurrently.run(4, t -> action.close());
            ActionLock.Action next = lock.tryBegin("next", Duration.ZERO);
            assertNotNull(next);
            assertNull(lock.tryBegin("extra", Duration.ZERO), "a double release leaked a permit");
            next.close();
        }
    }

    // While an action runs and another caller waits for it, lastId() does not block: the mutex
    // is never held across the wait. The action may be closed by another thread.
    @Test
    void waitingForAnActionHoldsNoMutex() throws InterruptedException {
        ActionLock lock = new ActionLock();
        ActionLock.Action running = lock.begin("long action");
        CountDownLatch waiterStarted = new CountDownLatch(1);
        CountDownLatch waiterBegan = new CountDownLatch(1);
        long[] waiterId = new long[1];
        Thread waiter = new Thread(() -> {
            waiterStarted.countDown();
            try (ActionLock.Action next = lock.begin("next")) {
                waiterId[0] = next.id();
                waiterBegan.countDown();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        waiter.setDaemon(true);
        waiter.start();
        assertTrue(waiterStarted.await(30, TimeUnit.SECONDS));
        for (int i = 0; i < 1_000; i++) {
            assertEquals(running.id(), lock.lastId());   // would hang if mu were held by the waiter
        }
        Thread closer = new Thread(running::close);      // not the thread that began it
        closer.start();
        assertTrue(waiterBegan.await(30, TimeUnit.SECONDS), "the waiter never got in");
        closer.join();
        waiter.join(30_000);
        assertEquals(running.id() + 1, waiterId[0]);
    }

    // An interrupted waiter gives up and holds nothing.
    @Test
    void interruptedWaiterHoldsNothing() throws InterruptedException {
        ActionLock lock = new ActionLock();
        ActionLock.Action running = lock.begin("long action");
        CountDownLatch interrupted = new CountDownLatch(1);
        Thread waiter = new Thread(() -> {
            try {
                lock.begin("never").close();
            } catch (InterruptedException expected) {
                interrupted.countDown();
            }
        });
        waiter.setDaemon(true);
        waiter.start();
        waiter.interrupt();
        assertTrue(interrupted.await(30, TimeUnit.SECONDS));
        running.close();
        ActionLock.Action next = lock.tryBegin("next", Duration.ZERO);
        assertNotNull(next, "the interrupted waiter kept a permit");
        next.close();
    }
}
