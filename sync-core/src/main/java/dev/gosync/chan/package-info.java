/**
 * Go's channels: {@link dev.gosync.chan.Chan}, a typed FIFO conduit with Go's blocking, close
 * and happens-before semantics; {@link dev.gosync.chan.Select}, Go's {@code select} over any
 * mix of send and receive cases with default and timeout; and
 * {@link dev.gosync.chan.ReceiveChan}/{@link dev.gosync.chan.SendChan}, Go's directional
 * channel types {@code <-chan T} and {@code chan<- T}.
 */
package dev.gosync.chan;
