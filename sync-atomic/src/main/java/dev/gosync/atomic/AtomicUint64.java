package dev.gosync.atomic;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * An atomic unsigned 64-bit integer, held in the bits of a {@code long}.
 *
 * <p>Values are the 64 bits as {@code Long.toUnsignedString} reads them: {@code -1} is the largest
 * value, 2<sup>64</sup>&minus;1. Arithmetic wraps modulo 2<sup>64</sup> (adding {@code -c}
 * subtracts {@code c}, as Go's {@code Add(^uint64(c-1))} does); {@link #updateMax} and
 * {@link #updateMin} compare <em>unsigned</em>; {@link #toString} prints unsigned decimal.
 *
 * <p><b>Go equivalent:</b> {@code atomic.Uint64}. The zero value ({@code new AtomicUint64()}) is
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
 * (jcstress: {@code AtomicUint64Stress.UpdateMaxPublishes},
 * {@code AtomicUint64Stress.UpdateMaxMinAcrossSignBit}, {@code AtomicInt64Stress.CasExclusive},
 * {@code AtomicInt64Stress.AddAtomic}.)
 *
 * <p><b>Misuse:</b> none possible; every {@code long} bit pattern is a valid value. Beware of
 * Java's signed operators on the result: compare with {@code Long.compareUnsigned}, divide
 * with {@code Long.divideUnsigned}, print with {@code Long.toUnsignedString}.
 *
 * <p><b>Progress:</b> {@code load}, {@code store}, {@code swap}, {@code compareAndSwap} and
 * {@code add} are single atomic instructions on x86-64 and ARMv8.1+ (wait-free); {@code and},
 * {@code or}, {@code updateMax} and {@code updateMin} are CAS loops (lock-free: a retry means
 * another thread's write succeeded). {@code updateMax}/{@code updateMin} return after one
 * volatile read, writing nothing, when the candidate would not change the value.
 */
public final class AtomicUint64 {
    /*
     * Implementation notes. The bits are stored and changed exactly as in AtomicInt64;
     * only the comparisons of updateMax/updateMin and toString() read them unsigned.
     * add, and, or, swap and compareAndSwap are sign-agnostic on two's complement bits.
     * load() and store() are plain accesses of the volatile field, which is what VarHandle
     * getVolatile/setVolatile compile to; the JDK's AtomicLong does the same.
     *
     * updateMax/updateMin read first and return at once when the candidate does not move the
     * value. The tempting one-liner, getAndAccumulate(x, Math::max), always writes (a CAS even
     * when the maximum is unchanged), so every caller takes the cache line exclusive; under
     * contention that turns a read-mostly "demand tracker" into a ping-pong of the line. The
     * slow path uses compareAndExchange so that a failed CAS hands back the value it saw, which
     * is re-tested without another read.
     */

    /** The value; changed only through VALUE or a volatile write. */
    private volatile long value;

    /** Creates an atomic holding {@code 0}, Go's zero value. */
    public AtomicUint64() {
    }

    /**
     * Creates an atomic holding {@code initial}.
     *
     * @param initial the initial value
     */
    public AtomicUint64(long initial) {
        value = initial;
    }

    /**
     * Atomically loads the value.
     *
     * @return the current value
     */
    public long load() {
        return value;
    }

    /**
     * Atomically stores {@code v}.
     *
     * @param v the new value
     */
    public void store(long v) {
        value = v;
    }

    /**
     * Atomically stores {@code v} and returns the previous value.
     *
     * @param v the new value
     * @return the value held before the call
     */
    public long swap(long v) {
        return (long) VALUE.getAndSet(this, v);
    }

    /**
     * Atomically sets the value to {@code newValue} if it is {@code old}.
     *
     * @param old the expected value
     * @param newValue the value to store when the current value is {@code old}
     * @return whether the swap happened
     */
    public boolean compareAndSwap(long old, long newValue) {
        return VALUE.compareAndSet(this, old, newValue);
    }

    /**
     * Atomically adds {@code delta} (modulo 2<sup>64</sup>) and returns the new value.
     *
     * @param delta the amount to add; negative to subtract
     * @return the value after the addition
     */
    public long add(long delta) {
        return (long) VALUE.getAndAdd(this, delta) + delta;
    }

    /**
     * Atomically replaces the value with {@code value & mask} and returns the old value.
     *
     * @param mask the bits to keep
     * @return the value held before the call
     */
    public long and(long mask) {
        return (long) VALUE.getAndBitwiseAnd(this, mask);
    }

    /**
     * Atomically replaces the value with {@code value | mask} and returns the old value.
     *
     * @param mask the bits to set
     * @return the value held before the call
     */
    public long or(long mask) {
        return (long) VALUE.getAndBitwiseOr(this, mask);
    }

    /**
     * Atomically raises the value to {@code candidate} if {@code candidate} is greater (unsigned
     * comparison). Writes nothing when the value is already at least {@code candidate}.
     *
     * @param candidate the value that may become the new maximum
     * @return the value held after the call: the unsigned maximum of the old value and
     *     {@code candidate}
     */
    public long updateMax(long candidate) {
        long current = value;
        if (Long.compareUnsigned(candidate, current) <= 0) {
            return current;                      // read-only fast path: nothing to raise
        }
        return updateMaxSlow(candidate, current);
    }

    /**
     * Atomically lowers the value to {@code candidate} if {@code candidate} is smaller (unsigned
     * comparison). Writes nothing when the value is already at most {@code candidate}.
     *
     * @param candidate the value that may become the new minimum
     * @return the value held after the call: the unsigned minimum of the old value and
     *     {@code candidate}
     */
    public long updateMin(long candidate) {
        long current = value;
        if (Long.compareUnsigned(candidate, current) >= 0) {
            return current;                      // read-only fast path: nothing to lower
        }
        return updateMinSlow(candidate, current);
    }

    /**
     * Returns the current value in unsigned decimal.
     *
     * @return the current value in text
     */
    @Override
    public String toString() {
        return Long.toUnsignedString(load());
    }

    private long updateMaxSlow(long candidate, long current) {
        for (;;) {
            long witness = (long) VALUE.compareAndExchange(this, current, candidate);
            if (witness == current) {
                return candidate;
            }
            if (Long.compareUnsigned(candidate, witness) <= 0) {
                return witness;                  // someone else raised it at least as far
            }
            current = witness;
        }
    }

    private long updateMinSlow(long candidate, long current) {
        for (;;) {
            long witness = (long) VALUE.compareAndExchange(this, current, candidate);
            if (witness == current) {
                return candidate;
            }
            if (Long.compareUnsigned(candidate, witness) >= 0) {
                return witness;                  // someone else lowered it at least as far
            }
            current = witness;
        }
    }

    // VarHandle mechanics
    private static final VarHandle VALUE;   // field "value"
    static {
        try {
            VALUE = MethodHandles.lookup().findVarHandle(AtomicUint64.class, "value", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
