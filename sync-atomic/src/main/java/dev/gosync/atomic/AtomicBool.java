package dev.gosync.atomic;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * An atomic boolean.
 *
 * <p><b>Go equivalent:</b> {@code atomic.Bool}. The zero value ({@code new AtomicBool()}) is
 * {@code false}, ready to use.
 *
 * <p><b>Memory consistency effects:</b> every operation is sequentially consistent (VarHandle
 * volatile mode). Actions before a {@code store}, {@code swap} or successful
 * {@code compareAndSwap} happen-before the actions after any operation that reads the value it
 * wrote. A failed {@code compareAndSwap} is a volatile read and creates the edge from the write
 * it read.
 * (jcstress: {@code AtomicBoolStress.StorePublishes}, {@code AtomicBoolStress.CasExclusive}.)
 *
 * <p><b>Misuse:</b> none possible; every boolean is a valid value.
 *
 * <p><b>Progress:</b> every operation is wait-free (one volatile access or one atomic
 * instruction).
 */
public final class AtomicBool {
    /*
     * Implementation notes. The value lives in an int (0 or 1), as in AtomicBoolean and in Go's
     * Bool (a uint32): a sub-word CAS is emulated with a CAS loop on the containing word on
     * some platforms, and an int costs nothing extra after object alignment. load() and
     * store() are plain accesses of the volatile field; swap and compareAndSwap go through
     * VALUE in volatile mode.
     */

    /** 1 when true, 0 when false; changed only through VALUE. */
    private volatile int value;

    /** Creates a {@code false} boolean, Go's zero value. */
    public AtomicBool() {
    }

    /**
     * Creates a boolean holding {@code initial}.
     *
     * @param initial the initial value
     */
    public AtomicBool(boolean initial) {
        value = initial ? 1 : 0;
    }

    /**
     * Atomically loads the value.
     *
     * @return the current value
     */
    public boolean load() {
        return value != 0;
    }

    /**
     * Atomically stores {@code v}.
     *
     * @param v the new value
     */
    public void store(boolean v) {
        value = v ? 1 : 0;
    }

    /**
     * Atomically stores {@code v} and returns the previous value.
     *
     * @param v the new value
     * @return the value held before the call
     */
    public boolean swap(boolean v) {
        return (int) VALUE.getAndSet(this, v ? 1 : 0) != 0;
    }

    /**
     * Atomically sets the value to {@code newValue} if it is {@code old}.
     *
     * @param old the expected value
     * @param newValue the value to store when the current value is {@code old}
     * @return whether the swap happened
     */
    public boolean compareAndSwap(boolean old, boolean newValue) {
        return VALUE.compareAndSet(this, old ? 1 : 0, newValue ? 1 : 0);
    }

    /**
     * Returns the current value as {@code "true"} or {@code "false"}.
     *
     * @return the current value in text
     */
    @Override
    public String toString() {
        return Boolean.toString(load());
    }

    // VarHandle mechanics
    private static final VarHandle VALUE;   // field "value"
    static {
        try {
            VALUE = MethodHandles.lookup().findVarHandle(AtomicBool.class, "value", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
