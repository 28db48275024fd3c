package dev.gosync;

import dev.gosync.internal.Sema;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Objects;

/**
 * A counter of outstanding tasks that threads can wait on until it drops to zero.
 *
 * <p><b>Go equivalent:</b> {@code sync.WaitGroup}: {@code add}, {@code done} and {@code go}
 * are Go's {@code Add}, {@code Done} and {@code Go} (1.25), {@code await} is {@code Wait}
 * (renamed: {@code Object.wait} is final). The fan-out/join idiom:
 * <pre>{@code
 * var wg = new WaitGroup();
 * for (var shard : shards) wg.go(() -> process(shard));
 * wg.await();
 * }</pre>
 * {@link #go} starts each task with {@link Go#go} (a virtual thread on Java 21+) and counts it
 * down when it ends, also when it throws: the exception then goes to the thread's uncaught
 * exception handler. (Go 1.26 skips {@code Done} on a panic because the panic is about to end the
 * process; a JVM survives an uncaught exception, so skipping it would only hang {@code await}.)
 * The counter is a 32-bit signed int, as in Go. A {@code WaitGroup} may be reused for another
 * round once every {@code await} of the previous round has returned.
 *
 * <p>Java additions: {@link #await()} is interruptible and {@link #await(Duration)} gives up after
 * a time-out; both leave the group as if they had not waited. {@link #count()} is for monitoring.
 *
 * <p><b>Memory consistency effects:</b> actions before a {@code done()} (or {@code add} with a
 * negative delta) happen-before the return of every {@code await} it releases, and every
 * {@code await} that returns normally (or {@code true}) having seen the counter at zero. With
 * {@link #go}: actions before {@code go(task)} happen-before the task's actions, and the task's
 * actions happen-before the return of every {@code await} it releases. (jcstress:
 * {@code WaitGroupStress.DoneHappensBeforeAwait}, {@code WaitGroupStress.ConcurrentDonesRelease},
 * {@code WaitGroupStress.GoPublishesBothWays}, {@code WaitGroupStress.TimedAwaitRacingDone}.)
 *
 * <p><b>Misuse:</b> a counter that would go below zero throws
 * {@code IllegalStateException("sync: negative WaitGroup counter")} and is left as it was (Go
 * stores the negative value and then panics); one that would exceed {@code Integer.MAX_VALUE}
 * throws {@code IllegalStateException("sync: WaitGroup counter overflow")} (undefined in Go).
 * Go's reuse misuse, a new round begun ({@code add} from zero) before every {@code await} of the
 * previous round has returned, is detected where Go detects it: a released waiter that finds the
 * group no longer at rest throws {@code IllegalStateException("sync: WaitGroup is reused before
 * previous Wait has returned")}; not every such race can be seen. Go's "Add called concurrently
 * with Wait" cannot arise: here the release of the waiters is one atomic step with the drop to
 * zero, so an {@code add} always lands either before or after it.
 *
 * <p><b>Progress:</b> {@code add}, {@code done} and {@code count} never block (lock-free CAS
 * loops; the {@code add} that reaches zero also unparks the waiters); {@code await} on a zero
 * counter is one volatile read, otherwise it blocks (parks); {@code go} starts a thread.
 */
public final class WaitGroup {
    /*
     * Implementation notes. As in Go, the counter and the number of sleeping waiters share one
     * 64-bit word, and waiters sleep on a runtime semaphore (here dev.gosync.internal.Sema).
     * await() counts itself in by CAS while the counter is non-zero, then acquires a permit. The
     * add() that brings the counter to zero with n waiters counted in replaces the whole word by
     * 0 in the same CAS and then releases n permits, one per waiter: so a zero counter always
     * means "no waiters" (the word is exactly 0), and a waiter can never miss its wake-up.
     * Unlike Go's Add, every update is a CAS loop rather than an atomic add: that lets a misuse
     * throw before anything is written, and makes "drop to zero + detach the waiters" atomic.
     *
     * A waiter that times out or is interrupted must leave without corrupting the count. It
     * retries a CAS that takes one waiter off the word while its round is still on (counter > 0
     * and waiters > 0). If instead the word shows its round has ended (a drop to zero already
     * detached it and its permit is granted or about to be), it takes that permit without
     * waiting for the time-out, so no stray permit survives into a later round, and reports
     * success: the counter did reach zero. (Under the reuse misuse, a new round's waiters can
     * make the word look like the old round; that case cannot be told apart without a
     * generation count and is one of the misuse races not detected.)
     *
     * go(task) adds one CAS on the state word and one 24-byte wrapper (the lambda that counts
     * the task out) to Go.go; neither shows in a fan-out's time. With 10,000 tasks finishing on
     * two carriers while the starting thread still adds, the shared word is contended, but
     * starting the same threads after one add(10_000), or counting them on a CountDownLatch,
     * took the same time to within noise (JDK 25; see Go's notes for what did matter).
     *
     * State word (long; changed only through STATE):
     *   bits 63..32  counter (signed int, as Go's int32)
     *   bits 31..0   number of waiters counted in (unsigned); zero whenever the counter is
     *                zero. await() refuses a 2^32-1st waiter rather than carry into the counter.
     */
    private static final int COUNT_SHIFT = 32;
    private static final long ONE_WAITER = 1L;
    private static final long WAITER_MASK = 0xFFFF_FFFFL;
    private volatile long state;

