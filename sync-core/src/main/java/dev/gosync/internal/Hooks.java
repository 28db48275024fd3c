package dev.gosync.internal;

/**
 * Whether any per-acquisition diagnostic is on: the lock-order checker or the hold-time
 * recorder. The locks' fast paths test this one {@code static final} and leave to their slow
 * paths whatever the diagnostics need, so with both off (the default) the JIT folds the test
 * away and a fast path stays the single CAS it is without them.
 */
public final class Hooks {
    /** {@link LockOrder#ON} or {@link HoldTimes#ON}; fixed when the class is initialised. */
    public static final boolean ON = LockOrder.ON || HoldTimes.ON;

    private Hooks() {
    }
}
