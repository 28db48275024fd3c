package dev.gosync.semaphore;

import static dev.gosync.OomProbe.BOUND;
import static dev.gosync.OomProbe.onOtherThread;
import static dev.gosync.OomProbe.result;
import static dev.gosync.OomProbe.startAndAwaitPark;

import dev.gosync.OomProbe;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.FutureTask;

/**
 * Run by RegistrationOomTest in a forked small-heap JVM ({@link OomProbe#JVM_OPTIONS}): a
 * Weighted acquire that throws OutOfMemoryError as it queues must leave no QUEUED flag and no
 * queued request behind. The argument names the case: {@code weighted-acquire},
 * {@code weighted-uninterruptible} or {@code weighted-timed}.
 */
public final class RegistrationOomProbe {
    /** Allocated here, not in block(): an allocation of the probe's own would fail first. */
    private static final Duration LONG = Duration.ofMinutes(1);

    private RegistrationOomProbe() {
    }

    /**
     * Runs one case.
     *
     * @param args the case name
     */
    public static void main(String[] args) {
        String name = args[0];
        int form = List.of("weighted-acquire", "weighted-uninterruptible", "weighted-timed")
                .indexOf(name);
        if (form < 0) {
            throw new IllegalArgumentException("no such case: " + name);
        }
        OomProbe.run(name, () -> new WeightedCase(form));
    }

    /** The main thread holds every permit; B's acquire(1) queues and must leave no trace. */
    private static final class WeightedCase implements OomProbe.Case {
        private final Weighted sem = new Weighted(1);
        private final int form;     // 0 acquire, 1 acquireUninterruptibly, 2 timed tryAcquire

        WeightedCase(int form) {
            this.form = form;
        }

        @Override
        public void hold() throws InterruptedException {
            sem.acquire(1);
        }

        @Override
        public void block() throws InterruptedException {
            if (form == 0) {
                sem.acquire(1);
            } else if (form == 1) {
                sem.acquireUninterruptibly(1);
            } else {
                sem.tryAcquire(1, LONG);
            }
        }

        @Override
        public void releaseBlocked() {
            sem.release(1);
        }

        @Override
        public void release() {
            sem.release(1);
        }

        @Override
        public void checkHeld(List<String> problems) {
            if (sem.queueLength() != 0 || !sem.toString().equals("Weighted[held=1/1]")) {
                problems.add("stranded request: with only the holder left, " + sem
                        + ", queueLength() = " + sem.queueLength());
            }
        }

        @Override
        public void checkReleased(List<String> problems) throws Exception {
            if (sem.queueLength() != 0 || !sem.toString().equals("Weighted[held=0/1]")) {
                problems.add("after release: " + sem + ", queueLength() = "
                        + sem.queueLength());
            }
            if (!onOtherThread(() -> {
                boolean got = sem.tryAcquire(1, BOUND);
                if (got) {
                    sem.release(1);
                }
                return got;
            })) {
                problems.add("a later tryAcquire(1, " + BOUND + ") of the free permit timed"
                        + " out (" + sem + ")");
                return;
            }
            // A contended round: a queued request is granted by the release.
            sem.acquire(1);
            FutureTask<Boolean> waiter = startAndAwaitPark(() -> {
                boolean got = sem.tryAcquire(1, BOUND);
                if (got) {
                    sem.release(1);
                }
                return got;
            });
            sem.release(1);
            if (!Boolean.TRUE.equals(result(waiter, problems, "a contended tryAcquire"))) {
                problems.add("a request queued behind a later holder was not granted by its"
                        + " release (" + sem + ")");
            }
            if (sem.queueLength() != 0 || sem.held() != 0) {
                problems.add("after a contended round: " + sem + ", queueLength() = "
                        + sem.queueLength());
            }
        }
    }
}
