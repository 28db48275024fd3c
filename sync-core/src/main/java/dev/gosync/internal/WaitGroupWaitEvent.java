package dev.gosync.internal;

import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** JFR event {@code dev.gosync.WaitGroupWait}: a thread parked in WaitGroup.await. */
@Name("dev.gosync.WaitGroupWait")
@Label("WaitGroup Wait")
@Description("A thread parked in a gosync WaitGroup's await until the counter reached zero")
@Enabled(false)
public final class WaitGroupWaitEvent extends WaitEvent {
    /** Creates an event; {@code begin()} it just before the park. */
    public WaitGroupWaitEvent() {
    }
}
