package dev.gosync;

import static dev.gosync.OnceTest.awaitParkedOrDone;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class WaitGroupMisuseTest {
    private static final String NEGATIVE = "sync: negative WaitGroup counter";
    private static final String REUSED =
            "sync: WaitGroup is reused before previous Wait has returned";

    // done() on a zero counter: Go's message, the counter stays 0, the group stays usable.
    @Test
    void doneOnZeroThrowsAndChangesNothing() throws InterruptedException {
        WaitGroup wg = new WaitGroup();
        assertEquals(NEGATIVE, assertThrows(IllegalStateException.class, wg::done).getMessage());
        assertEquals(0, wg.count());
        wg.add(1);
        wg.done();
        assertEquals(NEGATIVE, assertThrows(IllegalStateException.class, wg::done).getMessage());
        assertEquals(0, wg.count());
        wg.await();
    }

    // A negative delta larger than the counter: rejected whole, the counter is left as it was,
    // and a waiter is not released by it.
    @Test
    void tooNegativeAddLeavesTheCounterAsItWas() throws InterruptedException {
        WaitGroup wg = new WaitGroup();
        wg.add(3);
        assertEquals(NEGATIVE,
                assertThrows(IllegalStateException.class, () -> wg.add(-4)).getMessage());
        assertEquals(3, wg.count());
        assertFalse(wg.await(Duration.ofMillis(1)));
        wg.add(-3);
        assertTrue(wg.await(Duration.ZERO));
        assertEquals(NEGATIVE, assertThrows(IllegalStateException.class,
                () -> wg.add(Integer.MIN_VALUE)).getMessage());
        assertEquals(0, wg.count());
    }

    // Overflow past Integer.MAX_VALUE (undefined in Go) is refused, the counter kept.
    @Test
    void overflowIsRefused() {
        WaitGroup wg = new WaitGroup();
        wg.add(Integer.MAX_VALUE);
        assertEquals("sync: WaitGroup counter overflow",
                assertThrows(IllegalStateException.class, () -> wg.add(1)).getMessage());
        assertEquals(Integer.MAX_VALUE, wg.count());
        assertThrows(IllegalStateException.class, () -> wg.go(() -> { }));
        assertEquals(Integer.MAX_VALUE, wg.count());
        wg.add(-Integer.MAX_VALUE);
        assertEquals(0, wg.count());
    }

    // Go's reuse misuse: a new round (add from zero) before a released waiter has returned. The
    // waiter sees the group no longer at rest when it wakes and throws Go's message. The race is
    // won by the adder almost always (a wake-up takes microseconds); try until it is seen.
    @Test
    void reuseBeforeWaitReturnedIsDetected() throws InterruptedException {
        boolean seen = false;
        for (int attempt = 0; attempt < 50 && !seen; attempt++) {
            WaitGroup wg = new WaitGroup();
            wg.add(1);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread w = TestThreads.startPlatform(() -> {
                try {
                    wg.await();
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            awaitParkedOrDone(w);
            wg.done();
            wg.add(1);                      // misuse: new round while the waiter is waking up
            w.join(TimeUnit.SECONDS.toMillis(60));
            assertFalse(w.isAlive());
            Throwable e = failure.get();
            if (e != null) {
                assertTrue(e instanceof IllegalStateException, e.toString());
                assertEquals(REUSED, e.getMessage());
                seen = true;
            }
            // still usable: the new round counts and releases normally
            assertEquals(1, wg.count());
            wg.done();
            assertTrue(wg.await(Duration.ZERO));
        }
        assertTrue(seen, "the reuse misuse was never detected");
    }

    // go()'s task calls done() itself, so its own count-out finds the counter at zero: Go's
    // message reaches the thread's uncaught-exception handler, the counter is left at zero and
    // the group stays usable.
    @Test
    void goTaskThatCallsDoneItselfThrowsAndChangesNothing() throws InterruptedException {
        Thread.UncaughtExceptionHandler old = Thread.getDefaultUncaughtExceptionHandler();
        AtomicReference<Throwable> caught = new AtomicReference<>();
        CountDownLatch handled = new CountDownLatch(1);
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> {
            if (e instanceof IllegalStateException && caught.compareAndSet(null, e)) {
                handled.countDown();
            }
        });
        try {
            WaitGroup wg = new WaitGroup();
            Thread t = wg.go(wg::done);             // misuse: the task uncounts itself
            t.join(TimeUnit.SECONDS.toMillis(60));
            assertFalse(t.isAlive());
            assertTrue(handled.await(60, TimeUnit.SECONDS), "no exception reached the handler");
            assertEquals(NEGATIVE, caught.get().getMessage());
            assertEquals(0, wg.count());
            assertTrue(wg.await(Duration.ZERO));
            // still usable: a later round counts and releases normally
            CountDownLatch go = new CountDownLatch(1);
            wg.go(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertEquals(1, wg.count());
            assertFalse(wg.await(Duration.ofMillis(1)));
            go.countDown();
            assertTrue(wg.await(Duration.ofSeconds(60)));
            assertEquals(0, wg.count());
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(old);
        }
    }

    /**
     * A group at 100 explicit units plus 50 go() tasks that have ended (joined) while the
     * counter was large: their count-outs still sit in the deferred cells, counted by the word.
     */
    private static WaitGroup withDeferredCountOuts() throws InterruptedException {
        WaitGroup wg = new WaitGroup();
        wg.add(100);
        Thread[] ts = new Thread[50];
        for (int i = 0; i < ts.length; i++) {
            ts[i] = wg.go(() -> { });
        }
        for (Thread t : ts) {
            t.join(TimeUnit.SECONDS.toMillis(60));
            assertFalse(t.isAlive());
        }
        return wg;
    }

    // Too negative an add while ended go() tasks still sit in the deferred cells: the check
    // must count them, so the add throws and changes nothing (the tasks' count-outs are
    // applied, the caller's add is not).
    @Test
    void tooNegativeAddCountsDeferredCountOuts() throws InterruptedException {
        WaitGroup wg = withDeferredCountOuts();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> wg.add(-101));
        assertEquals(NEGATIVE, e.getMessage());
        assertEquals(100, wg.count());
        assertFalse(wg.await(Duration.ofMillis(1)));
        wg.add(-100);
        assertTrue(wg.await(Duration.ZERO));
    }

    // The same group state (ended go() tasks still counted, with the deferral flag set in the
    // word) against adds whose sum would wrap past the word's top bit: each must throw and
    // leave the counter as it was, not store a wrapped word.
    @Test
    void outOfRangeAddsWithDeferredCountOutsThrowAndChangeNothing() throws InterruptedException {
        WaitGroup wg = withDeferredCountOuts();
        int[] deltas = {-151, -101, Integer.MIN_VALUE, Integer.MAX_VALUE};
        String[] messages = {NEGATIVE, NEGATIVE, NEGATIVE, "sync: WaitGroup counter overflow"};
        for (int i = 0; i < deltas.length; i++) {
            int delta = deltas[i];
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> wg.add(delta), "add(" + delta + ")");
            assertEquals(messages[i], e.getMessage(), "add(" + delta + ")");
            assertEquals(100, wg.count(), "add(" + delta + ") changed the counter");
        }
        assertFalse(wg.await(Duration.ofMillis(1)));
        wg.add(-100);
        assertTrue(wg.await(Duration.ZERO));
    }

    @Test
    void nullArgumentsAreRejected() {
        WaitGroup wg = new WaitGroup();
        assertEquals("task", assertThrows(NullPointerException.class, () -> wg.go(null))
                .getMessage());
        assertEquals(0, wg.count(), "a rejected go() must count nothing");
        wg.add(1);
        NullPointerException e =
                assertThrows(NullPointerException.class, () -> wg.await(null));
        assertNotNull(e.getMessage());
        wg.done();
    }
}
