package dev.gosync.internal;

import jdk.jfr.Category;
import jdk.jfr.Label;
import jdk.jfr.StackTrace;

/**
 * What every gosync JFR wait event records: which primitive the thread waited on and how the
 * wait ended. The duration is the event's own (from {@code begin()} at the first park to
 * {@code commit()} when the call returns). Subclasses are {@code @Enabled(false)}: off unless a
 * recording's settings turn them on (see {@code gosync.jfc}), and then only waits that parked
 * are recorded, never a fast path.
 */
@Category("gosync")
@StackTrace(true)
public abstract class WaitEvent extends jdk.jfr.Event {
    /** The primitive's name, or its class and identity hash when it has none. */
    @Label("Primitive")
    public String primitive;

    /** "acquired" (or "done"), "timed out" or "interrupted". */
    @Label("Outcome")
    public String outcome;

    WaitEvent() {
    }

    /**
     * How an event names a primitive: its given name, else {@code Class@hash}, as
     * {@code Object.toString} would without the state.
     *
     * @param primitive the object waited on
     * @param name its given name, or null
     * @return the label to record
     */
    public static String label(Object primitive, String name) {
        return name != null ? name : primitive.getClass().getSimpleName() + "@"
                + Integer.toHexString(System.identityHashCode(primitive));
    }

    /**
     * Ends the event and, if a recording wants it (checked against begin..end, so after
     * {@code end()}), fills in {@link #primitive} and {@link #outcome}; the caller then sets
     * its own fields and commits.
     *
     * @param waitedOn the primitive waited on
     * @param name its given name, or null
     * @param outcome a {@link Waiter} outcome
     * @param grantedWord the label of {@link Waiter#GRANTED} ("acquired", "signalled", "done")
     * @return true if the caller should commit
     */
    public final boolean finish(Object waitedOn, String name, int outcome, String grantedWord) {
        end();
        if (!shouldCommit()) {
            return false;
        }
        this.primitive = label(waitedOn, name);
        this.outcome = outcome == Waiter.GRANTED ? grantedWord : outcome(outcome);
        return true;
    }

    /**
     * The outcome's label for a {@link Waiter} outcome.
     *
     * @param outcome {@link Waiter#GRANTED}, {@link Waiter#TIMED_OUT},
     *     {@link Waiter#INTERRUPTED} or {@link Waiter#ABANDONED}
     * @return "acquired", "timed out", "interrupted" or "context done"
     */
    public static String outcome(int outcome) {
        return outcome == Waiter.GRANTED ? "acquired"
                : outcome == Waiter.TIMED_OUT ? "timed out"
                : outcome == Waiter.ABANDONED ? "context done" : "interrupted";
    }
}
