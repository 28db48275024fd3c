package dev.gosync.errgroup;

import dev.gosync.Cond;
import dev.gosync.Go;
import dev.gosync.Mutex;
import dev.gosync.WaitGroup;
import dev.gosync.context.CancelCauseContext;
import dev.gosync.context.Context;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;

/**
 * A group of tasks working on parts of one job: waits for all of them and reports the first
 * failure. Each task runs on a goroutine of its own ({@link Go#go}: a virtual thread on Java
 * 21+).
 *
 * <p><b>Go equivalent:</b> {@code golang.org/x/sync/errgroup.Group};
 * {@link #withContext(Context)} is {@code errgroup.WithContext}, exactly: its
 * {@link #context()} is cancelled, with the first failure as cause, when a task first fails or
 * {@code await} first returns. {@link #withCancel()} is the interrupting variant, with the group
 * itself in the role of the derived context.
 * <pre>{@code
 * Go                                          Java
 * g, ctx := errgroup.WithContext(ctx)         var g = Group.withCancel();   // or new Group()
 * g.SetLimit(4)                               g.setLimit(4);
 * for _, url := range urls {                  for (String url : urls) {
 *     g.Go(func() error {                         g.go(() -> {
 *         return fetch(ctx, url)                      fetch(url);   // may throw; interrupted
 *     })                                          });               // when a sibling fails
 * }                                           }
 * if err := g.Wait(); err != nil {            try {
 *     return err                                  g.await();
 * }                                           } catch (ExecutionException e) {
 *                                                 throw e.getCause();   // the first failure
 *                                             }
 * ok := g.TryGo(f)                            boolean ok = g.tryGo(f);
 * ctx.Err() != nil, context.Cause(ctx)        g.cancelled(), g.cause()
 *
 * g, ctx := errgroup.WithContext(parent)      var g = Group.withContext(parent);
 *                                             Context ctx = g.context();
 * g.Go(func() error {                         g.go(() -> sem.acquire(ctx, 1) ...);
 *     return sem.Acquire(ctx, 1) ...
 * })
 * }</pre>
 *
 * <p>Signatures: {@link #Group()}, {@link #withCancel()}, {@link #withContext(Context)},
 * {@link #context()}, {@link #go(Task)} (waits,
 * uninterruptibly, while the limit is reached), {@link #goInterruptibly(Task)},
 * {@link #tryGo(Task)}, {@link #setLimit(int)}, {@link #await()} (throws
 * {@code ExecutionException} with the first failure as its cause), {@link #cancelled()},
 * {@link #cause()}. A task is a {@link Task}: {@code void run() throws Exception}.
 *
 * <p><b>Failures:</b> a task fails by throwing anything, checked exceptions and {@code Error}s
 * included; the group catches it (nothing reaches the thread's uncaught-exception handler).
 * The first failure wins, as in Go; unlike Go, the later ones are not dropped but attached to
 * the {@code ExecutionException} as suppressed exceptions, in the order they happened. Go does
 * not recover panics; a JVM survives an {@code Error} in one thread, so an {@code Error} is
 * reported like any other failure rather than left to kill only its own thread unnoticed.
 *
 * <p><b>Cancellation</b> (groups made by {@link #withCancel()} only): the first failure cancels
 * the group: every task still running is interrupted, tasks that have not begun never run,
 * {@code go}/{@code tryGo} calls (also those waiting for the limit) start nothing, and
 * {@link #cause()} returns that failure. As Go's derived context is cancelled when
 * {@code Wait} returns, the group is also cancelled when {@link #await()} first returns or
 * throws {@code ExecutionException}, with a {@code CancellationException} as its cause if no
 * task failed. Tasks observe cancellation through their interrupt status (blocking calls throw
 * {@code InterruptedException}) or by asking {@link #cancelled()}. The interrupts that
 * cancellation causes make the interrupted tasks fail in turn; those failures are among the
 * suppressed ones.
 *
 * <p><b>Context</b> (groups made by {@link #withContext(Context)} only): as in Go, nothing is
 * interrupted and tasks keep starting; the first failure (or the first return of
 * {@code await}, with {@link Context#CANCELED} as cause when no task failed) cancels
 * {@link #context()} with that failure as its {@link Context#cause(Context) cause}, and tasks
 * observe it through the context: {@code ctx.err()}, {@code ctx.done()} in a select, or a
 * context-aware wait such as {@code Weighted.acquire(ctx, n)}. The derived context is also
 * cancelled when {@code parent} is; {@link #cancelled()} and {@link #cause()} report the
 * derived context.
 *
 * <p><b>Memory consistency effects:</b> actions before {@code go(task)} or a successful
 * {@code tryGo(task)} happen-before the task's actions; every action of every task
 * happens-before the return (or the throw) of {@link #await()}. The failure that cancels the
 * group happens-before a {@code cancelled()} that returns true, and (withContext) before
 * {@code context().err()} returns non-null. (jcstress:
 * {@code ErrGroupStress.TasksHappenBeforeAwait},
 * {@code ErrGroupStress.FailureHappensBeforeCancelled}.)
 *
 * <p><b>Misuse:</b> {@link #setLimit(int)} while tasks are active throws
 * {@code IllegalStateException("errgroup: modify limit while N goroutines in the group are
 * still active")} and changes nothing (Go panics only when a limit was set before; we always
 * check). {@code setLimit} racing a {@code go} call is a race, as in Go: that call may or may
 * not see the new limit. A null task throws {@code NullPointerException}. A group should not
 * be reused for a second job (as in Go); a cancelling group refuses to, by starting nothing
 * after {@code await()}.
 *
 * <p><b>Progress:</b> {@code go} blocks while the limit is reached; {@code tryGo} never waits
 * for a slot. In a plain group with no limit, starting and ending a task is lock-free (atomic
 * counters); a limit or a cancelling group adds a short critical section on an internal mutex.
 * {@code await} blocks until every task has ended.
 */
