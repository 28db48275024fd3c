package dev.gosync.internal;

import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * The internal "call me when this context is done" hook, for gosync's own context-aware waits
 * (the semaphore's {@code acquire(ctx, n)}): cheaper than {@code Context.afterFunc}, which
 * starts a thread, because the action runs inline in the cancelling thread. Not public API
 * ({@code dev.gosync.internal} is not exported); {@code dev.gosync.context.Context} installs
 * the bridge from its static initialiser, which has run before anyone holds a context.
 */
public final class ContextHooks {
    /** What the context package provides. */
    public interface Bridge {
        /**
         * Registers {@code action} to run once, inline, when {@code ctx} is done.
         *
         * @param ctx a {@code dev.gosync.context.Context}
         * @param action short, non-blocking, never throws (e.g. an unpark)
         * @return stop: deregisters; true if that prevented the action from running
         */
        BooleanSupplier whenDone(Object ctx, Runnable action);
    }

    private static volatile Bridge bridge;      // set once, by Context's static initialiser

    private ContextHooks() {
    }

    /**
     * Installs the bridge; only the context package calls this, once.
     *
     * @param b the bridge
     * @throws IllegalStateException if a bridge is installed already
     */
    public static void install(Bridge b) {
        Objects.requireNonNull(b, "b");
        if (bridge != null) {
            throw new IllegalStateException("context bridge installed twice");
        }
        bridge = b;
    }

    /**
     * Runs {@code action} once, inline in the cancelling thread (or in the caller if
     * {@code ctx} is done already), when {@code ctx} is done.
     *
     * @param ctx a {@code dev.gosync.context.Context}, not null
     * @param action short, non-blocking, never throws
     * @return a stop handle: true if it prevented the action from running; call it when the
     *     wait ends, so a long-lived context retains nothing
     */
    public static BooleanSupplier whenDone(Object ctx, Runnable action) {
        return bridge.whenDone(ctx, action);
    }
}
