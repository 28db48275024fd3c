package dev.gosync.chan;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class ChanMisuseTest {
    @Test
    void negativeCapacity() {
        var e = assertThrows(IllegalArgumentException.class, () -> new Chan<Integer>(-1));
        assertEquals("makechan: size out of range", e.getMessage());
    }

    @Test
    void closeOfClosed() {
        Chan<Integer> ch = new Chan<>(2);
        ch.send(1);
        ch.close();
        var e = assertThrows(IllegalStateException.class, ch::close);
        assertEquals("close of closed channel", e.getMessage());
        assertEquals(1, ch.len());
        assertEquals(new Received<>(1, true), ch.receiveOk());
    }

    @Test
    void sendOnClosed() {
        Chan<Integer> ch = new Chan<>(2);
        ch.send(1);
        ch.close();
        for (var e : new Throwable[] {
            assertThrows(IllegalStateException.class, () -> ch.send(2)),
            assertThrows(IllegalStateException.class, () -> ch.trySend(2)),
            assertThrows(IllegalStateException.class, () -> ch.sendInterruptibly(2)),
        }) {
            assertEquals("send on closed channel", e.getMessage());
        }
        assertEquals(1, ch.len());
        assertEquals(1, ch.receive());
        assertFalse(ch.receiveOk().ok());
    }

    @Test
    void nullElement() {
        Chan<Integer> ch = new Chan<>(1);
        var e = assertThrows(NullPointerException.class, () -> ch.send(null));
        assertEquals("chan: send of null element", e.getMessage());
        assertThrows(NullPointerException.class, () -> ch.trySend(null));
        assertEquals(0, ch.len());
        assertTrue(ch.trySend(3));
    }
}
