package dev.gosync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MutexMisuseTest {

    // unlock() of a never-locked mutex throws Go's message and changes nothing.
    @Test
    void unlockOfUnlockedMutexThrowsAndStaysUsable() {
        Mutex mu = new Mutex();
        IllegalStateException e = assertThrows(IllegalStateException.class, mu::unlock);
        assertEquals("sync: unlock of unlocked mutex", e.getMessage());
        assertFalse(mu.isLocked());
        mu.lock();
        assertTrue(mu.isLocked());
        mu.unlock();
        assertFalse(mu.isLocked());
    }

    // A double unlock throws on the second call; the mutex stays usable.
    @Test
    void doubleUnlockThrowsOnSecond() {
        Mutex mu = new Mutex();
        mu.lock();
        mu.unlock();
        IllegalStateException e = assertThrows(IllegalStateException.class, mu::unlock);
        assertEquals("sync: unlock of unlocked mutex", e.getMessage());
        assertTrue(mu.tryLock());
        mu.unlock();
    }

    // Misuse while waiters are queued does not disturb them.
    @Test
    void misuseWithWaitersLeavesThemQueued() throws InterruptedException {
        Mutex mu = new Mutex();
        mu.lock();
        Thread w = TestThreads.startPlatform(() -> {
            mu.lock();
            mu.unlock();
        });
        MutexTest.awaitParked(w);
        mu.unlock();
        w.join();
        assertThrows(IllegalStateException.class, mu::unlock);
        assertEquals(0, mu.waiterCount());
        assertFalse(mu.isLocked());
    }

    // The guard's close() is unlock(): closing twice is the same misuse.
    @Test
    void closingTheGuardTwiceIsAnUnlockMisuse() {
        Mutex mu = new Mutex();
        Locker.Held held = mu.locked();
        held.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, held::close);
        assertEquals("sync: unlock of unlocked mutex", e.getMessage());
        assertFalse(mu.isLocked());
    }

    @Test
    void nullArgumentsAreNamed() {
        Mutex mu = new Mutex();
        NullPointerException a = assertThrows(NullPointerException.class,
                () -> mu.tryLock(1, (TimeUnit) null));
        assertEquals("unit", a.getMessage());
        NullPointerException b = assertThrows(NullPointerException.class,
                () -> mu.tryLock((Duration) null));
        assertEquals("timeout", b.getMessage());
        assertFalse(mu.isLocked());
    }

    @Test
    void hugeTimeoutsDoNotOverflow() throws InterruptedException {
        Mutex mu = new Mutex();
        assertTrue(mu.tryLock(Duration.ofSeconds(Long.MAX_VALUE)));
        mu.unlock();
        assertTrue(mu.tryLock(Long.MAX_VALUE, TimeUnit.DAYS));
        mu.unlock();
        assertTrue(mu.tryLock(Duration.ofSeconds(Long.MIN_VALUE)));
        assertFalse(mu.tryLock(Duration.ofSeconds(-1)));
        mu.unlock();
    }
}
