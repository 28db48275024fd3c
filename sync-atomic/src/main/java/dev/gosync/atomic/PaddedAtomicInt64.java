package dev.gosync.atomic;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * An {@link AtomicInt64} alone on its cache lines: the same operations, with 128 bytes of padding
 * on each side of the value, so that no other variable (a neighbouring counter written by
 * another thread, say) shares or prefetches the value's line.
 *
 * <p><b>Go equivalent:</b> none; Go code pads by hand. The runtime puts
 * {@code _ cpu.CacheLinePad} between hot fields ({@code golang.org/x/sys/cpu} exports the same
 * type), {@code sync.Pool} pads each per-P {@code poolLocal} to 128 bytes, and user code writes
 * {@code _ [56]byte} after an {@code atomic.Int64} to fill its 64-byte line. Java code cannot
 * control the layout of a class that way ({@code @Contended} is JDK-internal and ignored in
 * user classes unless the JVM is started with {@code -XX:-RestrictContended}), so this class
 * carries the padding itself.
 *
 * <p><b>When to use it:</b> for a few hot counters, each written mostly by a different thread,
 * that would otherwise sit next to each other in memory, as objects created one after the other
 * (the counter fields of one object, say) do. The values of two {@link AtomicInt64}s (24-byte
 * objects) allocated back to back are 24 bytes apart and share a 64-byte line in five of the
 * eight placements the allocator can give them; every write by one thread then invalidates the
 * other thread's copy of the line. {@code AtomicNeighboursContendedBench} in sync-bench measures
 * that cost and what this class wins back. It is not for many counters: each costs about 280
 * bytes instead of 24 (an array of them would fill the cache with padding). It does not help a
 * counter that many threads write: that line is truly shared, and
 * {@link java.util.concurrent.atomic.LongAdder} stripes it. It is a separate type, not a
 * subclass: code that takes an {@code AtomicInt64} does not accept it.
 *
 * <p><b>Memory consistency effects:</b> those of {@link AtomicInt64}: every operation is
 * sequentially consistent (VarHandle volatile mode), as in Go. Actions before a write
 * ({@code store}, {@code swap}, {@code add}, {@code and}, {@code or}, a successful
 * {@code compareAndSwap}, an {@code updateMax}/{@code updateMin} that changed the value)
 * happen-before the actions after any operation that reads the value it wrote. A failed
 * {@code compareAndSwap} and an {@code updateMax}/{@code updateMin} that did not change the
 * value are volatile reads only. (jcstress: {@code PaddedAtomicInt64Stress.StorePublishes},
 * {@code PaddedAtomicInt64Stress.AddAtomic}.)
 *
 * <p><b>Misuse:</b> none possible; every {@code long} is a valid value. Arithmetic wraps in two's
 * complement, as Go's does ({@code MAX_VALUE + 1 == MIN_VALUE}). The padding relies on HotSpot's
 * field layout (superclass fields first, a class's fields kept together); a JVM that laid the
 * fields out otherwise would still run every operation correctly, only without the isolation.
 *
 * <p><b>Progress:</b> as {@link AtomicInt64}: {@code load}, {@code store}, {@code swap},
 * {@code compareAndSwap} and {@code add} are single atomic instructions on x86-64 and ARMv8.1+
 * (wait-free); {@code and}, {@code or}, {@code updateMax} and {@code updateMin} are CAS loops
 * (lock-free). {@code updateMax}/{@code updateMin} return after one volatile read, writing
 * nothing, when the candidate would not change the value.
 */
public final class PaddedAtomicInt64 extends PaddedAtomicInt64Pad1 {
    /*
     * Implementation notes. The value lives in PaddedAtomicInt64Fields, between 16 longs of
     * padding in the superclass PaddedAtomicInt64Pad0 and 16 in the subclass
     * PaddedAtomicInt64Pad1 (JCTools' L1Pad/Field/L2Pad chain). HotSpot lays out a superclass's
     * fields before a subclass's and does not interleave them with the long fields of another
     * class in the chain, so the object reads: header, 128 bytes, value, 128 bytes.
     * PaddedAtomicInt64Test.valueHasAtLeast128BytesOfFieldsOnEachSide checks that on every JDK
     * the tests run on. Both sides are needed: padding only after the value leaves it next to
     * the end of whatever object was allocated just before this one. 128 bytes rather than one
     * 64-byte line because Intel's adjacent-line prefetcher fetches lines in 128-byte pairs
     * and Apple's and several other ARM cores have 128-byte lines; Go's sync.Pool pads to 128
     * ("128 mod (cache line size) = 0") to suit both line sizes.
     *
     * The tempting simpler designs: declaring the padding longs around the value in this one
     * class relies on declaration order, which the JVM specification leaves to the JVM (HotSpot
     * groups a class's fields by size, and its layout code was rewritten in JDK 15), whereas
     * superclass-first is the order JCTools and the LMAX Disruptor rely on; and
     * jdk.internal.vm.annotation.Contended needs --add-exports and -XX:-RestrictContended from
     * every user of the library.
     *
     * The operations are AtomicInt64's, on VALUE; updateMax/updateMin are CasMax's loop (read
     * first, return without writing when the candidate does not move the value), which
     * inlines into the caller with VALUE as a constant.
     */

    /** Creates an atomic holding {@code 0}, Go's zero value. */
    public PaddedAtomicInt64() {
    }

    /**
     * Creates an atomic holding {@code initial}.
     *
     * @param initial the initial value
     */
    public PaddedAtomicInt64(long initial) {
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
     * Atomically adds {@code delta} (wrapping on overflow) and returns the new value.
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
     * Atomically raises the value to {@code candidate} if {@code candidate} is greater (signed
     * comparison). Writes nothing when the value is already at least {@code candidate}.
     *
     * @param candidate the value that may become the new maximum
     * @return the value held after the call: {@code max(old, candidate)}
     */
    public long updateMax(long candidate) {
        return CasMax.max(VALUE, this, candidate);
    }

    /**
     * Atomically lowers the value to {@code candidate} if {@code candidate} is smaller (signed
     * comparison). Writes nothing when the value is already at most {@code candidate}.
     *
     * @param candidate the value that may become the new minimum
     * @return the value held after the call: {@code min(old, candidate)}
     */
    public long updateMin(long candidate) {
        return CasMax.min(VALUE, this, candidate);
    }

    /**
     * Returns the current value in signed decimal.
     *
     * @return the current value in text
     */
    @Override
    public String toString() {
        return Long.toString(load());
    }

    // VarHandle mechanics
    private static final VarHandle VALUE;   // field "value", declared in PaddedAtomicInt64Fields
    static {
        try {
            VALUE = MethodHandles.lookup()
                    .findVarHandle(PaddedAtomicInt64.class, "value", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}

/** 128 bytes of padding laid out before the value: a superclass's fields come first. */
abstract class PaddedAtomicInt64Pad0 {
    long p00, p01, p02, p03, p04, p05, p06, p07;
    long p10, p11, p12, p13, p14, p15, p16, p17;
}

/** The value, alone in its class so that no padding long can be laid out before it here. */
abstract class PaddedAtomicInt64Fields extends PaddedAtomicInt64Pad0 {
    /** The value; changed only through PaddedAtomicInt64.VALUE or a volatile write. */
    volatile long value;
}

/** 128 bytes of padding laid out after the value. */
abstract class PaddedAtomicInt64Pad1 extends PaddedAtomicInt64Fields {
    long p20, p21, p22, p23, p24, p25, p26, p27;
    long p30, p31, p32, p33, p34, p35, p36, p37;
}
