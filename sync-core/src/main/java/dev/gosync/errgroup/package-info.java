/**
 * Go's {@code golang.org/x/sync/errgroup}: run a group of tasks and collect the first failure.
 */
package dev.gosync.errgroup;
