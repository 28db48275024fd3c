package dev.gosync.chan;

/**
 * The result of a receive, Go's {@code v, ok := <-ch}.
 *
 * @param value the value received, or null when {@code ok} is false
 * @param ok true if a sent value was received; false if the channel was closed and drained
 * @param <T> the element type
 */
public record Received<T>(T value, boolean ok) {
}
