package dev.gosync;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Run by MutexOomTest in a forked JVM with a small heap on the plain class path: a thread
 * fills the heap (its own TLAB included) and then calls {@code lock()} on a mutex the main
 * thread holds, so the slow path's first allocation, its Waiter, fails. That allocation must
 * come before any CAS, so afterwards the mutex shows no trace of the failed call: no
 * registered waiter, not starving, and after the main thread's unlock it is free and usable.
 * With {@code virtual} (JDK 21+) the contender is a virtual thread.
 *
 * <p>Prints one line per attempt, {@code attempt <kind> oom=<error> waiters=<n>
 * starving=<b> usable=<b> waitersNow=<n>}, and exits 0 if every attempt threw and left the
 * mutex clean, 1 otherwise.
 */
public final class MutexOomProbe {
    /** Filler slots: more than the pieces (halving from 1 MiB to 16 bytes) a small heap takes. */
    private static final int SLOTS = 1 << 20;

    private static volatile Object[] filler;
    private static volatile int waitersAfter;
    private static volatile boolean starvingAfter;
    private static volatile Throwable thrown;
    private static final AtomicInteger finished = new AtomicInteger();

    private MutexOomProbe() {
    }

    /**
     * Runs the probe.
     *
     * @param args {@code platform} or {@code virtual}
     */
    public static void main(String[] args) {
        boolean virtual = args.length > 0 && args[0].equals("virtual");
        if (virtual && !TestThreads.virtualAvailable()) {
            System.out.println("no virtual threads on this JDK");
            return;
        }
        warmUp(virtual);
        boolean clean = true;
        for (int round = 0; round < 3; round++) {
            clean &= attempt(virtual);
        }
        System.exit(clean ? 0 : 1);
    }

    /** Loads and runs the slow path once on a thread of the kind tested, heap free. */
    private static void warmUp(boolean virtual) {
        Mutex mu = new Mutex();
        mu.lock();
        Runnable r = () -> {
            mu.lock();
            mu.unlock();
        };
        Thread t = virtual ? TestThreads.startVirtual(r) : TestThreads.startPlatform(r);
        MutexTest.awaitParked(t);
        mu.unlock();
        join(t);
    }

    private static boolean attempt(boolean virtual) {
        Mutex mu = new Mutex();
        mu.lock();
        thrown = null;
        waitersAfter = -1;
        starvingAfter = false;
        int before = finished.get();
        Runnable r = () -> contend(mu);
        Thread t = virtual ? TestThreads.startVirtual(r) : TestThreads.startPlatform(r);
        // Wait without allocating (the heap is full meanwhile): either the contender failed
        // (finished moves) or it parked for good (then our unlock below lets it through).
        while (finished.get() == before && !parked(t)) {
            LockSupport.parkNanos(1_000_000L);
        }
        boolean failed = finished.get() != before;
        filler = null;          // if it parked, free the heap before anything else allocates
        mu.unlock();
        join(t);
        boolean usable = mu.tryLock();
        if (usable) {
            mu.unlock();
        }
        int waitersNow = mu.waiterCount();
        boolean ok = failed && waitersAfter == 0 && !starvingAfter;
        ok &= usable && waitersNow == 0 && !mu.isLocked();
        System.out.println("attempt " + (virtual ? "virtual" : "platform")
                + " oom=" + (failed ? thrown : "none (it parked)") + " waiters=" + waitersAfter + " starving=" + starvingAfter
                + " usable=" + usable + " waitersNow=" + waitersNow + (ok ? "" : " UNCLEAN"));
        return ok;
    }

    /** The contender: fills the heap, then locks. */
    private static void contend(Mutex mu) {
        Object[] f = new Object[SLOTS];
        int n = 0;
        int size = 1 << 20;
        while (size >= 16 && n < SLOTS) {
            try {
                f[n] = new byte[size];
                n++;
            } catch (OutOfMemoryError e) {
                size >>= 1;
            }
        }
        filler = f;
        f = null;               // only the static keeps the filler, so the main thread frees it
        try {
            mu.lock();
            // It parked after all (the heap had room): we hold the mutex now.
            mu.unlock();
        } catch (OutOfMemoryError e) {
            waitersAfter = mu.waiterCount();        // no allocation: read before the heap frees
            starvingAfter = mu.isStarving();
            filler = null;
            thrown = e;
        } finally {
            finished.incrementAndGet();
        }
    }

    private static boolean parked(Thread t) {
        Thread.State s = t.getState();
        return s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING;
    }

    private static void join(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
