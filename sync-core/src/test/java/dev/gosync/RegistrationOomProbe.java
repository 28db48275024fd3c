package dev.gosync;

import static dev.gosync.OomProbe.BOUND;
import static dev.gosync.OomProbe.onOtherThread;
import static dev.gosync.OomProbe.result;
import static dev.gosync.OomProbe.startAndAwaitPark;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.FutureTask;
import java.util.function.Supplier;

/**
 * Run by RegistrationOomTest in a forked small-heap JVM ({@link OomProbe#JVM_OPTIONS}): a
 * blocking call of Mutex, RWMutex or WaitGroup that throws OutOfMemoryError as it registers to
 * wait must leave no trace. The argument names the case; see {@link OomProbe} for the round
 * and the verdict line.
 */
public final class RegistrationOomProbe {
    /** Allocated here, not in block(): an allocation of the probe's own would fail first. */
    private static final Duration LONG = Duration.ofMinutes(1);

    private RegistrationOomProbe() {
    }

    /**
     * Runs one case.
     *
     * @param args the case name: {@code mutex-lock}, {@code mutex-tryLock},
     *     {@code rwmutex-reader}, {@code rwmutex-first-reader}, {@code rwmutex-writer},
     *     {@code rwmutex-writer-timed}, {@code rwmutex-writer-bias},
     *     {@code rwmutex-writer-bias-timed}, {@code waitgroup-await} or
     *     {@code waitgroup-timed}
     */
    public static void main(String[] args) {
        OomProbe.run(args[0], cases(args[0]));
    }

    private static Supplier<? extends OomProbe.Case> cases(String name) {
        switch (name) {
            case "mutex-lock":
                return () -> new MutexCase(false);
            case "mutex-tryLock":
                return () -> new MutexCase(true);
            case "rwmutex-reader":
                return ReaderCase::new;
            case "rwmutex-first-reader":
                return FirstReaderCase::new;
            case "rwmutex-writer":
                return () -> new WriterCase(false, false);
            case "rwmutex-writer-timed":
                return () -> new WriterCase(false, true);
            case "rwmutex-writer-bias":
                return () -> new WriterCase(true, false);
            case "rwmutex-writer-bias-timed":
                return () -> new WriterCase(true, true);
            case "waitgroup-await":
                return () -> new WaitGroupCase(false);
            case "waitgroup-timed":
                return () -> new WaitGroupCase(true);
            default:
                throw new IllegalArgumentException("no such case: " + name);
        }
    }

    /** The main thread holds a Mutex; B's lock() (or timed tryLock) must leave no waiter. */
    private static final class MutexCase implements OomProbe.Case {
        private final Mutex m = new Mutex();
        private final boolean timed;

        MutexCase(boolean timed) {
            this.timed = timed;
        }

        @Override
        public void hold() {
            m.lock();
        }

        @Override
        public void block() throws InterruptedException {
            if (timed) {
                m.tryLock(LONG);
            } else {
                m.lock();
            }
        }

        @Override
        public void releaseBlocked() {
            m.unlock();
        }

        @Override
        public void release() {
            m.unlock();
        }

        @Override
        public void checkHeld(List<String> problems) {
            if (m.waiterCount() != 0) {
                problems.add("ghost waiter: waiterCount() = " + m.waiterCount()
                        + " while only the holder is left (" + m + ")");
            }
        }

        @Override
        public void checkReleased(List<String> problems) throws Exception {
            if (m.waiterCount() != 0 || m.isLocked() || !m.toString().contains("waiters=0]")) {
                problems.add("after unlock: " + m + ", waiterCount() = " + m.waiterCount());
            }
            if (!onOtherThread(() -> {
                boolean got = m.tryLock(BOUND);
                if (got) {
                    m.unlock();
                }
                return got;
            })) {
                problems.add("another thread's tryLock(" + BOUND + ") failed (" + m + ")");
                return;
            }
            // A contended round: a parked waiter is woken by the unlock.
            m.lock();
            FutureTask<Boolean> waiter = startAndAwaitPark(() -> {
                boolean got = m.tryLock(BOUND);
                if (got) {
                    m.unlock();
                }
                return got;
            });
            m.unlock();
            if (!Boolean.TRUE.equals(result(waiter, problems, "a contended tryLock"))) {
                problems.add("a waiter parked behind a later holder was not woken by its"
                        + " unlock (" + m + ")");
            }
            if (m.waiterCount() != 0) {
                problems.add("after a contended round: waiterCount() = " + m.waiterCount());
            }
        }
    }

