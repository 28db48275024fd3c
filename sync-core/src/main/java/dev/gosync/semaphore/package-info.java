/**
 * Go's {@code golang.org/x/sync/semaphore}: a weighted, FIFO semaphore.
 */
package dev.gosync.semaphore;
