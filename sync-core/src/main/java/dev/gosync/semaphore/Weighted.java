package dev.gosync.semaphore;

import dev.gosync.context.Context;
import dev.gosync.context.ContextDoneException;
import dev.gosync.internal.ContextHooks;
import dev.gosync.internal.LockInfo;
import dev.gosync.internal.LockOrder;
import dev.gosync.internal.Node;
import dev.gosync.internal.SemaphoreWaitEvent;
import dev.gosync.internal.StoppableWaiter;
import dev.gosync.internal.Timeouts;
import dev.gosync.internal.WaitMode;
import dev.gosync.internal.WaitQueue;
import dev.gosync.internal.Waiter;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * A weighted semaphore: a bound on the combined weight of concurrent holders, where each
 * caller asks for as many permits as its work weighs.
 *
 * <p><b>Go equivalent:</b> {@code golang.org/x/sync/semaphore.Weighted}.
 * <pre>{@code
 * Go                                        Java
 * s := semaphore.NewWeighted(10)            var s = new Weighted(10);
 * if err := s.Acquire(ctx, 3); err != nil { s.acquire(ctx, 3);   // ContextDoneException
 *     return err                            try {
 * }                                             work();
 * defer s.Release(3)                        } finally {
 * work()                                        s.release(3);
 *                                           }
 * s.Acquire(context.Background(), 3)        s.acquire(3);          // InterruptedException
 * ok := s.TryAcquire(1)                     boolean ok = s.tryAcquire(1);
 * ctx, _ := context.WithTimeout(ctx, d)     boolean ok = s.tryAcquire(3, Duration.ofSeconds(1));
 * err := s.Acquire(ctx, 3)
 * }</pre>
 *
 * <p>Signatures: {@link #Weighted(long)}, {@link #acquire(Context, long)} (Go's
 * {@code Acquire(ctx, n)}: throws {@link ContextDoneException} when the context is done),
 * {@link #acquire(long)} (interruptible),
 * {@link #acquireUninterruptibly(long)}, {@link #tryAcquire(long)} (never blocks),
 * {@link #tryAcquire(long, Duration)} (false on timeout), {@link #release(long)}, and the
 * monitoring methods {@link #size()} and {@link #held()}.
 *
 * <p><b>Fairness:</b> first in, first out, as in Go. Waiters are served strictly in arrival
 * order: a large request at the head of the queue holds back smaller requests behind it even
 * when they would fit, so a large request is never starved by a stream of small ones. When the
 * head leaves without being served (timed out, interrupted or its context done), the waiters
 * behind it that now
 * fit are granted at once. {@code tryAcquire} never barges: it fails while anyone is queued,
 * even if enough permits are free.
 *
 * <p><b>Memory consistency effects:</b> actions before a {@code release(n)} happen-before the
 * return of every {@code acquire}, {@code acquireUninterruptibly} or successful
 * {@code tryAcquire} that obtains any of the permits it released, in any thread, whether the
 * acquirer took the fast path or was queued and granted the permits. A failed
 * {@code tryAcquire}, or an {@code acquire(ctx, n)} that throws, creates no edge. (A context's
 * cancel happens-before the {@code ContextDoneException} it causes: see {@link Context}.)
 * (jcstress: {@code WeightedStress.ReleaseHappensBeforeAcquire},
 * {@code WeightedStress.TryAcquireLastPermit},
 * {@code WeightedStress.HeadTimeoutWakesSmallerWaiter},
 * {@code ContextStress.CancelRacesAcquireGrant}; Lincheck: {@code WeightedLincheckTest}.)
 *
 * <p><b>Misuse:</b> a request for more permits than {@link #size()} can never be served; every
 * acquire form rejects it at once with {@code IllegalArgumentException} (Go blocks until the
 * context is done). {@code release(n)} of more permits than are held throws
 * {@code IllegalStateException("semaphore: released more than held")} and changes nothing (Go
 * panics after corrupting the count). A negative {@code n} is rejected with
 * {@code IllegalArgumentException}; {@code n == 0} is allowed and, as in Go, succeeds at once
 * unless others are queued. Permits are not owned: any thread may release them.
 *
 * <p><b>Progress:</b> {@code tryAcquire(n)} is lock-free (a CAS loop on one word); so is
 * {@code release(n)} while no one is queued; otherwise it takes the wait queue's spin lock for
 * a short, bounded critical section and wakes the requests it serves. The acquire forms block
 * (park).
 *
 * <p><b>Contexts:</b> {@code acquire(ctx, n)} waits without a thread or timer of its own: the
 * queued request registers an inline hook on the context that unparks it when the context is
 * done (deregistered when the wait ends, so a long-lived context retains nothing), and a
 * deadline is the context's task on the library's one timer thread.
 */
public final class Weighted {
    /*
     * Implementation notes. Go's design (a lock-guarded count and a FIFO list of waiters, each
     * with its own wake-up) plus a lock-free fast path for the common uncontended case, so that
     * acquire(1)/release(1) costs one CAS each, like java.util.concurrent.Semaphore. The list
     * is the shared WaitQueue: each queued request is a Waiter whose payload is its weight.
     *
     * State word (long; changed only through STATE):
     *   bits  0..61  permits held (at most size, which is at most MAX_SIZE = 2^62 - 1)
     *   bit   62     QUEUED: the wait queue is non-empty
     *   bit   63     always 0
     *
     * Invariant: QUEUED is set iff the queue is non-empty, and it changes only while the queue
     * lock is held. While QUEUED is set every write to the state word is made under that lock
     * (the fast paths see the bit and fail or divert to the slow path), so the slow paths may
     * use plain volatile writes; while it is clear, writers race with fast-path CASes and must
     * CAS themselves. Because size <= MAX_SIZE < QUEUED, the single test `state > size - n`
     * means "someone is queued or n permits are not free", the whole admission rule of a FIFO
     * semaphore.
     *
     * A request is granted under the queue lock: unlinked, granted (the Waiter's one CAS),
     * and then its weight is added to the state word. A request that times out or is
     * interrupted cancels its Waiter with the same CAS, so exactly one of the two happens: if
     * the grant won, the permits are its own and it keeps them (returning success, with the
     * interrupt re-asserted); otherwise it unlinks itself under the lock and, if it was the
     * head, grants the requests behind it that now fit (as Go does since it fixed the lost
     * wake-up of a cancelled head). The Waiter is allocated before the lock is taken, so
     * nothing is published (QUEUED included) unless the request is linked.
     *
     * acquire(ctx, n) queues a StoppableWaiter whose stop condition is "ctx is done" and whose
     * wakeUp() is hooked (inline, internal) on the context; its wait then ends ABANDONED, which
     * leaves exactly as a time-out does. A grant that wins the race against the context keeps
     * the Waiter's GRANTED, so, as Go does ("pretend we didn't"), a request that finds its
     * context done after the grant gives the permits back through the ordinary release path,
     * which serves those behind it, and fails.
     *
     * Rejected: admitting whoever fits (as a non-fair j.u.c. Semaphore does with one permit
     * each), which starves a large request behind a stream of small ones.
     *
     * Lock order: the queue lock is a leaf. No user code runs while it is held.
     */
    private static final long QUEUED = 1L << 62;
    private static final long HELD_MASK = QUEUED - 1;

    /** The largest supported size, {@code 2^62 - 1}. */
    public static final long MAX_SIZE = HELD_MASK;

    private final long size;
    private final String name;      // for toString and diagnostics; or null
    private final LockInfo lockInfo;    // the lock-order checker's; null when off
    private volatile long state;
    /** The queued requests, each a Waiter whose payload is its weight; its lock guards them. */
    private final WaitQueue queue = new WaitQueue(this);

    /**
     * Creates a semaphore with the given maximum combined weight, all of it free.
     *
     * @param size the maximum combined weight of concurrent holders, {@code 0..MAX_SIZE}
     * @throws IllegalArgumentException if {@code size} is negative or above {@link #MAX_SIZE}
     */
    public Weighted(long size) {
        this.size = checkSize(size);
        this.name = null;
        this.lockInfo = LockOrder.ON ? LockOrder.register(this, null, "Weighted") : null;
    }

    /**
     * Creates a named semaphore with the given maximum combined weight, all of it free. The
     * name shows in {@link #toString()} (and so wherever a parked thread's blocker, this
     * semaphore, is printed) and names the semaphore in diagnostics.
     *
     * @param size the maximum combined weight of concurrent holders, {@code 0..MAX_SIZE}
     * @param name what the permits stand for, for example {@code "db-connections"}
     * @throws IllegalArgumentException if {@code size} is negative or above {@link #MAX_SIZE}
     * @throws NullPointerException if {@code name} is null
     */
    public Weighted(long size, String name) {
        this.size = checkSize(size);
        this.name = Objects.requireNonNull(name, "name");
        this.lockInfo = LockOrder.ON ? LockOrder.register(this, name, "Weighted") : null;
    }

    private static long checkSize(long size) {
        if (size < 0 || size > MAX_SIZE) {
            throw new IllegalArgumentException("size = " + size + " is not in 0.." + MAX_SIZE);
        }
        return size;
    }

    /**
     * The name given at construction.
     *
     * @return the name, or null for a semaphore made with {@code new Weighted(size)}
     */
    public String name() {
        return name;
    }

    /**
     * Acquires {@code n} permits, waiting in FIFO order until they are free or {@code ctx} is
     * done (Go's {@code Acquire(ctx, n)}).
     *
     * <p>If {@code ctx} is done on entry, this fails without acquiring, even if the permits are
     * free (as Go does). If the permits are granted while {@code ctx} becomes done, they are
     * given back (serving the requests behind, as any release does) and this fails, as Go's
     * {@code Acquire} does; so on failure the semaphore is always unchanged. Interrupts work as
     * for {@link #acquire(long)}.
     *
     * <p>Failure is a checked {@link ContextDoneException} whose {@code err()} is
     * {@code ctx.err()} and whose cause is {@code Context.cause(ctx)}: Go returns
     * {@code ctx.Err()}, and an exception cannot be ignored by mistake the way a boolean can,
     * which would leave the caller running without the permits.
     *
     * @param ctx the context that bounds the wait
     * @param n the number of permits, {@code 0..size()}
     * @throws ContextDoneException if {@code ctx} was or became done before the permits were
     *         kept; the semaphore is then unchanged
     * @throws InterruptedException if interrupted before the permits were granted (also when
     *         the interrupt status is set on entry); the semaphore is then unchanged
     * @throws IllegalArgumentException if {@code n} is negative or greater than {@link #size()}
     *         (checked first)
     * @throws NullPointerException if {@code ctx} is null
     */
    public void acquire(Context ctx, long n) throws InterruptedException, ContextDoneException {
        Objects.requireNonNull(ctx, "ctx");
        checkRequest(n);
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        if (ctx.err() != null) {
            throw new ContextDoneException(ctx);
        }
        if (LockOrder.ON) LockOrder.acquire(lockInfo, n, ctx.deadline().isPresent());
        if (!tryAcquireFast(n)) {
            int outcome = acquireSlow(n, WaitMode.INTERRUPTIBLE, 0L, ctx);
            if (outcome == Waiter.INTERRUPTED) {
                throw new InterruptedException();
            }
            if (outcome == Waiter.ABANDONED) {
                throw new ContextDoneException(ctx);
            }
        }
        if (ctx.err() != null) {
            // Done since the check above, whichever way the permits came: they may have been
            // released after the cancel (cancel, then release, racing this call), which Go's
            // Acquire never keeps ("pretend we didn't"). Give them back, serving those behind.
            releaseUnchecked(n);
            throw new ContextDoneException(ctx);
        }
        if (LockOrder.ON) LockOrder.acquired(lockInfo, n, false);
    }

    /**
     * Acquires {@code n} permits, waiting in FIFO order until they are free.
     *
     * <p>As in {@code java.util.concurrent.Semaphore}, a thread whose interrupt status is set
     * on entry throws at once, even if permits are free (Go's {@code Acquire} likewise fails
     * when its context is already done). If the permits are granted at the moment the thread
     * is interrupted, it keeps them and returns normally with its interrupt status set.
     *
     * @param n the number of permits, {@code 0..size()}
     * @throws InterruptedException if interrupted before the permits were granted; the
     *         semaphore is then unchanged
     * @throws IllegalArgumentException if {@code n} is negative or greater than {@link #size()}
     */
    public void acquire(long n) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        if (LockOrder.ON) LockOrder.acquire(lockInfo, checkRequest(n), false);  // may throw first
        if (!tryAcquireFast(n)
                && acquireSlow(n, WaitMode.INTERRUPTIBLE, 0L, null) == Waiter.INTERRUPTED) {
            throw new InterruptedException();
        }
        if (LockOrder.ON) LockOrder.acquired(lockInfo, n, false);
    }

    /**
     * Acquires {@code n} permits, waiting in FIFO order until they are free, and ignoring
     * interrupts (Go's {@code Acquire} with a context that is never done). A thread interrupted
     * while waiting keeps waiting and returns with its interrupt status set.
     *
     * @param n the number of permits, {@code 0..size()}
     * @throws IllegalArgumentException if {@code n} is negative or greater than {@link #size()}
     */
    public void acquireUninterruptibly(long n) {
        if (LockOrder.ON) LockOrder.acquire(lockInfo, checkRequest(n), false);  // may throw first
        if (!tryAcquireFast(n)) {
            acquireSlow(n, WaitMode.UNINTERRUPTIBLE, 0L, null);
        }
        if (LockOrder.ON) LockOrder.acquired(lockInfo, n, false);
    }

    /**
     * Acquires {@code n} permits if they are free and no one is queued; never blocks. As in Go,
     * a free-enough semaphore still refuses while an earlier request waits (no barging).
     *
     * @param n the number of permits, {@code 0..size()}
     * @return whether the permits were acquired; on false the semaphore is unchanged
     * @throws IllegalArgumentException if {@code n} is negative or greater than {@link #size()}
     */
    public boolean tryAcquire(long n) {
        boolean ok = tryAcquireFast(n);
        if (LockOrder.ON && ok) LockOrder.acquired(lockInfo, n, true);
        return ok;
    }

    private long checkRequest(long n) {
        if (n < 0 || n > size) {
            throw badRequest(n);
        }
        return n;
    }

    private boolean tryAcquireFast(long n) {
        long limit = size - n;   // admit iff state <= limit: not QUEUED and n permits free
        if (n < 0 || limit < 0) {
            throw badRequest(n);
        }
        long s;
        do {
            if ((s = state) > limit) {
                return false;
            }
        } while (!STATE.compareAndSet(this, s, s + n));
        return true;
    }

    /**
     * Acquires {@code n} permits, waiting in FIFO order at most {@code timeout} for them (Go's
     * {@code Acquire} with a context that has a deadline). A zero or negative timeout makes
     * this {@link #tryAcquire(long)}. If the permits are granted at the moment the wait times
     * out or is interrupted, they are kept and the method returns true (with the interrupt
     * status set, in the second case).
     *
     * @param n the number of permits, {@code 0..size()}
     * @param timeout the longest time to wait
     * @return true if the permits were acquired, false if the time elapsed first; on false the
     *         semaphore is unchanged
     * @throws InterruptedException if interrupted before the permits were granted (also when
     *         the interrupt status is set on entry); the semaphore is then unchanged
     * @throws IllegalArgumentException if {@code n} is negative or greater than {@link #size()}
     * @throws NullPointerException if {@code timeout} is null
     */
    public boolean tryAcquire(long n, Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        long nanos = Timeouts.nanos(timeout);
        if (LockOrder.ON && nanos > 0L) LockOrder.acquire(lockInfo, checkRequest(n), true);
        if (tryAcquireFast(n)) {
            if (LockOrder.ON) LockOrder.acquired(lockInfo, n, nanos <= 0L);
            return true;
        }
        if (nanos <= 0L) {
            return false;
        }
        int outcome = acquireSlow(n, WaitMode.TIMED, nanos, null);
        if (outcome == Waiter.INTERRUPTED) {
            throw new InterruptedException();
        }
        if (LockOrder.ON && outcome == Waiter.GRANTED) LockOrder.acquired(lockInfo, n, false);
        return outcome == Waiter.GRANTED;
    }

    /**
     * Releases {@code n} permits and grants the queued requests that now fit, in FIFO order.
     *
     * @param n the number of permits to release, {@code 0..held()}
     * @throws IllegalStateException {@code "semaphore: released more than held"} if fewer than
     *         {@code n} permits are held; the semaphore is then unchanged
     * @throws IllegalArgumentException if {@code n} is negative
     */
    public void release(long n) {
        releaseUnchecked(n);
        if (LockOrder.ON) LockOrder.release(lockInfo, n);  // after: a misuse has thrown
    }

    private void releaseUnchecked(long n) {
        if (n < 0) {
            throw badRequest(n);
        }
        long s;
        do {
            s = state;
            if ((s & QUEUED) != 0L) {
                releaseSlow(n);
                return;
            }
            if (n > s) {
                throw releasedMoreThanHeld();
            }
        } while (!STATE.compareAndSet(this, s, s - n));
    }

    /**
     * Returns the maximum combined weight given at construction.
     *
     * @return the size
     */
    public long size() {
        return size;
    }

    /**
     * Returns the number of permits currently held. For monitoring only: the value may be
     * stale by the time it is used.
     *
     * @return the permits held, {@code 0..size()}
     */
    public long held() {
        return state & HELD_MASK;
    }

    /** The number of queued requests; for tests. */
    int queueLength() {
        return queue.size();
    }

    /**
     * Returns a string naming the permits held, the size and whether requests are queued.
     *
     * @return for example {@code "Weighted[db-connections, held=3/10, queued]"}
     */
    @Override
    public String toString() {
        long s = state;
        return "Weighted[" + (name != null ? name + ", " : "") + "held=" + (s & HELD_MASK) + "/"
                + size + ((s & QUEUED) != 0L ? ", queued]" : "]");
    }

    // Slow paths

    /**
     * Takes the permits under the queue lock if no one is queued and they fit, else queues and
     * waits (until ctx is done too, if ctx is not null). Returns a Waiter outcome; TIMED_OUT,
     * INTERRUPTED and ABANDONED (ctx done) leave the semaphore unchanged; a grant that came
     * as ctx ended is GRANTED, and the caller gives it back.
     */
    private int acquireSlow(long n, WaitMode mode, long nanos, Context ctx) {
        final Waiter w;                     // before anything is published
        final BooleanSupplier unhook;       // deregisters the context hook; null without ctx
        if (ctx == null) {
            w = new Waiter(n);
            unhook = null;
        } else {
            StoppableWaiter sw = new StoppableWaiter(n, () -> ctx.err() != null);
            w = sw;
            // Hooked before linking: a cancel from here on unparks us, or finds us not yet
            // parked, and the park loop checks the stop condition before every park.
            unhook = ContextHooks.whenDone(ctx, sw::wakeUp);
        }
        if (unhook == null) {
            return enqueueAndPark(w, n, mode, nanos);
        }
        try {
            return enqueueAndPark(w, n, mode, nanos);
        } finally {
            unhook.getAsBoolean();          // the context retains nothing of this wait
        }
    }

    private int enqueueAndPark(Waiter w, long n, WaitMode mode, long nanos) {
        final WaitQueue q = queue;
        q.lock();
        try {
            long limit = size - n;
            for (;;) {
                long s = state;
                if (s <= limit) {
                    if (STATE.compareAndSet(this, s, s + n)) {
                        return Waiter.GRANTED;  // a release slipped in since the fast path failed
                    }
                } else if ((s & QUEUED) != 0L || STATE.compareAndSet(this, s, s | QUEUED)) {
                    break;  // from here on, only holders of the queue lock write the state
                }
            }
            q.add(w, false);
        } finally {
            q.unlock();
        }
        SemaphoreWaitEvent wait = new SemaphoreWaitEvent();     // JFR: off unless enabled
        wait.begin();
        int outcome;
        try {
            outcome = q.park(w, mode, nanos);
        } catch (Throwable t) {     // an error from the park itself: leave no trace
            if (w.cancel()) {
                leave(w);
            } else {
                release(n);         // granted as the error struck: pass the permits on
            }
            throw t;
        }
        if (outcome != Waiter.GRANTED) {
            leave(w);
        }
        if (wait.finish(this, name, outcome, "acquired")) {
            wait.permits = n;
            wait.commit();
        }
        return outcome;
    }

    /**
     * A cancelled request leaves: unlinks itself and, if it was the head, grants the requests
     * behind it that now fit.
     */
    private void leave(Waiter w) {
        WaitQueue q = queue;
        q.lock();
        try {
            boolean wasHead = q.peek() == w;
            q.remove(w);
            long s = state;
            if (q.isEmpty()) {
                if ((s & QUEUED) != 0L) {
                    state = s & HELD_MASK;  // QUEUED is set, so no one else writes: clear it
                }   // else a release that skipped w emptied the queue and cleared it already
            } else if (wasHead) {
                grantWaiters();
            }
        } finally {
            q.unlock();
        }
    }

    /** release(n) while requests are queued: give the permits back and serve the queue. */
    private void releaseSlow(long n) {
        WaitQueue q = queue;
        q.lock();
        try {
            for (;;) {
                long s = state;
                if (n > (s & HELD_MASK)) {
                    throw releasedMoreThanHeld();
                }
                if ((s & QUEUED) != 0L) {
                    state = s - n;   // only holders of the queue lock write while QUEUED is set
                    grantWaiters();
                    return;
                }
                if (STATE.compareAndSet(this, s, s - n)) {
                    return;          // the queue emptied meanwhile; race the fast paths
                }
            }
        } finally {
            q.unlock();
        }
    }

    /**
     * Grants queued requests strictly from the head while they fit, stopping at the first that
     * does not, even if later ones would (no starvation of large requests); cancelled ones
     * are dropped on the way. Caller holds the queue lock and QUEUED is set.
     */
    private void grantWaiters() {
        WaitQueue q = queue;
        Node h;
        while ((h = q.peek()) != null) {
            long held = state & HELD_MASK;
            if (size - held < h.arg()) {
                return;
            }
            q.remove(h);
            if (q.grant(h)) {
                boolean last = q.isEmpty();
                state = last ? held + h.arg() : (held + h.arg()) | QUEUED;  // release
                WaitQueue.wake(h);  // unparks only: O(1), no user code
                if (last) {
                    return;         // QUEUED is clear: the fast paths race us from here on
                }
            }
        }
        state = state & HELD_MASK;  // the queue ran empty through cancelled requests
    }

    private IllegalArgumentException badRequest(long n) {
        return new IllegalArgumentException(n < 0
                ? "n = " + n + " is negative"
                : "n = " + n + " exceeds the semaphore's size " + size
                        + ": the request could never be granted");
    }

    private static IllegalStateException releasedMoreThanHeld() {
        return new IllegalStateException("semaphore: released more than held");
    }

    // VarHandle mechanics
    private static final VarHandle STATE;   // field "state"

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Weighted.class, "state", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
