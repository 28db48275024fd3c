package dev.gosync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Starvation mode's promise, checked where it is easiest to break: once a waiter has set
 * STARVING, every waiter queued at that moment gets the mutex before any arrival, and the
 * waiter that set it is not overtaken by a younger one. Real threads; the windows are driven
 * by observing the state (isStarving, Thread.State), not by sleeps. The only waits on the
 * clock are the ones Go's rule itself needs: a waiter must have slept over 1 ms to starve.
 */
class MutexFairnessTest {

    /** Over Go's 1 ms starvation threshold, so a woken waiter starts starvation mode. */
    static final long STARVED_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    /** Lets at least {@code nanos} pass; set-up only (a precondition of Go's rule, not order). */
    static void letTimePass(long nanos) {
        long t0 = System.nanoTime();
        while (System.nanoTime() - t0 < nanos) {
            Thread.onSpinWait();
        }
    }

    /** A thread that locks, records its turn, and unlocks. */
    static final class Party {
        final AtomicInteger turn = new AtomicInteger();     // 0 until it got the mutex
        final Thread thread;

        Party(Mutex mu, AtomicInteger turns) {
            thread = TestThreads.startPlatform(() -> {
                mu.lock();
                turn.set(turns.incrementAndGet());
                mu.unlock();
            });
        }

        boolean served() {
            return turn.get() != 0;
        }
    }

    /**
     * With the calling thread holding {@code mu} and {@code s} parked for over 1 ms: unlocks
     * (which wakes s) and locks again at once, ahead of s, so that s loses the race as a
     * starving waiter and sets STARVING. Returns false (nothing to test this round) if s won
     * the race instead; the caller holds the mutex in both cases.
     */
    static boolean bargeAheadOf(Mutex mu, Party s) {
        mu.unlock();
        while (!mu.tryLock()) {
            Thread.onSpinWait();
        }
        return !s.served();
    }

    // A waiter that gives up while a hand-off is pending and absorbs it must not end
    // starvation mode while other waiters remain: S (which set STARVING) and B, queued behind
    // it, both get the mutex before any arrival. W plays the giving-up waiter: in starvation
    // mode each tryLock(1 ns) registers, times out at once and leaves, so one of its leaves
    // lands in the window between unlock()'s hand-off and S's claim of it. The main thread
    // plays the barging arrival.
    @Test
    @Timeout(60)
    void giveUpThatAbsorbsAHandOffKeepsStarvationMode() throws InterruptedException {
        int rounds = 0;
        for (int tries = 0; rounds < 20; tries++) {
            assertTrue(tries < 1000, "could not set up starvation mode");
            Mutex mu = new Mutex();
            AtomicInteger turns = new AtomicInteger();
            mu.lock();
            Party s = new Party(mu, turns);
            MutexTest.awaitParked(s.thread);
            letTimePass(STARVED_NANOS);
            if (!bargeAheadOf(mu, s)) {
                mu.unlock();
                s.thread.join();
                continue;
            }
            while (!mu.isStarving()) {
                Thread.onSpinWait();
            }
            MutexTest.awaitParked(s.thread);
            Party b = new Party(mu, turns);       // queues behind S (starvation mode)
            MutexTest.awaitParked(b.thread);
            letTimePass(STARVED_NANOS);
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong attempts = new AtomicLong();
            AtomicInteger earlyW = new AtomicInteger();
            Thread w = TestThreads.startPlatform(() -> {
                while (!stop.get()) {
                    attempts.incrementAndGet();
                    try {
                        if (mu.tryLock(1, TimeUnit.NANOSECONDS)) {
                            if (!s.served() || !b.served()) {
                                earlyW.incrementAndGet();
                            }
                            mu.unlock();
                        }
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                }
            });
            while (attempts.get() < 100) {
                Thread.onSpinWait();
            }
            mu.unlock();                            // hands off to S, while W keeps leaving
            int earlyMain = 0;
            while (!s.served() || !b.served()) {
                if (mu.tryLock()) {                 // an arrival: must fail until S and B ran
                    if (!s.served() || !b.served()) {
                        earlyMain++;
                    }
                    mu.unlock();
                }
                Thread.onSpinWait();
            }
            stop.set(true);
            w.join();
            s.thread.join();
            b.thread.join();
            assertEquals(0, earlyMain, "round " + rounds + ": an arrival barged ahead of "
                    + "starving waiters (starvation mode was left early)");
            assertEquals(0, earlyW.get(), "round " + rounds + ": a giving-up waiter took the "
                    + "hand-off meant for the head waiter");
            assertFalse(mu.isLocked(), mu.toString());
            assertEquals(0, mu.waiterCount(), mu.toString());
            rounds++;
        }
    }

    // The waiter that sets STARVING is the next to get the mutex: the hand-off unlock()
    // starts as soon as STARVING is visible goes to it, not to B, a younger waiter queued
    // behind it. S sets STARVING as it loses a race (woken, but the main thread barged in)
    // and then goes back to sleep; the main thread unlocks the moment it sees STARVING,
    // which lands its hand-off between S's publication and S's return to the queue.
    @Test
    @Timeout(60)
    void waiterThatSetsStarvingIsNotOvertaken() throws InterruptedException {
        int rounds = 0;
        int overtaken = 0;
        for (int tries = 0; rounds < 300; tries++) {
            assertTrue(tries < 3000, "could not set up starvation mode");
            Mutex mu = new Mutex();
            AtomicInteger turns = new AtomicInteger();
            mu.lock();
            Party s = new Party(mu, turns);
            MutexTest.awaitParked(s.thread);
            Party b = new Party(mu, turns);       // younger: queued behind S
            MutexTest.awaitParked(b.thread);
            letTimePass(STARVED_NANOS);
            if (!bargeAheadOf(mu, s)) {
                mu.unlock();
                s.thread.join();
                b.thread.join();
                continue;
            }
            while (!mu.isStarving()) {
                Thread.onSpinWait();
            }
            mu.unlock();                            // hand-off: must reach S
            s.thread.join();
            b.thread.join();
            if (b.turn.get() < s.turn.get()) {
                overtaken++;
            }
            assertFalse(mu.isLocked(), mu.toString());
            assertEquals(0, mu.waiterCount(), mu.toString());
            rounds++;
        }
        assertEquals(0, overtaken, "in " + overtaken + " of " + rounds + " rounds the waiter "
                + "that set STARVING was overtaken by a younger waiter");
    }
}
