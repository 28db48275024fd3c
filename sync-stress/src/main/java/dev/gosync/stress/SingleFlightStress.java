package dev.gosync.stress;

import dev.gosync.singleflight.Group;
import dev.gosync.singleflight.Result;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZI_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/** jcstress tests for {@link Group singleflight.Group}. */
public class SingleFlightStress {
    private SingleFlightStress() {
    }

    static Result<Integer> call(Group<String, Integer> g, int[] executions) {
        try {
            return g.call("key", () -> ++executions[0]);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Two concurrent calls with one key: either the second joins the first's execution (one
     * execution, both see it shared) or comes after it ended and runs again (two executions,
     * neither shared). A caller never joins a finished call, and a sharer always sees the
     * value the execution wrote (fn's writes happen-before every sharer's return).
     */
    @JCStressTest
    @Outcome(id = "true, true, 1", expect = ACCEPTABLE, desc = "one execution, shared by both")
    @Outcome(id = "false, false, 2", expect = ACCEPTABLE, desc = "two executions, one after other")
    @Outcome(expect = FORBIDDEN, desc = "joined a finished call, lost a value or an execution")
    @State
    public static class JoinInFlightOrRunAfter {
        final Group<String, Integer> g = new Group<>();
        final int[] executions = new int[1];   // only one execution runs at a time per key
        Result<Integer> a;
        Result<Integer> b;

        @Actor
        public void actor1() {
            a = call(g, executions);
        }

        @Actor
        public void actor2() {
            b = call(g, executions);
        }

        @Arbiter
        public void arbiter(ZZI_Result r) {
            r.r1 = a.shared();
            r.r2 = b.shared();
            boolean valuesOk = a.shared() ? a.value().equals(b.value()) && a.value() == 1
                    : !a.value().equals(b.value());
            r.r3 = valuesOk ? executions[0] : -executions[0];
        }
    }
}
