package dev.gosync.context;

import java.util.Objects;

/**
 * Thrown by a blocking call that gave up because its context is done, such as
 * {@code Weighted.acquire(ctx, n)}: Go's {@code return ctx.Err()}.
 *
 * <p><b>Go equivalent:</b>
 * <pre>{@code
 * Go                                        Java
 * if err := s.Acquire(ctx, 1); err != nil { try {
 *     return err                                s.acquire(ctx, 1);
 * }                                         } catch (ContextDoneException e) {
 * errors.Is(err, context.DeadlineExceeded)      e.err() == ContextException.DEADLINE_EXCEEDED
 * context.Cause(ctx)                            e.getCause()
 *                                           }
 * }</pre>
 *
 * <p><b>Why a checked exception:</b> giving up because the context is done is an expected
 * outcome of every context-aware wait, like {@code InterruptedException} or
 * {@code TimeoutException}; a checked exception makes the caller decide, where a boolean result
 * could be silently ignored and the caller would run without the permits it asked for. A fresh
 * instance per failure carries the caller's stack trace; {@link #err()} is the shared sentinel
 * ({@code ==}-comparable) and {@link #getCause()} is {@link Context#cause(Context)} at the time
 * of the failure (the sentinel itself unless a cause was given).
 *
 * <p><b>Misuse:</b> constructing one for a context that is not done throws
 * {@code IllegalArgumentException("context is not done")}.
 */
public final class ContextDoneException extends Exception {
    private static final long serialVersionUID = 1L;

    /** The context's err() when this was made: one of the two shared sentinels. */
    private final ContextException err;

    /**
     * An exception for {@code ctx}, which must be done: its message is {@code ctx.err()}'s,
     * its cause {@code Context.cause(ctx)}.
     *
     * @param ctx a done context
     * @throws IllegalArgumentException {@code "context is not done"} if {@code ctx.err()} is null
     * @throws NullPointerException if {@code ctx} is null
     */
    public ContextDoneException(Context ctx) {
        this(Objects.requireNonNull(ctx, "ctx").err(), Context.cause(ctx));
    }

    private ContextDoneException(ContextException err, Throwable cause) {
        super(message(err, cause), cause);
        this.err = err;
    }

    private static String message(ContextException err, Throwable cause) {
        if (err == null) {
            throw new IllegalArgumentException("context is not done");
        }
        return cause == null || cause == err ? err.getMessage()
                : err.getMessage() + ": " + cause;
    }

    /**
     * Why the context is done: {@link ContextException#CANCELED} or
     * {@link ContextException#DEADLINE_EXCEEDED} (Go's {@code ctx.Err()}).
     *
     * @return the sentinel, never null
     */
    public ContextException err() {
        return err;
    }
}
