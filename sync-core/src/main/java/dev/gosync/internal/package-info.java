/**
 * Internal machinery shared by the primitives (waiting, parking, hand-off). Not exported:
 * nothing here is public API.
 */
package dev.gosync.internal;
