package dev.gosync.singleflight;

/**
 * The outcome of a successful {@link Group#call} or {@link Group#callAsync}: the value and
 * whether it was shared.
 *
 * <p><b>Go equivalent:</b> {@code singleflight.Result} without its {@code Err} field: a
 * failure is thrown (or completes the future exceptionally) instead.
 *
 * @param value the value the function returned; may be null
 * @param shared whether the value was given to more than one caller: always true for a caller
 *        that joined a call in flight, and true for the caller that ran the function if
 *        another caller got it (a caller that left its wait, interrupted or cancelled, does
 *        not count)
 * @param <V> the type of the value
 */
public record Result<V>(V value, boolean shared) {
}
