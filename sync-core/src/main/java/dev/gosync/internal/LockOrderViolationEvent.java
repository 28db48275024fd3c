package dev.gosync.internal;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * JFR event {@code dev.gosync.LockOrderViolation}: the lock-order checker found a violation
 * (once per violation in mode warn, at every occurrence in mode throw). An instant event on
 * the acquiring thread, before it would block.
 */
@Name("dev.gosync.LockOrderViolation")
@Label("Lock Order Violation")
@Description("The gosync lock-order checker found an acquisition that can deadlock")
@Category("gosync")
@StackTrace(true)
@Enabled(false)
public final class LockOrderViolationEvent extends jdk.jfr.Event {
    /** The lock classes of the cycle, first to last, the first repeated at the end. */
    @Label("Cycle")
    public String cycle;

    /** "warn" (reported, and the acquisition goes on) or "throw" (LockOrderException). */
    @Label("Action")
    public String action;

    /** The checker's full report. */
    @Label("Report")
    public String report;

    /** Creates an event. */
    public LockOrderViolationEvent() {
    }
}
