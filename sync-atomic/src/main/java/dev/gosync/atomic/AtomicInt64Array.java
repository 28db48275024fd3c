package dev.gosync.atomic;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A fixed-length array of {@code long}s, each element an atomic {@link AtomicInt64} in place.
 *
 * <p><b>Go equivalent:</b> a {@code []atomic.Int64} indexed in place, {@code a[i].Add(d)}. The
 * elements live in one flat {@code long[]} (no object per element), so this is the form to use
 * for many counters. The zero value ({@code new AtomicInt64Array()}) has length 0, like Go's nil
 * slice; {@link #AtomicInt64Array(int)} makes {@code length} zeros. Each element offers what
 * {@link AtomicInt64} offers, with the same results: {@code add} returns the new value,
 * {@code swap} the old one, {@code updateMax}/{@code updateMin} the value held after the call
 * and write nothing when the candidate would not change the element.
 *
 * <p><b>Memory consistency effects:</b> every element operation is sequentially consistent
 * (VarHandle volatile mode). Actions before a write to element {@code i} happen-before the
 * actions after any operation that reads the value it wrote to element {@code i}. Operations
 * on different elements are ordered by the one total order of all sequentially consistent
 * operations but are otherwise independent; there is no operation on several elements at
 * once.
 * (jcstress: {@code AtomicInt64ArrayStress.StorePublishes}; the element CAS, add and
 * updateMax/updateMin run in {@code AtomicInt64Stress} and {@code AtomicUint64Stress}.)
 *
 * <p><b>Misuse:</b> an index outside {@code [0, length())} throws
 * {@code IndexOutOfBoundsException} (an {@code ArrayIndexOutOfBoundsException}) and changes
 * nothing, as Go's bounds check panics; a negative length throws
 * {@code IllegalArgumentException}.
 *
 * <p><b>Progress:</b> as {@link AtomicInt64}: {@code load}, {@code store}, {@code swap},
 * {@code compareAndSwap} and {@code add} are wait-free on x86-64 and ARMv8.1+;
 * {@code updateMax}/{@code updateMin} are lock-free CAS loops with a read-only fast path.
 */
public final class AtomicInt64Array {
    /*
     * Implementation notes. Every access goes through the array-element VarHandle ARRAY,
     * whose access methods check the index against the array (so no separate check is written
     * here) and use volatile mode. Adjacent elements share cache lines: elements updated hot
     * from different threads false-share, as in a Go []atomic.Int64; spread such counters
     * 8 elements (64 bytes) apart or use separate AtomicInt64s. The array is final and never
     * escapes, so only ARRAY ever touches its elements after construction.
     */

    private final long[] array;

    /** Creates an array of length 0, Go's nil slice. */
    public AtomicInt64Array() {
        array = new long[0];
    }

    /**
     * Creates an array of {@code length} zeros.
     *
     * @param length the number of elements
     * @throws IllegalArgumentException if {@code length} is negative
     */
    public AtomicInt64Array(int length) {
        if (length < 0) {
            throw new IllegalArgumentException("length < 0: " + length);
        }
        array = new long[length];
    }

    /**
     * Creates an array holding a copy of {@code initial}.
     *
     * @param initial the initial values, copied
     * @throws NullPointerException if {@code initial} is {@code null}
     */
    public AtomicInt64Array(long[] initial) {
        if (initial == null) {
            throw new NullPointerException("initial");
        }
        array = initial.clone();   // published by the final field
    }

    /**
     * Returns the number of elements.
     *
     * @return the length, fixed at construction
     */
    public int length() {
        return array.length;
    }

    /**
     * Atomically loads element {@code i}.
     *
     * @param i the index
     * @return the current value of element {@code i}
     * @throws IndexOutOfBoundsException if {@code i} is out of range
     */
    public long load(int i) {
        return (long) ARRAY.getVolatile(array, i);
    }

    /**
     * Atomically stores {@code v} into element {@code i}.
     *
     * @param i the index
     * @param v the new value
     * @throws IndexOutOfBoundsException if {@code i} is out of range
     */
    public void store(int i, long v) {
        ARRAY.setVolatile(array, i, v);
    }

    /**
     * Atomically stores {@code v} into element {@code i} and returns its previous value.
     *
     * @param i the index
     * @param v the new value
     * @return the value of element {@code i} before the call
     * @throws IndexOutOfBoundsException if {@code i} is out of range
     */
    public long swap(int i, long v) {
        return (long) ARRAY.getAndSet(array, i, v);
    }

    /**
     * Atomically sets element {@code i} to {@code newValue} if it is {@code old}.
     *
     * @param i the index
     * @param old the expected value
     * @param newValue the value to store when element {@code i} is {@code old}
     * @return whether the swap happened
     * @throws IndexOutOfBoundsException if {@code i} is out of range
     */
    public boolean compareAndSwap(int i, long old, long newValue) {
        return ARRAY.compareAndSet(array, i, old, newValue);
    }

    /**
     * Atomically adds {@code delta} (wrapping on overflow) to element {@code i}.
     *
     * @param i the index
     * @param delta the amount to add; negative to subtract
     * @return the value of element {@code i} after the addition
     * @throws IndexOutOfBoundsException if {@code i} is out of range
     */
    public long add(int i, long delta) {
        return (long) ARRAY.getAndAdd(array, i, delta) + delta;
    }

    /**
     * Atomically raises element {@code i} to {@code candidate} if {@code candidate} is greater
     * (signed). Writes nothing when the element is already at least {@code candidate}.
     *
     * @param i the index
     * @param candidate the value that may become the element's new maximum
     * @return the value of element {@code i} after the call
     * @throws IndexOutOfBoundsException if {@code i} is out of range
     */
    public long updateMax(int i, long candidate) {
        return CasMax.max(ARRAY, array, i, candidate);
    }

    /**
     * Atomically lowers element {@code i} to {@code candidate} if {@code candidate} is smaller
     * (signed). Writes nothing when the element is already at most {@code candidate}.
     *
     * @param i the index
     * @param candidate the value that may become the element's new minimum
     * @return the value of element {@code i} after the call
     * @throws IndexOutOfBoundsException if {@code i} is out of range
     */
    public long updateMin(int i, long candidate) {
        return CasMax.min(ARRAY, array, i, candidate);
    }

    /**
     * Returns the elements as {@code "[e0, e1, ...]"}, each read atomically; the whole is not
     * a snapshot.
     *
     * @return the current elements in text
     */
    @Override
    public String toString() {
        int n = array.length;
        StringBuilder sb = new StringBuilder(2 + 4 * n).append('[');
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(load(i));
        }
        return sb.append(']').toString();
    }

    // VarHandle mechanics
    private static final VarHandle ARRAY = MethodHandles.arrayElementVarHandle(long[].class);
}
