package dev.gosync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Pool misuse: null items and suppliers, a failing supplier; the pool stays usable. */
class PoolMisuseTest {

    // put(null) is ignored, as in Go; the pool stays usable.
    @Test
    void putNullIsIgnored() {
        Pool<Object> p = new Pool<>();
        p.put(null);
        assertNull(p.get());
        Object x = new Object();
        p.put(x);
        assertSame(x, p.get());
    }

    // A null supplier is a bad argument (use the no-argument constructor instead).
    @Test
    void nullSupplierRejected() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> new Pool<>(null));
        assertEquals("newFn", e.getMessage());
    }

    // A supplier that throws: the exception reaches get()'s caller and the pool stays usable.
    @Test
    void failingSupplierPropagatesAndPoolStaysUsable() {
        AtomicBoolean fail = new AtomicBoolean(true);
        IllegalStateException boom = new IllegalStateException("boom");
        Pool<Object> p = new Pool<>(() -> {
            if (fail.get()) {
                throw boom;
            }
            return "fresh";
        });
        assertSame(boom, assertThrows(IllegalStateException.class, p::get));
        Object x = new Object();
        p.put(x);
        assertSame(x, p.get());
        fail.set(false);
        assertEquals("fresh", p.get());
    }
}
