package dev.gosync.atomic;

import java.lang.invoke.VarHandle;

/**
 * CAS-max and CAS-min on a {@code long} or {@code int} variable of the caller's own, reached
 * through the caller's {@link VarHandle}: a field of an object, or an element of a
 * {@code long[]}.
 *
 * <p><b>Go equivalent:</b> none in the library; it is the loop Go code writes around
 * {@code atomic.CompareAndSwapInt64(&s.max, old, new)} to keep a running maximum in a field of
 * its own struct. Use it when an {@link AtomicInt64} per field would cost too much (one object
 * per counter) or the field must stay in the caller's class. Each method reads first and
 * returns without writing when the candidate would not change the variable (so a read-mostly
 * maximum stays shared in every core's cache), and otherwise runs a CAS loop; each returns the
 * value held after the call. Comparisons are signed; for unsigned fields, use
 * {@link AtomicUint64} or {@link AtomicUint32}.
 *
 * <pre>{@code
 * final class Stats {
 *     private volatile long peak;              // only through PEAK
 *     private static final VarHandle PEAK = ...findVarHandle(Stats.class, "peak", long.class);
 *     void sample(long v) { CasMax.max(PEAK, this, v); }
 * }
 * }</pre>
 *
 * <p><b>Memory consistency effects:</b> the reads and the CAS use VarHandle volatile mode, so
 * a call that changes the variable is a sequentially consistent write: actions before it
 * happen-before the actions after any volatile read of the value it wrote. A call that does
 * not change it is a volatile read only. The guarantee holds only if every other access to the
 * variable is atomic too (volatile field or VarHandle); a plain write elsewhere is a data race.
 * (jcstress: {@code CasMaxStress.UserFieldNoLostExtreme}.)
 *
 * <p><b>Misuse:</b> the handle must be an instance-field handle (coordinates: holder) or a
 * {@code long[]} element handle ({@code MethodHandles.arrayElementVarHandle(long[].class)}),
 * with the variable type of the method called: {@code long} for the {@code long} forms, {@code
 * int} for the {@code int} forms. A handle of another shape or type makes the VarHandle throw
 * {@code WrongMethodTypeException} or {@code ClassCastException}; pass {@code long}
 * candidates for a {@code long} field ({@code 5L}, not {@code 5}, or Java picks the
 * {@code int} form). A {@code null} holder or array throws {@code NullPointerException}, an
 * index out of range throws {@code ArrayIndexOutOfBoundsException}; in every case nothing is
 * written.
 *
 * <p><b>Progress:</b> lock-free (a retry means another thread's write succeeded); wait-free
 * when the candidate does not change the variable.
 */
public final class CasMax {
    /*
     * Implementation notes. The handle arrives as an argument, so the VarHandle calls below
     * are not exact-type invocations: they link through asType() adaptation. When the caller
     * passes a static final handle and these small methods inline into the caller, the JIT
     * sees the constant handle and compiles the same code as a hand-written loop. Every loop
     * uses compareAndExchange, so a failed CAS yields the value it met and the loop re-tests it
     * without re-reading.
     */

    private CasMax() {
    }

    /**
     * Atomically raises the {@code long} variable {@code h} reaches in {@code holder} to
     * {@code candidate} if {@code candidate} is greater.
     *
     * @param h an instance-field handle of variable type {@code long}
     * @param holder the object holding the field
     * @param candidate the value that may become the new maximum
     * @return the value held after the call: {@code max(old, candidate)}
     * @throws NullPointerException if {@code h} or {@code holder} is {@code null}
     * @throws ClassCastException if {@code holder} is not of {@code h}'s holder class
     */
    public static long max(VarHandle h, Object holder, long candidate) {
        long current = (long) h.getVolatile(holder);
        while (candidate > current) {
            long witness = (long) h.compareAndExchange(holder, current, candidate);
            if (witness == current) {
                return candidate;
            }
            current = witness;
        }
        return current;
    }

