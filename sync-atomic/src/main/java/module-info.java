/**
 * Go's typed {@code sync/atomic} API on {@link java.lang.invoke.VarHandle}s: {@code AtomicBool},
 * {@code AtomicInt32}, {@code AtomicInt64}, {@code AtomicUint32}, {@code AtomicUint64},
 * {@code AtomicPointer}, {@code AtomicValue}, {@code AtomicInt64Array}, {@code PaddedAtomicInt64}
 * (an {@code AtomicInt64} alone on its cache lines) and the {@code CasMax} helper for a user's
 * own VarHandle.
 */
module dev.gosync.atomic {
    exports dev.gosync.atomic;
}
