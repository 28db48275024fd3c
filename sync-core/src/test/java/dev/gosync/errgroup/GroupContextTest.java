package dev.gosync.errgroup;

import dev.gosync.context.CancelContext;
import dev.gosync.context.Context;
import dev.gosync.context.ContextDoneException;
import dev.gosync.semaphore.Weighted;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Group#withContext(Context)}: Go's errgroup.WithContext. */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class GroupContextTest {
    private static final long BOUND_SECONDS = 30;

    /** The first failure cancels the derived context with itself as cause; siblings see it. */
    @Test
    void firstFailureCancelsContext() throws Exception {
        Group g = Group.withContext(Context.background());
        Context ctx = g.context();
        IOException boom = new IOException("boom");
        AtomicBoolean siblingSaw = new AtomicBoolean();
        g.go(() -> {
            ctx.done().receive();           // waits for the sibling's failure
            siblingSaw.set(ctx.err() == Context.CANCELED && Context.cause(ctx) == boom);
        });
        g.go(() -> {
            throw boom;
        });
        ExecutionException e = assertThrows(ExecutionException.class, g::await);
        assertSame(boom, e.getCause());
        assertTrue(siblingSaw.get());
        assertTrue(g.cancelled());
        assertSame(boom, g.cause());
    }

    /** With no failure, await cancels the context with CANCELED as cause. */
    @Test
    void awaitCancelsContext() throws Exception {
        Group g = Group.withContext(Context.background());
        g.go(() -> { });
        assertFalse(g.context().err() != null && !g.cancelled());
        g.await();
        assertSame(Context.CANCELED, g.context().err());
        assertSame(Context.CANCELED, g.cause());
        assertTrue(g.cancelled());
    }

    /** The derived context is a child: cancelling the parent cancels it; not the reverse. */
    @Test
    void parentCancelReachesDerivedContext() throws Exception {
        CancelContext parent = Context.withCancel(Context.withValue(Context.background(), "k", 7));
        Group g = Group.withContext(parent);
        assertEquals(7, g.context().value("k"));
        CountDownLatch sawDone = new CountDownLatch(1);
        g.go(() -> {
            g.context().done().receive();
            sawDone.countDown();
        });
        parent.cancel();
        assertTrue(sawDone.await(BOUND_SECONDS, TimeUnit.SECONDS));
        g.await();
        assertTrue(g.cancelled());
        Group h = Group.withContext(parent = Context.withCancel(Context.background()));
        h.await();
        assertNull(parent.err(), "await cancelled the parent");
        parent.cancel();
    }

    /** Tasks are not interrupted and keep starting, as in Go. */
    @Test
    void noInterruptsAndTasksStillStart() throws Exception {
        Group g = Group.withContext(Context.background());
        g.go(() -> {
            throw new IllegalStateException("first");
        });
        g.context().done().receive();
        AtomicBoolean ran = new AtomicBoolean();
        AtomicBoolean interrupted = new AtomicBoolean();
        g.go(() -> {
            ran.set(true);
            interrupted.set(Thread.currentThread().isInterrupted());
        });
        assertThrows(ExecutionException.class, g::await);
        assertTrue(ran.get());
        assertFalse(interrupted.get());
    }

    /** A failing task unblocks a sibling's Weighted.acquire(ctx) through the context. */
    @Test
    void failureUnblocksContextAcquire() throws Exception {
        Weighted s = new Weighted(1);
        s.acquireUninterruptibly(1);
        Group g = Group.withContext(Context.background());
        AtomicBoolean failedWithCtx = new AtomicBoolean();
        RuntimeException boom = new RuntimeException("boom");
        g.go(() -> {
            try {
                s.acquire(g.context(), 1);
            } catch (ContextDoneException e) {
                failedWithCtx.set(e.getCause() == boom);
            }
        });
        g.go(() -> {
            while (s.toString().indexOf("queued") < 0) {
                Thread.onSpinWait();
            }
            throw boom;
        });
        assertThrows(ExecutionException.class, g::await);
        assertTrue(failedWithCtx.get());
        assertEquals(1, s.held());
    }

    /** context() of another kind of group is misuse, with a clear message. */
    @Test
    void contextOfPlainGroup() {
        assertEquals("errgroup: context() of a group not made by withContext",
                assertThrows(IllegalStateException.class, () -> new Group().context())
                        .getMessage());
        assertThrows(IllegalStateException.class, () -> Group.withCancel().context());
        assertEquals("cannot create context from nil parent",
                assertThrows(NullPointerException.class, () -> Group.withContext(null))
                        .getMessage());
    }
}