    /** Where waiters sleep: one permit per waiter, released when the counter drops to zero. */
    private final Sema sema = new Sema();

    /** Creates a {@code WaitGroup} with a zero counter (Go's zero value). */
    public WaitGroup() {
    }

    /**
     * Adds {@code delta}, which may be negative, to the counter. When the counter becomes zero,
     * every thread blocked in {@code await} is released. As in Go, an {@code add} with a positive
     * delta on a zero counter must happen before the {@code await} it is meant to hold back
     * (typically: before starting the task it counts), and a new round must not begin before
     * every {@code await} of the previous round has returned.
     *
     * @param delta the amount to add to the counter
     * @throws IllegalStateException with message {@code "sync: negative WaitGroup counter"} if
     *         the counter would go below zero, or {@code "sync: WaitGroup counter overflow"} if it
     *         would exceed {@code Integer.MAX_VALUE}; the counter is left as it was
     */
    public void add(int delta) {
        long s = state;
        long n = s + ((long) delta << COUNT_SHIFT);   // n < 0: counter < 0 or > MAX_VALUE
        // fast path: the counter stays positive, or reaches zero with no waiter counted in
        // (either test fails for n < 0, so misuse always takes the slow path and throws there)
        if ((n > WAITER_MASK || n == 0L) && STATE.compareAndSet(this, s, n)) {
            return;
        }
        addSlow(delta);
    }

    /**
     * Decrements the counter by one; the same as {@code add(-1)}. This {@code done()}
     * happens-before the return of every {@code await} it releases.
     *
     * @throws IllegalStateException with message {@code "sync: negative WaitGroup counter"} if
     *         the counter is zero; it stays zero
     */
    public void done() {
        add(-1);
    }

    /**
     * Waits until the counter is zero. Returns at once if it is zero already (even if the
     * thread is interrupted, as Go's {@code Wait} cannot be).
     *
     * @throws InterruptedException if the thread is interrupted while waiting (or on entry with
     *         a non-zero counter); the group is left as if this call had not waited. If the
     *         counter reached zero just as the interrupt came, the call returns normally instead
     *         and the interrupt status stays set.
     * @throws IllegalStateException with message {@code "sync: WaitGroup is reused before
     *         previous Wait has returned"} if, when this waiter was released, a new round had
     *         already begun
     */
    public void await() throws InterruptedException {
        if (state != 0L) {
            awaitSlow(false, 0L);    // kept out of line so await() inlines at every call site
        }
    }

    /**
     * Waits until the counter is zero or the time-out elapses, whichever comes first.
     *
     * @param timeout how long to wait at most; zero or negative means do not wait
     * @return true if the counter was seen at zero, false if the time-out elapsed first (the
     *         group is then left as if this call had not waited)
     * @throws NullPointerException if {@code timeout} is null
     * @throws InterruptedException if the thread is interrupted while waiting (or on entry with
     *         a non-zero counter), handled as in {@link #await()}
     * @throws IllegalStateException as {@link #await()} does, for the reuse misuse
     */
    public boolean await(Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        if (state == 0L) {
            return true;
        }
        long nanos;
        try {
            nanos = timeout.toNanos();
        } catch (ArithmeticException e) {
            nanos = timeout.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;    // saturate
        }
        if (nanos <= 0L) {
            return false;
        }
        return awaitSlow(true, nanos);
    }

