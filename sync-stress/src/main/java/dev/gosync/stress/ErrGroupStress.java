package dev.gosync.stress;

import dev.gosync.errgroup.Group;
import java.util.concurrent.ExecutionException;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/** jcstress tests for {@link Group errgroup.Group}. */
public class ErrGroupStress {
    private ErrGroupStress() {
    }

    /**
     * Two actors start a task each, one of which fails: every action of every task
     * happens-before {@code await()} returns, and the failure is reported.
     */
    @JCStressTest
    @Outcome(id = "1, 1, 1", expect = ACCEPTABLE, desc = "both tasks seen, failure reported")
    @Outcome(expect = FORBIDDEN, desc = "await returned before a task's writes were visible, "
            + "or the failure was lost")
    @State
    public static class TasksHappenBeforeAwait {
        final Group g = new Group();
        int x;
        int y;

        @Actor
        public void actor1() {
            g.go(() -> x = 1);
        }

        @Actor
        public void actor2() {
            g.go(() -> {
                y = 1;
                throw new IllegalStateException("boom");
            });
        }

        @Arbiter
        public void arbiter(III_Result r) {
            int failed = 0;
            try {
                g.await();
            } catch (ExecutionException e) {
                failed = 1;
            } catch (InterruptedException e) {
                failed = -1;
            }
            r.r1 = y;
            r.r2 = x;
            r.r3 = failed;
        }
    }
}
