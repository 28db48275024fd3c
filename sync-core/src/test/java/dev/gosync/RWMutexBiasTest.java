package dev.gosync;

import static dev.gosync.MutexTest.awaitParked;
import static dev.gosync.RWMutexMisuseTest.RUNLOCK;
import static dev.gosync.RWMutexMisuseTest.assertUsable;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The reader bias of {@link RWMutex}: the first reading thread's fast path (no CAS), its
 * revocation by writers, releases by other threads on the owner's behalf, and rebiasing when
 * the owner dies. Each test makes the bias owner's read lock go through the fast path.
 */
class RWMutexBiasTest {

    /** Makes the calling thread the bias owner of a new RWMutex. */
    static RWMutex biasedToMe() {
        RWMutex rw = new RWMutex();
        rw.rLock();     // a shared read lock installs the bias record
        rw.rUnlock();
        assertSame(Thread.currentThread(), rw.biasOwner());
        return rw;
    }

    @Test
    void firstReaderGetsTheBias() throws InterruptedException {
        RWMutex rw = new RWMutex();
        assertNull(rw.biasOwner());
        rw.lock();              // writers never install it
        rw.unlock();
        assertNull(rw.biasOwner());
        rw.rLock();
        rw.rUnlock();
        assertSame(Thread.currentThread(), rw.biasOwner());
        Thread other = TestThreads.startPlatform(() -> {
            rw.rLock();         // a second reader uses the shared path; the bias stays
            rw.rUnlock();
        });
        other.join();
        assertSame(Thread.currentThread(), rw.biasOwner());
    }

    // The owner's fast-path hold counts as a reader, and a nested hold takes the shared path.
    @Test
    void fastPathHoldIsAReadLock() {
        RWMutex rw = biasedToMe();
        rw.rLock();
        assertEquals(1, rw.readerCount());
        assertFalse(rw.tryLock());
        assertFalse(rw.isWriteLocked());
        rw.rLock();             // nested
        assertEquals(2, rw.readerCount());
        rw.rUnlock();
        rw.rUnlock();
        assertEquals(0, rw.readerCount());
        assertUsable(rw);
    }

    // A writer waits for the owner's fast-path hold, then sees what the owner wrote.
    @Test
    void writerWaitsForTheBiasedReader() throws InterruptedException {
        RWMutex rw = biasedToMe();
        int[] data = {0};
        int[] seen = {-1};
        rw.rLock();
        Thread writer = TestThreads.startPlatform(() -> {
            rw.lock();
            seen[0] = data[0];
            rw.unlock();
        });
        awaitParked(writer);
        assertTrue(writer.isAlive());
        assertTrue(rw.isWriteLocked());
        data[0] = 42;
        rw.rUnlock();
        writer.join();
        assertEquals(42, seen[0]);
        assertUsable(rw);
        rw.rLock();             // the bias is enabled again after the writer left
        assertSame(Thread.currentThread(), rw.biasOwner());
        assertFalse(rw.tryLock());
        rw.rUnlock();
    }

