package dev.gosync.context;

/**
 * The two reasons a context is done, as {@link Context#err()} reports them: Go's
 * {@code context.Canceled} and {@code context.DeadlineExceeded}.
 *
 * <p><b>Go equivalent:</b> {@code err == context.Canceled} is
 * {@code ctx.err() == ContextException.CANCELED} (also spelled {@link Context#CANCELED});
 * {@code errors.Is(err, context.DeadlineExceeded)} is
 * {@code ctx.err() == ContextException.DEADLINE_EXCEEDED}; Go's {@code Timeout()} method on
 * the deadline error is {@link #timeout()}.
 *
 * <p><b>Why two shared, immutable sentinels compared with {@code ==}:</b> Go's errors are
 * sentinel values compared by identity, and {@code err()} is called in hot loops
 * ({@code for ctx.err() == null}), so it must not allocate. A shared exception must then be
 * immutable, or one thread's {@code addSuppressed} or {@code initCause} would show in every
 * other: these two have suppression disabled, an unwritable (empty) stack trace and a cause
 * fixed to null, and deserialise to the same instance. Because they carry no stack trace,
 * code that wants to <em>throw</em> because a context is done throws a fresh
 * {@link ContextDoneException} instead, which carries the sentinel ({@code err()}) and the
 * cause ({@link Context#cause(Context)}). The class is unchecked so that it can be the cause
 * of such an exception and compared without ceremony; it is never thrown by this library.
 *
 * <p><b>Memory consistency effects:</b> none of its own: see {@link Context#err()}.
 */
public final class ContextException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Go's {@code context.Canceled}: the context was cancelled. */
    public static final ContextException CANCELED =
            new ContextException("context canceled", false);

    /** Go's {@code context.DeadlineExceeded}: the context's deadline passed. */
    public static final ContextException DEADLINE_EXCEEDED =
            new ContextException("context deadline exceeded", true);

    /** Whether this is DEADLINE_EXCEEDED; the serialised form names the sentinel by it. */
    private final boolean timeout;

    private ContextException(String message, boolean timeout) {
        super(message, null, false, false);     // immutable: no suppression, no stack trace
        this.timeout = timeout;
    }

    /**
     * Whether this is {@link #DEADLINE_EXCEEDED} (Go's {@code Timeout() bool} on the deadline
     * error, as {@code net.Error} asks).
     *
     * @return true for DEADLINE_EXCEEDED, false for CANCELED
     */
    public boolean timeout() {
        return timeout;
    }

    /**
     * Deserialises to the shared sentinel, so that {@code ==} keeps working.
     *
     * @return {@link #CANCELED} or {@link #DEADLINE_EXCEEDED}
     */
    private Object readResolve() {
        return timeout ? DEADLINE_EXCEEDED : CANCELED;
    }
}
