package dev.gosync;

import dev.gosync.internal.LockOrder;
import dev.gosync.internal.NotifyList;
import dev.gosync.internal.Timeouts;
import dev.gosync.internal.Waiter;
import java.time.Duration;
import java.util.Date;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;

/**
 * A condition variable: a rendezvous point for threads waiting for, or announcing, a change of
 * a condition guarded by a {@link Locker} L.
 *
 * <p><b>Go equivalent:</b> {@code sync.Cond} ({@code sync.NewCond(l)} is {@code new Cond(l)},
 * {@code c.L} is {@link #locker()}, {@code Wait} is {@link #await()}, {@code Broadcast} is
 * {@link #broadcast()}). It works with a {@link Mutex}, an {@link RWMutex}, an
 * {@link RWMutex#rLocker()} or any user {@code Locker}.
 *
 * <pre>{@code
 * try (var held = mu.locked()) {
 *     while (!ready) {
 *         cond.await();   // unlocks mu while waiting, locks it again before returning
 *     }
 *     use(data);
 * }
 * }</pre>
 *
 * <p><b>Stricter than {@link Condition}</b>, as Go's Cond is: there are no spurious wake-ups
 * (an {@code await} returns only when signalled, interrupted or timed out); {@link #signal()}
 * wakes the waiter that enrolled first, and a waiter enrols <em>before</em> it releases L, so a
 * signal sent after a waiter released L (but before it parked) is never lost; and
 * {@code signal}/{@code broadcast} may be called with or without holding L. Every
 * {@code await} form re-locks L before it returns or throws, also when interrupted.
 *
 * <p><b>Memory consistency effects:</b> actions before a {@code signal()} or
 * {@code broadcast()} happen-before the return of every {@code await} it wakes (and, through
 * L, the waiter sees everything written under L before the signaller unlocked it). (jcstress:
 * {@code CondStress.SignalHappensBeforeWakeUp}, {@code CondStress.SignalOutsideLockIsNotLost}.)
 *
 * <p><b>Interruption and time-outs:</b> an interrupted or timed-out waiter leaves the list; a
 * signal that raced with it goes to the next waiter instead (none is lost). If the signal won
 * the race, the wait returns normally with the interrupt status set.
 *
 * <p><b>Misuse:</b> calling {@code await} without holding L fails in L's {@code unlock()} (for
 * a Mutex: {@code IllegalStateException("sync: unlock of unlocked mutex")}); the Cond is left
 * as if the call never happened.
 *
 * <p><b>Progress:</b> {@code await} blocks (parks; never {@code synchronized}, so a virtual
 * thread does not pin its carrier); {@code signal} and {@code broadcast} never park and cost
 * one volatile read when nobody waits.
 */
public final class Cond implements Condition {
    /*
     * Implementation notes. The waiters live in a NotifyList (dev.gosync.internal), Go's
     * notifyList: await() enrols while holding L (the enrolment order is Go's ticket order),
     * then unlocks L and parks on its own waiter node; signal() grants the oldest node and
     * broadcast() all of them. Waiting is never done on L itself, so L can be any Locker.
     * JFR CondWait events are recorded where NotifyList parks (so re-locking L is not part of
     * their duration); the parked thread reports this Cond as its blocker.
     */

    private final Locker locker;
    private final NotifyList waiters;
    private final String name;      // for toString and diagnostics; or null

    /**
     * Creates a condition variable on {@code l} (Go's {@code sync.NewCond(l)}).
     *
     * @param l the Locker guarding the condition
     * @throws NullPointerException if {@code l} is null
     */
    public Cond(Locker l) {
        this.locker = Objects.requireNonNull(l, "l");
        this.name = null;
        this.waiters = new NotifyList(this, null);
    }

    /**
     * Creates a named condition variable on {@code l}. The name shows in {@link #toString()}
     * (and so wherever a parked thread's blocker, this Cond, is printed) and names it in
     * diagnostics.
     *
     * @param l the Locker guarding the condition
     * @param name what the condition waits for, for example {@code "queue-not-empty"}
     * @throws NullPointerException if {@code l} or {@code name} is null
     */
    public Cond(Locker l, String name) {
        this.locker = Objects.requireNonNull(l, "l");
        this.name = Objects.requireNonNull(name, "name");
        this.waiters = new NotifyList(this, name);
    }

    /**
     * The name given at construction.
     *
     * @return the name, or null for a Cond made with {@code new Cond(l)}
     */
    public String name() {
        return name;
    }

    /**
     * The Locker this condition uses (Go's {@code c.L}).
     *
     * @return the Locker passed to the constructor
     */
    public Locker locker() {
        return locker;
    }

