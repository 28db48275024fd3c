package dev.gosync.bench;

import dev.gosync.Once;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link Once} after completion, the path every call but the first takes (Go's
 * {@code BenchmarkOnce} / {@code BenchmarkOnceValue}), against the lazy-initialisation idioms a
 * Java programmer would write instead. Each method returns the initialised value.
 *
 * <ul>
 *   <li>{@code run_gosync}: {@code once.run(init); return value;}</li>
 *   <li>{@code run_volatileDcl}: double-checked locking on a volatile field.</li>
 *   <li>{@code run_holderIdiom}: the static holder class (a JIT constant: the floor).</li>
 *   <li>{@code run_volatileFlag}: a hand-written volatile done flag in its own object, guarding a
 *       plain field: the same loads as {@code run_gosync} (the object, its volatile flag, the
 *       value), so the difference is Once's own cost.</li>
 *   <li>{@code run_volatileRead}: one volatile read of a field of the benchmark itself (one
 *       load fewer than {@code run_gosync} makes: the floor of a volatile check).</li>
 *   <li>{@code runStatic_*}: the same in the shape Go's documentation uses, a package-level
 *       {@code var once sync.Once}, which in Java is a {@code static final Once}: the JIT folds
 *       the reference, so {@code runStatic_gosync} is one volatile read of the Once's state and
 *       a plain read of the value, against {@code runStatic_volatileRead}, one volatile read of a
 *       static field, and {@code runStatic_volatileFlag}, a static volatile done flag guarding a
 *       plain static field.</li>
 *   <li>{@code runAlone_gosync}: {@code once.run(init)} and nothing else, Go's
 *       {@code BenchmarkOnce} ({@code once.Do(f)} in a loop), against
 *       {@code runAlone_volatileRead}, one volatile read of a {@code boolean} field of an object
 *       the benchmark holds (as it holds the Once): the bar's "plain volatile read", with
 *       nothing read after it on either side. {@code runStaticAlone_*}: the same with a
 *       {@code static final Once} against a {@code static volatile boolean}, where neither side
 *       loads a reference first. Each returns a {@code boolean}, so that JMH consumes one value
 *       on each side.</li>
 *   <li>{@code value_gosync}: {@code Once.value(f).get()} against {@code value_memoSupplier}, a
 *       hand-written memoising {@code Supplier} (volatile double-checked locking).</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class OnceBench {
    /** What a completed Once is handed on every later call (a constant, as Foo::init is). */
    private static final Runnable INIT = () -> { };

    private final Once once = new Once();
    private Object onceValue;                      // written by the Once's function

    private final Object lock = new Object();
    private volatile Object dclValue;

    private volatile Object volatileValue;

    /** A hand-written done flag in its own object guarding a plain field: Once.run's shape. */
    private static final class Flag {
        volatile boolean done;
    }

    private final Flag flag = new Flag();
    private Object flagValue;                      // written before flag.done is set

    private static final Once STATIC_ONCE = new Once();
    private static Object staticOnceValue;         // written by STATIC_ONCE's function
    private static volatile Object staticVolatileValue;
    private static volatile boolean staticDone;
    private static volatile boolean staticVolatileBoolean;
    private static Object staticFlagValue;         // written before staticDone is set

    private Supplier<Object> onceSupplier;
    private Supplier<Object> memoSupplier;

    /** The static holder idiom: the class initialiser is the once. */
    private static final class Holder {
        static final Object VALUE = new Object();
    }

    /** A hand-written memoising supplier: what Once.value replaces. */
    private static final class MemoSupplier<T> implements Supplier<T> {
        private final Object lock = new Object();
        private Supplier<T> f;
        private volatile T value;

        MemoSupplier(Supplier<T> f) {
            this.f = f;
        }

        @Override
        public T get() {
            T v = value;
            if (v == null) {
                synchronized (lock) {
                    v = value;
                    if (v == null) {
                        v = f.get();
                        value = v;
                        f = null;
                    }
                }
            }
            return v;
        }
    }

    /** Completes every idiom, so that the benchmarks measure the after-completion path. */
    @Setup
    public void setup() {
        once.run(() -> onceValue = new Object());
        run_volatileDcl();
        volatileValue = new Object();
        staticVolatileBoolean = true;
        initFlag();
        STATIC_ONCE.run(() -> staticOnceValue = new Object());
        staticVolatileValue = new Object();
        initStaticFlag();
        onceSupplier = Once.value(Object::new);
        onceSupplier.get();
        memoSupplier = new MemoSupplier<>(Object::new);
        memoSupplier.get();
    }

    @Benchmark
    public Object run_gosync() {
        once.run(INIT);
        return onceValue;
    }

    @Benchmark
    public Object run_volatileDcl() {
        Object v = dclValue;
        if (v == null) {
            synchronized (lock) {
                v = dclValue;
                if (v == null) {
                    v = new Object();
                    dclValue = v;
                }
            }
        }
        return v;
    }

    @Benchmark
    public Object run_holderIdiom() {
        return Holder.VALUE;
    }

    @Benchmark
    public Object run_volatileFlag() {
        if (!flag.done) {
            initFlag();
        }
        return flagValue;
    }

    private void initFlag() {
        flagValue = new Object();
        flag.done = true;
    }

    @Benchmark
    public Object run_volatileRead() {
        return volatileValue;
    }

    @Benchmark
    public boolean runAlone_gosync() {
        once.run(INIT);
        return true;
    }

    @Benchmark
    public boolean runAlone_volatileRead() {
        return flag.done;
    }

    @Benchmark
    public boolean runStaticAlone_gosync() {
        STATIC_ONCE.run(INIT);
        return true;
    }

    @Benchmark
    public boolean runStaticAlone_volatileRead() {
        return staticVolatileBoolean;
    }

    @Benchmark
    public Object runStatic_gosync() {
        STATIC_ONCE.run(INIT);
        return staticOnceValue;
    }

    @Benchmark
    public Object runStatic_volatileRead() {
        return staticVolatileValue;
    }

    @Benchmark
    public Object runStatic_volatileFlag() {
        if (!staticDone) {
            initStaticFlag();
        }
        return staticFlagValue;
    }

    private static void initStaticFlag() {
        staticFlagValue = new Object();
        staticDone = true;
    }

    @Benchmark
    public Object value_gosync() {
        return onceSupplier.get();
    }

    @Benchmark
    public Object value_memoSupplier() {
        return memoSupplier.get();
    }
}
