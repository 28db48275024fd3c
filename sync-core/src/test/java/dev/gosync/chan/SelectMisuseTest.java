package dev.gosync.chan;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Every misuse message of Select, and that the misuse changed nothing. */
class SelectMisuseTest {
    @Test
    void aSecondDefaultIsRejected() {
        Select s = new Select().orElse();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.orElse(() -> { }));
        assertEquals("select: multiple defaults", e.getMessage());
        assertEquals(Select.DEFAULT, s.select(), "still one default, without a handler");
    }

    @Test
    void aSecondTimeoutIsRejected() {
        Select s = new Select().timeout(Duration.ofMillis(1));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> s.timeout(Duration.ofHours(1), () -> { }));
        assertEquals("select: multiple timeouts", e.getMessage());
        assertEquals(Select.TIMEOUT, s.select(), "still the first timeout");
    }

    @Test
    void nullsAreRejectedWithoutAddingACase() {
        Chan<String> c = new Chan<>(1);
        Select s = new Select();
        NullPointerException e = assertThrows(NullPointerException.class, () -> s.send(c, null));
        assertEquals("chan: send of null element", e.getMessage());
        assertThrows(NullPointerException.class, () -> s.send(c, "x", null));
        assertThrows(NullPointerException.class, () -> s.receive(c, null));
        assertThrows(NullPointerException.class, () -> s.receiveOk(c, null));
        assertThrows(NullPointerException.class, () -> s.timeout(null));
        assertThrows(NullPointerException.class, () -> s.orElse(null));
        assertEquals("Select[cases=0]", s.toString());
        assertEquals(Select.DEFAULT, s.orElse().select());
    }
}
