package dev.gosync.bench;

import dev.gosync.Mutex;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * The latency view of the Mutex benchmarks: how long can a thread that holds a lock nearly all
 * the time keep another thread out of it?
 *
 * <p>The scenario: a <em>hammer</em> thread holds the lock for 50 microseconds of work (by
 * default), releases it and at once locks it again, so the lock is free only for a few
 * nanoseconds at a time and a woken waiter almost always finds it re-taken. A <em>waiter</em>
 * thread locks it every 200 microseconds (a fresh request each time) and records how long
 * {@code lock()} took, and how many times the hammer took the lock while it waited
 * ("overtaken").
 *
 * <p>What to expect: {@link ReentrantLock}'s fair mode hands the lock to the waiter at the
 * next release (overtaken at most about once), paying a park/unpark per hand-over in hammer
 * throughput. Its non-fair mode and {@code synchronized} let the hammer barge back in, with
 * no bound on how often: a woken waiter gets in only if it happens to run in the nanoseconds
 * between a release and the hammer's next lock. {@link Mutex} barges too, but a waiter that
 * has waited over 1 ms puts it in starvation mode and the next release hands it over: the
 * hammer overtakes it about a millisecond's worth of times (20 at 50 microseconds a hold),
 * plus whatever it gets in while the OS is slow to run the woken waiter. Measured on the 2-CPU
 * build machine (JDK 17 and 25, two runs of 3 s each): Mutex waits p99 1.2 ms, worst 5.4-6.7
 * ms, overtaken at most 105-132 times; non-fair ReentrantLock p99 116-200 ms, worst 192-243
 * ms or more, overtaken up to 3,384-4,302 times; {@code synchronized} worst 358-483 ms; the
 * same hammer throughput for all three.
 *
 * <p>A thread that is woken may not run for milliseconds (a scheduler time slice), whichever
 * lock woke it. The "late wake-up" column measures that noise in the same run (the most by
 * which the waiter's own 200-microsecond timed park overslept); a worst wait near it says more
 * about the OS than about the lock. It dominates with short holds: at 2 microseconds (third
 * argument {@code 2}) the OS delay before the woken waiter runs is thousands of holds: every
 * lock there showed worst waits of 5-20 ms and, fair mode aside, overtakes in the thousands,
 * Mutex's included (it enters starvation mode only when its waiter runs again), while
 * non-fair ReentrantLock's waiter, which spins after waking, often got in within that delay:
 * the two looked alike.
 *
 * <p>Each lock is warmed up (unmeasured) before each run, and the order of the locks rotates
 * from run to run, so no lock always runs first, inside the JIT's warm-up. A waiter that is
 * still waiting when a run ends gets in once the hammer stops; if that wait is the worst, it
 * is marked "&gt;=" (a lower bound: the waiter was kept out until the end).
 *
 * <p>Run: {@code java -cp benchmarks.jar dev.gosync.bench.StarvationDemo [seconds per run
 * [runs [hold microseconds]]]} (defaults 3, 3 and 50: about 45 s).
 */
public final class StarvationDemo {
    /** The waiter's pause between two lock attempts. */
    private static final long WAITER_PAUSE_NANOS = 200_000L;
    /** Unmeasured warm-up before each measured run. */
    private static final long WARM_UP_NANOS = 500_000_000L;

    private StarvationDemo() {
    }

    /**
     * Runs the demo and prints one table per run and a summary.
     *
     * @param args optional: seconds per run (default 3), number of runs (default 3), and how
     *     many microseconds the hammer holds the lock each time (default 50)
     * @throws InterruptedException if interrupted
     */
    public static void main(String[] args) throws InterruptedException {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3.0;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        double holdMicros = args.length > 2 ? Double.parseDouble(args[2]) : 50.0;
        long runNanos = (long) (seconds * 1e9);
        long holdNanos = (long) (holdMicros * 1e3);
        List<Subject> subjects = List.of(
                Subject.of("gosync Mutex", new Mutex()),
                Subject.of("ReentrantLock (non-fair)", new ReentrantLock()),
                Subject.of("ReentrantLock (fair)", new ReentrantLock(true)),
                Subject.monitor("synchronized"));
        System.out.printf(Locale.ROOT, "StarvationDemo: hammer holds the lock %.1f us, releases "
                + "and re-locks at once; waiter locks every %d us. %d run(s) of %.1f s per lock "
                + "(after %.1f s warm-up), %d CPUs, load average %.1f.%n", holdMicros,
                WAITER_PAUSE_NANOS / 1000, runs, seconds, WARM_UP_NANOS / 1e9,
                Runtime.getRuntime().availableProcessors(), loadAverage());
        List<List<Result>> all = new ArrayList<>();
        for (int i = 0; i < subjects.size(); i++) {
            all.add(new ArrayList<>());
        }
        for (int r = 0; r < runs; r++) {
            System.out.printf(Locale.ROOT, "%nrun %d%n", r + 1);
            header();
            for (int k = 0; k < subjects.size(); k++) {
                int i = (k + r) % subjects.size();      // rotate the order from run to run
                Subject s = subjects.get(i);
                trial(s, WARM_UP_NANOS, holdNanos);
                Result res = trial(s, runNanos, holdNanos);
                all.get(i).add(res);
                res.print(s.name);
            }
            System.out.printf(Locale.ROOT, "(load average now %.1f)%n", loadAverage());
        }
        if (runs > 1) {
            System.out.printf(Locale.ROOT, "%nall runs (percentiles over every wait; worst and "
                    + "late wake-up: the largest of any run; throughput: median run)%n");
            header();
            for (int i = 0; i < subjects.size(); i++) {
                Result.merge(all.get(i)).print(subjects.get(i).name);
            }
        }
        System.out.printf(Locale.ROOT, "%nwait: how long the waiter's lock() took; \">=\": "
                + "the worst wait was still going on when the run ended (a lower bound).%n"
                + "overtaken: how often the hammer took the lock meanwhile.%nlate wake-up: the "
                + "most the waiter's own %d us timed park overslept in that run: OS scheduling "
                + "delay, which any wait that parks can include (a worst wait near it is the "
                + "OS's, not the lock's).%n", WAITER_PAUSE_NANOS / 1000);
    }

    /** The OS's one-minute load average, or -1 where it is not available. */
    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static void header() {
        System.out.printf(Locale.ROOT, "%-25s %6s  %-27s  %-15s  %9s  %9s%n", "", "",
                "------- wait (us) --------", "-- overtaken --", "late wake", "hammer");
        System.out.printf(Locale.ROOT, "%-25s %6s  %7s %7s %11s  %7s %7s  %9s  %9s%n", "lock",
                "waits", "p50", "p99", "worst", "p99", "max", "worst us", "locks/s");
    }

    /** One lock under test: runs a body while holding it. */
    private abstract static class Subject {
        final String name;

        Subject(String name) {
            this.name = name;
        }

        /** Runs {@code body} while holding the lock and returns its result. */
        abstract long locked(LongSupplier body);

        static Subject of(String name, Lock lock) {
            return new Subject(name) {
                @Override
                long locked(LongSupplier body) {
                    lock.lock();
                    try {
                        return body.getAsLong();
                    } finally {
                        lock.unlock();
                    }
                }
            };
        }

        static Subject monitor(String name) {
            Object monitor = new Object();
            return new Subject(name) {
                @Override
                long locked(LongSupplier body) {
                    synchronized (monitor) {
                        return body.getAsLong();
                    }
                }
            };
        }
    }

    /** The state one trial shares between the hammer and the waiter. */
    private static final class Trial {
        final long holdNanos;
        final long end;
        /** Times the hammer took the lock; written only by the hammer while holding it. */
        volatile long hammerLocks;
        int work;

        Trial(long holdNanos, long end) {
            this.holdNanos = holdNanos;
            this.end = end;
        }

        /** The hammer's critical section: returns 1 once the trial is over. */
        long hammerBody() {
            long now = System.nanoTime();
            long until = now + holdNanos;
            int w = work;
            do {
                w = w * 31 + 1;     // the "work": spin for holdNanos
            } while (System.nanoTime() < until);
            work = w;
            hammerLocks = hammerLocks + 1;
            return now >= end ? 1L : 0L;
        }
    }

    private static Result trial(Subject s, long runNanos, long holdNanos)
            throws InterruptedException {
        long start = System.nanoTime();
        Trial t = new Trial(holdNanos, start + runNanos);
        LongSupplier hammerBody = t::hammerBody;
        Thread hammer = new Thread(() -> {
            while (s.locked(hammerBody) == 0L) {
                // release and lock again at once
            }
        }, "hammer");
        hammer.setDaemon(true);
        hammer.start();
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));   // let the hammer get going
        LongSupplier readLocks = () -> t.hammerLocks;
        int cap = (int) Math.min(1 << 22, runNanos / WAITER_PAUSE_NANOS + 16);
        long[] waits = new long[cap];
        long[] overtaken = new long[cap];
        long lateWorst = 0;
        int n = 0;
        boolean worstCutOff = false;
        long worst = -1;
        long locks0 = t.hammerLocks;
        long measureStart = System.nanoTime();
        while (n < cap) {
            long t0 = System.nanoTime();
            if (t0 >= t.end) {
                break;
            }
            long before = t.hammerLocks;
            long during = s.locked(readLocks);
            long t1 = System.nanoTime();
            long waited = t1 - t0;
            waits[n] = waited;
            overtaken[n] = during - before;
            if (waited > worst) {
                worst = waited;
                worstCutOff = t1 >= t.end;  // kept out until the hammer stopped
            }
            n++;
            long p0 = System.nanoTime();
            LockSupport.parkNanos(WAITER_PAUSE_NANOS);   // arrive fresh, as a new request would
            lateWorst = Math.max(lateWorst, System.nanoTime() - p0 - WAITER_PAUSE_NANOS);
        }
        long hammerLocks = t.hammerLocks - locks0;
        long elapsed = System.nanoTime() - measureStart;
        hammer.join();
        return new Result(Arrays.copyOf(waits, n), Arrays.copyOf(overtaken, n), worstCutOff,
                lateWorst, hammerLocks / (elapsed / 1e9));
    }

    /** One trial's measurements (or several merged). */
    private static final class Result {
        final long[] waits;         // sorted
        final long[] overtaken;     // sorted
        final boolean worstCutOff;
        final long lateWorst;
        final double hammerRate;

        Result(long[] waits, long[] overtaken, boolean worstCutOff, long lateWorst,
                double hammerRate) {
            this.waits = waits;
            this.overtaken = overtaken;
            Arrays.sort(waits);
            Arrays.sort(overtaken);
            this.worstCutOff = worstCutOff;
            this.lateWorst = lateWorst;
            this.hammerRate = hammerRate;
        }

        static Result merge(List<Result> rs) {
            long[] w = new long[0];
            long[] o = new long[0];
            long late = 0;
            boolean cut = false;
            long worst = -1;
            double[] rates = new double[rs.size()];
            for (int i = 0; i < rs.size(); i++) {
                Result r = rs.get(i);
                w = concat(w, r.waits);
                o = concat(o, r.overtaken);
                late = Math.max(late, r.lateWorst);
                if (r.waits.length > 0 && r.waits[r.waits.length - 1] > worst) {
                    worst = r.waits[r.waits.length - 1];
                    cut = r.worstCutOff;
                }
                rates[i] = r.hammerRate;
            }
            Arrays.sort(rates);
            return new Result(w, o, cut, late, rates[rates.length / 2]);
        }

        private static long[] concat(long[] a, long[] b) {
            long[] c = Arrays.copyOf(a, a.length + b.length);
            System.arraycopy(b, 0, c, a.length, b.length);
            return c;
        }

        void print(String name) {
            int n = waits.length;
            if (n == 0) {
                System.out.printf(Locale.ROOT, "%-25s %6d (no wait completed)%n", name, n);
                return;
            }
            System.out.printf(Locale.ROOT, "%-25s %6d  %7.1f %7.1f %s%9.0f  %7d %7d  %9.0f  %9.3g%n",
                    name, n, pct(waits, 0.50) / 1e3, pct(waits, 0.99) / 1e3,
                    worstCutOff ? ">=" : "  ", waits[n - 1] / 1e3, pct(overtaken, 0.99),
                    overtaken[n - 1], lateWorst / 1e3, hammerRate);
        }

        private static long pct(long[] sorted, double p) {
            return sorted[Math.min(sorted.length - 1, (int) (sorted.length * p))];
        }
    }
}
