/**
 * Internal machinery shared by the primitives: the one place where gosync threads wait. Every
 * blocking path parks in {@link dev.gosync.internal.Waiter}'s park loop, through a
 * {@link dev.gosync.internal.WaitQueue} (directly, or through {@link dev.gosync.internal.Sema}
 * or {@link dev.gosync.internal.NotifyList}), with one {@link dev.gosync.internal.WaitMode}
 * vocabulary, one spin policy ({@link dev.gosync.internal.Spin}) and one time-out conversion
 * ({@link dev.gosync.internal.Timeouts}). Not exported: nothing here is public API.
 */
package dev.gosync.internal;
