package dev.gosync.stress;

import dev.gosync.atomic.AtomicInt64Array;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJ_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * jcstress tests for {@link AtomicInt64Array} (its CAS, add and updateMax/updateMin run in
 * {@link AtomicInt64Stress} and {@link AtomicUint64Stress}).
 */
public class AtomicInt64ArrayStress {
    private AtomicInt64ArrayStress() {
    }

    /**
     * A plain write before {@code store(i, v)} is seen by a reader whose {@code load(i)} sees
     * {@code v}.
     */
    @JCStressTest
    @Outcome(id = {"0, 0", "0, 42"}, expect = ACCEPTABLE, desc = "element not seen yet")
    @Outcome(id = "7, 42", expect = ACCEPTABLE, desc = "element seen, data seen")
    @Outcome(id = "7, 0", expect = FORBIDDEN,
            desc = "stored element seen without the data written before it: no happens-before")
    @State
    public static class StorePublishes {
        long data;
        final AtomicInt64Array arr = new AtomicInt64Array(4);

        @Actor
        public void writer() {
            data = 42;
            arr.store(2, 7);
        }

        @Actor
        public void reader(JJ_Result r) {
            r.r1 = arr.load(2);
            r.r2 = data;
        }
    }
}