public final class Group {
    /*
     * Implementation notes. Go's design: a WaitGroup counts the started tasks and await() is its
     * await(); the limit is a count of active tasks with a condition variable (Go uses a
     * buffered channel of tokens; a Cond lets a cancellation wake go() callers waiting for a
     * slot, which a channel send cannot be made to do without a select). A task's thread ends
     * with: record the failure, free the slot, then wg.done(), so await() sees every failure
     * and a waiting go() can proceed before await() could return.
     *
     * Fast path: a plain group with no limit (the common case, Go's zero Group) has nothing to
     * wait for and no one to cancel, so go() is wg.add(1), an atomic increment of `active` and
     * the start of the thread, and a task's end is an atomic decrement and wg.done(): no mutex.
     * `active` is therefore always changed atomically (ACTIVE), also under mu, and the first
     * failure is set by CAS (FIRST); later failures go to a concurrent queue, in arrival order.
     * With a limit, a task's end decrements `active` and then signals slotFree under mu; a
     * go() waiting for a slot tests `active` and enrolls on slotFree under mu, so the signal
     * cannot fall between its test and its wait.
     *
     * A cancelling group keeps the set of threads running its tasks. A task's thread adds
     * itself (unless the group is already cancelled: then it skips its task) and removes itself
     * when its task ends, both under mu; the first failure sets `cause` and snapshots the set
     * under mu, then interrupts outside mu. So every task either is in the snapshot and is
     * interrupted, or saw the cause and never ran. A thread is never reused for another task,
     * so a late interrupt (the task ended between the snapshot and the interrupt) only reaches
     * a thread that is about to end.
     *
     * Lock order: mu is a leaf (Cond.await releases it). No task runs while mu is held;
     * Thread.interrupt() is called after mu is released.
     */

    /**
     * A task of the group: Go's {@code func() error}, where failing is throwing.
     */
    @FunctionalInterface
    public interface Task {
        /**
         * Does the work.
         *
         * @throws Exception to fail the task (and, in a cancelling group, cancel the group)
         */
        void run() throws Exception;
    }

    private static final int NO_LIMIT = -1;

    private final boolean cancelOnFailure;
    private final CancelCauseContext ctx;             // withContext's derived context, or null
    private final Mutex mu = new Mutex();
    private final Cond slotFree = new Cond(mu);
    private final WaitGroup wg = new WaitGroup();
    private volatile int limit = NO_LIMIT;            // written under mu
    private volatile int active;                      // changed only through ACTIVE
    private volatile Throwable first;                 // set once, through FIRST
    private final ConcurrentLinkedQueue<Throwable> later = new ConcurrentLinkedQueue<>();
    private final Set<Thread> running;                // guarded by mu; null unless cancelling
    private volatile Throwable cause;                 // written under mu, once

    /**
     * Creates a group with no limit on active tasks that does not cancel on failure (Go's zero
     * {@code errgroup.Group}).
     */
    public Group() {
        this(false, null);
    }

    private Group(boolean cancelOnFailure, CancelCauseContext ctx) {
        this.cancelOnFailure = cancelOnFailure;
        this.ctx = ctx;
        this.running = cancelOnFailure ? new HashSet<>() : null;
    }

    /**
     * Creates a cancelling group (Go's {@code errgroup.WithContext}): its first failure, or the
     * first return of {@link #await()}, interrupts its running tasks and stops new ones.
     *
     * @return a new cancelling group with no limit
     */
    public static Group withCancel() {
        return new Group(true, null);
    }