    /** Checks shared by the RWMutex cases, once nobody holds the lock. */
    private static void checkRwReleased(RWMutex rw, List<String> problems) throws Exception {
        if (rw.isWriteLocked() || rw.readerCount() != 0) {
            problems.add("nobody holds it, yet " + rw);
        }
        if (!onOtherThread(() -> {
            boolean got = rw.tryLock(BOUND);
            if (got) {
                rw.unlock();
            }
            return got;
        })) {
            problems.add("a later writer's tryLock(" + BOUND + ") timed out (" + rw + ")");
        }
        if (!onOtherThread(() -> {
            boolean got = rw.tryRLock(BOUND);
            if (got) {
                rw.rUnlock();
            }
            return got;
        })) {
            problems.add("a later reader's tryRLock(" + BOUND + ") timed out (" + rw + ")");
        }
    }

    /**
     * The main thread write-locks; B's rLock() queues behind it (readerCount's registration)
     * and must leave no phantom reader.
     */
    private static final class ReaderCase implements OomProbe.Case {
        private final RWMutex rw = new RWMutex();

        @Override
        public void hold() {
            rw.lock();
        }

        @Override
        public void block() {
            rw.rLock();
        }

        @Override
        public void releaseBlocked() {
            rw.rUnlock();
        }

        @Override
        public void release() {
            rw.unlock();
        }

        @Override
        public void checkHeld(List<String> problems) {
            if (!rw.toString().equals("RWMutex[writer, readers=0, queued readers=0]")) {
                problems.add("phantom reader: with only the writer left, " + rw);
            }
        }

        @Override
        public void checkReleased(List<String> problems) throws Exception {
            checkRwReleased(rw, problems);
        }
    }

    /**
     * Nobody holds the lock; B's rLock() is the first read lock, which counts itself in and
     * then installs the reader bias (an allocation). It must not leave a read lock behind.
     */
    private static final class FirstReaderCase implements OomProbe.Case {
        private final RWMutex rw = new RWMutex();

        @Override
        public void hold() {
        }

        @Override
        public void block() {
            rw.rLock();
        }

        @Override
        public void releaseBlocked() {
            rw.rUnlock();
        }

        @Override
        public void release() {
        }

        @Override
        public void checkReleased(List<String> problems) throws Exception {
            checkRwReleased(rw, problems);
        }
    }

    /**
     * A reader holds the lock; B's lock() (or timed tryLock) announces itself and waits for
     * the reader, and must not leave a pending writer (holding the writer mutex) behind. With
     * {@code bias}, the reader is the bias owner on its fast path, so B owns the state word at
     * once and waits for the owner's hold instead.
     */
    private static final class WriterCase implements OomProbe.Case {
        private final RWMutex rw = new RWMutex();
        private final boolean bias;
        private final boolean timed;

        WriterCase(boolean bias, boolean timed) {
            this.bias = bias;
            this.timed = timed;
        }

        @Override
        public void hold() {
            rw.rLock();         // shared: the first read lock, which biases rw to us
            if (bias) {
                rw.rUnlock();
                rw.rLock();     // the owner's fast path
                if (rw.biasOwner() != Thread.currentThread()) {
                    throw new IllegalStateException("not biased to the holder: " + rw);
                }
            }
        }

        @Override
        public void block() throws InterruptedException {
            if (timed) {
                rw.tryLock(LONG);
            } else {
                rw.lock();
            }
        }

        @Override
        public void releaseBlocked() {
            rw.unlock();
        }

        @Override
        public void release() {
            rw.rUnlock();
        }

        @Override
        public void checkHeld(List<String> problems) {
            if (!rw.toString().equals("RWMutex[readers=1]")) {
                problems.add("stranded writer: with only one reader left, " + rw);
            }
        }

        @Override
        public void checkReleased(List<String> problems) throws Exception {
            checkRwReleased(rw, problems);
        }
    }

    /**
     * The counter is 1; B's await() (or timed await) counts itself in as a waiter, and must
     * leave no waiter (and so no stray permit for the next round).
     */
    private static final class WaitGroupCase implements OomProbe.Case {
        private final WaitGroup wg = new WaitGroup();
        private final boolean timed;

        WaitGroupCase(boolean timed) {
            this.timed = timed;
        }

        @Override
        public void hold() {
            wg.add(1);
        }

        @Override
        public void block() throws InterruptedException {
            if (timed) {
                wg.await(LONG);
            } else {
                wg.await();
            }
        }

        @Override
        public void release() {
            wg.done();
        }

        @Override
        public void checkHeld(List<String> problems) {
            if (!wg.toString().endsWith("[count=1, waiters=0]")) {
                problems.add("stranded waiter: with nobody waiting, " + wg);
            }
        }

        @Override
        public void checkReleased(List<String> problems) {
            // The next round: a waiter that parks until done() must be released normally.
            wg.add(1);
            FutureTask<Boolean> next = startAndAwaitPark(() -> wg.await(BOUND.multipliedBy(2)));
            wg.done();
            Boolean released = result(next, problems, "the next round's await");
            if (released != null && !released) {
                problems.add("the next round's await timed out (" + wg + ")");
            }
            if (!wg.toString().endsWith("[count=0, waiters=0]")) {
                problems.add("after the next round: " + wg);
            }
        }
    }
}
