package dev.gosync.singleflight;

import dev.gosync.TestThreads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
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

/** Behaviour of {@link Group}: Go's singleflight_test.go scenarios, failures and interrupts. */
class GroupTest {
    private static final long BOUND_SECONDS = 30;

    /** Waits (bounded) until {@code n} callers joined the call in flight for {@code key}. */
    static void awaitJoined(Group<String, ?> g, String key, int n) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(BOUND_SECONDS);
        while (g.joined(key) != n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("expected " + n + " joined, have " + g.joined(key));
            }
            Thread.yield();
        }
    }

    /** Runs call() on a new thread, recording its result or failure. */
    private static <V> Thread callOnThread(Group<String, V> g, String key,
            java.util.concurrent.Callable<V> fn, AtomicReference<Object> outcome) {
        return TestThreads.startPlatform(() -> {
            try {
                outcome.set(g.call(key, fn));
            } catch (Throwable t) {
                outcome.set(t);
            }
        });
    }

    private static void join(Thread t) throws InterruptedException {
        t.join(TimeUnit.SECONDS.toMillis(BOUND_SECONDS));
        assertFalse(t.isAlive(), "thread still blocked");
    }

    // Go: TestDo.
    @Test
    void callReturnsTheValueUnshared() throws Exception {
        Group<String, String> g = new Group<>();
        Result<String> r = g.call("key", () -> "bar");
        assertEquals(new Result<>("bar", false), r);
        assertEquals(0, g.inFlight(), "finished keys are not retained");
        assertEquals(new Result<>(null, false), g.call("key", () -> null));
    }

    // Go: TestDoErr. The function's exception is thrown as is, and the key is free after.
    @Test
    void callThrowsTheFunctionsException() throws Exception {
        Group<String, String> g = new Group<>();
        IOException boom = new IOException("boom");
        assertSame(boom, assertThrows(IOException.class, () -> g.call("key", () -> {
            throw boom;
        })));
        assertEquals(0, g.inFlight());
        assertEquals("ok", g.call("key", () -> "ok").value());
    }

    // Go: TestDoDupSuppress. Concurrent callers share one execution.
    @Test
    void concurrentCallersShareOneExecution() throws Exception {
        Group<String, String> g = new Group<>();
        int n = 10;
        AtomicInteger executions = new AtomicInteger();
        CountDownLatch inFn = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<AtomicReference<Object>> outcomes = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            AtomicReference<Object> outcome = new AtomicReference<>();
            outcomes.add(outcome);
            threads.add(callOnThread(g, "key", () -> {
                executions.incrementAndGet();
                inFn.countDown();
                release.await();
                return "bar";
            }, outcome));
            if (i == 0) {
                assertTrue(inFn.await(BOUND_SECONDS, TimeUnit.SECONDS));
            }
        }
        awaitJoined(g, "key", n - 1);
        release.countDown();
        for (Thread t : threads) {
            join(t);
        }
        assertEquals(1, executions.get());
        for (AtomicReference<Object> outcome : outcomes) {
            assertEquals(new Result<>("bar", true), outcome.get());
        }
        assertEquals(0, g.inFlight());
    }

    // Go: TestForget. After forget, the next call runs again; callers after it join it.
    @Test
    void forgetMakesTheNextCallRunAgain() throws Exception {
        Group<String, Integer> g = new Group<>();
        CountDownLatch firstIn = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        AtomicReference<Object> first = new AtomicReference<>();
        Thread t1 = callOnThread(g, "key", () -> {
            firstIn.countDown();
            releaseFirst.await();
            return 1;
        }, first);
        assertTrue(firstIn.await(BOUND_SECONDS, TimeUnit.SECONDS));
        g.forget("key");

        CountDownLatch releaseSecond = new CountDownLatch(1);
        CompletableFuture<Result<Integer>> second = g.callAsync("key", () -> {
            releaseSecond.await();
            return 2;
        });
        CompletableFuture<Result<Integer>> third = g.callAsync("key", () -> 3);
        // The first call ends; it must not remove the second call's key.
        releaseFirst.countDown();
        join(t1);
        assertEquals(new Result<>(1, false), first.get());
        assertEquals(1, g.inFlight());
        releaseSecond.countDown();
        assertEquals(new Result<>(2, true), second.get(BOUND_SECONDS, TimeUnit.SECONDS));
        assertEquals(new Result<>(2, true), third.get(BOUND_SECONDS, TimeUnit.SECONDS));
        assertEquals(0, g.inFlight());
        assertEquals(4, g.call("key", () -> 4).value());
    }

    // Go: TestDoChan.
    @Test
    void callAsyncCompletesWithTheValue() throws Exception {
        Group<String, String> g = new Group<>();
        CompletableFuture<Result<String>> f = g.callAsync("key", () -> "bar");
        assertEquals(new Result<>("bar", false), f.get(BOUND_SECONDS, TimeUnit.SECONDS));
        assertEquals(0, g.inFlight());
    }

    // An asynchronous caller joins a synchronous call in flight, and vice versa.
    @Test
    void asyncAndSyncCallersShare() throws Exception {
        Group<String, String> g = new Group<>();
        CountDownLatch inFn = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<Object> leader = new AtomicReference<>();
        Thread t = callOnThread(g, "key", () -> {
            inFn.countDown();
            release.await();
            return "v";
        }, leader);
        assertTrue(inFn.await(BOUND_SECONDS, TimeUnit.SECONDS));
        CompletableFuture<Result<String>> f = g.callAsync("key", () -> "other");
        release.countDown();
        join(t);
        assertEquals(new Result<>("v", true), leader.get());
        assertEquals(new Result<>("v", true), f.get(BOUND_SECONDS, TimeUnit.SECONDS));

        CountDownLatch release2 = new CountDownLatch(1);
        CompletableFuture<Result<String>> lead = g.callAsync("k2", () -> {
            release2.await();
            return "w";
        });
        AtomicReference<Object> joiner = new AtomicReference<>();
        Thread t2 = callOnThread(g, "k2", () -> "other", joiner);
        awaitJoined(g, "k2", 1);
        release2.countDown();
        join(t2);
        assertEquals(new Result<>("w", true), joiner.get());
        assertEquals(new Result<>("w", true), lead.get(BOUND_SECONDS, TimeUnit.SECONDS));
    }

    // A failing function fails every waiter with the same exception; the key is then free.
    @Test
    void failureReachesEveryWaiterAndFreesTheKey() throws Exception {
        Group<String, String> g = new Group<>();
        IOException boom = new IOException("boom");
        CountDownLatch inFn = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<Object> leader = new AtomicReference<>();
        AtomicReference<Object> dup = new AtomicReference<>();
        Thread t1 = callOnThread(g, "key", () -> {
            inFn.countDown();
            release.await();
            throw boom;
        }, leader);
        assertTrue(inFn.await(BOUND_SECONDS, TimeUnit.SECONDS));
        Thread t2 = callOnThread(g, "key", () -> "never", dup);
        awaitJoined(g, "key", 1);
        CompletableFuture<Result<String>> f = g.callAsync("key", () -> "never");
        release.countDown();
        join(t1);
        join(t2);
        assertSame(boom, leader.get());
        assertSame(boom, dup.get());
        assertSame(boom, assertThrows(ExecutionException.class,
                () -> f.get(BOUND_SECONDS, TimeUnit.SECONDS)).getCause());
        assertEquals(0, g.inFlight());
        assertEquals("again", g.call("key", () -> "again").value());
    }

    // Go's panic analogue: an Error thrown by fn reaches every caller (sync and async) as is;
    // nobody hangs, nothing crashes, and the key is free again.
    @Test
    void errorThrownByFunctionReachesEveryCaller() throws Exception {
        Group<String, String> g = new Group<>();
        StackOverflowError error = new StackOverflowError("deep");
        CountDownLatch inFn = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Result<String>> lead = g.callAsync("key", () -> {
            inFn.countDown();
            release.await();
            throw error;
        });
        assertTrue(inFn.await(BOUND_SECONDS, TimeUnit.SECONDS));
        AtomicReference<Object> dup = new AtomicReference<>();
        Thread t = callOnThread(g, "key", () -> "never", dup);
        awaitJoined(g, "key", 1);
        release.countDown();
        join(t);
        assertSame(error, dup.get());
        assertSame(error, assertThrows(ExecutionException.class,
                () -> lead.get(BOUND_SECONDS, TimeUnit.SECONDS)).getCause());
        assertSame(error, assertThrows(StackOverflowError.class,
                () -> g.call("key", () -> {
                    throw error;
                })));
        assertEquals(0, g.inFlight());
    }

    // A waiter interrupted while waiting throws InterruptedException and stops sharing; the
    // execution goes on for the others.
    @Test
    void interruptedWaiterLeavesAndTheCallGoesOn() throws Exception {
        Group<String, String> g = new Group<>();
        CountDownLatch inFn = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<Object> leader = new AtomicReference<>();
        Thread t1 = callOnThread(g, "key", () -> {
            inFn.countDown();
            release.await();
            return "v";
        }, leader);
        assertTrue(inFn.await(BOUND_SECONDS, TimeUnit.SECONDS));
        AtomicReference<Object> interrupted = new AtomicReference<>();
        Thread t2 = callOnThread(g, "key", () -> "never", interrupted);
        awaitJoined(g, "key", 1);
        t2.interrupt();
        join(t2);
        assertInstanceOf(InterruptedException.class, interrupted.get());
        assertEquals(0, g.joined("key"), "the interrupted caller no longer counts as sharer");
        AtomicReference<Object> patient = new AtomicReference<>();
        Thread t3 = callOnThread(g, "key", () -> "never", patient);
        awaitJoined(g, "key", 1);
        release.countDown();
        join(t1);
        join(t3);
        assertEquals(new Result<>("v", true), leader.get());
        assertEquals(new Result<>("v", true), patient.get());
    }

    // A leader whose only joiner was interrupted reports its value as not shared.
    @Test
    void leaderIsUnsharedWhenItsOnlyJoinerLeft() throws Exception {
        Group<String, String> g = new Group<>();
        CountDownLatch inFn = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<Object> leader = new AtomicReference<>();
        Thread t1 = callOnThread(g, "key", () -> {
            inFn.countDown();
            release.await();
            return "v";
        }, leader);
        assertTrue(inFn.await(BOUND_SECONDS, TimeUnit.SECONDS));
        AtomicReference<Object> interrupted = new AtomicReference<>();
        Thread t2 = callOnThread(g, "key", () -> "never", interrupted);
        awaitJoined(g, "key", 1);
        t2.interrupt();
        join(t2);
        release.countDown();
        join(t1);
        assertEquals(new Result<>("v", false), leader.get());
    }

    // No leak: many keys, called concurrently and asynchronously, leave nothing behind.
    @Test
    void finishedKeysAreNotRetained() throws Exception {
        Group<String, Integer> g = new Group<>();
        List<CompletableFuture<Result<Integer>>> futures = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            int v = i;
            futures.add(g.callAsync("k" + (i % 100), () -> v));
        }
        for (CompletableFuture<Result<Integer>> f : futures) {
            f.get(BOUND_SECONDS, TimeUnit.SECONDS);
        }
        assertEquals(0, g.inFlight());
        IOException boom = new IOException();
        for (int i = 0; i < 100; i++) {
            assertThrows(IOException.class, () -> g.call("fail", () -> {
                throw boom;
            }));
        }
        assertEquals(0, g.inFlight());
    }

    // Dedup under load: 10,000 (virtual) threads over 10 keys; every caller gets its key's
    // value, and executions + shares account for every call.
    @Test
    void tenThousandCallersOverFewKeys() throws Exception {
        int n = TestThreads.virtualAvailable() ? 10_000 : 1_000;
        Group<Integer, Integer> g = new Group<>();
        AtomicInteger executions = new AtomicInteger();
        AtomicInteger unshared = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(n);
        for (int i = 0; i < n; i++) {
            int key = i % 10;
            TestThreads.startVirtual(() -> {
                try {
                    Result<Integer> r = g.call(key, () -> {
                        executions.incrementAndGet();
                        Thread.yield();
                        return key * 7;
                    });
                    if (r.value() != key * 7) {
                        throw new AssertionError("wrong value for " + key + ": " + r);
                    }
                    if (!r.shared()) {
                        unshared.incrementAndGet();
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                } finally {
                    done.countDown();
                }
            });
        }
        assertTrue(done.await(BOUND_SECONDS * 2, TimeUnit.SECONDS));
        assertNull(failure.get());
        assertTrue(executions.get() >= 10 && executions.get() <= n);
        assertTrue(unshared.get() <= executions.get());
        assertEquals(0, g.inFlight());
    }

    // Go deadlocks when fn calls Do with its own key; here the inner call throws instead.
    @Test
    void recursiveCallWithOwnKeyThrowsInsteadOfHanging() throws Exception {
        Group<String, String> g = new Group<>();
        Result<String> r = g.call("key", () -> {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> g.call("key", () -> "inner"));
            assertEquals("singleflight: fn called call() with its own key and would wait for "
                    + "itself", e.getMessage());
            assertEquals(0, g.joined("key"));
            return "outer";
        });
        assertEquals(new Result<>("outer", false), r);
        assertEquals("other", g.call("key", () -> g.call("k2", () -> "other").value()).value());
        assertEquals(0, g.inFlight());
    }

    // Null keys and functions are rejected by name.
    @Test
    void nullsAreRejected() {
        Group<String, String> g = new Group<>();
        assertEquals("key", assertThrows(NullPointerException.class,
                () -> g.call(null, () -> "x")).getMessage());
        assertEquals("fn", assertThrows(NullPointerException.class,
                () -> g.call("k", null)).getMessage());
        assertThrows(NullPointerException.class, () -> g.callAsync(null, () -> "x"));
        assertThrows(NullPointerException.class, () -> g.callAsync("k", null));
        assertThrows(NullPointerException.class, () -> g.forget(null));
        assertEquals(0, g.inFlight());
    }

    /** A key whose hashCode, once armed, blocks: Group calls it while holding its mutex. */
    private static final class BlockingKey {
        final String name;
        final CountDownLatch inHash = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final boolean blocks;

        BlockingKey(String name, boolean blocks) {
            this.name = name;
            this.blocks = blocks;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof BlockingKey && ((BlockingKey) o).name.equals(name);
        }

        @Override
        public int hashCode() {
            if (blocks) {
                inHash.countDown();
                boolean interrupted = false;
                while (true) {
                    try {
                        release.await();
                        break;
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
            return name.hashCode();
        }
    }

    /** Waits (bounded) until t is parked in a method of a class whose name starts with cls. */
    private static void awaitParkedIn(Thread t, String cls, String method) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(BOUND_SECONDS);
        while (true) {
            StackTraceElement[] st = t.getStackTrace();
            boolean inCls = false;
            boolean inMethod = false;
            for (StackTraceElement f : st) {
                inCls |= f.getClassName().startsWith(cls);
                inMethod |= f.getMethodName().equals(method);
            }
            Thread.State state = t.getState();
            if (inCls && inMethod && (state == Thread.State.WAITING
                    || state == Thread.State.TIMED_WAITING)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(t + " not parked in " + cls + " / " + method);
            }
            Thread.yield();
        }
    }

    // An interrupted joiner either leaves (throws InterruptedException, and the leader reports
    // shared=false) or, if the leader already counted it, takes the outcome with its interrupt
    // status set (and the leader reports shared=true): never both. Deterministic window: a
    // third thread holds the group's mutex (forget() with a key whose hashCode blocks) while
    // the leader's finish() and then the interrupted joiner queue on it.
    @Test
    void interruptedJoinerEitherLeavesOrIsCountedNeverBoth() throws Exception {
        Group<BlockingKey, String> g = new Group<>();
        BlockingKey key = new BlockingKey("k", false);
        CountDownLatch inFn = new CountDownLatch(1);
        CountDownLatch finishFn = new CountDownLatch(1);
        AtomicReference<Object> leaderOutcome = new AtomicReference<>();
        Thread leader = TestThreads.startPlatform(() -> {
            try {
                leaderOutcome.set(g.call(key, () -> {
                    inFn.countDown();
                    finishFn.await();
                    return "v";
                }));
            } catch (Throwable t) {
                leaderOutcome.set(t);
            }
        });
        assertTrue(inFn.await(BOUND_SECONDS, TimeUnit.SECONDS));
        AtomicReference<Object> joinerOutcome = new AtomicReference<>();
        AtomicReference<Boolean> joinerInterrupted = new AtomicReference<>();
        Thread joiner = TestThreads.startPlatform(() -> {
            try {
                joinerOutcome.set(g.call(new BlockingKey("k", false), () -> "never"));
            } catch (Throwable t) {
                joinerOutcome.set(t);
            }
            joinerInterrupted.set(Thread.currentThread().isInterrupted());
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(BOUND_SECONDS);
        while (g.joined(key) != 1) {
            assertTrue(System.nanoTime() < deadline, "joiner never joined");
            Thread.yield();
        }
        awaitParkedIn(joiner, "dev.gosync.WaitGroup", "await");
        BlockingKey blocker = new BlockingKey("other", true);
        Thread holder = TestThreads.startPlatform(() -> g.forget(blocker));   // holds mu
        assertTrue(blocker.inHash.await(BOUND_SECONDS, TimeUnit.SECONDS));
        finishFn.countDown();
        awaitParkedIn(leader, "dev.gosync.Mutex", "finish");   // finish() queued on mu
        joiner.interrupt();
        awaitParkedIn(joiner, "dev.gosync.Mutex", "join");     // its catch block queued on mu
        blocker.release.countDown();
        join(holder);
        join(leader);
        join(joiner);

        Result<?> lr = (Result<?>) leaderOutcome.get();
        assertEquals("v", lr.value());
        if (joinerOutcome.get() instanceof InterruptedException) {
            assertFalse(lr.shared(), "the joiner left, yet the leader reports shared=true");
        } else {
            assertEquals(new Result<>("v", true), joinerOutcome.get());
            assertTrue(lr.shared());
            assertTrue(joinerInterrupted.get(), "a joiner that takes the outcome keeps its "
                    + "interrupt status");
        }
        assertEquals(0, g.inFlight());
    }

    // Cancelling a future of callAsync abandons only that caller's wait: the execution goes on,
    // and the other callers (sync and async) get its outcome.
    @Test
    void cancellingAnAsyncFutureAbandonsOnlyThatWait() throws Exception {
        Group<String, String> g = new Group<>();
        CountDownLatch inFn = new CountDownLatch(1);
        CountDownLatch finishFn = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        AtomicReference<Boolean> fnInterrupted = new AtomicReference<>();
        CompletableFuture<Result<String>> leader = g.callAsync("k", () -> {
            runs.incrementAndGet();
            inFn.countDown();
            finishFn.await();
            fnInterrupted.set(Thread.currentThread().isInterrupted());
            return "v";
        });
        assertTrue(inFn.await(BOUND_SECONDS, TimeUnit.SECONDS));
        CompletableFuture<Result<String>> cancelled = g.callAsync("k", () -> "never");
        CompletableFuture<Result<String>> other = g.callAsync("k", () -> "never");
        AtomicReference<Object> syncOutcome = new AtomicReference<>();
        Thread sync = callOnThread(g, "k", () -> "never", syncOutcome);
        awaitJoined(g, "k", 3);
        assertTrue(cancelled.cancel(true));
        assertTrue(cancelled.isCancelled());
        assertFalse(leader.isDone());
        assertFalse(other.isDone());
        assertEquals(1, g.inFlight(), "the execution goes on");
        finishFn.countDown();
        assertEquals(new Result<>("v", true), leader.get(BOUND_SECONDS, TimeUnit.SECONDS));
        assertEquals(new Result<>("v", true), other.get(BOUND_SECONDS, TimeUnit.SECONDS));
        join(sync);
        assertEquals(new Result<>("v", true), syncOutcome.get());
        assertEquals(1, runs.get());
        assertFalse(fnInterrupted.get(), "cancel(true) must not interrupt the shared function");
        assertThrows(java.util.concurrent.CancellationException.class, cancelled::join);
        assertEquals(0, g.inFlight());
    }

    /** A call() leader on a new thread whose fn signals inFn, then waits for release. */
    private static Thread blockedLeader(Group<String, String> g, CountDownLatch inFn,
            CountDownLatch release, AtomicReference<Object> outcome) {
        return callOnThread(g, "key", () -> {
            inFn.countDown();
            release.await();
            return "v";
        }, outcome);
    }

    // A leader (call) whose only joiner was a callAsync future cancelled before the outcome
    // reports its value as not shared, as when its only joiner was interrupted.
    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void leaderIsUnsharedWhenItsOnlyAsyncJoinerWasCancelled() throws Exception {
        Group<String, String> g = new Group<>();
        CountDownLatch inFn = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<Object> leader = new AtomicReference<>();
        Thread t = blockedLeader(g, inFn, release, leader);
        assertTrue(inFn.await(BOUND_SECONDS, TimeUnit.SECONDS));
        CompletableFuture<Result<String>> joiner = g.callAsync("key", () -> "never");
        assertEquals(1, g.joined("key"), "callAsync joins before it returns");
        assertTrue(joiner.cancel(false));
        release.countDown();
        join(t);
        assertEquals(new Result<>("v", false), leader.get(),
                "the cancelled joiner never got the outcome, yet counted as a sharer");
        assertTrue(joiner.isCancelled());
        assertEquals(0, g.inFlight());
    }

    // The same with a callAsync leader: its own future reports the value as not shared.
    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void asyncLeaderIsUnsharedWhenItsOnlyAsyncJoinerWasCancelled() throws Exception {
        Group<String, String> g = new Group<>();
        CountDownLatch inFn = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Result<String>> leader = g.callAsync("key", () -> {
            inFn.countDown();
            release.await();
            return "v";
        });
        assertTrue(inFn.await(BOUND_SECONDS, TimeUnit.SECONDS));
        CompletableFuture<Result<String>> joiner = g.callAsync("key", () -> "never");
        assertTrue(joiner.cancel(true));
        release.countDown();
        assertEquals(new Result<>("v", false), leader.get(BOUND_SECONDS, TimeUnit.SECONDS),
                "the cancelled joiner never got the outcome, yet counted as a sharer");
        assertTrue(joiner.isCancelled());
        assertEquals(0, g.inFlight());
    }

    // A cancelled async joiner does not count, but the live joiners still do: the leader and
    // every joiner that gets the outcome report it shared.
    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void cancelledAsyncJoinerLeavesTheOthersShared() throws Exception {
        Group<String, String> g = new Group<>();
        CountDownLatch inFn = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<Object> leader = new AtomicReference<>();
        Thread t = blockedLeader(g, inFn, release, leader);
        assertTrue(inFn.await(BOUND_SECONDS, TimeUnit.SECONDS));
        CompletableFuture<Result<String>> cancelled = g.callAsync("key", () -> "never");
        CompletableFuture<Result<String>> live = g.callAsync("key", () -> "never");
        assertTrue(cancelled.cancel(false));
        release.countDown();
        join(t);
        assertEquals(new Result<>("v", true), leader.get());
        assertEquals(new Result<>("v", true), live.get(BOUND_SECONDS, TimeUnit.SECONDS));
        assertTrue(cancelled.isCancelled());

        // The same with a callAsync leader, the live joiner in call(), and the cancelled
        // joiner ahead of a second live async joiner.
        CountDownLatch inFn2 = new CountDownLatch(1);
        CountDownLatch release2 = new CountDownLatch(1);
        CompletableFuture<Result<String>> lead2 = g.callAsync("k2", () -> {
            inFn2.countDown();
            release2.await();
            return "w";
        });
        assertTrue(inFn2.await(BOUND_SECONDS, TimeUnit.SECONDS));
        CompletableFuture<Result<String>> cancelled2 = g.callAsync("k2", () -> "never");
        CompletableFuture<Result<String>> live2 = g.callAsync("k2", () -> "never");
        AtomicReference<Object> syncJoiner = new AtomicReference<>();
        Thread t2 = callOnThread(g, "k2", () -> "never", syncJoiner);
        awaitJoined(g, "k2", 3);
        assertTrue(cancelled2.cancel(true));
        release2.countDown();
        join(t2);
        assertEquals(new Result<>("w", true), lead2.get(BOUND_SECONDS, TimeUnit.SECONDS));
        assertEquals(new Result<>("w", true), live2.get(BOUND_SECONDS, TimeUnit.SECONDS));
        assertEquals(new Result<>("w", true), syncJoiner.get());
        assertTrue(cancelled2.isCancelled());
        assertEquals(0, g.inFlight());
    }

    // cancel() racing the publication of the outcome, many rounds: each async joiner is
    // decided once (its cancel() succeeded and it never gets the outcome, or its cancel()
    // failed and its future holds the outcome), and the leader reports shared=true exactly
    // when at least one joiner got the outcome. One or two joiners; call and callAsync leaders.
    @Test
    @Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void cancelRacingTheOutcomeIsDecidedOncePerJoiner() throws Exception {
        int rounds = 2_000;
        for (int round = 0; round < rounds; round++) {
            Group<String, Integer> g = new Group<>();
            int joiners = 1 + round % 2;
            boolean asyncLeader = round % 4 >= 2;
            int value = round;
            CountDownLatch inFn = new CountDownLatch(1);
            CountDownLatch go = new CountDownLatch(1);
            Callable<Integer> fn = () -> {
                inFn.countDown();
                go.await();
                return value;
            };
            CompletableFuture<Result<Integer>> leaderFuture = null;
            AtomicReference<Object> leaderOutcome = new AtomicReference<>();
            Thread leaderThread = null;
            if (asyncLeader) {
                leaderFuture = g.callAsync("k", fn);
            } else {
                leaderThread = TestThreads.startPlatform(() -> {
                    try {
                        leaderOutcome.set(g.call("k", fn));
                    } catch (Throwable t) {
                        leaderOutcome.set(t);
                    }
                });
            }
            assertTrue(inFn.await(BOUND_SECONDS, TimeUnit.SECONDS));
            List<CompletableFuture<Result<Integer>>> futures = new ArrayList<>();
            List<AtomicBoolean> cancelWon = new ArrayList<>();
            List<Thread> cancellers = new ArrayList<>();
            for (int j = 0; j < joiners; j++) {
                CompletableFuture<Result<Integer>> f = g.callAsync("k", () -> -1);
                AtomicBoolean won = new AtomicBoolean();
                int spins = ThreadLocalRandom.current().nextInt(2_000);
                futures.add(f);
                cancelWon.add(won);
                cancellers.add(TestThreads.startPlatform(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                    for (int s = 0; s < spins; s++) {
                        Thread.onSpinWait();   // spread the cancel around the publication
                    }
                    won.set(f.cancel(true));
                }));
            }
            go.countDown();
            for (Thread c : cancellers) {
                join(c);
            }
            Result<?> leader;
            if (asyncLeader) {
                leader = leaderFuture.get(BOUND_SECONDS, TimeUnit.SECONDS);
            } else {
                join(leaderThread);
                leader = (Result<?>) leaderOutcome.get();
            }
            assertEquals(value, leader.value());
            int received = 0;
            for (int j = 0; j < joiners; j++) {
                CompletableFuture<Result<Integer>> f = futures.get(j);
                if (cancelWon.get(j).get()) {
                    assertTrue(f.isCancelled(), "round " + round + ": cancel() won");
                } else {
                    assertEquals(new Result<>(value, true), f.get(BOUND_SECONDS,
                            TimeUnit.SECONDS), "round " + round + ": cancel() lost");
                    received++;
                }
            }
            assertEquals(received > 0, leader.shared(), "round " + round + ": " + received
                    + " of " + joiners + " joiners got the outcome, "
                    + (asyncLeader ? "callAsync" : "call") + " leader");
            assertEquals(0, g.inFlight());
        }
    }
}
