package dev.gosync.stress;

import dev.gosync.atomic.AtomicInt64;
import dev.gosync.atomic.AtomicInt64Array;
import dev.gosync.atomic.AtomicUint64;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJJJJJ_Result;
import org.openjdk.jcstress.infra.results.JJ_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * jcstress tests for {@link AtomicUint64}; the updateMax/updateMin test runs the same
 * candidates through {@link AtomicInt64} and an {@link AtomicInt64Array} element to show the
 * signed and unsigned answers side by side.
 */
public class AtomicUint64Stress {
    private AtomicUint64Stress() {
    }

    /**
     * A plain write before an {@code updateMax} that raises the value (unsigned) to 2^64-1 is
     * seen by a reader whose {@code load} sees 2^64-1 (printed as -1): a raising updateMax
     * publishes like store.
     */
    @JCStressTest
    @Outcome(id = {"0, 0", "0, 42"}, expect = ACCEPTABLE, desc = "value not seen yet")
    @Outcome(id = "-1, 42", expect = ACCEPTABLE, desc = "value seen, data seen")
    @Outcome(id = "-1, 0", expect = FORBIDDEN,
            desc = "raised value seen without the data written before it: no happens-before")
    @State
    public static class UpdateMaxPublishes {
        long data;
        final AtomicUint64 a = new AtomicUint64();

        @Actor
        public void writer() {
            data = 42;
            a.updateMax(-1);
        }

        @Actor
        public void reader(JJ_Result r) {
            r.r1 = a.load();
            r.r2 = data;
        }
    }

    /**
     * Actor 1 offers 5, actor 2 offers -3 (2^64-3 unsigned) to six variables whose starting
     * values both candidates improve on, so a non-atomic check-then-write loses one: signed max
     * from MIN_VALUE (answer 5), signed min from MAX_VALUE (-3), unsigned max from 0 (-3),
     * unsigned min from 2^64-1 (5), and an array element's signed max (5) and min (-3).
     */
    @JCStressTest
    @Outcome(id = "5, -3, -3, 5, 5, -3", expect = ACCEPTABLE, desc = "every extreme kept")
    @Outcome(expect = FORBIDDEN,
            desc = "an extreme was lost (non-atomic update) or compared with the wrong sign")
    @State
    public static class UpdateMaxMinAcrossSignBit {
        final AtomicInt64 sMax = new AtomicInt64(Long.MIN_VALUE);
        final AtomicInt64 sMin = new AtomicInt64(Long.MAX_VALUE);
        final AtomicUint64 uMax = new AtomicUint64(0);
        final AtomicUint64 uMin = new AtomicUint64(-1);
        final AtomicInt64Array arr =
                new AtomicInt64Array(new long[] {Long.MIN_VALUE, Long.MAX_VALUE});

        @Actor
        public void actor1() {
            offer(5);
        }

        @Actor
        public void actor2() {
            offer(-3);
        }

        private void offer(long c) {
            sMax.updateMax(c);
            sMin.updateMin(c);
            uMax.updateMax(c);
            uMin.updateMin(c);
            arr.updateMax(0, c);
            arr.updateMin(1, c);
        }

        @Arbiter
        public void arbiter(JJJJJJ_Result r) {
            r.r1 = sMax.load();
            r.r2 = sMin.load();
            r.r3 = uMax.load();
            r.r4 = uMin.load();
            r.r5 = arr.load(0);
            r.r6 = arr.load(1);
        }
    }
}
