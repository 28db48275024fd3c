package dev.gosync.examples;

import dev.gosync.atomic.AtomicBool;

/**
 * A release that must happen exactly once, however many threads race to do it.
 *
 * <p><b>Primitive:</b> {@link AtomicBool#compareAndSwap} from {@code false} to {@code true}. The
 * one caller whose CAS succeeds does the work; every other caller sees {@code false} and returns
 * without waiting. A lock would also work but would make the losers wait for nothing: they have
 * nothing to do once someone else has released. Nor does {@code Once} fit: its losers block
 * until the winner's work returns, which a release path (often called from a finally block or a
 * shutdown hook) must not do.
 *
 * <p>This is the {@code released} flag of {@link ActionLock}, on its own.
 */
final class ReleaseOnceFlag {
    private final AtomicBool released = new AtomicBool();
    private final Runnable release;

    /**
     * @param release the work to do once, on the first call to {@link #release()}
     */
    ReleaseOnceFlag(Runnable release) {
        this.release = release;
    }

    /**
     * Runs the release work if no earlier call has; never blocks.
     *
     * @return whether this call did the work
     */
    boolean release() {
        if (!released.compareAndSwap(false, true)) {
            return false;   // someone else released, or is releasing right now
        }
        release.run();
        return true;
    }

    /** @return whether some call has claimed the release (its work may still be running) */
    boolean isReleased() {
        return released.load();
    }
}
