package dev.gosync.atomic;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.UnaryOperator;

/**
 * An atomic reference to a {@code T}, compared by identity.
 *
 * <p><b>Go equivalent:</b> {@code atomic.Pointer[T]}. The zero value
 * ({@code new AtomicPointer<T>()}) holds {@code null}, Go's {@code nil}, and {@code null} may be
 * stored, swapped and compared like any other reference. {@link #compareAndSwap} compares
 * with {@code ==}, as Go compares pointers; it never calls {@code equals}. (For value
 * comparison, see {@link AtomicValue}.)
 *
 * <p><b>Memory consistency effects:</b> every operation is sequentially consistent (VarHandle
 * volatile mode), as in Go. Actions before a {@code store}, {@code swap} or successful
 * {@code compareAndSwap} of a reference happen-before the actions after any operation that
 * reads that reference. This is what makes copy-on-write safe: build a new object with plain
 * writes, publish it with {@code store} or {@code compareAndSwap}, and every thread that
 * {@code load}s it sees it fully built, its non-final fields included. Writes made to the
 * object <em>after</em> it was published are not covered. A failed {@code compareAndSwap} is
 * a volatile read of the current reference.
 * (jcstress: {@code AtomicPointerStress.CopyOnWritePublication},
 * {@code AtomicPointerStress.CasExclusive}.)
 *
 * <p>{@link #updateAndGet} is the copy-on-write loop written once: read, build, compare-and-swap,
 * retry. It has no Go twin (Go code writes the loop by hand).
 *
 * <p><b>Misuse:</b> none detected. Mutating a published object without other synchronization
 * is a data race on that object, not on this pointer.
 *
 * <p><b>Progress:</b> every operation but {@code updateAndGet} is wait-free on x86-64 and
 * ARMv8.1+ (one volatile access or one atomic instruction); {@code updateAndGet} is lock-free
 * (it retries only when another thread's write got in first).
 *
 * @param <T> the type of the referenced object
 */
public final class AtomicPointer<T> {
    /*
     * Implementation notes. One volatile reference, changed only through VALUE or a volatile
     * field write. The handle's variable type is Object (T's erasure); the casts back to T in
     * swap() are unchecked but safe, because only T values are ever written.
     */

    /** The reference; changed only through VALUE or a volatile write. */
    private volatile T value;

    /** Creates a pointer holding {@code null}, Go's zero value. */
    public AtomicPointer() {
    }

    /**
     * Creates a pointer holding {@code initial}.
     *
     * @param initial the initial reference, possibly {@code null}
     */
    public AtomicPointer(T initial) {
        value = initial;
    }

    /**
     * Atomically loads the reference.
     *
     * @return the current reference, possibly {@code null}
     */
    public T load() {
        return value;
    }

    /**
     * Atomically stores {@code v}.
     *
     * @param v the new reference, possibly {@code null}
     */
    public void store(T v) {
        value = v;
    }

    /**
     * Atomically stores {@code v} and returns the previous reference.
     *
     * @param v the new reference, possibly {@code null}
     * @return the reference held before the call
     */
    @SuppressWarnings("unchecked")
    public T swap(T v) {
        return (T) VALUE.getAndSet(this, v);
    }

    /**
     * Atomically sets the reference to {@code newValue} if it is {@code old} (identity
     * comparison, {@code ==}).
     *
     * @param old the expected reference, possibly {@code null}
     * @param newValue the reference to store when the current one is {@code old}
     * @return whether the swap happened
     */
    public boolean compareAndSwap(T old, T newValue) {
        return VALUE.compareAndSet(this, old, newValue);
    }

    /**
     * Replaces the reference with {@code f} applied to it, copy-on-write: reads the current
     * reference, computes {@code f(current)}, and stores the result with
     * {@code compareAndSwap}, retrying from a fresh read if another write got in first. So no
     * concurrent update is lost, and {@code f} may run several times: it must be free of side
     * effects and must not mutate its argument (build a new object instead).
     *
     * <p>The returned reference is published like a {@code store}: a thread that loads it sees
     * everything {@code f} wrote while building it.
     *
     * @param f computes the new reference from the current one; may return {@code null}
     * @return the reference this call installed
     * @throws NullPointerException if {@code f} is null
     */
    public T updateAndGet(UnaryOperator<T> f) {
        if (f == null) {
            throw new NullPointerException("f");
        }
        T old = value;
        for (;;) {
            T next = f.apply(old);
            @SuppressWarnings("unchecked")
            T witness = (T) VALUE.compareAndExchange(this, old, next);
            if (witness == old) {
                return next;
            }
            old = witness;  // lost a race: rebuild from what the winner wrote
        }
    }

    /**
     * Returns {@code String.valueOf} of the current reference.
     *
     * @return the current reference in text, {@code "null"} for {@code null}
     */
    @Override
    public String toString() {
        return String.valueOf(load());
    }

    // VarHandle mechanics
    private static final VarHandle VALUE;   // field "value"
    static {
        try {
            VALUE = MethodHandles.lookup()
                    .findVarHandle(AtomicPointer.class, "value", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
