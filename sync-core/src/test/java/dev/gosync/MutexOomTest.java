package dev.gosync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A Throwable inside Mutex's slow path leaves no trace: no ghost waiter, no stranded queue node,
 * wake-up, WOKEN token or hand-off. Two sources: an OutOfMemoryError at the slow path's first
 * allocation (the heap is filled in a forked JVM, MutexOomProbe, so this JVM's tests are not
 * disturbed), and an error raised inside the wait layer after the thread has queued,
 * registered and been granted its wake-up. The latter is injected without any hook in the
 * main code: the park loop re-asserts an interrupt it kept by calling the waiting thread's
 * {@code interrupt()}, which a Thread subclass can override to throw.
 */
class MutexOomTest {

    // The heap is full when lock() starts waiting: its first allocation (the Waiter, made
    // before any CAS) fails, and the state word shows no registration.
    @Test
    void oomAtTheFirstAllocationLeavesNoWaiter() throws Exception {
        String out = runProbe("platform");
        assertTrue(out.contains("attempt platform oom="), out);
    }

    // The same on a virtual thread (JDK 21+).
    @Test
    void oomAtTheFirstAllocationLeavesNoWaiterOnAVirtualThread() throws Exception {
        assumeTrue(TestThreads.virtualAvailable(), "virtual threads need JDK 21+");
        String out = runProbe("virtual");
        assertTrue(out.contains("attempt virtual oom="), out);
    }

    /** Thrown by {@link FailingReassert}; nobody else throws it. */
    static final class InjectedError extends Error {
        InjectedError() {
            super("injected", null, false, false);
        }
    }

    /**
     * A thread that cannot re-assert its own interrupt status: the park loop, which does so
     * after a grant when it kept an interrupt for an uninterruptible wait, gets an error.
     */
    static final class FailingReassert extends Thread {
        FailingReassert(Runnable task) {
            super(task);
            setDaemon(true);
        }

        @Override
        public void interrupt() {
            if (Thread.currentThread() == this) {
                throw new InjectedError();
            }
            super.interrupt();
        }
    }

    /** Interrupts {@code t}, parked in lock(), and waits until its park loop took note. */
    private static void interruptParked(Thread t) {
        t.interrupt();
        while (t.isInterrupted()) {     // cleared by the park loop, which keeps it for later
            Thread.onSpinWait();
        }
        MutexTest.awaitParked(t);
    }

    private static Thread failingLocker(Mutex mu, AtomicReference<Throwable> failure) {
        Thread t = new FailingReassert(() -> {
            try {
                mu.lock();
                mu.unlock();
                failure.set(new AssertionError("lock() returned"));
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        t.start();
        return t;
    }

    // A woken waiter (normal mode) fails after its grant: its unit, and the WOKEN token the
    // unlocker set for it, are given back, so the next waiter is woken by the next unlock.
    @Test
    @Timeout(30)
    void errorAfterAWakeUpLeavesNoWaiterAndNoToken() throws InterruptedException {
        Mutex mu = new Mutex();
        mu.lock();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = failingLocker(mu, failure);
        MutexTest.awaitParked(t);
        interruptParked(t);
        mu.unlock();                            // wakes t, which then throws
        t.join();
        assertTrue(failure.get() instanceof InjectedError, String.valueOf(failure.get()));
        assertEquals(0, mu.waiterCount(), mu.toString());
        assertFalse(mu.isLocked(), mu.toString());
        // A stranded WOKEN would keep every later unlock from waking anyone.
        mu.lock();
        MutexFairnessTest.Party w = new MutexFairnessTest.Party(mu, new AtomicInteger());
        MutexTest.awaitParked(w.thread);
        mu.unlock();
        w.thread.join();                        // a lost wake-up fails here by time-out
        assertEquals(0, mu.waiterCount(), mu.toString());
        assertTrue(mu.tryLock());
        mu.unlock();
    }

    // In starvation mode the failing waiter is the one handed the mutex: the hand-off must
    // go on to B, queued behind it, instead of dying with it.
    @Test
    @Timeout(30)
    void errorAfterAHandOffPassesTheMutexOn() throws InterruptedException {
        for (int tries = 0; ; tries++) {
            assertTrue(tries < 100, "could not set up starvation mode");
            Mutex mu = new Mutex();
            mu.lock();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread t = failingLocker(mu, failure);
            MutexTest.awaitParked(t);
            MutexFairnessTest.letTimePass(MutexFairnessTest.STARVED_NANOS);
            mu.unlock();                        // wakes t; we lock again ahead of it
            while (!mu.tryLock()) {
                Thread.onSpinWait();
            }
            // t either loses the race and sets STARVING, or won it (its lock() returned before
            // our tryLock, and it records that only after its unlock): then retry.
            while (!mu.isStarving() && failure.get() == null) {
                Thread.onSpinWait();
            }
            if (failure.get() != null) {
                mu.unlock();
                t.join();
                continue;
            }
            MutexTest.awaitParked(t);
            MutexFairnessTest.Party b = new MutexFairnessTest.Party(mu, new AtomicInteger());
            MutexTest.awaitParked(b.thread);
            interruptParked(t);
            mu.unlock();                        // hands off to t, which then throws
            t.join();
            b.thread.join();                    // a hand-off that died with t hangs here
            assertTrue(failure.get() instanceof InjectedError, String.valueOf(failure.get()));
            assertTrue(b.served());
            assertEquals(0, mu.waiterCount(), mu.toString());
            assertFalse(mu.isStarving(), mu.toString());
            assertFalse(mu.isLocked(), mu.toString());
            assertTrue(mu.tryLock());
            mu.unlock();
            return;
        }
    }

    /** Runs MutexOomProbe in a JVM with a small heap; returns its output if it exits 0. */
    private static String runProbe(String kind) throws Exception {
        ForkedJvm.Result r = ForkedJvm.run(MutexOomProbe.class,
                List.of("-Xmx24m", "-XX:+UseSerialGC", "-ea"), List.of(kind), Mutex.class);
        assertEquals(0, r.exitCode(), "probe output: " + r.output());
        return r.output();
    }
}
