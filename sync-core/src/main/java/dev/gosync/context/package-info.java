/**
 * Go's {@code context} package: cancellation, deadlines and request-scoped values passed down
 * a call tree. Start from {@link dev.gosync.context.Context}; {@code done()} channels work in
 * a {@link dev.gosync.chan.Select}, and {@code Weighted.acquire(ctx, n)} and
 * {@code errgroup.Group.withContext(ctx)} take contexts.
 */
package dev.gosync.context;
