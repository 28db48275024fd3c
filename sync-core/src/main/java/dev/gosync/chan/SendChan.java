package dev.gosync.chan;

import java.time.Duration;

/**
 * The sending side of a {@link Chan}, Go's {@code chan<- T}: what a function that only
 * produces may do, closing included (in Go, the sender closes).
 *
 * @param <T> the element type
 */
public sealed interface SendChan<T> permits Chan {
    /**
     * Sends {@code v}, blocking uninterruptibly.
     *
     * @param v the value, not null
     * @throws IllegalStateException if the channel is or becomes closed
     * @see Chan#send(Object)
     */
    void send(T v);

    /**
     * Sends {@code v}, blocking interruptibly.
     *
     * @param v the value, not null
     * @throws InterruptedException if interrupted while waiting (v was not sent)
     * @throws IllegalStateException if the channel is or becomes closed
     * @see Chan#sendInterruptibly(Object)
     */
    void sendInterruptibly(T v) throws InterruptedException;

    /**
     * Sends {@code v} only if that can be done without waiting.
     *
     * @param v the value, not null
     * @return true if sent
     * @throws IllegalStateException if the channel is closed
     * @see Chan#trySend(Object)
     */
    boolean trySend(T v);

    /**
     * Sends {@code v}, waiting at most {@code timeout}.
     *
     * @param v the value, not null
     * @param timeout the longest wait
     * @return true if sent; false if the time ran out (v was not sent)
     * @throws InterruptedException if interrupted while waiting (v was not sent)
     * @throws IllegalStateException if the channel is or becomes closed
     * @see Chan#trySend(Object, Duration)
     */
    boolean trySend(T v, Duration timeout) throws InterruptedException;

    /**
     * Closes the channel.
     *
     * @throws IllegalStateException if already closed
     * @see Chan#close()
     */
    void close();

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
