/**
 * Go's typed {@code sync/atomic} API for Java.
 *
 * <p>Every operation in this package is sequentially consistent (VarHandle volatile mode), as
 * every operation of Go's {@code sync/atomic} is: if the effect of an atomic operation A is
 * observed by an atomic operation B, then A happens-before B, and all atomic operations of a
 * program appear to run in one total order.
 */
package dev.gosync.atomic;
