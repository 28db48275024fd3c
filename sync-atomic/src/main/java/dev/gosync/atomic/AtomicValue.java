package dev.gosync.atomic;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * An atomic holder of a non-null value whose class is fixed by the first store.
 *
 * <p><b>Go equivalent:</b> {@code atomic.Value}. The zero value ({@code new AtomicValue()}) is
 * empty: {@link #load} returns {@code null} until the first {@link #store}, {@link #swap} or
 * successful {@link #compareAndSwap}. That first value fixes the class: every later value must
 * have exactly the same runtime class ({@code getClass()}, not a subclass), as every Go value
 * stored in one {@code Value} must have the same concrete type. The constructor that takes an
 * initial value counts as the first store. {@link #compareAndSwap} compares with
 * {@code old.equals(current)}, Java's spelling of Go's {@code ==} on interface values: equal
 * boxed numbers, strings and records match even when they are different objects. (For identity
 * comparison and {@code null} values, use {@link AtomicPointer}.)
 *
 * <p><b>Memory consistency effects:</b> every operation is sequentially consistent (VarHandle
 * volatile mode), as in Go. Actions before a {@code store}, {@code swap} or successful
 * {@code compareAndSwap} of a value happen-before the actions after any operation that reads
 * that value; an object built with plain writes and then stored is seen fully built by every
 * thread that {@code load}s it. A failed {@code compareAndSwap} is a volatile read.
 * (jcstress: {@code AtomicValueStress.StorePublishes}, {@code AtomicPointerStress.CasExclusive}.)
 *
 * <p><b>Misuse:</b> Go's panics become exceptions thrown before anything is written, with Go's
 * text; the Value stays usable.
 * <ul>
 *   <li>{@code store(null)}: {@code NullPointerException("sync/atomic: store of nil value into
 *       Value")}; a value of another class: {@code IllegalArgumentException("sync/atomic: store
 *       of inconsistently typed value into Value")}.</li>
 *   <li>{@code swap}: the same with "swap of" in place of "store of".</li>
 *   <li>{@code compareAndSwap(old, null)}: {@code NullPointerException("sync/atomic: compare
 *       and swap of nil value into Value")}; {@code old} non-null of another class than
 *       {@code newValue}: {@code IllegalArgumentException("sync/atomic: compare and swap of
 *       inconsistently typed values")}; {@code newValue} of another class than the held value:
 *       {@code IllegalArgumentException("sync/atomic: compare and swap of inconsistently typed
 *       value into Value")}.</li>
 * </ul>
 *
 * <p><b>Progress:</b> {@code load} and {@code store} of a non-empty Value are wait-free (one
 * volatile access), {@code swap} is wait-free once non-empty; the first store and
 * {@code compareAndSwap} are lock-free (a retry means another thread's write succeeded).
 * {@code compareAndSwap} calls {@code old.equals}, whose cost and behaviour are the caller's.
 */
public final class AtomicValue {
    /*
     * Implementation notes. One volatile reference; null means "empty" and is never written
     * back once a value is held. The class check needs no separate type word (Go keeps one,
     * with a "first store in progress" sentinel, because it must publish type and data as two
     * words): the held object carries its class, so a check of the held value's class followed
     * by a write is race-free once the Value is non-empty, because the class never changes
     * after that. Only the empty -> first value transition races, and it is a CAS from null:
     * the loser re-reads and checks its class against the winner's.
     *
     * compareAndSwap compares with equals() but swaps by identity: it CASes from the exact
     * object it compared against, and retries when that object was replaced by another, so a
     * replacement that is still equal to old does not make it fail spuriously.
     */
    private static final String STORE_NIL = "sync/atomic: store of nil value into Value";
    private static final String STORE_TYPE =
            "sync/atomic: store of inconsistently typed value into Value";
    private static final String SWAP_NIL = "sync/atomic: swap of nil value into Value";
    private static final String SWAP_TYPE =
            "sync/atomic: swap of inconsistently typed value into Value";
    private static final String CAS_NIL = "sync/atomic: compare and swap of nil value into Value";
    private static final String CAS_TYPES =
            "sync/atomic: compare and swap of inconsistently typed values";
    private static final String CAS_TYPE =
            "sync/atomic: compare and swap of inconsistently typed value into Value";

    /** The held value, null while empty; changed only through VALUE or a volatile write. */
    private volatile Object value;

    /** Creates an empty Value, Go's zero value: {@link #load} returns {@code null}. */
    public AtomicValue() {
    }

    /**
     * Creates a Value holding {@code initial}, whose class all later values must have.
     *
     * @param initial the first value
     * @throws NullPointerException if {@code initial} is {@code null}, with Go's store message
     */
    public AtomicValue(Object initial) {
        if (initial == null) {
            throw new NullPointerException(STORE_NIL);
        }
        value = initial;
    }

    /**
     * Atomically loads the value.
     *
     * @return the value of the most recent store, or {@code null} if none happened yet
     */
    public Object load() {
        return value;
    }

    /**
     * Atomically stores {@code v}.
     *
     * @param v the new value, of the same class as every earlier value
     * @throws NullPointerException if {@code v} is {@code null}
     * @throws IllegalArgumentException if {@code v}'s class differs from the held value's
     */
    public void store(Object v) {
        Object current = value;
        if (v == null || current == null || current.getClass() != v.getClass()) {
            storeSlow(v);
            return;
        }
        value = v;
    }

    /**
     * Atomically stores {@code v} and returns the previous value.
     *
     * @param v the new value, of the same class as every earlier value
     * @return the value held before the call, or {@code null} if the Value was empty
     * @throws NullPointerException if {@code v} is {@code null}
     * @throws IllegalArgumentException if {@code v}'s class differs from the held value's
     */
    public Object swap(Object v) {
        if (v == null) {
            throw new NullPointerException(SWAP_NIL);
        }
        for (;;) {
            Object current = value;
            if (current == null) {
                if (VALUE.compareAndSet(this, null, v)) {
                    return null;
                }
                continue;                        // lost the first store; check against winner
            }
            if (current.getClass() != v.getClass()) {
                throw new IllegalArgumentException(SWAP_TYPE);
            }
            return VALUE.getAndSet(this, v);     // the class cannot change once non-empty
        }
    }

    /**
     * Atomically sets the value to {@code newValue} if the held value equals {@code old}
     * ({@code old.equals(held)}); on an empty Value, succeeds only when {@code old} is
     * {@code null}.
     *
     * @param old the expected value, or {@code null} to match only an empty Value
     * @param newValue the value to store, of the same class as every earlier value
     * @return whether the swap happened
     * @throws NullPointerException if {@code newValue} is {@code null}
     * @throws IllegalArgumentException if {@code old} is non-null and of another class than
     *     {@code newValue}, or {@code newValue}'s class differs from the held value's
     */
    public boolean compareAndSwap(Object old, Object newValue) {
        if (newValue == null) {
            throw new NullPointerException(CAS_NIL);
        }
        if (old != null && old.getClass() != newValue.getClass()) {
            throw new IllegalArgumentException(CAS_TYPES);
        }
        for (;;) {
            Object current = value;
            if (current == null) {
                if (old != null) {
                    return false;
                }
                if (VALUE.compareAndSet(this, null, newValue)) {
                    return true;
                }
                continue;                        // lost the first store; compare with winner
            }
            if (current.getClass() != newValue.getClass()) {
                throw new IllegalArgumentException(CAS_TYPE);
            }
            if (old == null || !old.equals(current)) {
                return false;
            }
            if (VALUE.compareAndSet(this, current, newValue)) {
                return true;
            }
            // current was replaced after we compared it: compare again with its replacement
        }
    }

    /**
     * Returns {@code String.valueOf} of the held value.
     *
     * @return the held value in text, {@code "null"} while empty
     */
    @Override
    public String toString() {
        return String.valueOf(load());
    }

    private void storeSlow(Object v) {
        if (v == null) {
            throw new NullPointerException(STORE_NIL);
        }
        for (;;) {
            Object current = value;
            if (current == null) {
                if (VALUE.compareAndSet(this, null, v)) {
                    return;
                }
                continue;                        // lost the first store; check against winner
            }
            if (current.getClass() != v.getClass()) {
                throw new IllegalArgumentException(STORE_TYPE);
            }
            value = v;                           // the class cannot change once non-empty
            return;
        }
    }

    // VarHandle mechanics
    private static final VarHandle VALUE;   // field "value"
    static {
        try {
            VALUE = MethodHandles.lookup().findVarHandle(AtomicValue.class, "value", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
