package dev.gosync.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One waiting thread's place in a {@link WaitQueue}: the token a primitive hands back to the
 * queue to park on, cancel, or be granted. Opaque outside this package.
 */
public final class Waiter {
    /** Status: waiting for a grant. */
    static final int WAITING = 0;
    /** Status: a waker granted this waiter what it waited for. */
    static final int GRANTED = 1;
    /** Status: the waiter gave up (time-out or interrupt) before any grant. */
    static final int CANCELLED = 2;

    final Thread thread;
    volatile int status;    // WAITING -> GRANTED | CANCELLED, exactly once, by CAS
    Waiter prev;            // guarded by the queue lock
    Waiter next;            // guarded by the queue lock
    boolean linked;         // guarded by the queue lock
    long ticket;            // guarded by the queue lock; NotifyList's enrolment number

    Waiter(Thread thread) {
        this.thread = thread;
    }

    /** Waker side: WAITING to GRANTED; false if the waiter already gave up. */
    boolean grant() {
        return STATUS.compareAndSet(this, WAITING, GRANTED);
    }

    /** Waiter side: WAITING to CANCELLED; false if a grant won the race. */
    boolean cancel() {
        return STATUS.compareAndSet(this, WAITING, CANCELLED);
    }

    /**
     * Whether a waker granted this waiter (monitoring and tests).
     *
     * @return true once granted
     */
    public boolean isGranted() {
        return status == GRANTED;
    }

    @Override
    public String toString() {
        int s = status;
        return "Waiter[" + thread.getName() + ", "
                + (s == WAITING ? "waiting" : s == GRANTED ? "granted" : "cancelled") + "]";
    }

    // VarHandle mechanics
    private static final VarHandle STATUS;   // field "status"
    static {
        try {
            STATUS = MethodHandles.lookup().findVarHandle(Waiter.class, "status", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
