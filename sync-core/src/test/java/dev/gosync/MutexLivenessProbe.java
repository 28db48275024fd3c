package dev.gosync;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Run by MutexTest in a forked JVM: three threads lock and unlock one mutex in a loop for a
 * few seconds, two with {@code lock()} and one with a timed {@code tryLock} of up to 2 ms that
 * often gives up, and one pass in 64 holds the mutex past the starvation threshold. So woken
 * competitors, hand-offs, waiters that give up during a hand-off and barging arrivals all mix.
 * Each thread counts its passes (a timed attempt that gives up counts too). If some thread's
 * count does not move for {@code STALL_MILLIS}, that thread sleeps while others get the mutex:
 * a wake-up was lost, or starvation mode failed. The probe then prints the mutex and exits 1;
 * it exits 0 after the run otherwise.
 *
 * <p>Prints {@code passes <a> <b> <c>} at the end, or {@code stall <thread> <mutex> ...}.
 */
public final class MutexLivenessProbe {
    private static final long STALL_MILLIS = 5_000;
    /** One pass in HOLD_MASK + 1 holds the mutex past the starvation threshold. */
    private static final long HOLD_MASK = 63;
    private static final long HOLD_NANOS = 1_500_000L;

    private MutexLivenessProbe() {
    }

    /**
     * Runs the probe.
     *
     * @param args the run's length in seconds
     * @throws InterruptedException never (main is not interrupted)
     */
    public static void main(String[] args) throws InterruptedException {
        long seconds = Long.parseLong(args[0]);
        Mutex mu = new Mutex();
        AtomicLong[] passes = {new AtomicLong(), new AtomicLong(), new AtomicLong()};
        for (int k = 0; k < passes.length; k++) {
            AtomicLong count = passes[k];
            boolean timed = k == passes.length - 1;
            Thread t = new Thread(() -> {
                for (long i = 0; ; i++) {
                    if (timed) {
                        long nanos = ThreadLocalRandom.current().nextLong(2_000_000L);
                        try {
                            if (!mu.tryLock(nanos, TimeUnit.NANOSECONDS)) {
                                count.incrementAndGet();
                                continue;
                            }
                        } catch (InterruptedException e) {
                            throw new AssertionError(e);
                        }
                    } else {
                        mu.lock();
                    }
                    if ((i & HOLD_MASK) == 0) {
                        holdFor(HOLD_NANOS);    // makes the others starve: hand-offs
                    }
                    mu.unlock();
                    count.incrementAndGet();
                }
            });
            t.setDaemon(true);
            t.start();
        }
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        long[] seen = new long[passes.length];
        long[] lastMove = new long[passes.length];
        java.util.Arrays.fill(lastMove, System.nanoTime());
        while (System.nanoTime() < end) {
            Thread.sleep(100);
            for (int k = 0; k < passes.length; k++) {
                long now = passes[k].get();
                if (now != seen[k]) {
                    seen[k] = now;
                    lastMove[k] = System.nanoTime();
                } else if (System.nanoTime() - lastMove[k] > STALL_MILLIS * 1_000_000L) {
                    System.out.println("stall " + k + " " + mu + " " + passes[0] + " "
                            + passes[1] + " " + passes[2]);
                    System.exit(1);
                }
            }
        }
        System.out.println("passes " + passes[0] + " " + passes[1] + " " + passes[2]);
        System.exit(0);
    }

    private static void holdFor(long nanos) {
        long start = System.nanoTime();
        while (System.nanoTime() - start < nanos) {
            Thread.onSpinWait();
        }
    }
}
