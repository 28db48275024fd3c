package dev.gosync.stress;

import dev.gosync.atomic.PaddedAtomicInt64;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJJJ_Result;
import org.openjdk.jcstress.infra.results.JJ_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * jcstress tests for {@link PaddedAtomicInt64}: the value moved behind padding keeps
 * {@code AtomicInt64}'s publication and atomicity.
 */
public class PaddedAtomicInt64Stress {
    private PaddedAtomicInt64Stress() {
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
        final PaddedAtomicInt64 a = new PaddedAtomicInt64();

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
     * Both actors add 1 to one counter (r1, r2 are 1 and 2 in some order; the arbiter's r3 is
     * 2) and offer a maximum, 5 and 7, to a peak starting at MIN_VALUE (r4 must be 7: a
     * check-then-write updateMax could overwrite 7 with 5).
     */
    @JCStressTest
    @Outcome(id = {"1, 2, 2, 7", "2, 1, 2, 7"}, expect = ACCEPTABLE,
            desc = "every add counted, each saw its own new value; the larger maximum kept")
    @Outcome(expect = FORBIDDEN,
            desc = "an add was lost, two adds returned the same value, or updateMax lost 7")
    @State
    public static class AddAtomic {
        final PaddedAtomicInt64 count = new PaddedAtomicInt64();
        final PaddedAtomicInt64 peak = new PaddedAtomicInt64(Long.MIN_VALUE);

        @Actor
        public void actor1(JJJJ_Result r) {
            r.r1 = count.add(1);
            peak.updateMax(5);
        }

        @Actor
        public void actor2(JJJJ_Result r) {
            r.r2 = count.add(1);
            peak.updateMax(7);
        }

        @Arbiter
        public void arbiter(JJJJ_Result r) {
            r.r3 = count.load();
            r.r4 = peak.load();
        }
    }
}
