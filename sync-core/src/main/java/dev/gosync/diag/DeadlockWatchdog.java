package dev.gosync.diag;

import dev.gosync.internal.DeadlockEvent;
import dev.gosync.internal.Deadlocks;
import dev.gosync.internal.LockOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Finds threads, virtual ones included, that are parked for good on gosync locks because each
 * waits for a lock held (or, for an RWMutex, queued for) by the next: a deadlock, reported
 * with every thread's stack while the program keeps running.
 *
 * <p><b>Why:</b> Go reports a deadlock only when every goroutine sleeps; the JDK's
 * {@code ThreadMXBean.findDeadlockedThreads} sees only platform threads and only
 * {@code synchronized} monitors and {@code AbstractOwnableSynchronizer}s, so it never sees
 * gosync's locks, which are not owned, nor virtual threads.
 *
 * <p><b>Turning it on:</b> the watchdog reads the lock-order checker's per-thread records, so
 * it needs the checker: run with {@code -Ddev.gosync.lockorder=warn} (or {@code throw}), then
 * call {@link #start(Duration)}, or add {@code -Ddev.gosync.watchdog=1s} (any
 * {@link Duration} spelling or a number of milliseconds) to start it with the checker. It
 * scans on one daemon platform thread; {@link #findDeadlocks()} scans on demand instead.
 *
 * <p><b>What counts:</b> a thread parked, untimed, in {@code lock}, {@code rLock},
 * {@code lockInterruptibly} or Weighted's {@code acquire}, such that no thread outside the
 * stuck set can release what it waits for: a Mutex's holder; an RWMutex writer's readers or
 * the writer ahead of it; an RWMutex reader's writer (held or pending: Go's rule, so a
 * recursive {@code rLock} with a writer queued in between is found); for Weighted, all of
 * the permit holders. A cycle of one is a thread that locks a Mutex it holds. Timed waits end
 * by themselves and are never reported; a wait on a Cond or WaitGroup has no holder to name
 * (the lock-order checker warns about those taken while holding locks).
 *
 * <p><b>No false reports:</b> the same threads must be found stuck in the same parks in two
 * scans in a row, and a hold released by another thread is never counted; gosync's locks are
 * not owned, so a "deadlock" is a cycle that no thread will break by unlocking for another.
 *
 * <p><b>What it prints:</b> for each deadlock, once: {@code gosync deadlock: 2 threads wait
 * for each other in a cycle, parked for good:}, then per thread what it waits in, who blocks
 * it, what it holds and its stack, then the threads stuck behind the cycle. With a JFR
 * recording that enables {@code dev.gosync.Deadlock} (gosync.jfc does), each is an event too.
 *
 * <p><b>Cost:</b> while the checker is on, a park records its blocker in the thread's record
 * (a thread-local lookup on a path that already parks); a scan walks every thread's record.
 * With the checker off there is nothing to scan and nothing is recorded.
 */
public final class DeadlockWatchdog {
    /** The property that starts the watchdog with the checker: an interval. */
    public static final String PROPERTY = "dev.gosync.watchdog";
    /** The pause between the two scans of {@link #findDeadlocks()}. */
    private static final long CONFIRM_NANOS = 20_000_000L;

    private static final ReentrantLock LOCK = new ReentrantLock();
    private static Thread thread;               // the running watchdog, or null; LOCK
    private static volatile boolean stopping;   // tells it to end; set under LOCK

    static {
        String v = System.getProperty(PROPERTY);
        if (v != null && !v.isBlank() && LockOrder.ON) {
            start(parse(v));
        }
    }

    private DeadlockWatchdog() {
    }

    /**
     * One deadlock.
     *
     * @param threads the names of the threads in the cycle, each waiting for the next
     * @param report the full report (what each waits for, who blocks it, its stack)
     */
    public record Deadlock(List<String> threads, String report) {
    }

    /**
     * Starts the watchdog, printing each deadlock once to {@code System.err}.
     *
     * @param interval the pause between scans, for example one second; a deadlock is reported
     *     within about two intervals
     * @throws IllegalStateException if the lock-order checker is off ("sync: the deadlock
     *     watchdog needs -Ddev.gosync.lockorder=warn or throw") or the watchdog is running
     * @throws IllegalArgumentException if {@code interval} is not positive
     */
    public static void start(Duration interval) {
        start(interval, System.err::println);
    }

