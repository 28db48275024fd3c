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

    /** A failure whose field is written with a plain store after construction. */
    static final class Boom extends RuntimeException {
        private static final long serialVersionUID = 1L;
        int v;

        Boom() {
            super("boom", null, false, false);   // no stack trace: cheap to make
        }
    }

    /**
     * The failure that cancels a group happens-before a {@code cancelled()} that returns true:
     * a task of a cancelling group writes a field, then throws an exception it wrote a field of;
     * the other actor waits (bounded) for {@code cancelled()} and reads both.
     */
    @JCStressTest
    @Outcome(id = "1, 1, 1", expect = ACCEPTABLE, desc = "cancelled; the failure's writes seen")
    @Outcome(id = "0, .*", expect = ACCEPTABLE, desc = "not cancelled within the wait bound")
    @Outcome(expect = FORBIDDEN, desc = "cancelled() returned true before the failure's writes "
            + "were visible")
    @State
    public static class FailureHappensBeforeCancelled {
        final Group g = Group.withCancel();
        int x;

        @Actor
        public void actor1() {
            g.go(() -> {
                Boom b = new Boom();
                b.v = 1;
                x = 1;
                throw b;
            });
        }

        @Actor
        public void actor2(III_Result r) {
            for (int i = 0; i < 100_000 && !g.cancelled(); i++) {
                Thread.yield();   // bounded: the task may not have started yet
            }
            boolean c = g.cancelled();
            r.r1 = c ? 1 : 0;
            r.r2 = x;
            Throwable why = g.cause();
            r.r3 = why instanceof Boom ? ((Boom) why).v : -1;
        }

        @Arbiter
        public void arbiter() {
            try {
                g.await();   // the task is short: lets its thread end before the next state
            } catch (ExecutionException | InterruptedException e) {
                // expected: the task failed
            }
        }
    }
}
