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
 * jcstress tests for {@link AtomicUint32}; the updateMax/updateMin test runs the same
 * candidates through {@link AtomicInt32} to show the signed and unsigned answers side by side.
 */
public class AtomicUint32Stress {
    private AtomicUint32Stress() {
    }

    /**
     * A plain write before an {@code add} that wraps 0 to 2^32-1 is seen by a reader whose
     * {@code load} sees 2^32-1 (printed as -1): add publishes like store.
     */
    @JCStressTest
    @Outcome(id = {"0, 0", "0, 42"}, expect = ACCEPTABLE, desc = "value not seen yet")
    @Outcome(id = "-1, 42", expect = ACCEPTABLE, desc = "value seen, data seen")
    @Outcome(id = "-1, 0", expect = FORBIDDEN,
            desc = "added value seen without the data written before it: no happens-before")
    @State
    public static class AddPublishes {
        int data;
        final AtomicUint32 a = new AtomicUint32();

        @Actor
        public void writer() {
            data = 42;
            a.add(-1);
        }

        @Actor
        public void reader(II_Result r) {
            r.r1 = a.load();
            r.r2 = data;
        }
    }

    /**
     * Actor 1 offers 5, actor 2 offers -3 (2^32-3 unsigned) to four atomics whose starting
     * values both candidates improve on, so a non-atomic check-then-write loses one: signed max
     * from MIN_VALUE (answer 5), signed min from MAX_VALUE (-3), unsigned max from 0 (-3, the
     * larger unsigned), unsigned min from 2^32-1 (5). A signed compare in the unsigned type
     * gives -3 for the unsigned minimum and 5 for the unsigned maximum.
     */
    @JCStressTest
    @Outcome(id = "5, -3, -3, 5", expect = ACCEPTABLE, desc = "every extreme kept")
    @Outcome(expect = FORBIDDEN,
            desc = "an extreme was lost (non-atomic update) or compared with the wrong sign")
    @State
    public static class UpdateMaxMinAcrossSignBit {
        final AtomicInt32 sMax = new AtomicInt32(Integer.MIN_VALUE);
        final AtomicInt32 sMin = new AtomicInt32(Integer.MAX_VALUE);
        final AtomicUint32 uMax = new AtomicUint32(0);
        final AtomicUint32 uMin = new AtomicUint32(-1);

        @Actor
        public void actor1() {
            offer(5);
        }

        @Actor
        public void actor2() {
            offer(-3);
        }

        private void offer(int c) {
            sMax.updateMax(c);
            sMin.updateMin(c);
            uMax.updateMax(c);
            uMin.updateMin(c);
        }

        @Arbiter
        public void arbiter(IIII_Result r) {
            r.r1 = sMax.load();
            r.r2 = sMin.load();
            r.r3 = uMax.load();
            r.r4 = uMin.load();
        }
    }
}
