package dev.gosync.chan;

import java.time.Duration;

/**
 * The receiving side of a {@link Chan}, Go's {@code <-chan T}: what a function that only
 * consumes may do. A {@code Chan} is one; a context's {@code done()} channel is handed out as
 * one, so that its receivers cannot close it.
 *
 * @param <T> the element type
 */
public sealed interface ReceiveChan<T> extends Iterable<T> permits Chan {
    /**
     * Receives a value, blocking uninterruptibly; null when the channel is closed and drained.
     *
     * @return the value, or null if closed and drained
     * @see Chan#receive()
     */
    T receive();

    /**
     * Receives a value, blocking uninterruptibly, Go's {@code v, ok := <-ch}.
     *
     * @return the value with ok=true, or (null, false) if closed and drained
     * @see Chan#receiveOk()
     */
    Received<T> receiveOk();

    /**
     * Receives a value, blocking interruptibly.
     *
     * @return the value, or null if closed and drained
     * @throws InterruptedException if interrupted while waiting (nothing was received)
     * @see Chan#receiveInterruptibly()
     */
    T receiveInterruptibly() throws InterruptedException;

    /**
     * Receives without waiting.
     *
     * @return null if nothing is ready; otherwise the value with ok=true, or (null, false) if
     *     closed and drained
     * @see Chan#tryReceive()
     */
    Received<T> tryReceive();

    /**
     * Receives, waiting at most {@code timeout}.
     *
     * @param timeout the longest wait
     * @return null if the time ran out; otherwise as {@link #tryReceive()}
     * @throws InterruptedException if interrupted while waiting (nothing was received)
     * @see Chan#tryReceive(Duration)
     */
    Received<T> tryReceive(Duration timeout) throws InterruptedException;

    /**
     * Number of buffered elements (racy, as Go's len).
     *
     * @return the buffered count
     */
    int len();

    /**
     * The buffer capacity.
     *
     * @return the capacity; 0 if unbuffered
     */
    int cap();
}
