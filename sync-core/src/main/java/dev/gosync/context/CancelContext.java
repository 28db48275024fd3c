package dev.gosync.context;

import dev.gosync.chan.Chan;
import dev.gosync.chan.ReceiveChan;
import dev.gosync.internal.SharedTimer;
import dev.gosync.internal.Timeouts;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A context that can be cancelled, and its cancel function: what {@link Context#withCancel},
 * {@link Context#withTimeout} and {@link Context#withDeadline} return (Go's
 * {@code cancelCtx}/{@code timerCtx} with its {@code CancelFunc}).
 *
 * <p><b>Go equivalent:</b> {@code ctx, cancel := context.WithTimeout(p, d); defer cancel()} is
 * {@code try (var ctx = Context.withTimeout(p, d)) { ... }}: {@link #close()} is
 * {@link #cancel()}. Cancelling releases the context's resources at once (its timer, its place
 * in its parent), so cancel every context as soon as the work it covers is done.
 *
 * <p><b>Memory consistency effects:</b> actions before the first {@code cancel()} of this
 * context (or of an ancestor, or before its deadline's timer fires) happen-before a receive
 * from {@link #done()} that returns because it was closed and before an {@link #err()} that
 * returns non-null. Later calls create no edge.
 *
 * <p><b>Misuse:</b> none: {@code cancel()} is idempotent and may be called by any thread, any
 * number of times; only the first takes effect (its error and cause win).
 *
 * <p><b>Progress:</b> {@code err()} is wait-free; {@code cancel()} takes this context's lock
 * and then, one at a time, each descendant's and the parent's, never two at once; no user code
 * runs under any of them. It cancels the whole subtree in the calling thread (iteratively) and
 * starts one thread per {@link Context#afterFunc} registration.
 */
public class CancelContext extends Context implements AutoCloseable {
    /*
     * Implementation notes.
     *
     * mu (a j.u.c ReentrantLock: parks, never pins a virtual thread, and stays out of the
     * gosync lock-order checker's graph, where a lock per context would only add noise) is a
     * leaf: it is held to add or remove a child, to arm the timer, and to decide the cancel
     * (set cause and err, take the children and the timer). Children are cancelled after it is
     * released, so no two context locks are ever held together (Go holds the parent's lock
     * while it cancels each child; we snapshot instead). A child registering after the
     * decision sees err set under mu and cancels itself; a child cancelling itself meanwhile
     * finds the parent's set gone and is cancelled again, which does nothing.
     *
     * Publication: cause is a plain field written before the volatile write of err and read
     * only after a read of err returns non-null; done is created lazily by CAS (Go creates it
     * lazily too), and cancel installs the shared CLOSED channel if nobody asked for one yet.
     * Exactly one thread decides the cancel, so exactly one closes the channel.
     *
     * Rejected: a thread (or a timer thread) per context; an unlinking-free children list
     * (a long-lived parent would retain every cancelled child).
     */

    /** The done channel handed out when cancellation came before any call of done(). */
    private static final Chan<Void> CLOSED = closedChan();

    private final Context parent;
    private final CancelContext ancestor;   // parent.cancelAncestor(): where this registers
    private final Instant deadline;         // own deadline; null if none
    private final Throwable deadlineCause;  // cause when the deadline passes; null for err
    private final ReentrantLock mu = new ReentrantLock();
    private HashSet<Object> children;       // guarded by mu; CancelContexts and AfterFuncs
    private ScheduledFuture<?> timer;       // guarded by mu
    private Throwable cause;                // written once before err; read after err
    private volatile ContextException err;  // written once, under mu
    private volatile Chan<Void> done;       // lazily, through DONE

    CancelContext(Context parent, Instant deadline, Throwable deadlineCause) {
        this.parent = parent;
        this.ancestor = parent.cancelAncestor();
        this.deadline = deadline;
        this.deadlineCause = deadlineCause;
    }

    /** Links this new context under its parent and arms its timer (Go's propagateCancel). */
    @SuppressWarnings("unchecked")
    final <C extends CancelContext> C start() {
        CancelContext a = ancestor;
        if (a != null && !a.addChild(this)) {
            cancel(false, a.err, a.cause);      // the parent is done already
        }
        if (deadline != null) {
            long nanos = Timeouts.nanos(Duration.between(Instant.now(), deadline));
            if (nanos <= 0L) {
                cancel(true, DEADLINE_EXCEEDED, deadlineCause);
            } else {
                mu.lock();
                try {
                    if (err == null) {
                        timer = SharedTimer.schedule(this::expire, nanos);
                    }
                } finally {
                    mu.unlock();
                }
            }
        }
        return (C) this;
    }

    /**
     * Cancels this context and its descendants with {@link Context#CANCELED} (Go's
     * {@code cancel()}), unless it is done already; detaches it from its parent and stops its
     * timer.
     */
    public final void cancel() {
        cancel(true, CANCELED, null);
    }

    /**
     * {@link #cancel()}, so that try-with-resources is Go's {@code defer cancel()}.
     */
    @Override
    public final void close() {
        cancel(true, CANCELED, null);
    }

    @Override
    public final ReceiveChan<Void> done() {
        Chan<Void> d = done;
        if (d == null) {
            d = new Chan<>();
            if (!DONE.compareAndSet(this, null, d)) {
                d = done;       // another caller, or the cancel (CLOSED), came first
            }
        }
        return d;
    }

    @Override
    public final ContextException err() {
        return err;
    }

    @Override
    public final Optional<Instant> deadline() {
        return deadline != null ? Optional.of(deadline) : parent.deadline();
    }

    @Override
    public final Object value(Object key) {
        return parent.value(key);
    }

    @Override
    final CancelContext cancelAncestor() {
        return this;
    }

    /** The cause once done, else null. */
    final Throwable cause() {
        return err == null ? null : cause;      // read err first: it publishes cause
    }

    /** Number of registered children and afterFunc registrations; for tests. */
    final int childCount() {
        mu.lock();
        try {
            return children == null ? 0 : children.size();
        } finally {
            mu.unlock();
        }
    }

    /** Whether the deadline timer is still armed; for tests. */
    final boolean timerArmed() {
        mu.lock();
        try {
            return timer != null;
        } finally {
            mu.unlock();
        }
    }

    @Override
    public String toString() {
        String kind = deadline == null ? ".WithCancel"
                : ".WithDeadline(" + deadline + " [" + Duration.between(Instant.now(), deadline)
                        + "])";
        return parent + kind;
    }

    // Children

    /** Registers a child or an afterFunc; false (nothing registered) if already done. */
    final boolean addChild(Object child) {
        mu.lock();
        try {
            if (err != null) {
                return false;
            }
            if (children == null) {
                children = new HashSet<>();
            }
            children.add(child);
            return true;
        } finally {
            mu.unlock();
        }
    }

    /** Deregisters a child or an afterFunc, if registered. */
    final void removeChild(Object child) {
        mu.lock();
        try {
            if (children != null) {
                children.remove(child);
            }
        } finally {
            mu.unlock();
        }
    }

    // Cancellation

    private void expire() {
        cancel(true, DEADLINE_EXCEEDED, deadlineCause);
    }

    /**
     * Go's {@code cancelCtx.cancel}: the first call decides err and cause (cause defaults to
     * err), closes done, stops the timer, cancels every descendant with the same err and cause,
     * starts the afterFuncs, and, if {@code remove}, detaches this context from its parent.
     * An afterFunc that fails to start (no thread could be made) is rethrown at the end, after
     * everything else was cancelled.
     */
    final void cancel(boolean remove, ContextException e, Throwable why) {
        Throwable c = why != null ? why : e;
        Object[] kids = decide(e, c);
        if (kids == DECIDED_BEFORE) {
            return;
        }
        Throwable failure = null;
        ArrayDeque<Object[]> work = null;
        while (kids != null) {
            for (Object k : kids) {
                if (k instanceof CancelContext) {
                    Object[] grandKids = ((CancelContext) k).decide(e, c);
                    if (grandKids != null && grandKids != DECIDED_BEFORE) {
                        if (work == null) {
                            work = new ArrayDeque<>();
                        }
                        work.add(grandKids);
                    }
                } else {
                    try {
                        ((AfterFunc) k).fire();
                    } catch (Throwable t) {
                        if (failure == null) {
                            failure = t;
                        }
                    }
                }
            }
            kids = work == null ? null : work.poll();
        }
        if (remove && ancestor != null) {
            ancestor.removeChild(this);
        }
        if (failure != null) {
            throw sneaky(failure);
        }
    }

    private static final Object[] DECIDED_BEFORE = new Object[0];
    private static final Object[] NO_CHILDREN = null;

    /**
     * Under mu: the first call sets cause and err and takes the children and timer; then,
     * outside it, stops the timer and closes done. Returns the children (null if none), or
     * DECIDED_BEFORE if this context was done already.
     */
    private Object[] decide(ContextException e, Throwable c) {
        Object[] kids;
        ScheduledFuture<?> t;
        mu.lock();
        try {
            if (err != null) {
                return DECIDED_BEFORE;
            }
            cause = c;
            err = e;                    // volatile: publishes cause
            kids = children == null || children.isEmpty() ? NO_CHILDREN : children.toArray();
            children = null;
            t = timer;
            timer = null;
        } finally {
            mu.unlock();
        }
        if (t != null) {
            t.cancel(false);            // removed from the timer's queue (remove-on-cancel)
        }
        closeDone();
        return kids;
    }

    /** Closes done, or installs CLOSED if nobody asked for it yet; only the decider calls it. */
    private void closeDone() {
        for (;;) {
            Chan<Void> d = done;
            if (d != null) {
                d.close();
                return;
            }
            if (DONE.compareAndSet(this, null, CLOSED)) {
                return;
            }
        }
    }

    private static Chan<Void> closedChan() {
        Chan<Void> c = new Chan<>();
        c.close();
        return c;
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> RuntimeException sneaky(Throwable t) throws T {
        throw (T) t;
    }

    // VarHandle mechanics
    private static final VarHandle DONE;    // field "done"
    static {
        try {
            DONE = MethodHandles.lookup().findVarHandle(CancelContext.class, "done", Chan.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
