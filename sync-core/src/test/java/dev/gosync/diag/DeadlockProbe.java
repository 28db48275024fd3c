package dev.gosync.diag;

import dev.gosync.Mutex;
import dev.gosync.RWMutex;
import dev.gosync.TestThreads;
import dev.gosync.semaphore.Weighted;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs one deadlock-watchdog scenario in a JVM of its own (the checker, which the watchdog
 * reads, is fixed at class initialisation) and prints what it found: {@code FOUND n}, per
 * deadlock {@code CYCLE <sorted thread names>} and {@code FULL <report>}, and {@code FACT}
 * lines. The scenario's threads are virtual where the JDK has them, and stay parked (the
 * probe exits with them). DeadlockWatchdogTest reads the output.
 */
public final class DeadlockProbe {
    private DeadlockProbe() {
    }

    public static void main(String[] args) throws Exception {
        LockOrderChecker.sink(r -> { });    // the checker's own reports are LockOrderTest's
        try {
            run(args[0]);
        } catch (IllegalStateException e) {
            System.out.println("ISE " + e.getMessage());
        }
        System.out.flush();
        System.exit(0);                     // the deadlocked threads never end
    }

    private static void fact(String f) {
        System.out.println("FACT " + f);
    }

    /**
     * Checks until a deadlock is found or 2 s pass: a thread seen parked may still be on its
     * way from a latch to the lock it will deadlock on (200 virtual threads on 2 carriers).
     */
    private static List<DeadlockWatchdog.Deadlock> find() throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        List<DeadlockWatchdog.Deadlock> found = DeadlockWatchdog.findDeadlocks();
        while (found.isEmpty() && System.nanoTime() < end) {
            Thread.sleep(10);
            found = DeadlockWatchdog.findDeadlocks();
        }
        return found;
    }

    private static void print(List<DeadlockWatchdog.Deadlock> found) {
        System.out.println("FOUND " + found.size());
        for (DeadlockWatchdog.Deadlock d : found) {
            System.out.println("CYCLE " + String.join(",", new TreeSet<>(d.threads())));
            System.out.println("FULL " + d.report().replace("\n", "\\n"));
        }
    }

    /** Starts a named scenario thread: virtual where available. */
    private static Thread start(String name, Runnable r) {
        Thread t = TestThreads.startVirtual(r);
        t.setName(name);
        return t;
    }

    /** Waits until each thread is parked on a gosync primitive (or fails the probe). */
    private static void awaitParked(Thread... ts) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        for (Thread t : ts) {
            while (!(t.getState() == Thread.State.WAITING
                    || t.getState() == Thread.State.TIMED_WAITING)
                    || LockSupport.getBlocker(t) == null) {
                if (System.nanoTime() > end) {
                    throw new AssertionError(t.getName() + " did not park: " + t.getState());
                }
                Thread.sleep(1);
            }
        }
        Thread.sleep(50);   // past the spin: parked for good
    }

    private static void await(CountDownLatch l) {
        try {
            l.await();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static void await(CyclicBarrier b) {
        try {
            b.await();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void acquire(Weighted w) {
        try {
            w.acquire(1);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** Two threads lock a and b in opposite orders. */
    private static Thread[] abba(Mutex a, Mutex b) throws InterruptedException {
        CyclicBarrier both = new CyclicBarrier(2);
        Thread t1 = start("t1", () -> {
            a.lock();
            await(both);
            b.lock();
        });
        Thread t2 = start("t2", () -> {
            b.lock();
            await(both);
            a.lock();
        });
        awaitParked(t1, t2);
        return new Thread[] {t1, t2};
    }

    private static void run(String scenario) throws Exception {
        switch (scenario) {
            case "abba": {
                abba(new Mutex("a"), new Mutex("b"));
                print(find());
                break;
            }
            case "watchdog": {
                // The same inversion, found by the running watchdog and reported once.
                ConcurrentLinkedQueue<String> reports = new ConcurrentLinkedQueue<>();
                DeadlockWatchdog.start(Duration.ofMillis(10), reports::add);
                fact("running " + DeadlockWatchdog.running());
                abba(new Mutex("a"), new Mutex("b"));
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (reports.isEmpty() && System.nanoTime() < end) {
                    Thread.sleep(5);
                }
                Thread.sleep(200);      // some 20 more scans: still one report
                fact("reports " + reports.size());
                fact("first " + reports.peek().lines().findFirst().orElse(""));
                fact("stopped " + DeadlockWatchdog.stop() + " " + DeadlockWatchdog.running());
                break;
            }
            case "jfr": {
                // Under a recording of dev.gosync.Deadlock: one event, naming the cycle.
                java.nio.file.Path file = java.nio.file.Files.createTempFile("deadlock", ".jfr");
                ConcurrentLinkedQueue<String> reports = new ConcurrentLinkedQueue<>();
                try (jdk.jfr.Recording r = new jdk.jfr.Recording()) {
                    r.enable("dev.gosync.Deadlock");
                    r.start();
                    DeadlockWatchdog.start(Duration.ofMillis(10), reports::add);
                    abba(new Mutex("a"), new Mutex("b"));
                    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                    while (reports.isEmpty() && System.nanoTime() < end) {
                        Thread.sleep(5);
                    }
                    DeadlockWatchdog.stop();
                    r.stop();
                    r.dump(file);
                }
                for (jdk.jfr.consumer.RecordedEvent e : jdk.jfr.consumer.RecordingFile
                        .readAllEvents(file)) {
                    fact("event " + e.getEventType().getName() + " "
                            + new TreeSet<>(List.of(e.getString("threads").split(" -> ")))
                            + " report=" + e.getString("report").equals(reports.peek()));
                }
                java.nio.file.Files.delete(file);
                break;
            }
            case "property": {
                // -Ddev.gosync.watchdog=20ms: started with the checker, reports to System.err.
                Mutex a = new Mutex("a");
                fact("running " + DeadlockWatchdog.running());
                abba(a, new Mutex("b"));
                Thread.sleep(1000);
                break;
            }
            case "behind": {
                // A third thread waits for a, held by the cycle: stuck, but not in the cycle.
                Mutex a = new Mutex("a");
                Thread[] ts = abba(a, new Mutex("b"));
                Thread t3 = start("t3", a::lock);
                awaitParked(t3);
                print(find());
                break;
            }
            case "self": {
                Mutex a = new Mutex("a");
                Thread t = start("t1", () -> {
                    a.lock();
                    a.lock();
                });
                awaitParked(t);
                print(find());
                break;
            }
            case "rwRecursive": {
                // Go's forbidden recursive read lock: a writer queues between the two rLocks.
                RWMutex r = new RWMutex("r");
                CountDownLatch held = new CountDownLatch(1);
                CountDownLatch writerParked = new CountDownLatch(1);
                Thread t1 = start("t1", () -> {
                    r.rLock();
                    held.countDown();
                    await(writerParked);
                    r.rLock();
                });
                await(held);
                Thread t2 = start("t2", r::lock);
                awaitParked(t2);
                writerParked.countDown();
                awaitParked(t1);
                print(find());
                break;
            }
            case "rwWriters": {
                // t1 reads r and waits for m; t4 holds m and waits to read r behind the
                // pending writer t2, which waits for t1's read; t3, a second writer, is stuck
                // behind t2 on the writer mutex.
                RWMutex r = new RWMutex("r");
                Mutex m = new Mutex("m");
                CountDownLatch ready = new CountDownLatch(2);
                CountDownLatch go = new CountDownLatch(1);
                Thread t1 = start("t1", () -> {
                    r.rLock();
                    ready.countDown();
                    await(go);
                    m.lock();
                });
                Thread t4 = start("t4", () -> {
                    m.lock();
                    ready.countDown();
                    await(go);
                    r.rLock();
                });
                await(ready);
                Thread t2 = start("t2", r::lock);
                awaitParked(t2);
                Thread t3 = start("t3", r::lock);
                awaitParked(t3);
                go.countDown();
                awaitParked(t1, t4);
                print(find());
                break;
            }
            case "weighted": {
                // t1 holds the only permit and waits for m; t2 holds m and waits for a permit.
                Weighted w = new Weighted(1, "w");
                Mutex m = new Mutex("m");
                CyclicBarrier both = new CyclicBarrier(2);
                Thread t1 = start("t1", () -> {
                    acquire(w);
                    await(both);
                    m.lock();
                });
                Thread t2 = start("t2", () -> {
                    m.lock();
                    await(both);
                    acquire(w);
                });
                awaitParked(t1, t2);
                print(find());
                break;
            }
            case "weightedOpen": {
                // As "weighted", but a third thread, not parked on any gosync lock, holds the
                // other permit: when it releases, t2 goes on. Not a deadlock.
                Weighted w = new Weighted(2, "w");
                Mutex m = new Mutex("m");
                CountDownLatch ready = new CountDownLatch(3);
                CountDownLatch go = new CountDownLatch(1);
                Thread t1 = start("t1", () -> {
                    acquire(w);
                    ready.countDown();
                    await(go);
                    m.lock();
                });
                Thread t3 = start("t3", () -> {
                    acquire(w);
                    ready.countDown();
                    await(go);
                    await(new CountDownLatch(1));   // busy elsewhere, holding its permit
                });
                Thread t2 = start("t2", () -> {
                    m.lock();
                    ready.countDown();
                    await(go);
                    acquire(w);
                });
                await(ready);
                go.countDown();
                awaitParked(t1, t2, t3);
                print(find());
                break;
            }
            case "timed": {
                // Both wait with a time-out: the cycle ends by itself.
                Mutex a = new Mutex("a");
                Mutex b = new Mutex("b");
                CyclicBarrier both = new CyclicBarrier(2);
                AtomicBoolean[] got = {new AtomicBoolean(), new AtomicBoolean()};
                Thread t1 = start("t1", () -> {
                    a.lock();
                    await(both);
                    try {
                        got[0].set(b.tryLock(Duration.ofSeconds(3)));
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                });
                Thread t2 = start("t2", () -> {
                    b.lock();
                    await(both);
                    try {
                        got[1].set(a.tryLock(Duration.ofSeconds(3)));
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                });
                awaitParked(t1, t2);
                print(find());
                break;
            }
            case "foreign": {
                // t1 holds A and parks on B (held by t3); then A is unlocked for t1 by main and
                // taken by t4, which parks on C, held by t5, which sleeps; t3 waits for A.
                // t1's record still lists A (it applies the foreign unlock at its next hook),
                // which would close t1 -> t3 -> t1; but A's holder is t4, which can go on once
                // t5 wakes: no deadlock.
                Mutex lockA = new Mutex("A");
                Mutex lockB = new Mutex("B");
                Mutex lockC = new Mutex("C");
                CountDownLatch aHeld = new CountDownLatch(1);
                CountDownLatch bHeld = new CountDownLatch(1);
                CountDownLatch cHeld = new CountDownLatch(1);
                CountDownLatch t3Go = new CountDownLatch(1);
                start("t5", () -> {
                    lockC.lock();
                    cHeld.countDown();
                    try {
                        Thread.sleep(60_000);
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                });
                Thread t3 = start("t3", () -> {
                    lockB.lock();
                    bHeld.countDown();
                    await(t3Go);
                    lockA.lock();
                });
                await(bHeld);
                await(cHeld);
                Thread t1 = start("t1", () -> {
                    lockA.lock();
                    aHeld.countDown();
                    lockB.lock();
                });
                await(aHeld);
                awaitParked(t1);
                lockA.unlock();     // for t1
                Thread t4 = start("t4", () -> {
                    lockA.lock();
                    lockC.lock();
                });
                awaitParked(t4);
                t3Go.countDown();
                awaitParked(t3);
                print(find());
                break;
            }
            case "ring": {
                // n threads, each holding lock i and waiting for lock i+1: one cycle of n.
                int n = Integer.parseInt(System.getProperty("ring", "200"));
                Mutex[] locks = new Mutex[n];
                for (int i = 0; i < n; i++) {
                    locks[i] = new Mutex("ring-" + i);
                }
                CountDownLatch all = new CountDownLatch(n);
                List<Thread> ts = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    int k = i;
                    ts.add(start("r" + i, () -> {
                        locks[k].lock();
                        all.countDown();
                        await(all);
                        locks[(k + 1) % n].lock();
                    }));
                }
                awaitParked(ts.toArray(new Thread[0]));
                List<DeadlockWatchdog.Deadlock> found = find();
                System.out.println("FOUND " + found.size());
                for (DeadlockWatchdog.Deadlock d : found) {
                    fact("cycle size " + d.threads().size() + " virtual "
                            + d.report().contains("(virtual)"));
                }
                break;
            }
            case "contended": {
                // Heavy contention in one consistent order, readers and writers, permits: the
                // watchdog scans every millisecond and must report nothing.
                ConcurrentLinkedQueue<String> reports = new ConcurrentLinkedQueue<>();
                DeadlockWatchdog.start(Duration.ofMillis(1), reports::add);
                Mutex a = new Mutex("a");
                RWMutex r = new RWMutex("r");
                Weighted w = new Weighted(2, "w");
                AtomicBoolean stop = new AtomicBoolean();
                List<Thread> ts = new ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    int k = i;
                    ts.add(start("c" + i, () -> {
                        while (!stop.get()) {
                            a.lock();
                            if (k % 2 == 0) {
                                r.lock();
                                r.unlock();
                            } else {
                                r.rLock();
                                r.rUnlock();
                            }
                            a.unlock();
                            acquire(w);
                            r.rLock();
                            Thread.yield();
                            r.rUnlock();
                            w.release(1);
                        }
                    }));
                }
                Thread.sleep(Long.getLong("millis", 3000));
                stop.set(true);
                for (Thread t : ts) {
                    t.join();
                }
                fact("reports " + reports.size());
                reports.forEach(System.out::println);   // a false positive says why
                DeadlockWatchdog.stop();
                break;
            }
            case "off": {
                try {
                    DeadlockWatchdog.start(Duration.ofSeconds(1));
                } catch (IllegalStateException e) {
                    fact("start " + e.getMessage());
                }
                DeadlockWatchdog.findDeadlocks();
                break;
            }
            default:
                throw new IllegalArgumentException(scenario);
        }
    }
}
