package dev.gosync.diag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gosync.ForkedJvm;
import dev.gosync.Mutex;
import dev.gosync.RWMutex;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Hold-time histograms: off in this JVM (nothing recorded), and on in a forked one
 * (HoldTimesProbe), alone and together with the lock-order checker, whose hooks share the
 * same slow-path detour.
 */
class HoldTimesTest {
    @ParameterizedTest
    @ValueSource(strings = {"-Ddev.gosync.lockorder=off", "-Ddev.gosync.lockorder=warn"})
    void everyHoldOfANamedLockIsRecorded(String lockOrder) throws Exception {
        ForkedJvm.Result r = ForkedJvm.run(HoldTimesProbe.class,
                List.of("-Ddev.gosync.holdtimes=on", lockOrder, "-ea"), List.of(),
                Mutex.class, dev.gosync.atomic.AtomicInt32.class);
        assertEquals(0, r.exitCode(), r.output());
        List<String> facts = r.output().lines().filter(l -> l.startsWith("FACT "))
                .map(l -> l.substring(5)).toList();
        assertEquals(List.of(
                "on true",
                "m count 1 long true",              // the 20 ms hold, measured
                "inside 5",                         // a hold counts when it ends
                "m count 6",                        // five more entry points
                "misuse sync: unlock of unlocked mutex 6",
                "foreign 7",                        // unlocked by another thread: still a hold
                "names [m]",                        // unnamed locks are not recorded
                "rw 2 read 4",                      // nested read holds count each
                "rw foreign read 4",                // a read hold released by another thread
                "rw misuse 4",
                "concurrent 20000 20000",           // 4 threads x 5000: none lost
                "reset 0",
                "after reset {m=1}"), facts, r.output());
    }

    // Off (the default): holds are not recorded, and nothing says they are.
    @Test
    void offRecordsNothing() {
        assertFalse(ContentionProfile.holdTimesOn());
        Mutex m = new Mutex("off-mutex");
        m.lock();
        m.unlock();
        RWMutex rw = new RWMutex("off-rw");
        rw.rLock();
        rw.rUnlock();
        rw.lock();
        rw.unlock();
        assertTrue(ContentionProfile.holdTimes().isEmpty(), ContentionProfile.holdTimes()::toString);
    }
}
