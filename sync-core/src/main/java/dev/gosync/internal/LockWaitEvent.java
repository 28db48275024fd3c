package dev.gosync.internal;

import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** JFR event {@code dev.gosync.LockWait}: a thread waited (parked) to lock a Mutex or RWMutex. */
@Name("dev.gosync.LockWait")
@Label("Lock Wait")
@Description("A thread parked waiting to lock a gosync Mutex or RWMutex")
@Enabled(false)
public final class LockWaitEvent extends WaitEvent {
    /** "Mutex", "RWMutex.lock" (a writer) or "RWMutex.rLock" (a reader). */
    @Label("Kind")
    public String kind;

    /** Whether this waiter's wait switched the mutex to starvation (hand-off) mode. */
    @Label("Starvation Mode Entered")
    public boolean starvationEntered;

    /** Whether the lock was handed to this waiter by an unlock in starvation mode. */
    @Label("Hand-off Received")
    public boolean handOffReceived;

    /** Creates an event; {@code begin()} it at the first park. */
    public LockWaitEvent() {
    }
}
