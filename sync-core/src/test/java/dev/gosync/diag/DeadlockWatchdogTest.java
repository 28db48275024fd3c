package dev.gosync.diag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gosync.ForkedJvm;
import dev.gosync.Mutex;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The deadlock watchdog, each scenario in a JVM of its own with the lock-order checker on
 * (DeadlockProbe runs it; its threads are virtual on JDK 21+). Every deadlock scenario is also
 * run with its mirror that is not one, so a watchdog that reports everything fails too.
 */
class DeadlockWatchdogTest {
    private static ForkedJvm.Result probe(String scenario, String... options) throws Exception {
        List<String> jvm = new ArrayList<>(List.of("-Ddev.gosync.lockorder=warn", "-ea"));
        jvm.addAll(List.of(options));
        ForkedJvm.Result r = ForkedJvm.run(DeadlockProbe.class, jvm, List.of(scenario),
                Mutex.class, dev.gosync.atomic.AtomicInt32.class);
        assertEquals(0, r.exitCode(), r.output());
        return r;
    }

    private static void assertLine(ForkedJvm.Result r, String line) {
        assertTrue(r.output().lines().anyMatch(line::equals),
                () -> "no line \"" + line + "\" in:\n" + r.output());
    }

    private static void assertContains(ForkedJvm.Result r, String text) {
        assertTrue(r.output().contains(text), () -> "no \"" + text + "\" in:\n" + r.output());
    }

    // Two threads lock two mutexes in opposite orders: one cycle, each thread named with
    // what it waits for, who holds it, what it holds, and its stack.
    @Test
    void inversionIsFound() throws Exception {
        ForkedJvm.Result r = probe("abba");
        assertLine(r, "FOUND 1");
        assertLine(r, "CYCLE t1,t2");
        assertContains(r, "gosync deadlock: 2 threads wait for each other in a cycle");
        assertContains(r, "waits in lock of Mutex \"b\", which is blocked by \"t2");
        assertContains(r, "holding: Mutex \"a\"");
        assertContains(r, "at dev.gosync.Mutex.lock(");
        assertContains(r, "at dev.gosync.diag.DeadlockProbe.lambda$");
    }

    // The running watchdog reports a deadlock once, however many scans see it, and stops.
    @Test
    void watchdogReportsOnceAndStops() throws Exception {
        ForkedJvm.Result r = probe("watchdog");
        assertLine(r, "FACT running true");
        assertLine(r, "FACT reports 1");
        assertLine(r, "FACT first gosync deadlock: 2 threads wait for each other in a cycle,"
                + " parked for good:");
        assertLine(r, "FACT stopped true false");
    }

    // Each reported deadlock is a dev.gosync.Deadlock event for a recording that enables it.
    @Test
    void deadlockIsAJfrEvent() throws Exception {
        ForkedJvm.Result r = probe("jfr");
        assertLine(r, "FACT event dev.gosync.Deadlock [t1, t2] report=true");
    }

    // -Ddev.gosync.watchdog starts it with the checker; reports go to System.err.
    @Test
    void propertyStartsIt() throws Exception {
        ForkedJvm.Result r = probe("property", "-Ddev.gosync.watchdog=20ms");
        assertLine(r, "FACT running true");
        assertContains(r, "gosync deadlock: 2 threads wait for each other in a cycle");
        ForkedJvm.Result none = probe("property");
        assertLine(none, "FACT running false");
        assertTrue(!none.output().contains("gosync deadlock"), none.output());
    }

    // A thread waiting for a lock the cycle holds is stuck too, but it is not in the cycle.
    @Test
    void threadsBehindTheCycleAreListedApart() throws Exception {
        ForkedJvm.Result r = probe("behind");
        assertLine(r, "FOUND 1");
        assertLine(r, "CYCLE t1,t2");
        assertContains(r, "stuck behind the cycle:\\n  thread \"t3");
    }

    // A thread that locks a Mutex it holds waits for itself.
    @Test
    void selfDeadlockIsACycleOfOne() throws Exception {
        ForkedJvm.Result r = probe("self");
        assertLine(r, "FOUND 1");
        assertLine(r, "CYCLE t1");
        assertContains(r, "1 thread waits for itself");
    }

    // Go's forbidden recursive rLock: the writer queued in between waits for the first read
    // lock, and the second rLock waits for the writer.
    @Test
    void recursiveReadLockWithAQueuedWriterIsFound() throws Exception {
        ForkedJvm.Result r = probe("rwRecursive");
        assertLine(r, "FOUND 1");
        assertLine(r, "CYCLE t1,t2");
        assertContains(r, "waits in rLock of RWMutex \"r\", which is blocked by \"t2");
    }

    // Readers, the draining writer and the writer queued behind it on the writer mutex.
    @Test
    void rwCycleThroughAPendingWriterIsFoundWithTheSecondWriterBehind() throws Exception {
        ForkedJvm.Result r = probe("rwWriters");
        assertLine(r, "FOUND 1");
        assertLine(r, "CYCLE t1,t2,t4");
        assertContains(r, "stuck behind the cycle:\\n  thread \"t3");
    }

    // Weighted: stuck when every permit holder is stuck; not when one can still release.
    @Test
    void weightedIsStuckOnlyIfEveryHolderIs() throws Exception {
        ForkedJvm.Result r = probe("weighted");
        assertLine(r, "FOUND 1");
        assertLine(r, "CYCLE t1,t2");
        assertContains(r, "waits in acquire of Weighted \"w\"");
        assertLine(probe("weightedOpen"), "FOUND 0");
    }

    // A cycle of timed waits ends by itself: not reported.
    @Test
    void timedWaitsAreNotDeadlocks() throws Exception {
        assertLine(probe("timed"), "FOUND 0");
    }

    // A hold released by another thread is not counted, although the holder's own record
    // still lists it.
    @Test
    void aHoldReleasedForAnotherThreadIsNotCounted() throws Exception {
        assertLine(probe("foreign"), "FOUND 0");
    }

    // A ring of 200 (virtual, on JDK 21+) threads: one cycle of 200.
    @Test
    void ringOfManyThreadsIsOneCycle() throws Exception {
        ForkedJvm.Result r = probe("ring");
        assertLine(r, "FOUND 1");
        assertLine(r, "FACT cycle size 200 virtual " + dev.gosync.TestThreads.virtualAvailable());
    }

    // Heavy contention without a deadlock, scanned every millisecond: nothing reported.
    @Test
    void contentionIsNotADeadlock() throws Exception {
        assertLine(probe("contended"), "FACT reports 0");
    }

    // The watchdog needs the checker's records; with the checker off it refuses to start.
    @Test
    void offRefusesWithGosMessageStyle() throws Exception {
        ForkedJvm.Result r = ForkedJvm.run(DeadlockProbe.class, List.of(), List.of("off"),
                Mutex.class, dev.gosync.atomic.AtomicInt32.class);
        assertEquals(0, r.exitCode(), r.output());
        String msg = "sync: the deadlock watchdog needs -Ddev.gosync.lockorder=warn or throw";
        assertLine(r, "FACT start " + msg);
        assertLine(r, "ISE " + msg);
    }
}
