package dev.gosync.diag;

import dev.gosync.Mutex;
import dev.gosync.RWMutex;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Run by HoldTimesTest in a JVM started with {@code -Ddev.gosync.holdtimes=on}: takes named
 * and unnamed locks through every entry point and prints what the hold-time histograms hold
 * after each step, as {@code FACT} lines.
 */
public final class HoldTimesProbe {
    private HoldTimesProbe() {
    }

    /**
     * Runs the probe.
     *
     * @param args unused
     * @throws Exception never, in a correct build
     */
    public static void main(String[] args) throws Exception {
        fact("on " + ContentionProfile.holdTimesOn());

        Mutex m = new Mutex("m");
        m.lock();
        Thread.sleep(20);
        m.unlock();
        WaitHistogram h = ContentionProfile.holdTimes().get("m");
        fact("m count " + h.count() + " long " + (h.maxNanos() >= 20_000_000L
                && h.totalNanos() >= 20_000_000L));

        // Every other way in: tryLock, timed tryLock (both forms), lockInterruptibly, locked().
        check(m.tryLock());
        m.unlock();
        check(m.tryLock(Duration.ofSeconds(1)));
        m.unlock();
        check(m.tryLock(1, TimeUnit.SECONDS));
        m.unlock();
        m.lockInterruptibly();
        m.unlock();
        try (var held = m.locked()) {
            fact("inside " + count("m"));      // not counted before its release
        }
        fact("m count " + count("m"));

        // Misuse changes nothing; a release by another thread counts; unnamed locks are absent.
        try {
            m.unlock();
        } catch (IllegalStateException expected) {
            fact("misuse " + expected.getMessage() + " " + count("m"));
        }
        m.lock();
        Thread other = new Thread(m::unlock);
        other.start();
        other.join();
        fact("foreign " + count("m"));
        Mutex unnamed = new Mutex();
        unnamed.lock();
        unnamed.unlock();
        RWMutex unnamedRw = new RWMutex();
        unnamedRw.rLock();
        unnamedRw.rUnlock();
        unnamedRw.lock();
        unnamedRw.unlock();
        fact("names " + new TreeMap<>(counts()).keySet());

        // RWMutex: write holds under the name, read holds (nested too) under name + " (read)".
        RWMutex rw = new RWMutex("rw");
        rw.lock();
        rw.unlock();
        check(rw.tryLock());
        rw.unlock();
        rw.rLock();
        rw.rLock();
        Thread.sleep(5);
        rw.rUnlock();
        rw.rUnlock();
        check(rw.tryRLock());
        rw.rUnlock();
        check(rw.tryRLock(Duration.ofSeconds(1)));
        rw.rUnlock();
        fact("rw " + count("rw") + " read " + count("rw" + ContentionProfile.READ_HOLDS));
        rw.rLock();
        Thread reader = new Thread(rw::rUnlock);    // released by another thread: not counted
        reader.start();
        reader.join();
        fact("rw foreign read " + count("rw" + ContentionProfile.READ_HOLDS));
        try {
            rw.rUnlock();
        } catch (IllegalStateException expected) {
            fact("rw misuse " + count("rw" + ContentionProfile.READ_HOLDS));
        }

        // Concurrent holds: none lost.
        Mutex c = new Mutex("c");
        RWMutex cr = new RWMutex("cr");
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread th = new Thread(() -> {
                for (int i = 0; i < 5_000; i++) {
                    c.lock();
                    c.unlock();
                    cr.rLock();
                    cr.rUnlock();
                }
            });
            ts.add(th);
            th.start();
        }
        for (Thread th : ts) {
            th.join();
        }
        fact("concurrent " + count("c") + " " + count("cr" + ContentionProfile.READ_HOLDS));

        // reset() empties; the locks keep recording afterwards.
        ContentionProfile.reset();
        fact("reset " + counts().size());
        m.lock();
        m.unlock();
        fact("after reset " + counts());
        System.out.flush();
    }

    private static long count(String name) {
        WaitHistogram h = ContentionProfile.holdTimes().get(name);
        return h == null ? 0L : h.count();
    }

    private static Map<String, Long> counts() {
        Map<String, Long> m = new TreeMap<>();
        ContentionProfile.holdTimes().forEach((k, v) -> m.put(k, v.count()));
        return m;
    }

    private static void check(boolean ok) {
        if (!ok) {
            throw new AssertionError("an uncontended try failed");
        }
    }

    private static void fact(String s) {
        System.out.println("FACT " + s);
    }
}
