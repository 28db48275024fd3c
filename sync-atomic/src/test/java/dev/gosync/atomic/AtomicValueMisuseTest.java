package dev.gosync.atomic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each of Go's atomic.Value panics, with its exact text, then "still usable". */
class AtomicValueMisuseTest {
    private static final String STORE_NIL = "sync/atomic: store of nil value into Value";
    private static final String STORE_TYPE =
            "sync/atomic: store of inconsistently typed value into Value";
    private static final String SWAP_NIL = "sync/atomic: swap of nil value into Value";
    private static final String SWAP_TYPE =
            "sync/atomic: swap of inconsistently typed value into Value";
    private static final String CAS_NIL = "sync/atomic: compare and swap of nil value into Value";
    private static final String CAS_TYPES =
            "sync/atomic: compare and swap of inconsistently typed values";
    private static final String CAS_TYPE =
            "sync/atomic: compare and swap of inconsistently typed value into Value";

    // store(null) throws Go's message, on an empty and on a full Value, and changes nothing.
    @Test
    void storeOfNil() {
        AtomicValue empty = new AtomicValue();
        assertEquals(STORE_NIL,
                assertThrows(NullPointerException.class, () -> empty.store(null)).getMessage());
        assertEquals(null, empty.load());
        AtomicValue full = new AtomicValue("a");
        assertEquals(STORE_NIL,
                assertThrows(NullPointerException.class, () -> full.store(null)).getMessage());
        assertEquals("a", full.load());
        full.store("b");
        assertEquals("b", full.load());
        assertEquals(STORE_NIL,
                assertThrows(NullPointerException.class, () -> new AtomicValue(null))
                        .getMessage());
    }

    // store of another class throws and keeps the held value; a subclass counts as another
    // class (Go's concrete types are exact).
    @Test
    void storeOfInconsistentType() {
        AtomicValue v = new AtomicValue("a");
        assertEquals(STORE_TYPE,
                assertThrows(IllegalArgumentException.class, () -> v.store(1)).getMessage());
        assertEquals("a", v.load());
        AtomicValue list = new AtomicValue(new ArrayList<>());
        List<Object> other = new LinkedList<>();
        assertEquals(STORE_TYPE, assertThrows(IllegalArgumentException.class,
                () -> list.store(other)).getMessage());
        v.store("c");
        assertEquals("c", v.load());
    }

    // swap's own messages.
    @Test
    void swapMisuse() {
        AtomicValue v = new AtomicValue();
        assertEquals(SWAP_NIL,
                assertThrows(NullPointerException.class, () -> v.swap(null)).getMessage());
        v.swap("a");
        assertEquals(SWAP_TYPE,
                assertThrows(IllegalArgumentException.class, () -> v.swap(1)).getMessage());
        assertEquals("a", v.swap("b"));
    }

    // compareAndSwap's three messages, each thrown before any write.
    @Test
    void compareAndSwapMisuse() {
        AtomicValue v = new AtomicValue("a");
        assertEquals(CAS_NIL, assertThrows(NullPointerException.class,
                () -> v.compareAndSwap("a", null)).getMessage());
        assertEquals(CAS_TYPES, assertThrows(IllegalArgumentException.class,
                () -> v.compareAndSwap(1, "b")).getMessage());
        assertEquals(CAS_TYPE, assertThrows(IllegalArgumentException.class,
                () -> v.compareAndSwap(1, 2)).getMessage());
        assertEquals(CAS_TYPE, assertThrows(IllegalArgumentException.class,
                () -> v.compareAndSwap(null, 2)).getMessage());
        assertEquals("a", v.load());
        AtomicValue empty = new AtomicValue();
        assertEquals(CAS_TYPES, assertThrows(IllegalArgumentException.class,
                () -> empty.compareAndSwap(1, "b")).getMessage());
        assertEquals(null, empty.load());
        assertTrue(v.compareAndSwap("a", "b"));
        assertEquals("b", v.load());
    }
}
