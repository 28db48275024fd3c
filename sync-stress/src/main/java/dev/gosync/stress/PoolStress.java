package dev.gosync.stress;

import dev.gosync.Pool;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/** jcstress tests for {@link Pool}: publication by put, and exclusive hand-out. */
public class PoolStress {
    private PoolStress() {
    }

    /** An item whose fields are written with plain stores. */
    static final class Item {
        int a;
        int b;
    }

    /**
     * An item's plain state written before {@code put} is seen by the {@code get} that returns
     * it (put happens-before that get).
     */
    @JCStressTest
    @Outcome(id = "-1, -1", expect = ACCEPTABLE, desc = "get ran first, or the item vanished")
    @Outcome(id = "1, 2", expect = ACCEPTABLE, desc = "get saw the item's state")
    @Outcome(expect = FORBIDDEN, desc = "get saw stale item state: put does not publish")
    @State
    public static class PutHappensBeforeGet {
        final Pool<Item> pool = new Pool<>();

        @Actor
        public void putter() {
            Item x = new Item();
            x.a = 1;
            x.b = 2;
            pool.put(x);
        }

        @Actor
        public void getter(II_Result r) {
            Item x = pool.get();
            if (x == null) {
                r.r1 = -1;
                r.r2 = -1;
            } else {
                r.r1 = x.a;
                r.r2 = x.b;
            }
        }
    }

    /** Two actors get from a pool holding one item: at most one of them receives it. */
    @JCStressTest
    @Outcome(id = {"1, 0", "0, 1"}, expect = ACCEPTABLE, desc = "exactly one got the item")
    @Outcome(id = "0, 0", expect = ACCEPTABLE_INTERESTING, desc = "item dropped by a GC cycle")
    @Outcome(id = "1, 1", expect = FORBIDDEN, desc = "both got the item: handed out twice")
    @State
    public static class NoDoubleHandOut {
        final Pool<Object> pool = new Pool<>();
        final Object item = new Object();

        public NoDoubleHandOut() {
            pool.put(item);
        }

        @Actor
        public void actor1(II_Result r) {
            r.r1 = pool.get() == item ? 1 : 0;
        }

        @Actor
        public void actor2(II_Result r) {
            r.r2 = pool.get() == item ? 1 : 0;
        }
    }
}
