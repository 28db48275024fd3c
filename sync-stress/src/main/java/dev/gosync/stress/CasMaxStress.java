package dev.gosync.stress;

import dev.gosync.atomic.CasMax;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJJJ_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/** jcstress tests for {@link CasMax} on a user's own fields and {@code long[]} element. */
public class CasMaxStress {
    private CasMaxStress() {
    }

    /**
     * Actor 1 offers 5, actor 2 offers 7 to a long field's max (from MIN_VALUE: answer 7), an
     * int field's min (from MAX_VALUE: 5), and a long[] element's max (7) and min (5); both
     * candidates improve every starting value, so a non-atomic check-then-write loses one.
     */
    @JCStressTest
    @Outcome(id = "7, 5, 7, 5", expect = ACCEPTABLE, desc = "every extreme kept")
    @Outcome(expect = FORBIDDEN, desc = "an extreme was lost: CasMax is not atomic")
    @State
    public static class UserFieldNoLostExtreme {
        volatile long peak = Long.MIN_VALUE;
        volatile int low = Integer.MAX_VALUE;
        final long[] arr = {Long.MIN_VALUE, Long.MAX_VALUE};

        static final VarHandle PEAK;
        static final VarHandle LOW;
        static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);

        static {
            try {
                MethodHandles.Lookup l = MethodHandles.lookup();
                PEAK = l.findVarHandle(UserFieldNoLostExtreme.class, "peak", long.class);
                LOW = l.findVarHandle(UserFieldNoLostExtreme.class, "low", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        @Actor
        public void actor1() {
            offer(5);
        }

        @Actor
        public void actor2() {
            offer(7);
        }

        private void offer(int c) {
            CasMax.max(PEAK, this, (long) c);
            CasMax.min(LOW, this, c);
            CasMax.max(LONGS, arr, 0, c);
            CasMax.min(LONGS, arr, 1, c);
        }

        @Arbiter
        public void arbiter(JJJJ_Result r) {
            r.r1 = peak;
            r.r2 = low;
            r.r3 = (long) LONGS.getVolatile(arr, 0);
            r.r4 = (long) LONGS.getVolatile(arr, 1);
        }
    }
}
