package dev.gosync.context;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Every misuse message of the context package, then "still usable". */
class ContextMisuseTest {
    private static final String NIL_PARENT = "cannot create context from nil parent";

    private static void nilParent(org.junit.jupiter.api.function.Executable e) {
        assertEquals(NIL_PARENT, assertThrows(NullPointerException.class, e).getMessage());
    }

    /** Every factory rejects a null parent with Go's panic text. */
    @Test
    void nullParent() {
        nilParent(() -> Context.withCancel(null));
        nilParent(() -> Context.withCancelCause(null));
        nilParent(() -> Context.withTimeout(null, Duration.ofSeconds(1)));
        nilParent(() -> Context.withTimeoutCause(null, Duration.ofSeconds(1), null));
        nilParent(() -> Context.withDeadline(null, Instant.now()));
        nilParent(() -> Context.withDeadlineCause(null, Instant.now(), null));
        nilParent(() -> Context.withValue(null, "k", "v"));
        nilParent(() -> Context.withoutCancel(null));
    }

    /** withValue rejects a null key with Go's text. */
    @Test
    void nullKey() {
        assertEquals("nil key", assertThrows(NullPointerException.class,
                () -> Context.withValue(Context.background(), null, "v")).getMessage());
    }

    /** Null arguments other than the parent are named. */
    @Test
    void nullArgumentsNamed() {
        Context bg = Context.background();
        assertEquals("timeout", assertThrows(NullPointerException.class,
                () -> Context.withTimeout(bg, null)).getMessage());
        assertEquals("deadline", assertThrows(NullPointerException.class,
                () -> Context.withDeadline(bg, null)).getMessage());
        assertEquals("ctx", assertThrows(NullPointerException.class,
                () -> Context.afterFunc(null, () -> { })).getMessage());
        assertEquals("f", assertThrows(NullPointerException.class,
                () -> Context.afterFunc(bg, null)).getMessage());
        assertEquals("ctx", assertThrows(NullPointerException.class,
                () -> Context.cause(null)).getMessage());
        assertEquals("ctx", assertThrows(NullPointerException.class,
                () -> new ContextDoneException(null)).getMessage());
    }

    /** A ContextDoneException for a context that is not done is refused. */
    @Test
    void doneExceptionForLiveContext() {
        CancelContext c = Context.withCancel(Context.background());
        assertEquals("context is not done", assertThrows(IllegalArgumentException.class,
                () -> new ContextDoneException(c)).getMessage());
        assertNull(c.err());
        c.cancel();
        assertSame(Context.CANCELED, new ContextDoneException(c).err());
    }

    /** The internal bridge is installed once, by Context; a second install is refused. */
    @Test
    void bridgeInstalledTwice() {
        assertEquals("context bridge installed twice", assertThrows(IllegalStateException.class,
                () -> dev.gosync.internal.ContextHooks.install((ctx, action) -> () -> true))
                .getMessage());
        CancelContext c = Context.withCancel(Context.background());
        int[] ran = {0};
        dev.gosync.internal.ContextHooks.whenDone(c, () -> ran[0]++);
        c.cancel();
        assertEquals(1, ran[0], "the original bridge still works");
    }

    /** Cancelling many times is not misuse; the context stays consistent. */
    @Test
    void repeatedCancelIsHarmless() {
        CancelCauseContext c = Context.withCancelCause(Context.background());
        for (int i = 0; i < 3; i++) {
            c.cancel(new RuntimeException("" + i));
            c.cancel();
            c.close();
        }
        assertEquals("0", Context.cause(c).getMessage());
        assertEquals(0, c.childCount());
    }
}
