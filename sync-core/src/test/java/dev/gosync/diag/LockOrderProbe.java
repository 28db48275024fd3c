package dev.gosync.diag;

import dev.gosync.Cond;
import dev.gosync.Mutex;
import dev.gosync.RWMutex;
import dev.gosync.WaitGroup;
import dev.gosync.semaphore.Weighted;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one lock-order scenario in a JVM of its own (the checker's mode is fixed at class
 * initialisation) and prints what the checker did: {@code REPORTS n}, each report's first line
 * as {@code REPORT <line>}, and scenario-specific {@code FACT} lines. LockOrderTest reads them.
 */
public final class LockOrderProbe {
    private static final List<String> REPORTS = new ArrayList<>();

    private LockOrderProbe() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("MODE " + LockOrderChecker.mode());
        LockOrderChecker.sink(r -> {
            synchronized (REPORTS) {    // test code, not a blocking path of the library
                REPORTS.add(r);
            }
        });
        try {
            run(args[0]);
        } catch (LockOrderException e) {
            System.out.println("THROWN " + e.cycle());
            System.out.println("MESSAGE " + e.getMessage().lines().findFirst().orElse(""));
            System.out.println("FULL " + e.getMessage().replace("\n", "\\n"));
        }
        synchronized (REPORTS) {
            System.out.println("REPORTS " + REPORTS.size());
            for (String r : REPORTS) {
                System.out.println("REPORT " + r.lines().findFirst().orElse(""));
                System.out.println("FULL " + r.replace("\n", "\\n"));
            }
        }
    }

    private static void fact(String f) {
        System.out.println("FACT " + f);
    }

    private static void run(String scenario) throws Exception {
        switch (scenario) {
            case "jfr": {
                // The inversion under a recording of dev.gosync.LockOrderViolation.
                java.nio.file.Path file = java.nio.file.Files.createTempFile("lockorder", ".jfr");
                try (jdk.jfr.Recording r = new jdk.jfr.Recording()) {
                    r.enable("dev.gosync.LockOrderViolation").withStackTrace();
                    r.start();
                    run("inversion");
                    r.stop();
                    r.dump(file);
                }
                for (jdk.jfr.consumer.RecordedEvent e
                        : jdk.jfr.consumer.RecordingFile.readAllEvents(file)) {
                    if (e.getEventType().getName().equals("dev.gosync.LockOrderViolation")) {
                        fact("event " + e.getString("action") + " " + e.getString("cycle")
                                + " report=" + !e.getString("report").isEmpty()
                                + " stack=" + (e.getStackTrace() != null));
                    }
                }
                java.nio.file.Files.delete(file);
                break;
            }
            case "inversion": {
                Mutex a = new Mutex("a");
                Mutex b = new Mutex("b");
                for (int i = 0; i < 3; i++) {       // repeated: reported once per new edge
                    a.lock();
                    b.lock();
                    b.unlock();
                    a.unlock();
                }
                b.lock();
                try {
                    a.lock();                       // the inversion: b → a closes a → b → a
                    fact("a locked " + a.isLocked());
                    a.unlock();
                    a.lock();                       // seen again: not reported again
                    a.unlock();
                } finally {
                    b.unlock();
                }
                break;
            }
            case "inversionThrow": {
                Mutex a = new Mutex("a");
                Mutex b = new Mutex("b");
                a.lock();
                b.lock();
                b.unlock();
                a.unlock();
                b.lock();
                try {
                    a.lock();
                    fact("not thrown");
                } catch (LockOrderException e) {
                    fact("a locked " + a.isLocked() + ", b locked " + b.isLocked());
                    b.unlock();
                    a.lock();                       // still usable, in either order alone
                    a.unlock();
                    fact("usable " + !a.isLocked() + " " + !b.isLocked());
                    throw e;
                }
                break;
            }
            case "recursiveMutex": {
                Mutex m = new Mutex("m");
                m.lock();
                m.lock();                           // would hang forever without the checker
                break;
            }
            case "recursiveTimedMutex": {
                Mutex m = new Mutex("m");
                m.lock();
                m.tryLock(java.time.Duration.ofMillis(1));  // would time out without the checker
                break;
            }
            case "recursiveRLock": {
                RWMutex rw = new RWMutex("rw");
                rw.rLock();
                rw.rLock();
                break;
            }
            case "readWriteCycle": {
                RWMutex a = new RWMutex("ra");
                Mutex b = new Mutex("mb");
                a.rLock();
                b.lock();
                b.unlock();
                a.rUnlock();
                b.lock();
                a.rLock();                          // reader after b: a cycle in Go's terms
                a.rUnlock();
                b.unlock();
                break;
            }
            case "sameClass": {
                Mutex[] ks = {new Mutex(), new Mutex()};    // one site: one class
                ks[0].lock();
                ks[1].lock();
                ks[1].unlock();
                ks[0].unlock();
                break;
            }
            case "ranked": {
                Mutex[] ks = new Mutex[3];
                for (int i = 0; i < 3; i++) {
                    ks[i] = LockOrderChecker.rank(new Mutex(), i);
                }
                ks[0].lock();
                ks[2].lock();
                ks[2].unlock();
                ks[0].unlock();
                fact("increasing ranks ok");
                ks[2].lock();
                ks[1].lock();                       // decreasing: reported
                ks[1].unlock();
                ks[2].unlock();
                break;
            }
            case "rankAcrossClasses": {
                Mutex parent = LockOrderChecker.rank(new Mutex("parent"), 1);
                Mutex child = LockOrderChecker.rank(new Mutex("child"), 2);
                child.lock();
                parent.lock();                      // no cycle yet, but the declared order
                parent.unlock();
                child.unlock();
                break;
            }
            case "tryLockNoEdge": {
                Mutex a = new Mutex("a");
                Mutex b = new Mutex("b");
                a.lock();
                b.lock();
                b.unlock();
                a.unlock();
                b.lock();
                fact("tryLock " + a.tryLock());     // reverse order by try: cannot deadlock
                a.unlock();
                b.unlock();
                Thread t = new Thread(a::lock);
                t.start();
                t.join();
                b.lock();
                fact("failed tryLock " + a.tryLock());  // adds nothing
                b.unlock();
                a.unlock();
                Mutex c = new Mutex("c");
                b.lock();
                a.tryLock();                        // held by try, then c blocks: a → c edge
                c.lock();
                c.unlock();
                a.unlock();
                b.unlock();
                c.lock();
                a.lock();                           // c → a closes a → c → a: reported
                a.unlock();
                c.unlock();
                break;
            }
            case "foreignUnlock": {
                Mutex a = new Mutex("a");
                Mutex b = new Mutex("b");
                b.lock();
                a.lock();                           // order b → a
                a.unlock();
                b.unlock();
                Mutex handoff = new Mutex("h");
                Thread t1 = new Thread(() -> {
                    a.lock();                       // t1 takes a ...
                    handoff.lock();
                    handoff.unlock();
                    try {
                        Thread.sleep(0);
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                });
                t1.start();
                t1.join();
                a.unlock();                         // ... and main releases it (not owned)
                Thread t2 = new Thread(() -> {
                    a.lock();                       // another thread's a, released by t1 later
                    fact("t2 locked a");
                });
                t2.start();
                t2.join();
                Thread t3 = new Thread(a::unlock);
                t3.start();
                t3.join();
                fact("a locked " + a.isLocked());
                // Reuse t1's record on a thread that did not end: the same thread must forget.
                Mutex x = new Mutex("x");
                Mutex y = new Mutex("y");
                y.lock();
                x.lock();                           // y → x
                x.unlock();
                y.unlock();
                x.lock();                           // main takes x ...
                Thread t4 = new Thread(x::unlock);  // ... t4 releases it
                t4.start();
                t4.join();
                y.lock();                           // main no longer holds x: no x → y edge
                y.unlock();
                RWMutex rw = new RWMutex("rw");
                rw.rLock();
                Thread t5 = new Thread(rw::rUnlock);
                t5.start();
                t5.join();
                y.lock();
                rw.rLock();                         // y → rw
                rw.rUnlock();
                y.unlock();
                rw.rLock();
                rw.rUnlock();
                fact("done");
                break;
            }
            case "weighted": {
                Weighted sem = new Weighted(4, "slots");
                Mutex a = new Mutex("a");
                sem.acquire(1);
                a.lock();
                a.unlock();
                sem.release(1);
                a.lock();
                sem.acquire(2);                     // a → slots closes slots → a
                sem.release(2);
                a.unlock();
                Weighted pool = new Weighted(2, "pool");
                pool.acquire(1);
                Thread w = new Thread(() -> pool.release(1));   // a worker gives it back
                w.start();
                w.join();
                a.lock();                           // no pool → a edge: pool was released
                pool.acquire(1);
                pool.release(1);
                a.unlock();
                fact("done");
                break;
            }
            case "waits": {
                Mutex a = new Mutex("a");
                Mutex l = new Mutex("l");
                Cond c = new Cond(l, "ready");
                l.lock();
                c.await(java.time.Duration.ofMillis(1));    // only its own L: no warning
                l.unlock();
                fact("own L only");
                a.lock();
                l.lock();
                c.await(java.time.Duration.ofMillis(1));    // holding a while waiting: warned
                l.unlock();
                WaitGroup wg = new WaitGroup();
                wg.await();                                 // holding a: warned
                a.unlock();
                wg.await();                                 // nothing held: silent
                break;
            }
            case "discovery": {
                dev.gosync.examples.InvertedDiscoveryDemo.main(new String[0]);
                break;
            }
            default:
                throw new IllegalArgumentException(scenario);
        }
    }
}
