package dev.gosync.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * White-box tests of the reader bias record: a stray {@code releaseByProxy()} (Go's RUnlock
 * from another goroutine with no read lock to release) races each step of the owner, round
 * after round, and the record's hold count must stay exact whatever the stray did.
 */
class ReaderBiasTest {
    static final int ROUNDS = 20_000;
    /** The racing sides start up to this many spin-waits apart, to cover the offsets. */
    static final int SPREAD = 32;

    /** One round's outcome, checked on the owner thread after both sides have moved. */
    interface Check {
        void check(ReaderBias b, boolean ownerResult, boolean strayAccepted);
    }

    /**
     * Runs {@code rounds} rounds on the calling thread (the owner) against a stray thread. In
     * each round the owner prepares a new record with {@code setup}, then both start at once:
     * the owner runs {@code move}, the stray calls {@code releaseByProxy()}; then
     * {@code check} runs. Returns the number of rounds in which the stray was accepted.
     */
    static int race(Consumer<ReaderBias> setup, Predicate<ReaderBias> move, Check check)
            throws InterruptedException {
        return race(setup, move, check, false);
    }

    /** As above; with {@code thenEnable}, the stray then re-enables the record (a writer leaving). */
    static int race(Consumer<ReaderBias> setup, Predicate<ReaderBias> move, Check check,
            boolean thenEnable) throws InterruptedException {
        Race race = new Race();
        race.thenEnable = thenEnable;
        Thread stray = new Thread(race::stray, "stray");
        stray.setDaemon(true);
        stray.start();
        int accepted = 0;
        try {
            ThreadLocalRandom rnd = ThreadLocalRandom.current();
            for (int i = 1; i <= ROUNDS; i++) {
                ReaderBias b = new ReaderBias(Thread.currentThread());
                setup.accept(b);
                race.record = b;
                race.started = i;           // volatile: publishes record
                spin(rnd.nextInt(SPREAD));
                boolean r = move.test(b);
                for (int k = 0; race.finished != i; k++) {
                    backOff(k);
                }
                boolean s = race.strayResult;
                if (s) {
                    accepted++;
                }
                try {
                    check.check(b, r, s);
                } catch (AssertionError e) {
                    throw new AssertionError("round " + i + ": " + e.getMessage(), e);
                }
            }
        } finally {
            race.started = -1;
            stray.join();
        }
        return accepted;
    }

    private static final class Race {
        volatile ReaderBias record;
        volatile int started;
        volatile int finished;
        volatile boolean strayResult;
        volatile boolean thenEnable;

        void stray() {
            ThreadLocalRandom rnd = ThreadLocalRandom.current();
            for (int i = 1;; i++) {
                int s;
                for (int k = 0; (s = started) != i && s != -1; k++) {
                    backOff(k);
                }
                if (s == -1) {
                    return;
                }
                ReaderBias b = record;
                spin(rnd.nextInt(SPREAD));
                strayResult = b.releaseByProxy();
                if (thenEnable) {
                    b.enable();
                }
                finished = i;               // volatile: publishes strayResult
            }
        }
    }

    /** Spins, then yields: on a loaded machine the other side may not be running. */
    static void backOff(int k) {
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

    /** After the round: the owner, holding nothing, takes a hold a writer must see. */
    static void assertNextHoldIsSeen(ReaderBias b) {
        b.enable();
        assertTrue(b.acquire(), "owner's fast path after enable()");
        b.revoke();                         // as a writer would: it must see the hold
        assertEquals(1, b.holds(), "a writer would enter while the owner reads");
    }

    // The owner's first read lock after one was released on its behalf, while a writer has
    // revoked the record: the owner backs out, and the stray must leave the count at zero
    // (a two-word count, holds - proxied, ended at -1 here).
    @Test
    void strayRacingTheRelockUnderRevocationKeepsHoldsExact() throws InterruptedException {
        race(b -> {
            assertTrue(b.acquire());
            assertTrue(b.releaseByProxy());  // a legitimate release on the owner's behalf
            b.revoke();
        }, ReaderBias::acquire, (b, acquired, stray) -> {
            assertFalse(acquired, "fast path taken while revoked");
            assertEquals(0, b.holds(), "holds not exact; stray accepted: " + stray);
            assertNextHoldIsSeen(b);
        });
    }

    // A writer holds the lock (the record revoked), issues a stray release and leaves: the
    // stray may take the 1 the owner's read lock has written, and the writer's enable() may
    // come before the owner reads revoked. The owner must then not report a hold that holds
    // does not count (a writer could enter while it reads): it takes the shared path instead.
    @Test
    void strayThenEnableRacingTheRelockNeverLeavesAnUncountedHold()
            throws InterruptedException {
        race(b -> {
            assertTrue(b.acquire());
            assertTrue(b.releaseByProxy());
            b.revoke();
        }, ReaderBias::acquire, (b, acquired, stray) -> {
            assertEquals(acquired ? 1 : 0, b.holds(), "fast path reported " + acquired
                    + " but holds disagrees; stray accepted: " + stray);
            if (acquired) {
                assertTrue(b.release());
            }
            assertNextHoldIsSeen(b);
        }, true);
    }

    // The owner's fast path backing out of a revoked record: the stray must leave the count
    // at zero.
    @Test
    void strayRacingTheBackOutKeepsHoldsExact() throws InterruptedException {
        race(ReaderBias::revoke, ReaderBias::acquire, (b, acquired, stray) -> {
            assertFalse(acquired, "fast path taken while revoked");
            assertEquals(0, b.holds(), "holds not exact; stray accepted: " + stray);
            assertNextHoldIsSeen(b);
        });
    }

    // The owner's own release racing a stray release of the same hold (a double RUnlock): at
    // least one of them releases it, and the count ends at zero, not below.
    @Test
    void strayRacingTheOwnersReleaseKeepsHoldsExact() throws InterruptedException {
        race(b -> assertTrue(b.acquire()), ReaderBias::release, (b, released, stray) -> {
            assertTrue(released || stray, "the hold was released by no one");
            assertEquals(0, b.holds(), "holds not exact; stray accepted: " + stray);
            assertNextHoldIsSeen(b);
        });
    }

    // Without a writer, a stray overlapping the owner's read lock after a proxy release either
    // is refused (the owner then holds), or releases that new hold (it may be ordered after
    // the read lock it overlaps), or takes the 1 the read lock wrote before it was complete
    // (the fast path then refuses, for the shared path to take the lock): never two of these,
    // never none, and the fast path never reports a hold that holds does not count.
    @Test
    void strayRacingTheRelockIsRefusedOrTakesTheNewHold() throws InterruptedException {
        race(b -> {
            assertTrue(b.acquire());
            assertTrue(b.releaseByProxy());
        }, ReaderBias::acquire, (b, acquired, stray) -> {
            if (!acquired) {
                assertTrue(stray, "fast path refused without a writer or a stray");
                assertEquals(0, b.holds());
                assertFalse(b.release(), "the owner holds nothing to release");
                assertNextHoldIsSeen(b);
                return;
            }
            assertEquals(stray ? 0 : 1, b.holds(), "stray accepted: " + stray);
            assertEquals(!stray, b.release(), "owner's release; stray accepted: " + stray);
            assertEquals(0, b.holds());
            assertNextHoldIsSeen(b);
        });
    }
}
