package dev.gosync;

import static dev.gosync.MutexTest.awaitParked;
import static dev.gosync.MutexTest.joinAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Lock;
import org.junit.jupiter.api.Test;

class RWMutexTest {

    // Several readers hold the lock at the same time.
    @Test
    void readersShareTheLock() throws InterruptedException {
        RWMutex rw = new RWMutex();
        int n = 4;
        CountDownLatch allIn = new CountDownLatch(n);
        CountDownLatch release = new CountDownLatch(1);
        List<Thread> ts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ts.add(TestThreads.startPlatform(() -> {
                rw.rLock();
                allIn.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                rw.rUnlock();
            }));
        }
        allIn.await();      // would hang if readers excluded each other
        assertEquals(n, rw.readerCount());
        assertFalse(rw.tryLock());
        release.countDown();
        joinAll(ts);
        assertEquals(0, rw.readerCount());
        assertTrue(rw.tryLock());
        rw.unlock();
    }

    // Readers and writers exclude each other; writers exclude writers.
    @Test
    void readersAndWritersExclude() throws InterruptedException {
        RWMutex rw = new RWMutex();
        AtomicInteger readers = new AtomicInteger();
        AtomicInteger writers = new AtomicInteger();
        AtomicReference<String> failure = new AtomicReference<>();
        long[] plain = {0};
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < 6; t++) {
            int id = t;
            ts.add(TestThreads.startPlatform(() -> {
                for (int i = 0; i < 20_000; i++) {
                    if ((i + id) % 10 == 0) {
                        rw.lock();
                        if (writers.incrementAndGet() != 1 || readers.get() != 0) {
                            failure.set("writer not alone");
                        }
                        plain[0]++;
                        writers.decrementAndGet();
                        rw.unlock();
                    } else {
                        rw.rLock();
                        readers.incrementAndGet();
                        if (writers.get() != 0) {
                            failure.set("reader beside a writer");
                        }
                        readers.decrementAndGet();
                        rw.rUnlock();
                    }
                }
            }));
        }
        joinAll(ts);
        assertEquals(null, failure.get());
        assertEquals(6 * 2_000, plain[0]);
        assertFalse(rw.isWriteLocked());
        assertEquals(0, rw.readerCount());
    }

    // Once a writer waits, new readers block and tryRLock fails; the reader already inside
    // can still leave, which lets the writer in; the queued reader enters after the writer.
    @Test
    void waitingWriterHoldsOffNewReaders() throws InterruptedException {
        RWMutex rw = new RWMutex();
        rw.rLock();     // R1, held by this thread
        CountDownLatch writerIn = new CountDownLatch(1);
        CountDownLatch writerGo = new CountDownLatch(1);
        Thread writer = TestThreads.startPlatform(() -> {
            rw.lock();
            writerIn.countDown();
            try {
                writerGo.await();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            rw.unlock();
        });
        awaitParked(writer);
        assertTrue(rw.isWriteLocked(), "writer should be pending");
        assertFalse(rw.tryRLock(), "tryRLock must fail while a writer waits");
        AtomicBoolean readerIn = new AtomicBoolean();
        Thread reader = TestThreads.startPlatform(() -> {
            rw.rLock();
            readerIn.set(true);
            rw.rUnlock();
        });
        awaitParked(reader);
        assertFalse(readerIn.get());
        rw.rUnlock();   // R1 leaves although a writer waits
        writerIn.await();
        assertFalse(readerIn.get(), "reader entered beside the writer");
        writerGo.countDown();
        writer.join();
        reader.join();
        assertTrue(readerIn.get());
        assertEquals(0, rw.readerCount());
        assertFalse(rw.isWriteLocked());
    }

    // A stream of overlapping readers cannot keep a writer out (writer preference): without
    // it, three readers that each hold the lock most of the time would shut the writer out.
    @Test
    void readerStreamCannotStarveAWriter() throws InterruptedException {
        RWMutex rw = new RWMutex();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> ts = new ArrayList<>();
        CountDownLatch reading = new CountDownLatch(3);
        for (int i = 0; i < 3; i++) {
            ts.add(TestThreads.startPlatform(() -> {
                boolean first = true;
                while (!stop.get()) {
                    rw.rLock();
                    if (first) {
                        reading.countDown();
                        first = false;
                    }
                    for (int k = 0; k < 200; k++) {
                        Thread.onSpinWait();
                    }
                    rw.rUnlock();
                }
            }));
        }
        reading.await();
        for (int i = 0; i < 50; i++) {
            rw.lock();      // would hang (test time-out) if readers could starve the writer
            rw.unlock();
        }
        stop.set(true);
        joinAll(ts);
        assertEquals(0, rw.readerCount());
    }

    // Not owned: another thread may unlock or rUnlock.
    @Test
    void crossThreadUnlocks() throws InterruptedException {
        RWMutex rw = new RWMutex();
        rw.lock();
        Thread t = TestThreads.startPlatform(rw::unlock);
        t.join();
        assertFalse(rw.isWriteLocked());
        rw.rLock();
        t = TestThreads.startPlatform(rw::rUnlock);
        t.join();
        assertEquals(0, rw.readerCount());
        Locker rl = rw.rLocker();   // Go's TestRLocker shape
        rl.lock();
        t = TestThreads.startPlatform(rl::unlock);
        t.join();
        assertTrue(rw.tryLock());
        rw.unlock();
    }

    // Guards are cached; rLocker is the readLock view; views map to the right operations.
    @Test
    void guardsAndViews() throws InterruptedException {
        RWMutex rw = new RWMutex();
        Locker.Held r1;
        try (Locker.Held h = rw.rLocked()) {
            r1 = h;
            assertEquals(1, rw.readerCount());
        }
        try (Locker.Held h = rw.rLocked()) {
            assertSame(r1, h);
        }
        Locker.Held w1;
        try (Locker.Held h = rw.locked()) {
            w1 = h;
            assertTrue(rw.isWriteLocked());
        }
        try (Locker.Held h = rw.locked()) {
            assertSame(w1, h);
        }
        assertSame(rw.rLocker(), rw.readLock());
        Lock read = rw.readLock();
        Lock write = rw.writeLock();
        assertTrue(read.tryLock());
        assertTrue(read.tryLock(1, TimeUnit.MILLISECONDS));
        assertEquals(2, rw.readerCount());
        assertFalse(write.tryLock());
        assertFalse(write.tryLock(1, TimeUnit.MILLISECONDS));
        read.unlock();
        read.unlock();
        assertTrue(write.tryLock(1, TimeUnit.MILLISECONDS));
        assertFalse(read.tryLock());
        write.unlock();
        read.lockInterruptibly();
        read.unlock();
        write.lockInterruptibly();
        write.unlock();
        try (Locker.Held h = ((Locker) read).locked()) {
            assertEquals(1, rw.readerCount());
        }
        assertTrue(read.newCondition() instanceof Cond);
        assertTrue(write.newCondition() instanceof Cond);
        assertEquals(0, rw.readerCount());
        assertFalse(rw.isWriteLocked());
    }

    // A writer that times out while readers drain withdraws: readers queued behind it enter.
    @Test
    void timedWriterWithdrawsAndAdmitsQueuedReaders() throws InterruptedException {
        RWMutex rw = new RWMutex();
        rw.rLock();
        AtomicBoolean got = new AtomicBoolean(true);
        CountDownLatch writerWaiting = new CountDownLatch(1);
        Thread writer = TestThreads.startPlatform(() -> {
            try {
                writerWaiting.countDown();
                got.set(rw.tryLock(Duration.ofMillis(50)));
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        writerWaiting.await();
        while (!rw.isWriteLocked() && writer.isAlive()) {
            Thread.onSpinWait();
        }
        Thread reader = TestThreads.startPlatform(() -> {
            rw.rLock();     // queues behind the pending writer, admitted when it withdraws
            rw.rUnlock();
        });
        writer.join();
        reader.join();
        assertFalse(got.get());
        assertFalse(rw.isWriteLocked());
        assertEquals(1, rw.readerCount());
        rw.rUnlock();
        assertTrue(rw.tryLock());
        rw.unlock();
    }

    // An interrupted writer withdraws the same way.
    @Test
    void interruptedWriterWithdraws() throws InterruptedException {
        RWMutex rw = new RWMutex();
        rw.rLock();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread writer = TestThreads.startPlatform(() -> {
            try {
                rw.lockInterruptibly();
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        while (!rw.isWriteLocked()) {
            Thread.onSpinWait();
        }
        awaitParked(writer);
        writer.interrupt();
        writer.join();
        assertTrue(thrown.get() instanceof InterruptedException);
        assertFalse(rw.isWriteLocked());
        assertTrue(rw.tryRLock());
        rw.rUnlock();
        rw.rUnlock();
        rw.lock();
        rw.unlock();
    }

    // Timed and interruptible readers give up cleanly while a writer holds the lock.
    @Test
    void timedAndInterruptibleReadersGiveUpCleanly() throws InterruptedException {
        RWMutex rw = new RWMutex();
        rw.lock();
        assertFalse(rw.tryRLock(Duration.ofMillis(10)));
        assertFalse(rw.tryRLock(Duration.ZERO));
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread reader = TestThreads.startPlatform(() -> {
            try {
                rw.rLockInterruptibly();
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        awaitParked(reader);
        reader.interrupt();
        reader.join();
        assertTrue(thrown.get() instanceof InterruptedException);
        rw.unlock();
        assertEquals(0, rw.readerCount());
        assertTrue(rw.tryRLock(Duration.ofMillis(10)));
        rw.rUnlock();
        assertEquals(0, rw.readerCount());
    }

    // Writers and readers of every kind, with give-ups, keep exact counts and a clean state.
    @Test
    void mixedCancellableUseStaysConsistent() throws InterruptedException {
        RWMutex rw = new RWMutex();
        long[] writes = {0};
        AtomicInteger expected = new AtomicInteger();
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int id = t;
            ts.add(TestThreads.startPlatform(() -> {
                try {
                    for (int i = 0; i < 1500; i++) {
                        switch ((i + id) % 6) {
                            case 0:
                                rw.lock();
                                writes[0]++;
                                expected.incrementAndGet();
                                rw.unlock();
                                break;
                            case 1:
                                if (rw.tryLock(Duration.ofNanos(20_000))) {
                                    writes[0]++;
                                    expected.incrementAndGet();
                                    rw.unlock();
                                }
                                break;
                            case 2:
                                if (rw.tryRLock(Duration.ofNanos(20_000))) {
                                    rw.rUnlock();
                                }
                                break;
                            case 3:
                                rw.rLockInterruptibly();
                                rw.rUnlock();
                                break;
                            default:
                                rw.rLock();
                                Thread.onSpinWait();
                                rw.rUnlock();
                                break;
                        }
                    }
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }));
        }
        joinAll(ts);
        assertEquals(expected.get(), writes[0]);
        assertFalse(rw.isWriteLocked(), rw.toString());
        assertEquals(0, rw.readerCount(), rw.toString());
        assertTrue(rw.tryLock());
        rw.unlock();
    }

    // 10,000 virtual threads, mixed readers and writers, exact counts.
    @Test
    void tenThousandVirtualThreads() throws InterruptedException {
        assumeTrue(TestThreads.virtualAvailable(), "virtual threads need JDK 21+");
        RWMutex rw = new RWMutex();
        long[] counter = {0};
        AtomicInteger reads = new AtomicInteger();
        int n = 10_000;
        List<Thread> ts = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            boolean writer = i % 10 == 0;
            ts.add(TestThreads.startVirtual(() -> {
                for (int j = 0; j < 5; j++) {
                    if (writer) {
                        try (Locker.Held h = rw.locked()) {
                            counter[0]++;
                        }
                    } else {
                        try (Locker.Held h = rw.rLocked()) {
                            reads.incrementAndGet();
                        }
                    }
                }
            }));
        }
        joinAll(ts);
        assertEquals(1000L * 5, counter[0]);
        assertEquals(9000 * 5, reads.get());
        assertEquals(0, rw.readerCount());
        assertFalse(rw.isWriteLocked());
    }

    @Test
    void nullArgumentsAreNamed() {
        RWMutex rw = new RWMutex();
        assertEquals("timeout",
                assertThrows(NullPointerException.class, () -> rw.tryLock(null)).getMessage());
        assertEquals("timeout",
                assertThrows(NullPointerException.class, () -> rw.tryRLock(null)).getMessage());
        assertEquals("unit", assertThrows(NullPointerException.class,
                () -> rw.readLock().tryLock(1, null)).getMessage());
        assertEquals("unit", assertThrows(NullPointerException.class,
                () -> rw.writeLock().tryLock(1, null)).getMessage());
    }
}
