package dev.gosync.stress;

import dev.gosync.Once;
import java.util.function.Supplier;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;
import org.openjdk.jcstress.infra.results.IIII_Result;
import org.openjdk.jcstress.infra.results.II_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/** jcstress tests for {@link Once} and its memoising factories. */
public class OnceStress {
    private OnceStress() {
    }

    /**
     * f's plain writes are seen by both racing callers once {@code run} returns, whichever of
     * them ran f (reads in the opposite order to the writes).
     */
    @JCStressTest
    @Outcome(id = "2, 1, 2, 1", expect = ACCEPTABLE, desc = "both callers see all of f's writes")
    @Outcome(expect = FORBIDDEN, desc = "run returned before f's writes were visible")
    @State
    public static class RunPublishesFWrites {
        final Once once = new Once();
        int x;
        int y;

        private void f() {
            x = 1;
            y = 2;
        }

        @Actor
        public void actor1(IIII_Result r) {
            once.run(this::f);
            r.r1 = y;
            r.r2 = x;
        }

        @Actor
        public void actor2(IIII_Result r) {
            once.run(this::f);
            r.r3 = y;
            r.r4 = x;
        }
    }

    /** Two actors race {@code run}: f runs exactly once (a plain counter, read by the arbiter). */
    @JCStressTest
    @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "f ran once; the Once is done")
    @Outcome(id = "2, .*", expect = FORBIDDEN, desc = "f ran twice")
    @Outcome(expect = FORBIDDEN, desc = "f did not run, or the Once is not done")
    @State
    public static class RunsExactlyOnce {
        final Once once = new Once();
        int calls;

        @Actor
        public void actor1() {
            once.run(() -> calls++);
        }

        @Actor
        public void actor2() {
            once.run(() -> calls++);
        }

        @Arbiter
        public void arbiter(II_Result r) {
            r.r1 = calls;
            r.r2 = once.isDone() ? 1 : 0;
        }
    }

    /** {@code Once.value}: both actors get the very same object, made by one call of f. */
    @JCStressTest
    @Outcome(id = "1, 1, 1", expect = ACCEPTABLE, desc = "one call of f, same object to both")
    @Outcome(expect = FORBIDDEN, desc = "f called twice, or different objects returned")
    @State
    public static class ValueSameObject {
        int calls;
        final Supplier<Object> value = Once.value(() -> {
            calls++;
            return new Object();
        });
        Object a;
        Object b;

        @Actor
        public void actor1() {
            a = value.get();
        }

        @Actor
        public void actor2() {
            b = value.get();
        }

        @Arbiter
        public void arbiter(III_Result r) {
            r.r1 = calls;
            r.r2 = a != null && a == b ? 1 : 0;
            r.r3 = value.get() == a ? 1 : 0;
        }
    }

    /**
     * {@code Once.value}'s calls after the first are one volatile read of the memoised result:
     * the object f built (a plain, non-final field) must be seen whole by both actors, whether
     * they ran f, waited for it, or took that fast path. (On x86 only a compiler reordering the
     * field store after the publication could break this; with the memoised value held in a
     * plain field it is the test that fails on weakly ordered hardware.)
     */
    @JCStressTest
    @Outcome(id = "42, 42", expect = ACCEPTABLE, desc = "both saw the object f built")
    @Outcome(expect = FORBIDDEN, desc = "an actor saw the object before f's write to it")
    @State
    public static class ValuePublishesWholeObject {
        static final class Box {
            int x;
        }

        final Supplier<Box> value = Once.value(() -> {
            Box b = new Box();
            b.x = 42;
            return b;
        });

        @Actor
        public void actor1(II_Result r) {
            r.r1 = value.get().x;
        }

        @Actor
        public void actor2(II_Result r) {
            r.r2 = value.get().x;
        }
    }

    /** {@code Once.func} whose f throws: both actors get the very same exception instance. */
    @JCStressTest
    @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "one call of f, its exception to both")
    @Outcome(expect = FORBIDDEN, desc = "f called twice, or a caller got another/no exception")
    @State
    public static class FuncSameException {
        int calls;
        final Runnable func = Once.func(() -> {
            calls++;
            throw new IllegalStateException("boom");
        });
        RuntimeException a;
        RuntimeException b;

        @Actor
        public void actor1() {
            try {
                func.run();
            } catch (RuntimeException e) {
                a = e;
            }
        }

        @Actor
        public void actor2() {
            try {
                func.run();
            } catch (RuntimeException e) {
                b = e;
            }
        }

        @Arbiter
        public void arbiter(II_Result r) {
            r.r1 = calls;
            r.r2 = a != null && a == b ? 1 : 0;
        }
    }

    /**
     * {@code isDone()} returning true makes f's plain writes visible: one actor runs f through
     * {@code run}, the other asks {@code isDone()} and then reads f's fields (in the opposite
     * order to the writes).
     */
    @JCStressTest
    @Outcome(id = "1, 2, 1", expect = ACCEPTABLE, desc = "done, and f's writes are visible")
    @Outcome(id = "0, .*", expect = ACCEPTABLE, desc = "not done yet (reads are then racy)")
    @Outcome(expect = FORBIDDEN, desc = "isDone() returned true before f's writes were visible")
    @State
    public static class IsDonePublishesFWrites {
        final Once once = new Once();
        int x;
        int y;

        @Actor
        public void actor1() {
            once.run(() -> {
                x = 1;
                y = 2;
            });
        }

        @Actor
        public void actor2(III_Result r) {
            r.r1 = once.isDone() ? 1 : 0;
            r.r2 = y;
            r.r3 = x;
        }
    }
}
