package dev.gosync.internal;

import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * A waiter that also stops when a condition outside its queue holds: a context is cancelled
 * while its thread waits for semaphore permits, say. Its wait then ends as
 * {@link Waiter#ABANDONED} (cancelled, like a time-out), unless a grant wins the race.
 *
 * <p>The condition is checked before every park and after every wake-up; whoever makes it true
 * must then call {@link #wakeUp()}, so that a parked thread looks again.
 */
public final class StoppableWaiter extends Waiter {
    private final BooleanSupplier stop;     // must be cheap, thread-safe and never throw

    /**
     * A waiter for the calling thread.
     *
     * @param arg the payload of its own node
     * @param stop true once the wait should end
     */
    public StoppableWaiter(long arg, BooleanSupplier stop) {
        super(arg);
        this.stop = Objects.requireNonNull(stop, "stop");
    }

    /** Unparks the waiting thread so that it checks its stop condition; harmless if not parked. */
    public void wakeUp() {
        LockSupport.unpark(thread);
    }

    @Override
    boolean abandoned() {
        return stop.getAsBoolean();
    }
}
