package dev.gosync.stress;

import dev.gosync.SyncMap;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;
import org.openjdk.jcstress.infra.results.II_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/** jcstress tests for {@link SyncMap}: publication by store, and the exactly-once claims. */
public class SyncMapStress {
    private SyncMapStress() {
    }

    /** A value whose fields are written with plain stores after construction. */
    static final class Box {
        int a;
        int b;
    }

    /**
     * A value built with plain writes and then stored is seen fully built by a load that finds
     * it (store happens-before the load that observes it).
     */
    @JCStressTest
    @Outcome(id = "-1, -1", expect = ACCEPTABLE, desc = "load ran before the store")
    @Outcome(id = "1, 2", expect = ACCEPTABLE, desc = "load saw the value fully built")
    @Outcome(expect = FORBIDDEN, desc = "load saw a half-built value: store does not publish")
    @State
    public static class StoreHappensBeforeLoad {
        final SyncMap<String, Box> m = new SyncMap<>();

        @Actor
        public void writer() {
            Box x = new Box();
            x.a = 1;
            x.b = 2;
            m.store("k", x);
        }

        @Actor
        public void reader(II_Result r) {
            Box x = m.load("k");
            if (x == null) {
                r.r1 = -1;
                r.r2 = -1;
            } else {
                r.r1 = x.a;
                r.r2 = x.b;
            }
        }
    }

    /**
     * Two actors loadOrStore different values on one absent key: exactly one stores (returns
     * null, reported as 0) and the other returns the stored value; the map ends holding it.
     */
    @JCStressTest
    @Outcome(id = "0, 1, 1", expect = ACCEPTABLE, desc = "actor 1 stored, actor 2 loaded its value")
    @Outcome(id = "2, 0, 2", expect = ACCEPTABLE, desc = "actor 2 stored, actor 1 loaded its value")
    @Outcome(id = "0, 0, .*", expect = FORBIDDEN, desc = "both stored: loadOrStore is not atomic")
    @Outcome(expect = FORBIDDEN, desc = "the callers disagree about the stored value")
    @State
    public static class LoadOrStoreExactlyOnce {
        final SyncMap<String, Integer> m = new SyncMap<>();

        @Actor
        public void actor1(III_Result r) {
            Integer v = m.loadOrStore("k", 1);
            r.r1 = v == null ? 0 : v;
        }

        @Actor
        public void actor2(III_Result r) {
            Integer v = m.loadOrStore("k", 2);
            r.r2 = v == null ? 0 : v;
        }

        @Arbiter
        public void arbiter(III_Result r) {
            r.r3 = m.load("k");
        }
    }

    /** Two actors compareAndSwap the same old value: exactly one wins, and its value stays. */
    @JCStressTest
    @Outcome(id = "1, 0, 1", expect = ACCEPTABLE, desc = "actor 1 swapped")
    @Outcome(id = "0, 1, 2", expect = ACCEPTABLE, desc = "actor 2 swapped")
    @Outcome(id = "1, 1, .*", expect = FORBIDDEN, desc = "both swapped: compareAndSwap is not atomic")
    @Outcome(expect = FORBIDDEN, desc = "no winner, or the map holds a loser's value")
    @State
    public static class CompareAndSwapExclusive {
        final SyncMap<String, Integer> m = new SyncMap<>();

        public CompareAndSwapExclusive() {
            m.store("k", 0);
        }

        @Actor
        public void actor1(III_Result r) {
            r.r1 = m.compareAndSwap("k", 0, 1) ? 1 : 0;
        }

        @Actor
        public void actor2(III_Result r) {
            r.r2 = m.compareAndSwap("k", 0, 2) ? 1 : 0;
        }

        @Arbiter
        public void arbiter(III_Result r) {
            r.r3 = m.load("k");
        }
    }

    /** Two actors loadAndDelete one present key: exactly one gets the value. */
    @JCStressTest
    @Outcome(id = {"7, 0", "0, 7"}, expect = ACCEPTABLE, desc = "exactly one got the value")
    @Outcome(id = "7, 7", expect = FORBIDDEN, desc = "both got it: loadAndDelete is not atomic")
    @Outcome(expect = FORBIDDEN, desc = "the value was lost")
    @State
    public static class LoadAndDeleteExclusive {
        final SyncMap<String, Integer> m = new SyncMap<>();

        public LoadAndDeleteExclusive() {
            m.store("k", 7);
        }

        @Actor
        public void actor1(II_Result r) {
            Integer v = m.loadAndDelete("k");
            r.r1 = v == null ? 0 : v;
        }

        @Actor
        public void actor2(II_Result r) {
            Integer v = m.loadAndDelete("k");
            r.r2 = v == null ? 0 : v;
        }
    }
}
