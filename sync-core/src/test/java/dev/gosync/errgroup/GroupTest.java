package dev.gosync.errgroup;

import dev.gosync.TestThreads;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Behaviour of {@link Group}: Go's errgroup_test.go scenarios, limits and cancellation. */
class GroupTest {
    private static final long BOUND_SECONDS = 30;

    private static ExecutionException awaitFailure(Group g) {
        return assertThrows(ExecutionException.class, g::await);
    }

    private static void join(Thread t) throws InterruptedException {
        t.join(TimeUnit.SECONDS.toMillis(BOUND_SECONDS));
        assertFalse(t.isAlive(), "thread still blocked");
    }

    // Go: TestZeroGroup. No failure: await returns normally.
    @Test
    void awaitReturnsWhenAllTasksSucceed() throws Exception {
        Group g = new Group();
        AtomicInteger ran = new AtomicInteger();
        for (int i = 0; i < 10; i++) {
            g.go(ran::incrementAndGet);
        }
        g.await();
        assertEquals(10, ran.get());
        assertFalse(g.cancelled());
        assertNull(g.cause());
    }

    // Go: TestZeroGroup. The first failure wins; later ones are attached as suppressed.
    @Test
    void firstFailureWinsAndLaterOnesAreSuppressed() throws Exception {
        Group g = new Group();
        g.setLimit(1);   // serialises the tasks: each starts after the previous one ended
        IOException first = new IOException("first");
        IllegalStateException second = new IllegalStateException("second");
        g.go(() -> {
            throw first;
        });
        g.go(() -> {
        });
        g.go(() -> {
            throw second;
        });
        g.go(() -> {
            throw first;   // the same object again is not attached twice
        });
        ExecutionException e = awaitFailure(g);
        assertSame(first, e.getCause());
        assertEquals(Arrays.asList(second), Arrays.asList(e.getSuppressed()));
        // await reports the same outcome again.
        assertSame(first, awaitFailure(g).getCause());
        assertFalse(g.cancelled(), "a plain group never cancels");
    }

    // await waits for every task, also the ones still running after a failure.
    @Test
    void allTasksFinishBeforeAwaitReturnsEvenAfterFailure() throws Exception {
        Group g = new Group();
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean slowFinished = new AtomicBoolean();
        g.go(() -> {
            release.await();
            slowFinished.set(true);
        });
        g.go(() -> {
            throw new IOException("fast failure");
        });
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        AtomicBoolean slowFinishedAtReturn = new AtomicBoolean();
        Thread awaiter = TestThreads.startPlatform(() -> {
            try {
                g.await();
            } catch (Throwable t) {
                outcome.set(t);
            }
            slowFinishedAtReturn.set(slowFinished.get());
        });
        awaiter.join(200);
        assertTrue(awaiter.isAlive(), "await returned while a task was still running");
        release.countDown();
        join(awaiter);
        assertTrue(slowFinishedAtReturn.get());
        assertInstanceOf(ExecutionException.class, outcome.get());
        assertEquals("fast failure", outcome.get().getCause().getMessage());
    }

    // Checked exceptions and Errors are failures like any other; none escapes to the thread.
    @Test
    void errorsAndCheckedExceptionsAreReported() {
        Group g = new Group();
        AssertionError error = new AssertionError("boom");
        g.go(() -> {
            throw error;
        });
        assertSame(error, awaitFailure(g).getCause());
    }

    // Go: TestGoLimit. At most n tasks are active at once.
    @Test
    void limitIsRespected() throws Exception {
        int limit = 3;
        Group g = new Group();
        g.setLimit(limit);
        AtomicInteger active = new AtomicInteger();
        AtomicInteger maxActive = new AtomicInteger();
        for (int i = 0; i < 100; i++) {
            g.go(() -> {
                int now = active.incrementAndGet();
                maxActive.accumulateAndGet(now, Math::max);
                Thread.yield();
                active.decrementAndGet();
                if (now > limit) {
                    throw new AssertionError("limit exceeded: " + now);
                }
            });
        }
        g.await();
        assertTrue(maxActive.get() <= limit, "max active " + maxActive.get());
        assertTrue(maxActive.get() >= 1);
    }

