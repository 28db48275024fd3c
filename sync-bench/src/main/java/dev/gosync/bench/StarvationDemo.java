package dev.gosync.bench;

import dev.gosync.Mutex;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The latency view of the Mutex benchmarks: how long can one thread that hammers lock/unlock
 * in a tight loop keep a second thread out? {@link Mutex} switches to starvation mode after a
 * waiter has waited 1 ms and hands the lock over, so its worst wait stays around a millisecond;
 * {@link ReentrantLock}'s non-fair mode lets the hammering thread barge back in every time and
 * can keep the waiter out far longer. (Fair ReentrantLock is shown too: bounded, but every
 * handover costs the hammer a park/unpark, which shows in its iteration count.)
 *
 * <p>Run: {@code java -cp benchmarks.jar dev.gosync.bench.StarvationDemo [seconds per lock]}.
 * The hammer stops at the end of each run, so a waiter that is starved for the whole run gets
 * in then: its worst wait is then a lower bound ("&gt;=").
 */
public final class StarvationDemo {
    private StarvationDemo() {
    }

    /**
     * Runs the demo.
     *
     * @param args optional: seconds per lock (default 3)
     * @throws InterruptedException if interrupted
     */
    public static void main(String[] args) throws InterruptedException {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3.0;
        long runNanos = (long) (seconds * 1e9);
        System.out.printf(Locale.ROOT, "%-26s %9s %11s %11s %11s %12s %14s%n", "lock",
                "waits", "median us", "p99 us", "worst us", "starved run", "hammer ops/s");
        run("gosync Mutex", new Mutex(), runNanos);
        run("ReentrantLock (non-fair)", new ReentrantLock(), runNanos);
        run("ReentrantLock (fair)", new ReentrantLock(true), runNanos);
    }

    private static void run(String name, Lock lock, long runNanos) throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        long[] hammerOps = {0};
        int[] shared = {0};
        Thread hammer = new Thread(() -> {
            long n = 0;
            while (!stop.get()) {
                lock.lock();
                shared[0]++;
                lock.unlock();
                n++;
            }
            hammerOps[0] = n;
        }, "hammer");
        hammer.setDaemon(true);
        Thread stopper = new Thread(() -> {
            LockSupport.parkNanos(runNanos);
            stop.set(true);
        }, "stopper");
        stopper.setDaemon(true);
        hammer.start();
        // let the hammer get going
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        stopper.start();
        long start = System.nanoTime();
        long[] waits = new long[1 << 16];
        int count = 0;
        boolean starvedToTheEnd = false;
        while (!stop.get() && count < waits.length) {
            long t0 = System.nanoTime();
            lock.lock();
            long waited = System.nanoTime() - t0;
            shared[0]++;
            lock.unlock();
            if (stop.get() && t0 < start + runNanos) {
                starvedToTheEnd = true;     // we only got in because the hammer stopped
            }
            waits[count++] = waited;
            LockSupport.parkNanos(200_000L);    // arrive fresh, as a separate request would
        }
        hammer.join();
        stopper.join();
        long elapsed = System.nanoTime() - start;
        long[] w = Arrays.copyOf(waits, count);
        Arrays.sort(w);
        double ops = hammerOps[0] / (elapsed / 1e9);
        System.out.printf(Locale.ROOT, "%-26s %9d %11.1f %11.1f %s%10.1f %12s %14.3g%n", name,
                count, w[count / 2] / 1e3, w[(int) (count * 0.99)] / 1e3,
                starvedToTheEnd ? ">=" : "  ", w[count - 1] / 1e3,
                starvedToTheEnd ? "yes" : "no", ops);
    }
}
