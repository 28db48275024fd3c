package dev.gosync.internal;

import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Label;
import jdk.jfr.Name;

/**
 * JFR event {@code dev.gosync.CondWait}: a thread waited on a Cond, from the moment it released
 * the lock to the moment it was signalled, timed out or interrupted (re-locking not included).
 */
@Name("dev.gosync.CondWait")
@Label("Cond Wait")
@Description("A thread waited on a gosync Cond until signalled, timed out or interrupted")
@Enabled(false)
public final class CondWaitEvent extends WaitEvent {
    /** Creates an event; {@code begin()} it just before the park. */
    public CondWaitEvent() {
    }
}
