package dev.gosync.diag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gosync.ForkedJvm;
import dev.gosync.Mutex;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The lock-order checker, each scenario in a JVM of its own (the mode is a static final read
 * at class initialisation): {@link LockOrderProbe} runs it and prints what the checker did.
 * Every scenario that expects a report is also run with the checker off, where it must report
 * nothing: so each test fails if the checker is disabled.
 */
class LockOrderTest {
    private static ForkedJvm.Result probe(String mode, String scenario) throws Exception {
        ForkedJvm.Result r = ForkedJvm.run(LockOrderProbe.class,
                List.of("-Ddev.gosync.lockorder=" + mode, "-ea"), List.of(scenario),
                Mutex.class, dev.gosync.atomic.AtomicInt32.class);
        assertEquals(0, r.exitCode(), r.output());
        return r;
    }

    private static void assertLine(ForkedJvm.Result r, String line) {
        assertTrue(r.output().lines().anyMatch(line::equals),
                () -> "no line \"" + line + "\" in:\n" + r.output());
    }

    // Each violation is also a JFR event (dev.gosync.LockOrderViolation) for a recording that
    // enables it; with the checker off there is none.
    @Test
    void violationIsAJfrEvent() throws Exception {
        ForkedJvm.Result r = probe("warn", "jfr");
        assertLine(r, "REPORTS 1");
        assertLine(r, "FACT event warn b -> a -> b report=true stack=true");
        ForkedJvm.Result off = probe("off", "jfr");
        assertLine(off, "REPORTS 0");
        assertTrue(off.line("FACT event") == null, off.output());
    }

    // Off: nothing is checked and nothing reported, even for the inversion.
    @Test
    void offReportsNothing() throws Exception {
        ForkedJvm.Result r = probe("off", "inversion");
        assertLine(r, "MODE OFF");
        assertLine(r, "REPORTS 0");
    }

    // Warn: an inversion is reported once, with the cycle and both edges' stacks, and the
    // acquisition proceeds.
    @Test
    void inversionIsReportedOnceInWarnMode() throws Exception {
        ForkedJvm.Result r = probe("warn", "inversion");
        assertLine(r, "MODE WARN");
        assertLine(r, "FACT a locked true");
        assertLine(r, "REPORTS 1");
        assertLine(r, "REPORT gosync lock order: possible deadlock (lock order inversion): lock"
                + " of Mutex \"a\" while holding Mutex \"b\", but the reverse order was seen"
                + " before, so two threads can each hold one and wait for the other");
        String full = r.line("FULL ");
        assertTrue(full.contains("cycle: b -> a -> b"), full);
        assertTrue(full.contains("edge a -> b: first seen on thread \"main\""), full);
        assertTrue(full.contains("at dev.gosync.diag.LockOrderProbe.run(LockOrderProbe.java:"),
                full);
        assertTrue(full.contains("edge b -> a: this acquisition"), full);
    }

    // Throw: the acquiring call throws before it blocks; nothing changed, all still usable.
    @Test
    void inversionThrowsBeforeLockingInThrowMode() throws Exception {
        ForkedJvm.Result r = probe("throw", "inversionThrow");
        assertLine(r, "FACT a locked false, b locked true");
        assertLine(r, "FACT usable true true");
        assertLine(r, "THROWN [b, a, b]");
        assertLine(r, "REPORTS 0");
    }

    // Go's Mutex is not reentrant: a second lock() by the holder is reported instead of hanging.
    @Test
    void recursiveMutexLockThrows() throws Exception {
        ForkedJvm.Result r = probe("throw", "recursiveMutex");
        assertLine(r, "THROWN [m, m]");
        assertLine(r, "MESSAGE gosync lock order: recursive lock of Mutex \"m\": a Mutex is not"
                + " reentrant, so this thread would wait for itself forever");
    }

    // A timed tryLock by the holder waits for itself too, but only until its time-out.
    @Test
    void recursiveTimedTryLockSaysItWaitsUntilTheTimeOut() throws Exception {
        ForkedJvm.Result r = probe("throw", "recursiveTimedMutex");
        assertLine(r, "THROWN [m, m]");
        assertLine(r, "MESSAGE gosync lock order: recursive lock of Mutex \"m\": a Mutex is not"
                + " reentrant, so this thread would wait for itself until its time-out, and"
                + " then fail");
    }

    // Go forbids recursive read locking: a writer queued in between deadlocks both.
    @Test
    void recursiveReadLockIsReported() throws Exception {
        ForkedJvm.Result r = probe("throw", "recursiveRLock");
        assertLine(r, "MESSAGE gosync lock order: recursive read lock of RWMutex \"rw\": if a"
                + " writer calls lock() in between, the writer waits for this thread's first"
                + " read lock and this rLock() waits for the writer (Go forbids recursive read"
                + " locking)");
        assertLine(r, "REPORTS 0");
        assertLine(probe("off", "recursiveRLock"), "REPORTS 0");
    }

    // Read locks order like write locks (a queued writer blocks new readers in Go).
    @Test
    void cycleThroughReadLockIsReported() throws Exception {
        ForkedJvm.Result r = probe("warn", "readWriteCycle");
        assertLine(r, "REPORTS 1");
        assertTrue(r.line("REPORT ").contains("rLock of RWMutex \"ra\" while holding Mutex"
                + " \"mb\""), r.output());
        assertLine(probe("off", "readWriteCycle"), "REPORTS 0");
    }

    // Two unnamed locks from one construction site are one class: nesting them is reported.
    @Test
    void sameClassNestingIsReported() throws Exception {
        ForkedJvm.Result r = probe("warn", "sameClass");
        assertLine(r, "REPORTS 1");
        String first = r.line("REPORT ");
        assertTrue(first.startsWith("REPORT gosync lock order: nested locking of two locks of"
                + " one class \"Mutex@dev.gosync.diag.LockOrderProbe.run(LockOrderProbe.java:"),
                first);
        assertTrue(first.contains("declare its order with LockOrderChecker.rank(lock, rank):"
                + " lower ranks first."), first);
    }

