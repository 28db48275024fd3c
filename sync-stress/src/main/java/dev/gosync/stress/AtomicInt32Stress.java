package dev.gosync.stress;

import dev.gosync.atomic.AtomicInt32;
import dev.gosync.atomic.AtomicUint32;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;
import org.openjdk.jcstress.infra.results.II_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * jcstress tests for {@link AtomicInt32}; the CAS and add tests also cover {@link AtomicUint32},
 * whose bits change through the same instructions.
 */
public class AtomicInt32Stress {
    private AtomicInt32Stress() {
    }

    /** A plain write before {@code store} is seen by a reader whose {@code load} sees it. */
    @JCStressTest
    @Outcome(id = {"0, 0", "0, 42"}, expect = ACCEPTABLE, desc = "value not seen yet")
    @Outcome(id = "7, 42", expect = ACCEPTABLE, desc = "value seen, data seen")
    @Outcome(id = "7, 0", expect = FORBIDDEN,
            desc = "stored value seen without the data written before it: no happens-before")
    @State
    public static class StorePublishes {
        int data;
        final AtomicInt32 a = new AtomicInt32();

        @Actor
        public void writer() {
            data = 42;
            a.store(7);
        }

        @Actor
        public void reader(II_Result r) {
            r.r1 = a.load();
            r.r2 = data;
        }
    }

    /**
     * Both actors CAS from the same old value, on an AtomicInt32 (bit 1 of the result) and on
     * an AtomicUint32 holding a value with the sign bit set (bit 2): in each, exactly one wins.
     */
    @JCStressTest
    @Outcome(id = {"3, 0", "0, 3", "1, 2", "2, 1"}, expect = ACCEPTABLE,
            desc = "one winner per atomic")
    @Outcome(expect = FORBIDDEN, desc = "both or neither won a CAS on one atomic: CAS not atomic")
    @State
    public static class CasExclusive {
        final AtomicInt32 s = new AtomicInt32(10);
        final AtomicUint32 u = new AtomicUint32(-10);

        @Actor
        public void actor1(II_Result r) {
            r.r1 = (s.compareAndSwap(10, 11) ? 1 : 0) | (u.compareAndSwap(-10, -11) ? 2 : 0);
        }

        @Actor
        public void actor2(II_Result r) {
            r.r2 = (s.compareAndSwap(10, 12) ? 1 : 0) | (u.compareAndSwap(-10, -12) ? 2 : 0);
        }
    }

    /**
     * Both actors add 1 to an AtomicInt32 (their results r1, r2 must be 1 and 2 in some order,
     * the final value r3 is 2) and to an AtomicUint32 at 2^32-1 (wraps: the final r4 is 1).
     */
    @JCStressTest
    @Outcome(id = {"1, 2, 2, 1", "2, 1, 2, 1"}, expect = ACCEPTABLE,
            desc = "both adds counted, each saw its own new value")
    @Outcome(expect = FORBIDDEN, desc = "an add was lost or two adds returned the same value")
    @State
    public static class AddAtomic {
        final AtomicInt32 s = new AtomicInt32();
        final AtomicUint32 u = new AtomicUint32(-1);

        @Actor
        public void actor1(IIII_Result r) {
            r.r1 = s.add(1);
            u.add(1);
        }

        @Actor
        public void actor2(IIII_Result r) {
            r.r2 = s.add(1);
            u.add(1);
        }

        @Arbiter
        public void arbiter(IIII_Result r) {
            r.r3 = s.load();
            r.r4 = u.load();
        }
    }
}