    /**
     * Atomically lowers the {@code long} variable {@code h} reaches in {@code holder} to
     * {@code candidate} if {@code candidate} is smaller.
     *
     * @param h an instance-field handle of variable type {@code long}
     * @param holder the object holding the field
     * @param candidate the value that may become the new minimum
     * @return the value held after the call: {@code min(old, candidate)}
     * @throws NullPointerException if {@code h} or {@code holder} is {@code null}
     * @throws ClassCastException if {@code holder} is not of {@code h}'s holder class
     */
    public static long min(VarHandle h, Object holder, long candidate) {
        long current = (long) h.getVolatile(holder);
        while (candidate < current) {
            long witness = (long) h.compareAndExchange(holder, current, candidate);
            if (witness == current) {
                return candidate;
            }
            current = witness;
        }
        return current;
    }

    /**
     * Atomically raises the {@code int} variable {@code h} reaches in {@code holder} to
     * {@code candidate} if {@code candidate} is greater.
     *
     * @param h an instance-field handle of variable type {@code int}
     * @param holder the object holding the field
     * @param candidate the value that may become the new maximum
     * @return the value held after the call: {@code max(old, candidate)}
     * @throws NullPointerException if {@code h} or {@code holder} is {@code null}
     * @throws ClassCastException if {@code holder} is not of {@code h}'s holder class
     */
    public static int max(VarHandle h, Object holder, int candidate) {
        int current = (int) h.getVolatile(holder);
        while (candidate > current) {
            int witness = (int) h.compareAndExchange(holder, current, candidate);
            if (witness == current) {
                return candidate;
            }
            current = witness;
        }
        return current;
    }

    /**
     * Atomically lowers the {@code int} variable {@code h} reaches in {@code holder} to
     * {@code candidate} if {@code candidate} is smaller.
     *
     * @param h an instance-field handle of variable type {@code int}
     * @param holder the object holding the field
     * @param candidate the value that may become the new minimum
     * @return the value held after the call: {@code min(old, candidate)}
     * @throws NullPointerException if {@code h} or {@code holder} is {@code null}
     * @throws ClassCastException if {@code holder} is not of {@code h}'s holder class
     */
    public static int min(VarHandle h, Object holder, int candidate) {
        int current = (int) h.getVolatile(holder);
        while (candidate < current) {
            int witness = (int) h.compareAndExchange(holder, current, candidate);
            if (witness == current) {
                return candidate;
            }
            current = witness;
        }
        return current;
    }

    /**
     * Atomically raises {@code array[index]} to {@code candidate} if {@code candidate} is
     * greater.
     *
     * @param arrayHandle {@code MethodHandles.arrayElementVarHandle(long[].class)}
     * @param array the array
     * @param index the element's index
     * @param candidate the value that may become the element's new maximum
     * @return the value of the element after the call: {@code max(old, candidate)}
     * @throws NullPointerException if {@code arrayHandle} or {@code array} is {@code null}
     * @throws ArrayIndexOutOfBoundsException if {@code index} is out of range
     */
    public static long max(VarHandle arrayHandle, long[] array, int index, long candidate) {
        long current = (long) arrayHandle.getVolatile(array, index);
        while (candidate > current) {
            long witness = (long) arrayHandle.compareAndExchange(array, index, current, candidate);
            if (witness == current) {
                return candidate;
            }
            current = witness;
        }
        return current;
    }

    /**
     * Atomically lowers {@code array[index]} to {@code candidate} if {@code candidate} is
     * smaller.
     *
     * @param arrayHandle {@code MethodHandles.arrayElementVarHandle(long[].class)}
     * @param array the array
     * @param index the element's index
     * @param candidate the value that may become the element's new minimum
     * @return the value of the element after the call: {@code min(old, candidate)}
     * @throws NullPointerException if {@code arrayHandle} or {@code array} is {@code null}
     * @throws ArrayIndexOutOfBoundsException if {@code index} is out of range
     */
    public static long min(VarHandle arrayHandle, long[] array, int index, long candidate) {
        long current = (long) arrayHandle.getVolatile(array, index);
        while (candidate < current) {
            long witness = (long) arrayHandle.compareAndExchange(array, index, current, candidate);
            if (witness == current) {
                return candidate;
            }
            current = witness;
        }
        return current;
    }
}
