package dev.gosync.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Test helper: runs bodies on their own platform threads, all released at once by a latch, and
 * waits (bounded) for all of them. The first failure of any body fails the caller.
 */
final class Concurrently {
    /** A body that may throw, given its thread's index. */
    @FunctionalInterface
    interface Body {
        void run(int index) throws Exception;
    }

    private static final long TIMEOUT_SECONDS = 60;

    private Concurrently() {
    }

    /** Runs {@code body} on {@code threads} threads at once and waits for all of them. */
    static void run(int threads, Body body) throws InterruptedException {
        Body[] bodies = new Body[threads];
        java.util.Arrays.fill(bodies, body);
        run(bodies);
    }

    /** Runs each body on its own thread, all released together, and waits for all of them. */
    static void run(Body... bodies) throws InterruptedException {
        CountDownLatch start = new CountDownLatch(1);
        CountDownLatch finished = new CountDownLatch(bodies.length);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < bodies.length; i++) {
            int index = i;
            Body body = bodies[i];
            Thread t = new Thread(() -> {
                try {
                    start.await();
                    body.run(index);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                } finally {
                    finished.countDown();
                }
            }, "example-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        start.countDown();
        if (!finished.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            StringBuilder stuck = new StringBuilder("threads did not finish (deadlock?):");
            for (Thread t : threads) {
                if (t.isAlive()) {
                    stuck.append('\n').append(t.getName()).append(" at ");
                    for (StackTraceElement e : t.getStackTrace()) {
                        stuck.append("\n    ").append(e);
                    }
                }
            }
            throw new AssertionError(stuck.toString(), failure.get());
        }
        Throwable e = failure.get();
        if (e instanceof Error) {
            throw (Error) e;
        }
        if (e != null) {
            throw new AssertionError(e);
        }
    }
}
