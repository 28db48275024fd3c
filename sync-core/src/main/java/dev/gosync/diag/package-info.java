/**
 * Diagnostics: the lock-order checker's public face. The checker itself is switched on by
 * the system property {@code dev.gosync.lockorder=off|warn|throw}; see
 * {@link dev.gosync.diag.LockOrderChecker}.
 */
package dev.gosync.diag;
