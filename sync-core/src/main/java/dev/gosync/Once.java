package dev.gosync;

import dev.gosync.internal.Sema;
import dev.gosync.internal.Waiter;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * An object that performs exactly one action: the first {@link #run} calls its function, every
 * later {@code run} on the same {@code Once} does nothing, whatever function it is given.
 *
 * <p><b>Go equivalent:</b> {@code sync.Once}; {@code once.run(f)} is {@code once.Do(f)}. The
 * static factories are Go 1.21's: {@link #func} is {@code sync.OnceFunc}, {@link #value} is
 * {@code sync.OnceValue} and {@link #values} is {@code sync.OnceValues} (a {@link Callable}
 * returns the value or throws, Java's spelling of Go's {@code (T, error)} pair). {@link #isDone}
 * has no Go counterpart.
 *
 * <p>Callers that arrive while the first function runs wait until it returns (uninterruptibly,
 * as Go's {@code Do} and {@code Mutex.lock()} do). If the function throws, the exception reaches
 * the caller that ran it and the {@code Once} still counts as done, so later calls return at
 * once (Go's panic rule). After completion {@code run} is one volatile read: no lock, no
 * allocation.
 *
 * <p><b>Memory consistency effects:</b> the return (normal or by exception) of the function
 * passed to the first {@code run} happens-before the return of every {@code run} on this
 * {@code Once}, in any thread, and before every {@code isDone()} that returns true. For the
 * memoised functions, the same edge runs from {@code f}'s return to the return of every call.
 * (jcstress: {@code OnceStress.RunPublishesFWrites}, {@code OnceStress.RunsExactlyOnce},
 * {@code OnceStress.ValueSameObject}, {@code OnceStress.FuncSameException},
 * {@code OnceStress.IsDonePublishesFWrites}.)
 *
 * <p><b>Misuse:</b> a function that calls {@code run} on its own {@code Once}, directly or
 * further down its own stack, deadlocks in Go; here that inner call throws
 * {@code IllegalStateException("sync: Once.run called recursively from its own function")} and
 * changes nothing (the outer call still completes the {@code Once} when the function returns or
 * throws). A cycle across threads (the function waits for another thread that calls {@code run}
 * on this {@code Once}) is not detected and deadlocks, as in Go. A null function throws
 * {@code NullPointerException}.
 *
 * <p><b>Progress:</b> {@code run} after completion and {@link #isDone()} are wait-free (one
 * volatile read); a {@code run} that finds the function running blocks (parks) until it returns.
 */
public final class Once {
    /*
     * Implementation notes. Go's Once is {done atomic.Bool; m Mutex}: the first caller locks m,
     * runs f and stores done before unlocking, and latecomers queue on m. Here the lock is
     * folded into the state word: the first caller moves it from NEW to RUNNING with one CAS,
     * latecomers count themselves in and sleep on a Sema, and the runner moves the word to DONE
     * with one getAndSet and releases one permit per counted sleeper. The Sema is created by
     * the first latecomer (most Onces never see one), so an uncontended Once is one small object.
     *
     * The tempting "if (CAS(NEW, DONE)) f.run()" is wrong for the reason Go's source gives: the
     * losers would return before f had finished, without seeing its writes.
     *
     * Re-entrancy: the runner records itself in `runner` before calling f and clears it after.
     * Only the runner ever writes its own Thread there, and a thread always sees its own last
     * write, so "runner == currentThread()" is exact even though other threads read the field
     * racily (they can only ever see null or another thread: a benign race).
     *
     * State word (int; changed only through STATE):
     *   DONE (-1)        f has returned or thrown; final
     *   NEW (0)          no run() yet
     *   RUNNING + n      f is running and n >= 0 callers sleep (or are about to) on sema
     */
    private static final int DONE = -1;
    private static final int NEW = 0;
    private static final int RUNNING = 1;
    private volatile int state;

    /** Thread running f while state >= RUNNING, else null; written only by that thread. */
    private Thread runner;

    /** Where latecomers sleep; created by the first latecomer, published by CAS. */
    private volatile Sema sema;

    /** Creates a {@code Once} that has not run yet (Go's zero value). */
    public Once() {
    }

    /**
     * Calls {@code f} if and only if no earlier {@code run} on this {@code Once} has; otherwise
     * returns once the first function has returned (waiting for it if it is still running).
     *
     * @param f the function to run; ignored (but still null-checked) once this {@code Once} has
     *          run a function
     * @throws NullPointerException if {@code f} is null
     * @throws IllegalStateException if called by the function this {@code Once} is running
     *         (Go deadlocks); nothing changes
     * @throws RuntimeException whatever {@code f} threw (an {@link Error} likewise), in the
     *         caller that ran it only; the {@code Once} is then done all the same
     */
    public void run(Runnable f) {
        Objects.requireNonNull(f, "f");
        if (state != DONE) {
            runSlow(f);      // kept out of line so run() inlines at every call site
        }
    }

    /**
     * Tells whether the first function has returned (or thrown). Monitoring aside, a true result
     * also means its writes are visible to the caller.
     *
     * @return true once the function of the first {@link #run} has completed
     */
    public boolean isDone() {
        return state == DONE;
    }

    /**
     * Returns a string identifying this {@code Once} and its state ({@code new}, {@code running}
     * or {@code done}).
     *
     * @return a string describing this {@code Once}
     */
    @Override
    public String toString() {
        int s = state;
        String st = s == DONE ? "done" : s == NEW ? "new" : "running";
        return super.toString() + "[" + st + "]";
    }

    // ------------------------------------------------------------------------------------------
    // Go 1.21 memoising factories

    /**
     * Returns a {@code Runnable} that runs {@code f} on its first call only (Go's
     * {@code sync.OnceFunc}). It may be called concurrently; callers that arrive while
     * {@code f} runs wait for it. If {@code f} threw, the first call propagates that exception
     * and every later call throws the very same instance. The returned function drops its
     * reference to {@code f} after the first call (even if {@code f} threw), so whatever
     * {@code f} captured can be collected.
     *
     * @param f the function to run once
     * @return a function that runs {@code f} once
     * @throws NullPointerException if {@code f} is null
     */
    public static Runnable func(Runnable f) {
        return new OnceFunc(Objects.requireNonNull(f, "f"));
    }

    /**
     * Returns a {@code Supplier} that calls {@code f} on its first call only and returns its
     * result on every call (Go's {@code sync.OnceValue}). It may be called concurrently. If
     * {@code f} threw, every call throws the very same exception instance. The returned
     * supplier drops its reference to {@code f} after the first call.
     *
     * @param <T> the result type
     * @param f the function to call once
     * @return a supplier of {@code f}'s one result
     * @throws NullPointerException if {@code f} is null
     */
    public static <T> Supplier<T> value(Supplier<T> f) {
        return new OnceValue<>(Objects.requireNonNull(f, "f"));
    }

    /**
     * Returns a {@code Callable} that calls {@code f} on its first call only and then returns
     * its result, or throws its exception, on every call (Go's {@code sync.OnceValues}, whose
     * {@code (T, error)} pair is Java's value-or-exception). The very same exception instance
     * is thrown every time, checked exceptions included. It may be called concurrently, and
     * drops its reference to {@code f} after the first call.
     *
     * @param <T> the result type
     * @param f the function to call once
     * @return a callable that yields {@code f}'s one outcome
     * @throws NullPointerException if {@code f} is null
     */
    public static <T> Callable<T> values(Callable<T> f) {
        return new OnceValues<>(Objects.requireNonNull(f, "f"));
    }

    // ------------------------------------------------------------------------------------------
    // Slow path

    private void runSlow(Runnable f) {
        Thread me = Thread.currentThread();
        for (;;) {
            int s = state;
            if (s == DONE) {
                return;
            } else if (s == NEW) {
                if (STATE.compareAndSet(this, NEW, RUNNING)) {          // NEW -> RUNNING
                    runFirst(f, me);
                    return;
                }
            } else if (runner == me) {
                throw new IllegalStateException(
                        "sync: Once.run called recursively from its own function");
            } else {
                Sema q = semaOrCreate();                               // before counting in,
                Waiter w = new Waiter();                               // as is the waiter
                if (STATE.compareAndSet(this, s, s + 1)) {             // count in as sleeper
                    q.acquire(w, false); // the runner releases one permit per counted sleeper
                    return;
                }
            }
        }
    }

    private void runFirst(Runnable f, Thread me) {
        runner = me;
        try {
            f.run();
        } finally {
            runner = null;
            int s = (int) STATE.getAndSet(this, DONE);                  // RUNNING + n -> DONE
            for (int n = s - RUNNING; n > 0; n--) {
                sema.release();          // non-null: each sleeper created it before counting in
            }
        }
    }

    private Sema semaOrCreate() {
        Sema q = sema;
        if (q == null) {
            q = new Sema();
            if (!SEMA.compareAndSet(this, null, q)) {
                q = sema;
            }
        }
        return q;
    }

    // ------------------------------------------------------------------------------------------
    // Memoised functions. Each holds f until its first call; result and failure are written by
    // the function run under `once` and read only after once.run returns, which orders them.
    // value() and values() also keep their value in a volatile field, so that every call after
    // the first returns a non-null value after one volatile read and a null check, as a
    // hand-written memoising Supplier does (rejected: checking the Once and then reading value
    // and failure, or sentinels for null and for failure, because both are slower; see
    // sync-bench/NOTES.md). A null value or a failure takes the slow path on every call:
    // once.run's fast path, then failure.

    private static final class OnceFunc implements Runnable {
        private final Once once = new Once();
        private final Runnable body = this::first;
        private Runnable f;            // null after the first call; written under once
        private Throwable failure;     // f's exception, if any; written under once

        OnceFunc(Runnable f) {
            this.f = f;
        }

        @Override
        public void run() {
            once.run(body);
            Throwable t = failure;
            if (t != null) {
                throw Once.<RuntimeException>sneaky(t);
            }
        }

        private void first() {
            Runnable g = f;
            f = null;
            try {
                g.run();
            } catch (Throwable t) {
                failure = t;
                throw t;
            }
        }
    }

    private static final class OnceValue<T> implements Supplier<T> {
        private final Once once = new Once();
        private final Runnable body = this::first;
        private Supplier<T> f;         // null after the first call; written under once
        private volatile T value;      // f's value; null until then, and if f returned null
        private Throwable failure;     // written under once

        OnceValue(Supplier<T> f) {
            this.f = f;
        }

        @Override
        public T get() {
            T v = value;                // after the first call: this one volatile read
            return v != null ? v : getSlow();
        }

        private T getSlow() {
            once.run(body);             // f's own caller gets f's exception from here
            Throwable t = failure;
            if (t != null) {
                throw Once.<RuntimeException>sneaky(t);
            }
            return value;
        }

        private void first() {
            Supplier<T> g = f;
            f = null;
            try {
                value = g.get();
            } catch (Throwable t) {
                failure = t;
                throw t;
            }
        }
    }

    private static final class OnceValues<T> implements Callable<T> {
        private final Once once = new Once();
        private final Runnable body = this::first;
        private Callable<T> f;         // null after the first call; written under once
        private volatile T value;      // f's value; null until then, and if f returned null
        private Throwable failure;     // written under once

        OnceValues(Callable<T> f) {
            this.f = f;
        }

        @Override
        public T call() throws Exception {
            T v = value;                // after the first call: this one volatile read
            return v != null ? v : callSlow();
        }

        private T callSlow() throws Exception {
            once.run(body);             // f's own caller gets f's exception from here
            Throwable t = failure;
            if (t != null) {
                throw Once.<Exception>sneaky(t);
            }
            return value;
        }

        private void first() {
            Callable<T> g = f;
            f = null;
            try {
                value = g.call();
            } catch (Throwable t) {
                failure = t;
                throw Once.<RuntimeException>sneaky(t);   // checked ones pass through run()
            }
        }
    }

    /** Throws {@code t} unchanged, checked or not; declared to return so callers can "throw". */
    @SuppressWarnings("unchecked")
    private static <X extends Throwable> X sneaky(Throwable t) throws X {
        throw (X) t;
    }

    // VarHandle mechanics
    private static final VarHandle STATE;   // field "state"
    private static final VarHandle SEMA;    // field "sema"

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            STATE = l.findVarHandle(Once.class, "state", int.class);
            SEMA = l.findVarHandle(Once.class, "sema", Sema.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