    /**
     * Atomically unlocks L and waits until signalled; locks L again before returning, also
     * when interrupted. Never returns spuriously. Call it in a loop that re-checks the
     * condition.
     *
     * @throws InterruptedException if interrupted on entry (L stays held) or while waiting
     *     (L is re-locked first)
     */
    @Override
    public void await() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        Waiter w = enrolAndUnlock();
        try {
            waiters.awaitInterruptibly(w);
        } finally {
            locker.lock();
        }
    }

    /**
     * As {@link #await()}, but not interruptible: an interrupt is kept and re-asserted on
     * return.
     */
    @Override
    public void awaitUninterruptibly() {
        Waiter w = enrolAndUnlock();
        try {
            waiters.await(w);
        } finally {
            locker.lock();
        }
    }

    /**
     * As {@link #await()}, for at most {@code nanosTimeout} nanoseconds.
     *
     * @param nanosTimeout the longest wait
     * @return an estimate of the time left ({@code nanosTimeout} minus the time waited); zero
     *     or less if the time elapsed before a signal
     * @throws InterruptedException if interrupted on entry or while waiting
     */
    @Override
    public long awaitNanos(long nanosTimeout) throws InterruptedException {
        long start = System.nanoTime();
        boolean signalled = awaitTimed(nanosTimeout);
        long left = nanosTimeout - (System.nanoTime() - start);
        return signalled ? left : Math.min(left, 0L);
    }

    /**
     * As {@link #await()}, for at most the given time.
     *
     * @param time the longest wait
     * @param unit the unit of {@code time}
     * @return true if signalled, false if the time elapsed first
     * @throws InterruptedException if interrupted on entry or while waiting
     * @throws NullPointerException if {@code unit} is null
     */
    @Override
    public boolean await(long time, TimeUnit unit) throws InterruptedException {
        return awaitTimed(Objects.requireNonNull(unit, "unit").toNanos(time));
    }

    /**
     * As {@link #await()}, for at most {@code timeout}.
     *
     * @param timeout the longest wait
     * @return true if signalled, false if the time elapsed first
     * @throws InterruptedException if interrupted on entry or while waiting
     * @throws NullPointerException if {@code timeout} is null
     */
    public boolean await(Duration timeout) throws InterruptedException {
        return awaitTimed(Timeouts.nanos(Objects.requireNonNull(timeout, "timeout")));
    }

    /**
     * As {@link #await()}, until the given wall-clock deadline.
     *
     * @param deadline the latest time to wait until
     * @return true if signalled, false if the deadline passed first
     * @throws InterruptedException if interrupted on entry or while waiting
     * @throws NullPointerException if {@code deadline} is null
     */
    @Override
    public boolean awaitUntil(Date deadline) throws InterruptedException {
        long millis = Objects.requireNonNull(deadline, "deadline").getTime()
                - System.currentTimeMillis();
        return awaitTimed(TimeUnit.MILLISECONDS.toNanos(millis));
    }

    /**
     * Wakes the waiter that enrolled first, if any (Go's {@code Signal}). L need not be held.
     */
    @Override
    public void signal() {
        waiters.wakeOne();
    }

    /**
     * Wakes every waiter (Go's {@code Broadcast}). L need not be held.
     */
    @Override
    public void signalAll() {
        waiters.wakeAll();
    }

    /**
     * Wakes every waiter: Go's {@code Broadcast}, the same as {@link #signalAll()}.
     */
    public void broadcast() {
        waiters.wakeAll();
    }

    /**
     * Number of waiting threads (monitoring only; racy).
     *
     * @return the number of enrolled, not yet woken waiters
     */
    public int waiters() {
        return waiters.waiters();
    }

    @Override
    public String toString() {
        return "Cond[" + (name != null ? name + ", " : "") + "waiters=" + waiters.waiters()
                + ", locker=" + locker + "]";
    }

    private boolean awaitTimed(long nanos) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        if (nanos <= 0L) {
            return false;   // no time to wait: L stays held, nothing changes
        }
        Waiter w = enrolAndUnlock();
        try {
            return waiters.awaitNanos(w, nanos);
        } finally {
            locker.lock();
        }
    }

    /** Enrols (while L is held, so no later signal can miss us), then unlocks L. */
    private Waiter enrolAndUnlock() {
        Waiter w = waiters.add();
        try {
            locker.unlock();
        } catch (RuntimeException | Error e) {
            waiters.withdraw(w);    // misuse (L not held): leave as if never called
            throw e;
        }
        if (LockOrder.ON) LockOrder.waiting(this);  // warns if a lock other than L is held
        return w;
    }
}
