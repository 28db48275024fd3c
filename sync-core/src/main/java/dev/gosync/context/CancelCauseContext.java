package dev.gosync.context;

/**
 * A cancellable context whose cancel takes a cause: what {@link Context#withCancelCause}
 * returns (Go's {@code CancelCauseFunc}).
 *
 * <p><b>Go equivalent:</b> {@code ctx, cancel := context.WithCancelCause(p); cancel(err)} is
 * {@code var ctx = Context.withCancelCause(p); ctx.cancel(err);}; then {@code ctx.err()} is
 * {@link Context#CANCELED} and {@link Context#cause(Context)} is {@code err}.
 *
 * <p><b>Memory consistency effects:</b> as {@link CancelContext}; the cause is published with
 * the cancel: a thread that sees {@code err()} non-null sees the cause through
 * {@code Context.cause}.
 *
 * <p><b>Misuse:</b> none; the first cancel wins, later causes are ignored, and a null cause
 * means {@code CANCELED}, as Go's {@code cancel(nil)}.
 *
 * <p><b>Progress:</b> as {@link CancelContext}.
 */
public final class CancelCauseContext extends CancelContext {
    CancelCauseContext(Context parent) {
        super(parent, null, null);
    }

    /**
     * Cancels this context and its descendants, with {@code cause} as the cause that
     * {@link Context#cause(Context)} reports for them, unless it is done already.
     *
     * @param cause why; null for {@link Context#CANCELED}
     */
    public void cancel(Throwable cause) {
        cancel(true, CANCELED, cause);
    }

    @Override
    public String toString() {
        return super.toString().replace(".WithCancel", ".WithCancelCause");
    }
}
