package dev.gosync.chan;

import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The threads a test starts: whatever one of them throws (a failed assertion, say) fails the
 * test after it ends, not only that thread. Register with {@code @RegisterExtension}.
 */
final class StartedThreads implements AfterEachCallback {
    private final ConcurrentLinkedQueue<Throwable> thrown = new ConcurrentLinkedQueue<>();

    /** Starts {@code r} in a daemon thread whose failure is recorded. */
    Thread start(Runnable r) {
        Thread t = new Thread(r);
        t.setDaemon(true);
        t.setUncaughtExceptionHandler((th, e) -> thrown.add(e));
        t.start();
        return t;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Throwable first = thrown.peek();
        if (first != null) {
            throw new AssertionError("a started thread failed", first);
        }
    }
}
