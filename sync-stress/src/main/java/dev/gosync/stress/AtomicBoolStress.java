package dev.gosync.stress;

import dev.gosync.atomic.AtomicBool;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;
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

    /**
     * A plain write before {@code store(true)} is seen by a reader whose {@code load()} sees
     * {@code true}. The reader reads in the opposite order to the writer's writes.
     */
    @JCStressTest
    @Outcome(id = {"0, 0", "0, 42"}, expect = ACCEPTABLE, desc = "flag not seen yet")
    @Outcome(id = "1, 42", expect = ACCEPTABLE, desc = "flag seen, data seen")
    @Outcome(id = "1, 0", expect = FORBIDDEN,
            desc = "flag seen without the data written before it: store/load create no edge")
    @State
    public static class StorePublishes {
        int data;
        final AtomicBool flag = new AtomicBool();

        @Actor
        public void writer() {
            data = 42;
            flag.store(true);
        }

        @Actor
        public void reader(II_Result r) {
            r.r1 = flag.load() ? 1 : 0;
            r.r2 = data;
        }
    }
}