    /**
     * Runs {@code task} on a new thread ({@link Go#go}: a virtual thread on Java 21+) counted
     * in this group: {@code add(1)} now, {@code done()} when the task ends, normally or by an
     * exception, which then goes on to the thread's uncaught exception handler. Go's rules for
     * {@code add} apply: on a zero counter, {@code go} must happen before the {@code await} it
     * should hold back; a running task may itself call {@code go}.
     *
     * @param task the code to run
     * @return the started thread
     * @throws NullPointerException if {@code task} is null; nothing is counted
     * @throws IllegalStateException with message {@code "sync: WaitGroup counter overflow"} if
     *         the counter is already {@code Integer.MAX_VALUE}; nothing is started
     */
    public Thread go(Runnable task) {
        Objects.requireNonNull(task, "task");
        add(1);
        try {
            return Go.go(() -> {
                try {
                    task.run();
                } finally {
                    done();
                }
            });
        } catch (Throwable t) {
            done();         // the thread did not start (e.g. OutOfMemoryError): uncount it
            throw t;
        }
    }

    /**
     * Returns the current counter. For monitoring only: it may change at any time.
     *
     * @return the counter (the number of outstanding tasks)
     */
    public int count() {
        return (int) (state >> COUNT_SHIFT);
    }

    /**
     * Returns a string identifying this group, its counter and its number of waiters.
     *
     * @return a string describing this group
     */
    @Override
    public String toString() {
        long s = state;
        return super.toString() + "[count=" + (int) (s >> COUNT_SHIFT)
                + ", waiters=" + (s & WAITER_MASK) + "]";
    }

    // ------------------------------------------------------------------------------------------
    // Slow paths

    private void addSlow(int delta) {
        for (;;) {
            long s = state;
            long c = (s >> COUNT_SHIFT) + delta;    // exact: int + int in long arithmetic
            if (c < 0) {
                throw new IllegalStateException("sync: negative WaitGroup counter");
            }
            if (c > Integer.MAX_VALUE) {
                throw new IllegalStateException("sync: WaitGroup counter overflow");
            }
            long w = s & WAITER_MASK;
            if (c > 0 || w == 0) {
                if (STATE.compareAndSet(this, s, (c << COUNT_SHIFT) | w)) {
                    return;                                     // count only
                }
            } else if (STATE.compareAndSet(this, s, 0L)) {      // drop to zero: detach waiters
                for (; w > 0; w--) {
                    sema.release(false);                        // release; pairs with acquire
                }
                return;
            }
        }
    }

    /**
     * Counts the caller in as a waiter and sleeps until released; with {@code timed}, gives up
     * after {@code nanos}. Returns true if released (or the counter was seen at zero).
     */
    private boolean awaitSlow(boolean timed, long nanos) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        for (;;) {
            long s = state;
            if (s >>> COUNT_SHIFT == 0L) {
                return true;                    // zero counter (the word is 0)
            }
            if ((s & WAITER_MASK) == WAITER_MASK) {
                throw new IllegalStateException("sync: too many WaitGroup waiters");
            }
            if (STATE.compareAndSet(this, s, s + ONE_WAITER)) {
                break;
            }
        }
        boolean released;
        try {
            released = timed ? sema.acquireNanos(false, nanos) : acquireInterruptibly();
        } catch (InterruptedException e) {
            if (leave()) {
                throw e;
            }
            Thread.currentThread().interrupt(); // released as the interrupt came: keep it set
            released = true;
        }
        if (!released && leave()) {
            return false;
        }
        if (state != 0L) {
            throw new IllegalStateException(
                    "sync: WaitGroup is reused before previous Wait has returned");
        }
        return true;
    }

    private boolean acquireInterruptibly() throws InterruptedException {
        sema.acquireInterruptibly(false);
        return true;
    }

    /**
     * Called by a waiter that timed out or was interrupted: takes it off the word and returns
     * true while its round is on; otherwise its round has ended, so it takes the permit that
     * the drop to zero granted it (uninterruptibly: the release is already under way) and
     * returns false.
     */
    private boolean leave() {
        for (;;) {
            long s = state;
            if ((s >> COUNT_SHIFT) <= 0L || (s & WAITER_MASK) == 0L) {
                sema.acquire(false);
                return false;
            }
            if (STATE.compareAndSet(this, s, s - ONE_WAITER)) {
                return true;
            }
        }
    }

    // VarHandle mechanics
    private static final VarHandle STATE;   // field "state"

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(WaitGroup.class, "state", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
