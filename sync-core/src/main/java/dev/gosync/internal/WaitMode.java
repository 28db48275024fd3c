package dev.gosync.internal;

/**
 * How a thread waits: the one vocabulary every blocking path in gosync passes down to the park
 * loop in {@link Waiter}.
 */
public enum WaitMode {
    /** Until granted; an interrupt is remembered and re-asserted on return. */
    UNINTERRUPTIBLE,
    /** Until granted or interrupted. */
    INTERRUPTIBLE,
    /** Until granted, interrupted, or the time-out elapses. */
    TIMED
}
