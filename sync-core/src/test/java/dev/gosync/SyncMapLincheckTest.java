package dev.gosync;

import java.util.HashMap;
import java.util.Objects;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Test;

/**
 * Linearizability of SyncMap's eight single-key operations, checked by Lincheck against a
 * sequential HashMap model, with the stress and the model-checking strategy. Three keys and
 * three values keep collisions between operations frequent. {@code range} and {@code clear} are
 * left out: neither is atomic, in Go or here (see SyncMap's Javadoc); SyncMapTest covers them.
 */
class SyncMapLincheckTest {
    /** Small scenarios (2 threads of 3 operations): a few seconds per check on a quiet machine. */
    private static StressOptions stress() {
        return new StressOptions().iterations(10).invocationsPerIteration(100)
                .threads(2).actorsPerThread(3).actorsBefore(1).actorsAfter(1);
    }

    private static ModelCheckingOptions modelChecking() {
        return new ModelCheckingOptions().iterations(5).invocationsPerIteration(20)
                .threads(2).actorsPerThread(3).actorsBefore(1).actorsAfter(1);
    }

    // Every single-key operation under the stress strategy.
    @Test
    void stressLinearizable() {
        stress().sequentialSpecification(Model.class).check(Ops.class);
    }

    // Every single-key operation under the model-checking strategy.
    @Test
    void modelCheckingLinearizable() {
        modelChecking().sequentialSpecification(Model.class).check(Ops.class);
    }

    /** The operations under test, on a SyncMap. */
    @Param(name = "k", gen = IntGen.class, conf = "1:3")
    @Param(name = "v", gen = IntGen.class, conf = "1:3")
    public static class Ops {
        private final SyncMap<Integer, Integer> m = new SyncMap<>();

        /** Creates the map under test. */
        public Ops() {
        }

        @Operation
        public Integer load(@Param(name = "k") int k) {
            return m.load(k);
        }

        @Operation
        public void store(@Param(name = "k") int k, @Param(name = "v") int v) {
            m.store(k, v);
        }

        @Operation
        public Integer loadOrStore(@Param(name = "k") int k, @Param(name = "v") int v) {
            return m.loadOrStore(k, v);
        }

        @Operation
        public Integer loadAndDelete(@Param(name = "k") int k) {
            return m.loadAndDelete(k);
        }

        @Operation
        public void delete(@Param(name = "k") int k) {
            m.delete(k);
        }

        @Operation
        public Integer swap(@Param(name = "k") int k, @Param(name = "v") int v) {
            return m.swap(k, v);
        }

        @Operation
        public boolean compareAndSwap(@Param(name = "k") int k, @Param(name = "v") int old,
                @Param(name = "v") int v) {
            return m.compareAndSwap(k, old, v);
        }

        @Operation
        public boolean compareAndDelete(@Param(name = "k") int k, @Param(name = "v") int old) {
            return m.compareAndDelete(k, old);
        }
    }

    /** The sequential specification: Go's documented semantics over a plain HashMap. */
    public static class Model {
        private final HashMap<Integer, Integer> m = new HashMap<>();

        /** Creates an empty model. */
        public Model() {
        }

        public Integer load(int k) {
            return m.get(k);
        }

        public void store(int k, int v) {
            m.put(k, v);
        }

        public Integer loadOrStore(int k, int v) {
            Integer cur = m.get(k);
            if (cur == null) {
                m.put(k, v);
            }
            return cur;
        }

        public Integer loadAndDelete(int k) {
            return m.remove(k);
        }

        public void delete(int k) {
            m.remove(k);
        }

        public Integer swap(int k, int v) {
            return m.put(k, v);
        }

        public boolean compareAndSwap(int k, int old, int v) {
            if (m.containsKey(k) && Objects.equals(m.get(k), old)) {
                m.put(k, v);
                return true;
            }
            return false;
        }

        public boolean compareAndDelete(int k, int old) {
            if (m.containsKey(k) && Objects.equals(m.get(k), old)) {
                m.remove(k);
                return true;
            }
            return false;
        }
    }
}
