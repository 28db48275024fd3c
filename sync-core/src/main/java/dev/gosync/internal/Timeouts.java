package dev.gosync.internal;

import java.time.Duration;

/** Time-out arithmetic shared by every timed wait. */
public final class Timeouts {
    private Timeouts() {
    }

    /**
     * The duration in nanoseconds, saturated to {@code Long.MIN_VALUE}/{@code Long.MAX_VALUE}
     * when it does not fit (about 292 years), so a huge time-out waits "forever" instead of
     * throwing.
     *
     * @param d the duration, not null
     * @return its length in nanoseconds, saturated
     */
    public static long nanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException overflow) {
            return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }
}