    /**
     * Starts the watchdog, giving each deadlock's report once to {@code sink} (on the
     * watchdog's thread).
     *
     * @param interval the pause between scans
     * @param sink where reports go
     * @throws IllegalStateException if the lock-order checker is off or the watchdog is
     *     running ("sync: the deadlock watchdog is already running")
     * @throws IllegalArgumentException if {@code interval} is not positive
     */
    public static void start(Duration interval, Consumer<String> sink) {
        Objects.requireNonNull(sink, "sink");
        long nanos = nanos(interval);
        requireChecker();
        LOCK.lock();
        try {
            if (thread != null) {
                throw new IllegalStateException("sync: the deadlock watchdog is already running");
            }
            stopping = false;
            Thread t = new Thread(() -> watch(nanos, sink), "gosync-deadlock-watchdog");
            t.setDaemon(true);
            thread = t;
            t.start();
        } finally {
            LOCK.unlock();
        }
    }

    /**
     * Stops the watchdog and waits for its thread to end.
     *
     * @return true if it was running
     * @throws InterruptedException if interrupted while waiting (it still stops)
     */
    public static boolean stop() throws InterruptedException {
        Thread t;
        LOCK.lock();
        try {
            t = thread;
            if (t == null) {
                return false;
            }
            stopping = true;
            thread = null;
        } finally {
            LOCK.unlock();
        }
        LockSupport.unpark(t);
        t.join();
        return true;
    }

    /**
     * Whether the watchdog is running.
     *
     * @return true between {@link #start} and {@link #stop()}
     */
    public static boolean running() {
        LOCK.lock();
        try {
            return thread != null;
        } finally {
            LOCK.unlock();
        }
    }

    /**
     * Scans now, twice 20 ms apart, and returns the deadlocks both scans found.
     *
     * @return the deadlocks, empty if none
     * @throws IllegalStateException if the lock-order checker is off
     */
    public static List<Deadlock> findDeadlocks() {
        requireChecker();
        List<Deadlocks.Deadlock> first = Deadlocks.scan();
        if (first.isEmpty()) {
            return List.of();
        }
        LockSupport.parkNanos(CONFIRM_NANOS);
        List<Deadlock> out = new ArrayList<>();
        for (Deadlocks.Deadlock d : Deadlocks.confirmed(first, Deadlocks.scan())) {
            out.add(new Deadlock(d.threads(), d.report()));
        }
        return out;
    }

    private static void watch(long nanos, Consumer<String> sink) {
        Set<String> reported = new HashSet<>();
        List<Deadlocks.Deadlock> before = List.of();
        while (!stopping) {
            List<Deadlocks.Deadlock> now;
            try {
                now = Deadlocks.scan();
            } catch (RuntimeException | AssertionError e) {
                // A bug of ours must show, and must not end the watchdog.
                sink.accept("gosync deadlock watchdog: scan failed: " + e);
                now = List.of();
            }
            for (Deadlocks.Deadlock d : Deadlocks.confirmed(before, now)) {
                if (reported.add(d.key())) {
                    String report = d.report();
                    DeadlockEvent e = new DeadlockEvent();
                    if (e.shouldCommit()) {
                        e.threads = String.join(" -> ", d.threads());
                        e.report = report;
                        e.commit();
                    }
                    try {
                        sink.accept(report);
                    } catch (RuntimeException ignored) {
                        // a failing sink must not end the watchdog
                    }
                }
            }
            before = now;
            LockSupport.parkNanos(nanos);
        }
    }

    private static void requireChecker() {
        if (!LockOrder.ON) {
            throw new IllegalStateException("sync: the deadlock watchdog needs "
                    + "-D" + LockOrder.PROPERTY + "=warn or throw");
        }
    }

    private static long nanos(Duration interval) {
        Objects.requireNonNull(interval, "interval");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval = " + interval + " is not positive");
        }
        return interval.toNanos();
    }

    private static Duration parse(String v) {
        String s = v.trim().toLowerCase(java.util.Locale.ROOT);
        try {
            if (s.chars().allMatch(Character::isDigit)) {
                return Duration.ofMillis(Long.parseLong(s));
            }
            if (s.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2).trim()));
            }
            return Duration.parse(s.startsWith("p") ? s : "pt" + s);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(PROPERTY + "=" + v
                    + ": expected an interval such as 1s, 500ms or 1000", e);
        }
    }
}
