package dev.gosync.context;

import dev.gosync.Go;
import dev.gosync.chan.Chan;
import dev.gosync.chan.Select;
import dev.gosync.internal.ContextHooks;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Behaviour of {@link Context}: Go's context_test.go scenarios, with real threads. */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ContextTest {
    private static final long BOUND_SECONDS = 30;

    /** Bounded wait for a condition that must become true eventually. */
    static void eventually(BooleanSupplier cond, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(BOUND_SECONDS);
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("never happened: " + what);
            }
            Thread.yield();
        }
    }

    /** Whether done() is closed, without waiting. */
    static boolean isClosed(Context ctx) {
        var r = ctx.done().tryReceive();
        return r != null && !r.ok();
    }

    /** The roots are never done, have no deadline or values, and are distinct. */
    @Test
    void rootsAreNeverDone() {
        for (Context c : List.of(Context.background(), Context.todo())) {
            assertNull(c.err());
            assertNull(Context.cause(c));
            assertTrue(c.deadline().isEmpty());
            assertNull(c.value("k"));
            assertFalse(isClosed(c));
        }
        assertSame(Context.background().done(), Context.todo().done());
        assertEquals("context.Background", Context.background().toString());
        assertEquals("context.TODO", Context.todo().toString());
    }

    /** cancel() closes done, sets err to CANCELED and the cause to err; it is idempotent. */
    @Test
    void cancelClosesDoneAndSetsErr() {
        CancelContext c = Context.withCancel(Context.background());
        var done = c.done();
        assertNull(c.err());
        assertFalse(isClosed(c));
        c.cancel();
        assertSame(Context.CANCELED, c.err());
        assertSame(Context.CANCELED, Context.cause(c));
        assertTrue(isClosed(c));
        assertSame(done, c.done());
        c.cancel();
        c.close();
        assertSame(Context.CANCELED, c.err());
    }

    /** Cancelled before anyone asked for done(): done() is then closed at once. */
    @Test
    void doneAskedAfterCancelIsClosed() {
        CancelContext c = Context.withCancel(Context.background());
        c.cancel();
        assertTrue(isClosed(c));
        assertNull(c.done().receive());
    }

    /** try-with-resources is defer cancel(). */
    @Test
    void closeIsCancel() {
        CancelContext kept;
        try (CancelContext c = Context.withCancel(Context.background())) {
            kept = c;
            assertNull(c.err());
        }
        assertSame(Context.CANCELED, kept.err());
    }

    /** Cancelling a parent cancels every descendant, through values, with its err and cause. */
    @Test
    void parentCancelPropagatesToTheWholeTree() {
        CancelCauseContext root = Context.withCancelCause(Context.background());
        Context v = Context.withValue(root, "k", "v");
        CancelContext a = Context.withCancel(v);
        CancelContext b = Context.withTimeout(a, Duration.ofHours(1));
        CancelContext c = Context.withCancel(Context.withValue(b, "k2", 2));
        CancelContext sibling = Context.withCancel(root);
        Context detached = Context.withoutCancel(c);
        IllegalStateException why = new IllegalStateException("why");
        root.cancel(why);
        for (Context x : List.of(root, v, a, b, c, sibling)) {
            assertSame(Context.CANCELED, x.err(), x.toString());
            assertSame(why, Context.cause(x), x.toString());
            assertTrue(isClosed(x), x.toString());
        }
        assertNull(detached.err());
        assertEquals("v", detached.value("k"));
        assertFalse(b.timerArmed(), "the cancelled descendant's timer is stopped");
    }

    /** Cancelling a child affects neither parent nor siblings, and detaches it. */
    @Test
    void childCancelDoesNotReachParentAndDetaches() {
        CancelContext parent = Context.withCancel(Context.background());
        CancelContext a = Context.withCancel(parent);
        CancelContext b = Context.withCancel(Context.withValue(parent, "k", 1));
        assertEquals(2, parent.childCount());
        a.cancel();
        assertNull(parent.err());
        assertNull(b.err());
        assertEquals(1, parent.childCount());
        b.cancel();
        assertEquals(0, parent.childCount());
        parent.cancel();
    }

    /** A long-lived parent with many short-lived cancelled children retains none of them. */
    @Test
    void manyCancelledChildrenAreNotRetained() {
        CancelContext parent = Context.withCancel(Context.background());
        for (int i = 0; i < 100_000; i++) {
            try (var c = Context.withTimeout(parent, Duration.ofHours(1))) {
                Context.afterFunc(c, () -> { }).stop();
                assertEquals(1, parent.childCount());
            }
        }
        assertEquals(0, parent.childCount());
        parent.cancel();
    }

    /** The first cause wins; later cancels with other causes change nothing. */
    @Test
    void firstCauseWins() {
        CancelCauseContext c = Context.withCancelCause(Context.background());
        RuntimeException first = new RuntimeException("first");
        c.cancel(first);
        c.cancel(new RuntimeException("second"));
        c.cancel();
        assertSame(first, Context.cause(c));
        assertSame(Context.CANCELED, c.err());
        CancelCauseContext d = Context.withCancelCause(Context.background());
        d.cancel(null);
        assertSame(Context.CANCELED, Context.cause(d), "a null cause means err");
    }

    /** A child cancelled first keeps its own cause when the parent is cancelled later. */
    @Test
    void childCauseSurvivesLaterParentCancel() {
        CancelCauseContext parent = Context.withCancelCause(Context.background());
        CancelCauseContext child = Context.withCancelCause(parent);
        RuntimeException mine = new RuntimeException("mine");
        child.cancel(mine);
        parent.cancel(new RuntimeException("parent's"));
        assertSame(mine, Context.cause(child));
    }

    /** A child of a done parent is done at creation, with the parent's err and cause. */
    @Test
    void childOfDoneParentIsDoneAtCreation() {
        CancelCauseContext parent = Context.withCancelCause(Context.background());
        RuntimeException why = new RuntimeException("why");
        parent.cancel(why);
        CancelContext child = Context.withTimeout(Context.withValue(parent, "k", 1),
                Duration.ofHours(1));
        assertSame(Context.CANCELED, child.err());
        assertSame(why, Context.cause(child));
        assertTrue(isClosed(child));
        assertFalse(child.timerArmed());
        assertEquals(0, parent.childCount());
    }

    /** The deadline passes: DEADLINE_EXCEEDED, closed done, cause = err, parent untouched. */
    @Test
    void deadlineExpires() {
        CancelContext parent = Context.withCancel(Context.background());
        CancelContext c = Context.withTimeout(parent, Duration.ofMillis(20));
        assertTrue(c.deadline().isPresent());
        assertNull(c.done().receive());     // blocks until the timer fires
        assertSame(Context.DEADLINE_EXCEEDED, c.err());
        assertTrue(c.err().timeout());
        assertFalse(Context.CANCELED.timeout());
        assertSame(Context.DEADLINE_EXCEEDED, Context.cause(c));
        assertNull(parent.err());
        eventually(() -> parent.childCount() == 0, "the expired child detached");
        parent.cancel();
    }

    /** withTimeoutCause reports its cause when the time runs out, not when cancelled. */
    @Test
    void timeoutCause() {
        RuntimeException slow = new RuntimeException("too slow");
        CancelContext c = Context.withTimeoutCause(Context.background(), Duration.ofMillis(10),
                slow);
        c.done().receive();
        assertSame(Context.DEADLINE_EXCEEDED, c.err());
        assertSame(slow, Context.cause(c));
        CancelContext d = Context.withTimeoutCause(Context.background(), Duration.ofHours(1),
                slow);
        d.cancel();
        assertSame(Context.CANCELED, Context.cause(d));
    }

    /** An already-expired deadline gives a context already done with DEADLINE_EXCEEDED. */
    @Test
    void expiredDeadlineIsDoneAtCreation() {
        CancelContext c = Context.withDeadline(Context.background(),
                Instant.now().minusSeconds(1));
        assertSame(Context.DEADLINE_EXCEEDED, c.err());
        assertTrue(isClosed(c));
        assertSame(Context.DEADLINE_EXCEEDED,
                Context.withTimeout(Context.background(), Duration.ZERO).err());
        assertSame(Context.DEADLINE_EXCEEDED,
                Context.withTimeout(Context.background(), Duration.ofSeconds(-5)).err());
    }

    /** A later deadline than the parent's is a plain cancel child reporting the parent's. */
    @Test
    void laterDeadlineThanParentIsPlainCancel() {
        Instant soon = Instant.now().plusSeconds(3600);
        try (CancelContext parent = Context.withDeadline(Context.background(), soon)) {
            CancelContext child = Context.withDeadline(parent, soon.plusSeconds(3600));
            assertEquals(soon, child.deadline().orElseThrow());
            assertFalse(child.timerArmed(), "no timer of its own");
            CancelContext earlier = Context.withDeadline(parent, soon.minusSeconds(60));
            assertEquals(soon.minusSeconds(60), earlier.deadline().orElseThrow());
            assertTrue(earlier.timerArmed());
            earlier.cancel();
            assertFalse(earlier.timerArmed(), "cancel stops the timer");
        }
    }

    /** A huge timeout saturates instead of throwing. */
    @Test
    void hugeTimeoutSaturates() {
        try (CancelContext c = Context.withTimeout(Context.background(),
                Duration.ofSeconds(Long.MAX_VALUE))) {
            assertEquals(Instant.MAX, c.deadline().orElseThrow());
            assertNull(c.err());
        }
    }

    /** Early cancel removes the task from the shared timer's queue. */
    @Test
    void earlyCancelUnschedulesTimer() {
        CancelContext probe = Context.withTimeout(Context.background(), Duration.ofHours(2));
        probe.cancel();
        int before = dev.gosync.internal.SharedTimer.pending();
        List<CancelContext> cs = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            cs.add(Context.withTimeout(Context.background(), Duration.ofHours(1)));
        }
        assertTrue(dev.gosync.internal.SharedTimer.pending() >= before + 1000);
        cs.forEach(CancelContext::cancel);
        assertTrue(dev.gosync.internal.SharedTimer.pending() <= before + 10,
                "cancelled timers stay queued: " + dev.gosync.internal.SharedTimer.pending());
    }

    /** Values: nearest wins, through cancel layers; withoutCancel keeps them. */
    @Test
    void valuesNearestWins() {
        Context a = Context.withValue(Context.background(), "k", "outer");
        Context b = Context.withValue(Context.withCancel(a), "k", "inner");
        Context c = Context.withValue(b, "other", null);
        assertEquals("inner", c.value("k"));
        assertEquals("outer", a.value("k"));
        assertNull(c.value("other"));
        assertNull(c.value("missing"));
        assertEquals("inner", Context.withoutCancel(c).value("k"));
    }

    /** withoutCancel is never done, has no deadline, and its children are independent. */
    @Test
    void withoutCancelIsNeverCancelled() {
        CancelContext parent = Context.withTimeout(Context.background(), Duration.ofHours(1));
        Context wc = Context.withoutCancel(Context.withValue(parent, "k", 1));
        CancelContext child = Context.withCancel(wc);
        parent.cancel();
        assertNull(wc.err());
        assertNull(Context.cause(wc));
        assertTrue(wc.deadline().isEmpty());
        assertNull(child.err());
        assertFalse(isClosed(wc));
        child.cancel();
        assertSame(Context.CANCELED, child.err());
    }

    /** Cancel wakes every thread blocked on done(), and they all see err(). */
    @Test
    void cancelWakesReceivers() throws Exception {
        CancelContext c = Context.withCancel(Context.background());
        int n = 8;
        CountDownLatch woke = new CountDownLatch(n);
        AtomicInteger sawErr = new AtomicInteger();
        for (int i = 0; i < n; i++) {
            Go.go(() -> {
                c.done().receive();
                if (c.err() == Context.CANCELED) {
                    sawErr.incrementAndGet();
                }
                woke.countDown();
            });
        }
        c.cancel();
        assertTrue(woke.await(BOUND_SECONDS, TimeUnit.SECONDS));
        assertEquals(n, sawErr.get());
    }

    /** 10,000 contexts under one parent: all cancelled by it, then none retained. */
    @Test
    void tenThousandChildren() {
        CancelContext parent = Context.withCancel(Context.background());
        List<CancelContext> kids = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            kids.add(i % 2 == 0 ? Context.withCancel(parent)
                    : Context.withTimeout(parent, Duration.ofHours(1)));
        }
        assertEquals(10_000, parent.childCount());
        for (int i = 0; i < 5_000; i++) {
            kids.get(i).cancel();
        }
        assertEquals(5_000, parent.childCount());
        parent.cancel();
        for (CancelContext k : kids) {
            assertNotNull(k.err());
            assertTrue(isClosed(k));
        }
        assertEquals(0, parent.childCount());
    }

    /** A chain 100,000 deep cancels without overflowing the stack. */
    @Test
    void deepChainCancels() {
        CancelContext root = Context.withCancel(Context.background());
        Context c = root;
        for (int i = 0; i < 100_000; i++) {
            c = Context.withCancel(c);
        }
        root.cancel();
        assertSame(Context.CANCELED, c.err());
    }

    /** 10,000 virtual threads wait on one done() and all wake on cancel (JDK 21+). */
    @Test
    void tenThousandVirtualThreadsOnOneDone() throws Exception {
        Assumptions.assumeTrue(Go.virtualThreads());
        CancelContext c = Context.withCancel(Context.background());
        int n = 10_000;
        CountDownLatch started = new CountDownLatch(n);
        CountDownLatch woke = new CountDownLatch(n);
        for (int i = 0; i < n; i++) {
            Go.go(() -> {
                started.countDown();
                c.done().receive();
                woke.countDown();
            });
        }
        assertTrue(started.await(BOUND_SECONDS, TimeUnit.SECONDS));
        assertEquals(n, woke.getCount() + 0, "nobody wakes before the cancel");
        c.cancel();
        assertTrue(woke.await(BOUND_SECONDS, TimeUnit.SECONDS));
    }

    /** done() in a Select beside another case: whichever is ready is taken. */
    @Test
    void doneInSelect() throws Exception {
        CancelContext c = Context.withCancel(Context.background());
        Chan<String> work = new Chan<>(1);
        work.send("job");
        Select s = new Select().receive(c.done()).receive(work);
        assertEquals(1, s.select(), "only the work case is ready");
        assertEquals("job", s.value());
        CountDownLatch selecting = new CountDownLatch(1);
        int[] chosen = {-9};
        Thread t = Go.go(() -> {
            selecting.countDown();
            chosen[0] = new Select().receive(c.done()).receive(work).select();
        });
        assertTrue(selecting.await(BOUND_SECONDS, TimeUnit.SECONDS));
        c.cancel();
        t.join(TimeUnit.SECONDS.toMillis(BOUND_SECONDS));
        assertFalse(t.isAlive());
        assertEquals(0, chosen[0], "the done case");
        assertEquals(Select.DEFAULT, new Select().receive(Context.background().done())
                .orElse().select(), "background's done is never ready");
    }

    /** afterFunc runs f once, on its own thread, after cancel; stop() then returns false. */
    @Test
    void afterFuncRunsAfterCancel() throws Exception {
        CancelContext c = Context.withCancel(Context.background());
        CountDownLatch ran = new CountDownLatch(1);
        Thread[] on = new Thread[1];
        AtomicInteger runs = new AtomicInteger();
        Context.StopFunc stop = Context.afterFunc(c, () -> {
            on[0] = Thread.currentThread();
            runs.incrementAndGet();
            ran.countDown();
        });
        c.cancel();
        assertTrue(ran.await(BOUND_SECONDS, TimeUnit.SECONDS));
        assertFalse(stop.stop());
        assertTrue(on[0] != Thread.currentThread());
        c.cancel();
        Thread.sleep(20);   // a second run would be a bug; this only gives it a chance
        assertEquals(1, runs.get());
    }

    /** afterFunc on a done context runs at once; on background never, and stop() is true. */
    @Test
    void afterFuncOnDoneAndOnBackground() throws Exception {
        CancelContext c = Context.withCancel(Context.background());
        c.cancel();
        CountDownLatch ran = new CountDownLatch(1);
        Context.StopFunc stop = Context.afterFunc(c, ran::countDown);
        assertTrue(ran.await(BOUND_SECONDS, TimeUnit.SECONDS));
        assertFalse(stop.stop());
        Context.StopFunc never = Context.afterFunc(Context.background(), () -> {
            throw new AssertionError("ran");
        });
        assertTrue(never.stop());
        assertFalse(never.stop());
    }

    /** stop() before cancel prevents f and deregisters. */
    @Test
    void afterFuncStopPrevents() throws Exception {
        CancelContext c = Context.withCancel(Context.background());
        AtomicInteger runs = new AtomicInteger();
        Context.StopFunc stop = Context.afterFunc(Context.withValue(c, "k", 1),
                runs::incrementAndGet);
        assertEquals(1, c.childCount());
        assertTrue(stop.stop());
        assertEquals(0, c.childCount());
        assertFalse(stop.stop());
        c.cancel();
        Thread.sleep(20);
        assertEquals(0, runs.get());
    }

    /** stop() racing cancel: f runs iff stop() returned false, exactly once. */
    @Test
    void afterFuncStopRacesCancel() throws Exception {
        for (int i = 0; i < 2_000; i++) {
            CancelContext c = Context.withCancel(Context.background());
            AtomicInteger runs = new AtomicInteger();
            CountDownLatch ran = new CountDownLatch(1);
            Context.StopFunc stop = Context.afterFunc(c, () -> {
                runs.incrementAndGet();
                ran.countDown();
            });
            CountDownLatch go = new CountDownLatch(1);
            Thread canceller = Go.go(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                c.cancel();
            });
            go.countDown();
            boolean stopped = stop.stop();
            canceller.join();
            if (stopped) {
                assertEquals(0, runs.get(), "stopped, yet ran");
            } else {
                assertTrue(ran.await(BOUND_SECONDS, TimeUnit.SECONDS), "neither stopped nor ran");
                assertEquals(1, runs.get());
            }
            assertEquals(0, c.childCount());
        }
    }

    /** The internal hook runs inline in the cancelling thread and deregisters. */
    @Test
    void internalHookRunsInline() {
        CancelContext c = Context.withCancel(Context.background());
        Thread[] on = new Thread[1];
        BooleanSupplier stop = ContextHooks.whenDone(c, () -> on[0] = Thread.currentThread());
        BooleanSupplier stopped = ContextHooks.whenDone(c, () -> {
            throw new AssertionError("ran");
        });
        assertTrue(stopped.getAsBoolean());
        assertEquals(1, c.childCount());
        c.cancel();
        assertSame(Thread.currentThread(), on[0]);
        assertFalse(stop.getAsBoolean());
    }

    /** The cancel that publishes err also publishes plain writes before it. */
    @Test
    void cancelHappensBeforeErr() throws Exception {
        for (int i = 0; i < 1_000; i++) {
            CancelContext c = Context.withCancel(Context.background());
            int[] box = new int[1];
            Thread t = Go.go(() -> {
                box[0] = 42;
                c.cancel();
            });
            c.done().receive();
            assertEquals(42, box[0]);
            t.join();
        }
    }

    /** ContextDoneException carries err and cause. */
    @Test
    void doneExceptionCarriesErrAndCause() {
        CancelCauseContext c = Context.withCancelCause(Context.background());
        RuntimeException why = new RuntimeException("why");
        c.cancel(why);
        ContextDoneException e = new ContextDoneException(Context.withValue(c, "k", 1));
        assertSame(Context.CANCELED, e.err());
        assertSame(why, e.getCause());
        assertEquals("context canceled: java.lang.RuntimeException: why", e.getMessage());
        CancelContext d = Context.withTimeout(Context.background(), Duration.ZERO);
        ContextDoneException f = new ContextDoneException(d);
        assertSame(Context.DEADLINE_EXCEEDED, f.err());
        assertSame(Context.DEADLINE_EXCEEDED, f.getCause());
        assertEquals("context deadline exceeded", f.getMessage());
    }

    /** The sentinels are immutable: suppression, causes and stack traces do not stick. */
    @Test
    void sentinelsAreImmutable() throws Exception {
        ContextException e = Context.CANCELED;
        e.addSuppressed(new RuntimeException());
        assertEquals(0, e.getSuppressed().length);
        assertEquals(0, e.getStackTrace().length);
        e.setStackTrace(new Throwable().getStackTrace());
        assertEquals(0, e.getStackTrace().length);
        assertNull(e.getCause());
        var bytes = new java.io.ByteArrayOutputStream();
        try (var out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(Context.DEADLINE_EXCEEDED);
        }
        try (var in = new java.io.ObjectInputStream(
                new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
            assertSame(Context.DEADLINE_EXCEEDED, in.readObject());
        }
    }
}