    // go() blocks while the group is full and proceeds when a slot frees.
    @Test
    void goBlocksWhileLimitIsReached() throws Exception {
        Group g = new Group();
        g.setLimit(1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch secondRan = new CountDownLatch(1);
        g.go(release::await);
        Thread producer = TestThreads.startPlatform(() -> g.go(secondRan::countDown));
        assertFalse(secondRan.await(100, TimeUnit.MILLISECONDS), "limit exceeded");
        assertTrue(producer.isAlive(), "go() did not wait for a slot");
        release.countDown();
        assertTrue(secondRan.await(BOUND_SECONDS, TimeUnit.SECONDS));
        join(producer);
        g.await();
    }

    // Go: TestTryGo. tryGo fails when the limit is reached, and succeeds again after.
    @Test
    void tryGoFailsWhenLimitIsReached() throws Exception {
        Group g = new Group();
        g.setLimit(1);
        CountDownLatch release = new CountDownLatch(1);
        assertTrue(g.tryGo(release::await));
        assertFalse(g.tryGo(() -> {
            throw new AssertionError("must not run");
        }));
        release.countDown();
        g.await();
        AtomicBoolean ran = new AtomicBoolean();
        assertTrue(g.tryGo(() -> ran.set(true)));
        g.await();
        assertTrue(ran.get());
        g.setLimit(0);
        assertFalse(g.tryGo(() -> {
        }), "a zero limit admits nothing");
        g.setLimit(-1);
        assertTrue(g.tryGo(() -> {
        }));
        g.await();
    }

    // Raising the limit wakes a go() that waits on a zero limit.
    @Test
    void setLimitWakesWaitingGo() throws Exception {
        Group g = new Group();
        g.setLimit(0);
        CountDownLatch ran = new CountDownLatch(1);
        Thread producer = TestThreads.startPlatform(() -> g.go(ran::countDown));
        assertFalse(ran.await(50, TimeUnit.MILLISECONDS));
        g.setLimit(1);
        assertTrue(ran.await(BOUND_SECONDS, TimeUnit.SECONDS));
        join(producer);
        g.await();
    }

    // goInterruptibly throws when interrupted while waiting for a slot, and starts nothing.
    @Test
    void goInterruptiblyThrowsWhenInterruptedWaitingForSlot() throws Exception {
        Group g = new Group();
        g.setLimit(1);
        CountDownLatch release = new CountDownLatch(1);
        g.go(release::await);
        AtomicBoolean ran = new AtomicBoolean();
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        Thread producer = TestThreads.startPlatform(() -> {
            try {
                g.goInterruptibly(() -> ran.set(true));
            } catch (Throwable t) {
                outcome.set(t);
            }
        });
        producer.join(50);
        producer.interrupt();
        join(producer);
        assertInstanceOf(InterruptedException.class, outcome.get());
        release.countDown();
        g.await();
        assertFalse(ran.get());
    }

    // Go: TestWithContext. The first failure cancels: a blocked sibling is interrupted.
    @Test
    void cancellationInterruptsABlockedTask() throws Exception {
        Group g = Group.withCancel();
        CountDownLatch blocked = new CountDownLatch(1);
        AtomicBoolean sawCancelled = new AtomicBoolean();
        g.go(() -> {
            blocked.countDown();
            try {
                new CountDownLatch(1).await();   // only an interrupt ends this
            } finally {
                sawCancelled.set(g.cancelled());
            }
        });
        IOException boom = new IOException("boom");
        g.go(() -> {
            blocked.await();
            throw boom;
        });
        ExecutionException e = awaitFailure(g);
        assertSame(boom, e.getCause());
        assertEquals(1, e.getSuppressed().length);
        assertInstanceOf(InterruptedException.class, e.getSuppressed()[0]);
        assertTrue(sawCancelled.get(), "the interrupted task saw the group cancelled");
        assertTrue(g.cancelled());
        assertSame(boom, g.cause());
    }

    // After cancellation, waiting and new go() calls start nothing; tryGo returns false.
    @Test
    void cancellationPreventsQueuedTasksFromStarting() throws Exception {
        Group g = Group.withCancel();
        g.setLimit(1);
        CountDownLatch fail = new CountDownLatch(1);
        g.go(() -> {
            fail.await();
            throw new IOException("boom");
        });
        AtomicBoolean queuedRan = new AtomicBoolean();
        Thread producer = TestThreads.startPlatform(() -> g.go(() -> queuedRan.set(true)));
        producer.join(50);
        assertTrue(producer.isAlive(), "go() did not wait for a slot");
        fail.countDown();
        join(producer);   // woken by the cancellation, starting nothing
        awaitFailure(g);
        assertFalse(queuedRan.get());
        g.go(() -> queuedRan.set(true));
        assertFalse(g.tryGo(() -> queuedRan.set(true)));
        awaitFailure(g);
        assertFalse(queuedRan.get());
    }

    // A task polling cancelled() stops when a sibling fails.
    @Test
    void tasksCanAskWhetherTheGroupWasCancelled() throws Exception {
        Group g = Group.withCancel();
        CountDownLatch polling = new CountDownLatch(1);
        AtomicReference<Throwable> seenCause = new AtomicReference<>();
        g.go(() -> {
            polling.countDown();
            while (!g.cancelled()) {
                Thread.onSpinWait();
            }
            seenCause.set(g.cause());
        });
        IllegalStateException boom = new IllegalStateException("boom");
        g.go(() -> {
            polling.await();
            throw boom;
        });
        assertSame(boom, awaitFailure(g).getCause());
        assertSame(boom, seenCause.get());
    }

    // Go's WithContext: the context is also cancelled when Wait returns, with context.Canceled.
    @Test
    void cancellingGroupIsCancelledWhenAwaitReturns() throws Exception {
        Group g = Group.withCancel();
        g.go(() -> {
        });
        g.await();
        assertTrue(g.cancelled());
        assertInstanceOf(CancellationException.class, g.cause());
        AtomicBoolean ran = new AtomicBoolean();
        assertFalse(g.tryGo(() -> ran.set(true)));
        g.go(() -> ran.set(true));
        g.await();
        assertFalse(ran.get(), "a finished cancelling group starts nothing");
    }

    // An interrupted await throws and leaves the group running.
    @Test
    void awaitIsInterruptible() throws Exception {
        Group g = new Group();
        CountDownLatch release = new CountDownLatch(1);
        g.go(release::await);
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, g::await);
        release.countDown();
        g.await();
    }