    // Writer preference holds for the owner too: a waiting writer holds off its fast path.
    @Test
    void waitingWriterHoldsOffTheOwner() throws InterruptedException {
        RWMutex rw = new RWMutex();
        CountDownLatch biased = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        AtomicBoolean ownerIn = new AtomicBoolean();
        AtomicBoolean writerDone = new AtomicBoolean();
        AtomicBoolean ownerSawWriter = new AtomicBoolean();
        Thread owner = TestThreads.startPlatform(() -> {
            rw.rLock();
            rw.rUnlock();
            biased.countDown();
            try {
                go.await();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            rw.rLock();         // must queue behind the writer
            ownerIn.set(true);
            ownerSawWriter.set(writerDone.get());
            rw.rUnlock();
        });
        biased.await();
        assertSame(owner, rw.biasOwner());
        rw.rLock();             // a shared reader keeps the writer waiting
        Thread writer = TestThreads.startPlatform(() -> {
            rw.lock();
            writerDone.set(true);
            rw.unlock();
        });
        while (!rw.isWriteLocked()) {
            Thread.onSpinWait();
        }
        go.countDown();
        awaitParked(owner);
        assertFalse(ownerIn.get());
        rw.rUnlock();
        writer.join();
        owner.join();
        assertTrue(ownerSawWriter.get());
        assertUsable(rw);
    }

    // Go lets any goroutine RUnlock: another thread releases the owner's fast-path hold, many
    // times over (each leaves the owner's record as the owner's own release would).
    @Test
    void otherThreadsReleaseTheOwnersHold() throws InterruptedException {
        RWMutex rw = new RWMutex();
        SynchronousQueue<Integer> handOff = new SynchronousQueue<>();
        SynchronousQueue<Integer> released = new SynchronousQueue<>();
        int rounds = 2_000;
        Thread owner = TestThreads.startPlatform(() -> {
            try {
                rw.rLock();
                rw.rUnlock();
                for (int i = 0; i < rounds; i++) {
                    rw.rLock();
                    handOff.put(i);
                    assertEquals(i, released.take());
                }
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        for (int i = 0; i < rounds; i++) {
            assertEquals(i, handOff.take());
            assertSame(owner, rw.biasOwner());
            assertEquals(1, rw.readerCount());
            assertFalse(rw.tryLock());
            rw.rUnlock();       // on the owner's behalf
            assertEquals(0, rw.readerCount());
            if (i % 100 == 0) {
                assertTrue(rw.tryLock());
                rw.unlock();
            }
            released.put(i);
        }
        owner.join();
        assertEquals(RUNLOCK, assertThrows(IllegalStateException.class, rw::rUnlock).getMessage());
        assertUsable(rw);
    }

    // A release on the owner's behalf also wakes a writer waiting for the owner's hold.
    @Test
    void proxyReleaseWakesTheWriter() throws InterruptedException {
        RWMutex rw = biasedToMe();
        rw.rLock();
        Thread writer = TestThreads.startPlatform(() -> {
            rw.lock();
            rw.unlock();
        });
        awaitParked(writer);
        Thread proxy = TestThreads.startPlatform(rw::rUnlock);
        proxy.join();
        writer.join();
        assertUsable(rw);
    }

    // The owner's extra rUnlock is misuse, detected while no one else holds the lock.
    @Test
    void ownersDoubleUnlockThrows() {
        RWMutex rw = biasedToMe();
        rw.rLock();
        rw.rUnlock();
        assertEquals(RUNLOCK, assertThrows(IllegalStateException.class, rw::rUnlock).getMessage());
        assertUsable(rw);
        assertSame(Thread.currentThread(), rw.biasOwner());
    }

    // tryLock fails while the owner holds a fast-path read lock, and changes nothing.
    @Test
    void tryLockFailsWhileTheOwnerReads() throws InterruptedException {
        RWMutex rw = biasedToMe();
        rw.rLock();
        AtomicBoolean got = new AtomicBoolean(true);
        Thread t = TestThreads.startPlatform(() -> got.set(rw.tryLock()));
        t.join();
        assertFalse(got.get());
        assertFalse(rw.isWriteLocked());
        rw.rLock();             // nested, shared path: no writer pending
        rw.rUnlock();
        rw.rUnlock();
        assertUsable(rw);
    }

    // Timed and interruptible writers give up cleanly while the owner reads.
    @Test
    void writersGiveUpOnTheOwner() throws InterruptedException {
        RWMutex rw = biasedToMe();
        rw.rLock();
        AtomicBoolean timedGot = new AtomicBoolean(true);
        Thread timed = TestThreads.startPlatform(() -> {
            try {
                timedGot.set(rw.tryLock(Duration.ofMillis(30)));
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        timed.join();
        assertFalse(timedGot.get());
        assertFalse(rw.isWriteLocked());
        AtomicInteger interrupted = new AtomicInteger();
        Thread interruptible = TestThreads.startPlatform(() -> {
            try {
                rw.lockInterruptibly();
                rw.unlock();
            } catch (InterruptedException e) {
                interrupted.incrementAndGet();
            }
        });
        awaitParked(interruptible);
        interruptible.interrupt();
        interruptible.join();
        assertEquals(1, interrupted.get());
        assertFalse(rw.isWriteLocked());
        // The fast path is enabled again, and the hold is still ours.
        rw.rLock();
        assertEquals(2, rw.readerCount());
        rw.rUnlock();
        rw.rUnlock();
        assertUsable(rw);
    }

    // An uninterruptible writer interrupted while it waits for the owner keeps waiting, then
    // returns with its interrupt status set.
    @Test
    void lockIsNotInterruptibleWhileWaitingForTheOwner() throws InterruptedException {
        RWMutex rw = biasedToMe();
        rw.rLock();
        AtomicBoolean flagKept = new AtomicBoolean();
        Thread writer = TestThreads.startPlatform(() -> {
            rw.lock();
            flagKept.set(Thread.currentThread().isInterrupted());
            rw.unlock();
        });
        awaitParked(writer);
        writer.interrupt();
        awaitParked(writer);
        assertTrue(writer.isAlive());
        rw.rUnlock();
        writer.join();
        assertTrue(flagKept.get());
        assertUsable(rw);
    }

    // When the owner has died, the next writer drops the record and the next reader rebiases.
    @Test
    void deadOwnerIsReplaced() throws InterruptedException {
        RWMutex rw = new RWMutex();
        Thread first = TestThreads.startPlatform(() -> {
            rw.rLock();
            rw.rUnlock();
        });
        first.join();
        assertSame(first, rw.biasOwner());
        rw.lock();
        rw.unlock();
        assertNull(rw.biasOwner());
        rw.rLock();
        rw.rUnlock();
        assertSame(Thread.currentThread(), rw.biasOwner());
    }

    // A thread that dies holding a fast-path read lock leaves it held (as in Go), until
    // another thread releases it on its behalf.
    @Test
    void deadOwnersHoldStaysHeld() throws InterruptedException {
        RWMutex rw = new RWMutex();
        Thread first = TestThreads.startPlatform(() -> {
            rw.rLock();
            rw.rUnlock();
            rw.rLock();         // fast path, never released by this thread
        });
        first.join();
        assertEquals(1, rw.readerCount());
        assertFalse(rw.tryLock());
        assertSame(first, rw.biasOwner());
        rw.rUnlock();           // on its behalf
        assertTrue(rw.tryLock());
        rw.unlock();
        assertNull(rw.biasOwner());
        assertUsable(rw);
    }

    // A stray rUnlock (no read lock of its own to release) races the owner's first rLock
    // after a release on its behalf, while a writer holds the lock. It is refused with Go's
    // message or, when it lands in the owner's back-out from the revoked fast path, absorbed
    // unreported; either way the count stays exact: afterwards the owner's read lock is
    // counted, its rUnlock succeeds, the lock is free, and the owner's next read lock keeps
    // writers out. (A two-word count, holds - proxied, ended at -1 here and leaked the owner's
    // shared read lock.)
    @Test
    void strayRUnlockRacingTheOwnersRLockKeepsTheCountExact() throws InterruptedException {
        int rounds = 50_000;
        StrayRounds stray = new StrayRounds();
        Thread helper = TestThreads.startPlatform(stray::run);
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        int refused = 0;
        try {
            for (int i = 1; i <= rounds; i++) {
                RWMutex rw = biasedToMe();
                rw.rLock();             // fast path
                stray.rw = rw;
                stray.started = i;      // volatile: publishes rw
                for (int k = 0; stray.locked != i && stray.finished != i; k++) {
                    backOff(k);
                }
                spin(rnd.nextInt(StrayRounds.SPREAD));
                rw.rLock();             // the fast path backs out: waits for the writer
                for (int k = 0; stray.finished != i; k++) {
                    backOff(k);
                }
                try {
                    if (stray.failure != null) {
                        throw new AssertionError(stray.failure);
                    }
                    if (stray.message != null) {
                        assertEquals(RUNLOCK, stray.message);
                        refused++;
                    }
                    assertEquals(1, rw.readerCount(), "owner's read lock not counted");
                    assertFalse(rw.tryLock(), "writer entered while the owner reads");
                    rw.rUnlock();
                    assertEquals(0, rw.readerCount());
                    assertTrue(rw.tryLock(), "lock not free after the owner's rUnlock");
                    rw.unlock();
                    rw.rLock();
                    assertFalse(rw.tryLock(), "writer entered while the owner reads");
                    rw.rUnlock();
                    assertEquals(RUNLOCK,
                            assertThrows(IllegalStateException.class, rw::rUnlock).getMessage());
                    assertUsable(rw);
                } catch (AssertionError e) {
                    throw new AssertionError("round " + i + ": " + e.getMessage(), e);
                }
            }
        } finally {
            stray.started = -1;
            helper.join();
        }
        assertTrue(refused > 0, "no stray rUnlock was refused");
    }

    /**
     * The other side of {@link #strayRUnlockRacingTheOwnersRLockKeepsTheCountExact}: per round
     * it releases the owner's fast-path hold on its behalf, takes the write lock, issues the
     * stray rUnlock (recording Go's message if refused), and unlocks.
     */
    private static final class StrayRounds {
        static final int SPREAD = 32;
        volatile RWMutex rw;
        volatile int started;
        volatile int locked;
        volatile int finished;
        volatile String message;
        volatile Throwable failure;

        void run() {
            ThreadLocalRandom rnd = ThreadLocalRandom.current();
            for (int i = 1;; i++) {
                int s;
                for (int k = 0; (s = started) != i && s != -1; k++) {
                    backOff(k);
                }
                if (s == -1) {
                    return;
                }
                RWMutex m = rw;
                try {
                    m.rUnlock();        // a legitimate release of the owner's fast-path hold
                    m.lock();
                    locked = i;
                    spin(rnd.nextInt(SPREAD));
                    String msg = null;
                    try {
                        m.rUnlock();    // stray: the writer holds the lock, no reader does
                    } catch (IllegalStateException e) {
                        msg = e.getMessage();
                    }
                    message = msg;
                    m.unlock();
                } catch (Throwable t) {
                    failure = t;
                }
                finished = i;           // volatile: publishes message and failure
            }
        }
    }

    /** Spins, then yields: on a loaded machine the other side may not be running. */
    private static void backOff(int k) {
        if (k < 1_000) {
            Thread.onSpinWait();
        } else {
            Thread.yield();
        }
    }

    private static void spin(int n) {
        for (int k = 0; k < n; k++) {
            Thread.onSpinWait();
        }
    }

    // Readers on both paths and writers: exact mutual exclusion, many rounds.
    @Test
    void ownerSharedReadersAndWritersExclude() throws InterruptedException {
        RWMutex rw = biasedToMe();
        AtomicInteger readers = new AtomicInteger();
        AtomicInteger writers = new AtomicInteger();
        AtomicBoolean broken = new AtomicBoolean();
        int rounds = 20_000;
        Runnable read = () -> {
            rw.rLock();
            readers.incrementAndGet();
            if (writers.get() != 0) {
                broken.set(true);
            }
            readers.decrementAndGet();
            rw.rUnlock();
        };
        Thread writer = TestThreads.startPlatform(() -> {
            for (int i = 0; i < rounds / 10; i++) {
                rw.lock();
                writers.incrementAndGet();
                if (readers.get() != 0 || writers.get() != 1) {
                    broken.set(true);
                }
                writers.decrementAndGet();
                rw.unlock();
            }
        });
        Thread shared = TestThreads.startPlatform(() -> {
            for (int i = 0; i < rounds; i++) {
                read.run();
            }
        });
        for (int i = 0; i < rounds; i++) {
            read.run();         // the owner: mostly the fast path
        }
        writer.join();
        shared.join();
        assertFalse(broken.get());
        assertSame(Thread.currentThread(), rw.biasOwner());
        assertUsable(rw);
    }
}
