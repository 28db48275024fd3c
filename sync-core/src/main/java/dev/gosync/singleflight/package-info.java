/**
 * Go's {@code golang.org/x/sync/singleflight}: suppress duplicate concurrent calls per key.
 */
package dev.gosync.singleflight;
