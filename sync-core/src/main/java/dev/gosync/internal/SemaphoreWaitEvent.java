package dev.gosync.internal;

import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** JFR event {@code dev.gosync.SemaphoreWait}: a thread queued for a Weighted semaphore. */
@Name("dev.gosync.SemaphoreWait")
@Label("Semaphore Wait")
@Description("A thread queued for permits of a gosync Weighted semaphore")
@Enabled(false)
public final class SemaphoreWaitEvent extends WaitEvent {
    /** The weight requested. */
    @Label("Permits")
    public long permits;

    /** Creates an event; {@code begin()} it just before the park. */
    public SemaphoreWaitEvent() {
    }
}