    /**
     * Creates a group with a derived context (Go's {@code errgroup.WithContext}):
     * {@link #context()}, a child of {@code parent}, is cancelled with the first failure as
     * its cause the first time a task fails or {@link #await()} returns, whichever comes
     * first. Tasks are not interrupted; they watch the context.
     *
     * @param parent the parent context
     * @return a new group with no limit
     * @throws NullPointerException {@code "cannot create context from nil parent"} if
     *         {@code parent} is null
     */
    public static Group withContext(Context parent) {
        return new Group(false, Context.withCancelCause(parent));
    }

    /**
     * The group's derived context (Go's second result of {@code errgroup.WithContext}).
     *
     * @return the derived context
     * @throws IllegalStateException {@code "errgroup: context() of a group not made by
     *         withContext"} for any other group
     */
    public Context context() {
        if (ctx == null) {
            throw new IllegalStateException(
                    "errgroup: context() of a group not made by withContext");
        }
        return ctx;
    }

    /**
     * Runs {@code task} on a new goroutine, first waiting while the limit of active tasks is
     * reached (uninterruptibly, as in Go: an interrupt is kept pending). In a cancelled group
     * it starts nothing and returns at once (also when it was waiting for a slot).
     *
     * @param task the task
     * @throws NullPointerException if {@code task} is null
     */
    public void go(Task task) {
        Objects.requireNonNull(task, "task");
        if (cancelOnFailure || limit != NO_LIMIT) {
            if (!admitWaiting()) {
                return;
            }
        } else {
            admit();
        }
        start(task);
    }

    /**
     * As {@link #go(Task)}, but the wait for a slot is interruptible.
     *
     * @param task the task
     * @throws InterruptedException if interrupted while waiting for a slot; nothing started
     * @throws NullPointerException if {@code task} is null
     */
    public void goInterruptibly(Task task) throws InterruptedException {
        Objects.requireNonNull(task, "task");
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        if (cancelOnFailure || limit != NO_LIMIT) {
            if (!admitWaitingInterruptibly()) {
                return;
            }
        } else {
            admit();
        }
        start(task);
    }

    /**
     * Runs {@code task} on a new goroutine only if the number of active tasks is below the
     * limit and the group is not cancelled; never waits for a slot.
     *
     * @param task the task
     * @return whether the task was started
     * @throws NullPointerException if {@code task} is null
     */
    public boolean tryGo(Task task) {
        Objects.requireNonNull(task, "task");
        if (cancelOnFailure || limit != NO_LIMIT) {
            if (!tryAdmit()) {
                return false;
            }
        } else {
            admit();
        }
        start(task);
        return true;
    }

    /**
     * Limits the number of active tasks to at most {@code n}; a negative {@code n} removes the
     * limit, and zero lets no task start. Callers of {@code go} waiting for a slot re-check
     * against the new limit.
     *
     * @param n the maximum number of active tasks, or a negative number for no limit
     * @throws IllegalStateException {@code "errgroup: modify limit while N goroutines in the
     *         group are still active"} if any task is active; the limit is then unchanged
     */
    public void setLimit(int n) {
        mu.lock();
        try {
            int a = active;
            if (a != 0) {
                throw new IllegalStateException("errgroup: modify limit while " + a
                        + " goroutines in the group are still active");
            }
            limit = n < 0 ? NO_LIMIT : n;
            slotFree.broadcast();
        } finally {
            mu.unlock();
        }
    }

    /**
     * Waits until every started task has ended, then reports the first failure, if any. A
     * cancelling group is cancelled when this first returns or throws
     * {@code ExecutionException}.
     *
     * @throws ExecutionException if a task failed: its cause is the first failure, and the
     *         failures after it are attached as suppressed exceptions
     * @throws InterruptedException if interrupted while waiting; the tasks keep running and
     *         the group is unchanged
     */
    public void await() throws InterruptedException, ExecutionException {
        wg.await();
        if (ctx != null) {
            ctx.cancel(first);      // Go's g.cancel(g.err); null (no failure) means CANCELED
        }
        if (cancelOnFailure && cause == null) {
            cancel(new CancellationException("errgroup: await returned"));
        }
        Throwable f = first;
        if (f != null) {
            ExecutionException failure = new ExecutionException("errgroup: a task failed: " + f, f);
            for (Throwable t : later) {
                failure.addSuppressed(t);
            }
            throw failure;
        }
    }

    /**
     * Tells whether the group was cancelled: its first failure happened, or {@link #await()}
     * returned (for {@link #withContext(Context)}: whether {@link #context()} is done, which
     * its parent can also cause). Always false for a group made by {@link #Group()}.
     *
     * @return whether the group is cancelled
     */
    public boolean cancelled() {
        return ctx != null ? ctx.err() != null : cause != null;
    }

