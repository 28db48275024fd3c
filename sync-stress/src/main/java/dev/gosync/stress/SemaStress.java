package dev.gosync.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.gosync.internal.Sema;
import dev.gosync.internal.Waiter;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.I_Result;

/** jcstress tests for {@code dev.gosync.internal.Sema}, the queue every lock sleeps on. */
public class SemaStress {
    private SemaStress() {
    }

    /**
     * A plain write before release() is seen after the acquire() that takes that permit,
     * whether the acquirer found a free permit or was granted it while parked.
     */
    @JCStressTest
    @Outcome(id = "42", expect = ACCEPTABLE, desc = "acquirer saw the releaser's write")
    @Outcome(id = "0", expect = FORBIDDEN,
            desc = "acquire returned without the write: release does not happen-before it")
    @State
    public static class ReleaseHappensBeforeAcquire {
        final Sema sema = new Sema();
        int data;

        @Actor
        public void releaser() {
            data = 42;
            sema.release();
        }

        @Actor
        public void acquirer(I_Result r) {
            sema.acquire(new Waiter(), false);
            r.r1 = data;
        }
    }
}
