package dev.gosync.stress;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.I_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * The hazard sync/atomic exists for, documented rather than prevented: a plain {@code
 * counter++} from two threads is a read, an add and a write, and the two can interleave.
 * Compare {@code AtomicInt32Stress.AddAtomic}, where the same two increments never lose one.
 */
public class PlainCounterStress {
    private PlainCounterStress() {
    }

    /** Two actors increment a plain int; the arbiter reads the total. */
    @JCStressTest
    @Outcome(id = "2", expect = ACCEPTABLE, desc = "both increments counted")
    @Outcome(id = "1", expect = ACCEPTABLE_INTERESTING,
            desc = "lost update: both read 0 and wrote 1 (use AtomicInt32.add)")
    @Outcome(expect = FORBIDDEN, desc = "impossible total")
    @State
    public static class LostUpdate {
        int counter;

        @Actor
        public void actor1() {
            counter++;
        }

        @Actor
        public void actor2() {
            counter++;
        }

        @Arbiter
        public void arbiter(I_Result r) {
            r.r1 = counter;
        }
    }
}
