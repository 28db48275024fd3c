package dev.gosync.internal;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * JFR event {@code dev.gosync.Deadlock}: the deadlock watchdog found threads parked for good
 * in a cycle of gosync locks. An instant event on the watchdog's thread, once per deadlock.
 */
@Name("dev.gosync.Deadlock")
@Label("Deadlock")
@Description("The gosync deadlock watchdog found parked threads waiting for each other")
@Category("gosync")
@StackTrace(false)
@Enabled(false)
public final class DeadlockEvent extends jdk.jfr.Event {
    /** The threads of the cycle, in wait-for order. */
    @Label("Threads")
    public String threads;

    /** The watchdog's full report, with each thread's stack. */
    @Label("Report")
    public String report;

    /** Creates an event. */
    public DeadlockEvent() {
    }
}
