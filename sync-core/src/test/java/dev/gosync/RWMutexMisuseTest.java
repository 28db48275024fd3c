package dev.gosync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RWMutexMisuseTest {
    static final String RUNLOCK = "sync: RUnlock of unlocked RWMutex";
    static final String UNLOCK = "sync: Unlock of unlocked RWMutex";

    static void assertUsable(RWMutex rw) {
        assertTrue(rw.tryRLock());
        rw.rUnlock();
        assertTrue(rw.tryLock());
        rw.unlock();
        assertEquals(0, rw.readerCount());
        assertFalse(rw.isWriteLocked());
    }

    @Test
    void rUnlockOfUnlockedThrows() {
        RWMutex rw = new RWMutex();
        assertEquals(RUNLOCK, assertThrows(IllegalStateException.class, rw::rUnlock).getMessage());
        assertUsable(rw);
    }

    @Test
    void unlockOfUnlockedThrows() {
        RWMutex rw = new RWMutex();
        assertEquals(UNLOCK, assertThrows(IllegalStateException.class, rw::unlock).getMessage());
        assertUsable(rw);
    }

    // unlock() while only read-locked is Go's "Unlock of unlocked RWMutex".
    @Test
    void unlockOfReadLockedThrows() {
        RWMutex rw = new RWMutex();
        rw.rLock();
        assertEquals(UNLOCK, assertThrows(IllegalStateException.class, rw::unlock).getMessage());
        assertEquals(1, rw.readerCount());
        rw.rUnlock();
        assertUsable(rw);
    }

    // rUnlock() while write-locked (no reader inside) is Go's "RUnlock of unlocked RWMutex".
    @Test
    void rUnlockOfWriteLockedThrows() {
        RWMutex rw = new RWMutex();
        rw.lock();
        assertEquals(RUNLOCK, assertThrows(IllegalStateException.class, rw::rUnlock).getMessage());
        assertTrue(rw.isWriteLocked());
        rw.unlock();
        assertUsable(rw);
    }

    // unlock() by a thread while the writer still waits for readers does not steal the lock.
    @Test
    void unlockWhileWriterPendingThrows() throws InterruptedException {
        RWMutex rw = new RWMutex();
        rw.rLock();
        Thread writer = TestThreads.startPlatform(() -> {
            rw.lock();
            rw.unlock();
        });
        while (!rw.isWriteLocked()) {
            Thread.onSpinWait();
        }
        assertEquals(UNLOCK, assertThrows(IllegalStateException.class, rw::unlock).getMessage());
        rw.rUnlock();
        writer.join();
        assertUsable(rw);
    }

    // Double unlocks through the guards are the same misuse.
    @Test
    void guardsClosedTwiceThrow() {
        RWMutex rw = new RWMutex();
        Locker.Held r = rw.rLocked();
        r.close();
        assertEquals(RUNLOCK, assertThrows(IllegalStateException.class, r::close).getMessage());
        Locker.Held w = rw.locked();
        w.close();
        assertEquals(UNLOCK, assertThrows(IllegalStateException.class, w::close).getMessage());
        assertUsable(rw);
    }

    // Go's reader limit (2^30 - 1 readers) is a clear error, not an overflow.
    @Test
    void readerLimitIsAClearError() {
        RWMutex rw = RWMutex.withReaders(RWMutex.MAX_READERS - 1);
        IllegalStateException e = assertThrows(IllegalStateException.class, rw::rLock);
        assertTrue(e.getMessage().startsWith("sync: too many readers on RWMutex"), e.getMessage());
        assertThrows(IllegalStateException.class, rw::tryRLock);
        assertEquals(RWMutex.MAX_READERS - 1, rw.readerCount());
        assertFalse(rw.tryLock());
        assertFalse(rw.isWriteLocked());
        rw.rUnlock();
        rw.rLock();     // one below the limit: fine again
        assertEquals(RWMutex.MAX_READERS - 1, rw.readerCount());
    }

    // The limit also holds while a writer is pending (readers then queue, and are counted).
    @Test
    void readerLimitHoldsWithAPendingWriter() throws InterruptedException {
        RWMutex rw = RWMutex.withReaders(RWMutex.MAX_READERS - 1);
        Thread writer = TestThreads.startPlatform(rw::lock);
        while (!rw.isWriteLocked()) {
            Thread.onSpinWait();
        }
        assertThrows(IllegalStateException.class, rw::rLock);
        assertFalse(rw.tryRLock());
        assertTrue(writer.isAlive());
        writer.interrupt();     // lock() is uninterruptible: still waiting
        assertTrue(rw.isWriteLocked());
    }
}
