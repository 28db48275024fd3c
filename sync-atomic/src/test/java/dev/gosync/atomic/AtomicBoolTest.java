package dev.gosync.atomic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AtomicBoolTest {
    // Go's zero value is false and ready to use.
    @Test
    void zeroValueIsFalse() {
        assertFalse(new AtomicBool().load());
        assertTrue(new AtomicBool(true).load());
    }

    // store then load round-trips both values.
    @Test
    void storeThenLoad() {
        AtomicBool b = new AtomicBool();
        b.store(true);
        assertTrue(b.load());
        b.store(false);
        assertFalse(b.load());
    }

    // swap returns the old value and stores the new one.
    @Test
    void swapReturnsOld() {
        AtomicBool b = new AtomicBool();
        assertFalse(b.swap(true));
        assertTrue(b.swap(true));
        assertTrue(b.swap(false));
        assertFalse(b.load());
    }

    // compareAndSwap succeeds only from the expected value, for all four combinations.
    @Test
    void compareAndSwapOnlyFromExpected() {
        AtomicBool b = new AtomicBool();
        assertFalse(b.compareAndSwap(true, false));
        assertFalse(b.load());
        assertTrue(b.compareAndSwap(false, false));
        assertTrue(b.compareAndSwap(false, true));
        assertTrue(b.load());
        assertFalse(b.compareAndSwap(false, true));
        assertTrue(b.compareAndSwap(true, true));
        assertTrue(b.compareAndSwap(true, false));
        assertFalse(b.load());
    }

    // toString prints the current value.
    @Test
    void toStringPrintsValue() {
        assertEquals("false", new AtomicBool().toString());
        assertEquals("true", new AtomicBool(true).toString());
    }

    // Threads racing to flip false->true: per round, exactly one wins.
    @Test
    void exactlyOneCasWinnerPerRound() throws InterruptedException {
        int rounds = 2_000;
        AtomicBool[] flags = new AtomicBool[rounds];
        for (int i = 0; i < rounds; i++) {
            flags[i] = new AtomicBool();
        }
        AtomicInteger wins = new AtomicInteger();
        Hammer.run(Hammer.THREADS, t -> {
            for (AtomicBool f : flags) {
                if (f.compareAndSwap(false, true)) {
                    wins.incrementAndGet();
                }
            }
        });
        assertEquals(rounds, wins.get());
    }
}
