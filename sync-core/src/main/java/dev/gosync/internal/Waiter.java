package dev.gosync.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * One waiting thread and the one decision its wait ends with: granted (by a waker, through one
 * of the waiter's {@link Node}s) or cancelled (by the thread itself, on time-out or interrupt).
 * The decision is a single CAS, so a grant racing a give-up, or grants racing each other from
 * several queues, are decided exactly once (Go's {@code sudog} with {@code selectDone}).
 *
 * <p>This class also holds <em>the</em> park loop of gosync: every blocking primitive ends up
 * in {@link #await}, directly or through {@link WaitQueue}.
 *
 * <p>A primitive allocates its waiter <em>before</em> it publishes that it is going to sleep
 * (before the CAS that counts it as a waiter), so an {@link OutOfMemoryError} cannot strand a
 * registration; a waiter that is linked in no queue any more (granted and polled, or cancelled
 * and unlinked) may be re-armed by its thread for its next sleep.
 */
public class Waiter extends Node {
    /*
     * decision: null while waiting; then, exactly once and by CAS, either the Node through which
     * a waker granted the wait, or CANCELLED. Only the waiting thread cancels, and only
     * wakers grant, each under the lock of the queue the node is linked in.
     *
     * Memory effects: the grant is a volatile CAS and the waiter reads decision with a volatile
     * load, so everything the waker did before granting happens-before the waiter's return.
     *
     * Diagnostics hook: await() is the single slow-path choke point of every blocking primitive.
     * With the lock-order checker on, it tells the deadlock watchdog that this thread parks
     * and on what (LockOrder.parking), before the first park and after the last; when off,
     * the static final test folds away.
     */

    /** Outcome of a wait: granted. */
    public static final int GRANTED = 0;
    /** Outcome of a wait: timed out; the waiter is cancelled. */
    public static final int TIMED_OUT = 1;
    /**
     * Outcome of a wait: interrupted (the interrupt status is cleared, so the caller throws
     * {@link InterruptedException}); the waiter is cancelled.
     */
    public static final int INTERRUPTED = 2;
    /**
     * Outcome of a wait: the waiter's own stop condition held (a {@link StoppableWaiter} whose
     * context was cancelled); the waiter is cancelled.
     */
    public static final int ABANDONED = 3;

    private static final Object CANCELLED = new Object();

    /** Polling waiters park from MIN_SLICE, doubling up to MAX_SLICE, between polls. */
    private static final long MIN_SLICE = 10_000L;
    private static final long MAX_SLICE = 1_000_000L;

    final Thread thread;
    private long since;     // diagnostics: wait start; owner before linking, then queue lock
    private volatile Object decision;
    /*
     * spinning: true only while the owner polls before parking (await with spins > 0): set
     * before the polls, cleared after them, and the decision is read again before the first
     * park. A waker reads it after its grant CAS and skips the unpark while it is set. Both are
     * volatile, so either the waker sees it cleared or the owner sees the grant: a spinning
     * thread is not unparked (no futex call, no stale permit), and no wake-up is missed.
     * Waiters that do not spin never write it: their wakers always unpark, as before. Setting
     * it needs no fence (willSpin() before the waiter is published, or an opaque store): a
     * waker that does not see it yet unparks a thread that is still polling, which only leaves
     * a permit its park loop absorbs. Clearing it after polling in vain (or after a willSpin()
     * with no polls) must precede the final read of the decision, so that store is volatile;
     * clearing it after the grant was seen needs only a release store.
     */
    private volatile boolean spinning;
    private boolean spun;   // owner only: its last await was granted while it polled

    /** A waiter for the calling thread, with payload 0. */
    public Waiter() {
        this(0L);
    }

    /**
     * A waiter for the calling thread.
     *
     * @param arg the payload of its own node
     */
    public Waiter(long arg) {
        super(null, arg);
        this.thread = Thread.currentThread();
    }

    /**
     * Another place for this waiter, to link in one more queue (select). Such a waiter is decided
     * once for all its places and must not be {@linkplain #rearm() re-armed}.
     *
     * @param arg the new node's payload (e.g. the index of a select case)
     * @return a new node deciding through this waiter
     */
    public Node link(long arg) {
        return new Node(this, arg);
    }

    /** Waker side, after a successful grant: unparks the owner unless it is still spinning. */
    void wake() {
        if (!spinning) {
            LockSupport.unpark(thread);
        }
    }

    /** Waker side: decide for {@code via}; false if already decided (granted or cancelled). */
    boolean grant(Node via) {
        return DECISION.compareAndSet(this, null, via);
    }

    /**
     * Waiter side: decides for cancellation, unlinking nothing (for a caller that unlinks its
     * node itself, under the queue lock; see {@link WaitQueue#park}).
     *
     * @return true if cancelled; false if a grant won the race (the caller owns it)
     */
    public boolean cancel() {
        return DECISION.compareAndSet(this, null, CANCELLED);
    }

    /**
     * The node through which this waiter was granted, or null while waiting or if cancelled.
     *
     * @return the winning node, or null
     */
    public Node granted() {
        Object d = decision;
        return d instanceof Node ? (Node) d : null;
    }

    /**
     * Diagnostics: when this waiter began to wait (System.nanoTime), or 0 if nobody asked.
     *
     * @return the start time, or 0
     */
    public long since() {
        return since;
    }

    /**
     * Diagnostics: records when this waiter began to wait. The owner calls it only before the
     * waiter is first linked; afterwards only holders of its queue's lock read and restart it
     * ({@link WaitQueue#blameWaiters(long)}).
     *
     * @param nanos the start time (System.nanoTime), or 0 for none
     */
    public void since(long nanos) {
        this.since = nanos;
    }

    /** Whether granted or cancelled: the park loop is about to return (the watchdog asks). */
    boolean decided() {
        return decision != null;
    }

    /** Undecided again, for the owner's next wait; only while linked in no queue. */
    void rearm() {
        decision = null;
    }

    /**
     * Polled between timed parks by a waiter whose waker cannot always see that it is parked
     * (the reader bias: see ReaderBias). True means: stop waiting. Plain waiters never poll.
     */
    boolean poll() {
        return false;
    }

    /** Whether this waiter polls (see {@link #poll()}): then each park lasts one slice. */
    boolean polls() {
        return false;
    }

    /**
     * Checked before every park and after every wake-up: true ends the wait as
     * {@link #ABANDONED}, unless a grant wins the race. Whoever makes it true unparks the
     * waiter's thread ({@link StoppableWaiter}). Plain waiters never stop.
     */
    boolean abandoned() {
        return false;
    }

    /**
     * The park loop: parks the calling thread, which must be this waiter's, until the waiter is
     * granted, {@code nanos} elapse ({@link WaitMode#TIMED}), the thread is interrupted
     * (interruptible modes), or its stop condition holds ({@link #abandoned()}). On time-out,
     * interrupt or stop it cancels the waiter, unless a grant won
     * the race: then the grant is kept, and an interrupt is re-asserted. It unlinks nothing;
     * the caller unlinks a cancelled waiter's nodes.
     *
     * @param blocker the primitive waited on, for thread dumps and diagnostics
     * @param mode how to wait
     * @param nanos the time-out, for {@link WaitMode#TIMED}
     * @return {@link #GRANTED}, {@link #TIMED_OUT}, {@link #INTERRUPTED} or {@link #ABANDONED}
     */
    public final int await(Object blocker, WaitMode mode, long nanos) {
        return await(blocker, mode, nanos, 0);
    }

    /**
     * As {@link #await(Object, WaitMode, long)}, but first polls the decision up to
     * {@code spins} times (a pause apart, yielding now and then), for a hand-off whose partner
     * usually comes within microseconds (a channel's), where parking and being unparked would
     * cost more than the wait. Spinning ends early at the time-out.
     *
     * @param blocker the primitive waited on, for thread dumps and diagnostics
     * @param mode how to wait
     * @param nanos the time-out, for {@link WaitMode#TIMED}
     * @param spins the polls before parking; 0 for none (see {@link Spin#HANDOFF})
     * @return {@link #GRANTED}, {@link #TIMED_OUT}, {@link #INTERRUPTED} or {@link #ABANDONED}
     */
    public final int await(Object blocker, WaitMode mode, long nanos, int spins) {
        if (LockOrder.ON) {
            // The deadlock watchdog's view: which threads are parked, on what, timed or not.
            Object record = LockOrder.parking(blocker, mode == WaitMode.TIMED, this);
            try {
                return parkLoop(blocker, mode, nanos, spins);
            } finally {
                LockOrder.unparked(record);
            }
        }
        return parkLoop(blocker, mode, nanos, spins);
    }

    private int parkLoop(Object blocker, WaitMode mode, long nanos, int spins) {
        final boolean timed = mode == WaitMode.TIMED;
        long start = 0L;        // when the clock started: read lazily, see spin()
        spun = false;
        if (spins > 0) {
            start = spin(spins, timed, nanos);
        } else if (spinning) {
            spinning = false;   // marked by willSpin() but not polling: volatile, before the reads
        }
        final long deadline = timed && decision == null
                ? (start != 0L ? start : System.nanoTime()) + nanos : 0L;
        long slice = polls() ? MIN_SLICE : 0L;
        boolean interrupted = false;
        int outcome = GRANTED;
        while (decision == null) {
            if (abandoned()) {
                if (cancel()) {
                    outcome = ABANDONED;
                    break;
                }
                continue;       // granted meanwhile: keep it
            }
            long park = slice;
            if (timed) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0L) {
                    if (cancel()) {
                        outcome = TIMED_OUT;
                        break;
                    }
                    continue;   // granted meanwhile: keep it
                }
                park = park == 0L ? remaining : Math.min(park, remaining);
            }
            if (park == 0L) {
                LockSupport.park(blocker);
            } else {
                LockSupport.parkNanos(blocker, park);
            }
            if (Thread.interrupted()) {
                if (mode != WaitMode.UNINTERRUPTIBLE && cancel()) {
                    outcome = INTERRUPTED;
                    break;
                }
                interrupted = true;     // uninterruptible, or granted meanwhile: re-assert
            }
            if (slice != 0L) {
                if (poll()) {
                    grant(this);        // stop; a waker's grant may have won, which is alike
                }
                slice = Math.min(slice << 1, MAX_SLICE);
            }
        }
        if (interrupted) {
            thread.interrupt();
        }
        return outcome;
    }

    /**
     * Polls the decision up to {@code spins} times; sets {@link #spun} if granted meanwhile.
     * A timed wait's clock is read lazily, at the first yield (after 63 pauses), so that a
     * hand-off that polling ends reads no clock at all: its time-out therefore counts from up
     * to 63 pauses after the call, so it may overrun by that much, and never falls short.
     *
     * @return the clock's start (System.nanoTime), or 0 if it was not read
     */
    private long spin(int spins, boolean timed, long nanos) {
        boolean granted = false;
        long start = 0L;
        SPINNING.setOpaque(this, true);
        try {
            for (int i = 1; i <= spins; i++) {
                if (decision != null) {
                    granted = true;
                    break;
                }
                if ((i & Spin.YIELD_EVERY) != 0) {
                    Thread.onSpinWait();
                    continue;
                }
                if (timed) {
                    long now = System.nanoTime();
                    if (start == 0L) {
                        start = now;
                    } else if (now - start >= nanos) {
                        break;
                    }
                }
                Thread.yield();         // let the partner run (2 CPUs; a virtual thread's carrier)
            }
        } finally {
            if (granted) {
                // Decided: no waker reads the flag for this wait again; a release store keeps
                // it ordered before a re-arm (whose volatile store a later waker reads).
                SPINNING.setRelease(this, false);
            } else {
                spinning = false;   // then the loop reads the decision again before parking
            }
        }
        spun = granted || decision != null;
        return start;
    }

    /**
     * Marks this waiter as polling before it is linked, for an
     * {@link #await(Object, WaitMode, long, int)} with {@code spins > 0} to come: a waker that
     * grants it between the link and the first poll then skips the unpark too (a hand-off
     * partner often arrives in that window). Owner only, before the waiter is published (the
     * link's lock release or CAS publishes the flag with it); await clears it in any case.
     */
    public void willSpin() {
        SPINNING.set(this, true);
    }

    /**
     * Whether the last {@link #await(Object, WaitMode, long, int)} was granted while it was
     * still polling, before any park: what an adaptive spinner learns from a wait. Owner only.
     *
     * @return true if polling was enough
     */
    public boolean grantedWhilePolling() {
        return spun;
    }

    @Override
    public String toString() {
        Object d = decision;
        return "Waiter[" + thread.getName() + ", "
                + (d == null ? "waiting" : d == CANCELLED ? "cancelled" : "granted") + "]";
    }

    // VarHandle mechanics
    private static final VarHandle DECISION;    // field "decision"
    private static final VarHandle SPINNING;    // field "spinning"
    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            DECISION = l.findVarHandle(Waiter.class, "decision", Object.class);
            SPINNING = l.findVarHandle(Waiter.class, "spinning", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
