package dev.gosync.stress;

import dev.gosync.atomic.AtomicBool;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZ_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/** jcstress tests for {@link AtomicBool}. */
public class AtomicBoolStress {
    private AtomicBoolStress() {
    }

    /** Two actors CAS false to true: exactly one wins. */
    @JCStressTest
    @Outcome(id = {"true, false", "false, true"}, expect = ACCEPTABLE, desc = "exactly one CAS wins")
    @Outcome(id = "true, true", expect = FORBIDDEN, desc = "both won: CAS is not atomic")
    @Outcome(id = "false, false", expect = FORBIDDEN, desc = "neither won: CAS lost the update")
    @State
    public static class CasExclusive {
        final AtomicBool b = new AtomicBool();

        @Actor
        public void actor1(ZZ_Result r) {
            r.r1 = b.compareAndSwap(false, true);
        }

        @Actor
        public void actor2(ZZ_Result r) {
            r.r2 = b.compareAndSwap(false, true);
        }
    }
}
