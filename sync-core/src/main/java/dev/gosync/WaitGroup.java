package dev.gosync;

import dev.gosync.internal.LockOrder;
import dev.gosync.internal.Sema;
import dev.gosync.internal.Timeouts;
import dev.gosync.internal.WaitMode;
import dev.gosync.internal.WaitGroupWaitEvent;
import dev.gosync.internal.Waiter;
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
 * {@code WaitGroupStress.GoPublishesBothWays}, {@code WaitGroupStress.GoCountOutsRelease},
 * {@code WaitGroupStress.GoDeferredCountOutsRelease},
 * {@code WaitGroupStress.TimedAwaitRacingDone}.)
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
 * zero, so an {@code add} always lands either before or after it. A task started by
 * {@link #go} that also calls {@code done()} for itself is counted out twice: as in Go, the
 * count-out that finds the counter at zero fails, in the task's thread (its uncaught exception
 * handler gets Go's message). While the counter is above 60, {@code go} tasks' count-outs are
 * gathered and applied in batches (see {@link #go}); a batch that would take the counter below
 * zero brings it to zero and throws the message in the thread that applies it, a task of the
 * group or an {@code add} (which then has made its own change if the batch came after it, and
 * not if before).
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
     * Deferred count-outs. In a large fan-out, a count-out that CASes the one state word from
     * whichever carrier ran the task moves that word's cache line between the carriers once
     * per task (the measurements are in sync-bench/NOTES.md). So while the counter exceeds
     * DEFER_BOUND, a go() task adds its count-out to one of OUT_CELLS cells, each on its own
     * cache lines (the task's cell is picked round-robin by go()), and the state word keeps
     * counting it until some thread "folds" the cells: drains them all (getAndSet 0) and
     * subtracts the sum in one CAS. Explicit add/done never defer. The rules:
     *   1. A task that fills its cell to OUT_BATCH folds (so no cell ever holds OUT_BATCH
     *      count-outs whose depositor has finished).
     *   2. A task re-reads the state word after its deposit (a full fence: getAndAdd). If the
     *      counter has meanwhile come down to DEFER_BOUND or below, it folds; otherwise it
     *      leaves its count-out in the cell, but only once PENDING is set (it sets it by CAS).
     *   3. PENDING is cleared only by a CAS that takes the counter to DEFER_BOUND or below (an
     *      add's, or a fold's), and whoever makes that CAS folds once more after it. An add
     *      also folds before it, so that its misuse check counts every ended task (but for
     *      count-outs another thread has drained and not yet subtracted: a misuse that only
     *      they reveal is then reported by that thread's fold, see the class description).
     *   4. While PENDING is set the word is negative, so add's fast path and await's fail and
     *      every add goes through the slow path, which applies rule 3 (add's comment says why
     *      that holds for every delta). For done() and add(1), the fast path needs no test of
     *      its own for deferral, since the sign bit already fails it: that is why PENDING
     *      exists (rejected: a threshold test on that path, because it slows every add+done).
     * Why nothing is stranded: a count-out left in a cell was left with PENDING set (rule 2),
     * after its deposit; the CAS that next clears PENDING comes later still, and its thread's
     * fold drains the deposit (rule 3). A deposit whose depositor re-reads after that CAS sees
     * the lower counter and folds it itself; one whose depositor saw PENDING set before the
     * CAS is drained by that fold. And once all that is left of the counter is ended tasks,
     * it equals what the cells hold, which rule 1 keeps at OUT_CELLS * (OUT_BATCH - 1) =
     * DEFER_BOUND at most: so the counter always comes down to DEFER_BOUND, and to zero, and
     * the waiters are released by the CAS that takes it there, as without deferral. So await()
     * needs no change. count() subtracts the cells, so it is exact for tasks the caller has
     * joined, unless a task still running is between draining the cells and its CAS (then it
     * over-counts by what that fold holds, for that moment). Known gap: an add within about
     * 60 of Integer.MAX_VALUE can meet the same window and throw "overflow" although the
     * ended tasks' count-outs would have made room. Publication: a task's writes, its
     * getAndAdd on the cell, the folder's getAndSet of it and the folder's CAS on the state
     * word form one happens-before chain to the await the CAS releases.
     * Costs: below DEFER_BOUND (small fan-outs, the last 60 tasks of a large one) a count-out
     * is add's CAS plus one read; above it, one atomic add on a line the other carrier
     * rarely writes, one or two reads of the state word, and a fold per OUT_BATCH count-outs
     * per cell; go()'s add(1) takes the slow path while PENDING is set (one CAS all the same).
     * done() and add(1) keep their fast path.
     *
     * State word (long; changed only through STATE):
     *   bit  63      PENDING: go() tasks may have left count-outs in the cells (see above);
     *                set only while the counter exceeds DEFER_BOUND. It makes the word
     *                negative, so add's fast path (which needs a positive or zero result) and
     *                await's (which needs 0) fall to the slow paths while it is set.
     *   bits 62..32  counter (0 to Integer.MAX_VALUE, Go's int32 without the negative half)
     *   bits 31..0   number of waiters counted in (unsigned); zero whenever the counter is
     *                zero. await() refuses a 2^32-1st waiter rather than carry into the counter.
     */
    private static final int COUNT_SHIFT = 32;
    private static final long PENDING = Long.MIN_VALUE;
    private static final long COUNT_MASK = 0x7FFF_FFFF_0000_0000L;
    private static final long ONE_WAITER = 1L;
    private static final long WAITER_MASK = 0xFFFF_FFFFL;
    private volatile long state;

    /*
     * Deferred count-outs of go() tasks (see the notes above): OUT_CELLS counters, each alone in
     * its own 128 bytes of the array (index OUT_STRIDE * (1 + k)), so that two carriers counting
     * out at once rarely write the same cache line.
     */
    private static final int OUT_CELLS = 4;             // a power of two
    private static final int OUT_STRIDE = 16;           // longs: 128 bytes
    private static final long OUT_BATCH = 16;           // a cell this full is folded at once
    /** The largest counter at which count-outs are never deferred: every cell below its batch. */
    private static final long DEFER_BOUND = OUT_CELLS * (OUT_BATCH - 1);

    /**
     * Count-outs of go() tasks that ended while the counter exceeded DEFER_BOUND and that the
     * state word still counts; null until the first deferred one. Set once, through
     * OUTS; its cells change only through CELLS.
     */
    private volatile long[] outs;

    /** Which cell go()'s next task counts out to; racy on purpose (any value is correct). */
    private int nextOut;

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
        long n = s + ((long) delta << COUNT_SHIFT);   // for s >= 0, n < 0 iff the counter
                                                      // would be < 0 or > MAX_VALUE
        // fast path: the counter stays positive, or a negative delta takes it to zero with no
        // waiter counted in; both tests fail for n < 0, so with PENDING clear (s >= 0) misuse
        // always takes the slow path and throws there. With PENDING set (s < 0) the sum wraps
        // past bit 63 only if the counter would leave [0, MAX_VALUE], which delta = +1 or -1
        // cannot do without n landing in [0, WAITER_MASK] (PENDING means counter > 60), so
        // only other deltas test s. Where delta is a constant (done(), add(1)) the JIT folds
        // the delta tests away, so those calls never test s (rejected: testing s >= 0 for every
        // delta, because one more test on this path measurably slows add+done).
        if ((n > WAITER_MASK || n == 0L && delta < 0)
                && (delta == 1 || delta == -1 || s >= 0L)
                && STATE.compareAndSet(this, s, n)) {
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
        if (LockOrder.ON) LockOrder.waiting(this);      // warns if a lock is held
        if (state != 0L) {
            awaitSlow(WaitMode.INTERRUPTIBLE, 0L);  // out of line so await() inlines everywhere
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
        if (LockOrder.ON) LockOrder.waiting(this);      // warns if a lock is held
        if (state == 0L) {
            return true;
        }
        long nanos = Timeouts.nanos(timeout);
        if (nanos <= 0L) {
            return false;
        }
        return awaitSlow(WaitMode.TIMED, nanos);
    }

    /**
     * Runs {@code task} on a new thread ({@link Go#go}: a virtual thread on Java 21+) counted
     * in this group: {@code add(1)} now, {@code done()} when the task ends, normally or by an
     * exception, which then goes on to the thread's uncaught exception handler. Go's rules for
     * {@code add} apply: on a zero counter, {@code go} must happen before the {@code await} it
     * should hold back; a running task may itself call {@code go}.
     *
     * <p>While the counter is above 60 (a large fan-out), the tasks count themselves out on a
     * few separate cache lines instead of the group's one word, and those count-outs are
     * applied to the counter in batches; {@link #count()} includes them. Apart from where a
     * misuse is reported (see the class description), nothing changes but speed: the task's
     * actions still happen-before the return of the {@code await} its count-out releases, and
     * the counter still reaches zero, releasing the waiters, when the last task ends.
     *
     * @param task the code to run
     * @return the started thread
     * @throws NullPointerException if {@code task} is null; nothing is counted
     * @throws IllegalStateException with message {@code "sync: WaitGroup counter overflow"} if
     *         the counter is already {@code Integer.MAX_VALUE}; nothing is started
     */
    public Thread go(Runnable task) {
        Objects.requireNonNull(task, "task");
        if (outs == null && counter(state) >= DEFER_BOUND) {
            newOuts();      // here, before counting in: an OutOfMemoryError in the task's
        }                   // count-out would lose it, one after add(1) would leak a count
        add(1);
        int cell = OUT_STRIDE * (1 + (nextOut++ & (OUT_CELLS - 1)));
        try {
            return Go.go(() -> {
                try {
                    task.run();
                } finally {
                    countOut(cell);
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
        long c = counter(state);
        long[] o = outs;
        if (o != null) {
            for (int i = OUT_STRIDE; i < o.length; i += OUT_STRIDE) {
                c -= (long) CELLS.getVolatile(o, i);     // ended tasks not yet folded in
            }
        }
        return (int) Math.max(0L, c);
    }

    /**
     * Returns a string identifying this group, its counter and its number of waiters.
     *
     * @return a string describing this group
     */
    @Override
    public String toString() {
        long s = state;
        return super.toString() + "[count=" + count()
                + ", waiters=" + (s & WAITER_MASK) + "]";
    }

    // ------------------------------------------------------------------------------------------
    // Slow paths

    private void addSlow(int delta) {
        boolean folded = false;
        for (;;) {
            long s = state;
            long c = counter(s) + delta;            // exact: int + int in long arithmetic
            if (c < 0) {
                throw new IllegalStateException("sync: negative WaitGroup counter");
            }
            boolean over = c > Integer.MAX_VALUE;
            long n = over ? 0L : word(s, c);
            boolean clears = (s & ~n & PENDING) != 0L;  // over: any PENDING word clears
            if (clears && !folded) {
                folded = true;      // fold ended tasks in first, so the checks are exact
                foldOuts();
                continue;
            }
            if (over) {
                throw new IllegalStateException("sync: WaitGroup counter overflow");
            }
            if (STATE.compareAndSet(this, s, n)) {
                if (n == 0L) {
                    releaseWaiters(s);                          // drop to zero: detach them
                }
                if (clears) {
                    foldOuts();     // count-outs left while this add was under way
                }
                return;
            }
        }
    }

    /**
     * The count-out of a task started by go(). While the counter exceeds DEFER_BOUND the task
     * adds one to its cell instead of to the contended state word, and leaves it there unless
     * the cell reaches OUT_BATCH or the counter has meanwhile come down to DEFER_BOUND.
     */
    private void countOut(int cell) {
        long[] o = outs;
        if (o == null || counter(state) <= DEFER_BOUND) {
            add(-1);
            return;
        }
        long v = (long) CELLS.getAndAdd(o, cell, 1L) + 1L;      // a full fence, then:
        for (;;) {
            long s = state;
            if (v >= OUT_BATCH || counter(s) <= DEFER_BOUND) {
                foldOuts();
                return;
            }
            if (s < 0L || STATE.compareAndSet(this, s, s | PENDING)) {
                return;             // left in the cell, with PENDING set (s < 0: already was)
            }
        }
    }

    /** The counter held in state word {@code s}. */
    private static long counter(long s) {
        return (s & COUNT_MASK) >>> COUNT_SHIFT;
    }

    /**
     * State word {@code s} with counter {@code c} (0 to MAX_VALUE): 0 when c is 0 (the waiters
     * are then detached, for releaseWaiters); PENDING kept only while c exceeds DEFER_BOUND.
     */
    private static long word(long s, long c) {
        long p = c > DEFER_BOUND ? s & PENDING : 0L;
        return c == 0L ? 0L : p | c << COUNT_SHIFT | (s & WAITER_MASK);
    }

    /** Releases the waiters counted in {@code s}, detached by a CAS from s to 0. */
    private void releaseWaiters(long s) {
        for (long w = s & WAITER_MASK; w > 0; w--) {
            sema.release();                                // release; pairs with acquire
        }
    }

    private void newOuts() {
        OUTS.compareAndSet(this, null, new long[(OUT_CELLS + 1) * OUT_STRIDE]);
    }

    /**
     * Moves every deferred count-out from the cells to the state word (releasing the waiters if
     * the counter reaches zero), and again while that brings the counter down from above
     * DEFER_BOUND. Throws Go's message, after folding, if the cells held more count-outs than
     * the counter had left (done() was called for a task that go() counts out itself).
     */
    private void foldOuts() {
        long[] o = outs;
        if (o == null) {
            return;
        }
        long excess = 0L;
        for (;;) {
            long d = 0L;
            for (int i = OUT_STRIDE; i < o.length; i += OUT_STRIDE) {
                if ((long) CELLS.getVolatile(o, i) != 0L) {
                    d += (long) CELLS.getAndSet(o, i, 0L);
                }
            }
            if (d == 0L) {
                break;
            }
            long s;
            long n;
            long take;
            do {
                s = state;
                take = Math.min(counter(s), d);
                n = word(s, counter(s) - take);
            } while (!STATE.compareAndSet(this, s, n));
            if (n == 0L) {
                releaseWaiters(s);
            }
            excess += d - take;
            if ((s & ~n & PENDING) == 0L) {
                break;              // this fold did not clear PENDING: nothing can be stranded
            }
        }
        if (excess != 0L) {
            throw new IllegalStateException("sync: negative WaitGroup counter");
        }
    }

    /**
     * Counts the caller in as a waiter and sleeps until released; in TIMED mode, gives up
     * after {@code nanos}. Returns true if released (or the counter was seen at zero).
     */
    private boolean awaitSlow(WaitMode mode, long nanos) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        final Waiter node = new Waiter();   // before counting in: an OOM here strands nothing
        for (;;) {
            long s = state;
            if (counter(s) == 0L) {
                return true;                    // zero counter (the word is 0)
            }
            if ((s & WAITER_MASK) == WAITER_MASK) {
                throw new IllegalStateException("sync: too many WaitGroup waiters");
            }
            if (STATE.compareAndSet(this, s, s + ONE_WAITER)) {
                break;
            }
        }
        WaitGroupWaitEvent wait = new WaitGroupWaitEvent();   // JFR: off unless enabled
        wait.begin();
        int outcome = sema.acquire(node, false, mode, nanos);
        if (wait.finish(this, null, outcome, "done")) {
            wait.commit();
        }
        if (outcome != Waiter.GRANTED) {
            if (leave(node)) {
                if (outcome == Waiter.INTERRUPTED) {
                    throw new InterruptedException();
                }
                return false;
            }
            if (outcome == Waiter.INTERRUPTED) {
                Thread.currentThread().interrupt(); // released as the interrupt came: keep it
            }
        }
        if (state != 0L) {
            throw new IllegalStateException(
                    "sync: WaitGroup is reused before previous Wait has returned");
        }
        return true;
    }

    /**
     * Called by a waiter that timed out or was interrupted: takes it off the word and returns
     * true while its round is on; otherwise its round has ended, so it takes the permit that
     * the drop to zero granted it (uninterruptibly: the release is already under way) and
     * returns false.
     */
    private boolean leave(Waiter node) {
        for (;;) {
            long s = state;
            if (counter(s) == 0L || (s & WAITER_MASK) == 0L) {
                sema.acquire(node, false);
                return false;
            }
            if (STATE.compareAndSet(this, s, s - ONE_WAITER)) {
                return true;
            }
        }
    }

    // VarHandle mechanics
    private static final VarHandle STATE;       // field "state"
    private static final VarHandle OUTS;        // field "outs"
    private static final VarHandle CELLS = MethodHandles.arrayElementVarHandle(long[].class);

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            STATE = l.findVarHandle(WaitGroup.class, "state", long.class);
            OUTS = l.findVarHandle(WaitGroup.class, "outs", long[].class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
