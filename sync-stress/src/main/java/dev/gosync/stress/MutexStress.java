package dev.gosync.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.gosync.Mutex;
import java.time.Duration;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;
import org.openjdk.jcstress.infra.results.II_Result;
import org.openjdk.jcstress.infra.results.I_Result;
import org.openjdk.jcstress.infra.results.ZZ_Result;

/** jcstress tests for {@link Mutex}: each claim of its Memory consistency effects. */
public class MutexStress {
    private MutexStress() {
    }

    /**
     * Plain writes in one critical section are all seen by the next one: unlock happens-before
     * the next lock. The reader reads in the opposite order to the writer's writes.
     */
    @JCStressTest
    @Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "reader's section ran first")
    @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "writer's section ran first")
    @Outcome(id = {"1, 0", "0, 1"}, expect = FORBIDDEN,
            desc = "saw part of the other section: unlock does not happen-before lock")
    @State
    public static class UnlockHappensBeforeLock {
        final Mutex mu = new Mutex();
        int x;
        int y;

        @Actor
        public void writer() {
            mu.lock();
            x = 1;
            y = 1;
            mu.unlock();
        }

        @Actor
        public void reader(II_Result r) {
            mu.lock();
            r.r1 = y;
            r.r2 = x;
            mu.unlock();
        }
    }

    /** Two non-atomic increments under the lock: the arbiter sees both. */
    @JCStressTest
    @Outcome(id = "2", expect = ACCEPTABLE, desc = "both increments counted")
    @Outcome(id = "1", expect = FORBIDDEN, desc = "lost update: the sections overlapped")
    @State
    public static class MutualExclusion {
        final Mutex mu = new Mutex();
        int counter;

        @Actor
        public void actor1() {
            mu.lock();
            counter++;
            mu.unlock();
        }

        @Actor
        public void actor2() {
            mu.lock();
            counter++;
            mu.unlock();
        }

        @Arbiter
        public void arbiter(I_Result r) {
            r.r1 = counter;
        }
    }

    /** Two tryLocks without unlock: exactly one succeeds (no starvation mode here). */
    @JCStressTest
    @Outcome(id = {"true, false", "false, true"}, expect = ACCEPTABLE, desc = "exactly one holds")
    @Outcome(id = "true, true", expect = FORBIDDEN, desc = "both hold the mutex")
    @Outcome(id = "false, false", expect = FORBIDDEN, desc = "neither: spurious tryLock failure")
    @State
    public static class TryLockExclusive {
        final Mutex mu = new Mutex();

        @Actor
        public void actor1(ZZ_Result r) {
            r.r1 = mu.tryLock();
        }

        @Actor
        public void actor2(ZZ_Result r) {
            r.r2 = mu.tryLock();
        }
    }

    /**
     * The slow path: the mutex starts locked, one actor writes and unlocks, the other waits in
     * lock() (spinning or parked on the Sema) and must see the write once it gets in.
     */
    @JCStressTest
    @Outcome(id = "42", expect = ACCEPTABLE, desc = "the waiter saw the holder's write")
    @Outcome(id = "0", expect = FORBIDDEN,
            desc = "woken waiter missed the write: the wake-up path has no happens-before edge")
    @State
    public static class WokenWaiterSeesWrites {
        final Mutex mu = new Mutex();
        int data;

        public WokenWaiterSeesWrites() {
            mu.lock();
        }

        @Actor
        public void holder() {
            data = 42;
            mu.unlock();
        }

        @Actor
        public void waiter(I_Result r) {
            mu.lock();
            r.r1 = data;
            mu.unlock();
        }
    }

    /**
     * A timed tryLock racing the unlock of the holder: whether it wins or times out, the
     * mutex ends unlocked with no waiter left registered (a leaked waiter would make a later
     * unlock wake nobody, or a leaked lock keep everyone out).
     */
    @JCStressTest
    @Outcome(id = {"1, 1, 0", "0, 1, 0"}, expect = ACCEPTABLE,
            desc = "got it or timed out; then free, no waiter left")
    @Outcome(id = {"1, 0, 0", "0, 0, 0"}, expect = FORBIDDEN, desc = "mutex left locked")
    @Outcome(expect = FORBIDDEN, desc = "waiter count leaked by a give-up")
    @State
    public static class TimedGiveUpLeavesCleanState {
        final Mutex mu = new Mutex();

        public TimedGiveUpLeavesCleanState() {
            mu.lock();
        }

        @Actor
        public void waiter(III_Result r) {
            try {
                if (mu.tryLock(Duration.ofNanos(30_000))) {
                    r.r1 = 1;
                    mu.unlock();
                }
            } catch (InterruptedException e) {
                r.r1 = -1;
            }
        }

        @Actor
        public void holder() {
            mu.unlock();
        }

        @Arbiter
        public void arbiter(III_Result r) {
            r.r2 = mu.tryLock() ? 1 : 0;
            r.r3 = mu.toString().contains("waiters=0") ? 0 : 1;
        }
    }
}
