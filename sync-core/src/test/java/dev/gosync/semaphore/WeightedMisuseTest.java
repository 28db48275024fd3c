package dev.gosync.semaphore;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Misuse of {@link Weighted}: each message, then "still usable". */
class WeightedMisuseTest {

    // Go panics (after corrupting the count); we throw first and change nothing.
    @Test
    void releaseMoreThanHeldThrowsAndChangesNothing() throws Exception {
        Weighted s = new Weighted(3);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.release(1));
        assertEquals("semaphore: released more than held", e.getMessage());
        s.acquire(2);
        e = assertThrows(IllegalStateException.class, () -> s.release(3));
        assertEquals("semaphore: released more than held", e.getMessage());
        assertEquals(2, s.held());
        s.release(2);
        assertTrue(s.tryAcquire(3), "still usable");
    }

    // The same check on the slow path, while requests are queued.
    @Test
    void releaseMoreThanHeldWhileQueuedThrowsAndChangesNothing() throws Exception {
        Weighted s = new Weighted(3);
        s.acquire(2);
        Thread waiter = new Thread(() -> s.acquireUninterruptibly(3));
        waiter.setDaemon(true);
        waiter.start();
        WeightedTest.awaitQueued(s, 1);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.release(3));
        assertEquals("semaphore: released more than held", e.getMessage());
        assertEquals(2, s.held());
        assertEquals(1, s.queueLength());
        s.release(2);
        waiter.join(30_000);
        assertEquals(3, s.held());
    }

    // Go blocks until the context is done; a request above the size can never be granted.
    @Test
    void acquireOfMoreThanSizeIsAnImmediateError() {
        Weighted s = new Weighted(2);
        String m = assertThrows(IllegalArgumentException.class, () -> s.acquire(3)).getMessage();
        assertEquals("n = 3 exceeds the semaphore's size 2: the request could never be granted",
                m);
        assertThrows(IllegalArgumentException.class, () -> s.acquireUninterruptibly(3));
        assertThrows(IllegalArgumentException.class, () -> s.tryAcquire(3));
        assertThrows(IllegalArgumentException.class,
                () -> s.tryAcquire(3, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> s.tryAcquire(Long.MAX_VALUE));
        assertEquals(0, s.held());
        assertTrue(s.tryAcquire(2), "still usable");
    }

    // Negative weights are rejected by every method, with the argument named.
    @Test
    void negativeWeightIsRejected() {
        Weighted s = new Weighted(2);
        String m = assertThrows(IllegalArgumentException.class, () -> s.acquire(-1)).getMessage();
        assertEquals("n = -1 is negative", m);
        assertThrows(IllegalArgumentException.class, () -> s.acquireUninterruptibly(-1));
        assertThrows(IllegalArgumentException.class, () -> s.tryAcquire(Long.MIN_VALUE));
        assertThrows(IllegalArgumentException.class,
                () -> s.tryAcquire(-1, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> s.release(-1));
        assertEquals(0, s.held());
        assertTrue(s.tryAcquire(2), "still usable");
    }

    // Sizes outside 0..MAX_SIZE are rejected; the extremes work.
    @Test
    void sizeIsValidated() {
        assertThrows(IllegalArgumentException.class, () -> new Weighted(-1));
        assertThrows(IllegalArgumentException.class, () -> new Weighted(Weighted.MAX_SIZE + 1));
        Weighted zero = new Weighted(0);
        assertTrue(zero.tryAcquire(0));
        assertThrows(IllegalArgumentException.class, () -> zero.tryAcquire(1));
        Weighted max = new Weighted(Weighted.MAX_SIZE);
        assertTrue(max.tryAcquire(Weighted.MAX_SIZE));
        assertTrue(max.tryAcquire(0));
        max.release(Weighted.MAX_SIZE);
        assertEquals(0, max.held());
    }

    // A null timeout is rejected by name.
    @Test
    void nullTimeoutIsRejected() {
        Weighted s = new Weighted(1);
        NullPointerException e = assertThrows(NullPointerException.class,
                () -> s.tryAcquire(1, null));
        assertEquals("timeout", e.getMessage());
    }
}