    // Ranks allow increasing nesting within a class and report a decreasing one.
    @Test
    void ranksOrderNestingWithinAClass() throws Exception {
        ForkedJvm.Result r = probe("warn", "ranked");
        assertLine(r, "FACT increasing ranks ok");
        assertLine(r, "REPORTS 1");
        assertTrue(r.line("REPORT ").contains("rank 1 while holding another, Mutex"), r.output());
    }

    // Ranks across classes: the declared order is enforced before any cycle exists.
    @Test
    void ranksAcrossClassesAreEnforcedWithoutACycle() throws Exception {
        ForkedJvm.Result r = probe("throw", "rankAcrossClasses");
        assertLine(r, "MESSAGE gosync lock order: declared lock order violated: lock of Mutex"
                + " \"parent\" rank 1 while holding Mutex \"child\" rank 2 (lower ranks first)");
        assertLine(probe("off", "rankAcrossClasses"), "REPORTS 0");
    }

    // A tryLock in reverse order adds no edge (it cannot wait); a failed one adds nothing; a
    // lock held by try still orders what is blocked for under it.
    @Test
    void tryLockAddsNoEdgeToItself() throws Exception {
        ForkedJvm.Result r = probe("warn", "tryLockNoEdge");
        assertLine(r, "FACT tryLock true");
        assertLine(r, "FACT failed tryLock false");
        assertLine(r, "REPORTS 1");
        assertTrue(r.line("REPORT ").contains("lock of Mutex \"a\" while holding Mutex \"c\""),
                r.output());
    }

    // gosync's locks are not owned: a release by another thread is forgotten by the taker, and
    // yields no false report (a stale hold would close x -> y -> x, rw -> y -> rw, ...).
    @Test
    void releaseByAnotherThreadCausesNoFalseReport() throws Exception {
        ForkedJvm.Result r = probe("throw", "foreignUnlock");
        assertLine(r, "FACT t2 locked a");
        assertLine(r, "FACT a locked false");
        assertLine(r, "FACT done");
        assertLine(r, "REPORTS 0");
    }

    // Weighted acquisitions are ordered like locks; a release by a worker is forgotten.
    @Test
    void weightedAcquisitionsAreOrdered() throws Exception {
        ForkedJvm.Result r = probe("warn", "weighted");
        assertLine(r, "FACT done");
        assertLine(r, "REPORTS 1");
        assertTrue(r.line("REPORT ").contains("acquire of Weighted \"slots\" while holding Mutex"
                + " \"a\""), r.output());
        assertLine(probe("off", "weighted"), "REPORTS 0");
    }

    // Waiting on a Cond or WaitGroup while holding a lock is warned of (once per site).
    @Test
    void waitsWhileHoldingLocksAreWarned() throws Exception {
        ForkedJvm.Result r = probe("throw", "waits");
        assertLine(r, "FACT own L only");
        assertLine(r, "REPORTS 2");
        assertLine(r, "REPORT gosync lock order: Cond.await() while holding a: the thread that"
                + " would signal may need one of those locks first");
        assertLine(r, "REPORT gosync lock order: WaitGroup.await() while holding a: the thread"
                + " that would count down may need one of those locks first");
    }

    // The demo: Discovery with one rare inverted path is reported on its first run.
    @Test
    void invertedDiscoveryIsReportedOnFirstRun() throws Exception {
        ForkedJvm.Result r = probe("warn", "discovery");
        assertLine(r, "FACT lagging [commerce]");
        assertLine(r, "REPORTS 1");
        String full = r.line("FULL ");
        assertTrue(full.contains("cycle: Mutex@dev.gosync.examples.InvertedDiscovery$Keyspace."
                + "<init>(InvertedDiscovery.java:"), full);
        // The parent → child edge was first seen where a keyspace is created; the inversion is
        // the rare lag alert. Both stacks are quoted.
        assertTrue(full.contains("first seen on thread \"main\""), full);
        assertEquals(2, full.split("at dev.gosync.examples.InvertedDiscovery.updateTablet\\(",
                -1).length - 1, full);
        assertLine(probe("off", "discovery"), "REPORTS 0");
    }

    // A bad mode fails the first use of a lock, with the exact message.
    @Test
    void badModeFailsFast() throws Exception {
        ForkedJvm.Result r = ForkedJvm.run(LockOrderProbe.class,
                List.of("-Ddev.gosync.lockorder=loud"), List.of("inversion"), Mutex.class,
                dev.gosync.atomic.AtomicInt32.class);
        assertTrue(r.exitCode() != 0, r.output());
        assertTrue(r.output().contains("java.lang.IllegalArgumentException:"
                + " dev.gosync.lockorder=loud: expected off, warn or throw"), r.output());
    }

    // Misuse of rank(), exact messages (checked in any mode).
    @Test
    void rankMisuseMessages() {
        assertEquals("lock: not a Mutex, RWMutex or Weighted", assertThrows(
                IllegalArgumentException.class, () -> LockOrderChecker.rank(new Object(), 1))
                .getMessage());
        assertEquals("rank = -1 is negative", assertThrows(IllegalArgumentException.class,
                () -> LockOrderChecker.rank(new Mutex(), -1)).getMessage());
        assertEquals("lock", assertThrows(NullPointerException.class,
                () -> LockOrderChecker.rank(null, 1)).getMessage());
        Mutex m = new Mutex();
        assertTrue(LockOrderChecker.rank(m, 3) == m);
    }
}
