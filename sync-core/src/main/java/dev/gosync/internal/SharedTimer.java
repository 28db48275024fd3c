package dev.gosync.internal;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The library's one timer thread (Go's runtime timers): a lazily started daemon thread that
 * runs short actions at a time, such as cancelling a context at its deadline. Nothing waits
 * on it; a context with a deadline costs a queued task here, not a thread.
 *
 * <p>The executor is made on first use (holder idiom), keeps one daemon platform thread named
 * {@code gosync-timer}, and removes a cancelled task from its queue at once
 * ({@code setRemoveOnCancelPolicy(true)}), so that a context cancelled long before its
 * deadline retains nothing. Actions run on that one thread: they must be short and must not
 * block (they cancel and unpark, nothing more).
 */
public final class SharedTimer {
    private SharedTimer() {
    }

    private static final class Holder {
        static final ScheduledThreadPoolExecutor EXECUTOR = create();

        private static ScheduledThreadPoolExecutor create() {
            ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(1, r -> {
                // Started by whichever thread schedules first: inherit none of its thread
                // locals or class loader, so that the library's thread pins no application's.
                Thread t = new Thread(null, r, "gosync-timer", 0L, false);
                t.setDaemon(true);
                t.setContextClassLoader(null);
                return t;
            });
            e.setRemoveOnCancelPolicy(true);
            e.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
            return e;
        }
    }

    /**
     * Runs {@code action} once on the timer thread after {@code nanos} (at once if not
     * positive). Cancel the returned future with {@code cancel(false)} to unschedule it.
     *
     * @param action a short, non-blocking action that does not throw
     * @param nanos the delay in nanoseconds (saturated delays are fine)
     * @return the scheduled task
     */
    public static ScheduledFuture<?> schedule(Runnable action, long nanos) {
        return Holder.EXECUTOR.schedule(action, Math.max(0L, nanos), TimeUnit.NANOSECONDS);
    }

    /**
     * The number of tasks waiting on the timer thread (monitoring and tests).
     *
     * @return the queue length
     */
    public static int pending() {
        return Holder.EXECUTOR.getQueue().size();
    }
}