    // 10,000 tasks (virtual threads on 21+) all run and are all awaited.
    @Test
    void tenThousandTasks() throws Exception {
        int n = dev.gosync.Go.virtualThreads() ? 10_000 : 2_000;
        Group g = new Group();
        AtomicInteger ran = new AtomicInteger();
        for (int i = 0; i < n; i++) {
            g.go(ran::incrementAndGet);
        }
        g.await();
        assertEquals(n, ran.get());
        assertEquals("errgroup.Group[active=0]", g.toString());
    }

    // 10,000 tasks under a limit, half failing: one cause, the rest suppressed, none lost.
    @Test
    void tenThousandTasksWithLimitAndFailures() throws Exception {
        int n = dev.gosync.Go.virtualThreads() ? 10_000 : 2_000;
        Group g = new Group();
        g.setLimit(16);
        AtomicInteger ran = new AtomicInteger();
        for (int i = 0; i < n; i++) {
            int id = i;
            g.go(() -> {
                ran.incrementAndGet();
                if (id % 2 == 0) {
                    throw new IOException("task " + id);
                }
            });
        }
        ExecutionException e = awaitFailure(g);
        assertEquals(n, ran.get());
        assertEquals(n / 2 - 1, e.getSuppressed().length);
    }

    // Nothing a task throws reaches its thread's uncaught-exception handler, in a plain or a
    // cancelling group: each task installs a handler on its own thread, then fails (unchecked,
    // checked, Error, and the InterruptedException of a task that cancellation interrupted);
    // the test joins every task thread before checking, since the handler would run at its end.
    @Test
    void nothingReachesTheUncaughtExceptionHandler() throws Exception {
        java.util.Queue<Throwable> uncaught = new java.util.concurrent.ConcurrentLinkedQueue<>();
        java.util.Queue<Thread> threads = new java.util.concurrent.ConcurrentLinkedQueue<>();
        Thread.UncaughtExceptionHandler h = (t, e) -> uncaught.add(e);
        for (boolean cancelling : new boolean[] {false, true}) {
            Group g = cancelling ? Group.withCancel() : new Group();
            CountDownLatch in = new CountDownLatch(4);
            CountDownLatch fail = new CountDownLatch(1);
            Throwable[] failures = {new IllegalStateException("unchecked"),
                    new IOException("checked"), new AssertionError("error")};
            g.go(() -> {   // in the cancelling group: interrupted, fails InterruptedException
                threads.add(Thread.currentThread());
                Thread.currentThread().setUncaughtExceptionHandler(h);
                in.countDown();
                new CountDownLatch(1).await(cancelling ? 30 : 0, TimeUnit.SECONDS);
            });
            for (Throwable f : failures) {
                g.go(() -> {
                    threads.add(Thread.currentThread());
                    Thread.currentThread().setUncaughtExceptionHandler(h);
                    in.countDown();
                    boolean interrupted = false;
                    while (true) {   // all three throw their own failure, cancelled or not
                        try {
                            fail.await();
                            break;
                        } catch (InterruptedException e) {
                            interrupted = true;
                        }
                    }
                    if (interrupted) {
                        Thread.currentThread().interrupt();
                    }
                    if (f instanceof Exception) {
                        throw (Exception) f;
                    }
                    throw (Error) f;
                });
            }
            assertTrue(in.await(30, TimeUnit.SECONDS));
            fail.countDown();
            ExecutionException e = assertThrows(ExecutionException.class, g::await);
            assertEquals(cancelling ? 3 : 2, e.getSuppressed().length,
                    Arrays.toString(e.getSuppressed()));
        }
        for (Thread t : threads) {
            t.join(30_000);
            assertFalse(t.isAlive());
        }
        assertEquals(8, threads.size());
        assertTrue(uncaught.isEmpty(), "reached the handler: " + uncaught);
    }
}
