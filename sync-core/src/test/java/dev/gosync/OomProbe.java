package dev.gosync;

import java.lang.ref.Reference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * The harness of the registration OOM probes ({@code RegistrationOomProbe} here and in the
 * semaphore package), each run by its test in a JVM forked by {@link ForkedJvm} with
 * {@link #JVM_OPTIONS}. One round: the main thread holds the primitive ({@link Case#hold});
 * thread B fills the heap down to its last few bytes, then makes the blocking call
 * ({@link Case#block}), whose first allocation must throw {@link OutOfMemoryError}; B drops
 * the filler and reports. The main thread then checks that the failed call left no trace
 * ({@link Case#checkHeld}), gives the primitive back ({@link Case#release}) and checks that it
 * still works for others ({@link Case#checkReleased}).
 *
 * <p>The probe prints one line {@code VERDICT <status> <case>: <details>} and exits with the
 * status: {@link #CLEAN}, {@link #STRANDED} (the checks found a trace), {@link #NO_OOM} (B's
 * call parked, or returned, without an OutOfMemoryError in every attempt: the probe proved
 * nothing) or {@link #ERROR} (the probe itself failed).
 *
 * <p>While B holds the full heap the main thread must not allocate: it polls two volatile
 * fields and B's thread state, pausing with {@link LockSupport#parkNanos(long)}.
 */
public final class OomProbe {
    /**
     * Options of the forked JVM: a small fixed heap; no TLABs, so every allocation takes
     * shared eden space and, once a 24-byte array has failed, no object as large as a waiter
     * (40 bytes or more) fits anywhere; the serial collector, whose full collections make the
     * fill deterministic; assertions on.
     */
    public static final List<String> JVM_OPTIONS = List.of("-Xms32m", "-Xmx32m",
            "-XX:+UseSerialGC", "-XX:-UseTLAB", "-ea");

    /** Exit status: B's call threw OutOfMemoryError and left no trace. */
    public static final int CLEAN = 0;
    /** Exit status: B's call threw OutOfMemoryError and the checks found a trace. */
    public static final int STRANDED = 1;
    /** Exit status: no attempt made B's call throw OutOfMemoryError. */
    public static final int NO_OOM = 2;
    /** Exit status: the probe failed in some other way. */
    public static final int ERROR = 3;

    /** Attempts at making B's call throw before the probe reports {@link #NO_OOM}. */
    private static final int ATTEMPTS = 3;
    /** Bound on one round: B's call must throw, park or return by then. */
    private static final long ROUND_NANOS = TimeUnit.SECONDS.toNanos(30);
    /** How long later operations of other threads may take in the checks. */
    public static final Duration BOUND = Duration.ofSeconds(2);

    private static final int RUNNING = 0;
    private static final int RETURNED = 1;
    private static final int OOM = 2;
    private static final int THREW = 3;

    private OomProbe() {
    }

    /** One primitive in one scenario. A fresh Case is made for each round. */
    public interface Case {
        /**
         * Main thread, heap not yet full: takes the primitive so that {@link #block} waits.
         *
         * @throws Exception on failure (the probe reports ERROR)
         */
        void hold() throws Exception;

        /**
         * Thread B, heap full: the blocking call under test, and nothing else. It must not
         * allocate on its own (no boxing, no Duration made here, no lambda capture): its first
         * allocation would fail instead of the call's. OomVerdict checks where it failed.
         *
         * @throws Exception whatever the call throws
         */
        void block() throws Exception;

        /**
         * Thread B, in the warm-up round only, once {@link #block} has returned: gives back
         * what it took, so that the warm-up runs every path of a whole round once.
         *
         * @throws Exception on failure (the probe reports ERROR)
         */
        default void releaseBlocked() throws Exception {
        }

        /**
         * Main thread: gives back what {@link #hold} took.
         *
         * @throws Exception on failure (the probe reports ERROR)
         */
        void release() throws Exception;

        /**
         * Main thread, after B's call threw OutOfMemoryError and before {@link #release}:
         * adds every trace of B's call that it finds.
         *
         * @param problems where to add them
         * @throws Exception on failure (the probe reports ERROR)
         */
        default void checkHeld(List<String> problems) throws Exception {
        }

        /**
         * Main thread, after {@link #release}: adds every way the primitive fails others.
         *
         * @param problems where to add them
         * @throws Exception on failure (the probe reports ERROR)
         */
        void checkReleased(List<String> problems) throws Exception;
    }

    /**
     * Runs a warm-up round and then up to {@link #ATTEMPTS} rounds with the heap filled;
     * prints the verdict and exits with its status. The warm-up round (heap not filled, and B
     * also gives back what its call took) runs every path of a whole round once, as any
     * program that has used the primitive has: the first run of a path loads its classes and
     * links its VarHandle call sites, which allocates, so at a full heap it would fail in
     * code that has nothing to do with the registration under test (an undo path that
     * unlocks, say).
     *
     * @param name the case's name, for the verdict line
     * @param cases makes a fresh case for each round
     */
    public static void run(String name, Supplier<? extends Case> cases) {
        int status;
        String detail;
        try {
            Round warm = round(cases.get(), false);
            if (warm.outcome == THREW || warm.outcome == OOM) {
                throw new IllegalStateException("warm-up round threw", warm.thrown);
            }
            Round r = null;
            int attempt = 0;
            while (attempt < ATTEMPTS) {
                attempt++;
                r = round(cases.get(), true);
                if (r.outcome != RETURNED) {
                    break;
                }
                System.out.println("attempt " + attempt + ": B's call "
                        + (r.parked ? "parked" : "returned") + " without OutOfMemoryError");
            }
            if (r.outcome == RETURNED) {
                status = NO_OOM;
                detail = "no OOM reached: in " + attempt + " attempts with the heap full, the"
                        + " blocking call " + (r.parked ? "parked" : "returned")
                        + " without throwing OutOfMemoryError, so nothing was tested";
            } else if (r.outcome == THREW) {
                status = ERROR;
                detail = "B's call threw " + r.thrown + " instead of OutOfMemoryError";
                r.thrown.printStackTrace(System.out);
            } else {
                System.out.println("attempt " + attempt + ": B's call threw " + describe(r.thrown)
                        + (r.parked ? " after it had parked" : ""));
                status = r.problems.isEmpty() ? CLEAN : STRANDED;
                detail = r.problems.isEmpty()
                        ? "the call that threw OutOfMemoryError left no trace"
                        : String.join("; ", r.problems);
            }
        } catch (Throwable t) {
            status = ERROR;
            detail = "probe failed: " + t;
            t.printStackTrace(System.out);
        }
        System.out.println("VERDICT " + statusName(status) + " " + name + ": " + detail);
        System.out.flush();
        System.exit(status);
    }

    /** What one round found. */
    private static final class Round {
        int outcome;
        Throwable thrown;
        boolean parked;
        final List<String> problems = new ArrayList<>();
    }

    /** Thread B's body: fills the heap (if asked), calls block(), drops the filler, reports. */
    private static final class Blocker implements Runnable {
        private final Case c;
        private final boolean fill;
        volatile Throwable thrown;      // written before outcome
        volatile int outcome = RUNNING;

        Blocker(Case c, boolean fill) {
            this.c = c;
            this.fill = fill;
        }

        @Override
        public void run() {
            Object[] filler = fill ? fillHeap() : null;
            Throwable t = null;
            int o;
            try {
                c.block();
                o = RETURNED;
                if (!fill) {
                    c.releaseBlocked();
                }
            } catch (OutOfMemoryError e) {
                t = e;
                o = OOM;
            } catch (Throwable e) {
                t = e;
                o = THREW;
            } finally {
                Reference.reachabilityFence(filler);    // full until block() is over
            }
            filler = null;
            thrown = t;
            outcome = o;
        }
    }

    private static Round round(Case c, boolean fill) throws Exception {
        c.hold();
        Blocker blocker = new Blocker(c, fill);
        Thread b = new Thread(blocker, "B");
        b.setDaemon(true);
        b.start();
        // No allocation from here until B reports: it may hold the whole heap.
        boolean released = false;
        boolean parked = false;
        final long start = System.nanoTime();
        while (blocker.outcome == RUNNING) {
            if (System.nanoTime() - start > ROUND_NANOS) {
                throw new IllegalStateException("B's call neither threw nor returned"
                        + (released ? " after release()" : " nor parked") + " within 30 s");
            }
            if (!released) {
                Thread.State st = b.getState();
                if (st == Thread.State.WAITING || st == Thread.State.TIMED_WAITING) {
                    parked = true;      // B sleeps in block(): its allocations succeeded
                    c.release();
                    released = true;
                }
            }
            LockSupport.parkNanos(1_000_000L);
        }
        b.join();
        Round r = new Round();
        r.outcome = blocker.outcome;
        r.thrown = blocker.thrown;
        r.parked = parked;
        if (r.outcome == OOM) {
            if (!released) {
                c.checkHeld(r.problems);
                c.release();
            }
            c.checkReleased(r.problems);
        }
        return r;
    }

    /**
     * Fills the heap with a chain of arrays, 1 MiB ones first and then ever smaller ones, down
     * to one-element arrays (24 bytes), each failing size halving the next; returns the chain,
     * which the caller keeps reachable as long as the heap is to stay full.
     */
    private static Object[] fillHeap() {
        Object[] chain = null;
        int n = 1 << 18;    // Object[n] takes 4n + 16 bytes with compressed oops
        while (n > 0) {
            try {
                Object[] a = new Object[n];
                a[0] = chain;
                chain = a;
            } catch (OutOfMemoryError e) {
                n >>>= 1;
            }
        }
        return chain;
    }

    private static String describe(Throwable t) {
        StackTraceElement[] st = t.getStackTrace();
        StringBuilder sb = new StringBuilder(t.toString());
        if (st.length == 0) {
            sb.append(" (no stack trace: the JVM's preallocated ones were used up by the fill)");
        }
        for (int i = 0; i < Math.min(4, st.length); i++) {
            sb.append(i == 0 ? " at " : " < ").append(st[i]);
        }
        return sb.toString();
    }

    private static String statusName(int status) {
        switch (status) {
            case CLEAN:
                return "CLEAN";
            case STRANDED:
                return "STRANDED";
            case NO_OOM:
                return "NO-OOM";
            default:
                return "ERROR";
        }
    }

    // Helpers for the checks

    /**
     * Runs {@code task} on a new thread and returns its result; a task still running after
     * {@code 2 * BOUND} counts as hung.
     *
     * @param task what the other thread does
     * @param <T> the result type
     * @return the task's result
     * @throws Exception what the task threw, or TimeoutException if it hung (it is then
     *     interrupted and left behind)
     */
    public static <T> T onOtherThread(Callable<T> task) throws Exception {
        FutureTask<T> f = new FutureTask<>(task);
        Thread t = TestThreads.startPlatform(f);
        try {
            return f.get(2 * BOUND.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            t.interrupt();
            throw e;
        }
    }

    /**
     * Starts {@code task} on a new thread and returns once that thread parks (waits in the
     * task) or the task has finished, whichever comes first.
     *
     * @param task what the other thread does
     * @param <T> the result type
     * @return the task's future
     */
    public static <T> FutureTask<T> startAndAwaitPark(Callable<T> task) {
        FutureTask<T> f = new FutureTask<>(task);
        Thread t = TestThreads.startPlatform(f);
        long start = System.nanoTime();
        while (!f.isDone() && System.nanoTime() - start < BOUND.toNanos()) {
            Thread.State st = t.getState();
            if (st == Thread.State.WAITING || st == Thread.State.TIMED_WAITING) {
                break;
            }
            Thread.onSpinWait();
        }
        return f;
    }

    /**
     * The result of {@code f}, or a description of its failure as a problem.
     *
     * @param f a started task
     * @param problems where to add the failure
     * @param what the operation, for the message
     * @param <T> the result type
     * @return the result, or null if it failed (the problem is added)
     */
    public static <T> T result(FutureTask<T> f, List<String> problems, String what) {
        try {
            return f.get(2 * BOUND.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            problems.add(what + " hung");
        } catch (Exception e) {
            problems.add(what + " threw " + (e.getCause() != null ? e.getCause() : e));
        }
        return null;
    }
}
