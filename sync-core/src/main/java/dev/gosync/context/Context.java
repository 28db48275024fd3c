package dev.gosync.context;

import dev.gosync.chan.Chan;
import dev.gosync.chan.ReceiveChan;
import dev.gosync.internal.ContextHooks;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A cancellation signal, a deadline and request-scoped values, passed down a call tree: Go's
 * {@code context.Context}. Contexts form a tree: cancelling one cancels every context derived
 * from it, never its parent.
 *
 * <p><b>Go equivalent:</b>
 * <pre>{@code
 * Go                                            Java
 * context.Background(), context.TODO()          Context.background(), Context.todo()
 * ctx, cancel := context.WithCancel(p)          try (var ctx = Context.withCancel(p)) { ... }
 * defer cancel()                                  // close() is cancel(): Go's defer cancel()
 * ctx, cancel := context.WithCancelCause(p)     var ctx = Context.withCancelCause(p);
 * cancel(err)                                   ctx.cancel(err);
 * context.WithTimeout(p, time.Second)           Context.withTimeout(p, Duration.ofSeconds(1))
 * context.WithDeadline(p, t)                    Context.withDeadline(p, instant)
 * context.WithTimeoutCause(p, d, err)           Context.withTimeoutCause(p, d, err)
 * context.WithValue(p, key, v)                  Context.withValue(p, key, v)
 * context.WithoutCancel(p)                      Context.withoutCancel(p)
 * stop := context.AfterFunc(ctx, f)             Context.StopFunc stop = Context.afterFunc(ctx, f);
 * stop() // bool                                stop.stop()
 * <-ctx.Done()                                  ctx.done().receive()
 * select { case <-ctx.Done(): ... }             new Select().receive(ctx.done(), v -> ...)...
 * ctx.Err() == context.Canceled                 ctx.err() == Context.CANCELED
 * errors.Is(err, context.DeadlineExceeded)      ctx.err() == Context.DEADLINE_EXCEEDED
 * context.Cause(ctx)                            Context.cause(ctx)
 * d, ok := ctx.Deadline()                       Optional<Instant> d = ctx.deadline();
 * ctx.Value(key)                                ctx.value(key)
 * }</pre>
 *
 * <p><b>Go's rules, kept:</b> cancelling a context cancels all its descendants, with its own
 * {@code err()} and cause; cancelling a child detaches it from its parent, so a long-lived
 * parent retains none of its many short-lived cancelled children; a deadline later than the
 * parent's gives a plain cancellable child; a deadline already past gives a context done with
 * {@link #DEADLINE_EXCEEDED}; a child of a done parent is done at creation; the first cause
 * wins and cancelling again does nothing; {@link #withoutCancel(Context)} keeps the values and
 * drops the cancellation.
 *
 * <p><b>{@code done()} of a context that is never cancelled</b> ({@link #background()},
 * {@link #todo()}, {@link #withoutCancel(Context)}, and values over them): a shared channel
 * that is never closed. Go returns a nil channel there; a Java {@code null} would make the
 * natural {@code ctx.done().receive()} throw instead of blocking forever, as receiving from a
 * nil channel does in Go. (A {@code Select} case on it is never ready, which is what a nil case
 * would give, at the cost of linking the select's waiter on it.)
 *
 * <p><b>Timers:</b> no thread per context. A deadline is a task on the library's one shared
 * daemon timer thread, removed from its queue when the context is cancelled earlier.
 *
 * <p><b>Memory consistency effects:</b> actions in a thread before it cancels a context
 * (calling {@code cancel}, {@code close}, or the deadline passing, or cancelling an ancestor)
 * happen-before a receive from that context's {@code done()} that returns because the channel
 * was closed, before an {@code err()} or {@link #cause(Context)} that returns non-null, and
 * before an {@link #afterFunc(Context, Runnable)} function starts. Actions before a
 * {@code withValue} happen-before a {@code value(key)} that returns the value through the
 * returned context (its fields are final).
 * (jcstress: {@code ContextStress.CancelHappensBeforeDone}.)
 *
 * <p><b>Misuse:</b> a null parent throws {@code NullPointerException("cannot create context
 * from nil parent")} (Go's panic); a null key for {@code withValue} throws
 * {@code NullPointerException("nil key")}; other null arguments throw
 * {@code NullPointerException} naming the argument. Casting {@code done()} to {@link Chan} to
 * close it is misuse that cannot be detected: it would wake the receivers of a context that is
 * not done (and, for the shared never-closed channel, of every such context). Not calling
 * {@code cancel}/{@code close} on a context that has no deadline keeps it registered in its
 * parent until the parent is cancelled (Go's "context leak", which {@code go vet} flags): use
 * try-with-resources. Contexts cannot be implemented outside this package.
 *
 * <p><b>Progress:</b> {@code err()}, {@code deadline()} and {@code value()} are wait-free
 * (a volatile read, or a walk up the parents for values and deadlines); creating and cancelling
 * a cancellable context takes its parent's and its own short, leaf-level locks.
 */
public abstract class Context {
    /*
     * Implementation notes. Go's design: a cancellable context (CancelContext, which also plays
     * Go's timerCtx) keeps the set of its cancellable children and afterFunc registrations;
     * values and withoutCancel wrap a parent. A child registers in its nearest cancellable
     * ancestor (cancelAncestor(), Go's parentCancelCtx found through Value(&cancelCtxKey)),
     * which cancels it directly. No goroutine per context is ever needed, since every context
     * is one of ours (the constructor is package-private). Cancellation is iterative, not
     * recursive: a deep chain of descendants cannot overflow the stack.
     */

    /** Go's {@code context.Canceled}: same instance as {@link ContextException#CANCELED}. */
    public static final ContextException CANCELED = ContextException.CANCELED;

    /**
     * Go's {@code context.DeadlineExceeded}: same instance as
     * {@link ContextException#DEADLINE_EXCEEDED}.
     */
    public static final ContextException DEADLINE_EXCEEDED = ContextException.DEADLINE_EXCEEDED;

    /** The done channel of every context that is never cancelled: never closed. */
    static final Chan<Void> NEVER = new Chan<>();

    private static final Context BACKGROUND = new Background("context.Background");
    private static final Context TODO = new Background("context.TODO");

    static {
        ContextHooks.install((ctx, action) -> AfterFunc.register((Context) ctx, action, true));
    }

    /**
     * Go's {@code stop} function returned by {@code context.AfterFunc}.
     */
    @FunctionalInterface
    public interface StopFunc {
        /**
         * Stops the association of the function with its context.
         *
         * @return true if this call prevented the function from running; false if it has
         *     already been started or stopped
         */
        boolean stop();
    }

    Context() {
    }

    // Roots

    /**
     * The root context: never cancelled, no values, no deadline (Go's
     * {@code context.Background()}). One shared instance.
     *
     * @return the background context
     */
    public static Context background() {
        return BACKGROUND;
    }

    /**
     * A root context like {@link #background()}, for code that does not yet know which context
     * to use (Go's {@code context.TODO()}).
     *
     * @return the TODO context
     */
    public static Context todo() {
        return TODO;
    }

    // Derived contexts

    /**
     * A child of {@code parent} that is done when its {@code cancel()} (or {@code close()}) is
     * called or when {@code parent} is done, whichever happens first (Go's
     * {@code context.WithCancel}).
     *
     * @param parent the parent
     * @return a new cancellable context
     * @throws NullPointerException {@code "cannot create context from nil parent"}
     */
    public static CancelContext withCancel(Context parent) {
        return new CancelContext(checkParent(parent), null, null).start();
    }

    /**
     * As {@link #withCancel(Context)}, but its cancel takes a cause, which
     * {@link #cause(Context)} reports (Go's {@code context.WithCancelCause}).
     *
     * @param parent the parent
     * @return a new cancellable context
     * @throws NullPointerException {@code "cannot create context from nil parent"}
     */
    public static CancelCauseContext withCancelCause(Context parent) {
        return new CancelCauseContext(checkParent(parent)).start();
    }

    /**
     * A child of {@code parent} that is also done, with {@link #DEADLINE_EXCEEDED}, once
     * {@code deadline} passes (Go's {@code context.WithDeadline}). If the parent's deadline is
     * earlier, this is {@code withCancel(parent)}; if {@code deadline} has passed, the context
     * is returned done. Cancel it when done with it to free its timer at once.
     *
     * @param parent the parent
     * @param deadline when to be done
     * @return a new cancellable context
     * @throws NullPointerException {@code "cannot create context from nil parent"}, or if
     *     {@code deadline} is null
     */
    public static CancelContext withDeadline(Context parent, Instant deadline) {
        return withDeadlineCause(parent, deadline, null);
    }

    /**
     * As {@link #withDeadline(Context, Instant)}, and when the deadline passes
     * {@link #cause(Context)} is {@code cause} (Go's {@code context.WithDeadlineCause}).
     *
     * @param parent the parent
     * @param deadline when to be done
     * @param cause the cause to report when the deadline passes; null for the default
     *     ({@link #DEADLINE_EXCEEDED})
     * @return a new cancellable context
     * @throws NullPointerException {@code "cannot create context from nil parent"}, or if
     *     {@code deadline} is null
     */
    public static CancelContext withDeadlineCause(Context parent, Instant deadline,
            Throwable cause) {
        checkParent(parent);
        Objects.requireNonNull(deadline, "deadline");
        Optional<Instant> current = parent.deadline();
        if (current.isPresent() && current.get().isBefore(deadline)) {
            return withCancel(parent);      // the parent's deadline comes first: no timer
        }
        return new CancelContext(parent, deadline, cause).start();
    }

    /**
     * {@code withDeadline(parent, now + timeout)} (Go's {@code context.WithTimeout}); a zero or
     * negative timeout gives a context that is already done.
     *
     * @param parent the parent
     * @param timeout how long until the context is done
     * @return a new cancellable context
     * @throws NullPointerException {@code "cannot create context from nil parent"}, or if
     *     {@code timeout} is null
     */
    public static CancelContext withTimeout(Context parent, Duration timeout) {
        return withTimeoutCause(parent, timeout, null);
    }

    /**
     * {@code withDeadlineCause(parent, now + timeout, cause)} (Go's
     * {@code context.WithTimeoutCause}).
     *
     * @param parent the parent
     * @param timeout how long until the context is done
     * @param cause the cause to report when the time runs out; null for the default
     * @return a new cancellable context
     * @throws NullPointerException {@code "cannot create context from nil parent"}, or if
     *     {@code timeout} is null
     */
    public static CancelContext withTimeoutCause(Context parent, Duration timeout,
            Throwable cause) {
        checkParent(parent);
        Objects.requireNonNull(timeout, "timeout");
        Instant now = Instant.now();
        Instant deadline;
        try {
            deadline = now.plus(timeout);
        } catch (DateTimeException | ArithmeticException overflow) {
            deadline = timeout.isNegative() ? Instant.MIN : Instant.MAX;    // saturate
        }
        return withDeadlineCause(parent, deadline, cause);
    }

    /**
     * A child of {@code parent} whose {@code value(key)} is {@code value} and which asks its
     * parent for every other key (Go's {@code context.WithValue}). Keys are compared with
     * {@code equals}; use a private key type (or a private {@code new Object()}) so that
     * packages do not collide. A null value is allowed, as Go's nil, and reads as absent.
     *
     * @param parent the parent
     * @param key the key, not null
     * @param value the value
     * @return a new context with the same cancellation and deadline as its parent
     * @throws NullPointerException {@code "cannot create context from nil parent"}, or
     *     {@code "nil key"}
     */
    public static Context withValue(Context parent, Object key, Object value) {
        checkParent(parent);
        if (key == null) {
            throw new NullPointerException("nil key");
        }
        return new ValueContext(parent, key, value);
    }

    /**
     * A context with {@code parent}'s values that is never cancelled, has no deadline and is
     * not cancelled when {@code parent} is (Go's {@code context.WithoutCancel}); for work that
     * must outlive the request, such as a log flush.
     *
     * @param parent the parent
     * @return a context that is never done
     * @throws NullPointerException {@code "cannot create context from nil parent"}
     */
    public static Context withoutCancel(Context parent) {
        return new WithoutCancel(checkParent(parent));
    }

    // Functions over contexts

    /**
     * Arranges for {@code f} to run once, on a goroutine of its own ({@code dev.gosync.Go.go}: a
     * virtual thread on Java 21+), after {@code ctx} is done; at once if it is done already
     * (Go's {@code context.AfterFunc}, Go 1.21). A context that is never done never runs it.
     * Calling {@code afterFunc} several times on one context registers each call separately.
     *
     * <p>The returned {@link StopFunc#stop()} stops the association: it returns true if it
     * prevented {@code f} from running, false if {@code f} has been started already (or
     * {@code stop} was called before). It does not wait for a running {@code f}. A stopped
     * registration is removed from the context, so it retains nothing.
     *
     * @param ctx the context
     * @param f the function
     * @return the stop handle
     * @throws NullPointerException if an argument is null
     */
    public static StopFunc afterFunc(Context ctx, Runnable f) {
        Objects.requireNonNull(ctx, "ctx");
        Objects.requireNonNull(f, "f");
        return AfterFunc.register(ctx, f, false);
    }

    /**
     * Why {@code ctx} is done (Go's {@code context.Cause}): null while it is not; else the
     * cause given to the first cancel (of this context or of the ancestor that cancelled it),
     * or, if none was given, {@code ctx.err()}.
     *
     * @param ctx the context
     * @return the cause, or null while not done
     * @throws NullPointerException if {@code ctx} is null
     */
    public static Throwable cause(Context ctx) {
        CancelContext c = Objects.requireNonNull(ctx, "ctx").cancelAncestor();
        return c == null ? ctx.err() : c.cause();
    }

    // The instance side

    /**
     * A channel that is closed when this context is done (Go's {@code Done()}), for use in a
     * {@code Select} or a plain {@code receive()}; it is only ever closed, and a receive from
     * it returns null. Successive calls return the same channel. For a context that is never
     * cancelled it is a shared channel that is never closed.
     *
     * @return the done channel
     */
    public abstract ReceiveChan<Void> done();

    /**
     * Null while this context is not done; afterwards {@link #CANCELED} or
     * {@link #DEADLINE_EXCEEDED}, forever (Go's {@code Err()}). Compare with {@code ==}.
     *
     * @return why the context is done, or null
     */
    public abstract ContextException err();

    /**
     * When this context will be done because of a deadline, its own or an ancestor's (Go's
     * {@code Deadline()}).
     *
     * @return the deadline, or empty if none
     */
    public abstract Optional<Instant> deadline();

    /**
     * The value associated with {@code key} in this context or the nearest ancestor that has
     * one (Go's {@code Value(key)}).
     *
     * @param key the key
     * @return the value, or null if none
     */
    public abstract Object value(Object key);

    /** The nearest cancellable context at or above this one; null if never cancelled. */
    abstract CancelContext cancelAncestor();

    static Context checkParent(Context parent) {
        if (parent == null) {
            throw new NullPointerException("cannot create context from nil parent");
        }
        return parent;
    }

    // The contexts that are not cancellable themselves

    /** A context that is never cancelled: no done signal, no error, no deadline. */
    private abstract static class NeverDone extends Context {
        @Override
        public ReceiveChan<Void> done() {
            return NEVER;
        }

        @Override
        public ContextException err() {
            return null;
        }

        @Override
        public Optional<Instant> deadline() {
            return Optional.empty();
        }
    }

    /** background() and todo(): Go's emptyCtx. */
    private static final class Background extends NeverDone {
        private final String name;

        Background(String name) {
            this.name = name;
        }

        @Override
        public Object value(Object key) {
            return null;
        }

        @Override
        CancelContext cancelAncestor() {
            return null;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** withValue: one key and its value over a parent. */
    private static final class ValueContext extends Context {
        private final Context parent;
        private final Object key;
        private final Object val;

        ValueContext(Context parent, Object key, Object val) {
            this.parent = parent;
            this.key = key;
            this.val = val;
        }

        @Override
        public ReceiveChan<Void> done() {
            return parent.done();
        }

        @Override
        public ContextException err() {
            return parent.err();
        }

        @Override
        public Optional<Instant> deadline() {
            return parent.deadline();
        }

        @Override
        public Object value(Object k) {
            Context c = this;
            while (c instanceof ValueContext) {     // iterative: long value chains are common
                ValueContext v = (ValueContext) c;
                if (v.key.equals(k)) {
                    return v.val;
                }
                c = v.parent;
            }
            return c.value(k);
        }

        @Override
        CancelContext cancelAncestor() {
            return parent.cancelAncestor();
        }

        @Override
        public String toString() {
            return parent + ".WithValue(" + key + ", " + val + ")";
        }
    }

    /** withoutCancel: the parent's values, nothing else. */
    private static final class WithoutCancel extends NeverDone {
        private final Context parent;

        WithoutCancel(Context parent) {
            this.parent = parent;
        }

        @Override
        public Object value(Object key) {
            return parent.value(key);
        }

        @Override
        CancelContext cancelAncestor() {
            return null;
        }

        @Override
        public String toString() {
            return parent + ".WithoutCancel";
        }
    }
}
