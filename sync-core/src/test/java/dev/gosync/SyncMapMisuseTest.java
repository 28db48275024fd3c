package dev.gosync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** SyncMap misuse: each rejected argument and its message, then "still usable". */
class SyncMapMisuseTest {

    // Every null argument is rejected with a message naming it, before any change.
    @Test
    void nullsRejectedWithArgumentName() {
        SyncMap<String, String> m = new SyncMap<>();
        m.store("k", "v");
        assertNpe("key", () -> m.load(null));
        assertNpe("key", () -> m.store(null, "v"));
        assertNpe("value", () -> m.store("k", null));
        assertNpe("key", () -> m.loadOrStore(null, "v"));
        assertNpe("value", () -> m.loadOrStore("k", null));
        assertNpe("value", () -> m.loadOrStore("absent", null));
        assertNpe("key", () -> m.loadAndDelete(null));
        assertNpe("key", () -> m.delete(null));
        assertNpe("key", () -> m.swap(null, "v"));
        assertNpe("value", () -> m.swap("k", null));
        assertNpe("key", () -> m.compareAndSwap(null, "v", "w"));
        assertNpe("oldValue", () -> m.compareAndSwap("k", null, "w"));
        assertNpe("newValue", () -> m.compareAndSwap("k", "v", null));
        assertNpe("key", () -> m.compareAndDelete(null, "v"));
        assertNpe("oldValue", () -> m.compareAndDelete("k", null));
        assertNpe("f", () -> m.range(null));
        assertEquals("v", m.load("k"));
        assertNull(m.load("absent"));
    }

    // An exception thrown by range's callback reaches the caller; the map stays usable.
    @Test
    void rangeCallbackExceptionPropagates() {
        SyncMap<String, String> m = new SyncMap<>();
        m.store("k", "v");
        IllegalStateException boom = new IllegalStateException("boom");
        assertSame(boom, assertThrows(IllegalStateException.class, () -> m.range((k, v) -> {
            throw boom;
        })));
        assertEquals("v", m.load("k"));
    }

    private static void assertNpe(String name, Executable call) {
        NullPointerException e = assertThrows(NullPointerException.class, call);
        assertEquals(name, e.getMessage());
    }
}
