package dev.gosync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gosync.semaphore.Weighted;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Named primitives: the name shows in {@code toString()}, and a thread parked on a primitive
 * reports that primitive as its blocker, so a debugger or a dump that prints the blocker shows
 * the name. A null name is rejected; the unnamed constructors keep their old strings.
 */
@Timeout(30)
class NamesTest {

    /** Starts {@code body} on a platform thread and waits until it parks; returns it. */
    private static Thread parkedIn(Runnable body) {
        Thread t = TestThreads.startPlatform(body);
        MutexTest.awaitParked(t);
        return t;
    }

    @Test
    void mutexNameShowsInToStringAndAsTheParkedThreadsBlocker() throws InterruptedException {
        Mutex mu = new Mutex("discovery");
        assertEquals("discovery", mu.name());
        assertEquals("Mutex[discovery, unlocked, waiters=0]", mu.toString());
        mu.lock();
        Thread t = parkedIn(() -> {
            mu.lock();
            mu.unlock();
        });
        Object blocker = LockSupport.getBlocker(t);
        assertSame(mu, blocker);
        assertTrue(blocker.toString().startsWith("Mutex[discovery, locked"), blocker.toString());
        mu.unlock();
        t.join();
    }

    @Test
    void unnamedPrimitivesKeepTheirStrings() {
        Mutex mu = new Mutex();
        assertNull(mu.name());
        assertEquals("Mutex[unlocked, waiters=0]", mu.toString());
        assertNull(new RWMutex().name());
        assertEquals("RWMutex[readers=0]", new RWMutex().toString());
        assertNull(new Weighted(3).name());
        assertEquals("Weighted[held=0/3]", new Weighted(3).toString());
        assertNull(new Cond(mu).name());
        assertTrue(new Cond(mu).toString().startsWith("Cond[waiters=0, "));
    }

    @Test
    void rwMutexNameShowsForReadersAndWriters() throws InterruptedException {
        RWMutex rw = new RWMutex("routes");
        assertEquals("routes", rw.name());
        assertEquals("RWMutex[routes, readers=0]", rw.toString());
        rw.lock();
        Thread reader = parkedIn(() -> {
            rw.rLock();
            rw.rUnlock();
        });
        assertSame(rw, LockSupport.getBlocker(reader));
        Thread writer = parkedIn(() -> {
            rw.lock();
            rw.unlock();
        });
        // A second writer queues on the internal mutex that orders writers; it is named too.
        Object blocker = LockSupport.getBlocker(writer);
        assertTrue(blocker.toString().startsWith("Mutex[routes.writer, locked"),
                String.valueOf(blocker));
        rw.unlock();
        reader.join();
        writer.join();
    }

    @Test
    void weightedNameShowsInToStringAndAsTheParkedThreadsBlocker() throws InterruptedException {
        Weighted sem = new Weighted(2, "db-connections");
        assertEquals("db-connections", sem.name());
        assertEquals("Weighted[db-connections, held=0/2]", sem.toString());
        assertTrue(sem.tryAcquire(2));
        Thread t = parkedIn(() -> {
            sem.acquireUninterruptibly(1);
            sem.release(1);
        });
        assertSame(sem, LockSupport.getBlocker(t));
        assertEquals("Weighted[db-connections, held=2/2, queued]", sem.toString());
        sem.release(2);
        t.join();
    }

    @Test
    void condNameShowsInToStringAndAsTheParkedThreadsBlocker() throws InterruptedException {
        Mutex mu = new Mutex("queue");
        Cond notEmpty = new Cond(mu, "queue-not-empty");
        assertEquals("queue-not-empty", notEmpty.name());
        assertTrue(notEmpty.toString().startsWith("Cond[queue-not-empty, waiters=0, locker="
                + "Mutex[queue"), notEmpty.toString());
        Thread t = parkedIn(() -> {
            mu.lock();
            notEmpty.awaitUninterruptibly();
            mu.unlock();
        });
        assertSame(notEmpty, LockSupport.getBlocker(t));
        notEmpty.signal();
        t.join();
    }

    @Test
    void nullNamesAreRejected() {
        assertEquals("name", assertThrows(NullPointerException.class,
                () -> new Mutex(null)).getMessage());
        assertEquals("name", assertThrows(NullPointerException.class,
                () -> new RWMutex(null)).getMessage());
        assertEquals("name", assertThrows(NullPointerException.class,
                () -> new Weighted(1, null)).getMessage());
        assertEquals("name", assertThrows(NullPointerException.class,
                () -> new Cond(new Mutex(), null)).getMessage());
    }
}
