package dev.gosync.atomic;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * An atomic {@code int}.
 *
 * <p><b>Go equivalent:</b> {@code atomic.Int32}. The zero value ({@code new AtomicInt32()}) is
 * {@code 0}, ready to use. Go's {@code Add} returns the new value and {@code Swap}, {@code And}
 * and {@code Or} return the old one; so do {@link #add}, {@link #swap}, {@link #and} and
 * {@link #or}. {@link #updateMax} and {@link #updateMin} have no Go twin: they are the CAS loop
 * that Go code writes by hand around {@code CompareAndSwap}.
 *
 * <p><b>Memory consistency effects:</b> every operation is sequentially consistent (VarHandle
 * volatile mode), as in Go. Actions before a write ({@code store}, {@code swap},
 * {@code add}, {@code and}, {@code or}, a successful {@code compareAndSwap}, an
 * {@code updateMax}/{@code updateMin} that changed the value) happen-before the actions after
 * any operation that reads the value it wrote. A failed {@code compareAndSwap} and an
 * {@code updateMax}/{@code updateMin} that did not change the value are volatile reads only:
 * they receive the edge from the write they read and publish nothing themselves.
 * (jcstress: {@code AtomicInt32Stress.StorePublishes}, {@code AtomicInt32Stress.CasExclusive},
 * {@code AtomicInt32Stress.AddAtomic}, {@code AtomicUint32Stress.UpdateMaxMinAcrossSignBit}.)
 *
 * <p><b>Misuse:</b> none possible; every {@code int} is a valid value. Arithmetic wraps in two's
 * complement, as Go's does ({@code MAX_VALUE + 1 == MIN_VALUE}).
 *
 * <p><b>Progress:</b> {@code load}, {@code store}, {@code swap}, {@code compareAndSwap} and
 * {@code add} are single atomic instructions on x86-64 and ARMv8.1+ (wait-free); {@code and},
 * {@code or}, {@code updateMax} and {@code updateMin} are CAS loops (lock-free: a retry means
 * another thread's write succeeded). {@code updateMax}/{@code updateMin} return after one
 * volatile read, writing nothing, when the candidate would not change the value.
 */
public final class AtomicInt32 {
    /*
     * Implementation notes. One volatile int, changed only through VALUE (or a volatile field
     * write in store()). load() and store() are plain accesses of the volatile field, which is
     * what VarHandle getVolatile/setVolatile compile to; the JDK's AtomicInteger does the same.
     *
     * updateMax/updateMin read first and return at once when the candidate does not move the
     * value. The tempting one-liner, getAndAccumulate(x, Math::max), always writes (a CAS even
     * when the maximum is unchanged), so every caller takes the cache line exclusive; under
     * contention that turns a read-mostly "demand tracker" into a ping-pong of the line. The
     * slow path uses compareAndExchange so that a failed CAS hands back the value it saw, which
     * is re-tested without another read.
     */

    /** The value; changed only through VALUE or a volatile write. */
    private volatile int value;

    /** Creates an atomic holding {@code 0}, Go's zero value. */
    public AtomicInt32() {
    }

    /**
     * Creates an atomic holding {@code initial}.
     *
     * @param initial the initial value
     */
    public AtomicInt32(int initial) {
        value = initial;
    }

    /**
     * Atomically loads the value.
     *
     * @return the current value
     */
    public int load() {
        return value;
    }

    /**
     * Atomically stores {@code v}.
     *
     * @param v the new value
     */
    public void store(int v) {
        value = v;
    }

    /**
     * Atomically stores {@code v} and returns the previous value.
     *
     * @param v the new value
     * @return the value held before the call
     */
    public int swap(int v) {
        return (int) VALUE.getAndSet(this, v);
    }

    /**
     * Atomically sets the value to {@code newValue} if it is {@code old}.
     *
     * @param old the expected value
     * @param newValue the value to store when the current value is {@code old}
     * @return whether the swap happened
     */
    public boolean compareAndSwap(int old, int newValue) {
        return VALUE.compareAndSet(this, old, newValue);
    }

    /**
     * Atomically adds {@code delta} (wrapping on overflow) and returns the new value.
     *
     * @param delta the amount to add; negative to subtract
     * @return the value after the addition
     */
    public int add(int delta) {
        return (int) VALUE.getAndAdd(this, delta) + delta;
    }

    /**
     * Atomically replaces the value with {@code value & mask} and returns the old value.
     *
     * @param mask the bits to keep
     * @return the value held before the call
     */
    public int and(int mask) {
        return (int) VALUE.getAndBitwiseAnd(this, mask);
    }

    /**
     * Atomically replaces the value with {@code value | mask} and returns the old value.
     *
     * @param mask the bits to set
     * @return the value held before the call
     */
    public int or(int mask) {
        return (int) VALUE.getAndBitwiseOr(this, mask);
    }

    /**
     * Atomically raises the value to {@code candidate} if {@code candidate} is greater (signed
     * comparison). Writes nothing when the value is already at least {@code candidate}.
     *
     * @param candidate the value that may become the new maximum
     * @return the value held after the call: {@code max(old, candidate)}
     */
    public int updateMax(int candidate) {
        int current = value;
        if (candidate <= current) {
            return current;                      // read-only fast path: nothing to raise
        }
        return updateMaxSlow(candidate, current);
    }

    /**
     * Atomically lowers the value to {@code candidate} if {@code candidate} is smaller (signed
     * comparison). Writes nothing when the value is already at most {@code candidate}.
     *
     * @param candidate the value that may become the new minimum
     * @return the value held after the call: {@code min(old, candidate)}
     */
    public int updateMin(int candidate) {
        int current = value;
        if (candidate >= current) {
            return current;                      // read-only fast path: nothing to lower
        }
        return updateMinSlow(candidate, current);
    }

    /**
     * Returns the current value in signed decimal.
     *
     * @return the current value in text
     */
    @Override
    public String toString() {
        return Integer.toString(load());
    }

    private int updateMaxSlow(int candidate, int current) {
        for (;;) {
            int witness = (int) VALUE.compareAndExchange(this, current, candidate);
            if (witness == current) {
                return candidate;
            }
            if (candidate <= witness) {
                return witness;                  // someone else raised it at least as far
            }
            current = witness;
        }
    }

    private int updateMinSlow(int candidate, int current) {
        for (;;) {
            int witness = (int) VALUE.compareAndExchange(this, current, candidate);
            if (witness == current) {
                return candidate;
            }
            if (candidate >= witness) {
                return witness;                  // someone else lowered it at least as far
            }
            current = witness;
        }
    }

    // VarHandle mechanics
    private static final VarHandle VALUE;   // field "value"
    static {
        try {
            VALUE = MethodHandles.lookup().findVarHandle(AtomicInt32.class, "value", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
