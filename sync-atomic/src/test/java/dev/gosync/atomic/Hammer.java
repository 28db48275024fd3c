package dev.gosync.atomic;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** Runs a body on several platform threads released together by a latch; rethrows failures. */
final class Hammer {
    /** Threads per hammer: a few more than the CPUs so that preemption interleaves them. */
    static final int THREADS = 4;

    interface Body {
        void run(int thread) throws Exception;
    }

    private Hammer() {
    }

    static void run(int threads, Body body) throws InterruptedException {
        CountDownLatch start = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> all = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                    body.run(id);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "hammer-" + t);
            thread.setDaemon(true);
            thread.start();
            all.add(thread);
        }
        start.countDown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (Thread thread : all) {
            thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            if (thread.isAlive()) {
                throw new AssertionError(thread.getName() + " still running after 60 s");
            }
        }
        if (failure.get() != null) {
            throw new AssertionError("a hammer thread failed", failure.get());
        }
    }
}
