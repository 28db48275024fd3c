package dev.gosync.atomic;

import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.ParameterGenerator;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.RandomProvider;
import org.jetbrains.lincheck.datastructures.StressOptions;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Linearizability of AtomicInt64 and AtomicUint64, updateMax/updateMin included, checked by
 * Lincheck against independent sequential specifications (a plain long and Math.max, or
 * Long.compareUnsigned), with both the stress and the model-checking strategy. Arguments come
 * from {@link Candidates}: small values on both sides of zero and the two extremes, so unsigned
 * candidates fall on both sides of the sign bit and add wraps.
 *
 * <p>Checked to bite: with a check-then-store updateMax (load, compare, plain store) in place of
 * the CAS loop, model checking reports "Invalid execution results" within seconds.
 */
class AtomicLincheckTest {
    /** Small scenarios: 2 threads of 3 operations, a few seconds per check. */
    private static StressOptions stress() {
        return new StressOptions().iterations(4).invocationsPerIteration(200)
                .threads(2).actorsPerThread(3).actorsBefore(1).actorsAfter(1);
    }

    private static ModelCheckingOptions modelChecking() {
        return new ModelCheckingOptions().iterations(10).invocationsPerIteration(100)
                .threads(2).actorsPerThread(3).actorsBefore(1).actorsAfter(1);
    }

    // AtomicInt64 under the stress strategy.
    @Test
    void int64StressLinearizable() {
        stress().sequentialSpecification(SignedSpec.class).check(Int64Ops.class);
    }

    // AtomicInt64 under the model-checking strategy.
    @Test
    void int64ModelCheckingLinearizable() {
        modelChecking().sequentialSpecification(SignedSpec.class).check(Int64Ops.class);
    }

    // AtomicUint64 under the stress strategy.
    @Test
    void uint64StressLinearizable() {
        stress().sequentialSpecification(UnsignedSpec.class).check(Uint64Ops.class);
    }

    // AtomicUint64 under the model-checking strategy.
    @Test
    void uint64ModelCheckingLinearizable() {
        modelChecking().sequentialSpecification(UnsignedSpec.class).check(Uint64Ops.class);
    }

    /**
     * Uniform over a few values that matter. Lincheck's own LongGen starts from a range around
     * 0 that widens slowly, so in a short run nearly every argument is 0 or 1 and two updateMax
     * calls rarely race with different candidates: it missed a check-then-store updateMax.
     */
    public static final class Candidates implements ParameterGenerator<Long> {
        private static final long[] VALUES = {-2, -1, 0, 1, 2, 3, Long.MIN_VALUE, Long.MAX_VALUE};
        private final Random random;

        public Candidates(RandomProvider randomProvider, String configuration) {
            random = randomProvider.createRandom();
        }

        @Override
        public Long generate() {
            return VALUES[random.nextInt(VALUES.length)];
        }
    }

    /** The operations under test, on an AtomicInt64. */
    @Param(name = "v", gen = Candidates.class)
    public static class Int64Ops {
        private final AtomicInt64 a = new AtomicInt64();

        @Operation
        public long load() {
            return a.load();
        }

        @Operation
        public void store(@Param(name = "v") long v) {
            a.store(v);
        }

        @Operation
        public long swap(@Param(name = "v") long v) {
            return a.swap(v);
        }

        @Operation
        public boolean compareAndSwap(@Param(name = "v") long old, @Param(name = "v") long v) {
            return a.compareAndSwap(old, v);
        }

        @Operation
        public long add(@Param(name = "v") long delta) {
            return a.add(delta);
        }

        @Operation
        public long updateMax(@Param(name = "v") long v) {
            return a.updateMax(v);
        }

        @Operation
        public long updateMin(@Param(name = "v") long v) {
            return a.updateMin(v);
        }
    }

    /** The operations under test, on an AtomicUint64. */
    @Param(name = "v", gen = Candidates.class)
    public static class Uint64Ops {
        private final AtomicUint64 a = new AtomicUint64();

        @Operation
        public long load() {
            return a.load();
        }

        @Operation
        public void store(@Param(name = "v") long v) {
            a.store(v);
        }

        @Operation
        public long swap(@Param(name = "v") long v) {
            return a.swap(v);
        }

        @Operation
        public boolean compareAndSwap(@Param(name = "v") long old, @Param(name = "v") long v) {
            return a.compareAndSwap(old, v);
        }

        @Operation
        public long add(@Param(name = "v") long delta) {
            return a.add(delta);
        }

        @Operation
        public long updateMax(@Param(name = "v") long v) {
            return a.updateMax(v);
        }

        @Operation
        public long updateMin(@Param(name = "v") long v) {
            return a.updateMin(v);
        }
    }

    /** Sequential specification of a signed 64-bit atomic: a plain long. */
    public static class SignedSpec {
        long value;

        public long load() {
            return value;
        }

        public void store(long v) {
            value = v;
        }

        public long swap(long v) {
            long old = value;
            value = v;
            return old;
        }

        public boolean compareAndSwap(long old, long v) {
            if (value != old) {
                return false;
            }
            value = v;
            return true;
        }

        public long add(long delta) {
            value += delta;
            return value;
        }

        public long updateMax(long v) {
            value = Math.max(value, v);
            return value;
        }

        public long updateMin(long v) {
            value = Math.min(value, v);
            return value;
        }
    }

    /** Sequential specification of an unsigned 64-bit atomic: comparisons unsigned. */
    public static class UnsignedSpec extends SignedSpec {
        @Override
        public long updateMax(long v) {
            if (Long.compareUnsigned(v, value) > 0) {
                value = v;
            }
            return value;
        }

        @Override
        public long updateMin(long v) {
            if (Long.compareUnsigned(v, value) < 0) {
                value = v;
            }
            return value;
        }
    }
}