    /**
     * Tells why the group was cancelled (Go's {@code context.Cause}): the first failure, or a
     * {@code CancellationException} if {@link #await()} returned with no failure (for
     * {@link #withContext(Context)}: {@code Context.cause(context())}, which is
     * {@link Context#CANCELED} after an {@code await} with no failure).
     *
     * @return the cause, or null while the group is not cancelled
     */
    public Throwable cause() {
        return ctx != null ? Context.cause(ctx) : cause;
    }

    /**
     * Returns a string with the number of active tasks and whether the group is cancelled.
     *
     * @return for example {@code "errgroup.Group[active=3, cancelled]"}
     */
    @Override
    public String toString() {
        return "errgroup.Group[active=" + active + (cancelled() ? ", cancelled]" : "]");
    }

    // Slow paths

    /** Counts a task in: the fast path of a plain group with no limit. */
    private void admit() {
        wg.add(1);   // first: if it throws (a WaitGroup misuse), nothing has changed
        ACTIVE.getAndAdd(this, 1);
    }

    /** Counts a task in under mu, waiting (not interruptibly) for a slot; false if cancelled. */
    private boolean admitWaiting() {
        mu.lock();
        try {
            while (mustWait()) {
                slotFree.awaitUninterruptibly();
            }
            return admitLocked();
        } finally {
            mu.unlock();
        }
    }

    /** As admitWaiting, but the wait for a slot is interruptible. */
    private boolean admitWaitingInterruptibly() throws InterruptedException {
        mu.lock();
        try {
            try {
                while (mustWait()) {
                    slotFree.await();
                }
            } catch (InterruptedException e) {
                slotFree.signal();   // pass on a slot signal this waiter may have consumed
                throw e;
            }
            return admitLocked();
        } finally {
            mu.unlock();
        }
    }

    /** Counts a task in under mu if a slot is free and the group is not cancelled. */
    private boolean tryAdmit() {
        mu.lock();
        try {
            return !mustWait() && admitLocked();
        } finally {
            mu.unlock();
        }
    }

    /** Holding mu: whether a go() call must wait for a slot. */
    private boolean mustWait() {
        return cause == null && limit != NO_LIMIT && active >= limit;
    }

    /** Holding mu, with no need to wait: counts the task in unless the group is cancelled. */
    private boolean admitLocked() {
        if (cause != null) {
            return false;
        }
        admit();
        return true;
    }

    /** Starts the task's goroutine; the slot and the WaitGroup count are already taken. */
    private void start(Task task) {
        try {
            Go.go(() -> runTask(task));
        } catch (Throwable t) {     // e.g. OutOfMemoryError: unable to create native thread
            finish(null, null);     // the task never existed: give back its slot and count
            throw t;
        }
    }

    private void runTask(Task task) {
        Thread me = null;
        if (cancelOnFailure) {
            mu.lock();
            try {
                if (cause == null) {
                    me = Thread.currentThread();
                    running.add(me);
                }
            } finally {
                mu.unlock();
            }
            if (me == null) {
                finish(null, null);   // cancelled before it began: it never runs
                return;
            }
        }
        Throwable failure = null;
        try {
            task.run();
        } catch (Throwable t) {
            failure = t;
        } finally {
            finish(me, failure);
        }
    }

    /** A task ended (or never started): record its failure, free its slot, count it done. */
    private void finish(Thread me, Throwable failure) {
        if (me != null) {
            mu.lock();
            try {
                running.remove(me);
            } finally {
                mu.unlock();
            }
        }
        if (failure != null) {
            if (FIRST.compareAndSet(this, null, failure)) {
                if (cancelOnFailure) {
                    cancel(failure);
                } else if (ctx != null) {
                    ctx.cancel(failure);
                }
            } else if (failure != first) {
                later.add(failure);
            }
        }
        ACTIVE.getAndAdd(this, -1);
        if (limit != NO_LIMIT) {
            mu.lock();
            try {
                slotFree.signal();
            } finally {
                mu.unlock();
            }
        }
        wg.done();
    }

    /** Cancels the group with this cause unless already cancelled; interrupts running tasks. */
    private void cancel(Throwable why) {
        List<Thread> toInterrupt;
        mu.lock();
        try {
            if (cause != null) {
                return;
            }
            cause = why;
            toInterrupt = new ArrayList<>(running);
            slotFree.broadcast();
        } finally {
            mu.unlock();
        }
        for (Thread t : toInterrupt) {
            t.interrupt();
        }
    }

    // VarHandle mechanics
    private static final VarHandle ACTIVE;   // field "active"
    private static final VarHandle FIRST;    // field "first"

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            ACTIVE = l.findVarHandle(Group.class, "active", int.class);
            FIRST = l.findVarHandle(Group.class, "first", Throwable.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
