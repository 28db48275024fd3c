package dev.gosync.semaphore;

import dev.gosync.Go;
import dev.gosync.context.CancelCauseContext;
import dev.gosync.context.CancelContext;
import dev.gosync.context.Context;
import dev.gosync.context.ContextDoneException;
import dev.gosync.context.ContextProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Weighted#acquire(Context, long)}: Go's Acquire(ctx, n). */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class WeightedContextTest {
    private static final long BOUND_SECONDS = 30;

    /** A done context fails at once, even with every permit free. */
    @Test
    void doneBeforeCallFailsWithoutAcquiring() {
        Weighted s = new Weighted(5);
        CancelCauseContext ctx = Context.withCancelCause(Context.background());
        RuntimeException why = new RuntimeException("why");
        ctx.cancel(why);
        ContextDoneException e = assertThrows(ContextDoneException.class, () -> s.acquire(ctx, 1));
        assertSame(Context.CANCELED, e.err());
        assertSame(why, e.getCause());
        assertEquals(0, s.held());
        assertThrows(ContextDoneException.class, () -> s.acquire(ctx, 0));
    }

    /** A live context takes the fast path; the permits are held. */
    @Test
    void fastPathWithLiveContext() throws Exception {
        Weighted s = new Weighted(5);
        try (CancelContext ctx = Context.withCancel(Context.background())) {
            s.acquire(ctx, 3);
            assertEquals(3, s.held());
            assertEquals(0, ContextProbe.childCount(ctx), "the fast path registers nothing");
        }
        s.acquire(Context.background(), 2);
        assertEquals(5, s.held());
    }

    /** Bad n is rejected first, even with a done context. */
    @Test
    void badRequestCheckedFirst() {
        Weighted s = new Weighted(2);
        CancelContext ctx = Context.withCancel(Context.background());
        ctx.cancel();
        assertThrows(IllegalArgumentException.class, () -> s.acquire(ctx, 3));
        assertThrows(IllegalArgumentException.class, () -> s.acquire(ctx, -1));
        assertEquals("ctx", assertThrows(NullPointerException.class,
                () -> s.acquire(null, 1)).getMessage());
    }

    /** A queued request whose context is cancelled leaves; the smaller one behind is served. */
    @Test
    void cancelWhileQueuedServesThoseBehind() throws Exception {
        Weighted s = new Weighted(3);
        s.acquireUninterruptibly(2);            // 1 free
        CancelContext ctx = Context.withCancel(Context.background());
        AtomicReference<Throwable> headFailure = new AtomicReference<>();
        CountDownLatch headDone = new CountDownLatch(1);
        Go.go(() -> {
            try {
                s.acquire(ctx, 2);              // does not fit: waits at the head
            } catch (Throwable t) {
                headFailure.set(t);
            }
            headDone.countDown();
        });
        WeightedTest.awaitQueued(s, 1);
        CountDownLatch smallGot = new CountDownLatch(1);
        Go.go(() -> {
            s.acquireUninterruptibly(1);        // fits, but FIFO: behind the head
            smallGot.countDown();
        });
        WeightedTest.awaitQueued(s, 2);
        assertFalse(smallGot.await(20, TimeUnit.MILLISECONDS), "served past the head");
        ctx.cancel();
        assertTrue(headDone.await(BOUND_SECONDS, TimeUnit.SECONDS));
        assertTrue(headFailure.get() instanceof ContextDoneException, "" + headFailure.get());
        assertTrue(smallGot.await(BOUND_SECONDS, TimeUnit.SECONDS), "the one behind not served");
        assertEquals(3, s.held());
        assertEquals(0, s.queueLength());
        assertEquals(0, ContextProbe.childCount(ctx), "the wait's hook was deregistered");
    }

    /** A queued request whose deadline passes fails with DEADLINE_EXCEEDED. */
    @Test
    void deadlineWhileQueued() {
        Weighted s = new Weighted(1);
        s.acquireUninterruptibly(1);
        CancelContext ctx = Context.withTimeout(Context.background(), Duration.ofMillis(30));
        ContextDoneException e = assertThrows(ContextDoneException.class, () -> s.acquire(ctx, 1));
        assertSame(Context.DEADLINE_EXCEEDED, e.err());
        assertEquals(1, s.held());
        assertEquals(0, s.queueLength());
    }

    /** A granted wait deregisters its hook: a long-lived context retains nothing. */
    @Test
    void grantedWaitDeregisters() throws Exception {
        Weighted s = new Weighted(1);
        CancelContext ctx = Context.withCancel(Context.background());
        for (int i = 0; i < 200; i++) {
            s.acquireUninterruptibly(1);
            CountDownLatch got = new CountDownLatch(1);
            Go.go(() -> {
                try {
                    s.acquire(ctx, 1);
                    got.countDown();
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            WeightedTest.awaitQueued(s, 1);
            s.release(1);
            assertTrue(got.await(BOUND_SECONDS, TimeUnit.SECONDS));
            s.release(1);
        }
        assertEquals(0, ContextProbe.childCount(ctx));
        ctx.cancel();
    }

    /** Interrupt while queued on a context wait: InterruptedException, nothing held. */
    @Test
    void interruptibleToo() throws Exception {
        Weighted s = new Weighted(1);
        s.acquireUninterruptibly(1);
        CancelContext ctx = Context.withCancel(Context.background());
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = Go.go(() -> {
            try {
                s.acquire(ctx, 1);
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        WeightedTest.awaitQueued(s, 1);
        t.interrupt();
        t.join(TimeUnit.SECONDS.toMillis(BOUND_SECONDS));
        assertTrue(failure.get() instanceof InterruptedException, "" + failure.get());
        assertEquals(1, s.held());
        assertEquals(0, s.queueLength());
        assertEquals(0, ContextProbe.childCount(ctx));
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> s.acquire(ctx, 0));
    }

    /**
     * The grant racing the cancel, in a loop: the waiter either keeps its permits (success) or
     * fails with them given back; held() is exact afterwards, and a second waiter behind it is
     * always served once the first is out of the way.
     */
    @Test
    void grantCancelRace() throws Exception {
        Weighted s = new Weighted(2);
        int succeeded = 0;
        int failed = 0;
        for (int i = 0; i < 2_000; i++) {
            s.acquireUninterruptibly(2);
            CancelContext ctx = Context.withCancel(Context.background());
            AtomicInteger result = new AtomicInteger(-1);   // 1 acquired, 0 context done
            CountDownLatch finished = new CountDownLatch(1);
            Go.go(() -> {
                try {
                    s.acquire(ctx, 2);
                    result.set(1);
                } catch (ContextDoneException e) {
                    result.set(0);
                } catch (InterruptedException e) {
                    result.set(2);
                }
                finished.countDown();
            });
            WeightedTest.awaitQueued(s, 1);
            CountDownLatch go = new CountDownLatch(1);
            Thread canceller = Go.go(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                ctx.cancel();
            });
            go.countDown();
            s.release(2);
            canceller.join();
            assertTrue(finished.await(BOUND_SECONDS, TimeUnit.SECONDS));
            if (result.get() == 1) {
                succeeded++;
                assertEquals(2, s.held(), "acquired, but the permits are not held");
                s.release(2);
            } else {
                assertEquals(0, result.get());
                failed++;
            }
            assertEquals(0, s.held(), "permits lost or double-counted");
            assertEquals(0, s.queueLength());
            assertEquals(0, ContextProbe.childCount(ctx));
        }
        assertEquals(2_000, succeeded + failed);
        assertTrue(s.tryAcquire(2));
    }

    /** The grant raced in, then the context was found done: given back, the next served. */
    @Test
    void grantGivenBackServesNext() throws Exception {
        for (int i = 0; i < 500; i++) {
            Weighted s = new Weighted(1);
            s.acquireUninterruptibly(1);
            CancelContext ctx = Context.withCancel(Context.background());
            CountDownLatch firstDone = new CountDownLatch(1);
            Go.go(() -> {
                try {
                    s.acquire(ctx, 1);
                    s.release(1);
                } catch (Exception e) {
                    // context done: nothing held
                }
                firstDone.countDown();
            });
            WeightedTest.awaitQueued(s, 1);
            CountDownLatch secondGot = new CountDownLatch(1);
            Go.go(() -> {
                s.acquireUninterruptibly(1);
                secondGot.countDown();
            });
            WeightedTest.awaitQueued(s, 2);
            Thread c = Go.go(ctx::cancel);
            s.release(1);
            c.join();
            assertTrue(firstDone.await(BOUND_SECONDS, TimeUnit.SECONDS));
            assertTrue(secondGot.await(BOUND_SECONDS, TimeUnit.SECONDS), "second never served");
            assertEquals(1, s.held());
        }
    }
}
