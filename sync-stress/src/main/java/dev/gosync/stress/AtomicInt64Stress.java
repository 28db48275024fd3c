package dev.gosync.stress;

import dev.gosync.atomic.AtomicInt64;
import dev.gosync.atomic.AtomicInt64Array;
import dev.gosync.atomic.AtomicUint64;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;
import org.openjdk.jcstress.infra.results.JJJJ_Result;
import org.openjdk.jcstress.infra.results.JJ_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * jcstress tests for {@link AtomicInt64}; the CAS and add tests also cover {@link AtomicUint64}
 * and an {@link AtomicInt64Array} element, which change through the same instructions.
 */
public class AtomicInt64Stress {
    private AtomicInt64Stress() {
    }

    /**
     * A plain write before {@code store} of a value using both 32-bit halves is seen by a
     * reader whose {@code load} sees that value (and the value is never torn).
     */
    @JCStressTest
    @Outcome(id = {"0, 0", "0, 42"}, expect = ACCEPTABLE, desc = "value not seen yet")
    @Outcome(id = "-8589934587, 42", expect = ACCEPTABLE, desc = "value seen, data seen")
    @Outcome(id = "-8589934587, 0", expect = FORBIDDEN,
            desc = "stored value seen without the data written before it: no happens-before")
    @Outcome(expect = FORBIDDEN, desc = "torn 64-bit value")
    @State
    public static class StorePublishes {
        static final long V = 0xFFFF_FFFE_0000_0005L;
        long data;
        final AtomicInt64 a = new AtomicInt64();

        @Actor
        public void writer() {
            data = 42;
            a.store(V);
        }

        @Actor
        public void reader(JJ_Result r) {
            r.r1 = a.load();
            r.r2 = data;
        }
    }

    /**
     * Both actors CAS from the same old value on an AtomicInt64 (bit 1), an AtomicUint64 with
     * the sign bit set (bit 2) and an AtomicInt64Array element (bit 4): in each, exactly one
     * wins, so the two results are complementary.
     */
    @JCStressTest
    @Outcome(id = {"7, 0", "0, 7", "1, 6", "6, 1", "2, 5", "5, 2", "3, 4", "4, 3"},
            expect = ACCEPTABLE, desc = "one winner per atomic")
    @Outcome(expect = FORBIDDEN, desc = "both or neither won a CAS on one atomic: CAS not atomic")
    @State
    public static class CasExclusive {
        final AtomicInt64 s = new AtomicInt64(10);
        final AtomicUint64 u = new AtomicUint64(-10);
        final AtomicInt64Array arr = new AtomicInt64Array(new long[] {0, 10, 0});

        @Actor
        public void actor1(II_Result r) {
            r.r1 = (s.compareAndSwap(10, 11) ? 1 : 0) | (u.compareAndSwap(-10, -11) ? 2 : 0)
                    | (arr.compareAndSwap(1, 10, 11) ? 4 : 0);
        }

        @Actor
        public void actor2(II_Result r) {
            r.r2 = (s.compareAndSwap(10, 12) ? 1 : 0) | (u.compareAndSwap(-10, -12) ? 2 : 0)
                    | (arr.compareAndSwap(1, 10, 12) ? 4 : 0);
        }
    }

    /**
     * Both actors add 1 to an AtomicInt64 (results r1, r2 are 1 and 2 in some order), to an
     * AtomicUint64 at 2^64-1 (wraps: final r3 is 1) and to an AtomicInt64Array element at
     * MAX_VALUE (wraps: final r4 is MIN_VALUE + 1).
     */
    @JCStressTest
    @Outcome(id = {"1, 2, 1, -9223372036854775807", "2, 1, 1, -9223372036854775807"},
            expect = ACCEPTABLE, desc = "every add counted, each saw its own new value")
    @Outcome(expect = FORBIDDEN, desc = "an add was lost or two adds returned the same value")
    @State
    public static class AddAtomic {
        final AtomicInt64 s = new AtomicInt64();
        final AtomicUint64 u = new AtomicUint64(-1);
        final AtomicInt64Array arr = new AtomicInt64Array(new long[] {Long.MAX_VALUE});

        @Actor
        public void actor1(JJJJ_Result r) {
            r.r1 = s.add(1);
            u.add(1);
            arr.add(0, 1);
        }

        @Actor
        public void actor2(JJJJ_Result r) {
            r.r2 = s.add(1);
            u.add(1);
            arr.add(0, 1);
        }

        @Arbiter
        public void arbiter(JJJJ_Result r) {
            r.r3 = u.load();
            r.r4 = arr.load(0);
        }
    }
}
