/**
 * Diagnostics for gosync's primitives: the contention profile (Go's mutex profile, written in
 * pprof's format). gosync's JFR events ({@code dev.gosync.LockWait} and the others) need no
 * API: turn them on with the {@code gosync.jfc} settings file at the root of the sync-core jar.
 * The lock-order checker ({@link dev.gosync.diag.LockOrderChecker}, lockdep's algorithm) is
 * switched on by the system property {@code dev.gosync.lockorder=off|warn|throw}.
 */
package dev.gosync.diag;
