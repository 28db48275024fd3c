/**
 * Go's channels: {@link dev.gosync.chan.Chan}, typed FIFO conduits with Go's blocking, close
 * and happens-before semantics.
 */
package dev.gosync.chan;
