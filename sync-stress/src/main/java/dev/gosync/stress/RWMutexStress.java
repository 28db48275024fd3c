package dev.gosync.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.gosync.RWMutex;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;
import org.openjdk.jcstress.infra.results.I_Result;
import org.openjdk.jcstress.infra.results.ZZ_Result;

/** jcstress tests for {@link RWMutex}: each claim of its Memory consistency effects. */
public class RWMutexStress {
    private RWMutexStress() {
    }

    /**
     * A writer's plain writes are all seen by a reader that locks after it: unlock()
     * happens-before rLock(). The reader reads in the opposite order to the writes.
     */
    @JCStressTest
    @Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "reader ran first")
    @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "writer ran first")
    @Outcome(id = {"1, 0", "0, 1"}, expect = FORBIDDEN,
            desc = "reader saw part of the write: unlock does not happen-before rLock")
    @State
    public static class WriterHappensBeforeReader {
        final RWMutex rw = new RWMutex();
        int x;
        int y;

        @Actor
        public void writer() {
            rw.lock();
            x = 1;
            y = 1;
            rw.unlock();
        }

        @Actor
        public void reader(II_Result r) {
            rw.rLock();
            r.r1 = y;
            r.r2 = x;
            rw.rUnlock();
        }
    }

    /**
     * A reader holds the lock (from the constructor); the writer must wait for its rUnlock
     * (parking on writerSem) and then see the reader's write: rUnlock happens-before lock.
     */
    @JCStressTest
    @Outcome(id = "42", expect = ACCEPTABLE, desc = "writer saw what the reader did before leaving")
    @Outcome(id = "0", expect = FORBIDDEN,
            desc = "writer entered before the reader left, or missed its write")
    @State
    public static class ReaderUnlockHappensBeforeWriter {
        final RWMutex rw = new RWMutex();
        int data;

        public ReaderUnlockHappensBeforeWriter() {
            rw.rLock();
        }

        @Actor
        public void reader() {
            data = 42;
            rw.rUnlock();
        }

        @Actor
        public void writer(I_Result r) {
            rw.lock();
            r.r1 = data;
            rw.unlock();
        }
    }

    /**
     * Readers and writers exclude each other: each marks itself inside with a plain field and
     * looks for the other's mark.
     */
    @JCStressTest
    @Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "never inside together")
    @Outcome(expect = FORBIDDEN, desc = "a reader and the writer were inside together")
    @State
    public static class ReadersExcludeWriter {
        final RWMutex rw = new RWMutex();
        int writerInside;
        int readerInside;

        @Actor
        public void writer(II_Result r) {
            rw.lock();
            writerInside = 1;
            r.r1 = readerInside;
            writerInside = 0;
            rw.unlock();
        }

        @Actor
        public void reader(II_Result r) {
            rw.rLock();
            readerInside = 1;
            r.r2 = writerInside;
            readerInside = 0;
            rw.rUnlock();
        }
    }

    /** tryLock and tryRLock without unlocking: exactly one side holds the lock. */
    @JCStressTest
    @Outcome(id = {"true, false", "false, true"}, expect = ACCEPTABLE, desc = "exactly one holds")
    @Outcome(id = "true, true", expect = FORBIDDEN,
            desc = "tryRLock succeeded while a writer holds (or the reverse)")
    @Outcome(id = "false, false", expect = FORBIDDEN, desc = "both failed: spurious failure")
    @State
    public static class TryRLockFailsWhileWriting {
        final RWMutex rw = new RWMutex();

        @Actor
        public void writer(ZZ_Result r) {
            r.r1 = rw.tryLock();
        }

        @Actor
        public void reader(ZZ_Result r) {
            r.r2 = rw.tryRLock();
        }
    }
}
